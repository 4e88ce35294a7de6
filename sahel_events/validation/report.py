"""Validation reports: every failing row and column, once, in words a person understands."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sahel_events._findings import FINDING_COLUMNS, FINDING_DTYPES
from sahel_events._text import escape_controls, shorten, strip_terminal

__all__ = ["ENTRY_COLUMNS", "ValidationReport", "empty_entries"]

#: Columns of :attr:`ValidationReport.entries`, ``errors`` and ``warnings``. A dataset of
#: several files validated on Spark (:mod:`sahel_events.spark`) has a ``file`` column first.
ENTRY_COLUMNS: tuple[str, ...] = FINDING_COLUMNS

_EXAMPLES_PER_CHECK = 5


def empty_entries() -> pd.DataFrame:
    """An empty entries frame with the report's columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in FINDING_DTYPES.items()})


@dataclass
class ValidationReport:
    """The result of :func:`sahel_events.validate`.

    ``entries`` holds one row per failure: the source row (the line number in a
    CSV file, the record number in Parquet or JSON Lines, the worksheet row in
    Excel; missing for file-level findings), the column or columns involved, the
    check's name, the offending value, its severity and a one-line message.
    A rule that spans several columns gives one entry naming all of them.
    """

    source: str
    source_format: str
    n_rows: int
    entries: pd.DataFrame = field(default_factory=empty_entries)
    strict: bool = False
    missing_columns: list[str] = field(default_factory=list)
    derived_columns: list[str] = field(default_factory=list)
    source_format_description: str = ""
    #: Failures per check, complete even when ``entries`` was capped by ``max_errors``.
    counts: pd.DataFrame | None = None
    truncated: bool = False
    #: Distinct rows with an error, counted before ``max_errors`` cut the entries.
    n_failing_rows: int | None = None

    def __post_init__(self) -> None:
        if self.counts is None:
            self.counts = count_by_check(self.entries)

    @property
    def _counts(self) -> pd.DataFrame:
        # Never None once __post_init__ has run; the field is Optional only as a default.
        assert self.counts is not None
        return self.counts

    # --- what users ask first -------------------------------------------------------

    @property
    def errors(self) -> pd.DataFrame:
        """Failures that make the file invalid."""
        return self.entries[self.entries["severity"] == "error"].reset_index(drop=True)

    @property
    def warnings(self) -> pd.DataFrame:
        """Suspicious values, reported without failing the file (unless ``strict``)."""
        return self.entries[self.entries["severity"] == "warning"].reset_index(drop=True)

    @property
    def notes(self) -> pd.DataFrame:
        """What the reader did (markers read as blank, columns renamed); never a failure."""
        return self.entries[self.entries["severity"] == "note"].reset_index(drop=True)

    @property
    def n_errors(self) -> int:
        """Number of error entries, including any left out of ``entries`` by ``max_errors``."""
        return int(self._counts.loc[self._counts["severity"] == "error", "count"].sum())

    @property
    def n_warnings(self) -> int:
        """Number of warning entries, including any left out by ``max_errors``."""
        return int(self._counts.loc[self._counts["severity"] == "warning", "count"].sum())

    @property
    def valid(self) -> bool:
        """True when there is no error (and, with ``strict``, no warning either)."""
        return self.n_errors == 0 and not (self.strict and self.n_warnings)

    @property
    def failing_rows(self) -> int:
        """Number of distinct rows with at least one error (complete under ``max_errors``)."""
        if self.n_failing_rows is not None:
            return self.n_failing_rows
        rows = self.errors["row"].dropna()
        return int(rows.nunique())

    def __bool__(self) -> bool:
        return self.valid

    def __repr__(self) -> str:
        state = "valid" if self.valid else "invalid"
        return (
            f"<ValidationReport {self.source!r}: {state}, {self.n_rows:,} rows, "
            f"{self.n_errors:,} errors, {self.n_warnings:,} warnings, format {self.source_format}>"
        )

    # --- renderings --------------------------------------------------------------------

    def summary(self, examples: int = _EXAMPLES_PER_CHECK) -> str:
        """A text report: the verdict, then failures grouped by check with counts and examples.

        Made to be printed: values are cut to 120 characters with their control
        characters escaped, and the text holds no terminal control sequence
        (:func:`sahel_events._text.strip_terminal`), so no cell can move the
        cursor, redraw the verdict or write to the clipboard.
        """
        state = "VALID" if self.valid else "INVALID"
        lines = [
            f"{escape_controls(self.source)}: {state}",
            f"  format: {self.source_format}"
            + (f" ({self.source_format_description})" if self.source_format_description else ""),
            f"  rows: {self.n_rows:,}; errors: {self.n_errors:,} in {self.failing_rows:,} rows; "
            f"warnings: {self.n_warnings:,}" + ("; strict: warnings fail" if self.strict else ""),
        ]
        if self.missing_columns:
            lines.append(
                "  columns absent from this format (not checked row by row): "
                + ", ".join(self.missing_columns)
            )
        if self.derived_columns:
            lines.append("  columns derived while reading: " + ", ".join(self.derived_columns))
        file_level = self.entries[self.entries["row"].isna()]
        if len(file_level):
            lines.append("  about the file:")
            for check, group in file_level.groupby("check", sort=False):
                lines.append("    " + _file_sentence(str(check), group))
        row_level = self.entries[self.entries["row"].notna()]
        at_rows = set(zip(row_level["check"], row_level["column"].fillna(""), strict=True))
        for severity in ("error", "warning", "note"):
            counts = self._counts[self._counts["severity"] == severity]
            keep = [
                (check, column) in at_rows or check not in set(file_level["check"])
                for check, column in zip(counts["check"], counts["column"], strict=True)
            ]
            counts = counts[keep]
            if counts.empty:
                continue
            lines.append(f"  {severity}s by check:")
            for record in counts.itertuples(index=False):
                column = escape_controls(shorten(record.column))
                lines.append(f"    {record.check} [{column}]: {record.count:,}")
                lines.append(f"      {escape_controls(shorten(record.message, 400))}")
                subset = row_level[
                    (row_level["check"] == record.check)
                    & (row_level["severity"] == severity)
                    & (row_level["column"].fillna("") == record.column)
                ].head(examples)
                for entry in subset.itertuples(index=False):
                    where = "file" if pd.isna(entry.row) else f"row {entry.row}"
                    if "file" in self.entries.columns:  # a dataset of several files (Spark)
                        where = f"{entry.file}, {where}"
                    value = "" if pd.isna(entry.value) else f": {_shorten(entry.value)}"
                    lines.append(f"      - {where}{value}")
                hidden = record.count - len(subset)
                if hidden > 0:
                    lines.append(f"      ... and {hidden:,} more")
        if self.truncated:
            lines.append("  (entries were capped by max_errors; the counts above are complete)")
        return strip_terminal("\n".join(lines))

    def to_dict(self) -> dict[str, Any]:
        """The report as plain Python data (what :meth:`to_json` writes)."""
        entries = self.entries.astype(object).where(self.entries.notna(), None)
        return {
            "source": self.source,
            "source_format": self.source_format,
            "source_format_description": self.source_format_description,
            "valid": self.valid,
            "strict": self.strict,
            "n_rows": self.n_rows,
            "n_errors": self.n_errors,
            "n_warnings": self.n_warnings,
            "missing_columns": list(self.missing_columns),
            "derived_columns": list(self.derived_columns),
            "counts": self._counts.to_dict(orient="records"),
            "truncated": self.truncated,
            "entries": entries.to_dict(orient="records"),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON (UTF-8 text, non-ASCII kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=_json_default)

    def to_csv(self) -> str:
        """The entries as CSV text, one failure a line, with the source in the first column.

        The report echoes cells of the file it checked, which may come from anyone,
        so it is written by the library's one CSV writer
        (:func:`sahel_events._io.write_csv_table`): every text field quoted (a
        carriage return or line break in a value stays in its field), text a
        spreadsheet would run as a formula prefixed with ``'``, CRLF line ends.
        """
        import pyarrow as pa

        from sahel_events._io import csv_text

        frame = self.entries.copy()
        frame.insert(0, "source", self.source)
        text_columns = [
            name
            for name in ("source", "file", "column", "check", "value", "severity", "message")
            if name in frame.columns  # "file": entries of a dataset validated on Spark
        ]
        columns = {
            name: pa.array(frame[name].astype(object).where(frame[name].notna(), None), pa.string())
            for name in text_columns
        }
        leading = [name for name in ("source", "file") if name in columns]
        layout: dict[str, pa.Array] = {
            **{name: columns[name] for name in leading},
            "row": pa.array(frame["row"].astype("Int64"), pa.int64()),
            **{name: columns[name] for name in text_columns if name not in leading},
        }
        return csv_text(pa.table(layout))


def _file_sentence(check: str, group: pd.DataFrame) -> str:
    """One sentence for the file-level entries of one check: severity, what, where."""
    from sahel_events._findings import FINDINGS

    severity = str(group["severity"].iloc[0])
    base = FINDINGS[check].message if check in FINDINGS else str(group["message"].iloc[0])
    parts = []
    for column, message in zip(group["column"], group["message"], strict=True):
        text = str(message)
        detail = text[len(base) :].strip() if text.startswith(base) else text
        where = "" if pd.isna(column) or not column else str(column)
        parts.append(" ".join(part for part in (where, detail) if part))
    parts = [part for part in parts if part]
    sentence = base[0].upper() + base[1:]
    if parts:
        sentence += ": " + "; ".join(parts)
    return f"{severity} ({check}): {_shorten(sentence, 600)}"


def count_by_check(entries: pd.DataFrame) -> pd.DataFrame:
    """Failures per (severity, check, column), errors first, largest first."""
    if entries.empty:
        return pd.DataFrame(
            {
                "severity": pd.Series(dtype="str"),
                "check": pd.Series(dtype="str"),
                "column": pd.Series(dtype="str"),
                "count": pd.Series(dtype="int64"),
                "message": pd.Series(dtype="str"),
            }
        )
    keys = ["severity", "check", "column"]
    grouped = (
        entries.fillna({"column": ""})
        .groupby(keys, sort=False, dropna=False)
        .agg(count=("check", "size"), message=("message", "first"))
        .reset_index()
    )
    grouped["_order"] = grouped["severity"].map({"error": 0, "warning": 1}).fillna(2).astype(int)
    grouped = grouped.sort_values(["_order", "count", "check"], ascending=[True, False, True])
    return grouped.drop(columns="_order").reset_index(drop=True)


def _shorten(value: object, limit: int = 120) -> str:
    return escape_controls(shorten(value, limit))


def _json_default(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    return str(value)
