"""Unit queries answered from the admin tables (``data/admin1.csv``, ``data/admin2.csv``).

A query that names a unit (``cercle de Sokoura``, ``province du Soum``,
``département de Téra``, ``région de Mopti``, ``دائرة سوكورا``, ``Sokoura
cercle``) asks for the unit, not for a village named like it. For Mali,
Burkina Faso and Niger the tables know every unit in force and where its seat
is; :func:`find_units` finds the units of a name there, in tiers like the
gazetteer's (the name, another name of it, then spelling guesses only where the
caller said where), and gives each unit's seat point with its source.

A unit of an earlier period that no longer exists answers with the unit that
replaced it (its note says ``former X`` or ``formerly X``: Burkina Faso's Nord
region is Yaadga since 2 July 2025, Niger's Matamèye département Kantché since
2011), and says so in ``note``. A unit whose seat the table could not place has
no point: the gazetteer then falls back to a place of the name, and says it is
unsure.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sahel_events.geo import _data
from sahel_events.geo._normalize import has_arabic, normalize, shape, skeleton, variant_key

__all__ = ["UnitMatch", "find_units", "unit_levels"]

#: The table's levels and the feature kinds a query asks for with them.
LEVELS: tuple[str, ...] = ("admin2", "admin1")


@dataclass(frozen=True)
class UnitMatch:
    """A unit of the tables that a query names, and where its seat is."""

    country: str
    level: str  # "admin1" or "admin2"
    name: str
    kind: str  # the table's word: cercle, province, département, region ...
    admin1: str | None
    seat: str
    #: The seat's point, or None when the table could not place it.
    point: tuple[float, float] | None
    #: ``geonames:ID`` / ``osm:ID`` (the place the seat is), or "" when unplaced.
    seat_source: str
    match: str
    score: float
    #: What the table says about a unit asked by a former name, or an unplaced seat.
    note: str | None = None


def unit_levels(kinds: frozenset[str] | None) -> tuple[str, ...]:
    """The table levels a query's unit word asks for (none for other queries)."""
    if kinds is None:
        return ()
    return tuple(level for level in LEVELS if level in kinds)


def find_units(
    key: str,
    levels: tuple[str, ...],
    countries: tuple[str, ...],
    guesses: tuple[str, ...],
    on: str | None = None,
) -> list[UnitMatch]:
    """The units of ``levels`` in ``countries`` named ``key`` (a lookup key) on a
    day (default today), from the first tier that finds any.

    ``guesses`` are the countries where spelling guesses (variant,
    transliteration, fuzzy) are allowed: the hint or the working region.
    """
    from sahel_events.geo.gazetteer import _key_forms

    day = on or datetime.date.today().isoformat()
    forms = _key_forms(key)
    for tier in ("exact", "alternate name", "variant", "transliteration", "fuzzy"):
        found: list[UnitMatch] = []
        for country in countries:
            if tier in ("variant", "transliteration", "fuzzy") and country not in guesses:
                continue
            for level in levels:
                found += _tier(tier, forms, country, level, day)
        if found:
            return _deduplicated(found)
    return []


def _tier(tier: str, forms: list[str], country: str, level: str, day: str) -> list[UnitMatch]:
    table = _index(country, level, day)
    hits: list[tuple[Any, str, float]] = []
    if tier == "exact":
        hits = [(unit, "exact", 100.0) for form in forms[:1] for unit in table.names.get(form, ())]
        # A unit of an earlier period, asked by its name: its successor answers.
        if not hits:
            hits = [
                (unit, "alternate name", 95.0)
                for form in forms[:1]
                for unit in table.former.get(form, ())
            ]
    elif tier == "alternate name":
        # The name with proclitics off (Arabic), or another name of a GeoNames
        # place or unit of the country that also bears the unit's name
        # (Timbuktu is Tombouctou, بانكاس Bankass).
        for form in forms:
            # A unit named by its seat: "province de Djibo", "département d'Ayorou".
            hits += [(u, "alternate name", 95.0) for u in table.seats.get(form, ())]
            rows = _named_rows(form, country)
            for unit_key in (*table.names, *table.former) if rows else ():
                if form == unit_key or rows & _named_rows(unit_key, country):
                    hits += [(u, "alternate name", 95.0) for u in table.names.get(unit_key, ())]
                    hits += [(u, "alternate name", 95.0) for u in table.former.get(unit_key, ())]
    elif tier == "variant":
        from rapidfuzz import fuzz

        for form in forms:
            if has_arabic(form):
                continue
            for unit_key, units in table.variants.get(variant_key(form), {}).items():
                hits += [(unit, "variant", fuzz.ratio(form, unit_key)) for unit in units]
    elif tier == "transliteration":
        from rapidfuzz import fuzz

        from sahel_events.geo.gazetteer import TRANSLITERATION_CUTOFF

        for form in forms:
            if not has_arabic(form) or len(skeleton(form)) < 2:
                continue
            for unit_key, units in table.skeletons.get(skeleton(form), {}).items():
                score = fuzz.ratio(shape(form), shape(unit_key))
                if score >= TRANSLITERATION_CUTOFF:
                    hits += [(unit, "transliteration", score) for unit in units]
    elif tier == "fuzzy":
        from rapidfuzz import fuzz, process

        from sahel_events.geo.gazetteer import FUZZY_CUTOFF

        keys = sorted(table.names)
        for form in forms[:1]:
            if has_arabic(form) or len(form) < 4:
                continue
            wanted = [variant_key(name) for name in keys]
            for _, score, position in process.extract(
                variant_key(form), wanted, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            ):
                hits += [(unit, "fuzzy", score) for unit in table.names[keys[position]]]
    return [_match(country, level, unit, match, score) for unit, match, score in hits]


@dataclass(frozen=True)
class _Index:
    """One country's units of one level in force on a day, by lookup key."""

    names: dict[str, tuple[Any, ...]]
    #: Units of earlier periods by their key: (the unit, the unit in force that
    #: replaced it or None, the names of all that replaced it).
    former: dict[str, tuple[tuple[Any, Any, tuple[str, ...]], ...]]
    #: Units by their seat's key, where it differs from the unit's name.
    seats: dict[str, tuple[Any, ...]]
    variants: dict[str, dict[str, tuple[Any, ...]]]
    skeletons: dict[str, dict[str, tuple[Any, ...]]]


def _units_of(country: str, level: str, day: str | None) -> list[Any]:
    from sahel_events.geo.admin1 import _admin2_rows, admin1_units

    if level == "admin1":
        units: list[Any] = admin1_units(country)
    else:
        units = [unit for unit in _admin2_rows() if unit.country == country]
    return [unit for unit in units if day is None or unit.valid_on(day)]


@lru_cache(maxsize=64)
def _index(country: str, level: str, day: str) -> _Index:
    current = _units_of(country, level, day)
    names: dict[str, list[Any]] = {}
    for unit in current:
        names.setdefault(normalize(unit.name), []).append(unit)
    former: dict[str, list[tuple[Any, Any, tuple[str, ...]]]] = {}
    for unit in sorted(
        _units_of(country, level, None), key=lambda u: u.valid_from or "", reverse=True
    ):
        key = normalize(unit.name)
        if key in names or unit.valid_on(day):
            continue
        pattern = re.compile(rf"\bformer(?:ly)?\s+(?:the\s+)?{re.escape(unit.name)}\b")
        successors = [other for other in current if pattern.search(other.note)]
        # One row per unit: a unit with several earlier periods keeps its newest.
        # A unit split in several answers the one that kept its seat (Est ->
        # Goulmou, at Fada N'Gourma), and the note names them all.
        successors.sort(key=lambda other: (other.seat != unit.seat, other.name))
        if key not in former:
            successor = successors[0] if successors else None
            former[key] = [(unit, successor, tuple(other.name for other in successors))]
    variants: dict[str, dict[str, list[Any]]] = {}
    skeletons: dict[str, dict[str, list[Any]]] = {}
    for key, units in names.items():
        for unit in units:
            variants.setdefault(variant_key(key), {}).setdefault(key, []).append(unit)
            skeletons.setdefault(skeleton(key), {}).setdefault(key, []).append(unit)
    seats: dict[str, list[Any]] = {}
    for unit in current:
        seat_key = normalize(unit.seat or "")
        if seat_key and seat_key != normalize(unit.name):
            seats.setdefault(seat_key, []).append(unit)
    return _Index(
        names={key: tuple(units) for key, units in names.items()},
        seats={key: tuple(units) for key, units in seats.items()},
        former={key: tuple(pairs) for key, pairs in former.items()},
        variants={k: {n: tuple(u) for n, u in v.items()} for k, v in variants.items()},
        skeletons={k: {n: tuple(u) for n, u in v.items()} for k, v in skeletons.items()},
    )


@lru_cache(maxsize=4096)
def _named_rows(key: str, country: str) -> frozenset[int]:
    """The GeoNames places and units of a country having ``key`` among their names."""
    places = _data.places()
    return frozenset(
        int(row) for row, _ in places.aliases.lookup(key) if places.alpha2[int(row)] == country
    )


def _match(country: str, level: str, found: Any, match: str, score: float) -> UnitMatch:
    """The answer for a unit the tier found: the unit itself, or (for a pair of a
    former unit and its successor) the unit in force with a note."""
    note = None
    if isinstance(found, tuple):
        former, unit, names = found
        ended = f"until {former.valid_to}" if former.valid_to else "no longer in force"
        if unit is None:
            unit = former
            note = f"{former.name} ({former.kind}) is of an earlier period ({ended})"
        elif len(names) == 1:
            note = f"{former.name} ({former.kind}, {ended}) is now {unit.name}"
        else:
            note = f"{former.name} ({former.kind}, {ended}) is now split: {', '.join(names)}"
    else:
        unit = found
    from sahel_events.geo.admin import seat_point

    point, seat_source = seat_point(country, level, unit)
    if point is None:
        note = ((note + "; ") if note else "") + (
            f"the seat of {unit.name} ({unit.seat or unit.name}) is not placed in the table"
        )
    admin1 = unit.name if level == "admin1" else unit.admin1
    return UnitMatch(
        country=country,
        level=level,
        name=unit.name,
        kind=unit.kind,
        admin1=admin1,
        seat=unit.seat or unit.name,
        point=point,
        seat_source=seat_source,
        match=match,
        score=float(score),
        note=note,
    )


def _deduplicated(found: list[UnitMatch]) -> list[UnitMatch]:
    """One answer per unit: a former name split in several answers its successors
    that share its seat first (Est -> Goulmou, at Fada N'Gourma)."""
    seen: dict[tuple[str, str, str], UnitMatch] = {}
    for match in sorted(found, key=lambda m: (-m.score, m.note is not None)):
        seen.setdefault((match.country, match.level, match.name), match)
    return list(seen.values())
