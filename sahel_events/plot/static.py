"""Static pictures with matplotlib: the event map and the timeline, saved as reproducible PNGs."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sahel_events.exc import UsageError
from sahel_events.plot import _style
from sahel_events.plot._style import (
    BACKGROUND_ALPHA,
    OTHER_COLOR,
    SUSPECT_COLOR,
    SUSPECT_TOLERANCE_KM,
    color,
    display_text,
)
from sahel_events.vocabulary import EVENT_TYPES

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

__all__ = ["map_events", "save_png", "timeline"]

# The Sahel and its neighbours, for a map without events.
_DEFAULT_EXTENT = (-18.0, 25.0, 3.0, 26.0)
_MAX_LABELS = 15
_KM_PER_DEGREE = 6371.009 * math.pi / 180
_LABEL_FONT_SIZE = 9
_COUNTRY_FONT_SIZE = 9
#: Layout rounds to fit the view to the axes: the first fits, the others follow
#: the tick labels' few pixels (usually settled by the second).
_FRAME_ROUNDS = 4


def _pyplot() -> Any:
    """matplotlib.pyplot, imported late (it is slow to import).

    The backend is the user's (inline in a notebook, a window in a terminal
    session); the command line chooses Agg before calling here.
    """
    _style.require("matplotlib", "plot")
    import matplotlib.pyplot as plt

    return plt


def _extent(points: pd.DataFrame) -> tuple[float, float, float, float]:
    """(west, east, south, north) around the points, padded, not too narrow."""
    if points.empty:
        return _DEFAULT_EXTENT
    west, east = float(points["longitude"].min()), float(points["longitude"].max())
    south, north = float(points["latitude"].min()), float(points["latitude"].max())
    pad = max(2.0, 0.12 * max(east - west, north - south))
    return (
        max(west - pad, -180.0),
        min(east + pad, 180.0),
        max(south - pad, -90.0),
        min(north + pad, 90.0),
    )


def _draw_countries(ax: Axes, view: tuple[float, float, float, float]) -> None:
    import shapely
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    from sahel_events.geo import country_shapes

    west, east, south, north = view
    window = shapely.box(west - 1, south - 1, east + 1, north + 1)
    paths = []
    for shape in country_shapes().values():  # sorted by ISO code: a stable drawing order
        if not shape.intersects(window):
            continue
        for polygon in getattr(shape, "geoms", [shape]):
            vertices = []
            codes = []
            for ring in [polygon.exterior, *polygon.interiors]:
                xy = list(ring.coords)
                vertices.extend(xy)
                codes.extend(
                    [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
                )
            paths.append(MplPath(vertices, codes))
    collection = PathCollection(
        paths, facecolor=_style.LAND, edgecolor=_style.BORDER, linewidth=0.6, zorder=1
    )
    collection.set_gid("countries")
    ax.add_collection(collection, autolim=False)


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
    palette = to_rgba_array([color(name) for name in categories.cat.categories] or ["none"])
    return palette[categories.cat.codes.to_numpy()]


def _draw_markers(ax: Axes, points: pd.DataFrame, extent: tuple[float, float, float, float]) -> Any:
    """Discs and rings of the events; returns the marker groups with their outer size."""
    import numpy as np

    groups = _marker_groups(points, extent)
    sizes, ring_sizes = _marker_sizes(groups)
    # Big markers first so that the smaller ones drawn over them stay visible.
    order = np.argsort(-np.where(groups["background"], ring_sizes, sizes), kind="stable")
    groups, sizes, ring_sizes = groups.iloc[order], sizes[order], ring_sizes[order]
    colors = _rgba(groups["event_type"])
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
            facecolors="none" if is_background else colors[chosen],
            edgecolors=colors[chosen] if is_background else "none",
            # Discs have no outline of their own (lines between a bullseye's bands
            # would hide the narrow ones); each cell's disc has one white outline.
            linewidths=2.0 if is_background else 0.0,
            zorder=3 if is_background else 4,
        )
    return groups.assign(size=np.where(background, ring_sizes, sizes))


def _draw_suspects(
    ax: Axes, points: pd.DataFrame, extent: tuple[float, float, float, float]
) -> Any:
    """A black cross per cell of events outside their country, drawn apart from the others."""
    groups = _marker_groups(points.assign(event_type="suspect", background=False), extent)
    ax.scatter(
        groups["longitude"].to_numpy(),
        groups["latitude"].to_numpy(),
        s=110,
        marker="X",
        facecolors=SUSPECT_COLOR,
        edgecolors="white",
        linewidths=1.0,
        zorder=4.5,
    )
    return groups.assign(size=110.0)


class _Box(NamedTuple):
    """A rectangle in display pixels."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: _Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, frame: _Box) -> bool:
        return (
            self.x0 >= frame.x0
            and self.x1 <= frame.x1
            and self.y0 >= frame.y0
            and self.y1 <= frame.y1
        )


def _box(bbox: Bbox) -> _Box:
    return _Box(bbox.x0, bbox.y0, bbox.x1, bbox.y1)


# Where a label may go around its point, in order of preference: right, upper
# right, lower right, left, upper left, lower left, above, below (x and y are
# the directions; the text is aligned to face away from the point).
_DIRECTIONS = ((1, 0), (1, 1), (1, -1), (-1, 0), (-1, 1), (-1, -1), (0, 1), (0, -1))


def _place_label(
    ax: Axes,
    text: str,
    anchor: tuple[float, float],
    radius_px: float,
    obstacles: list[_Box],
    frame: _Box,
    renderer: Any,
    *,
    fontsize: float,
    style: dict[str, Any],
    leader: bool,
) -> bool:
    """Annotate ``text`` beside ``anchor`` where it overlaps nothing placed so far.

    The label is measured once; each candidate position (beside the marker,
    then farther out with a leader line when ``leader``) is tested against the
    obstacles and the frame. The first that fits is kept and becomes an
    obstacle; when none fits the label is left out (returns False).
    """
    dpi = ax.figure.dpi
    x, y = ax.transData.transform(anchor)
    probe = ax.text(0, 0, text, fontsize=fontsize, transform=None, **style)
    extent = probe.get_window_extent(renderer)
    probe.remove()
    width, height = extent.width, extent.height
    gap = 3 * dpi / 72
    distances = [radius_px + gap] + ([radius_px + 6 * gap] if leader else [])
    for distance in distances:
        for dx, dy in _DIRECTIONS:
            cx = x + dx * distance * (0.75 if dy else 1.0)
            cy = y + dy * distance * (0.75 if dx else 1.0)
            left = cx if dx > 0 else cx - width if dx < 0 else cx - width / 2
            bottom = cy if dy > 0 else cy - height if dy < 0 else cy - height / 2
            box = _Box(left, bottom, left + width, bottom + height)
            if not box.inside(frame) or any(box.overlaps(other) for other in obstacles):
                continue
            obstacles.append(box)
            annotation = ax.annotate(
                text,
                anchor,
                xytext=((cx - x) * 72 / dpi, (cy - y) * 72 / dpi),
                textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                fontsize=fontsize,
                annotation_clip=True,
                arrowprops=(
                    {"arrowstyle": "-", "color": "#555555", "linewidth": 0.7, "shrinkA": 0}
                    if distance > distances[0]
                    else None
                ),
                **style,
            )
            # Placed after the layout was settled: it must not move the axes.
            annotation.set_in_layout(False)
            return True
    return False


def _label_places(
    ax: Axes, points: pd.DataFrame, markers: pd.DataFrame, renderer: Any, obstacles: list[_Box]
) -> int:
    """Label the busiest places, none overlapping another or a marker; returns how many fit."""
    import numpy as np

    dpi = ax.figure.dpi
    # One label per named place (location and country): ACLED codes a town's
    # events to one point, but coders and jitter may spread them a little.
    # The median position keeps one stray coordinate from moving the label.
    named = points[points["location"] != ""]
    grouped = named.groupby(["location", "country"], sort=True)
    places = grouped[["longitude", "latitude"]].median()
    places["n"] = grouped.size()
    places = places.reset_index().sort_values("n", ascending=False, kind="stable").head(_MAX_LABELS)
    marker_xy = ax.transData.transform(markers[["longitude", "latitude"]].to_numpy())
    marker_radius = np.sqrt(markers["size"].to_numpy(dtype=float)) / 2 * dpi / 72
    frame = _box(ax.get_window_extent(renderer))
    placed = 0
    for place in places.itertuples(index=False):  # at most _MAX_LABELS rows
        x, y = ax.transData.transform((place.longitude, place.latitude))
        near = np.hypot(marker_xy[:, 0] - x, marker_xy[:, 1] - y) <= marker_radius + 1
        radius = float(marker_radius[near].max()) if near.any() else 4.0
        text = display_text(str(place.location))
        if place.n > 1:
            text += f" ({place.n})"
        placed += _place_label(
            ax,
            text,
            (place.longitude, place.latitude),
            radius,
            obstacles,
            frame,
            renderer,
            fontsize=_LABEL_FONT_SIZE,
            style={
                "color": "#222222",
                "zorder": 6,
                "bbox": {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
            },
            leader=True,
        )
    return placed


def _name_countries(
    ax: Axes, view: tuple[float, float, float, float], renderer: Any, obstacles: list[_Box]
) -> None:
    """Name each country whose label point is in view, where its name fits in it."""
    import shapely
    from shapely.ops import polylabel

    from sahel_events.geo import country_shapes, resolve_country

    west, east, south, north = view
    window = shapely.box(west, south, east, north)
    frame = _box(ax.get_window_extent(renderer))
    data_to_px = ax.transData.transform
    for iso, shape in country_shapes().items():  # sorted: a stable order
        if not shape.intersects(window):
            continue
        record = resolve_country(iso)
        name = record.acled_country or record.name
        probe = ax.text(0, 0, name, fontsize=_COUNTRY_FONT_SIZE, transform=None, style="italic")
        extent = probe.get_window_extent(renderer)
        probe.remove()
        visible = shapely.intersection(shape, window)
        x0, y0 = data_to_px((visible.bounds[0], visible.bounds[1]))
        x1, y1 = data_to_px((visible.bounds[2], visible.bounds[3]))
        if extent.width > 0.9 * (x1 - x0) or extent.height > 0.9 * (y1 - y0):
            continue  # a name wider than its country would sit on its neighbours
        # The country's own label point, else the middle of its part in view
        # (when that point is out of view or taken by an event).
        largest = max(getattr(visible, "geoms", [visible]), key=lambda part: part.area)
        inner = polylabel(largest, tolerance=0.05) if largest.geom_type == "Polygon" else None
        candidates = [(record.longitude, record.latitude)]
        if inner is not None:
            candidates.append((inner.x, inner.y))
        for longitude, latitude in candidates:
            x, y = data_to_px((longitude, latitude))
            box = _Box(
                x - extent.width / 2,
                y - extent.height / 2,
                x + extent.width / 2,
                y + extent.height / 2,
            )
            if box.inside(frame) and not any(box.overlaps(other) for other in obstacles):
                break
        else:
            continue
        obstacles.append(box)
        label = ax.text(
            longitude,
            latitude,
            name,
            fontsize=_COUNTRY_FONT_SIZE,
            style="italic",
            color=_style.COUNTRY_NAME,
            ha="center",
            va="center",
            zorder=2,
            gid="country-name",
        )
        label.set_in_layout(False)


def _nice_length(km: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``km``."""
    power = 10 ** math.floor(math.log10(km))
    return max(step * power for step in (1, 2, 5) if step * power <= km)


def _scale_bar(ax: Axes, view: tuple[float, float, float, float], avoid: _Box | None) -> Any:
    """A scale bar about a fifth of the map wide, true at the map's middle latitude."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    west, east, south, north = view
    km_per_degree = _KM_PER_DEGREE * math.cos(math.radians((south + north) / 2))
    length = _nice_length(0.2 * (east - west) * km_per_degree)
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for loc in ("lower left", "lower right", "upper left", "upper right"):
        bar = AnchoredSizeBar(
            ax.transData,
            length / km_per_degree,
            f"{length:,.0f} km",
            loc,
            pad=0.5,
            borderpad=0.6,
            sep=3,
            color="#333333",
            frameon=True,
            size_vertical=0,
            fontproperties={"size": 8},
        )
        bar.patch.set_alpha(0.8)
        bar.patch.set_edgecolor("none")
        ax.add_artist(bar)
        if avoid is None or not _box(bar.get_window_extent(renderer)).overlaps(avoid):
            return bar
        bar.remove()
    return None


def map_events(
    df: pd.DataFrame,
    *,
    ax: Axes | None = None,
    extent: tuple[float, float, float, float] | None = None,
    labels: bool = True,
    title: str | None = None,
    flag_suspect: bool = False,
) -> Axes:
    """Draw events on a static map over the embedded country outlines.

    Current events at one place (within 1/100th of the map's width) are one
    filled disc whose area grows with the logarithm of their number, in their
    event type's color
    ([`EVENT_TYPE_COLORS`][sahel_events.plot.EVENT_TYPE_COLORS]); several
    types make a bullseye, each type a band as large as its share. Background
    events (``background`` true: past events a source recounts) are hollow
    rings around the place's disc. The map fills the axes: the events' extent,
    with a margin, is widened to the shape of the box the figure's layout gives
    the axes, and the axes keep that whole box (no blank band beside a map
    narrower than its picture). The countries in view are
    named where their name fits; the 15 busiest places are labelled with their
    name and, when more than one, their number of events, each label where it
    overlaps no other label, marker or the legend (a label that fits nowhere is
    left out). Arabic names are shaped with
    [`display_text`][sahel_events.plot.display_text]. A legend and a scale bar
    (true at the middle latitude: the projection is equirectangular with the
    aspect ratio true there) complete it.

    Args:
        df: Events with ``latitude`` and ``longitude``; ``event_type``,
            ``location``, ``country`` and ``background`` are used when present.
            Rows without usable coordinates are left out.
        ax: Axes to draw on; default a new 10 x 8 inch figure.
        extent: ``(west, east, south, north)`` in degrees that the map must
            show; default around the events.
        labels: Label locations with their names.
        title: Title of the map.
        flag_suspect: Draw events that lie more than
            [`SUSPECT_TOLERANCE_KM`][sahel_events.plot.SUSPECT_TOLERANCE_KM]
            outside their ``country`` (what the validator's
            ``coordinates_in_country`` warns about: swapped coordinates, a lost
            minus sign) as black crosses instead of in their type's color.

    Returns:
        The Axes (``ax.figure`` is the figure; save it with [`save_png`][sahel_events.plot.save_png]).

    Raises:
        InvalidDataError: ``df`` has no latitude or longitude column.
        UsageError: matplotlib is not installed, or ``extent`` is not a box.
    """
    plt = _pyplot()
    from matplotlib.lines import Line2D

    points = _style.located(df, flag_suspect=flag_suspect)
    if extent is None:
        extent = _extent(points)
    west, east, south, north = (float(value) for value in extent)
    if not (west < east and south < north):
        raise UsageError(
            f"extent must be (west, east, south, north) with west < east and south < north, not {extent!r}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 8), layout="constrained")
    ax.set_facecolor(_style.SEA)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    # No fixed aspect: matplotlib would shrink the axes to the view's shape and
    # leave the figure blank beside it. _fill_frame shapes the view instead.
    ax.set_aspect("auto")
    ax.tick_params(labelsize=8)
    ax.xaxis.set_major_formatter(_degrees("E", "W"))
    ax.yaxis.set_major_formatter(_degrees("N", "S"))

    suspects = _style.suspect(points["outside_km"])
    box = (west, east, south, north)
    markers = [_draw_markers(ax, points[~suspects], box)]
    if suspects.any():
        markers.append(_draw_suspects(ax, points[suspects], box))

    present = [name for name in EVENT_TYPES if name in set(points["event_type"][~suspects])]
    if (~points["event_type"][~suspects].isin(EVENT_TYPES)).any():
        present.append("other")
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markersize=9,
            markerfacecolor=color(name),
            markeredgecolor="white",
            label=name,
        )
        for name in present
    ]
    if points["background"][~suspects].any():
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
    if suspects.any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="X",
                markersize=10,
                markerfacecolor=SUSPECT_COLOR,
                markeredgecolor="white",
                label=f"over {SUSPECT_TOLERANCE_KM:g} km outside its country",
            )
        )
    legend = ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.9) if handles else None
    if title:
        ax.set_title(display_text(title))

    # Settle the layout, then widen the view to the frame's shape, before
    # drawing what depends on the final view: outlines, names, labels, scale bar.
    figure: Any = ax.figure
    requested = (west, east, south, north)
    for _ in range(_FRAME_ROUNDS):
        figure.draw_without_rendering()
        # Always from the requested extent, never from the last view: the
        # tick labels at the ends move the layout by a few pixels from one
        # view to the next, and widening the last view would grow it each round.
        if not _fill_frame(ax, requested):
            break
    renderer = figure.canvas.get_renderer()
    (view_west, view_east), (view_south, view_north) = ax.get_xlim(), ax.get_ylim()
    view = (float(view_west), float(view_east), float(view_south), float(view_north))
    _draw_countries(ax, view)
    obstacles: list[_Box] = []
    legend_box = None
    if legend is not None:
        # Pin the legend where "best" put it: the labels added next must not move it.
        legend_box = _box(legend.get_window_extent(renderer))
        corner = ax.transAxes.inverted().transform((legend_box.x0, legend_box.y0))
        legend.set_loc((float(corner[0]), float(corner[1])))
        obstacles.append(legend_box)
    bar = _scale_bar(ax, view, legend_box)
    if bar is not None:
        obstacles.append(_box(bar.get_window_extent(renderer)))
    import pandas as pd

    all_markers = pd.concat(markers, ignore_index=True)
    xy = ax.transData.transform(all_markers[["longitude", "latitude"]].to_numpy())
    radius = (all_markers["size"].to_numpy(dtype=float) ** 0.5) / 2 * figure.dpi / 72
    # The markers of the busiest cells are obstacles (a million events are a few
    # thousand markers; the biggest hundreds are what a label could hide).
    biggest = all_markers["size"].to_numpy().argsort(kind="stable")[::-1][:500]
    obstacles.extend(
        _Box(xy[i, 0] - radius[i], xy[i, 1] - radius[i], xy[i, 0] + radius[i], xy[i, 1] + radius[i])
        for i in sorted(biggest)
    )
    if labels and not points.empty:
        _label_places(ax, points, all_markers, renderer, obstacles)
    _name_countries(ax, view, renderer, obstacles)
    return ax


def _fill_frame(ax: Axes, extent: tuple[float, float, float, float]) -> bool:
    """Widen ``extent`` in one direction to the shape of the space the layout gave
    the axes, and show that; False when the view already has that shape.

    The middle stays where it is, and the ratio of a degree of latitude to a
    degree of longitude on the page is the one true at the middle latitude
    (an equirectangular map, true along that parallel). The axes keep the
    layout's whole box, so nothing beside the map is left blank; when the
    final layout moves by a pixel or two (tick labels), the map stretches by
    that much rather than leaving a margin.
    """
    west, east, south, north = extent
    box = ax.get_position(original=True)
    figure: Any = ax.figure
    width_in, height_in = figure.get_size_inches()
    frame_ratio = (box.height * height_in) / (box.width * width_in)
    aspect = 1 / math.cos(math.radians((south + north) / 2))
    map_ratio = (north - south) * aspect / (east - west)
    if map_ratio < frame_ratio:
        grow = ((east - west) * frame_ratio / aspect - (north - south)) / 2
        south, north = max(south - grow, -90.0), min(north + grow, 90.0)
    else:
        grow = ((north - south) * aspect / frame_ratio - (east - west)) / 2
        west, east = west - grow, east + grow
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    # A hundredth of a pixel: the same view, up to rounding.
    tolerance = max(east - west, north - south) / (100 * figure.dpi * max(width_in, height_in))
    if max(abs(left - west), abs(right - east), abs(bottom - south), abs(top - north)) < tolerance:
        return False
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    return True


def _degrees(positive: str, negative: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(
        lambda value, _position: (
            f"{abs(value):g}°{positive if value > 0 else negative if value < 0 else ''}"
        )
    )


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

    from sahel_events.exc import InvalidDataError

    plt = _pyplot()
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

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
            "background": (
                _style.background_flags(df["background"]) if "background" in df.columns else False
            ),
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
            color=[color(value) for value in chosen["event_type"]],
            alpha=BACKGROUND_ALPHA if is_background else 1.0,
            hatch="///" if is_background else None,
            edgecolor="white",
            linewidth=0.5,
        )
    ax.set_ylabel("events per day" if freq == "D" else "events per month")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    present = [name for name in EVENT_TYPES if name in set(counts["event_type"])]
    handles = [Patch(color=color(name), label=name) for name in present]
    if (~counts["event_type"].isin(EVENT_TYPES)).any():
        handles.append(Patch(color=OTHER_COLOR, label="other"))
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
