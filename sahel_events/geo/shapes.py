"""Country polygons: shapes by ISO code, point-in-country tests and distances.

The polygons are Natural Earth 1:10m admin-0, simplified to about 1 km with
shared borders kept shared (``shapely.coverage_simplify``). A point within
about 1 km of a border can therefore fall on the wrong side: callers test with
a tolerance in kilometres.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sahel_events.exc import UsageError
from sahel_events.geo import _data

if TYPE_CHECKING:
    import numpy as np
    import shapely

__all__ = [
    "EARTH_RADIUS_KM",
    "country_shapes",
    "distance_outside_country_km",
    "haversine_km",
    "point_in_country",
    "resolve_country",
]

#: Mean Earth radius (IUGG), the radius geopy's great_circle uses too.
EARTH_RADIUS_KM = 6371.009

#: A country's interior grid pays for itself from about this many points (building
#: one costs about 0.1 s; a prepared point-in-polygon test a few microseconds).
_GRID_MIN_POINTS = 20_000
#: The boundary index pays for itself from about this many points outside.
_INDEX_MIN_POINTS = 200
#: Territories ACLED codes under another country: their points are not "outside".
#: Western Sahara under Morocco, Hong Kong and Macau under China, and the Abyei
#: Area (an approximate box of the area the 2009 arbitration drew) under Sudan.
_CODED_WITH: dict[str, tuple[str, ...]] = {"MA": ("EH",), "CN": ("HK", "MO")}
_ABYEI_BOX = (27.75, 9.35, 29.0, 10.35)  # west, south, east, north

#: The interior grid of a country has at most about this many cells.
_GRID_CELLS = 65_536
#: and cells no smaller than this, in degrees.
_GRID_MIN_RESOLUTION = 0.02


def country_shapes() -> dict[str, shapely.Geometry]:
    """Shapely (multi)polygons of every country in the gazetteer, by ISO alpha-3.

    Kosovo, which has no ISO code, is ``XKX``. The dictionary is a fresh copy;
    the geometries are shared and immutable.

    >>> country_shapes()["MLI"].geom_type                      # doctest: +SKIP
    'Polygon'
    """
    by_alpha2 = _data.country_geometries()
    records = _data.countries().by_alpha2
    return {records[alpha2].alpha3: shape for alpha2, shape in sorted(by_alpha2.items())}


def resolve_country(country: str | int) -> _data.CountryRecord:
    """The gazetteer's country for an ISO alpha-2, alpha-3 or numeric code, or a name.

    Names are matched in English, French or Arabic, as for queries
    (``"Mali"``, ``"مالي"``, ``"Côte d'Ivoire"``), and ACLED's spellings too.

    Raises:
        UsageError: when nothing matches.
    """
    from sahel_events.geo._normalize import normalize

    table = _data.countries()
    if isinstance(country, int) and not isinstance(country, bool):
        record = table.by_numeric.get(country)
    else:
        text = str(country).strip()
        record = table.by_alpha2.get(text.upper()) or table.by_alpha3.get(text.upper())
        if record is None and text.isdigit():
            record = table.by_numeric.get(int(text))
        if record is None:
            matches = table.aliases.lookup(normalize(text))
            record = table.by_alpha2.get(matches[0][0]) if matches else None
    if record is None:
        raise UsageError(
            f"unknown country {country!r}: give an ISO alpha-2 or alpha-3 code "
            "(ML, MLI), an ISO numeric code (466) or a country name"
        )
    return record


def haversine_km(
    latitude1: Any, longitude1: Any, latitude2: Any, longitude2: Any
) -> np.ndarray | float:
    """Great-circle distance in km between points in degrees (scalars or arrays)."""
    import numpy as np

    phi1, phi2 = np.radians(latitude1), np.radians(latitude2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = np.radians(np.subtract(longitude2, longitude1)) / 2
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class _InteriorGrid:
    """Cells of a regular lon/lat grid that lie wholly inside a country."""

    west: float
    south: float
    resolution: float
    inside: np.ndarray  # bool, shape (rows, columns): row = latitude band

    def contains(self, latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
        import numpy as np

        rows, columns = self.inside.shape
        x = (longitude - self.west) / self.resolution
        y = (latitude - self.south) / self.resolution
        within = (x >= 0) & (x < columns) & (y >= 0) & (y < rows)
        # Cells by flat position; a point off the grid (or NaN) reads cell 0 and is
        # then dropped by ``within``, which is cheaper than indexing a subset.
        cell = np.where(within, y, 0).astype(np.intp) * columns + np.where(within, x, 0).astype(
            np.intp
        )
        return within & self.inside.ravel()[cell]


@cache
def _coded_geometry(alpha2: str) -> Any:
    """The country's polygon with the territories ACLED codes under it."""
    import shapely

    geometries = _data.country_geometries()
    parts = [geometries[alpha2]]
    parts += [geometries[other] for other in _CODED_WITH.get(alpha2, ()) if other in geometries]
    if alpha2 == "SD":
        parts.append(shapely.box(*_ABYEI_BOX))
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


@cache
def _prepared(alpha2: str) -> Any:
    import shapely

    geometry = _coded_geometry(alpha2)
    shapely.prepare(geometry)
    return geometry


@cache
def _interior_grid(alpha2: str) -> _InteriorGrid:
    """Precompute which grid cells a country contains entirely.

    Most points of a Sahel dataset fall in such a cell, where one array lookup
    replaces an exact point-in-polygon test.
    """
    import numpy as np
    import shapely

    geometry = _prepared(alpha2)
    west, south, east, north = geometry.bounds
    resolution = max(
        _GRID_MIN_RESOLUTION, float(np.sqrt((east - west) * (north - south) / _GRID_CELLS))
    )
    columns = max(1, int(np.ceil((east - west) / resolution)))
    rows = max(1, int(np.ceil((north - south) / resolution)))
    x0 = west + resolution * np.arange(columns)
    y0 = south + resolution * np.arange(rows)
    xmin, ymin = np.meshgrid(x0, y0)
    cells = shapely.box(xmin, ymin, xmin + resolution, ymin + resolution)
    inside = shapely.contains_properly(geometry, cells)
    return _InteriorGrid(west, south, resolution, inside.reshape(rows, columns))


#: Boundary pieces of at most this many vertices index the nearest-point search.
_BOUNDARY_PIECE = 16


@cache
def _boundary_index(alpha2: str) -> tuple[Any, np.ndarray]:
    """An STRtree over short pieces of a country's boundary, and the pieces.

    A nearest-piece query and a shortest line to that small piece cost far
    less than a shortest line to the whole (multi)polygon.
    """
    import numpy as np
    import shapely

    pieces = []
    for ring in shapely.get_parts(shapely.get_parts(_coded_geometry(alpha2).boundary)):
        coordinates = shapely.get_coordinates(ring)
        for start in range(0, len(coordinates) - 1, _BOUNDARY_PIECE - 1):
            chunk = coordinates[start : start + _BOUNDARY_PIECE]
            if len(chunk) >= 2:
                pieces.append(shapely.linestrings(chunk))
    pieces_array = np.array(pieces, dtype=object)
    return shapely.STRtree(pieces_array), pieces_array


def _nearest_boundary_points(
    alpha2: str, latitude: np.ndarray, longitude: np.ndarray
) -> np.ndarray:
    """For each point, the nearest point of the country's boundary as (lon, lat) rows."""
    import numpy as np
    import shapely

    points = shapely.points(longitude, latitude)
    if len(points) < _INDEX_MIN_POINTS:
        # A few points: the shortest line to the whole boundary costs less than an index.
        ends = shapely.get_coordinates(
            shapely.get_point(shapely.shortest_line(points, _prepared(alpha2).boundary), 1)
        )
        return ends
    tree, pieces = _boundary_index(alpha2)
    source, target = tree.query_nearest(points, all_matches=False)
    ends = shapely.get_coordinates(
        shapely.get_point(shapely.shortest_line(points[source], pieces[target]), 1)
    )
    result = np.empty((len(points), 2))
    result[source] = ends
    return result


def _as_float_array(values: Any, name: str) -> np.ndarray:
    import numpy as np

    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        # Object arrays holding None or pandas.NA: those become NaN.
        array = np.asarray(values, dtype=object)
        out = np.full(array.shape, np.nan)
        for position, value in enumerate(array.ravel()):
            try:
                out.flat[position] = float(value)
            except (TypeError, ValueError):
                continue
        if out.ndim != 1:
            raise UsageError(f"{name} must be one-dimensional") from None
        return out


def distance_outside_country_km(
    latitude: np.ndarray, longitude: np.ndarray, iso_numeric: np.ndarray
) -> np.ndarray:
    """Per point, how far outside its country it lies, in km.

    Args:
        latitude: Latitudes in degrees.
        longitude: Longitudes in degrees.
        iso_numeric: ISO 3166-1 numeric code of each point's country (ACLED's
            ``iso`` column; Kosovo is 0). Floats with NaN are accepted.

    Returns:
        A float array: 0.0 for a point inside its country's polygon, the
        great-circle distance to the nearest point of that polygon for a point
        outside it, and NaN when the coordinates are missing or out of range or
        the code has no polygon.

    Points are tested in bulk: for a country with many points, a precomputed
    grid of cells wholly inside the country accepts most of them with one array
    lookup; the rest (and every point of a country with few) go through
    ``shapely.contains_xy`` on the prepared polygon and, when outside,
    ``shapely.shortest_line``. Territories ACLED codes under a country (Western
    Sahara under Morocco, Hong Kong and Macau under China, Abyei under Sudan)
    count as inside it.
    """
    import numpy as np
    import shapely

    lat = _as_float_array(latitude, "latitude")
    lon = _as_float_array(longitude, "longitude")
    iso = _as_float_array(iso_numeric, "iso_numeric")
    if not (lat.shape == lon.shape == iso.shape) or lat.ndim != 1:
        raise UsageError(
            "latitude, longitude and iso_numeric must be one-dimensional and of equal length"
        )
    result = np.full(lat.shape, np.nan)
    # Comparisons with NaN are false, so these also rule out missing values.
    valid = (
        (np.abs(lat) <= 90)
        & (np.abs(lon) <= 180)
        & (iso >= 0)
        & (iso < 1000)
        & (iso == np.trunc(iso))
    )
    codes = np.where(valid, iso, -1).astype(np.int64)
    by_numeric = _data.countries().by_numeric
    geometries = _data.country_geometries()
    for code in np.flatnonzero(np.bincount(codes[valid], minlength=1)):
        record = by_numeric.get(int(code))
        if record is None or record.alpha2 not in geometries:
            continue
        positions = np.flatnonzero(codes == code)
        result[positions] = 0.0
        if len(positions) >= _GRID_MIN_POINTS:
            grid = _interior_grid(record.alpha2)
            positions = positions[~grid.contains(lat[positions], lon[positions])]
        # else a few points: no grid to build (cold validation of a small file stays fast).
        if len(positions):
            ulat, ulon = lat[positions], lon[positions]
            outside = ~shapely.contains_xy(_prepared(record.alpha2), ulon, ulat)
            if outside.any():
                olat, olon = ulat[outside], ulon[outside]
                ends = _nearest_boundary_points(record.alpha2, olat, olon)
                result[positions[outside]] = haversine_km(olat, olon, ends[:, 1], ends[:, 0])
    return result


def point_in_country(
    latitude: float, longitude: float, country: str | int, tolerance_km: float = 50
) -> bool:
    """Whether a point lies in a country or within ``tolerance_km`` of it.

    ``country`` is an ISO alpha-2, alpha-3 or numeric code, or a country name.
    The default tolerance absorbs the simplified borders and the usual
    imprecision of reported coordinates.

    Raises:
        ValueError: for coordinates out of range (as geopy does).
        UsageError: for an unknown country.
    """
    import numpy as np

    _check_coordinates(latitude, longitude)
    record = resolve_country(country)
    distance = distance_outside_country_km(
        np.array([latitude]), np.array([longitude]), np.array([record.iso_numeric])
    )[0]
    if np.isnan(distance):
        raise UsageError(f"no polygon for country {country!r}")
    return bool(distance <= tolerance_km)


def _check_coordinates(latitude: float, longitude: float) -> None:
    import math

    for value, name, limit in ((latitude, "latitude", 90), (longitude, "longitude", 180)):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
        if abs(value) > limit:
            raise ValueError(f"{name} must be in the [-{limit}; {limit}] range, got {value!r}")
