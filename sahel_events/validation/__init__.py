"""Validate event tables against the schema, vectorised, with one report entry per failure.

:func:`validate` evaluates the same named checks that :class:`~sahel_events.schema.EventSchema`
declares, but calls their functions directly on whole columns and keeps one
entry per failing row and rule. Plain pandera reports a cross-field failure once
per column of the frame; here a row that breaks a rule spanning several columns
is one entry naming those columns, so a report grows with the failing rows only.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sahel_events import vocabulary
from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.read import DEFAULT_CHUNK_ROWS
from sahel_events.schema import PROVENANCE_COLUMNS, CodedEventSchema, EventSchema
from sahel_events.schema.checks import (
    CHECKS,
    MISSING_VALUE,
    CheckSpec,
    decode_id_keys,
    id_keys,
    parse_event_ids,
)
from sahel_events.validation.report import (
    ENTRY_COLUMNS,
    ValidationReport,
    count_by_check,
    empty_entries,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

__all__ = ["DEFAULT_CHUNK_ROWS", "validate"]

#: Rows per chunk when validating a file: bounds memory on files of any length.

_MISSING_COLUMN = "missing_column"
_NOT_A_DATE = "not_a_date"
_NOT_AN_INTEGER = "not_an_integer"
_NOT_A_NUMBER = "not_a_number"

_MESSAGES = {
    MISSING_VALUE: "a required value is missing",
    _MISSING_COLUMN: "a required column is missing from the file",
    _NOT_A_DATE: "not a date in any of ACLED's date formats",
    _NOT_AN_INTEGER: "not a whole number",
    _NOT_A_NUMBER: "not a number",
}


def validate(
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    strict: bool = False,
    schema: type[EventSchema] | None = None,
    max_errors: int | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    tolerance_km: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> ValidationReport:
    """Validate an event table or file and report every failing row and column.

    Parameters
    ----------
    data:
        A DataFrame, or the path of a CSV, Parquet, JSON Lines or Excel file in
        any ACLED export variant. Files are read in chunks of ``chunk_rows`` rows
        and never modified.
    strict:
        Warnings fail the report too.
    schema:
        The model to check against; by default :class:`EventSchema`, or
        :class:`CodedEventSchema` when the table has provenance columns.
    max_errors:
        Keep at most this many entries (counts per check stay complete).
    tolerance_km:
        How far outside its country a point may lie before it is reported
        (default: the schema's 50 km).
    progress:
        Called with the number of rows just checked after each chunk, so that a
        caller can draw a progress bar (see :mod:`sahel_events.cli._progress`); the
        library itself prints nothing.

    Raises
    ------
    UnreadableFileError
        The file is missing, empty, binary, truncated or in no format we read.
    UsageError
        ``data`` is neither a DataFrame nor a path.
    """
    if max_errors is not None and max_errors < 0:
        raise UsageError("max_errors must be 0 or more")
    if isinstance(data, pd.DataFrame):
        accumulator = _Accumulator(max_errors)
        frame = data
        accumulator.add_chunk(_conform(frame), schema, tolerance_km, defer_unique=True)
        if progress is not None:
            progress(len(frame))
        return accumulator.finish(
            source=str(frame.attrs.get("source_path", "<DataFrame>")),
            attrs=frame.attrs,
            strict=strict,
        )
    if isinstance(data, (str, os.PathLike)):
        return _validate_path(
            Path(data),
            strict=strict,
            schema=schema,
            max_errors=max_errors,
            chunk_rows=chunk_rows,
            tolerance_km=tolerance_km,
            progress=progress,
        )
    raise UsageError(f"validate() takes a DataFrame or a file path, not {type(data).__name__}")


def _validate_path(
    path: Path,
    *,
    strict: bool,
    schema: type[EventSchema] | None,
    max_errors: int | None,
    chunk_rows: int,
    tolerance_km: float | None,
    progress: Callable[[int], None] | None = None,
) -> ValidationReport:
    from sahel_events.read import iter_events

    accumulator = _Accumulator(max_errors)
    attrs: dict[str, Any] = {}
    for chunk in _read_ahead(iter_events(path, chunk_rows=chunk_rows)):
        attrs = chunk.attrs
        accumulator.add_chunk(chunk, schema, tolerance_km, defer_unique=True)
        if progress is not None:
            progress(len(chunk))
        _release_arrow_memory()
    if not attrs:
        raise UnreadableFileError("the file has no rows", path=path)
    return accumulator.finish(source=str(path), attrs=attrs, strict=strict)


def _release_arrow_memory() -> None:
    """Hand memory Arrow no longer uses back to the system, chunk after chunk.

    Arrow's allocator keeps freed blocks for reuse; on a file of tens of millions
    of rows that retention, not the data, would set the peak memory.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _read_ahead(chunks: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Read the next chunk in a background thread while this one is checked.

    Arrow decodes files without holding the GIL, so reading overlaps with the
    checks. The reader starts on a chunk only once the previous one has been
    taken, so at most two chunks are in memory: the one being checked and the
    one being read. Errors raised while reading reach the caller in order.
    """
    import queue

    handoff: queue.Queue[tuple[str, Any]] = queue.Queue()
    may_read = threading.Semaphore(1)
    stop = threading.Event()

    def produce() -> None:
        try:
            iterator = iter(chunks)
            while True:
                may_read.acquire()
                if stop.is_set():
                    return
                chunk = next(iterator, None)
                if chunk is None:
                    handoff.put(("done", None))
                    return
                handoff.put(("chunk", chunk))
                del chunk
        except BaseException as error:  # handed to the consumer, re-raised there
            handoff.put(("error", error))

    reader = threading.Thread(target=produce, name="sahel-events-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            kind, value = handoff.get()
            may_read.release()
            if kind == "chunk":
                yield value
                del value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        may_read.release()
        reader.join()


# --- The engine ---------------------------------------------------------------------


@dataclass
class _Accumulator:
    """Collects entries chunk by chunk; checks that span chunks run in :meth:`finish`."""

    max_errors: int | None
    parts: list[pd.DataFrame] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)
    n_stored: int = 0
    n_rows: int = 0
    truncated: bool = False
    # Per chunk, for the duplicate check across the whole file: each well-formed id as
    # an int64 key with its row, and the rare other ids as text. No id text is kept
    # for well-formed ids, which bounds memory on files of tens of millions of rows.
    key_chunks: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    odd_id_chunks: list[pd.Series] = field(default_factory=list)
    dyadic: bool = True
    unique_spec: CheckSpec | None = None

    def add_chunk(
        self,
        frame: pd.DataFrame,
        schema: type[EventSchema] | None,
        tolerance_km: float | None,
        *,
        defer_unique: bool = False,
    ) -> None:
        self.n_rows += len(frame)
        self.dyadic = bool(frame.attrs.get("dyadic", True))
        model = schema or _schema_for(frame)
        entries = list(_check_chunk(frame, model, tolerance_km, skip_unique=defer_unique))
        has_ids = "event_id_cnty" in frame.columns and "event_id_cnty" not in frame.attrs.get(
            "missing_columns", []
        )
        if (
            defer_unique
            and has_ids
            and self.dyadic
            and "unique_event_id" in _dataframe_check_names(model)
        ):
            self.unique_spec = CHECKS["unique_event_id"]
            ids = frame["event_id_cnty"]
            keys = id_keys(ids)
            rows = frame.index.to_numpy(dtype=np.int64)
            self.key_chunks.append((keys, rows))
            odd = (keys < 0) & ids.notna().to_numpy()
            if odd.any():
                self.odd_id_chunks.append(pd.Series(ids[odd].to_numpy(), index=rows[odd]))
        self._store(entries)

    def _store(self, entries: Iterable[pd.DataFrame | None]) -> None:
        for part in entries:
            if part is None or part.empty:
                continue
            self.counts.extend(_count_part(part))
            if self.max_errors is not None:
                room = self.max_errors - self.n_stored
                if room <= 0:
                    self.truncated = True
                    continue
                if len(part) > room:
                    part = part.iloc[:room]
                    self.truncated = True
            self.n_stored += len(part)
            self.parts.append(part)

    def finish(self, *, source: str, attrs: dict[str, Any], strict: bool) -> ValidationReport:
        if self.unique_spec is not None and self.key_chunks:
            keys = np.concatenate([keys for keys, _ in self.key_chunks])
            rows = np.concatenate([rows for _, rows in self.key_chunks])
            well = keys >= 0
            by_key = pd.Series(keys[well], index=rows[well])
            self._store([_duplicate_id_entries(by_key, decode_id_keys, self.unique_spec)])
            if self.odd_id_chunks:
                odd = pd.concat(self.odd_id_chunks).astype("str")
                self._store([_duplicate_id_entries(odd, None, self.unique_spec)])
        parts = self.parts
        entries = (pd.concat(parts, ignore_index=True) if parts else empty_entries()).astype(
            {
                "row": "Int64",
                "column": "str",
                "check": "str",
                "value": "str",
                "severity": "str",
                "message": "str",
            }
        )
        entries = entries.sort_values(["row", "check"], kind="stable", na_position="first")
        counts = _merge_counts(self.counts) if self.counts else count_by_check(empty_entries())
        return ValidationReport(
            source=source,
            source_format=str(attrs.get("source_format", "dataframe")),
            source_format_description=str(attrs.get("source_format_description", "")),
            n_rows=self.n_rows,
            entries=entries.reset_index(drop=True),
            strict=strict,
            missing_columns=list(attrs.get("missing_columns", [])),
            derived_columns=list(attrs.get("derived_columns", [])),
            counts=counts,
            truncated=self.truncated,
        )


def _count_part(part: pd.DataFrame) -> list[dict[str, Any]]:
    """Counts of one part of the entries, as records; most parts are one check on one column."""
    first = part.iloc[0]
    uniform = (
        (part["check"].to_numpy() == first["check"]).all()
        and (part["column"].to_numpy() == first["column"]).all()
        and (part["severity"].to_numpy() == first["severity"]).all()
    )
    if uniform:
        return [
            {
                "severity": first["severity"],
                "check": first["check"],
                "column": "" if pd.isna(first["column"]) else first["column"],
                "count": len(part),
                "message": first["message"],
            }
        ]
    return count_by_check(part).to_dict(orient="records")


def _merge_counts(counts: list[dict[str, Any]]) -> pd.DataFrame:
    stacked = pd.DataFrame.from_records(counts)
    merged = (
        stacked.groupby(["severity", "check", "column"], sort=False)
        .agg(count=("count", "sum"), message=("message", "first"))
        .reset_index()
    )
    merged["_order"] = (merged["severity"] != "error").astype(int)
    merged = merged.sort_values(["_order", "count", "check"], ascending=[True, False, True])
    return merged.drop(columns="_order").reset_index(drop=True)


def _schema_for(frame: pd.DataFrame) -> type[EventSchema]:
    if all(column in frame.columns for column in PROVENANCE_COLUMNS):
        return CodedEventSchema
    return EventSchema


@cache
def _compiled(model: type[EventSchema]) -> pa.DataFrameSchema:
    return model.to_schema()


def _dataframe_check_names(model: type[EventSchema]) -> set[str]:
    return {check.name for check in _compiled(model).checks}


def _check_chunk(
    frame: pd.DataFrame,
    model: type[EventSchema],
    tolerance_km: float | None,
    *,
    skip_unique: bool,
) -> Iterator[pd.DataFrame | None]:
    compiled = _compiled(model)
    attrs = frame.attrs
    absent_by_variant = set(attrs.get("missing_columns", []))
    dyadic = bool(attrs.get("dyadic", True))
    issues = attrs.get("reader_issues")
    if issues is not None and len(issues):
        yield issues.loc[:, list(ENTRY_COLUMNS)]
    issue_rows = _issue_rows_by_column(issues)

    absent = [name for name in compiled.columns if name not in frame.columns]
    for name in absent:
        if not compiled.columns[name].nullable:
            yield _file_entry(name, _MISSING_COLUMN, "error", _MESSAGES[_MISSING_COLUMN])
    yield from _missing_values(frame, compiled, absent_by_variant, issue_rows)

    jobs: list[tuple[CheckSpec, Any, tuple[str, ...], dict[str, Any]]] = []
    for name, column in compiled.columns.items():
        if name not in frame.columns or name in absent_by_variant:
            continue
        for check in column.checks:
            spec = CHECKS.get(check.name)
            if spec is not None:
                jobs.append((spec, frame[name], (name,), dict(check.statistics)))

    unavailable = absent_by_variant | set(absent)
    for check in compiled.checks:
        spec = CHECKS.get(check.name)
        if spec is None or (spec.dyadic_only and not dyadic):
            continue
        if skip_unique and spec.name == "unique_event_id":
            continue
        if unavailable.intersection(spec.columns):
            continue
        statistics = dict(check.statistics)
        if tolerance_km is not None and "tolerance_km" in statistics:
            statistics["tolerance_km"] = tolerance_km
        jobs.append((spec, frame, spec.columns, statistics))

    # Event ids are parsed with Arrow, which does not hold the GIL: parse them on the
    # other core while the rest is checked, then run the checks that read them.
    reads_ids = [job for job in jobs if "event_id_cnty" in job[2]]
    others = [job for job in jobs if "event_id_cnty" not in job[2]]
    parsing = _in_background(parse_event_ids, frame["event_id_cnty"]) if reads_ids else None
    try:
        for spec, data, columns, statistics in others:
            passed = spec.function(data, **statistics)
            yield _entries(frame, ~passed.to_numpy(dtype=bool), columns, spec)
    finally:
        if parsing is not None:
            parsing.join()
    for spec, data, columns, statistics in reads_ids:
        passed = spec.function(data, **statistics)
        yield _entries(frame, ~passed.to_numpy(dtype=bool), columns, spec)


def _in_background(function: Callable[..., Any], *args: Any) -> threading.Thread:
    """Start ``function(*args)`` in a thread, for its cached result; errors resurface later.

    The caller calls ``function`` again after ``join()``: a cache hit when the thread
    succeeded, and the same error, raised where it belongs, when it failed.
    """

    def run() -> None:
        with contextlib.suppress(Exception):
            function(*args)

    thread = threading.Thread(target=run, name="sahel-events-parse", daemon=True)
    thread.start()
    return thread


def _issue_rows_by_column(issues: pd.DataFrame | None) -> dict[str, pd.Index]:
    if issues is None or not len(issues):
        return {}
    located = issues.dropna(subset=["row", "column"])
    return {
        str(column): pd.Index(group["row"].astype("int64"))
        for column, group in located.groupby("column", sort=False)
    }


def _missing_values(
    frame: pd.DataFrame,
    compiled: pa.DataFrameSchema,
    absent_by_variant: set[str],
    issue_rows: dict[str, pd.Index],
) -> Iterator[pd.DataFrame]:
    """One entry per row naming every required column that is blank in it."""
    required = [
        name
        for name, column in compiled.columns.items()
        if not column.nullable and name in frame.columns and name not in absent_by_variant
    ]
    if not required:
        return
    blanks = {}
    for name in required:
        blank = frame[name].isna().to_numpy()
        if name in issue_rows and blank.any():
            blank = blank & ~frame.index.isin(issue_rows[name])
        if blank.any():
            blanks[name] = blank
    if not blanks:
        return
    matrix = pd.DataFrame(blanks, index=frame.index)
    failing = matrix.any(axis=1).to_numpy()
    matrix = matrix[failing]
    names = matrix.dot(pd.Index([f"{name}, " for name in matrix.columns])).str.slice(0, -2)
    yield pd.DataFrame(
        {
            "row": matrix.index.to_numpy(),
            "column": names.to_numpy(),
            "check": MISSING_VALUE,
            "value": pd.NA,
            "severity": "error",
            "message": _MESSAGES[MISSING_VALUE],
        }
    )


def _entries(
    frame: pd.DataFrame, failing: np.ndarray, columns: tuple[str, ...], spec: CheckSpec
) -> pd.DataFrame | None:
    if not failing.any():
        return None
    subset = frame.loc[failing, list(columns)]
    if len(columns) == 1:
        values = _as_text(subset[columns[0]])
    else:
        values = None
        for name in columns:
            part = name + "=" + _as_text(subset[name])
            values = part if values is None else values + "; " + part
    return pd.DataFrame(
        {
            "row": subset.index.to_numpy(),
            "column": ", ".join(columns),
            "check": spec.name,
            "value": values.to_numpy(),
            "severity": spec.severity,
            "message": spec.message,
        }
    )


def _as_text(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        text = series.dt.strftime("%Y-%m-%d")
    else:
        text = series.astype(object).astype("str")
    return text.where(series.notna(), "<blank>").str.slice(0, 200)


def _file_entry(column: str, check: str, severity: str, message: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": pd.array([pd.NA], dtype="Int64"),
            "column": [column],
            "check": [check],
            "value": [pd.NA],
            "severity": [severity],
            "message": [message],
        }
    )


def _duplicate_id_entries(
    ids: pd.Series,
    decode: Callable[[np.ndarray], np.ndarray] | None,
    spec: CheckSpec,
) -> pd.DataFrame | None:
    """Entries for ids (by source row) that repeat an earlier row's id.

    ``ids`` holds keys or text; ``decode`` turns keys back into id text for the
    report (only for the repeated ones).
    """
    repeated = ids.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return None
    first_seen = ids[~repeated]
    first_row = pd.Series(first_seen.index.to_numpy(), index=first_seen.to_numpy())
    duplicates = ids[repeated]
    rows_of_first = first_row.reindex(duplicates.to_numpy()).to_numpy()
    values = duplicates.to_numpy()
    text = decode(values) if decode is not None else values.astype(str)
    return pd.DataFrame(
        {
            "row": duplicates.index.to_numpy(),
            "column": "event_id_cnty",
            "check": spec.name,
            "value": text,
            "severity": spec.severity,
            "message": spec.message
            + " (first on row "
            + pd.Series(rows_of_first).astype(str)
            + ")",
        }
    )


# --- DataFrames handed in directly -------------------------------------------------


def _conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Bring a user's DataFrame to the schema's dtypes, recording cells that do not convert.

    A frame returned by :func:`sahel_events.read_events` already conforms and is
    returned as it is; the input is never modified.
    """
    expected = vocabulary.pandas_dtypes()
    if not pd.api.types.is_integer_dtype(frame.index.dtype):
        # Rows are reported by index label; without integer labels, by 1-based position.
        frame = frame.set_axis(pd.RangeIndex(1, len(frame) + 1, name="row"), copy=False)
    mismatched = [
        name
        for name, dtype in expected.items()
        if name in frame.columns and str(frame[name].dtype) != dtype
    ]
    if not mismatched:
        return frame
    converted = frame.copy(deep=False)
    converted.attrs = dict(frame.attrs)
    issues = []
    kinds = {column.name: column.kind for column in vocabulary.COLUMNS}
    for name in mismatched:
        original = frame[name]
        kind = kinds[name]
        if expected[name] == "category":
            converted[name] = original.astype("str").astype("category")
            continue
        if kind == "str":
            converted[name] = original.astype("str")
            continue
        if kind == "date" and pd.api.types.is_string_dtype(original):
            # Text dates in ACLED's formats, as the reader parses them: a mixed-format,
            # day-first parse would read the codebook's 2020-03-02 as 3 February.
            from sahel_events.read.dates import parse_event_dates

            converted[name], bad = parse_event_dates(original)
            check = _NOT_A_DATE
        elif kind == "date":
            parsed = pd.to_datetime(original, errors="coerce", format="mixed", dayfirst=True)
            values = parsed.dt.tz_localize(None) if parsed.dt.tz is not None else parsed
            converted[name] = values.dt.normalize().astype("datetime64[ns]")
            bad, check = parsed.isna() & original.notna(), _NOT_A_DATE
        else:
            numbers = pd.to_numeric(original, errors="coerce").replace([np.inf, -np.inf], np.nan)
            if kind == "int":
                # Beyond 2**53 a float no longer holds a whole number exactly.
                whole = numbers.notna() & (numbers % 1 == 0) & (numbers.abs() < 2**53)
                converted[name] = numbers.where(whole).astype("Int64")
                bad, check = original.notna() & ~whole, _NOT_AN_INTEGER
            else:
                converted[name] = numbers.astype("float64")
                bad, check = numbers.isna() & original.notna(), _NOT_A_NUMBER
        if bad.any():
            issues.append(
                pd.DataFrame(
                    {
                        "row": frame.index[bad.to_numpy()],
                        "column": name,
                        "check": check,
                        "value": original[bad].astype(str).str.slice(0, 200).to_numpy(),
                        "severity": "error",
                        "message": _MESSAGES[check],
                    }
                )
            )
    if issues:
        previous = converted.attrs.get("reader_issues")
        frames = ([previous] if previous is not None and len(previous) else []) + issues
        converted.attrs["reader_issues"] = pd.concat(frames, ignore_index=True)
    return converted
