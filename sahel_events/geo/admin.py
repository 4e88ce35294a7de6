"""The admin units a point lies in: from polygons where they exist, else the nearest seat.

Natural Earth's admin-1 polygons (shipped in ``data/admin_shapes.txt.gz``) are
Mali's and Niger's regions as they were before Mali's 2016 and 2023 reforms,
and Burkina Faso's 45 provinces. So:

* Niger: admin1 from the polygon; admin2 from the nearest seat of the
  départements in force (36 before 8 August 2011, 63 since).
* Burkina Faso: admin2 (province) from the polygon, admin1 the region of that
  province on the day asked for (2001 regions before 2 July 2025, 2025 after).
* Mali: before 2016, admin1 from the polygon; from 2016 to 2023 the polygons
  no longer fit (Ménaka and Taoudénit), so admin1 is the unit whose seat is
  nearest among the units in force; from 2024 admin1 is the region of the
  point's cercle (``nearest admin2 seat``), and a point in Bamako's polygon is
  in the district, which has no cercles (admin2 None); admin2 (cercle) from
  the nearest seat of the cercles in force (``data/admin2.csv``: the 49 until
  2024, the 159 of the 2023 reform from then on), at the coordinates the
  table gives (``scripts/locate_cercle_seats.py`` placed each seat within its
  old region; a cercle whose seat it could not place is left out).

Each answer says which method gave it (``admin1_method``, ``admin2_method``:
``polygon``, ``nearest seat`` (the seats of ``data/admin2.csv`` in force that
day), ``nearest admin2 seat`` (the region of the nearest cercle), or
``nearest unit point`` where the gazetteer knows none of them).
"""

from __future__ import annotations

import datetime
import re
from functools import cache, lru_cache
from typing import Any

from sahel_events.geo import _data
from sahel_events.geo._normalize import normalize

__all__ = ["FOCUS_COUNTRIES", "admin_units_at", "bare_unit_name", "seat_row"]

#: The countries with an admin reference table.
FOCUS_COUNTRIES: tuple[str, ...] = ("ML", "NE", "BF")
#: Mali's polygons describe its regions before Ménaka and Taoudénit (2016).
_ML_POLYGONS_UNTIL = "2016"
#: Mali's 159 cercles of the 2023 reform, in all 19 regions, from 2024.
_ML_CERCLES_FROM = "2024"

_UNIT_WORDS = re.compile(
    r"^(?:(?:Cercle|Province|Région|Region|Département|Departement|Commune)\s+"
    r"(?:de\s+la\s+|du\s+|de\s+l'|des\s+|de\s+|d')?)|"
    r"\s+(?:Cercle|Province|Region|Department|Département)$"
)


def bare_unit_name(name: str) -> str:
    """``Bankass Cercle`` -> ``Bankass``; ``Province du Soum`` -> ``Soum``."""
    return _UNIT_WORDS.sub("", name).strip() or name


def _today() -> str:
    return datetime.date.today().isoformat()


@lru_cache(maxsize=1024)
def seat_row(country: str, name: str, source: str = "geonames") -> int | None:
    """The row (in ``source``'s places) of a unit's seat: the populated place of
    that name in the country, the most populous if several."""
    places = _data.places(source)
    best: tuple[tuple[int, int], int] | None = None
    for row, _ in places.aliases.lookup(normalize(name)):
        if places.alpha2[row] != country:
            continue
        kind = places.feature_kind[row]
        if kind not in {"capital", "town", "village"}:
            continue
        rank = (0 if kind == "village" else 1, places.population[row])
        if best is None or rank > best[0]:
            best = (rank, row)
    return None if best is None else best[1]


@lru_cache(maxsize=2048)
def seat_point(country: str, level: str, unit: Any) -> tuple[tuple[float, float] | None, str]:
    """A unit's seat point and where it comes from (``geonames:ID``, ``osm:ID``).

    An admin2 unit placed by its table (Mali's cercles, ``table_seat_point``) is
    there; a Malian cercle the table could not place gets no point, for no namesake
    elsewhere in the country stands in for it. Other units (regions, Burkina Faso's
    provinces, Niger's départements) are at the gazetteer's populated place of the
    seat's name: GeoNames', else OpenStreetMap's (Banibangou and Tesker, seats of
    2011, are only in OSM).
    """
    if level == "admin2":
        point = table_seat_point(unit)
        if point is not None:
            return point, unit.seat_source
        if country in _LOCATED_SEAT_COUNTRIES:
            return None, ""
    for source in _data.SOURCES:
        row = seat_row(country, unit.seat or unit.name, source)
        if row is not None:
            places = _data.places(source)
            return (places.latitude[row], places.longitude[row]), f"{source}:{places.ids[row]}"
    return None, ""


@cache
def _shape_index() -> tuple[Any, list[dict[str, Any]]]:
    import shapely

    shapes = _data.admin_shapes()
    return shapely.STRtree([shape["geometry"] for shape in shapes]), shapes


def _polygon_at(latitude: float, longitude: float, country: str) -> dict[str, Any] | None:
    import shapely

    tree, shapes = _shape_index()
    for hit in sorted(tree.query(shapely.Point(longitude, latitude), predicate="intersects")):
        if shapes[int(hit)]["alpha2"] == country:
            return shapes[int(hit)]
    return None


def _nearest(
    latitude: float, longitude: float, seats: list[tuple[str, float, float]]
) -> str | None:
    from sahel_events.geo.shapes import haversine_km

    best: tuple[float, str] | None = None
    for name, lat, lon in seats:
        distance = float(haversine_km(latitude, longitude, lat, lon))
        if best is None or (distance, name) < best:
            best = (distance, name)
    return None if best is None else best[1]


@lru_cache(maxsize=64)
def _admin1_seats(country: str, on: str) -> list[tuple[str, float, float]]:
    from sahel_events.geo.admin1 import admin1_units

    seats = []
    for unit in admin1_units(country, on=on):
        point, _ = seat_point(country, "admin1", unit)
        if point is not None:
            seats.append((unit.name, *point))
    return seats


#: Countries whose admin2 seats ``scripts/locate_cercle_seats.py`` placed: a unit
#: the table gives no place for is one whose seat could not be placed, and no
#: namesake elsewhere in the country stands in for it.
_LOCATED_SEAT_COUNTRIES = frozenset({"ML"})


def table_seat_point(unit: Any) -> tuple[float, float] | None:
    """Where an admin2 unit's seat is by the table: its GeoNames coordinates, or
    the OpenStreetMap place its ``seat_source`` names (``osm:ID``); None when the
    table gives neither."""
    if unit.seat_latitude is not None and unit.seat_longitude is not None:
        return unit.seat_latitude, unit.seat_longitude
    source, _, ident = unit.seat_source.partition(":")
    if source != "osm" or not ident.isdigit():
        return None
    return _osm_point(int(ident))


@lru_cache(maxsize=256)
def _osm_point(node_id: int) -> tuple[float, float] | None:
    places = _data.places("osm")
    for row, ident in enumerate(places.ids):
        if ident == node_id:
            return places.latitude[row], places.longitude[row]
    return None


@lru_cache(maxsize=64)
def _admin2_seats(country: str, on: str) -> list[tuple[str, float, float]]:
    """The seats of the admin2 units in force (``data/admin2.csv``): where the
    table places them, else (Niger, Burkina Faso) the gazetteer's place of the
    seat's name."""
    from sahel_events.geo.admin1 import admin2_units

    seats = []
    for unit in admin2_units(country, on=on):
        point, _ = seat_point(country, "admin2", unit)
        if point is not None:
            seats.append((unit.name, *point))
    return seats


@lru_cache(maxsize=8)
def _admin2_points(country: str) -> list[tuple[str, float, float]]:
    """GeoNames' admin2 features of a country, where no seat is known."""
    places = _data.places()
    return [
        (bare_unit_name(places.name[row]), places.latitude[row], places.longitude[row])
        for row in range(len(places))
        if places.alpha2[row] == country and places.feature_kind[row] == "admin2"
    ]


def admin_units_at(
    latitude: float, longitude: float, country: str | None, on: str | None = None
) -> dict[str, Any] | None:
    """``admin1``, ``admin2`` and how each was found, for a point of Mali, Niger or
    Burkina Faso (None for other countries: the nearest place's admin1 stands)."""
    from sahel_events.geo.admin1 import admin2_units, checked_day

    if country not in FOCUS_COUNTRIES:
        return None
    day = checked_day(on) or _today()
    admin1 = admin2 = None
    method1 = method2 = "nearest seat"
    polygon = _polygon_at(latitude, longitude, country)
    if country == "BF" and polygon is not None:
        province = normalize(polygon["name"])
        for unit in admin2_units("BF", on=day):
            if normalize(unit.name) == province:
                admin2, admin1 = unit.name, unit.admin1
                method1 = method2 = "polygon"
    elif (country == "NE" and polygon is not None) or (
        country == "ML" and polygon is not None and day < _ML_POLYGONS_UNTIL
    ):
        admin1, method1 = polygon["name"], "polygon"
    if country == "ML" and day >= _ML_CERCLES_FROM and admin1 is None:
        if polygon is not None and polygon["name"] == "Bamako":
            # The district has no cercles; its polygon has not changed.
            return {
                "admin1": "Bamako",
                "admin1_method": "polygon",
                "admin2": None,
                "admin2_method": "polygon",
            }
        # From 2024 every region has cercles, and 159 cercle seats say more
        # about a point's region than 20 region seats: the region is the
        # nearest cercle's, so that the two never contradict each other.
        admin2 = _nearest(latitude, longitude, _admin2_seats(country, day))
        regions = {unit.name: unit.admin1 for unit in admin2_units(country, on=day)}
        admin1, method1 = regions.get(admin2 or ""), "nearest admin2 seat"
    if admin1 is None:
        admin1 = _nearest(latitude, longitude, _admin1_seats(country, day))
    if admin2 is None:
        seats = _admin2_seats(country, day)
        if not seats:
            seats, method2 = _admin2_points(country), "nearest unit point"
        admin2 = _nearest(latitude, longitude, seats)
    return {
        "admin1": admin1,
        "admin1_method": method1,
        "admin2": admin2,
        "admin2_method": method2,
    }
