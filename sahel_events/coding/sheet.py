"""Coding sheets: one YAML file of coded events per source.

A coding sheet records what a coder read in one source: each event with its
type, actors, place, date (explicit or as the source's own words), fatalities,
notes and the verbatim quotes it rests on. :func:`load_sheet` reads a sheet
safely and checks it against :func:`json_schema`; the build
(:mod:`sahel_events.coding.build`) then resolves actors, places, dates and
quotes.

Reading is defensive because sheets are contributed files:

* files larger than :data:`MAX_SHEET_BYTES` are refused before parsing;
* YAML is parsed with a safe loader that refuses duplicate keys (naming the
  key and its line), anchors and aliases (so no "billion laughs" expansion),
  nesting deeper than :data:`MAX_DEPTH`, and every language-specific tag such
  as ``!!python/object``;
* scalars follow YAML 1.2's core rules for booleans (only ``true``/``false``),
  so the field ``on`` stays a key and ``NO`` stays Norway, and dates stay
  text until checked, so that ``2025-13-01`` gets a message rather than a crash.

Every problem found is collected: :func:`load_sheet` raises one
:class:`SheetValidationError` whose ``problems`` lists each problem as a
:class:`~sahel_events.exc.CodingSheetError` with its event and field.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.resolver import Resolver

from sahel_events.exc import CodingSheetError, UnreadableFileError
from sahel_events.vocabulary import EVENT_TYPES, SUB_EVENT_TYPES

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
    "json_schema",
    "load_sheet",
    "load_yaml",
    "parse_yaml",
]

#: The only sheet format version this library reads.
SHEET_VERSION = 1
#: Sheets (and source metadata) larger than this are refused unread.
MAX_SHEET_BYTES = 5 * 1024 * 1024
#: Fatalities above this in one event are refused as a typo.
MAX_FATALITIES = 1_000_000
#: Deeper nesting than this is refused: no real sheet needs it, and the YAML
#: composer is recursive.
MAX_DEPTH = 32
#: An event key: lower-case words of letters and digits joined by single hyphens.
EVENT_KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: A source id: it becomes a file name, so no slashes and no leading dot.
SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class SheetValidationError(CodingSheetError):
    """A coding sheet has one or more problems.

    ``problems`` holds one :class:`~sahel_events.exc.CodingSheetError` per
    problem, each naming its event and field. With a single problem this error
    carries that problem's event and field itself; with several, the message
    lists them all on one line.
    """

    def __init__(self, problems: list[CodingSheetError], *, path: str | PathLike[str]) -> None:
        self.problems: tuple[CodingSheetError, ...] = tuple(problems)
        if len(problems) == 1:
            only = problems[0]
            super().__init__(only.message, path=path, event=only.event, field=only.field)
        else:
            listed = "; ".join(_describe(problem) for problem in problems)
            super().__init__(f"{len(problems)} problems: {listed}", path=path)


def _describe(problem: CodingSheetError) -> str:
    where = []
    if problem.event is not None:
        where.append(f"event {problem.event!r}")
    if problem.field is not None:
        where.append(f"field {problem.field!r}")
    return f"{', '.join(where)}: {problem.message}" if where else problem.message


# --- Value objects -------------------------------------------------------------


@dataclass(frozen=True)
class LocationSpec:
    """Where an event happened, as a query for the gazetteer.

    Attributes:
        query: A place name in any script, e.g. ``"باماكو"``.
        country: Optional ISO 3166-1 alpha-2 hint, e.g. ``"ML"``.
        name: The ``location`` column; None means the gazetteer's name.
        geo_precision: Optional override of the gazetteer's precision (1-3).
    """

    query: str
    country: str | None = None
    name: str | None = None
    geo_precision: int | None = None


@dataclass(frozen=True)
class DateSpec:
    """When an event happened: an explicit date, or the source's own words.

    Exactly one of ``on`` and ``expression`` is set. ``precision`` is required
    with ``on`` and, with ``expression``, overrides the resolver's precision.

    Attributes:
        on: An explicit date.
        expression: A date expression relative to the source's publication
            date, e.g. ``"حتى يوم غد (السبت)"``; see :mod:`sahel_events.coding.dates`.
        precision: ACLED's time precision, 1 (day), 2 (week or similar), 3 (month).
        basis: Why this date, e.g. the other reports it comes from.
    """

    on: date | None = None
    expression: str | None = None
    precision: int | None = None
    basis: str | None = None


@dataclass(frozen=True)
class CodedEvent:
    """One event as coded in a sheet, before the build resolves it.

    Attributes:
        key: Stable slug, unique in its sheet; the event number derives from it.
        index: Position of the event in the sheet, from 0.
        event_type: One of ACLED's 6 event types.
        sub_event_type: One of the sub-event types of ``event_type``.
        actor1: An actor registry name, id or alias.
        assoc_actor_1: Associated actors of ``actor1``.
        actor2: The second actor, or None for a one-sided event.
        assoc_actor_2: Associated actors of ``actor2``.
        location: Where it happened.
        date: When it happened.
        fatalities: Reported fatalities (0 when unknown).
        civilian_targeting: Whether civilians were the main or only target.
        tags: ACLED-style structured tags.
        background: True for a past event the source recounts as context.
        notes: Short English description in ACLED's style.
        evidence: Verbatim quotes from the source.
    """

    key: str
    index: int
    event_type: str
    sub_event_type: str
    actor1: str
    location: LocationSpec
    date: DateSpec
    notes: str
    evidence: tuple[str, ...]
    assoc_actor_1: tuple[str, ...] = ()
    actor2: str | None = None
    assoc_actor_2: tuple[str, ...] = ()
    fatalities: int = 0
    civilian_targeting: bool = False
    tags: tuple[str, ...] = ()
    background: bool = False


@dataclass(frozen=True)
class CodingSheet:
    """A loaded, schema-checked coding sheet.

    Attributes:
        path: The file it was read from.
        sheet_version: Format version (always :data:`SHEET_VERSION`).
        source: Id of the source it codes.
        coded_by: Who coded it.
        coded_on: When it was coded; gives the events' ``timestamp``.
        events: The coded events, in sheet order.
    """

    path: str
    sheet_version: int
    source: str
    coded_by: str
    coded_on: date
    events: tuple[CodedEvent, ...]

    @property
    def timestamp(self) -> int:
        """``coded_on`` at 00:00 UTC as Unix seconds: the events' ``timestamp`` column."""
        midnight = datetime(
            self.coded_on.year, self.coded_on.month, self.coded_on.day, tzinfo=timezone.utc
        )
        return int(midnight.timestamp())


# --- Safe YAML -------------------------------------------------------------------


class _StrictComposer(Composer):
    """Refuses anchors, aliases and deep nesting while building the node tree."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _YamlProblem(
                f"YAML aliases (*{event.anchor}) are not allowed in sheets; write the value out",
                event.start_mark.line + 1,
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None and isinstance(
            event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)
        ):
            raise _YamlProblem(
                f"YAML anchors (&{anchor}) are not allowed in sheets; write the value out",
                event.start_mark.line + 1,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _YamlProblem(
                    f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                    event.start_mark.line + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _StrictConstructor(SafeConstructor):
    """SafeConstructor that refuses duplicate and non-text mapping keys."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:
            # An explicit tag on a value it cannot convert: `!!int abc`.
            raise _YamlProblem(
                f"cannot read {node.tag.rsplit(':', 1)[-1]} value {node.value!r}: {error}",
                node.start_mark.line + 1,
            ) from None

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        self.flatten_mapping(node)
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise _YamlProblem(f"mapping key {key!r} is not text", line)
            if key in seen:
                raise _YamlProblem(f"duplicate key {key!r} (first given on line {seen[key]})", line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _StrictResolver(Resolver):
    """YAML 1.2-style implicit types: no yes/no/on/off booleans, no timestamps."""


# Start from PyYAML's resolvers and drop the two that surprise: YAML 1.1 reads
# `on`, `no`, `yes` as booleans and unquoted dates as date objects.
_StrictResolver.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _StrictLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _StrictComposer,
    _StrictConstructor,
    _StrictResolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        _StrictConstructor.__init__(self)
        _StrictResolver.__init__(self)


try:  # libyaml's parser, when PyYAML was built with it: about 4 times faster.
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _CParser = None

if _CParser is not None:
    # The C parser only produces events; composition (where anchors, aliases
    # and depth are refused) and construction (duplicate keys) stay ours.
    class _FastStrictLoader(_StrictComposer, _CParser, _StrictConstructor, _StrictResolver):
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _StrictComposer.__init__(self)
            _StrictConstructor.__init__(self)
            _StrictResolver.__init__(self)

    _LOADER: type = _FastStrictLoader
else:  # pragma: no cover
    _LOADER = _StrictLoader


class _YamlProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_yaml(text: str, *, path: str | PathLike[str]) -> Any:
    """Parse YAML text with the strict safe loader described in the module docstring.

    Raises:
        CodingSheetError: For malformed YAML, duplicate keys, anchors or
            aliases, excessive nesting and unsupported tags, naming ``path``
            and the line.
    """
    loader = _LOADER(text)
    # Composing allocates many small objects that form no cycles; the cyclic
    # collector's passes over them cost about half the parse of a large sheet.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return loader.get_single_data()
    except _YamlProblem as problem:
        raise CodingSheetError(_at_line(problem.message, problem.line), path=path) from None
    except ConstructorError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        problem = error.problem or "cannot construct a value"
        if "tag" in problem:
            problem = (
                f"{problem.replace('could not determine a constructor for the', 'unsupported')}; "
                "sheets are plain YAML: Python and other language-specific tags "
                "(such as !!python/object) are refused"
            )
        raise CodingSheetError(_at_line(problem, line), path=path) from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        problem = error.problem or str(error)
        context = f" ({error.context})" if error.context else ""
        raise CodingSheetError(
            _at_line(f"not valid YAML: {problem}{context}", line), path=path
        ) from None
    except yaml.YAMLError as error:
        raise CodingSheetError(
            f"not valid YAML: {' '.join(str(error).split())}", path=path
        ) from None
    except (ValueError, TypeError, OverflowError) as error:
        raise CodingSheetError(f"cannot read a value: {error}", path=path) from None
    finally:
        if collecting:
            gc.enable()
        loader.dispose()


def _at_line(message: str, line: int | None) -> str:
    return f"line {line}: {message}" if line is not None else message


def load_yaml(path: str | PathLike[str], *, max_bytes: int = MAX_SHEET_BYTES) -> Any:
    """Read and parse a YAML file safely (size limit, strict UTF-8, strict loader).

    Raises:
        UnreadableFileError: The file is missing, unreadable or not UTF-8.
        CodingSheetError: The file is larger than ``max_bytes`` (refused before
            parsing), or the YAML is malformed or unsafe (see :func:`parse_yaml`).
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            # Refused unread, as invalid: no real sheet is this large.
            raise CodingSheetError(
                f"file is {size:,} bytes, larger than the {max_bytes:,}-byte limit for "
                "sheets; split it",
                path=path,
            )
        with file.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=path) from None
    except IsADirectoryError:
        raise UnreadableFileError("is a directory, not a file", path=path) from None
    except OSError as error:
        raise UnreadableFileError(f"cannot read: {error.strerror}", path=path) from None
    if len(data) > max_bytes:
        raise CodingSheetError(
            f"file is larger than the {max_bytes:,}-byte limit for sheets; split it", path=path
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"not UTF-8 text (invalid byte at offset {error.start})", path=path
        ) from None
    return parse_yaml(text.removeprefix("\ufeff"), path=path)


# --- JSON Schema -------------------------------------------------------------------


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
        },
    }


def json_schema() -> dict[str, Any]:
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


# --- Loading and checking ----------------------------------------------------------


def load_sheet(path: str | PathLike[str]) -> CodingSheet:
    """Read a coding sheet and check it against the sheet schema.

    Args:
        path: The sheet's YAML file.

    Returns:
        The sheet, with every default filled in. Actors, places, dates and
        evidence are *not* resolved here; the build does that.

    Raises:
        UnreadableFileError: The file is missing or not UTF-8.
        CodingSheetError: The file is larger than :data:`MAX_SHEET_BYTES`, or the YAML is
            malformed or unsafe (duplicate key, alias, Python tag...).
        SheetValidationError: The content breaks the schema: every problem is listed in ``problems``,
            each naming its event (key, or ``#n`` when the key is unusable) and
            dotted field, e.g. ``event 'x', field 'date.on': '2025-13-01' is not a date``.
    """
    data = load_yaml(path)
    problems = list(_problems(data))
    if problems:
        raise SheetValidationError(problems, path=path)
    return _build(data, path)


def _problems(data: Any) -> Iterator[CodingSheetError]:
    if not isinstance(data, Mapping):
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
                f"key {key!r} is already used by event #{first_index[key] + 1}; keys must be unique",
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
            f"{value!r} is not a date (expected YYYY-MM-DD)", event=event, field=field
        )
    if validator == "enum":
        # A list or mapping here is unhashable (found by the property tests).
        known = isinstance(value, str) and value in _ALL_SUB_EVENT_TYPES
        if "allOf" in error.schema_path and not known:
            return None  # already reported as an unknown sub-event type
        return CodingSheetError(_enum_message(error, value, data, path), event=event, field=field)
    if validator == "const":
        return CodingSheetError(
            f"{value!r} is not supported; this library reads sheet_version {SHEET_VERSION}",
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
            f"must be <= {error.validator_value:,}, got {value!r}", event=event, field=field
        )
    if validator == "minimum":
        return CodingSheetError(
            f"must be >= {error.validator_value}, got {value!r}", event=event, field=field
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
    return f"{value!r}"


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
            f"{value!r} is not a sub-event type of {event_type!r}; "
            f"its sub-event types are: {', '.join(options)}"
        )
    if name == "event_type":
        return f"{value!r} is not an ACLED event type; expected one of: {', '.join(options)}"
    if name == "sub_event_type":
        return f"{value!r} is not an ACLED sub-event type"
    return f"{value!r} is not one of: {', '.join(str(option) for option in options)}"


def _pattern_message(value: Any, pattern: str) -> str:
    if pattern == EVENT_KEY_PATTERN:
        return (
            f"{value!r} is not a valid key: use lower-case letters and digits "
            "in words joined by single hyphens, e.g. 'france-expels-diplomats'"
        )
    if pattern == SOURCE_ID_PATTERN:
        return f"{value!r} is not a valid source id: lower-case letters, digits, '.', '_' and '-'"
    if pattern == "^[A-Z]{2}$":
        return f"{value!r} is not an ISO 3166-1 alpha-2 country code such as 'ML'"
    if pattern == "^[^;]+$":
        return f"{value!r} contains ';', which separates tags in ACLED's tags column"
    return f"{value!r} does not match {pattern!r}"


def _dotted(parts: list[Any]) -> str | None:
    if not parts:
        return None
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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
            )
        )
    return CodingSheet(
        path=str(path),
        sheet_version=data["sheet_version"],
        source=data["source"],
        coded_by=data["coded_by"],
        coded_on=date.fromisoformat(data["coded_on"]),
        events=tuple(events),
    )
