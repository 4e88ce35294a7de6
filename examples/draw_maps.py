"""Draw maps and timelines: the shipped dataset, and synthetic events of every type.

Writes into ./maps/ (created): PNG maps and timelines, and interactive HTML
maps (self-contained pages that open offline) with a popup per event. Runs
offline in a few seconds.

    python examples/draw_maps.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no window

import matplotlib.pyplot as plt

import sahel_events
from sahel_events import plot
from sahel_events.testing import synthetic_events

out = Path("maps")
out.mkdir(exist_ok=True)

# The shipped dataset: current events filled, background events (past events the
# article recounts) hollow; then the current events per day.
events = sahel_events.load()
ax = plot.map_events(events, title="france_mali_2025")
print(plot.save_png(ax, out / "france_mali_2025.png"))
current = events[~events["background"]]
ax = plot.timeline(current, freq="D", title="Current events per day")
print(plot.save_png(ax, out / "france_mali_2025_timeline.png"), f"({len(ax.patches)} bars)")
page = plot.map_html(events, title="france_mali_2025")
print(plot.write_html(page, out / "france_mali_2025.html"), f"({page.events} popups)")
plt.close("all")

# Place names as an Arabic source writes them are drawn joined, right to left.
arabic = events.assign(
    location=events["location"].astype("object").replace({"Bamako": "باماكو", "Paris": "باريس"})
)
ax = plot.map_events(arabic, title="الأحداث حسب المكان")
print(plot.save_png(ax, out / "france_mali_2025_ar.png"))
plt.close("all")

# Swapped latitude and longitude (a common slip in contributed files) put Bamako in
# Angola; flag_suspect draws such events apart, as the command line's --flag-suspect.
swapped = events.assign(latitude=events["longitude"], longitude=events["latitude"])
print("outside their country:", int(plot.suspect_events(swapped).sum()), "of", len(swapped))
ax = plot.map_events(swapped, title="Swapped coordinates, flagged", flag_suspect=True)
print(plot.save_png(ax, out / "swapped_flagged.png"))
print(plot.write_html(plot.map_html(swapped, flag_suspect=True), out / "swapped_flagged.html"))
plt.close("all")

# Ten thousand synthetic events (invented, not ACLED's): every event type in its color.
many = synthetic_events(10_000, seed=1)
ax = plot.map_events(many, title="10,000 synthetic events")
print(plot.save_png(ax, out / "synthetic.png"))
legend = [text.get_text() for text in ax.get_legend().get_texts()]
print("legend:", ", ".join(legend))
plt.close("all")
