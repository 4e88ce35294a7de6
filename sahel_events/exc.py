"""The one exception hierarchy of sahel_events.

Every error the library raises on purpose derives from :class:`SahelEventsError`.
Each carries where it happened (file, row, column; or coding sheet, event, field)
and the exit code the command line uses for it: 1 when the data is invalid,
2 when a file cannot be read or a command is misused.

The tree::

    SahelEventsError
    ├── UsageError
    ├── UnreadableFileError
    ├── InvalidDataError
    │   ├── CodingSheetError
    │   │   ├── SheetValidationError    (.problems: one CodingSheetError each)
    │   │   ├── EvidenceNotFoundError
    │   │   ├── UnknownActorError       (also a LookupError)
    │   │   ├── DateExpressionError     (also a ValueError)
    │   │   └── DraftSheetError         (a suggested draft no person confirmed)
    │   └── BuildError                  (.problems: every problem of a build)
    ├── OutputError
    ├── UnsafePathError
    └── GeocodingError
        ├── PlaceNotFound
        └── OnlineServiceError

Messages never print a file's content: a value is shown through
:func:`sahel_events._terminal.quote_value` (cut to a bounded length, control
characters escaped) and a path through :func:`sahel_events._terminal.escape`.
"""

from __future__ import annotations

from os import PathLike

__all__ = [
    "BuildError",
    "CodingSheetError",
    "DateExpressionError",
    "DraftSheetError",
    "EvidenceNotFoundError",
    "GeocodingError",
    "InvalidDataError",
    "OnlineServiceError",
    "OutputError",
    "PlaceNotFound",
    "SahelEventsError",
    "SheetValidationError",
    "UnknownActorError",
    "UnreadableFileError",
    "UnsafePathError",
    "UsageError",
]

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


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
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        self.event = event
        self.field = field

    def where(self) -> str:
        """Where the error is, as ``file, row 12, column 'x'`` (empty when unknown)."""
        from sahel_events._terminal import escape

        parts = []
        if self.path is not None:
            # A file name may hold a newline or an escape sequence: never print it raw.
            parts.append(escape(self.path))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.event is not None:
            parts.append(f"event {self.event!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
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


class GeocodingError(SahelEventsError):
    """Base class of geocoding errors."""


class PlaceNotFound(GeocodingError):
    """The gazetteer has no place for the query."""

    exit_code = EXIT_INVALID


class OnlineServiceError(GeocodingError):
    """An online geocoding service the user opted into failed or could not be reached."""

    exit_code = EXIT_UNREADABLE
