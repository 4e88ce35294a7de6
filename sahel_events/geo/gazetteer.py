"""The offline geocoder: a geopy ``Geocoder`` over the embedded gazetteer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from sahel_events.exc import PlaceNotFound, UsageError
from sahel_events.geo import _data
from sahel_events.geo._normalize import (
    ARABIC_PREFIXES,
    has_arabic,
    has_latin,
    normalize,
)

__all__ = [
    "FEATURE_KINDS",
    "FOCUS_COUNTRIES",
    "GEO_PRECISION",
    "MAX_QUERY_LENGTH",
    "Gazetteer",
    "geocode",
    "geocode_all",
    "nearest_place",
]

#: Countries preferred when a name is ambiguous and no hint decides.
FOCUS_COUNTRIES: tuple[str, ...] = ("ML", "NE", "BF")

#: The focus countries' neighbours: every GeoNames place of 500 people or more
#: is in the gazetteer for them too.
NEIGHBOURS: frozenset[str] = frozenset(
    {"DZ", "MR", "SN", "GN", "CI", "GH", "TG", "BJ", "NG", "TD", "LY"}
)
#: A place of this population or more, named by its main name, is not hidden by
#: an alternate name of a focus-country place.
LARGE_CITY = 100_000

#: ACLED geo_precision by feature kind: 1 for a particular town, 3 for a larger
#: area. The gazetteer never returns 2 ("near a town"): that is a coder's call.
GEO_PRECISION: dict[str, int] = {
    "populated place": 1,
    "capital": 1,
    "country": 3,
    "border area": 3,
    "region": 3,
}
FEATURE_KINDS: tuple[str, ...] = tuple(GEO_PRECISION)

#: Longest query accepted, in characters: far above any place name or border phrase.
MAX_QUERY_LENGTH = 256
#: How many alternatives an ambiguous result lists.
MAX_ALTERNATIVES = 10

#: Unicode category Cc: C0 controls, DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Invisible format characters that copy-paste from Arabic web pages carries
# (direction marks, zero-width joiners, BOM): removed, not rejected.
_INVISIBLE = {code: None for code in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF)}
_INVISIBLE.update({code: None for code in range(0x202A, 0x202F)})
_INVISIBLE.update({code: None for code in range(0x2066, 0x206A)})


@dataclass(frozen=True)
class _Candidate:
    """One gazetteer entry that a query's key names."""

    kind: str  # "place" or "country"
    index: int | str  # place row, or country alpha-2
    alias: str


def clean_query(query: Any) -> str:
    """Check a query and return it stripped of invisible formatting characters.

    Raises:
        UsageError: for a non-string, empty, over-long or control-character query.
    """
    if not isinstance(query, str):
        raise UsageError(f"a place query must be a string, not {type(query).__name__}")
    if len(query) > MAX_QUERY_LENGTH:
        raise UsageError(
            f"query is {len(query):,} characters long; the limit is {MAX_QUERY_LENGTH}"
        )
    text = query.translate(_INVISIBLE)
    control = _CONTROL.search(text)
    if control is not None:
        raise UsageError(
            f"query contains the control character U+{ord(control.group()):04X} "
            f"at position {control.start()}"
        )
    text = text.strip()
    if not text:
        raise UsageError("empty query: give a place name")
    return text


@cache
def _country_fields(alpha2: str) -> dict[str, Any]:
    from sahel_events.vocabulary import country_lookup

    record = _data.countries().by_alpha2[alpha2]
    try:
        acled_name = country_lookup(record.alpha3).name
    except LookupError:
        acled_name = record.name
    return {
        "acled_country": acled_name,
        "alpha2": record.alpha2,
        "alpha3": record.alpha3,
        "iso_numeric": record.iso_numeric,
    }


class Gazetteer(Geocoder):
    """Offline geocoder for place names in Latin and Arabic script.

    A geopy geocoder: ``geocode`` and ``reverse`` return
    :class:`geopy.location.Location` objects, and it plugs into anything that
    accepts a geopy geocoder. Nothing leaves the machine; the data ships inside
    the package and is loaded on the first query.

    >>> from sahel_events.geo import Gazetteer
    >>> location = Gazetteer().geocode("باماكو")
    >>> location.raw["name"], location.raw["geo_precision"]
    ('Bamako', 1)
    """

    def __init__(self) -> None:
        # The base class sets up an HTTP adapter, which this geocoder never uses.
        super().__init__(user_agent="sahel_events")

    # --- forward ---------------------------------------------------------------

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
    ) -> Location | list[Location] | None:
        """Find a place, country, region or border area by name.

        Args:
            query: A place name in Latin or Arabic script, a country name, or a
                border phrase (``"Mali-Niger border"``).
            exactly_one: Return the best match only (default), or every match ranked.
            country_codes: Preferred countries (ISO alpha-2, alpha-3 or names), in
                order. Unlike Nominatim's parameter this is a preference, not a
                filter: ``Paris`` with ``ML`` is still Paris, France.

        Returns:
            A Location, a ranked list of Locations, or None when nothing matches
            (geopy's convention). :func:`sahel_events.geo.geocode` raises instead.

        Raises:
            UsageError: for an empty, over-long or control-character query, or an
                unknown country code.
        """
        result = self._resolve(query, _hints(country_codes), only_best=exactly_one)
        if isinstance(result, str):
            return None
        return result[0] if exactly_one else result

    def _resolve(
        self, query: str, hints: tuple[str, ...], only_best: bool = False
    ) -> list[Location] | str:
        """Ranked Locations for a query (the best alone if ``only_best``), or the
        reason why there are none."""
        from sahel_events.geo.borders import border_area, parse_border_query

        text = clean_query(query)
        if has_arabic(text) and has_latin(text):
            return f"{text!r} mixes Latin and Arabic script; give the name in one script"
        key = normalize(text)
        if not key:
            return f"{text!r} contains no letters"
        hint = hints[0] if hints else None
        border = parse_border_query(key, hint)
        if isinstance(border, str):
            return f"{text!r}: {border}"
        if border is not None:
            countries, kind = border
            area = border_area(countries, kind)
            if isinstance(area, str):
                return f"{text!r}: {area}"
            return [self._border_location(area, text)]
        region = _region_query(key, hints)
        if region is not None and not isinstance(region, str):
            return [self._region_location(*region, text)]
        form, candidates = _candidates(key)
        if not candidates:
            if isinstance(region, str):  # a region word, but no such region
                return f"{text!r}: {region}"
            return f"no place named {text!r} in the gazetteer"
        ranked = sorted(candidates, key=lambda candidate: _rank(candidate, form, hints))
        chosen = ranked[:1] if only_best else ranked
        return [self._location(candidate, ranked) for candidate in chosen]

    def _location(self, chosen: _Candidate, ranked: list[_Candidate]) -> Location:
        alternatives = (
            [_summary(other) for other in ranked if other is not chosen][:MAX_ALTERNATIVES]
            if len(ranked) > 1
            else []
        )
        if chosen.kind == "country":
            record = _data.countries().by_alpha2[chosen.index]
            raw = {
                "name": record.name,
                **_country_fields(record.alpha2),
                "admin1": None,
                "feature_kind": "country",
                "geonames_id": None,
                "geo_precision": GEO_PRECISION["country"],
                "matched_alias": chosen.alias,
                "alternatives": alternatives,
            }
            address = raw["acled_country"]
            point = (record.latitude, record.longitude)
        else:
            places = _data.places()
            row = chosen.index
            kind = places.feature_kind[row]
            raw = {
                "name": places.name[row],
                **_country_fields(places.alpha2[row]),
                "admin1": places.admin1[row],
                "feature_kind": kind,
                "geonames_id": places.geonames_id[row],
                "geo_precision": GEO_PRECISION[kind],
                "matched_alias": chosen.alias,
                "alternatives": alternatives,
            }
            parts = [raw["name"], raw["admin1"], raw["acled_country"]]
            address = ", ".join(part for part in parts if part)
            point = (places.latitude[row], places.longitude[row])
        return Location(address, Point(*point), raw)

    def _border_location(self, area: Any, text: str) -> Location:
        first = _data.countries().by_alpha2[area.countries[0]]
        raw = {
            "name": text,
            **_country_fields(first.alpha2),
            "admin1": None,
            "feature_kind": area.feature_kind,
            "geonames_id": None,
            "geo_precision": GEO_PRECISION[area.feature_kind],
            "matched_alias": text,
            "alternatives": [],
            "countries": list(area.countries),
            "geometry_wkt": area.geometry_wkt,
        }
        names = "-".join(_country_fields(code)["acled_country"] for code in area.countries)
        label = "border area" if area.feature_kind == "border area" else "region"
        return Location(f"{names} {label}", Point(area.latitude, area.longitude), raw)

    def _region_location(self, unit: Any, row: int, text: str) -> Location:
        places = _data.places()
        raw = {
            "name": unit.name,
            **_country_fields(unit.country),
            "admin1": unit.name,
            "feature_kind": "region",
            "geonames_id": None,
            "geo_precision": GEO_PRECISION["region"],
            "matched_alias": text,
            "alternatives": [],
        }
        address = f"{unit.name} region, {raw['acled_country']}"
        return Location(address, Point(places.latitude[row], places.longitude[row]), raw)

    # --- reverse ---------------------------------------------------------------

    def reverse(
        self, query: Any, *, exactly_one: bool = True, country: str | None = None
    ) -> Location | list[Location] | None:
        """The country, admin1 and nearest place of a point.

        Args:
            query: ``(latitude, longitude)``, a ``"lat, lon"`` string or a
                :class:`geopy.point.Point`.
            exactly_one: geopy's parameter; the answer is always one place.
            country: Look for the nearest place of this country (a code or name)
                instead of the country the point lies in: a border-area point
                coded for Mali takes a Malian place's admin1.

        Returns:
            A Location at the nearest gazetteer place, whose ``raw`` holds the same
            keys as :meth:`geocode` for that place plus ``distance_km`` (from the
            query point) and ``in_country`` (the alpha-2 of the polygon containing
            the point, or None at sea). At sea, with no country given, the nearest
            place of any country answers.

        Raises:
            ValueError: for coordinates out of range, as geopy does.
            UsageError: for an unknown ``country``.
        """
        import numpy as np

        from sahel_events.geo.shapes import _check_coordinates, haversine_km

        latitude, longitude = _coordinates(query)
        _check_coordinates(latitude, longitude)
        in_country = _country_at(latitude, longitude)
        wanted = _hints(country)[0] if country is not None else in_country
        places = _data.places()
        lat, lon = _data.place_coordinates()
        distance = haversine_km(latitude, longitude, lat, lon)
        if wanted is not None:
            # Prefer a place of the wanted country, even if a foreign town across
            # the border is a little nearer.
            rows = _country_rows(wanted)
            if rows.any():
                distance = np.where(rows, distance, np.inf)
        row = int(np.argmin(distance))
        location = self._location(_Candidate("place", row, places.name[row]), [])
        location.raw["distance_km"] = round(float(distance[row]), 3)
        location.raw["in_country"] = in_country
        return location if exactly_one else [location]


@cache
def _country_rows(alpha2: str) -> Any:
    """A boolean mask of the places of one country."""
    import numpy as np

    return np.array(_data.places().alpha2, dtype=object) == alpha2


def nearest_place(latitude: float, longitude: float, country: str | None = None) -> Location:
    """The gazetteer place nearest to a point, optionally among one country's places.

    ``raw`` has the keys of :func:`geocode` plus ``distance_km`` and
    ``in_country``; ``raw["admin1"]`` is the admin1 to code for a point that has
    none of its own (a border area), as an ACLED coder takes the nearest town's.

    Raises:
        ValueError: for coordinates out of range.
        UsageError: for an unknown country.
    """
    return _default_gazetteer().reverse((latitude, longitude), country=country)


def _coordinates(query: Any) -> tuple[float, float]:
    if isinstance(query, Point):
        return query.latitude, query.longitude
    if isinstance(query, str):
        parts = query.replace(";", ",").split(",")
        if len(parts) != 2:
            raise ValueError(f"expected 'latitude, longitude', got {query!r}")
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            raise ValueError(f"expected 'latitude, longitude', got {query!r}") from None
    try:
        latitude, longitude = query
        return float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValueError(f"expected (latitude, longitude), got {query!r}") from None


def _country_at(latitude: float, longitude: float) -> str | None:
    import shapely

    tree, codes = _country_tree()
    hits = tree.query(shapely.Point(longitude, latitude), predicate="intersects")
    if len(hits):
        return codes[int(min(hits))]
    return None


@cache
def _country_tree() -> tuple[Any, list[str]]:
    import shapely

    shapes = _data.country_geometries()
    codes = sorted(shapes)
    return shapely.STRtree([shapes[code] for code in codes]), codes


def _hints(country_codes: str | Iterable[str] | None) -> tuple[str, ...]:
    from sahel_events.geo.shapes import resolve_country

    if country_codes is None:
        return ()
    if isinstance(country_codes, (str, int)):
        country_codes = [country_codes]
    return tuple(resolve_country(code).alpha2 for code in country_codes)


def _candidates(key: str) -> tuple[str, list[_Candidate]]:
    """The key form that matched and the gazetteer entries it names, trying the
    key as written, then without Arabic proclitics and article."""
    for form in _key_forms(key):
        found = [
            _Candidate("country", alpha2, alias)
            for alpha2, alias in _data.countries().aliases.lookup(form)
        ]
        found += [
            _Candidate("place", row, alias) for row, alias in _data.places().aliases.lookup(form)
        ]
        if found:
            # One entry per target: the first alias found names it.
            unique: dict[tuple[str, Any], _Candidate] = {}
            for candidate in found:
                unique.setdefault((candidate.kind, candidate.index), candidate)
            return form, list(unique.values())
    return key, []


def _key_forms(key: str) -> list[str]:
    """The key, then (for Arabic) the key without a proclitic and/or the article."""
    forms = [key]
    if not has_arabic(key[:1]):
        return forms
    first, _, rest = key.partition(" ")
    words = []
    if first[:1] in ARABIC_PREFIXES and len(first) > 3:
        words.append(first[1:])
    for word in [first, *words]:
        if word.startswith("ال") and len(word) > 3:
            words.append(word[2:])
        elif word.startswith("لل") and len(word) > 3:
            words.append("ا" + word[1:])
    for word in words:
        forms.append(f"{word} {rest}".strip())
    return list(dict.fromkeys(forms))


#: Words that make a query about an admin1 region ("région de Gao", "منطقة غاو").
_REGION_WORDS = frozenset({"region", "regions", "منطقه", "ولايه", "اقليم", "جهه"})
#: Articles and prepositions around a region name, dropped.
_REGION_FILLERS = frozenset({"de", "du", "des", "la", "le", "of", "the", "d"})


def _region_query(key: str, hints: tuple[str, ...]) -> tuple[Any, int] | str | None:
    """Recognise "<name> region" / "région de <name>" / "منطقة <name>".

    Returns ``(admin1 unit, place row standing for it)``, None when the key is
    not a region query, or a message when it is one that cannot be placed. Only
    the admin1 reference of Mali, Niger and Burkina Faso is known.
    """
    words = key.split(" ")
    if len(words) < 2 or not any(word in _REGION_WORDS for word in words):
        return None
    rest = [word for word in words if word not in _REGION_WORDS and word not in _REGION_FILLERS]
    # French elision: "région d'Agadez" arrives as "region dagadez".
    names = [" ".join(rest)]
    if len(rest) == 1 and rest[0].startswith("d") and len(rest[0]) > 3:
        names.append(rest[0][1:])
    units = _admin1_by_key()
    order = [*hints, *(code for code in FOCUS_COUNTRIES if code not in hints)]
    for name in names:
        # The name may be written in another script or form: resolve it as a
        # place first, and use that place's main name.
        _, candidates = _candidates(name)
        keys = [name] + [_main_key(c.index) for c in candidates if c.kind == "place"]
        for country in order:
            for candidate_key in keys:
                unit = units.get((country, candidate_key))
                if unit is not None:
                    row = _region_point(country, candidate_key)
                    if row is None:
                        return f"no place of the gazetteer stands for the {unit.name} region"
                    return unit, row
    return f"no admin1 region named {' '.join(rest)!r} in Mali, Niger or Burkina Faso"


@cache
def _admin1_by_key() -> dict[tuple[str, str], Any]:
    """Admin1 units by (country, normalised name), of every period."""
    from sahel_events.geo.admin1 import admin1_units

    units: dict[tuple[str, str], Any] = {}
    for unit in admin1_units():
        units.setdefault((unit.country, normalize(unit.name)), unit)
    return units


@lru_cache(maxsize=256)
def _region_point(country: str, unit_key: str) -> int | None:
    """The place standing for a region: its namesake town (the regional capital
    in Mali and Niger), else the largest place GeoNames puts in it."""
    places = _data.places()
    best: tuple[int, int] | None = None
    for row in range(len(places)):
        if places.alpha2[row] != country:
            continue
        if _main_key(row) == unit_key:
            rank = (2, places.population[row])
        elif places.admin1[row] and normalize(places.admin1[row]) == unit_key:
            rank = (1, places.population[row])
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, row)
    return None if best is None else best[1]


@lru_cache(maxsize=16_384)
def _main_key(row: int) -> str:
    """The lookup key of a place's main name (cached: it depends on the data only)."""
    return normalize(_data.places().name[row])


def _rank(candidate: _Candidate, form: str, hints: tuple[str, ...]) -> tuple:
    """Sort key of a candidate; see docs/geocoding.md, "Ranking".

    Countries come first, then the hinted countries. Then four tiers:

    0. a focus-country place named so (its main name);
    1. a place named so in a neighbouring country, or a city of 100,000 or more;
    2. a focus-country place that has this as an alternate name;
    3. any other place named so;
    4. any other place that has this as an alternate name;

    and within a tier, larger population first. Tier 1 keeps an alternate
    spelling of a Malian village from hiding Touba (Senegal) or Kindia (Guinea).
    """
    if candidate.kind == "country":
        alpha2 = candidate.index
        return (0, _hint_order(alpha2, hints), 0, 0, 0)
    places = _data.places()
    row = candidate.index
    alpha2 = places.alpha2[row]
    population = places.population[row]
    main_name = _main_key(row) == form
    if alpha2 in FOCUS_COUNTRIES:
        tier = 0 if main_name else 2
    elif main_name:
        tier = 1 if alpha2 in NEIGHBOURS or population >= LARGE_CITY else 3
    else:
        tier = 4
    return (1, _hint_order(alpha2, hints), tier, -population, places.geonames_id[row])


def _hint_order(alpha2: str, hints: tuple[str, ...]) -> int:
    return hints.index(alpha2) if alpha2 in hints else len(hints)


def _summary(candidate: _Candidate) -> dict[str, Any]:
    if candidate.kind == "country":
        record = _data.countries().by_alpha2[candidate.index]
        return {
            "name": record.name,
            "alpha2": record.alpha2,
            "latitude": record.latitude,
            "longitude": record.longitude,
            "population": None,
        }
    places = _data.places()
    row = candidate.index
    return {
        "name": places.name[row],
        "alpha2": places.alpha2[row],
        "latitude": places.latitude[row],
        "longitude": places.longitude[row],
        "population": places.population[row],
    }


@cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer()


def geocode(query: str, country: str | None = None) -> Location:
    """Geocode one place name offline; the one-call shortcut.

    >>> import sahel_events
    >>> sahel_events.geocode("Gao").raw["acled_country"]
    'Mali'
    >>> sahel_events.geocode("Gao", country="BF").raw["acled_country"]
    'Burkina Faso'

    Args:
        query: A place, country or border-area name, in Latin or Arabic script.
        country: A country hint (ISO alpha-2, alpha-3 or a name) that decides
            between places of the same name.

    Raises:
        PlaceNotFound: when nothing matches (exit code 1 on the command line).
        UsageError: for an empty, over-long or control-character query, or an
            unknown country (exit code 2).
    """
    hints = _hints(country)
    result = _default_gazetteer()._resolve(query, hints, only_best=True)
    if isinstance(result, str):
        raise PlaceNotFound(result)
    return result[0]


def geocode_all(query: str, country: str | Iterable[str] | None = None) -> list[Location]:
    """Every match of a query, best first (the ranking of :func:`geocode`).

    Args:
        query: As for :func:`geocode`.
        country: One country hint, or several in order of preference.

    Raises:
        PlaceNotFound: when nothing matches.
        UsageError: as :func:`geocode`.
    """
    result = _default_gazetteer()._resolve(query, _hints(country))
    if isinstance(result, str):
        raise PlaceNotFound(result)
    return result
