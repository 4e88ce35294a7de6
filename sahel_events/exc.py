"""The one exception hierarchy of sahel_events.

Every error the library raises on purpose derives from :class:`SahelEventsError`.
Each carries where it happened (file, row, column; or coding sheet, event, field)
and the exit code the command line uses for it: 1 when the data is invalid,
2 when a file cannot be read or a command is misused.

A message never repeats a file's content at length: a quoted value in it longer
than twice :data:`sahel_events._text.MESSAGE_VALUE_LIMIT` (120) characters is cut to
its first 120 (with the total length), the whole message to :data:`MESSAGE_LIMIT`, and control characters in the
message, the file name, the column, the event and the field are written as
visible escapes, so an error is always one short line.
"""

from __future__ import annotations

import re
from os import PathLike

from sahel_events._text import MESSAGE_VALUE_LIMIT, escape_controls, quote, shorten

__all__ = [
    "BuildError",
    "CodingSheetError",
    "EvidenceNotFoundError",
    "GeocodingError",
    "InvalidDataError",
    "OnlineServiceError",
    "OutputError",
    "PlaceNotFound",
    "SahelEventsError",
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


class BuildError(InvalidDataError):
    """Coded events failed validation; nothing was written."""


class OutputError(SahelEventsError):
    """An output could not be written (folder not writable, disk full, size limit)."""

    exit_code = EXIT_UNREADABLE


class UnsafePathError(SahelEventsError):
    """A path built from data would leave its output folder."""

    exit_code = EXIT_UNREADABLE


class GeocodingError(SahelEventsError):
    """Base class of geocoding errors."""


class PlaceNotFound(GeocodingError):
    """The gazetteer has no place for the query."""

    exit_code = EXIT_INVALID


class OnlineServiceError(GeocodingError):
    """An online geocoding service the user opted into failed or could not be reached."""

    exit_code = EXIT_UNREADABLE
