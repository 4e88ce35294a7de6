"""The one exception hierarchy of sahel_events.

Every error the library raises on purpose derives from :class:`SahelEventsError`.
Each carries where it happened (file, row, column; or coding sheet, event, field)
and the exit code the command line uses for it: 1 when the data is invalid,
2 when a file cannot be read or a command is misused.

The tree (geocoding errors are also geopy errors, :class:`geopy.exc.GeopyError`,
so that code written for geopy, ``except GeopyError``, catches them)::

    SahelEventsError
    ├── UsageError
    │   └── GazetteerQueryError         (also GeocodingError and geopy's GeocoderQueryError)
    ├── UnreadableFileError
    ├── InvalidDataError
    │   ├── CodingSheetError
    │   │   ├── SheetValidationError    (.problems: one CodingSheetError each)
    │   │   ├── EvidenceNotFoundError
    │   │   ├── UnknownActorError       (also a LookupError)
    │   │   ├── DateExpressionError     (also a ValueError)
    │   │   └── DraftSheetError         (a suggested draft no person confirmed)
    │   ├── BuildError                  (.problems: every problem of a build)
    │   └── PlacesFileError             (a bad row in a file of your own places)
    ├── OutputError
    ├── UnsafePathError
    └── GeocodingError                  (also geopy.exc.GeopyError)
        ├── PlaceNotFound
        ├── GazetteerQueryError
        └── OnlineServiceError
            └── OnlineAnswerError       (an answer without coordinates, or too large)


A message never repeats a file's content at length: a quoted value in it longer
than twice :data:`sahel_events._text.MESSAGE_VALUE_LIMIT` (120) characters is cut to
its first 120 (with the total length), the whole message to :data:`MESSAGE_LIMIT`, and control characters in the
message, the file name, the column, the event and the field are written as
visible escapes, so an error is always one short line.
"""

from __future__ import annotations

import re
from os import PathLike

from geopy.exc import GeocoderQueryError, GeopyError

from sahel_events._text import MESSAGE_VALUE_LIMIT, escape_controls, quote, shorten

__all__ = [
    "BuildError",
    "CodingSheetError",
    "DateExpressionError",
    "DraftSheetError",
    "EvidenceNotFoundError",
    "GazetteerQueryError",
    "GeocodingError",
    "InvalidDataError",
    "OnlineAnswerError",
    "OnlineServiceError",
    "OutputError",
    "PlaceNotFound",
    "PlacesFileError",
    "SahelEventsError",
    "SheetValidationError",
    "UnknownActorError",
    "UnreadableFileError",
    "UnsafePathError",
    "UsageError",
]

EXIT_INVALID = 1
EXIT_UNREADABLE = 2

#: The most characters a message keeps (its quoted values are cut first).
MESSAGE_LIMIT = 1_000
#: The most characters of a file name a message shows.
PATH_LIMIT = 500

# A quoted value longer than the limit, as repr() or a message writes it; the
# closing quote may be missing where a huge message was cut.
# Values up to twice the limit are kept whole: a caller's own cut value (120
# characters, an ellipsis and a count) is not cut again.
_LONGER = f"{{{2 * MESSAGE_VALUE_LIMIT + 1},}}"
_LONG_QUOTED = re.compile(f"'([^'\\n]{_LONGER})(?:'|$)|\"([^\"\\n]{_LONGER})(?:\"|$)")


# How much of a message is searched for long values (about 10 ms of regex).
_SEARCHED = 2_000_000


def _cut(match: re.Match[str]) -> str:
    value = match.group(1) if match.group(1) is not None else match.group(2)
    closed = match.group().endswith(("'", '"')) and len(match.group()) > len(value) + 1
    if closed:
        return quote(value)
    return "'" + escape_controls(value[:MESSAGE_VALUE_LIMIT]) + "…'"


def bounded_message(message: str) -> str:
    """``message`` with long quoted values cut, then cut as a whole, controls escaped.

    A value is cut where it is quoted (``'...'`` or ``"..."``), keeping the words
    around it; whatever is still too long is cut at :data:`MESSAGE_LIMIT`.
    """
    if len(message) > 2 * MESSAGE_VALUE_LIMIT:
        # A message of hundreds of megabytes is cut first, so the search stays cheap.
        head = _LONG_QUOTED.sub(_cut, message[:_SEARCHED])
        if len(message) > _SEARCHED:
            head += f"… ({len(message):,} characters)"
        message = head
    return escape_controls(shorten(message, MESSAGE_LIMIT))


class SahelEventsError(Exception):
    """Base class of every error sahel_events raises on purpose."""

    exit_code: int = EXIT_UNREADABLE

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
        event: str | None = None,
        field: str | None = None,
    ) -> None:
        message = bounded_message(str(message))
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        self.event = event
        self.field = field

    def where(self) -> str:
        """Where the error is, as ``file, row 12, column 'x'`` (empty when unknown)."""
        parts = []
        if self.path is not None:
            # A file name may hold a newline or an escape sequence: never print it raw.
            parts.append(escape_controls(shorten(self.path, PATH_LIMIT)))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {quote(self.column)}")
        if self.event is not None:
            parts.append(f"event {quote(self.event)}")
        if self.field is not None:
            parts.append(f"field {quote(self.field)}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class UsageError(SahelEventsError):
    """A function or command was called with arguments it cannot use."""

    exit_code = EXIT_UNREADABLE


class UnreadableFileError(SahelEventsError):
    """A file is missing, empty, binary, truncated or not in a format we read."""

    exit_code = EXIT_UNREADABLE


class InvalidDataError(SahelEventsError):
    """The input was read, but its content breaks the rules."""

    exit_code = EXIT_INVALID


class CodingSheetError(InvalidDataError):
    """A coding sheet is malformed or refers to something that does not exist."""


class EvidenceNotFoundError(CodingSheetError):
    """An evidence quote does not occur verbatim in its source text."""


class SheetValidationError(CodingSheetError):
    """A coding sheet has one or more problems.

    ``problems`` holds one :class:`CodingSheetError` per problem, each naming
    its event and field. With a single problem this error carries that
    problem's event and field itself; with several, the message lists them all
    on one line.
    """

    problems: tuple[CodingSheetError, ...]

    def __init__(self, problems: list[CodingSheetError], *, path: str | PathLike[str]) -> None:
        self.problems = tuple(problems)
        if len(problems) == 1:
            only = problems[0]
            super().__init__(only.message, path=path, event=only.event, field=only.field)
        else:
            listed = "; ".join(_describe(problem) for problem in problems)
            super().__init__(f"{len(problems)} problems: {listed}", path=path)


def _describe(problem: SahelEventsError) -> str:
    where = []
    if problem.event is not None:
        where.append(f"event {problem.event!r}")
    if problem.field is not None:
        where.append(f"field {problem.field!r}")
    return f"{', '.join(where)}: {problem.message}" if where else problem.message


class UnknownActorError(CodingSheetError, LookupError):
    """No actor in the registry has this id, name or alias."""


class DateExpressionError(CodingSheetError, ValueError):
    """A date expression cannot be resolved; the message quotes the expression.

    The build adds the sheet, event and field.
    """

    def __init__(self, message: str, expression: str) -> None:
        super().__init__(message)
        self.expression = expression


class DraftSheetError(CodingSheetError):
    """A coding sheet is still a suggested draft: a person has not confirmed it."""


class BuildError(InvalidDataError):
    """Coded events failed validation; nothing was written.

    ``problems`` lists every problem of every sheet, each naming its coding
    sheet, event and field (``errors`` is the same list, its older name).
    """

    problems: tuple[SahelEventsError, ...] = ()

    @property
    def errors(self) -> list[SahelEventsError]:
        """The same problems as :attr:`problems`, as a list (the name used before 0.2)."""
        return list(self.problems)


class OutputError(SahelEventsError):
    """An output could not be written (folder not writable, disk full, size limit)."""

    exit_code = EXIT_UNREADABLE


class UnsafePathError(SahelEventsError):
    """A path built from data would leave its output folder."""

    exit_code = EXIT_UNREADABLE


class PlacesFileError(InvalidDataError):
    """A file of your own places (``Gazetteer(extra_places=...)``) has a bad row."""


class GeocodingError(SahelEventsError, GeopyError):
    """Base class of geocoding errors; a :class:`geopy.exc.GeopyError` too."""


class GazetteerQueryError(UsageError, GeocodingError, GeocoderQueryError):
    """A query or country code the gazetteer cannot use (empty, too long, control
    characters, unknown country): a usage error (exit code 2) and geopy's
    ``GeocoderQueryError``, which geopy-based tools (geopandas) skip as a bad row."""


class PlaceNotFound(GeocodingError):
    """The gazetteer has no place for the query."""

    exit_code = EXIT_INVALID


class OnlineServiceError(GeocodingError):
    """An online geocoding service the user opted into failed or could not be reached."""

    exit_code = EXIT_UNREADABLE


class OnlineAnswerError(OnlineServiceError):
    """An online service answered with something unusable: no coordinates, or a
    body over the size limit. Never cached."""
