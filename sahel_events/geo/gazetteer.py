"""The offline geocoder: a geopy ``Geocoder`` over the embedded gazetteer.

A query is resolved in tiers, each tried only when the one before found
nothing: the name as written (``exact`` for a place's main name, ``alternate
name`` for another of its names), then, only within a country hint or a
``region``, a spelling ``variant`` (Boulkessi/Boulikessi), an Arabic-Latin
``transliteration`` (consonant skeletons: ``ميناكا`` finds Ménaka) and a
``fuzzy`` match (rapidfuzz). Every answer says which tier answered and with
what score, so that a batch user can set a threshold.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from os import PathLike
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from sahel_events.exc import GazetteerQueryError, PlaceNotFound, UsageError
from sahel_events.geo import _data
from sahel_events.geo._normalize import (
    has_arabic,
    has_latin,
    normalize,
    shape,
    skeleton,
    variant_key,
)
from sahel_events.geo.admin1 import checked_day

__all__ = [
    "FEATURE_KINDS",
    "GEO_PRECISION",
    "MATCH_KINDS",
    "MAX_QUERY_LENGTH",
    "REGIONS",
    "Gazetteer",
    "geocode",
    "geocode_all",
    "nearest_place",
]

#: ACLED geo_precision by feature kind: 1 for a particular town, village or
#: spot; 2 for a small admin unit or a small natural feature (or "near" a
#: place); 3 for a region, a large area or a border area.
GEO_PRECISION: dict[str, int] = {
    "capital": 1,
    "town": 1,
    "village": 1,
    "abandoned place": 1,
    "camp": 1,
    "airport": 1,
    "site": 1,
    "ruin": 1,
    "well": 1,
    "admin3": 2,
    "admin2": 2,
    "relief": 2,
    "water feature": 2,
    "wadi/lake": 2,
    "admin1": 3,
    "area": 3,
    "region": 3,
    "country": 3,
    "border area": 3,
}
FEATURE_KINDS: tuple[str, ...] = tuple(GEO_PRECISION)
#: Populated places rank before admin units, admin units before the rest.
_KIND_RANK: dict[str, int] = {
    **dict.fromkeys(("capital", "town", "village"), 0),
    **dict.fromkeys(("admin3", "admin2", "admin1"), 1),
    "abandoned place": 2,
}
_POPULATED = frozenset({"capital", "town", "village", "abandoned place"})
#: Match kinds, best first, and the score (0-100) of the exact tiers.
MATCH_KINDS: tuple[str, ...] = ("exact", "alternate name", "variant", "transliteration", "fuzzy")
_MATCH_RANK = {kind: rank for rank, kind in enumerate(MATCH_KINDS)}
#: Least rapidfuzz score of a fuzzy match, and of a transliteration match's
#: vowel shapes (see ``_normalize.shape``).
FUZZY_CUTOFF = 86.0
TRANSLITERATION_CUTOFF = 60.0
#: Another place of the same name this far away makes an answer ambiguous.
AMBIGUOUS_KM = 50.0
#: How many of the next-ranked candidates an answer is compared with for ambiguity.
MAX_COMPARED = 50
#: The most a place named like a unit scores when it answers for a unit whose
#: seat the admin table could not place (``cercle de Ména``).
UNPLACED_SEAT_SCORE = 50.0
#: ``raw["source"]`` of a unit answered from ``data/admin1.csv``/``admin2.csv``
#: (``raw["seat_source"]`` says where its seat point comes from).
UNIT_TABLE_SOURCE = "admin table"
#: Answers kept per geocoder, so that a batch naming the same village in a
#: thousand rows resolves it once.
RESULT_CACHE_SIZE = 8_192

#: Named working regions for ``Gazetteer(region=...)``.
REGIONS: dict[str, tuple[str, ...]] = {
    "sahel": ("ML", "NE", "BF"),
    "central sahel": ("ML", "NE", "BF"),
    "west africa": ("ML", "NE", "BF", "MR", "SN", "GN", "CI", "GH", "TG", "BJ", "NG", "GM"),
}

#: Longest query accepted, in characters: far above any place name or border phrase.
MAX_QUERY_LENGTH = 256
#: How many alternatives an answer lists.
MAX_ALTERNATIVES = 10

#: Unicode category Cc: C0 controls, DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Invisible format characters that copy-paste from Arabic web pages carries
# (direction marks, zero-width joiners, BOM): removed, not rejected.
_INVISIBLE = {code: None for code in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF)}
_INVISIBLE.update({code: None for code in range(0x202A, 0x202F)})
_INVISIBLE.update({code: None for code in range(0x2066, 0x206A)})


class _OfflineAdapter(BaseSyncAdapter):
    """geopy's HTTP adapter for a geocoder that never connects: any request is an error."""

    def __init__(self, *, proxies: Any = None, ssl_context: Any = None) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)

    def get_json(self, url: str, *, timeout: Any, headers: Any) -> Any:
        raise GeocoderServiceError(f"the offline gazetteer does not connect to {url}")

    def get_text(self, url: str, *, timeout: Any, headers: Any) -> str:
        raise GeocoderServiceError(f"the offline gazetteer does not connect to {url}")


@dataclass(frozen=True)
class _Candidate:
    """One gazetteer entry that a query names, and how."""

    kind: str  # "place" or "country"
    index: int | str  # place row, or country alpha-2
    alias: str
    table: _data.Places | None = None
    match: str = "exact"
    score: float = 100.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km for one pair (math, not numpy: one pair is
    faster without arrays)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def clean_query(query: Any) -> str:
    """Check a query and return it stripped of invisible formatting characters.

    Raises:
        GazetteerQueryError: for a non-string, empty, over-long or
            control-character query (a :class:`UsageError` and a geopy
            ``GeopyError``).
    """
    if not isinstance(query, str):
        raise GazetteerQueryError(f"a place query must be a string, not {type(query).__name__}")
    if len(query) > MAX_QUERY_LENGTH:
        raise GazetteerQueryError(
            f"query is {len(query):,} characters long; the limit is {MAX_QUERY_LENGTH}"
        )
    text = query.translate(_INVISIBLE)
    control = _CONTROL.search(text)
    if control is not None:
        raise GazetteerQueryError(
            f"query contains the control character U+{ord(control.group()):04X} "
            f"at position {control.start()}"
        )
    text = text.strip()
    if not text:
        raise GazetteerQueryError("empty query: give a place name")
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
    :class:`geopy.location.Location` objects, accept geopy's ``timeout``
    (ignored: nothing leaves the machine) and work under geopy's
    ``RateLimiter`` and ``geopandas.tools.geocode``. The data ships inside the
    package and is loaded on the first query.

    Args:
        sources: The shipped place sources to use, in order: ``"geonames"``
            (CC BY 4.0) and ``"osm"`` (OpenStreetMap, ODbL; used only where
            GeoNames has no entry).
        extra_places: A CSV or YAML file of your own places
            (:func:`sahel_events.geo.read_places`); they win over the shipped
            data and answer with ``source: user``.
        region: Where you work, as a name of :data:`REGIONS` (``"sahel"``) or
            country codes: places there outrank same-name places elsewhere.
            Without it (or ``bias``) no country is preferred.
        bias: A bounding box ``((south, west), (north, east))`` whose places
            outrank the others, or country codes (as ``region``).

    >>> from sahel_events.geo import Gazetteer
    >>> location = Gazetteer().geocode("باماكو")
    >>> location.raw["name"], location.raw["geo_precision"], location.raw["match"]
    ('Bamako', 1, 'alternate name')
    """

    def __init__(
        self,
        *,
        sources: Sequence[str] = _data.SOURCES,
        extra_places: str | PathLike[str] | None = None,
        region: str | Iterable[str] | None = None,
        bias: Any = None,
    ) -> None:
        # The base class sets up an HTTP adapter, which this geocoder never uses:
        # one that refuses to connect costs nothing (requests' would load the
        # system's certificates, 50 ms).
        super().__init__(user_agent="sahel_events", adapter_factory=_OfflineAdapter)
        unknown = [source for source in sources if source not in _data.SOURCES]
        if unknown:
            raise UsageError(
                f"unknown gazetteer source {unknown[0]!r}; the sources are "
                + ", ".join(_data.SOURCES)
            )
        self.sources = tuple(sources)
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.user_places: _data.Places | None = None
        if extra_places is not None:
            from sahel_events.geo.places import read_places

            self.user_places = read_places(extra_places)
        self.region = _region_codes(region)
        self.box: tuple[float, float, float, float] | None = None
        if bias is not None:
            box = _bounding_box(bias)
            if box is None:
                self.region = (*self.region, *_region_codes(bias))
            else:
                self.box = box

    # --- forward ---------------------------------------------------------------

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        country_codes: str | Iterable[str] | None = None,
        on: str | None = None,
    ) -> Location | list[Location] | None:
        """Find a place, admin unit, natural feature, country or border area by name.

        Args:
            query: A place name in Latin or Arabic script, with the grammar of
                docs/geocoding.md (``near Gao``, ``cercle de Bankass``,
                ``Ménaka, Mali``, ``قرب ميناكا``), a country name, or a border
                phrase (``Mali-Niger border``).
            exactly_one: Return the best match only (default), or every match ranked.
            timeout: geopy's parameter, accepted and ignored (offline).
            country_codes: Countries (ISO alpha-2, alpha-3, numeric or names),
                **binding** as in Nominatim: a place outside them is never
                returned. Their order ranks the answers.
            on: An ISO date: a query naming an admin unit (``cercle de
                Sokoura``) answers with the units in force that day (default
                today's; a former name answers with the unit that replaced it).

        Returns:
            A Location, a ranked list of Locations, or None when nothing matches
            (geopy's convention). :func:`sahel_events.geo.geocode` raises instead.

        Raises:
            GazetteerQueryError: for an empty, over-long or control-character
                query, or an unknown country code (a ``UsageError`` and a
                ``geopy.exc.GeopyError``).
        """
        del timeout  # nothing to wait for
        result = self._resolve(query, _hints(country_codes), only_best=exactly_one, on=on)
        if isinstance(result, str):
            return None
        return result[0] if exactly_one else result

    def find(
        self, query: str, country: str | Iterable[str] | None = None, on: str | None = None
    ) -> Location:
        """The best match, or :class:`~sahel_events.exc.PlaceNotFound` with the reason."""
        result = self._resolve(query, _hints(country), only_best=True, on=on)
        if isinstance(result, str):
            raise PlaceNotFound(result)
        return result[0]

    def user_place(self, name: str, country: str | None = None) -> Location | None:
        """One of your ``extra_places`` by name (any of its names), or None."""
        if self.user_places is None:
            return None
        key = normalize(clean_query(name))
        hints = _hints(country)
        for row, alias in self.user_places.aliases.lookup(key):
            if not hints or self.user_places.alpha2[row] in hints:
                candidate = _Candidate("place", row, alias, self.user_places)
                return self._location(candidate, [candidate], (), False)
        return None

    def _resolve(
        self, query: str, hints: tuple[str, ...], only_best: bool = False, on: str | None = None
    ) -> list[Location] | str:
        """Ranked Locations for a query (the best alone if ``only_best``), or the
        reason why there are none; answers are kept (:data:`RESULT_CACHE_SIZE`)
        and handed out as fresh Location objects, so a caller may change one."""
        on = checked_day(on)
        key = (query, hints, only_best, on)
        cached = self._cache.get(key) if isinstance(query, str) else None
        if cached is None:
            result = self._resolve_uncached(query, hints, only_best, on)
            cached = (
                result
                if isinstance(result, str)
                else [(location.address, location.point, location.raw) for location in result]
            )
            self._cache[key] = cached
            if len(self._cache) > RESULT_CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        if isinstance(cached, str):
            return cached
        return [Location(address, point, _copy_raw(raw)) for address, point, raw in cached]

    def _resolve_uncached(
        self, query: str, hints: tuple[str, ...], only_best: bool = False, on: str | None = None
    ) -> list[Location] | str:
        from sahel_events.geo._query import NATURAL_KINDS, parse
        from sahel_events.geo._units import unit_levels
        from sahel_events.geo.borders import border_area, parse_border_query

        text = clean_query(query)
        if has_arabic(text) and has_latin(text):
            return f"{text!r} mixes Latin and Arabic script; give the name in one script"
        key = normalize(text)
        if not key:
            return f"{text!r} contains no letters"
        parsed = parse(text, _is_country)
        if parsed.country is not None:
            named = _hints(parsed.country)
            if hints and named[0] not in hints:
                return f"{text!r} names {parsed.country}, outside the country hint"
            hints = hints or named
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
        name_key = normalize(parsed.name)
        if not name_key:
            return f"{text!r} contains no place name"
        unplaced: list[Any] = []
        if unit_levels(parsed.kinds):
            # A unit the admin tables know answers at its seat (see _units.py).
            units = self._unit_query(name_key, parsed, hints, on, only_best)
            if units and isinstance(units[0], Location):
                return units
            unplaced = units
        ranked = []
        if parsed.kinds is NATURAL_KINDS:
            # The feature's own name first ("Lac Débo" is the lake's main name).
            ranked = self._candidates(key, hints, NATURAL_KINDS)
        ranked = ranked or self._candidates(name_key, hints, parsed.kinds)
        if not ranked and parsed.kinds is NATURAL_KINDS:
            # "Mare Sapengou" may be a village: the words as written, any kind.
            ranked = self._candidates(key, hints, None)
        stands_for = None
        if not ranked and parsed.kinds is not None and "admin1" in parsed.kinds:
            # "Timbuktu region": the region of the town named so (in the admin
            # tables' countries, the region the point lies in that day).
            towns = self._candidates(name_key, hints, _POPULATED)
            if towns and towns[0].table is not None:
                from sahel_events.geo._query import ParsedQuery
                from sahel_events.geo.admin import admin_units_at

                table, row = towns[0].table, int(towns[0].index)
                country = (table.alpha2[row],)
                point_units = admin_units_at(*_point(towns[0]), country[0], on=on)
                town_admin1 = point_units["admin1"] if point_units else table.admin1[row]
                if town_admin1:
                    region_query = ParsedQuery(town_admin1, parsed.near, frozenset({"admin1"}))
                    found = self._unit_query(
                        normalize(town_admin1), region_query, country, on, only_best
                    )
                    if found and isinstance(found[0], Location):
                        return found
                    ranked = self._candidates(normalize(town_admin1), country, parsed.kinds)
        if not ranked and parsed.kinds is not None and parsed.kinds & {"admin2", "admin3"}:
            # No feature for the unit itself (most communes): its seat stands for
            # it, at the unit's precision, and says so.
            ranked = self._candidates(name_key, hints, _POPULATED)
            stands_for = sorted(parsed.kinds & {"admin2", "admin3"})[0]
        if not ranked:
            where = f" in {', '.join(hints)}" if hints else ""
            notes = "".join(f"; {unit.note}" for unit in unplaced[:1])
            return f"no place named {text!r} in the gazetteer{where}{notes}"
        chosen = ranked[:1] if only_best else ranked
        locations = [self._location(candidate, ranked, hints, parsed.near) for candidate in chosen]
        if stands_for is not None:
            for location in locations:
                location.raw["stands_for"] = stands_for
                location.raw["geo_precision"] = max(location.raw["geo_precision"], 2)
        for location in locations if unplaced else ():
            # The unit exists but its seat is not placed: a place of the name is
            # a guess, never a confident answer.
            location.raw["ambiguous"] = True
            location.raw["score"] = min(location.raw["score"], UNPLACED_SEAT_SCORE)
            location.raw["unit_note"] = unplaced[0].note
        return locations

    def _unit_query(
        self, name_key: str, parsed: Any, hints: tuple[str, ...], on: str | None, only_best: bool
    ) -> list[Any]:
        """Locations for a query naming a unit the admin tables know in an
        allowed country, at the unit's seat; or the units found whose seats are
        not placed (the caller falls back to places of the name, flagged); or [].

        Ranked with them: units of the same level that GeoNames has outside the
        tables' countries, else (none) populated places there named so standing
        for a unit; the hint, then the working region, then the match decide,
        and a tie goes to the table's unit. Any of them, or another table unit
        of the name, more than 50 km away makes the answer ``ambiguous``.
        """
        from sahel_events.geo._units import find_units, unit_levels
        from sahel_events.geo.admin import FOCUS_COUNTRIES

        countries = tuple(c for c in (hints or FOCUS_COUNTRIES) if c in FOCUS_COUNTRIES)
        if not countries:
            return []
        levels = unit_levels(parsed.kinds)
        units = find_units(name_key, levels, countries, hints or self.region, on)
        placed = [unit for unit in units if unit.point is not None]
        if not placed:
            return units
        # What the gazetteer alone would answer: the level's features, else
        # populated places standing for the unit. In the tables' countries these
        # are the same units or mere namesakes (the tables know every unit
        # there); elsewhere they compete.
        features = self._candidates(name_key, hints, frozenset(levels))
        stand_ins = [] if features else self._candidates(name_key, hints, _POPULATED)
        nearby = features or stand_ins
        foreign = [
            c for c in nearby if _kind_of(c) != "country" and _alpha2_of(c) not in FOCUS_COUNTRIES
        ]

        def unit_key(unit: Any) -> tuple:
            return (
                _hint_order(unit.country, hints),
                0 if self._in_region(unit.country, *unit.point) else 1,
                0,
                _MATCH_RANK[unit.match],
                0,
                levels.index(unit.level),
                -unit.score,
                FOCUS_COUNTRIES.index(unit.country),
                unit.name,
            )

        def candidate_key(candidate: _Candidate) -> tuple:
            alpha2 = _alpha2_of(candidate)
            return (
                _hint_order(alpha2, hints),
                0 if self._in_region(alpha2, *_point(candidate)) else 1,
                1 if stand_ins else 0,
                _MATCH_RANK[candidate.match],
                1,
                self._rank(candidate, hints),
            )

        entries: list[tuple[tuple, Any]] = [(unit_key(unit), unit) for unit in placed]
        entries += [(candidate_key(candidate), candidate) for candidate in foreign]
        entries.sort(key=lambda entry: entry[0])
        ordered = [entry for _, entry in entries]
        unplaced = [unit for unit in units if unit.point is None]
        locations = []
        for entry in ordered[:1] if only_best else ordered:
            if isinstance(entry, _Candidate):
                location = self._location(entry, nearby, hints, parsed.near)
                if stand_ins:
                    location.raw["stands_for"] = levels[0]
                    location.raw["geo_precision"] = max(location.raw["geo_precision"], 2)
                locations.append(location)
                continue
            others = [other for other in ordered if other is not entry] + unplaced
            namesakes = [c for c in nearby if c not in foreign]
            locations.append(self._unit_location(entry, others, namesakes, parsed.near))
        return locations

    def _in_region(self, alpha2: str, latitude: float, longitude: float) -> bool:
        in_region = alpha2 in self.region if self.region else True
        if self.box is not None:
            south, west, north, east = self.box
            in_region = in_region and south <= latitude <= north and west <= longitude <= east
        return in_region

    def _unit_location(
        self, unit: Any, others: list[Any], namesakes: list[_Candidate], near: bool
    ) -> Location:
        """A unit of the admin tables at its seat; ``others`` are the competing
        answers (units of the tables, GeoNames units or stand-ins elsewhere),
        ``namesakes`` the places named so in the tables' countries (alternatives only)."""
        from sahel_events.geo._units import UnitMatch

        lat, lon = unit.point
        far = []
        for other in others:
            if isinstance(other, UnitMatch):
                summary = _unit_summary(other)
                if other.point is None:
                    far.append({**summary, "distance_km": None})
                    continue
                distance = _km(lat, lon, *other.point)
            else:
                summary = _summary(other)
                distance = _km(lat, lon, *_point(other))
            if distance > AMBIGUOUS_KM:
                far.append({**summary, "distance_km": round(distance, 1)})
        alternatives = [
            _unit_summary(other) if isinstance(other, UnitMatch) else _summary(other)
            for other in others
        ] + [_summary(place) for place in namesakes]
        precision = GEO_PRECISION[unit.level]
        raw = {
            "name": unit.name,
            **_country_fields(unit.country),
            "admin1": unit.admin1,
            "admin2": unit.name if unit.level == "admin2" else None,
            "feature_kind": unit.level,
            "feature": unit.level,
            "geonames_id": None,
            "osm_id": None,
            "source": UNIT_TABLE_SOURCE,
            "geo_precision": max(precision, 2) if near else precision,
            "match": unit.match,
            "score": round(unit.score, 1),
            "matched_alias": unit.name,
            "near": near,
            "ambiguous": bool(far),
            "candidates": far[:MAX_ALTERNATIVES],
            "alternatives": alternatives[:MAX_ALTERNATIVES],
            "seat": unit.seat,
            "seat_source": unit.seat_source,
            "unit_note": unit.note,
        }
        if unit.level == "admin1":
            address = f"{unit.name} region, {raw['acled_country']}"
        else:
            address = f"{unit.name} {unit.kind}, {unit.admin1}, {raw['acled_country']}"
        if near:
            address = f"near {address}"
        return Location(address, Point(lat, lon), raw)

    def _tables(self) -> list[_data.Places]:
        tables = [self.user_places] if self.user_places is not None else []
        return tables + [_data.places(source) for source in self.sources if source == "geonames"]

    def _candidates(
        self, key: str, hints: tuple[str, ...], kinds: frozenset[str] | None
    ) -> list[_Candidate]:
        """Candidates of the first tier that finds any, ranked; OSM only where the
        others have none.

        A name that only finds features that are neither populated places nor
        admin units (a wadi or a well named like the town) also takes the
        variant and transliteration tiers, so that the town can outrank them.
        """
        scope = hints or self.region
        countries = []
        if kinds is None:
            # A country named as written comes first (بنين is Benin, not a
            # proclitic on a place), as in the other tiers only within the hint.
            countries = [
                _Candidate("country", alpha2, alias)
                for form in _key_forms(key)[:1]
                for alpha2, alias in _data.countries().aliases.lookup(form)
                if not hints or alpha2 in hints
            ]
        # OpenStreetMap's places load only when GeoNames (and your places) lack a name.
        groups: list[Callable[[], list[_data.Places]]] = [self._tables]
        if "osm" in self.sources:
            groups.append(lambda: [_data.places("osm")])
        found: list[_Candidate] = []
        # Tier by tier, GeoNames (and your places) before OpenStreetMap: an OSM
        # place of the exact name answers before a GeoNames spelling guess.
        for tier in (_exact, _variant, _transliteration, _fuzzy):
            if tier is not _exact and (not scope or countries):
                break  # spelling guesses only where the caller said where
            if found and tier is _fuzzy:
                break
            for tables in groups:
                found += [
                    candidate
                    for table in tables()
                    for candidate in tier(key, table, scope)
                    if _admissible(candidate, hints, kinds)
                ]
                if found:
                    break
            if any(_KIND_RANK.get(_kind_of(c), 3) < 2 for c in found):
                break
        found = _near_the_named(found)
        places = sorted(_unique(found), key=lambda c: self._rank(c, hints))
        if countries:
            return _unique(countries) + places
        if places:
            return places
        if kinds is None:
            # A country with a proclitic or article (بالنيجر, والنيجر).
            countries = [
                _Candidate("country", alpha2, alias)
                for form in _key_forms(key)[1:]
                for alpha2, alias in _data.countries().aliases.lookup(form)
                if not hints or alpha2 in hints
            ]
        return _unique(countries)

    def _rank(self, candidate: _Candidate, hints: tuple[str, ...]) -> tuple:
        """Sort key; see docs/geocoding.md, "Ranking": your own places first, then
        the hinted countries in order, then the working region or box, then the
        places and admin units before other features (a town before the wadi
        named like it), then the name tier (names before spelling guesses), then
        populated places before admin units, then main name before alternate
        name, score, population."""
        table = candidate.table
        assert table is not None
        row = int(candidate.index)
        alpha2 = table.alpha2[row]
        in_region = alpha2 in self.region if self.region else True
        if self.box is not None:
            south, west, north, east = self.box
            lat, lon = table.latitude[row], table.longitude[row]
            in_region = in_region and south <= lat <= north and west <= lon <= east
        return (
            0 if table.source == "user" else 1,
            _hint_order(alpha2, hints),
            0 if in_region else 1,
            0 if _KIND_RANK.get(table.feature_kind[row], 3) < 2 else 1,
            max(_MATCH_RANK[candidate.match], 1),
            _KIND_RANK.get(table.feature_kind[row], 3),
            _MATCH_RANK[candidate.match],
            -candidate.score,
            0 if table.feature_kind[row] in {"capital", "town"} else 1,
            -table.population[row],
            table.ids[row],
        )

    def _location(
        self,
        chosen: _Candidate,
        ranked: list[_Candidate],
        hints: tuple[str, ...],
        near: bool,
    ) -> Location:
        if chosen.kind == "country":
            record = _data.countries().by_alpha2[str(chosen.index)]
            raw = {
                "name": record.name,
                **_country_fields(record.alpha2),
                "admin1": None,
                "admin2": None,
                "feature_kind": "country",
                "feature": "country",
                "geonames_id": None,
                "source": "geonames",
                "geo_precision": GEO_PRECISION["country"],
                "match": chosen.match,
                "score": chosen.score,
                "matched_alias": chosen.alias,
                "near": False,
                "ambiguous": False,
                "candidates": [],
                "alternatives": [_summary(c) for c in ranked if c is not chosen][:MAX_ALTERNATIVES],
            }
            return Location(raw["acled_country"], Point(record.latitude, record.longitude), raw)
        table = chosen.table
        assert table is not None
        row = int(chosen.index)
        kind = table.feature_kind[row]
        lat, lon = table.latitude[row], table.longitude[row]
        others = [candidate for candidate in ranked if candidate is not chosen]
        far = []
        bucket = min(_KIND_RANK.get(kind, 3), 2)
        for other in others[:MAX_COMPARED]:
            # Another place of the same name and the same sort (a populated place,
            # an admin unit, another feature) far away: a stream named like a
            # town does not make the town ambiguous.
            if other.kind != "place" or other.match != chosen.match:
                continue
            if min(_KIND_RANK.get(_kind_of(other), 3), 2) != bucket:
                continue
            other_table, other_row = other.table, int(other.index)
            assert other_table is not None
            distance = _km(
                lat, lon, other_table.latitude[other_row], other_table.longitude[other_row]
            )
            if distance > AMBIGUOUS_KM:
                far.append({**_summary(other), "distance_km": round(distance, 1)})
        precision = GEO_PRECISION.get(kind, 2)
        raw = {
            "name": table.name[row],
            **_country_fields(table.alpha2[row]),
            "admin1": table.admin1[row] or None,
            "admin2": table.admin2[row] or None,
            "feature_kind": kind,
            "feature": kind,
            "geonames_id": table.ids[row] if table.source == "geonames" else None,
            "osm_id": table.ids[row] if table.source == "osm" else None,
            "source": table.source,
            "geo_precision": max(precision, 2) if near else precision,
            "match": chosen.match,
            "score": round(chosen.score, 1),
            "matched_alias": chosen.alias,
            "near": near,
            "ambiguous": bool(far),
            "candidates": far[:MAX_ALTERNATIVES],
            "alternatives": [_summary(other) for other in others][:MAX_ALTERNATIVES],
        }
        parts = [raw["name"], raw["admin1"], raw["acled_country"]]
        address = ", ".join(part for part in parts if part)
        if near:
            address = f"near {address}"
        return Location(address, Point(lat, lon), raw)

    def _border_location(self, area: Any, text: str) -> Location:
        first = _data.countries().by_alpha2[area.countries[0]]
        raw = {
            "name": text,
            **_country_fields(first.alpha2),
            "admin1": None,
            "admin2": None,
            "feature_kind": area.feature_kind,
            "feature": area.feature_kind,
            "geonames_id": None,
            "source": "natural earth",
            "geo_precision": GEO_PRECISION[area.feature_kind],
            "match": "exact",
            "score": 100.0,
            "matched_alias": text,
            "near": False,
            "ambiguous": False,
            "candidates": [],
            "alternatives": [],
            "countries": list(area.countries),
            "geometry_wkt": area.geometry_wkt,
        }
        names = "-".join(_country_fields(code)["acled_country"] for code in area.countries)
        label = "border area" if area.feature_kind == "border area" else "region"
        return Location(f"{names} {label}", Point(area.latitude, area.longitude), raw)

    # --- reverse ---------------------------------------------------------------

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        country: str | None = None,
        on: str | None = None,
    ) -> Location | list[Location] | None:
        """The country, admin units and nearest populated place of a point.

        Args:
            query: ``(latitude, longitude)``, a ``"lat, lon"`` string or a
                :class:`geopy.point.Point`.
            exactly_one: geopy's parameter; the answer is always one place.
            timeout: geopy's parameter, accepted and ignored (offline).
            country: Look for the nearest place of this country (a code or name)
                instead of the country the point lies in: a border-area point
                coded for Mali takes a Malian place's admin1.
            on: An ISO date: the admin units in force that day (default: today's
                units, the newest of the reference table).

        Returns:
            A Location at the nearest populated place, whose ``raw`` holds the
            keys of :meth:`geocode` plus ``distance_km``, ``in_country`` (the
            polygon containing the point, or None at sea), and the point's own
            ``admin1``/``admin2`` with ``admin1_method``/``admin2_method``
            (``"polygon"`` from Natural Earth, else ``"nearest seat"``).

        Raises:
            ValueError: for coordinates out of range, as geopy does.
            UsageError: for an unknown ``country``.
        """
        import numpy as np

        from sahel_events.geo.admin import admin_units_at
        from sahel_events.geo.shapes import _check_coordinates, haversine_km

        del timeout
        latitude, longitude = _coordinates(query)
        _check_coordinates(latitude, longitude)
        in_country = _country_at(latitude, longitude)
        wanted = _hints(country)[0] if country is not None else in_country
        places = _data.places()
        lat, lon = _data.place_coordinates()
        distance = haversine_km(latitude, longitude, lat, lon)
        mask = _populated_rows()
        if wanted is not None:
            # Prefer a place of the wanted country, even if a foreign town across
            # the border is a little nearer.
            rows = _country_rows(wanted) & mask
            mask = rows if rows.any() else mask
        distance = np.where(mask, distance, np.inf)
        row = int(np.argmin(distance))
        candidate = _Candidate("place", row, places.name[row], places)
        location = self._location(candidate, [candidate], (), False)
        location.raw["distance_km"] = round(float(distance[row]), 3)
        location.raw["in_country"] = in_country
        units = admin_units_at(latitude, longitude, wanted, on=on)
        if units is not None:
            location.raw.update(units)
        else:
            location.raw["admin1_method"] = location.raw["admin2_method"] = "nearest place"
        return location if exactly_one else [location]


# --- the tiers ------------------------------------------------------------------------


def _exact(key: str, table: _data.Places, scope: tuple[str, ...]) -> list[_Candidate]:
    """Places having the key (or, for Arabic, the key without proclitics) as a name."""
    del scope  # exact names are looked up everywhere; the hint filters later
    for form in _key_forms(key):
        found = table.aliases.lookup(form)
        if found:
            return [
                _Candidate(
                    "place",
                    row,
                    alias,
                    table,
                    "exact" if _main_key(table, row) == form else "alternate name",
                    100.0 if _main_key(table, row) == form else 95.0,
                )
                for row, alias in found
            ]
    return []


def _candidates(key: str) -> tuple[str, list[_Candidate]]:
    """The key form that matched and the GeoNames places and countries it names
    exactly (the first tier, no hint): what the coding suggester looks up."""
    places = _data.places()
    for form in _key_forms(key):
        found = [
            _Candidate("country", alpha2, alias)
            for alpha2, alias in _data.countries().aliases.lookup(form)
        ]
        # Populated places only, as the suggester's cities500 table held: a province
        # or a wadi named in a sentence is context, not where the event happened.
        found += [
            _Candidate("place", int(row), alias, places)
            for row, alias in places.aliases.lookup(form)
            if places.feature_kind[int(row)] in _POPULATED
        ]
        if found:
            return form, _unique(found)
    return key, []


def _variant(key: str, table: _data.Places, scope: tuple[str, ...]) -> list[_Candidate]:
    """Places of the scope with the same spelling-variant key (Latin script)."""
    from rapidfuzz import fuzz

    if has_arabic(key):
        return []
    wanted = variant_key(key)
    return [
        _Candidate(
            "place", row, table.name[row], table, "variant", fuzz.ratio(key, _main_key(table, row))
        )
        for country in scope
        for row in _variant_rows(table, f"{country}:{wanted}")
    ]


def _transliteration(key: str, table: _data.Places, scope: tuple[str, ...]) -> list[_Candidate]:
    """Places of the scope whose Latin name has the Arabic query's consonant skeleton."""
    from rapidfuzz import fuzz

    if not has_arabic(key):
        return []
    found: dict[int, _Candidate] = {}
    # Every form (with and without proclitics) competes: وبميناكا is Ménaka
    # through ميناكا, not a place whose skeleton starts with the b of the clitic.
    for form in _key_forms(key):
        bones = skeleton(form)
        if len(bones) < 2:
            continue
        form_shape = shape(form)
        pairs = [pair for country in scope for pair in _skeleton_rows(table, f"{country}:{bones}")]
        for row, name in pairs:
            # Scored against the name the skeleton came from (Solhan, an
            # alternate name of Solna), else the main name.
            score = fuzz.ratio(form_shape, _shape_of(name) if name else _row_shape(table, row))
            if score >= TRANSLITERATION_CUTOFF and score > getattr(found.get(row), "score", 0):
                found[row] = _Candidate(
                    "place", row, table.name[row], table, "transliteration", score
                )
    if not found:
        return []

    # Keep the guesses close to the best one: a two-consonant skeleton names
    # hundreds of villages, most of them poor matches. The best of the places
    # and admin units and the best of the other features each set their own
    # bar: a mountain that scores higher must not push a town out before ranking.
    def group(candidate: _Candidate) -> bool:
        return _KIND_RANK.get(_kind_of(candidate), 3) < 2

    best: dict[bool, float] = {}
    for candidate in found.values():
        best[group(candidate)] = max(best.get(group(candidate), 0.0), candidate.score)
    return [c for c in found.values() if c.score >= best[group(c)] - 10]


def _fuzzy(key: str, table: _data.Places, scope: tuple[str, ...]) -> list[_Candidate]:
    """Places of the scope whose variant key is within rapidfuzz's ratio cutoff."""
    from rapidfuzz import fuzz, process

    if has_arabic(key) or len(key) < 4:
        return []
    wanted = variant_key(key)
    found = []
    for country in scope:
        keys, rows = _fuzzy_choices(table, f"{country}:{wanted[:1]}")
        matches = process.extract(
            wanted, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
        )
        found += [
            _Candidate("place", rows[position], table.name[rows[position]], table, "fuzzy", score)
            for _, score, position in matches
        ]
    return found


@lru_cache(maxsize=1024)
def _fuzzy_choices(table: _data.Places, prefix: str) -> tuple[list[str], list[int]]:
    """The variant keys (without their ``CC:``) of one country's places that start
    with one letter (``prefix`` is ``CC:x``): a misspelling rarely changes a name's
    first letter, and the bucket is a twentieth of the country."""
    keys, targets = _variant_source(table).prefixed(prefix)
    cut = len(prefix) - 1
    return [key[cut:] for key in keys], [int(target) for target in targets]


def _variant_source(table: _data.Places) -> _data.AliasIndex | _data.LineIndex:
    if table.source in _data.SOURCES:
        return _data.variants(table.source)
    return _folded_index(table, "variant")


def _variant_rows(table: _data.Places, key: str) -> list[int]:
    """Rows whose variant key is ``key`` (a binary search of the shipped index)."""
    return list(dict.fromkeys(int(row) for row, _ in _variant_source(table).lookup(key)))


def _skeleton_rows(table: _data.Places, key: str) -> list[tuple[int, str]]:
    """(row, the name key the skeleton came from) pairs whose skeleton is ``key``."""
    index = (
        _data.skeletons(table.source)
        if table.source in _data.SOURCES
        else _folded_index(table, "skeleton")
    )
    return [(int(row), "" if name == key else name) for row, name in index.lookup(key)]


@lru_cache(maxsize=65_536)
def _shape_of(name: str) -> str:
    return shape(name)


@lru_cache(maxsize=16)
def _folded_index(table: _data.Places, fold: str) -> _data.AliasIndex:
    """Variant or skeleton keys of a user's places, folded when first needed."""
    names = table.aliases
    assert isinstance(names, _data.AliasIndex)  # a user's table, built in memory
    triples = sorted(
        {
            (
                f"{table.alpha2[int(target)]}:"
                + (variant_key(key) if fold == "variant" else skeleton(key)),
                int(target),
                key,
            )
            for key, target in zip(names.keys, names.targets, strict=True)
            if fold != "variant" or not has_arabic(key)
        }
    )
    return _data.AliasIndex(
        keys=[key for key, _, _ in triples],
        targets=[str(row) for _, row, _ in triples],
        aliases=[name for _, _, name in triples],
        numeric_targets=True,
    )


@lru_cache(maxsize=65_536)
def _row_shape(table: _data.Places, row: int) -> str:
    return shape(_bare_key(table, row))


def _admissible(
    candidate: _Candidate, hints: tuple[str, ...], kinds: frozenset[str] | None
) -> bool:
    table = candidate.table
    assert table is not None
    row = int(candidate.index)
    if hints and table.alpha2[row] not in hints:
        return False
    return kinds is None or table.feature_kind[row] in kinds


def _near_the_named(found: list[_Candidate]) -> list[_Candidate]:
    """When the name itself only found other features (a wadi, a locality) and a
    spelling guess found a town, keep the guess only if it lies near one of them:
    the town named like its wadi, not a village 300 km away."""
    named = [c for c in found if c.match in ("exact", "alternate name")]
    if not named or len(named) == len(found):
        return found
    points = [_point(c) for c in named]
    return named + [
        c
        for c in found
        if c.match not in ("exact", "alternate name")
        and any(_km(*_point(c), *point) <= AMBIGUOUS_KM for point in points)
    ]


def _point(candidate: _Candidate) -> tuple[float, float]:
    table, row = candidate.table, int(candidate.index)
    assert table is not None
    return table.latitude[row], table.longitude[row]


def _copy_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """A copy of an answer's raw dict deep enough that a caller's change to it, or
    to its lists of candidates, never reaches the cache."""
    return {
        key: [dict(item) if isinstance(item, dict) else item for item in value]
        if isinstance(value, list)
        else value
        for key, value in raw.items()
    }


def _alpha2_of(candidate: _Candidate) -> str:
    table = candidate.table
    return str(candidate.index) if table is None else table.alpha2[int(candidate.index)]


def _unit_summary(unit: Any) -> dict[str, Any]:
    """An admin-table unit in a list of candidates or alternatives."""
    latitude, longitude = unit.point if unit.point is not None else (None, None)
    return {
        "name": unit.name,
        "alpha2": unit.country,
        "latitude": latitude,
        "longitude": longitude,
        "population": None,
        "feature_kind": unit.level,
        "source": UNIT_TABLE_SOURCE,
        "match": unit.match,
        "score": round(unit.score, 1),
    }


def _kind_of(candidate: _Candidate) -> str:
    table = candidate.table
    return "country" if table is None else table.feature_kind[int(candidate.index)]


def _unique(candidates: list[_Candidate]) -> list[_Candidate]:
    seen: dict[tuple[str, Any], _Candidate] = {}
    for candidate in candidates:
        source = candidate.table.source if candidate.table is not None else "country"
        seen.setdefault((source, candidate.index), candidate)
    return list(seen.values())


@lru_cache(maxsize=65_536)
def _main_key(table: _data.Places, row: int) -> str:
    """The lookup key of a place's main name (cached: it depends on the data only)."""
    return normalize(table.name[row])


@lru_cache(maxsize=65_536)
def _bare_key(table: _data.Places, row: int) -> str:
    """The main name's key without admin words (``Bankass Cercle`` -> ``bankass``)."""
    from sahel_events.geo.admin import bare_unit_name

    return normalize(bare_unit_name(table.name[row]))


def _is_country(text: str) -> bool:
    key = normalize(text)
    return bool(key) and bool(_data.countries().aliases.lookup(key))


def _region_codes(region: Any) -> tuple[str, ...]:
    if region is None:
        return ()
    if isinstance(region, str) and normalize(region) in REGIONS:
        return REGIONS[normalize(region)]
    return _hints(region)


def _bounding_box(bias: Any) -> tuple[float, float, float, float] | None:
    """``((south, west), (north, east))`` as a tuple, or None when ``bias`` names countries."""
    if isinstance(bias, str):
        return None
    try:
        (south, west), (north, east) = bias
        values = tuple(float(value) for value in (south, west, north, east))
    except (TypeError, ValueError):
        return None
    if not (-90 <= values[0] <= values[2] <= 90 and -180 <= values[1] <= values[3] <= 180):
        raise UsageError(f"bias box {bias!r} is not ((south, west), (north, east))")
    return values  # type: ignore[return-value]


@cache
def _country_rows(alpha2: str) -> Any:
    """A boolean mask of the places of one country."""
    return _mask(_data.places().alpha2, {alpha2})


@cache
def _populated_rows() -> Any:
    """A boolean mask of the populated places (what ``reverse`` answers with)."""
    return _mask(_data.places().feature_kind, _POPULATED)


def _mask(column: Sequence[str], wanted: Iterable[str]) -> Any:
    import numpy as np

    if isinstance(column, _data.Category):
        return column.mask(wanted)
    return np.isin(np.array(column, dtype=object), sorted(wanted))


def nearest_place(latitude: float, longitude: float, country: str | None = None) -> Location:
    """The gazetteer place nearest to a point, optionally among one country's places.

    ``raw`` has the keys of :func:`geocode` plus ``distance_km`` and
    ``in_country``; ``raw["admin1"]`` is the admin1 to code for a point that has
    none of its own (a border area), as an ACLED coder takes the nearest town's.

    Raises:
        ValueError: for coordinates out of range.
        UsageError: for an unknown country.
    """
    location = _default_gazetteer().reverse((latitude, longitude), country=country)
    assert isinstance(location, Location)
    return location


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
    try:
        return tuple(resolve_country(code).alpha2 for code in country_codes)
    except UsageError as error:
        if isinstance(error, GazetteerQueryError):
            raise
        raise GazetteerQueryError(error.message) from None


#: Arabic proclitics that stack before a name: a conjunction (و "and", ف "then")
#: then a preposition (ب "in/with", ل "for", ك "like"): وبباريس, فبغاو, ولميناكا.
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")


def _key_forms(key: str) -> list[str]:
    """The key, then (for Arabic) the key without one or two proclitics and/or
    the article; for Latin, the key with a one-letter word joined to the next
    (``n djamena`` from the grammar's split of ``N'Djamena``)."""
    forms = [key]
    if not has_arabic(key[:1]):
        joined = re.sub(r"\b(\w) (?=\w)", r"\1", key)
        if joined != key:
            forms.append(joined)
        return forms
    first, _, rest = key.partition(" ")
    words = [first]
    if first[:1] in _CONJUNCTIONS and len(first) > 3:
        words.append(first[1:])
    for word in list(words):
        if word[:1] in _PREPOSITIONS and len(word) > 3:
            words.append(word[1:])
    for word in list(words):
        if word.startswith("ال") and len(word) > 3:
            words.append(word[2:])
        elif word.startswith("لل") and len(word) > 3:
            words.append("ا" + word[1:])
    for word in words:
        forms.append(f"{word} {rest}".strip())
    return list(dict.fromkeys(forms))


def _hint_order(alpha2: str, hints: tuple[str, ...]) -> int:
    return hints.index(alpha2) if alpha2 in hints else len(hints)


def _summary(candidate: _Candidate) -> dict[str, Any]:
    if candidate.kind == "country":
        record = _data.countries().by_alpha2[str(candidate.index)]
        return {
            "name": record.name,
            "alpha2": record.alpha2,
            "latitude": record.latitude,
            "longitude": record.longitude,
            "population": None,
            "feature_kind": "country",
            "source": "geonames",
            "match": candidate.match,
            "score": candidate.score,
        }
    table = candidate.table
    assert table is not None
    row = int(candidate.index)
    return {
        "name": table.name[row],
        "alpha2": table.alpha2[row],
        "latitude": table.latitude[row],
        "longitude": table.longitude[row],
        "population": table.population[row],
        "feature_kind": table.feature_kind[row],
        "source": table.source,
        "match": candidate.match,
        "score": round(candidate.score, 1),
    }


@cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer()


def geocode(
    query: str, country: str | Iterable[str] | None = None, on: str | None = None
) -> Location:
    """Geocode one place name offline; the one-call shortcut.

    >>> import sahel_events
    >>> sahel_events.geocode("Gao", country="ML").raw["acled_country"]
    'Mali'
    >>> sahel_events.geocode("Gao", country="BF").raw["acled_country"]
    'Burkina Faso'

    Args:
        query: A place, country or border-area name, in Latin or Arabic script.
        country: A binding country hint (ISO alpha-2, alpha-3 or a name), or several.
        on: An ISO date for a query naming an admin unit: the units in force
            that day (default today's).

    Raises:
        PlaceNotFound: when nothing matches (exit code 1 on the command line).
        UsageError: for an empty, over-long or control-character query, or an
            unknown country (exit code 2).
    """
    return _default_gazetteer().find(query, country, on=on)


def geocode_all(query: str, country: str | Iterable[str] | None = None) -> list[Location]:
    """Every match of a query, best first (the ranking of :func:`geocode`).

    Raises:
        PlaceNotFound: when nothing matches.
        UsageError: as :func:`geocode`.
    """
    result = _default_gazetteer()._resolve(query, _hints(country))
    if isinstance(result, str):
        raise PlaceNotFound(result)
    return result
