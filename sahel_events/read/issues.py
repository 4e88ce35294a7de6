"""Reader issues: problems found while reading a file that do not stop the reading.

Each issue names the source row (as a user finds it in the file), the column,
the check that failed, the raw text and one plain sentence. The validator turns
them into report entries. They are collected as small vectorised frames (one per
check and column) and concatenated once per chunk, never row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["CHECKS", "ISSUE_COLUMNS", "MAX_VALUE_CHARS", "Check", "IssueCollector"]

#: How much of an offending value an issue keeps.
MAX_VALUE_CHARS = 200

#: Columns of the ``reader_issues`` frame, in order.
ISSUE_COLUMNS: tuple[str, ...] = ("row", "column", "check", "value", "severity", "message")


@dataclass(frozen=True)
class Check:
    """A reader check: its name, severity and what a failure means."""

    name: str
    severity: str
    meaning: str


#: Every check the reader can report, by name.
CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check("not_a_date", "error", "event_date matches none of the accepted date formats."),
        Check(
            "not_an_integer",
            "error",
            "An integer column holds text that is not a whole number (e.g. 'abc' or '1.5').",
        ),
        Check("not_a_number", "error", "latitude or longitude holds text that is not a number."),
        Check(
            "not_a_boolean",
            "error",
            "A flag of the project's exports (background) holds text other than true or false.",
        ),
        Check(
            "ragged_row",
            "error",
            "A CSV record has more or fewer fields than the header; the record is left out.",
        ),
        Check(
            "legacy_event_type_ambiguous",
            "warning",
            "A pre-2019 event type does not determine today's event type or sub-event type;"
            " the undetermined cells are left blank.",
        ),
        Check(
            "unknown_legacy_code",
            "error",
            "A numeric actor-type or interaction code is not in ACLED's codebook;"
            " the raw code is kept as text.",
        ),
        Check(
            "encoding_fallback",
            "warning",
            "The file is not valid UTF-8 and was read as Windows-1252 (cp1252).",
        ),
        Check(
            "cell_too_long",
            "error",
            "A cell holds more than 1,000,000 characters; it is replaced by a blank.",
        ),
    )
}


class IssueCollector:
    """Collects reader issues as frames and builds the ``reader_issues`` frame."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        check: str,
        rows: np.ndarray | pd.Series | list[int | None],
        column: str | None,
        values: pd.Series | list[str],
        messages: pd.Series | list[str] | str,
    ) -> None:
        """Record one issue per entry of ``rows``; ``values`` and ``messages`` align with it."""
        import pandas as pd

        count = len(rows)
        if count == 0:
            return
        severity = CHECKS[check].severity
        value_series = pd.Series(values, dtype="str").reset_index(drop=True)
        value_series = value_series.str.slice(0, MAX_VALUE_CHARS)
        if isinstance(messages, str):
            message_series = pd.Series([messages] * count, dtype="str")
        else:
            message_series = pd.Series(messages, dtype="str").reset_index(drop=True)
        self._parts.append(
            pd.DataFrame(
                {
                    "row": pd.array(list(rows) if isinstance(rows, list) else rows, dtype="Int64"),
                    "column": pd.Series([column] * count, dtype="str"),
                    "check": pd.Series([check] * count, dtype="str"),
                    "value": value_series,
                    "severity": pd.Series([severity] * count, dtype="str"),
                    "message": message_series,
                }
            )
        )

    def extend(self, frame: pd.DataFrame) -> None:
        """Add issues already in the ``reader_issues`` layout."""
        if len(frame):
            self._parts.append(frame)

    def frame(self) -> pd.DataFrame:
        """All issues, ordered by row (file-level issues first), then column and check."""
        import pandas as pd

        from sahel_events.read._issue_frame import ReaderIssues

        if not self._parts:
            return empty_issues()
        issues = pd.concat([pd.DataFrame(part) for part in self._parts], ignore_index=True)
        issues = issues.sort_values(
            ["row", "column", "check"], na_position="first", kind="stable"
        ).reset_index(drop=True)
        return ReaderIssues(issues)


def empty_issues() -> pd.DataFrame:
    """A ``reader_issues`` frame with no rows and the right dtypes."""
    import pandas as pd

    from sahel_events.read._issue_frame import ReaderIssues

    return ReaderIssues(
        {
            "row": pd.array([], dtype="Int64"),
            **{name: pd.Series([], dtype="str") for name in ISSUE_COLUMNS[1:]},
        }
    )
