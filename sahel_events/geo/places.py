"""Your own places: a CSV or YAML file the gazetteer reads before its own data.

The one loader of a user's places: ``Gazetteer(extra_places=path)``,
``sahel-events geocode --places FILE`` and the coding build's ``--places FILE``
(:mod:`sahel_events.coding.places`, which passes its own kinds) all read the
file with :func:`read_places`.

Columns (CSV) or keys (YAML, a list of mappings or ``{places: [...]}``):

=================  ========  ===========================================================
``name``           required  the place's main name (Latin or Arabic script)
``latitude``       required  decimal degrees, -90 to 90
``longitude``      required  decimal degrees, -180 to 180
``country``        required  ISO alpha-2, alpha-3 or a country name
``alternate_names`` optional  other names, separated by ``|`` or ``;`` (a list in YAML)
``kind``           optional  a feature kind of :data:`~sahel_events.geo.FEATURE_KINDS`
                             (default ``village``)
``admin1``         optional  the place's first-level admin unit, as answers name it
``source``         optional  where the coordinates come from (kept for your records)
=================  ========  ===========================================================

YAML is read with the strict safe loader of coding sheets (no aliases, no
duplicate keys, no language-specific tags).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from sahel_events._text import find_control, quote
from sahel_events.exc import CodingSheetError, PlacesFileError, UnreadableFileError, UsageError
from sahel_events.geo import _data
from sahel_events.geo._normalize import normalize

__all__ = ["MAX_PLACES_BYTES", "PLACE_COLUMNS", "read_places"]

PLACE_COLUMNS: tuple[str, ...] = (
    "name",
    "alternate_names",
    "latitude",
    "longitude",
    "country",
    "kind",
    "admin1",
    "source",
)
_REQUIRED = ("name", "latitude", "longitude", "country")
#: A places file larger than this is refused: a list of places, not a gazetteer.
MAX_PLACES_BYTES = 20_000_000


def _read_text(path: Path, within: str | os.PathLike[str] | None) -> str:
    from sahel_events._io import read_limited

    data = read_limited(path, MAX_PLACES_BYTES, within=within, what="places file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"not UTF-8 text (byte {error.start}); save the file as UTF-8", path=path
        ) from None


def _records(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number as a user counts it, record) pairs."""
    if path.suffix.lower() in {".yaml", ".yml"}:
        from sahel_events.coding._yaml import parse_yaml

        try:
            document = parse_yaml(text, path=path)
        except CodingSheetError as error:
            # The file cannot be read as places at all: unreadable, as a broken CSV is.
            raise UnreadableFileError(error.message, path=path) from None
        if isinstance(document, dict) and "places" in document:
            document = document["places"]
        if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
            raise PlacesFileError("expected a list of places (mappings)", path=path)
        return [(number, record) for number, record in enumerate(document, start=1)]
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        if not header:
            raise UnreadableFileError("empty file: no header row", path=path)
        if len(set(header)) != len(header):
            twice = sorted({name for name in header if header.count(name) > 1})
            raise PlacesFileError(f"column {twice[0]!r} appears twice in the header", path=path)
        missing = [name for name in _REQUIRED if name not in header]
        if missing:
            raise PlacesFileError(
                f"missing column(s) {', '.join(missing)}; the columns are "
                + ", ".join(PLACE_COLUMNS),
                path=path,
            )
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise UnreadableFileError(f"not a readable CSV: {error}", path=path) from None


def _float(value: Any, low: float, high: float, path: Path, row: int, column: str) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise PlacesFileError(
            f"{str(value)[:40]!r} is not a number", path=path, row=row, column=column
        ) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise PlacesFileError(
            f"{number} is outside {low:g} to {high:g}", path=path, row=row, column=column
        )
    return number


def read_places(
    path: str | os.PathLike[str],
    *,
    kinds: Collection[str] | None = None,
    default_kind: str | None = "village",
    strict: bool = False,
    within: str | os.PathLike[str] | None = None,
) -> _data.Places:
    """Read a file of your own places into a gazetteer table (``source: user``).

    Args:
        path: The CSV or YAML file (see the module docstring for its columns).
        kinds: The kinds a place may be; default
            :data:`~sahel_events.geo.FEATURE_KINDS`. The coding build passes its
            own (:data:`sahel_events.coding.places.KIND_PRECISION`).
        default_kind: The kind of a place that gives none; ``None`` makes
            ``kind`` required.
        strict: Refuse a column that is not one of :data:`PLACE_COLUMNS` (a
            misspelled ``alternate_name`` would otherwise be ignored).
        within: Refuse a file whose symbolic links lead outside this folder
            (the build keeps its inputs in their folders).

    Raises:
        UnreadableFileError: the file is missing, not UTF-8, not CSV/YAML, or
            its YAML is malformed or unsafe.
        PlacesFileError: a row lacks a name or coordinates, or has a bad value
            (the message names the file, row and column).
    """
    from sahel_events.geo.gazetteer import FEATURE_KINDS
    from sahel_events.geo.shapes import resolve_country

    allowed = tuple(FEATURE_KINDS if kinds is None else kinds)
    path = Path(path)
    text = _read_text(path, within)
    columns: dict[str, list[Any]] = {
        name: [] for name in ("name", "alpha2", "lat", "lon", "kind", "admin1")
    }
    aliases: list[tuple[str, int, str]] = []
    for number, record in _records(path, text):
        if strict:
            unknown = [str(key) for key in record if key not in PLACE_COLUMNS]
            if unknown:
                raise PlacesFileError(
                    f"unknown column {quote(unknown[0])}; the columns are "
                    + ", ".join(PLACE_COLUMNS),
                    path=path,
                    row=number,
                    column=unknown[0],
                )
        name = str(record.get("name") or "").strip()
        if not name:
            raise PlacesFileError("no name", path=path, row=number, column="name")
        if find_control(name) is not None:
            raise PlacesFileError(
                "holds a control character: place names are stored in what is built",
                path=path,
                row=number,
                column="name",
            )
        required = (*_REQUIRED, "kind") if default_kind is None else _REQUIRED
        for column in required:
            if record.get(column) in (None, ""):
                raise PlacesFileError("empty", path=path, row=number, column=column)
        latitude = _float(record["latitude"], -90, 90, path, number, "latitude")
        longitude = _float(record["longitude"], -180, 180, path, number, "longitude")
        try:
            alpha2 = resolve_country(str(record["country"]).strip()).alpha2
        except UsageError as error:
            raise PlacesFileError(error.message, path=path, row=number, column="country") from None
        kind = str(record.get("kind") or default_kind).strip()
        if kind not in allowed and kind.lower() in allowed:
            kind = kind.lower()
        if kind not in allowed:
            raise PlacesFileError(
                f"unknown kind {kind[:40]!r}; use one of {', '.join(allowed)}",
                path=path,
                row=number,
                column="kind",
            )
        others = record.get("alternate_names") or []
        if isinstance(others, str):
            others = others.replace(";", "|").split("|")
        if not isinstance(others, (list, tuple)) or not all(isinstance(o, str) for o in others):
            raise PlacesFileError(
                "expected names separated by '|' or ';' (a list in YAML)",
                path=path,
                row=number,
                column="alternate_names",
            )
        index = len(columns["name"])
        for alias in dict.fromkeys([name, *(other.strip() for other in others)]):
            key = normalize(alias)
            if key:
                aliases.append((key, index, alias))
        admin1 = record.get("admin1")
        columns["name"].append(name)
        columns["alpha2"].append(alpha2)
        columns["lat"].append(latitude)
        columns["lon"].append(longitude)
        columns["kind"].append(kind)
        columns["admin1"].append(str(admin1).strip() or None if admin1 else None)
    aliases.sort()
    count = len(columns["name"])
    return _data.Places(
        source="user",
        ids=list(range(1, count + 1)),
        name=columns["name"],
        alpha2=columns["alpha2"],
        admin1=columns["admin1"],
        admin2=[None] * count,
        latitude=columns["lat"],
        longitude=columns["lon"],
        population=[0] * count,
        feature_kind=columns["kind"],
        aliases=_data.AliasIndex(
            keys=[key for key, _, _ in aliases],
            targets=[str(index) for _, index, _ in aliases],
            aliases=[alias for _, _, alias in aliases],
            numeric_targets=True,
        ),
    )
