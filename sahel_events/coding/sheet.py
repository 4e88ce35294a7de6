"""Coding sheets: one YAML file of coded events per source.

A coding sheet records what a coder read in one source: each event with its
type, actors, place, date (explicit or as the source's own words), fatalities,
notes and the verbatim quotes it rests on. :func:`load_sheet` reads a sheet
with the strict safe loader (:mod:`sahel_events.coding._yaml`) and checks it
against :func:`sheet_json_schema` (:mod:`sahel_events.coding.sheet_schema`); the
build (:mod:`sahel_events.coding.build`) then resolves actors, places, dates and
quotes. The value objects it returns live in :mod:`sahel_events.coding.models`.

Every problem found is collected: :func:`load_sheet` raises one
:class:`~sahel_events.exc.SheetValidationError` whose ``problems`` lists each
problem as a :class:`~sahel_events.exc.CodingSheetError` with its event and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from os import PathLike
from typing import Any

from sahel_events.coding._yaml import MAX_DEPTH, MAX_SHEET_BYTES, load_yaml, parse_yaml
from sahel_events.coding.models import CodedEvent, CodingSheet, DateSpec, LocationSpec
from sahel_events.coding.sheet_schema import (
    EVENT_KEY_PATTERN,
    MAX_FATALITIES,
    SHEET_VERSION,
    SOURCE_ID_PATTERN,
    sheet_json_schema,
    sheet_problems,
)
from sahel_events.exc import SheetValidationError

__all__ = [
    "EVENT_KEY_PATTERN",
    "MAX_DEPTH",
    "MAX_FATALITIES",
    "MAX_SHEET_BYTES",
    "SHEET_VERSION",
    "SOURCE_ID_PATTERN",
    "CodedEvent",
    "CodingSheet",
    "DateSpec",
    "LocationSpec",
    "SheetValidationError",
    "load_sheet",
    "load_yaml",
    "parse_yaml",
    "sheet_json_schema",
]


def load_sheet(
    path: str | PathLike[str], *, folder: str | PathLike[str] | None = None
) -> CodingSheet:
    """Read a coding sheet and check it against the sheet schema.

    Args:
        path: The sheet's YAML file.
        folder: The folder the sheet must be in once symbolic links are
            resolved (default the folder ``path`` names): a sheet linked to a
            file elsewhere is refused unread.

    Returns:
        The sheet, with every default filled in. Actors, places, dates and
        evidence are *not* resolved here; the build does that.

    Raises:
        UnreadableFileError: The file is missing, not UTF-8, not a regular file
            (a FIFO, a device) or a symbolic link out of its folder.
        CodingSheetError: The file is larger than :data:`MAX_SHEET_BYTES`, or the YAML is
            malformed or unsafe (duplicate key, alias, Python tag...).
        SheetValidationError: The content breaks the schema: every problem is listed in ``problems``,
            each naming its event (key, or ``#n`` when the key is unusable) and
            dotted field, e.g. ``event 'x', field 'date.on': '2025-13-01' is not a date``.
    """
    data = load_yaml(path, folder=folder)
    problems = list(sheet_problems(data))
    if problems:
        raise SheetValidationError(problems, path=path)
    return _build(data, path)


def _build(data: Mapping[str, Any], path: str | PathLike[str]) -> CodingSheet:
    events = []
    for index, raw in enumerate(data["events"]):
        location = raw["location"]
        when = raw["date"]
        events.append(
            CodedEvent(
                key=raw["key"],
                index=index,
                event_type=raw["event_type"],
                sub_event_type=raw["sub_event_type"],
                actor1=raw["actor1"],
                assoc_actor_1=tuple(raw.get("assoc_actor_1", ())),
                actor2=raw.get("actor2"),
                assoc_actor_2=tuple(raw.get("assoc_actor_2", ())),
                location=LocationSpec(
                    query=location["query"],
                    country=location.get("country"),
                    name=location.get("name"),
                    geo_precision=location.get("geo_precision"),
                    latitude=_float_or_none(location.get("latitude")),
                    longitude=_float_or_none(location.get("longitude")),
                    reason=location.get("reason"),
                ),
                date=DateSpec(
                    on=date.fromisoformat(when["on"]) if "on" in when else None,
                    expression=when.get("expression"),
                    precision=int(when["precision"]) if "precision" in when else None,
                    basis=when.get("basis"),
                ),
                fatalities=int(raw.get("fatalities", 0)),
                civilian_targeting=raw.get("civilian_targeting", False),
                tags=tuple(raw.get("tags", ())),
                background=raw.get("background", False),
                notes=raw["notes"],
                evidence=tuple(raw["evidence"]),
                draft=raw.get("draft", False),
            )
        )
    return CodingSheet(
        path=str(path),
        sheet_version=data["sheet_version"],
        source=data["source"],
        coded_by=data["coded_by"],
        coded_on=date.fromisoformat(data["coded_on"]),
        events=tuple(events),
        draft=data.get("draft", False),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
