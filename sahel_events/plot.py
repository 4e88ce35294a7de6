"""Static maps and timelines of events (matplotlib), and an interactive map (folium).

>>> import sahel_events
>>> from sahel_events import plot
>>> events = sahel_events.load()                                   # doctest: +SKIP
>>> ax = plot.map_events(events, title="France-Mali crisis, 2025")  # doctest: +SKIP
>>> plot.save_png(ax, "map.png")                                   # doctest: +SKIP

* [`map_events`][sahel_events.plot.map_events] draws events over the country outlines embedded in
  [`sahel_events.geo`][sahel_events.geo], one fixed colour per ACLED event type, background
  events as hollow rings, location labels shaped for Arabic script.
* [`timeline`][sahel_events.plot.timeline] draws events per day or month, stacked by event type,
  background events hatched.
* [`save_png`][sahel_events.plot.save_png] writes a figure atomically and reproducibly (no timestamp or
  software version in the file), so the same events give the same bytes.
* [`map_html`][sahel_events.plot.map_html] / [`write_html`][sahel_events.plot.write_html] build a Leaflet map with one popup per
  event showing its notes and evidence (needs the ``maps`` extra: folium).

matplotlib (the ``plot`` extra) is imported only when a function here runs, so
``import sahel_events`` stays fast. Figures are made with pyplot on the current
backend; close them (``plt.close(ax.figure)``) when drawing many.
"""

from __future__ import annotations

import html
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events.exc import InvalidDataError, UsageError
from sahel_events.vocabulary import EVENT_TYPES

if TYPE_CHECKING:
    import folium
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BACKGROUND_ALPHA",
    "EVENT_TYPE_COLOURS",
    "OTHER_COLOUR",
    "display_text",
    "map_events",
    "map_html",
    "save_png",
    "timeline",
    "write_html",
]

EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#D55E00",
    "Protests": "#009E73",
    "Riots": "#E69F00",
    "Explosions/Remote violence": "#CC79A7",
    "Violence against civilians": "#882255",
    "Strategic developments": "#0072B2",
}
"""One colour per ACLED event type, fixed so that maps of different files agree.

Okabe-Ito colours (distinguishable with the common colour-vision deficiencies),
plus a wine red so that the six types stay apart.
"""
OTHER_COLOUR = "#7F7F7F"
"""Colour of an event type outside ACLED's vocabulary (or missing)."""
BACKGROUND_ALPHA = 0.45
"""Opacity of background bars in [`timeline`][sahel_events.plot.timeline] (they are also hatched)."""

_LAND = "#EDEAE2"
_BORDER = "#9A968C"
_SEA = "#FFFFFF"
# Arabic, Arabic Supplement, Arabic Extended-A and the presentation forms.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# The Sahel and its neighbours, for a map without events.
_DEFAULT_EXTENT = (-18.0, 25.0, 3.0, 26.0)
_MAX_LABELS = 15
_HEX_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def _require(module: str, extra: str) -> Any:
    """Import an optional dependency or say which extra installs it."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError:
        raise UsageError(
            f"{module} is not installed; install it with: pip install 'sahel_events[{extra}]'"
        ) from None


def _pyplot() -> Any:
    """matplotlib.pyplot, imported late (it is slow to import).

    The backend is the user's (inline in a notebook, a window in a terminal
    session); the command line chooses Agg before calling here.
    """
    _require("matplotlib", "plot")
    import matplotlib.pyplot as plt

    return plt


def _matplotlib_shapes_text() -> bool:
    """Whether matplotlib lays text out with libraqm (3.11+), which shapes and reorders Arabic."""
    try:
        from matplotlib import ft2font
    except ImportError:
        return False
    return bool(getattr(ft2font, "__libraqm_version__", ""))


def display_text(text: str) -> str:
    """Text ready for matplotlib: Arabic letters joined and in visual order.

    matplotlib 3.11 and later lay text out with libraqm, which shapes Arabic
    and applies the bidirectional algorithm itself: the text is returned as it
    is. Older versions draw characters one by one, left to right, in their
    isolated forms, so Arabic would come out unjoined and backwards; there
    arabic_reshaper picks each letter's contextual form and python-bidi
    reorders the line. Text without Arabic letters is always returned as is.

    >>> display_text("Bamako")
    'Bamako'
    """
    if not _ARABIC.search(text) or _matplotlib_shapes_text():
        return text
    reshaper = _require("arabic_reshaper", "plot")
    bidi = _require("bidi", "plot")
    get_display = getattr(bidi, "get_display", None)
    if get_display is None:  # python-bidi < 0.5 kept it in bidi.algorithm
        get_display = _require("bidi.algorithm", "plot").get_display
    return str(get_display(reshaper.reshape(text)))


def _colour(event_type: object) -> str:
    return EVENT_TYPE_COLOURS.get(str(event_type), OTHER_COLOUR)


def _background(values: pd.Series) -> np.ndarray:
    """The background flags as booleans, whether stored as booleans or as text.

    A CSV written with provenance and read back holds ``"true"``/``"false"``
    strings, and ``bool("false")`` is True: text is compared, not cast.
    """
    import pandas as pd

    if pd.api.types.is_bool_dtype(values.dtype):
        return values.fillna(False).to_numpy(dtype=bool)
    text = values.astype("string").str.strip().str.lower()
    return text.isin(["true", "1", "yes", "t", "y", "1.0"]).fillna(False).to_numpy(dtype=bool)


def _located(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with usable coordinates, with an event_type and background column."""
    import pandas as pd

    missing = [column for column in ("latitude", "longitude") if column not in df.columns]
    if missing:
        raise InvalidDataError("cannot map events without coordinates", column=", ".join(missing))
    frame = pd.DataFrame(
        {
            "latitude": pd.to_numeric(df["latitude"], errors="coerce").astype("float64"),
            "longitude": pd.to_numeric(df["longitude"], errors="coerce").astype("float64"),
            "event_type": (
                df["event_type"].astype("object").where(df["event_type"].notna(), "")
                if "event_type" in df.columns
                else ""
            ),
            "background": (_background(df["background"]) if "background" in df.columns else False),
            "location": (
                df["location"].astype("object").where(df["location"].notna(), "")
                if "location" in df.columns
                else ""
            ),
            "country": (
                df["country"].astype("object").where(df["country"].notna(), "")
                if "country" in df.columns
                else ""
            ),
        },
        index=df.index,
    )
    # Coordinates off the globe are the validator's to report; here they are left out.
    usable = frame["latitude"].between(-90, 90) & frame["longitude"].between(-180, 180)
    return frame[usable]


def _extent(points: pd.DataFrame) -> tuple[float, float, float, float]:
    """(west, east, south, north) around the points, padded, not too narrow."""
    if points.empty:
        return _DEFAULT_EXTENT
    west, east = float(points["longitude"].min()), float(points["longitude"].max())
    south, north = float(points["latitude"].min()), float(points["latitude"].max())
    pad = max(2.0, 0.12 * max(east - west, north - south))
    west, east, south, north = west - pad, east + pad, south - pad, north + pad
    # Keep the map's shape between 4:5 and 5:3 (in projected units) so that
    # events along one line still show the countries around them.
    scale = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * scale, north - south
    if width < 0.8 * height:
        grow = (0.8 * height - width) / scale / 2
        west, east = west - grow, east + grow
    elif height < 0.6 * width:
        grow = (0.6 * width - height) / 2
        south, north = south - grow, north + grow
    return (max(west, -180.0), min(east, 180.0), max(south, -90.0), min(north, 90.0))


def _draw_countries(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    import shapely
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    from sahel_events.geo import country_shapes

    west, east, south, north = extent
    window = shapely.box(west - 1, south - 1, east + 1, north + 1)
    paths = []
    for shape in country_shapes().values():  # sorted by ISO code: a stable drawing order
        if not shape.intersects(window):
            continue
        polygons = getattr(shape, "geoms", [shape])
        for polygon in polygons:
            rings = [polygon.exterior, *polygon.interiors]
            vertices = []
            codes = []
            for ring in rings:
                xy = list(ring.coords)
                vertices.extend(xy)
                codes.extend(
                    [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
                )
            paths.append(MplPath(vertices, codes))
    ax.add_collection(
        PathCollection(paths, facecolor=_LAND, edgecolor=_BORDER, linewidth=0.6, zorder=1)
    )


def _marker_groups(points: pd.DataFrame, extent: tuple[float, float, float, float]) -> pd.DataFrame:
    """One row per marker: events of one type and kind within a 1/100th-of-the-map cell.

    Markers closer than that would be drawn on top of each other anyway; merging
    them keeps a million events to a few thousand markers. The markers of a cell
    sit at the mean position of its events, so events at one place stay exactly there.
    """
    import numpy as np
    import pandas as pd

    west, east, south, north = extent
    # About a marker's width on a 1000-pixel map.
    cell = max(east - west, north - south) / 100
    keys = pd.DataFrame(
        {
            "gx": np.floor((points["longitude"].to_numpy() - west) / cell).astype(np.int64),
            "gy": np.floor((points["latitude"].to_numpy() - south) / cell).astype(np.int64),
            "event_type": points["event_type"].astype("category"),
            "background": points["background"].to_numpy(dtype=bool),
            "longitude": points["longitude"].to_numpy(),
            "latitude": points["latitude"].to_numpy(),
        }
    )
    grouped = keys.groupby(["gx", "gy", "event_type", "background"], sort=True, observed=True)
    groups = grouped.size().rename("n").reset_index()
    # Every marker of a cell sits at the mean position of all the cell's events,
    # so that the discs and rings of its types are concentric.
    cells = keys.groupby(["gx", "gy"], sort=False)[["longitude", "latitude"]].mean()
    position = cells.reindex(pd.MultiIndex.from_frame(groups[["gx", "gy"]]))
    groups["longitude"] = position["longitude"].to_numpy()
    groups["latitude"] = position["latitude"].to_numpy()
    return groups


def _marker_sizes(groups: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Marker areas (points squared): concentric discs for current events, rings around them.

    The current events of a cell make one disc whose area grows with the log of
    their number (one event stays visible, ten thousand do not cover the map).
    Its types share that disc as a bullseye: each type is a disc whose area is
    the disc's times the share of this type and the smaller ones, so every type
    shows as a band as wide as its share. Background events are rings drawn a
    few points outside the cell's disc, one ring per type.
    """
    import numpy as np

    cell = [groups["gx"], groups["gy"]]
    current = ~groups["background"]
    counts = groups["n"].where(current, 0)
    total = counts.groupby(cell).transform("sum")
    # Within a cell, biggest type first; "remaining" counts this type and the smaller ones.
    rank = counts.groupby(cell).rank(method="first", ascending=False)
    ordered = groups.assign(count=counts, rank=rank).sort_values(["gx", "gy", "rank"])
    remaining = (
        ordered["count"][::-1].groupby([ordered["gx"][::-1], ordered["gy"][::-1]]).cumsum()[::-1]
    ).reindex(groups.index)
    whole = 50 + 250 * np.log10(np.maximum(total.to_numpy(), 1))
    sizes = np.where(current, whole * remaining.to_numpy() / np.maximum(total.to_numpy(), 1), 0.0)
    # Rings: outside the cell's disc (or a one-event disc where there is none).
    nth_ring = groups["n"].where(~current, 0).groupby(cell).rank(method="first") - 1
    base = np.sqrt(np.where(total.to_numpy() > 0, whole, 50.0))
    ring_sizes = (base + 7 + 5 * nth_ring.to_numpy()) ** 2
    return sizes, ring_sizes


def _rgba(event_types: pd.Series) -> np.ndarray:
    """RGBA rows for event types, converting each distinct type once."""
    from matplotlib.colors import to_rgba_array

    categories = event_types.astype("category")
    palette = to_rgba_array([_colour(name) for name in categories.cat.categories] or ["none"])
    return palette[categories.cat.codes.to_numpy()]


def map_events(
    df: pd.DataFrame,
    *,
    ax: Axes | None = None,
    extent: tuple[float, float, float, float] | None = None,
    labels: bool = True,
    title: str | None = None,
) -> Axes:
    """Draw events on a static map over the embedded country outlines.

    Current events at one place (within 1/100th of the map's width) are one
    filled disc whose area grows with the logarithm of their number, in their
    event type's colour
    ([`EVENT_TYPE_COLOURS`][sahel_events.plot.EVENT_TYPE_COLOURS]); several
    types make a bullseye, each type a band as large as its share. Background
    events (``background`` true: past events a source recounts) are hollow
    rings around the place's disc. The 15 busiest places are labelled with
    their name and number of events; Arabic names are shaped with
    [`display_text`][sahel_events.plot.display_text]. The projection is
    equirectangular with the aspect ratio true at the map's middle latitude.

    Args:
        df: Events with ``latitude`` and ``longitude``; ``event_type``,
            ``location`` and ``background`` are used when present. Rows without
            usable coordinates are left out.
        ax: Axes to draw on; default a new 10 x 8 inch figure.
        extent: ``(west, east, south, north)`` in degrees; default around the events.
        labels: Label locations with their names.
        title: Title of the map.

    Returns:
        The Axes (``ax.figure`` is the figure; save it with [`save_png`][sahel_events.plot.save_png]).

    Raises:
        InvalidDataError: ``df`` has no latitude or longitude column.
        UsageError: matplotlib is not installed.
    """
    import numpy as np

    plt = _pyplot()
    from matplotlib.lines import Line2D

    points = _located(df)
    if extent is None:
        extent = _extent(points)
    west, east, south, north = (float(value) for value in extent)
    if not (west < east and south < north):
        raise UsageError(
            f"extent must be (west, east, south, north) with west < east and south < north, not {extent!r}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 8), layout="constrained")
    ax.set_facecolor(_SEA)
    _draw_countries(ax, (west, east, south, north))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.tick_params(labelsize=8)

    groups = _marker_groups(points, (west, east, south, north))
    sizes, ring_sizes = _marker_sizes(groups)
    # Big markers first so that the smaller ones drawn over them stay visible.
    order = np.argsort(-np.where(groups["background"], ring_sizes, sizes), kind="stable")
    groups, sizes, ring_sizes = groups.iloc[order], sizes[order], ring_sizes[order]
    colours = _rgba(groups["event_type"])
    background = groups["background"].to_numpy(dtype=bool)
    # The outermost disc of each cell (the first drawn there) gets the white outline.
    current_rows = np.flatnonzero(~background)
    first_in_cell = ~groups[["gx", "gy"]].iloc[current_rows].duplicated().to_numpy()
    outermost = np.zeros(len(groups), dtype=bool)
    outermost[current_rows[first_in_cell]] = True
    for is_background in (True, False):
        chosen = background == is_background
        if not chosen.any():
            continue
        if not is_background:
            ax.scatter(
                groups["longitude"].to_numpy()[outermost],
                groups["latitude"].to_numpy()[outermost],
                s=sizes[outermost],
                facecolors="none",
                edgecolors="white",
                linewidths=1.6,
                zorder=4,
            )
        ax.scatter(
            groups["longitude"].to_numpy()[chosen],
            groups["latitude"].to_numpy()[chosen],
            s=(ring_sizes if is_background else sizes)[chosen],
            facecolors="none" if is_background else colours[chosen],
            edgecolors=colours[chosen] if is_background else "none",
            # Discs have no outline of their own (lines between a bullseye's bands
            # would hide the narrow ones); each cell's disc has one white outline.
            linewidths=2.0 if is_background else 0.0,
            zorder=3 if is_background else 4,
        )

    if labels and not points.empty:
        # One label per named place (location and country): ACLED codes a town's
        # events to one point, but coders and jitter may spread them a little.
        # The median position keeps one stray coordinate from moving the label.
        named = points[points["location"] != ""]
        grouped = named.groupby(["location", "country"], sort=True)
        places = grouped[["longitude", "latitude"]].median()
        places["n"] = grouped.size()
        places = (
            places.reset_index().sort_values("n", ascending=False, kind="stable").head(_MAX_LABELS)
        )
        for place in places.itertuples(index=False):  # at most _MAX_LABELS rows
            ax.annotate(
                f"{display_text(place.location)} ({place.n})",
                (place.longitude, place.latitude),
                xytext=(9, 7),
                textcoords="offset points",
                fontsize=9,
                color="#222222",
                zorder=5,
                annotation_clip=True,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75},
            )

    present = [name for name in EVENT_TYPES if name in set(points["event_type"])]
    if (~points["event_type"].isin(EVENT_TYPES)).any():
        present.append("other")
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markersize=9,
            markerfacecolor=_colour(name),
            markeredgecolor="white",
            label=name,
        )
        for name in present
    ]
    if points["background"].any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markersize=11,
                markerfacecolor="none",
                markeredgecolor="#444444",
                markeredgewidth=2.0,
                label="background (hollow)",
            )
        )
    if handles:
        ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.9)
    if title:
        ax.set_title(display_text(title))
    return ax


def timeline(
    df: pd.DataFrame,
    *,
    freq: str | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw the number of events per day or month as bars stacked by event type.

    Each (period, event type, background) with events is one bar segment:
    current events first, then background events on top of them, hatched and
    faded ([`BACKGROUND_ALPHA`][sahel_events.plot.BACKGROUND_ALPHA]). Periods without events draw nothing.

    Args:
        df: Events with an ``event_date`` column (dates or text pandas parses);
            ``event_type`` and ``background`` are used when present.
        freq: ``"D"`` (per day) or ``"M"`` (per month); default per day when the
            events span at most 120 days, otherwise per month.
        ax: Axes to draw on; default a new 10 x 4 inch figure.
        title: Title of the chart.

    Returns:
        The Axes; its bar segments are ``ax.patches`` (one per segment).

    Raises:
        InvalidDataError: ``df`` has no event_date column.
        UsageError: ``freq`` is not ``"D"`` or ``"M"``, or matplotlib is not installed.
    """
    import pandas as pd

    plt = _pyplot()
    from matplotlib.patches import Patch

    if "event_date" not in df.columns:
        raise InvalidDataError("cannot draw a timeline without dates", column="event_date")
    dates = pd.to_datetime(df["event_date"], errors="coerce")
    frame = pd.DataFrame(
        {
            "date": dates,
            "event_type": (
                df["event_type"].astype("object").where(df["event_type"].notna(), "")
                if "event_type" in df.columns
                else ""
            ),
            "background": (_background(df["background"]) if "background" in df.columns else False),
        }
    ).dropna(subset=["date"])
    if freq is None:
        span = (frame["date"].max() - frame["date"].min()) if len(frame) else pd.Timedelta(0)
        freq = "D" if span <= pd.Timedelta(days=120) else "M"
    if freq not in ("D", "M"):
        raise UsageError(f"freq must be 'D' (per day) or 'M' (per month), not {freq!r}")
    frame["period"] = frame["date"].dt.to_period(freq).dt.start_time

    counts = (
        frame.groupby(["period", "background", "event_type"], sort=True)
        .size()
        .rename("n")
        .reset_index()
    )
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4), layout="constrained")
    width = pd.Timedelta(days=0.8) if freq == "D" else pd.Timedelta(days=25)
    # Stack within each period in a fixed order: current then background, types
    # in ACLED's order; cumsum gives each segment's bottom without a Python loop per row.
    order = {name: number for number, name in enumerate(EVENT_TYPES)}
    counts["rank"] = counts["event_type"].map(order).fillna(len(order))
    counts = counts.sort_values(["period", "background", "rank"], kind="stable")
    counts["bottom"] = counts.groupby("period")["n"].cumsum() - counts["n"]
    for is_background in (False, True):
        chosen = counts[counts["background"] == is_background]
        if chosen.empty:
            continue
        ax.bar(
            chosen["period"] + pd.Timedelta(days=0 if freq == "D" else 3),
            chosen["n"],
            width=width,
            bottom=chosen["bottom"],
            align="edge",
            color=[_colour(value) for value in chosen["event_type"]],
            alpha=BACKGROUND_ALPHA if is_background else 1.0,
            hatch="///" if is_background else None,
            edgecolor="white",
            linewidth=0.5,
        )
    ax.set_ylabel("events per day" if freq == "D" else "events per month")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    present = [name for name in EVENT_TYPES if name in set(counts["event_type"])]
    handles = [Patch(color=_colour(name), label=name) for name in present]
    if (~counts["event_type"].isin(EVENT_TYPES)).any():
        handles.append(Patch(color=OTHER_COLOUR, label="other"))
    if counts["background"].any():
        handles.append(
            Patch(facecolor="#888888", alpha=BACKGROUND_ALPHA, hatch="///", label="background")
        )
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize=8)
    if title:
        ax.set_title(display_text(title))
    return ax


def _figure(figure_or_axes: Figure | Axes) -> Figure:
    return getattr(figure_or_axes, "figure", None) or figure_or_axes  # type: ignore[return-value]


def save_png(
    figure_or_axes: Figure | Axes,
    path: str | os.PathLike[str],
    *,
    dpi: int = 100,
) -> Path:
    """Write a figure to a PNG file atomically, reproducibly.

    The PNG carries no ``Software`` entry or timestamp, so the same figure gives
    the same bytes on every run. The file is written beside ``path`` and renamed
    into place: an interrupted write leaves any earlier file as it was.

    Args:
        figure_or_axes: A matplotlib Figure, or Axes of the figure to save.
        path: The PNG to write.
        dpi: Pixels per inch; a 10 x 8 inch figure at 100 dpi is 1000 x 800 pixels.

    Returns:
        The path written.

    Raises:
        OutputError: The file cannot be written.
    """
    from sahel_events._io import atomic_path

    figure = _figure(figure_or_axes)
    target = Path(path)
    with atomic_path(target) as temporary:
        figure.savefig(temporary, format="png", dpi=dpi, metadata={"Software": None})
    return target


def _escape(text: str) -> str:
    """Text safe as HTML, and inside a JavaScript template literal too.

    Beyond HTML's own specials, backquotes (which end a template literal),
    ``$`` (``${`` starts code in one) and backslashes (escapes) become
    character references, so the text is safe wherever folium pastes it.
    """
    return html.escape(text).replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def _escape_all(values: pd.Series) -> pd.Series:
    """[`_escape`][sahel_events.plot._escape] on a whole column at once; missing values are ""."""
    text = values.astype("string").fillna("")
    # "&" first: the later replacements write character references of their own.
    for old, new in _ESCAPES:
        text = text.str.replace(old, new, regex=False)
    return text


_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("\\", "&#92;"),
    ("`", "&#96;"),
    ("$", "&#36;"),
)


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column as escaped text ("" when the frame has no such column)."""
    import pandas as pd

    if name not in df.columns:
        return pd.Series("", index=df.index, dtype="string")
    values = df[name]
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = values.dt.strftime("%Y-%m-%d")
    return _escape_all(values)


def _popups(df: pd.DataFrame, background: np.ndarray) -> pd.Series:
    """Every event's popup HTML, built column-wise; every value escaped."""
    import numpy as np

    event_id = _column(df, "event_id_cnty")
    notes = _column(df, "notes")
    evidence = _column(df, "evidence").str.strip()
    blockquote = '<blockquote class="evidence" dir="auto">'
    # An event resting on several passages has one quote per line.
    quotes = (
        blockquote
        + evidence.str.replace(r"[\r\n]+(?:\s*[\r\n]+)*", "</blockquote>" + blockquote, regex=True)
        + "</blockquote>"
    ).where(evidence != "", "")
    return (
        "<b>"
        + _column(df, "event_date")
        + "</b> "
        + _column(df, "event_type")
        + ": "
        + _column(df, "sub_event_type")
        + "<br><i>"
        + _column(df, "location")
        + "</i> "
        + _column(df, "country")
        + (" (" + event_id + ")").where(event_id != "", "")
        + np.where(background, "<br><small>background event</small>", "")
        + ('<p class="notes">' + notes + "</p>").where(notes != "", "")
        + quotes
    )


def map_html(df: pd.DataFrame, *, tiles: str | None = None) -> folium.Map:
    """An interactive Leaflet map with one marker and popup per event.

    Each popup shows the event's date, type, place, notes and evidence quotes,
    HTML-escaped; the events are one GeoJSON layer whose popups Leaflet binds
    in the browser. Country outlines come from [`sahel_events.geo`][sahel_events.geo], so the
    map needs no tile server; pass ``tiles="OpenStreetMap"`` for a base map
    (the browser then fetches tiles). Leaflet itself is loaded from a CDN when
    the page is opened.

    Args:
        df: Events with ``latitude`` and ``longitude``.
        tiles: A folium tile layer name, or None for outlines only.

    Returns:
        The folium Map; [`write_html`][sahel_events.plot.write_html] saves it.

    Raises:
        InvalidDataError: ``df`` has no latitude or longitude column.
        UsageError: folium is not installed.
    """
    folium = _require("folium", "maps")
    import shapely

    from sahel_events.geo import country_shapes

    # Positions, not labels, pair each event with its point: a frame made by
    # concatenating others may repeat index labels.
    df = df.reset_index(drop=True)
    points = _located(df)
    west, east, south, north = _extent(points)
    fmap = folium.Map(tiles=tiles, control_scale=True)
    window = shapely.box(west - 5, south - 5, east + 5, north + 5)
    outlines = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso": iso},
                # ~2 km tolerance: a tenth of the file size, invisible at a country's zoom.
                "geometry": shapely.geometry.mapping(shapely.simplify(shape, 0.02)),
            }
            for iso, shape in country_shapes().items()
            if shape.intersects(window)
        ],
    }
    folium.GeoJson(
        outlines,
        name="countries",
        style_function=lambda _feature: {
            "fillColor": _LAND,
            "color": _BORDER,
            "weight": 1,
            "fillOpacity": 1.0 if tiles is None else 0.2,
        },
    ).add_to(fmap)
    rows = df.loc[points.index]
    background = points["background"].to_numpy(dtype=bool)
    popups = _popups(rows, background)
    tooltips = (_column(rows, "event_id_cnty") + " " + _column(rows, "location")).str.strip()
    colours = [_colour(name) for name in points["event_type"]]
    # One GeoJSON layer for all events: the popups travel as JSON strings and
    # Leaflet binds them, instead of one folium element (and script) per event.
    events = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {
                    "popup": popup,
                    "tooltip": tooltip,
                    "colour": colour,
                    "background": bool(is_background),
                },
            }
            for longitude, latitude, popup, tooltip, colour, is_background in zip(
                points["longitude"].tolist(),
                points["latitude"].tolist(),
                popups.tolist(),
                tooltips.tolist(),
                colours,
                background.tolist(),
                strict=True,
            )
        ],
    }
    folium.GeoJson(
        events,
        name="events",
        marker=folium.CircleMarker(radius=7, weight=2, fill_opacity=0.85),
        # Styled in the browser from each event's properties: a style_function
        # would make folium repeat a property of every differently styled event.
        on_each_feature=folium.JsCode(
            "function (feature, layer) {"
            " var p = feature.properties;"
            " layer.setStyle({color: p.colour, fillColor: p.colour, fill: !p.background});"
            " layer.bindPopup(p.popup, {maxWidth: 420});"
            " layer.bindTooltip(p.tooltip); }"
        ),
    ).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def write_html(df_or_map: pd.DataFrame | folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write an interactive map to an HTML file, atomically and reproducibly.

    folium names its elements with random ids; they are renumbered in order of
    appearance so that the same events give the same file.

    Args:
        df_or_map: Events (drawn with [`map_html`][sahel_events.plot.map_html]) or a folium Map.
        path: The HTML file to write.

    Returns:
        The path written.

    Raises:
        OutputError: The file cannot be written.
        UsageError: folium is not installed.
    """
    from sahel_events._io import atomic_path

    fmap = df_or_map if hasattr(df_or_map, "get_root") else map_html(df_or_map)
    page = fmap.get_root().render()
    numbers: dict[str, str] = {}
    page = _HEX_ID.sub(lambda match: numbers.setdefault(match[0], f"{len(numbers):032x}"), page)
    target = Path(path)
    with atomic_path(target) as temporary:
        temporary.write_text(page, encoding="utf-8")
    return target
