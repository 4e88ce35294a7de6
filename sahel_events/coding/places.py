"""A user's own places: villages and sites the embedded gazetteer lacks.

``build(..., places=PATH)`` and ``sahel-events build --places FILE`` read a
small table of places, CSV or YAML, with these columns:

==================  =====================================================
``name``            The place's name, as the ``location`` column writes it.
``alternate_names`` Other spellings, Arabic script included; ``;`` between
                    them in CSV, a list in YAML. Optional.
``latitude``        Decimal degrees, -90 to 90.
``longitude``       Decimal degrees, -180 to 180.
``country``         ISO alpha-2 code or ACLED country name.
``kind``            ``village``, ``town``, ``city``, ``site``, ``camp``
                    (geo_precision 1); ``commune``, ``district``, ``area``
                    (2); ``region``, ``province`` (3).
``admin1``          Optional; default the admin1 of the nearest gazetteer
                    place in the same country.
==================  =====================================================

A coding sheet's ``location.query`` is looked up here first (names folded as
the gazetteer folds them, restricted to ``location.country`` when given), then
in the gazetteer. The table is meant to move into the gazetteer
(``Gazetteer(extra_places=path)``) with the same columns, so that geocoding and
the build read one list.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Any

from sahel_events._terminal import quote_value
from sahel_events.coding._files import read_input
from sahel_events.exc import CodingSheetError, UnreadableFileError

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
#: Larger tables are refused unread.
MAX_PLACES_BYTES = 20 * 1024 * 1024
_COLUMNS = ("name", "alternate_names", "latitude", "longitude", "country", "kind", "admin1")
_REQUIRED = ("name", "latitude", "longitude", "country", "kind")


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
        from sahel_events.geo._normalize import normalize

        self.places = tuple(places)
        self.path = path
        self._by_key: dict[str, list[UserPlace]] = {}
        for place in self.places:
            # Two spellings of one place may fold to one key: index the place once.
            for key in dict.fromkeys(
                normalize(label) for label in (place.name, *place.alternate_names)
            ):
                self._by_key.setdefault(key, []).append(place)

    def lookup(self, query: str, country: str | None = None) -> UserPlace | None:
        """The place named ``query`` (in ``country`` when given), or None.

        Raises:
            CodingSheetError: Two places of the table answer the query.
        """
        from sahel_events.geo._normalize import normalize

        found = self._by_key.get(normalize(query), [])
        if country is not None:
            found = [place for place in found if place.alpha2 == country.upper()]
        if len(found) > 1:
            listed = "; ".join(f"{p.name} ({p.alpha2}, {p.latitude}, {p.longitude})" for p in found)
            raise CodingSheetError(
                f"{quote_value(query)} names {len(found)} places of the places table "
                f"{self.path}: {listed}; give location.country or rename one",
            )
        return found[0] if found else None

    def __len__(self) -> int:
        return len(self.places)


def load_places(path: str | PathLike[str]) -> UserPlaces:
    """Read a user's places table (CSV or YAML, see the module docstring).

    Raises:
        UnreadableFileError: The file is missing, unreadable, not UTF-8 or not a regular file.
        CodingSheetError: A row is malformed; the message names the file, row and column.
    """
    return _load(str(Path(path).resolve()), str(path))


@cache
def _load(resolved: str, shown: str) -> UserPlaces:
    suffix = Path(resolved).suffix.lower()
    if suffix in (".yaml", ".yml"):
        from sahel_events.coding._yaml import load_yaml

        data = load_yaml(shown, max_bytes=MAX_PLACES_BYTES)
        if not isinstance(data, list):
            raise CodingSheetError("a places file is a list of places", path=shown)
        rows: list[Any] = data
        first_row = 1
    elif suffix == ".csv":
        raw = read_input(shown, limit=MAX_PLACES_BYTES)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFileError(
                f"not UTF-8 text (invalid byte at offset {error.start})", path=shown
            ) from None
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        first_row = 2  # the header is row 1
    else:
        raise UnreadableFileError("a places file is .csv, .yaml or .yml", path=shown)
    places = [_place(row, first_row + index, shown) for index, row in enumerate(rows)]
    return UserPlaces(places, path=shown)


def _place(row: Any, number: int, path: str) -> UserPlace:
    from sahel_events.vocabulary import country_lookup

    def problem(column: str, message: str) -> CodingSheetError:
        return CodingSheetError(message, path=path, row=number, column=column)

    if not isinstance(row, Mapping):
        raise problem("name", "a place is a mapping of name, latitude, longitude, country, kind")
    unknown = [str(key) for key in row if key not in _COLUMNS]
    if unknown:
        raise problem(unknown[0], f"unknown column; allowed: {', '.join(_COLUMNS)}")
    for column in _REQUIRED:
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise problem(column, "required value is missing")
    name = str(row["name"]).strip()
    from sahel_events._terminal import find_control

    if find_control(name) is not None:
        raise problem("name", "holds a control character: place names are stored in the dataset")
    coordinates = []
    for column, bound in (("latitude", 90.0), ("longitude", 180.0)):
        value = row[column]
        try:
            number_value = float(value) if not isinstance(value, bool) else math.nan
        except (TypeError, ValueError):
            number_value = math.nan
        if not math.isfinite(number_value) or abs(number_value) > bound:
            raise problem(
                column, f"{quote_value(value)} is not a {column} in -{bound:g}..{bound:g}"
            )
        coordinates.append(number_value)
    try:
        alpha2 = country_lookup(str(row["country"])).alpha2
    except LookupError:
        raise problem("country", f"{quote_value(row['country'])} is not a country") from None
    kind = str(row["kind"]).strip().lower()
    if kind not in KIND_PRECISION:
        raise problem(
            "kind", f"{quote_value(row['kind'])} is not one of {', '.join(KIND_PRECISION)}"
        )
    alternates = row.get("alternate_names") or ()
    if isinstance(alternates, str):
        alternates = [part.strip() for part in alternates.split(";") if part.strip()]
    if not isinstance(alternates, (list, tuple)) or not all(isinstance(a, str) for a in alternates):
        raise problem("alternate_names", "expected names separated by ';' (a list in YAML)")
    admin1 = row.get("admin1")
    return UserPlace(
        name=name,
        latitude=coordinates[0],
        longitude=coordinates[1],
        alpha2=alpha2,
        kind=kind,
        alternate_names=tuple(alternates),
        admin1=str(admin1).strip() if admin1 else None,
    )
