"""Static maps and timelines of events (matplotlib), and an interactive map that works offline.

>>> import sahel_events
>>> from sahel_events import plot
>>> events = sahel_events.load()                                   # doctest: +SKIP
>>> ax = plot.map_events(events, title="France-Mali crisis, 2025")  # doctest: +SKIP
>>> plot.save_png(ax, "map.png")                                   # doctest: +SKIP
>>> plot.write_html(events, "map.html")                            # doctest: +SKIP

* [`map_events`][sahel_events.plot.map_events] draws events over the country outlines embedded in
  [`sahel_events.geo`][sahel_events.geo], one fixed color per ACLED event type, background
  events as hollow rings, the countries named, labels placed without overlaps,
  a legend and a scale bar.
* [`timeline`][sahel_events.plot.timeline] draws events per day or month, stacked by event type,
  background events hatched.
* [`save_png`][sahel_events.plot.save_png] writes a figure atomically and reproducibly (no timestamp or
  software version in the file), so the same events give the same bytes.
* [`map_html`][sahel_events.plot.map_html] / [`write_html`][sahel_events.plot.write_html] build one
  self-contained HTML page (Leaflet and Leaflet.markercluster inlined, no
  network) with clustered events, one popup per event showing its notes and
  evidence, a legend and a layer control.

matplotlib (the ``plot`` extra) is imported only when a static picture is
drawn, so ``import sahel_events`` stays fast. Figures are made with pyplot on
the current backend; close them (``plt.close(ax.figure)``) when drawing many.
The interactive map needs no extra.
"""

from __future__ import annotations

from sahel_events.plot._style import (
    BACKGROUND_ALPHA,
    EVENT_TYPE_COLORS,
    OTHER_COLOR,
    SUSPECT_COLOR,
    SUSPECT_TOLERANCE_KM,
    display_text,
    outside_country_km,
    suspect_events,
)
from sahel_events.plot.interactive import InteractiveMap, map_html, write_html
from sahel_events.plot.static import map_events, save_png, timeline

__all__ = [
    "BACKGROUND_ALPHA",
    "EVENT_TYPE_COLORS",
    "OTHER_COLOR",
    "SUSPECT_COLOR",
    "SUSPECT_TOLERANCE_KM",
    "InteractiveMap",
    "display_text",
    "map_events",
    "map_html",
    "outside_country_km",
    "save_png",
    "suspect_events",
    "timeline",
    "write_html",
]
