"""The JSON Schema of a coding sheet, and its errors explained in plain English.

:func:`sheet_json_schema` is built from the vocabularies (event types and their
sub-event types) and checked with ``jsonschema``; :func:`sheet_problems` turns
each schema error into a :class:`~sahel_events.exc.CodingSheetError` naming its
event (key, or ``#n`` when the key is unusable) and dotted field. Values in
messages are shown by :func:`~sahel_events._text.quote`: bounded and
escaped, never a file's content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from typing import Any

from sahel_events._text import quote
from sahel_events.exc import CodingSheetError
from sahel_events.vocabulary import EVENT_TYPES, SUB_EVENT_TYPES

__all__ = [
    "EARLIEST_DATE",
    "EVENT_KEY_PATTERN",
    "LATEST_DATE",
    "MAX_FATALITIES",
    "SHEET_VERSION",
    "SOURCE_ID_PATTERN",
    "sheet_json_schema",
    "sheet_problems",
]

#: The only sheet format version this library reads.
SHEET_VERSION = 1
#: Fatalities above this in one event are refused as a typo.
MAX_FATALITIES = 1_000_000
#: An event key: lower-case words of letters and digits joined by single hyphens.
EVENT_KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: A source id: it becomes a file name, so no slashes and no leading dot.
SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
#: Dates a sheet may give. ACLED's data begin in 1997; the bounds leave room
#: for background events and keep every date inside what pandas and Parquet
#: timestamps hold (1677-2262), so 0001-01-01 or 9999-12-31 is an invalid
#: value, not an internal error.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _string_list(description: str, *, pattern: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "string", "minLength": 1}
    if pattern is not None:
        item["pattern"] = pattern
    return {"type": "array", "items": item, "description": description}


@cache
def _schema() -> dict[str, Any]:
    sub_types_of = {
        event_type: [sub for parent, sub, _ in SUB_EVENT_TYPES if parent == event_type]
        for event_type in EVENT_TYPES
    }
    text = {"type": "string", "minLength": 1}
    location = {
        "type": "object",
        "description": "Where the event happened, as a query for the gazetteer.",
        "additionalProperties": False,
        "required": ["query"],
        "properties": {
            "query": {**text, "description": "A place name in any script."},
            "country": {
                "type": "string",
                "pattern": "^[A-Z]{2}$",
                "description": "ISO 3166-1 alpha-2 country hint.",
            },
            "name": {**text, "description": "The location column; default the gazetteer's name."},
            "geo_precision": {"type": "integer", "enum": [1, 2, 3]},
            "latitude": {
                "type": "number",
                "minimum": -90,
                "maximum": 90,
                "description": "Coordinates for a place the gazetteer lacks (with longitude, "
                "reason and country).",
            },
            "longitude": {"type": "number", "minimum": -180, "maximum": 180},
            "reason": {**text, "description": "Where the coordinates come from."},
        },
        "dependentRequired": {
            "latitude": ["longitude", "reason", "country"],
            "longitude": ["latitude"],
        },
    }
    date_spec = {
        "type": "object",
        "description": "Exactly one of `on` (with `precision`) and `expression`.",
        "additionalProperties": False,
        "properties": {
            "on": {
                "type": "string",
                "pattern": _DATE_PATTERN,
                "format": "date",
                "description": "An explicit date, YYYY-MM-DD.",
            },
            "expression": {
                **text,
                "description": "The source's words for the date, resolved against its publication date.",
            },
            "precision": {
                "type": "integer",
                "enum": [1, 2, 3],
                "description": "ACLED time precision: 1 day, 2 week or similar span, 3 month.",
            },
            "basis": {
                **text,
                "description": "Why this date; required in spirit when `on` comes from other reports.",
            },
        },
        "oneOf": [{"required": ["on"]}, {"required": ["expression"]}],
        "dependentRequired": {"on": ["precision"]},
    }
    event = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "key",
            "event_type",
            "sub_event_type",
            "actor1",
            "location",
            "date",
            "notes",
            "evidence",
        ],
        "properties": {
            "key": {
                "type": "string",
                "pattern": EVENT_KEY_PATTERN,
                "maxLength": 100,
                "description": "Stable slug, unique in the sheet; the event number derives from it.",
            },
            "event_type": {"type": "string", "enum": list(EVENT_TYPES)},
            "sub_event_type": {
                "type": "string",
                "enum": [sub for _, sub, _ in SUB_EVENT_TYPES],
            },
            "actor1": {**text, "description": "An actor registry name, id or alias."},
            "assoc_actor_1": _string_list("Associated actors of actor1."),
            "actor2": {**text, "description": "The second actor; omit for one-sided events."},
            "assoc_actor_2": _string_list("Associated actors of actor2."),
            "location": location,
            "date": date_spec,
            # The bound catches typos and keeps the column within 64-bit integers.
            "fatalities": {"type": "integer", "minimum": 0, "maximum": MAX_FATALITIES},
            "civilian_targeting": {"type": "boolean"},
            "tags": _string_list(
                "ACLED-style tags; ';' separates tags, so no tag contains it.", pattern="^[^;]+$"
            ),
            "background": {
                "type": "boolean",
                "description": "True for past events the source recounts as context.",
            },
            "notes": {**text, "description": "English description in ACLED's style."},
            "evidence": {
                **_string_list("Quotes copied verbatim from the source text."),
                "minItems": 1,
            },
            "draft": {
                "type": "boolean",
                "description": "Set by `sahel-events suggest`: no person confirmed this event "
                "yet. The build refuses it; delete the mark once every value is checked.",
            },
        },
        "allOf": [
            {
                "if": {
                    "properties": {"event_type": {"const": event_type}},
                    "required": ["event_type"],
                },
                "then": {"properties": {"sub_event_type": {"enum": subs}}},
            }
            for event_type, subs in sub_types_of.items()
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/sahel-events/sahel_events/blob/main/schemas/coding_sheet.schema.json",
        "title": "sahel_events coding sheet",
        "description": "Events coded from one source, with verbatim evidence (sheet_version 1).",
        "type": "object",
        "additionalProperties": False,
        "required": ["sheet_version", "source", "coded_by", "coded_on", "events"],
        "properties": {
            "sheet_version": {"const": SHEET_VERSION},
            "source": {"type": "string", "pattern": SOURCE_ID_PATTERN, "maxLength": 200},
            "coded_by": text,
            "coded_on": {"type": "string", "pattern": _DATE_PATTERN, "format": "date"},
            "events": {"type": "array", "items": event},
            "draft": {
                "type": "boolean",
                "description": "Set by `sahel-events suggest`; the build refuses a draft.",
            },
        },
    }


def sheet_json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a coding sheet, built from the vocabularies.

    ``sahel-events schema export`` writes it to ``schemas/coding_sheet.schema.json``
    so editors can check sheets as they are written. Event types and their
    sub-event types come from :mod:`sahel_events.vocabulary`.
    """
    import copy

    return copy.deepcopy(_schema())


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def sheet_problems(data: Any) -> Iterator[CodingSheetError]:
    """Every problem of a parsed sheet, in sheet order, each naming its event and field."""
    if not isinstance(data, Mapping):
        # _kind() shows a bounded, escaped value: a sheet linked to a private
        # file must not print that file.
        yield CodingSheetError(
            f"a sheet is a mapping of sheet_version, source, coded_by, coded_on and events, "
            f"not {_kind(data)}"
        )
        return
    errors = sorted(_validator().iter_errors(data), key=_error_order)
    seen: set[tuple[Any, ...]] = set()
    for error in errors:
        problem = _explain(error, data)
        if problem is None:
            continue
        # Two events may share a key (itself a problem): keep their problems apart.
        position = tuple(error.absolute_path)[:2]
        identity = (position, problem.event, problem.field, problem.message)
        if identity not in seen:
            seen.add(identity)
            yield problem
    yield from _duplicate_keys(data)
    if not errors:
        yield from _date_ranges(data)


def _date_ranges(data: Mapping[str, Any]) -> Iterator[CodingSheetError]:
    """Dates the schema accepts as dates but no event (or coding) can have."""

    def check(value: str, event: str | None, field: str) -> Iterator[CodingSheetError]:
        day = date.fromisoformat(value)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            yield CodingSheetError(
                f"{value!r} is outside the dates this library records "
                f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})",
                event=event,
                field=field,
            )

    yield from check(data["coded_on"], None, "coded_on")
    for index, raw in enumerate(data["events"]):
        if "on" in raw["date"]:
            yield from check(raw["date"]["on"], _event_name(data, index), "date.on")


def _error_order(error: Any) -> tuple[Any, ...]:
    # Report in sheet order (event 2 before event 10), deterministically.
    path = tuple(
        (0, part, "") if isinstance(part, int) else (1, 0, str(part))
        for part in error.absolute_path
    )
    return (path, error.validator, error.message)


def _duplicate_keys(data: Mapping[str, Any]) -> Iterator[CodingSheetError]:
    events = data.get("events")
    if not isinstance(events, list):
        return
    first_index: dict[str, int] = {}
    for index, event in enumerate(events):
        key = event.get("key") if isinstance(event, Mapping) else None
        if not isinstance(key, str):
            continue
        if key in first_index:
            yield CodingSheetError(
                f"key {quote(key)} is already used by event #{first_index[key] + 1}; keys must be unique",
                event=key,
                field="key",
            )
        else:
            first_index[key] = index


def _event_name(data: Mapping[str, Any], index: int) -> str:
    events = data.get("events")
    event = events[index] if isinstance(events, list) and index < len(events) else None
    key = event.get("key") if isinstance(event, Mapping) else None
    if isinstance(key, str) and re.match(EVENT_KEY_PATTERN, key):
        return key
    return f"#{index + 1}"


def _explain(error: Any, data: Mapping[str, Any]) -> CodingSheetError | None:
    """Turn a jsonschema error into a plain-English problem with event and field."""
    path = list(error.absolute_path)
    event: str | None = None
    if len(path) >= 2 and path[0] == "events" and isinstance(path[1], int):
        event = _event_name(data, path[1])
        field_parts = path[2:]
    else:
        field_parts = path
    field = _dotted(field_parts)
    value = error.instance
    validator = error.validator

    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return CodingSheetError(
            f"required field {missing!r} is missing",
            event=event,
            field=_dotted([*field_parts, missing]),
        )
    if validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(str(key) for key in value if key not in allowed)
        return CodingSheetError(
            f"unknown field {unknown[0]!r}; allowed here: {', '.join(sorted(allowed))}",
            event=event,
            field=_dotted([*field_parts, unknown[0]]),
        )
    if validator == "oneOf" and field_parts and field_parts[-1] == "date":
        if isinstance(value, Mapping) and "on" in value and "expression" in value:
            message = "give either 'on' (an explicit date) or 'expression', not both"
        else:
            message = "give one of 'on' (an explicit date, with 'precision') or 'expression'"
        return CodingSheetError(message, event=event, field=field)
    if validator == "dependentRequired":
        return CodingSheetError(
            "an explicit date ('on') needs its 'precision' (1 day, 2 week, 3 month)",
            event=event,
            field=_dotted([*field_parts, "precision"]),
        )
    if validator == "type":
        return CodingSheetError(
            _type_message(value, error.validator_value), event=event, field=field
        )
    if validator == "format" or (validator == "pattern" and error.validator_value == _DATE_PATTERN):
        return CodingSheetError(
            f"{quote(value)} is not a date (expected YYYY-MM-DD)", event=event, field=field
        )
    if validator == "enum":
        # A list or mapping here is unhashable (found by the property tests).
        known = isinstance(value, str) and value in _ALL_SUB_EVENT_TYPES
        if "allOf" in error.schema_path and not known:
            return None  # already reported as an unknown sub-event type
        return CodingSheetError(_enum_message(error, value, data, path), event=event, field=field)
    if validator == "const":
        return CodingSheetError(
            f"{quote(value)} is not supported; this library reads sheet_version {SHEET_VERSION}",
            event=event,
            field=field,
        )
    if validator == "pattern":
        return CodingSheetError(
            _pattern_message(value, error.validator_value), event=event, field=field
        )
    if validator == "minItems":
        if field_parts and field_parts[-1] == "evidence":
            message = "at least one evidence quote from the source is required"
        else:
            message = "the list is empty"
        return CodingSheetError(message, event=event, field=field)
    if validator == "minLength":
        return CodingSheetError("must not be empty", event=event, field=field)
    if validator == "maxLength":
        return CodingSheetError(
            f"is longer than {error.validator_value} characters", event=event, field=field
        )
    if validator == "maximum":
        return CodingSheetError(
            f"must be <= {error.validator_value:,}, got {quote(value)}",
            event=event,
            field=field,
        )
    if validator == "minimum":
        return CodingSheetError(
            f"must be >= {error.validator_value}, got {quote(value)}",
            event=event,
            field=field,
        )
    return CodingSheetError(error.message, event=event, field=field)


_ALL_SUB_EVENT_TYPES = frozenset(sub for _, sub, _ in SUB_EVENT_TYPES)

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
}


def _kind(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return quote(value)


def _type_message(value: Any, expected: str | list[str]) -> str:
    names = [expected] if isinstance(expected, str) else expected
    wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
    return f"expected {wanted}, got {_kind(value)}"


def _enum_message(error: Any, value: Any, data: Mapping[str, Any], path: list[Any]) -> str:
    options = error.validator_value
    name = path[-1] if path else ""
    if name == "sub_event_type" and "allOf" in error.schema_path:
        events = data.get("events", [])
        event_type = events[path[1]].get("event_type") if len(path) > 1 else None
        return (
            f"{quote(value)} is not a sub-event type of {event_type!r}; "
            f"its sub-event types are: {', '.join(options)}"
        )
    if name == "event_type":
        return f"{quote(value)} is not an ACLED event type; expected one of: {', '.join(options)}"
    if name == "sub_event_type":
        return f"{quote(value)} is not an ACLED sub-event type"
    return f"{quote(value)} is not one of: {', '.join(str(option) for option in options)}"


def _pattern_message(value: Any, pattern: str) -> str:
    if pattern == EVENT_KEY_PATTERN:
        return (
            f"{quote(value)} is not a valid key: use lower-case letters and digits "
            "in words joined by single hyphens, e.g. 'france-expels-diplomats'"
        )
    if pattern == SOURCE_ID_PATTERN:
        return (
            f"{quote(value)} is not a valid source id: lower-case letters, digits, '.', '_' and '-'"
        )
    if pattern == "^[A-Z]{2}$":
        return f"{quote(value)} is not an ISO 3166-1 alpha-2 country code such as 'ML'"
    if pattern == "^[^;]+$":
        return f"{quote(value)} contains ';', which separates tags in ACLED's tags column"
    return f"{quote(value)} does not match {pattern!r}"


def _dotted(parts: list[Any]) -> str | None:
    if not parts:
        return None
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
