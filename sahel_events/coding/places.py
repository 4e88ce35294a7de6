"""A user's own places for the build: villages and sites the embedded gazetteer lacks.

``build(..., places=PATH)`` and ``sahel-events build --places FILE`` read a
small table of places, CSV or YAML, with the columns of
``Gazetteer(extra_places=...)`` (:mod:`sahel_events.geo.places`, whose
:func:`~sahel_events.geo.read_places` reads the file for both), with the
build's own kinds:

==================  =====================================================
``name``            The place's name, as the ``location`` column writes it.
``alternate_names`` Other spellings, Arabic script included; ``;`` or ``|``
                    between them in CSV, a list in YAML. Optional.
``latitude``        Decimal degrees, -90 to 90.
``longitude``       Decimal degrees, -180 to 180.
``country``         ISO alpha-2 or alpha-3 code or a country name.
``kind``            Required: ``village``, ``town``, ``city``, ``site``,
                    ``camp``, ``neighbourhood`` (geo_precision 1);
                    ``commune``, ``district``, ``area`` (2); ``region``,
                    ``province`` (3).
``admin1``          Optional; default the admin1 of the nearest gazetteer
                    place in the same country.
``source``          Optional: where the coordinates come from.
==================  =====================================================

A column outside these is refused (a misspelled column would otherwise be
ignored). A coding sheet's ``location.query`` is looked up here first (names
folded as the gazetteer folds them, restricted to ``location.country`` when
given), then in the gazetteer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events._text import place_key, quote
from sahel_events.exc import CodingSheetError, PlacesFileError
from sahel_events.geo.places import MAX_PLACES_BYTES, read_places

if TYPE_CHECKING:
    from sahel_events.geo._data import Places

__all__ = ["KIND_PRECISION", "MAX_PLACES_BYTES", "UserPlace", "UserPlaces", "load_places"]

#: geo_precision by kind of place (ACLED: 1 the place itself, 2 near it or a
#: small area, 3 a region).
KIND_PRECISION: dict[str, int] = {
    "village": 1,
    "town": 1,
    "city": 1,
    "site": 1,
    "camp": 1,
    "neighbourhood": 1,
    "commune": 2,
    "district": 2,
    "area": 2,
    "region": 3,
    "province": 3,
}


@dataclass(frozen=True)
class UserPlace:
    """One place of a user's table (see the module docstring for the fields)."""

    name: str
    latitude: float
    longitude: float
    alpha2: str
    kind: str
    alternate_names: tuple[str, ...] = ()
    admin1: str | None = None

    @property
    def geo_precision(self) -> int:
        """ACLED's geo_precision for the place's kind."""
        return KIND_PRECISION[self.kind]


class UserPlaces:
    """A user's places, looked up by any of their names (folded)."""

    def __init__(self, places: Iterable[UserPlace], *, path: str | None = None) -> None:
        self.places = tuple(places)
        self.path = path
        self._by_key: dict[str, list[UserPlace]] = {}
        for place in self.places:
            # Two spellings of one place may fold to one key: index the place once.
            for key in dict.fromkeys(
                place_key(label) for label in (place.name, *place.alternate_names)
            ):
                self._by_key.setdefault(key, []).append(place)

    @classmethod
    def from_table(cls, table: Places, *, path: str | None = None) -> UserPlaces:
        """The places of a gazetteer table read by :func:`~sahel_events.geo.read_places`."""
        others: list[list[str]] = [[] for _ in table.name]
        for target, alias in zip(table.aliases.targets, table.aliases.aliases, strict=True):
            row = int(target)
            if alias and alias != table.name[row]:
                others[row].append(alias)
        return cls(
            (
                UserPlace(
                    name=table.name[row],
                    latitude=table.latitude[row],
                    longitude=table.longitude[row],
                    alpha2=table.alpha2[row],
                    kind=table.feature_kind[row],
                    alternate_names=tuple(others[row]),
                    admin1=table.admin1[row],
                )
                for row in range(len(table))
            ),
            path=path,
        )

    def lookup(self, query: str, country: str | None = None) -> UserPlace | None:
        """The place named ``query`` (in ``country`` when given), or None.

        Raises:
            CodingSheetError: Two places of the table answer the query.
        """
        found = self._by_key.get(place_key(query), [])
        if country is not None:
            found = [place for place in found if place.alpha2 == country.upper()]
        if len(found) > 1:
            listed = "; ".join(f"{p.name} ({p.alpha2}, {p.latitude}, {p.longitude})" for p in found)
            raise CodingSheetError(
                f"{quote(query)} names {len(found)} places of the places table "
                f"{self.path}: {listed}; give location.country or rename one",
            )
        return found[0] if found else None

    def __len__(self) -> int:
        return len(self.places)


def load_places(path: str | PathLike[str]) -> UserPlaces:
    """Read a user's places table (CSV or YAML, see the module docstring).

    Raises:
        UnreadableFileError: The file is missing, unreadable, not UTF-8, not a
            regular file, or its YAML is malformed or unsafe.
        CodingSheetError: A row is malformed; the message names the file, row and column.
    """
    return _load(str(Path(path).resolve()), str(path))


@cache
def _load(resolved: str, shown: str) -> UserPlaces:
    try:
        table = read_places(
            shown,
            kinds=KIND_PRECISION,
            default_kind=None,
            strict=True,
            within=Path(shown).parent,
        )
    except PlacesFileError as error:
        # A coding input: the build reports it as a coding problem, like a sheet's.
        raise CodingSheetError(
            error.message, path=error.path, row=error.row, column=error.column
        ) from None
    return UserPlaces.from_table(table, path=shown)
