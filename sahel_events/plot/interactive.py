"""The interactive map: one self-contained HTML page, Leaflet and its data inlined, offline.

The page is written from ``map.html`` (beside this module) with the bundled
Leaflet and Leaflet.markercluster (``_js/``, see ``scripts/bundle_js.py``), the
page's own ``map.js`` and ``map.css``, and the events, country outlines and
region lines as one JSON document. Nothing in it refers to the network unless the caller asks
for a tile server: it opens the same way on a laptop in the field as online.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events.exc import UsageError
from sahel_events.plot import _style
from sahel_events.vocabulary import EVENT_TYPES

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["InteractiveMap", "map_html", "write_html"]

#: Outlines are simplified to about 2 km and rounded to about 100 m: invisible at
#: a country's zoom, a tenth of the bytes.
_SIMPLIFY_DEGREES = 0.02
_GRID_DEGREES = 0.001
#: Countries this far (degrees) beyond the events are drawn too, for panning out.
_OUTLINE_MARGIN = 15.0
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")


@dataclass(frozen=True)
class InteractiveMap:
    """A written interactive map page: its HTML, shown inline in a notebook.

    ``html`` is the whole self-contained page;
    [`write_html`][sahel_events.plot.write_html] (or ``save``) writes it to a file.
    """

    html: str
    events: int

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` atomically; returns the path."""
        return write_html(self, path)

    def _repr_html_(self) -> str:
        # An iframe keeps the page's scripts and styles apart from the notebook's.
        return (
            '<iframe style="width:100%;height:520px;border:0" sandbox="allow-scripts" '
            f'srcdoc="{html.escape(self.html)}"></iframe>'
        )


@cache
def _asset(name: str) -> str:
    """A text file of the page (template, script, style, bundled library)."""
    return resources.files("sahel_events.plot").joinpath(name).read_text(encoding="utf-8")


@cache
def _data_uri(name: str) -> str:
    raw = resources.files("sahel_events.plot").joinpath(name).read_bytes()
    return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


def _inline_css(css: str) -> str:
    """Leaflet's CSS with its images inlined as data: URIs; the marker icon it never needs dropped.

    A relative ``url(images/...)`` would make the browser ask the file system
    (or a server) for a file the page does not have.
    """

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name in ("layers.png", "layers-2x.png"):
            return f'url("{_data_uri("_js/" + name)}")'
        return "none"  # marker-icon.png: the page draws its own markers

    return re.sub(r"url\(images/([A-Za-z0-9._-]+)\)", replace, css)


def _licensed(name: str, body: str) -> str:
    """A bundled library preceded by its licence, as its licence requires."""
    return f"/*! {name}\n{_asset('_js/LICENSE-' + name + '.txt').strip()}\n*/\n{body}"


def _escape(text: str) -> str:
    """Text safe as HTML content or a quoted attribute value."""
    return html.escape(text)


_ESCAPES = (
    ("&", "&amp;"),  # first: the later replacements write character references of their own
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
)


def _escape_all(values: pd.Series) -> pd.Series:
    """[`_escape`][sahel_events.plot.interactive._escape] on a whole column at once; missing values are ""."""
    text = values.astype("string").fillna("")
    for old, new in _ESCAPES:
        text = text.str.replace(old, new, regex=False)
    return text


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column as escaped text ("" when the frame has no such column)."""
    import pandas as pd

    if name not in df.columns:
        return pd.Series("", index=df.index, dtype="string")
    values = df[name]
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = values.dt.strftime("%Y-%m-%d")
    return _escape_all(values)


def _popups(df: pd.DataFrame, background: np.ndarray, outside_km: np.ndarray) -> pd.Series:
    """Every event's popup HTML, built column-wise; every value escaped.

    Text the coder copied from the source (place, notes, evidence) carries
    ``dir="auto"``: the browser sets an Arabic passage right to left, a French
    one left to right, each by its own first letters.
    """
    import numpy as np
    import pandas as pd

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
    country = _column(df, "country")
    flagged = _style.suspect(outside_km)
    distance = pd.Series(np.round(np.nan_to_num(outside_km)).astype(np.int64), index=df.index)
    warning = (
        '<p class="suspect">coordinates lie '
        + distance.map("{:,}".format)
        + " km outside "
        + country
        + " (swapped latitude and longitude, or a lost minus sign?)</p>"
    ).where(flagged, "")
    return (
        "<b>"
        + _column(df, "event_date")
        + "</b> "
        + _column(df, "event_type")
        + ": "
        + _column(df, "sub_event_type")
        + '<br><i dir="auto">'
        + _column(df, "location")
        + "</i> "
        + country
        + (" (" + event_id + ")").where(event_id != "", "")
        + np.where(background, '<br><small class="background">background event</small>', "")
        + warning
        + ('<p class="notes" dir="auto">' + notes + "</p>").where(notes != "", "")
        + quotes
    )


def _round(value: float, digits: int = 5) -> float:
    return round(float(value), digits) + 0.0  # + 0.0: no "-0.0" in the page


def _countries(window: tuple[float, float, float, float]) -> tuple[dict[str, Any], list[Any]]:
    """The outlines near the events as GeoJSON, and where to write each country's name.

    A name shows from the zoom at which it fits in its country (about 7 pixels
    a letter; Leaflet's world is 256 pixels wide at zoom 0, doubling per zoom).
    """
    import shapely

    from sahel_events.geo import country_shapes, resolve_country

    west, east, south, north = window
    box = shapely.box(
        west - _OUTLINE_MARGIN,
        south - _OUTLINE_MARGIN,
        east + _OUTLINE_MARGIN,
        north + _OUTLINE_MARGIN,
    )
    features = []
    labels = []
    for iso, shape in country_shapes().items():  # sorted by ISO code: a stable page
        if not shape.intersects(box):
            continue
        record = resolve_country(iso)
        name = record.acled_country or record.name
        outline = shapely.set_precision(shapely.simplify(shape, _SIMPLIFY_DEGREES), _GRID_DEGREES)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "iso": iso},
                "geometry": shapely.geometry.mapping(outline),
            }
        )
        min_x, _, max_x, _ = shape.bounds
        name_px = 7 * len(name) + 8
        width_px_at_zero = max(max_x - min_x, 0.01) * 256 / 360 * 0.8
        min_zoom = max(0, math.ceil(math.log2(name_px / width_px_at_zero)))
        labels.append([_round(record.latitude, 3), _round(record.longitude, 3), name, min_zoom])
    return {"type": "FeatureCollection", "features": features}, labels


def _event_day(df: pd.DataFrame) -> str | None:
    """The latest event date (ISO), or None when no event has one: the day whose units are drawn."""
    import pandas as pd

    if "event_date" not in df.columns:
        return None
    latest = pd.to_datetime(df["event_date"], errors="coerce").max()
    return None if pd.isna(latest) else latest.strftime("%Y-%m-%d")


def _regions(window: tuple[float, float, float, float], day: str | None) -> dict[str, Any]:
    """The lines between first-level units of the countries the package has polygons for, as GeoJSON.

    One feature per country (Mali, Niger, Burkina Faso, where in reach of the
    events): the boundaries its units share, each drawn once (the country's
    own outline is drawn above them). Natural Earth's polygons are Mali's and
    Niger's regions (Mali's as before its 2016 reform: Ménaka and Taoudénit are
    still in Gao and Tombouctou) and Burkina Faso's provinces, merged here into
    the regions in force on ``day`` (13 before 2 July 2025, 17 from then on;
    the newest when ``day`` is None).
    """
    import shapely

    from sahel_events.geo import admin2_units, country_shapes, resolve_country
    from sahel_events.geo._data import admin_shapes

    west, east, south, north = window
    box = shapely.box(
        west - _OUTLINE_MARGIN,
        south - _OUTLINE_MARGIN,
        east + _OUTLINE_MARGIN,
        north + _OUTLINE_MARGIN,
    )
    outlines = country_shapes()
    features = []
    for alpha2 in sorted({shape["alpha2"] for shape in admin_shapes()}):
        record = resolve_country(alpha2)
        country = outlines.get(record.alpha3)
        if country is None or not country.intersects(box):
            continue
        grouping: tuple[tuple[str, str], ...] = ()
        if alpha2 == "BF":  # provinces, grouped into the regions of the day
            grouping = tuple(
                sorted((unit.name, unit.admin1 or unit.name) for unit in admin2_units("BF", on=day))
            )
        units, lines = _unit_lines(alpha2, grouping)
        if lines.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso": record.alpha3,
                    "name": record.acled_country or record.name,
                    "units": units,
                },
                "geometry": shapely.geometry.mapping(lines),
            }
        )
    return {"type": "FeatureCollection", "features": features}


@cache
def _unit_lines(alpha2: str, grouping: tuple[tuple[str, str], ...]) -> tuple[int, Any]:
    """How many units a country has, and the lines between them (a MultiLineString).

    The shipped polygons were simplified one by one, so two neighbours' edges
    wander about each other: drawn as they are, every shared boundary would be
    two lines crossing a hundred times. So the country is first cut into the
    faces all the edges make, each face given to the unit that holds it (or,
    for the slivers between two units, that overlaps it most), and the units
    rebuilt from their faces: neighbours then share their boundary exactly
    and it is drawn once. ``grouping`` maps a polygon's name to its unit's
    (provinces to regions); unnamed polygons are units of their own.
    """
    import shapely

    from sahel_events.geo import country_shapes, resolve_country
    from sahel_events.geo._data import admin_shapes

    group = dict(grouping)
    polygons = [shape for shape in admin_shapes() if shape["alpha2"] == alpha2]
    geometries = [shape["geometry"] for shape in polygons]
    names = [group.get(shape["name"], shape["name"]) for shape in polygons]
    edges = shapely.union_all([shapely.boundary(geometry) for geometry in geometries])
    faces = list(shapely.get_parts(shapely.polygonize(list(shapely.get_parts(edges)))))
    tree = shapely.STRtree(geometries)
    by_unit: dict[str, list[Any]] = {}
    for face in faces:
        candidates = sorted(int(i) for i in tree.query(face, predicate="intersects"))
        if not candidates:
            continue
        overlaps = [
            float(shapely.area(shapely.intersection(face, geometries[i]))) for i in candidates
        ]
        best = candidates[max(range(len(candidates)), key=lambda k: (overlaps[k], -k))]
        if max(overlaps) <= 0.5 * float(shapely.area(face)) and len(candidates) < 2:
            continue  # a hole of the country's own (a lake, an enclave), not a sliver
        by_unit.setdefault(names[best], []).append(face)
    units = [shapely.union_all(by_unit[name]) for name in sorted(by_unit)]
    # The edges two units share: all their edges less the outline of them all
    # (the same segments, since the units were rebuilt from the same faces),
    # kept inside the country's own outline, which is drawn above them.
    outline = shapely.boundary(shapely.union_all(units))
    shared = shapely.union_all([shapely.boundary(unit) for unit in units])
    inner = shapely.difference(shared, shapely.buffer(outline, 1e-7))
    country = country_shapes()[resolve_country(alpha2).alpha3]
    inner = shapely.intersection(inner, country)
    inner = shapely.line_merge(
        shapely.set_precision(shapely.simplify(inner, _SIMPLIFY_DEGREES), _GRID_DEGREES)
    )
    lines = [line for line in shapely.get_parts(inner) if line.geom_type == "LineString"]
    return len(units), shapely.MultiLineString(lines)


def _json_for_script(value: Any) -> str:
    """JSON that is inert inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left as is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def map_html(
    df: pd.DataFrame,
    *,
    title: str | None = None,
    flag_suspect: bool = False,
    tiles: str | None = None,
    tiles_attribution: str | None = None,
) -> InteractiveMap:
    """An interactive map of the events, as one self-contained, offline HTML page.

    Events at one place or close together are clustered (a disc with their
    number, ringed in their types' colors); a click zooms in, and where the
    events share a point (a town's events, coded to its centre) the cluster
    spiderfies, so every event's popup can be opened. Each popup shows the
    event's date, type, place, id, notes and evidence quotes, HTML-escaped,
    right to left where the text is Arabic. A legend gives the event-type
    colors and the background style, a layer control toggles the background
    events and the country names, and a scale bar measures distances. The base
    map is the package's country outlines, named, with the lines between the
    regions of Mali, Niger and Burkina Faso lightly drawn under them (Burkina
    Faso's regions of the latest event's day; Mali's as before 2016, as in
    Natural Earth); Leaflet 1.9 and
    Leaflet.markercluster 1.5 are inlined with their licences.

    Args:
        df: Events with ``latitude`` and ``longitude``; ``event_type``,
            ``background``, ``location``, ``country``, ``notes``, ``evidence``
            and the ACLED columns of the popup are used when present.
        title: The page's title.
        flag_suspect: Mark events that lie more than
            [`SUSPECT_TOLERANCE_KM`][sahel_events.plot.SUSPECT_TOLERANCE_KM]
            outside their country (black, with the distance in the popup).
        tiles: A tile URL template (``https://.../{z}/{x}/{y}.png``) to draw
            under the outlines. Off by default: with it the page fetches tiles
            from that server whenever it is viewed.
        tiles_attribution: The credit the tile server asks for (required with ``tiles``).

    Returns:
        The page; [`write_html`][sahel_events.plot.write_html] writes it, a
        notebook shows it inline.

    Raises:
        InvalidDataError: ``df`` has no latitude or longitude column.
        UsageError: ``tiles`` without ``{z}``, ``{x}`` and ``{y}``, or without an attribution.
    """
    import numpy as np

    if tiles is not None:
        if not all(part in tiles for part in ("{z}", "{x}", "{y}")):
            raise UsageError(
                f"tiles must be a URL template with {{z}}, {{x}} and {{y}}, not {tiles!r}"
            )
        if not tiles_attribution:
            raise UsageError(
                "tiles_attribution is required with tiles: tile servers ask for credit"
            )
    from sahel_events.plot.static import _extent

    # Positions, not labels, pair each event with its point: a frame made by
    # concatenating others may repeat index labels.
    df = df.reset_index(drop=True)
    points = _style.located(df, flag_suspect=flag_suspect)
    west, east, south, north = _extent(points)
    rows = df.loc[points.index]
    background = points["background"].to_numpy(dtype=bool)
    outside = points["outside_km"].to_numpy(dtype=float)
    flagged = _style.suspect(outside)
    popups = _popups(rows, background, outside)
    tooltips = (
        rows["location"].astype("string").fillna("")
        if "location" in rows.columns
        else popups.str.slice(0, 0)
    )
    names = [*EVENT_TYPES, "other"]
    positions = {name: number for number, name in enumerate(EVENT_TYPES)}
    type_index = (
        points["event_type"].astype("object").map(positions).fillna(len(EVENT_TYPES)).astype(int)
    ).to_numpy()
    counts = np.bincount(type_index[~flagged], minlength=len(names))
    types = [
        {"name": name, "color": _style.color(name), "count": int(count)}
        for name, count in zip(names, counts.tolist(), strict=True)
    ]
    outlines, country_names = _countries((west, east, south, north))
    regions = _regions((west, east, south, north), _event_day(rows))
    events = [
        [_round(latitude), _round(longitude), kind, int(is_background), int(is_suspect), popup, tip]
        for latitude, longitude, kind, is_background, is_suspect, popup, tip in zip(
            points["latitude"].tolist(),
            points["longitude"].tolist(),
            type_index.tolist(),
            background.tolist(),
            flagged.tolist(),
            popups.tolist(),
            tooltips.tolist(),
            strict=True,
        )
    ]
    colors = {
        "land": _style.LAND,
        "border": _style.BORDER,
        "region": _style.REGION_BORDER,
        "sea": "#DCE8EF",
        "countryName": _style.COUNTRY_NAME,
        "suspect": _style.SUSPECT_COLOR,
        "other": _style.OTHER_COLOR,
    }
    data = {
        "bounds": [[_round(south), _round(west)], [_round(north), _round(east)]],
        "colors": colors,
        "countries": outlines,
        "countryNames": country_names,
        "regions": regions,
        "events": events,
        "types": types,
        "suspectToleranceKm": _style.SUSPECT_TOLERANCE_KM,
        "attribution": "Country and region outlines: Natural Earth (public domain)",
        "tiles": None if tiles is None else {"url": tiles, "attribution": tiles_attribution},
    }
    values = {
        "title": _escape(title or "Events"),
        "leaflet_css": _inline_css(_asset("_js/leaflet.css")),
        "markercluster_css": _asset("_js/MarkerCluster.css"),
        "map_css": _asset("map.css"),
        "data": _json_for_script(data),
        "leaflet_js": _licensed("leaflet", _asset("_js/leaflet.js")),
        "markercluster_js": _licensed(
            "leaflet.markercluster", _asset("_js/leaflet.markercluster.js")
        ),
        "map_js": _asset("map.js"),
    }
    for name in ("leaflet_js", "markercluster_js", "map_js", "data"):
        # Nothing inlined may close its <script> element early.
        if "</script" in values[name].lower():
            raise RuntimeError(f"the map page's {name} contains </script")
    # One pass: text substituted in is never scanned for placeholders again.
    page = _PLACEHOLDER.sub(lambda match: values[match[1]], _asset("map.html"))
    return InteractiveMap(html=page, events=len(events))


def write_html(df_or_map: pd.DataFrame | InteractiveMap, path: str | os.PathLike[str]) -> Path:
    """Write an interactive map to an HTML file, atomically and reproducibly.

    The page is self-contained (it opens offline: scripts, styles, outlines
    and events are in the file) and the same events give the same bytes.

    Args:
        df_or_map: Events (drawn with [`map_html`][sahel_events.plot.map_html]'s
            defaults) or a page [`map_html`][sahel_events.plot.map_html] made.
        path: The HTML file to write.

    Returns:
        The path written.

    Raises:
        InvalidDataError: the events have no latitude or longitude column.
        OutputError: The file cannot be written.
    """
    from sahel_events._io import atomic_path

    page = df_or_map if isinstance(df_or_map, InteractiveMap) else map_html(df_or_map)
    target = Path(path)
    with atomic_path(target) as temporary:
        temporary.write_bytes(page.html.encode("utf-8"))
    return target
