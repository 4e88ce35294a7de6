"""The validation engine: named checks run on whole columns, one entry per failing row.

:func:`sahel_events.validate` feeds it conformed chunks (from a file, or a user's
DataFrame conformed by :func:`sahel_events.read.conform`); it evaluates the same
named checks that :class:`~sahel_events.schema.EventSchema` declares by calling
their functions directly, and keeps one entry per failing row and rule. Plain
pandera reports a cross-field failure once per column of the frame; here a row
that breaks a rule spanning several columns is one entry naming those columns,
so a report grows with the failing rows only. Checks that span chunks (repeated
ids) run once, in :meth:`_Accumulator.finish`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sahel_events._findings import FINDING_DTYPES, FINDINGS
from sahel_events.schema import PROVENANCE_COLUMNS, CodedEventSchema, EventSchema
from sahel_events.schema.checks import (
    CHECKS,
    MISSING_VALUE,
    CheckSpec,
    decode_id_keys,
    id_keys,
    parse_event_ids,
    repeated_keys,
)
from sahel_events.validation.report import (
    ENTRY_COLUMNS,
    ValidationReport,
    count_by_check,
    empty_entries,
)

if TYPE_CHECKING:
    import pandera.pandas as pa

#: Legacy event ids: a number, then the country's letters (``1416RTA``).
_LEGACY_ID = r"\d+[A-Z]{2,4}"
#: Locations at sea, where ACLED's events have no admin1 ("Coast of Benin", "Gulf of Aden").
_AT_SEA = r"(?i)\b(?:coast|gulf|sea|ocean|strait|bay|channel|offshore|waters|golfe|mer)\b"
#: From this year on ACLED's events always carry notes; some older ones do not.
_NOTES_REQUIRED_FROM = 2011


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
    # Rows of every error entry, kept before max_errors cuts entries: the report's
    # count of failing rows stays right however few entries are kept.
    error_rows: list[np.ndarray] = field(default_factory=list)

    def add_chunk(
        self,
        frame: pd.DataFrame,
        schema: type[EventSchema] | None,
        tolerance_km: float | None,
        *,
        defer_unique: bool = False,
        today: str | None = None,
    ) -> None:
        first = self.n_rows == 0 and not self.parts
        self.n_rows += len(frame)
        self.dyadic = bool(frame.attrs.get("dyadic", True))
        model = schema or _schema_for(frame)
        entries = list(
            _check_chunk(
                frame, model, tolerance_km, skip_unique=defer_unique, first=first, today=today
            )
        )
        unavailable = set(frame.attrs.get("missing_columns", [])) | set(
            frame.attrs.get("absent_columns", [])
        )
        has_ids = "event_id_cnty" in frame.columns and "event_id_cnty" not in unavailable
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
            errors = part["severity"].to_numpy() == "error"
            if errors.any():
                rows = part["row"].to_numpy()[errors]
                self.error_rows.append(pd.array(rows, dtype="Int64").dropna().to_numpy(np.int64))
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
            if not well.all():
                keys, rows = keys[well], rows[well]
            by_key = pd.Series(keys, index=rows, copy=False)
            repeated = repeated_keys(keys)
            self._store([_duplicate_id_entries(by_key, repeated, decode_id_keys, self.unique_spec)])
            if self.odd_id_chunks:
                odd = pd.concat(self.odd_id_chunks).astype("str")
                repeated = odd.duplicated(keep="first").to_numpy()
                self._store([_duplicate_id_entries(odd, repeated, None, self.unique_spec)])
        parts = self.parts
        entries = (pd.concat(parts, ignore_index=True) if parts else empty_entries()).astype(
            FINDING_DTYPES
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
            n_failing_rows=len(np.unique(np.concatenate(self.error_rows)))
            if self.error_rows
            else 0,
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
    return count_by_check(part).to_dict(orient="records")  # type: ignore[return-value]  # the columns are str


def _merge_counts(counts: list[dict[str, Any]]) -> pd.DataFrame:
    stacked = pd.DataFrame.from_records(counts)
    merged = (
        stacked.groupby(["severity", "check", "column"], sort=False)
        .agg(count=("count", "sum"), message=("message", "first"))
        .reset_index()
    )
    merged["_order"] = merged["severity"].map({"error": 0, "warning": 1}).fillna(2).astype(int)
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
    first: bool = True,
    today: str | None = None,
) -> Iterator[pd.DataFrame | None]:
    compiled = _compiled(model)
    attrs = frame.attrs
    claimed = set(attrs.get("missing_columns", []))
    absent_by_variant = claimed & _excused_by_variant(attrs)
    dyadic = bool(attrs.get("dyadic", True))
    issues = attrs.get("reader_issues")
    if issues is not None and len(issues):
        yield issues.loc[:, list(ENTRY_COLUMNS)]
    issue_rows = _issue_rows_by_column(issues)

    # A column is excused only by a variant that never had it: attrs claiming more (a
    # frame put together by hand, attrs merged across files) do not excuse it.
    absent = [
        name
        for name in compiled.columns
        if name not in frame.columns
        or name in attrs.get("absent_columns", [])
        or (name in claimed and name not in absent_by_variant)
    ]
    if first:
        # Columns whose absence a reader's file-level finding already explains (a
        # GeoJSON without geometry): that finding is the one entry.
        explained = set(attrs.get("explained_missing_columns", []))
        for name in absent:
            if not compiled.columns[name].nullable and name not in explained:
                yield _file_entry(name, "missing_column")
        if absent_by_variant & _required(compiled):
            yield _file_entry(
                ", ".join(sorted(absent_by_variant & _required(compiled))),
                "absent_in_variant",
                str(attrs.get("source_format", "")),
            )
    unavailable = absent_by_variant | set(absent)
    legacy_ids = attrs.get("source_format") == "acled-v0-legacy"
    skip_dates = issues is not None and bool(
        len(issues) and (issues["check"] == "date_order_ambiguous").any()
    )
    old_notes = _old_events_without_notes(frame, unavailable)
    if old_notes is not None and old_notes.any():
        yield _row_entries(frame, old_notes, "notes", "old_event_without_notes")
    at_sea = _at_sea_without_admin1(frame, unavailable)
    if at_sea is not None and at_sea.any():
        yield _row_entries(frame, at_sea, "admin1", "admin1_blank_at_sea")
    yield from _missing_values(
        frame,
        compiled,
        unavailable | ({"event_date"} if skip_dates else set()),
        issue_rows,
        {"notes": old_notes, "admin1": at_sea},
    )

    jobs: list[tuple[CheckSpec, Any, tuple[str, ...], dict[str, Any]]] = []
    for name, column in compiled.columns.items():
        if name not in frame.columns or name in unavailable:
            continue
        for check in column.checks:
            spec = CHECKS.get(check.name)
            if spec is not None:
                jobs.append((spec, frame[name], (name,), dict(check.statistics)))

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
        if today is not None and "today" in statistics:
            statistics["today"] = today
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
        failing = ~spec.function(data, **statistics).to_numpy(dtype=bool)
        if legacy_ids and spec.name == "is_event_id" and failing.any():
            # Legacy files number events as 1416RTA: one file-level note says so.
            failing &= ~frame["event_id_cnty"].str.fullmatch(_LEGACY_ID).fillna(False).to_numpy(
                dtype=bool
            )
        yield _entries(frame, failing, columns, spec)


def _excused_by_variant(attrs: Any) -> set[str]:
    """The columns the frame's detected variant never had, and the optional ones."""
    from sahel_events.read.variants import VARIANTS
    from sahel_events.vocabulary import COLUMNS

    variant = VARIANTS.get(str(attrs.get("source_format", "")))
    never_had = variant.never_had if variant is not None and variant.id != "unknown" else set()
    return set(never_had) | {column.name for column in COLUMNS if not column.required}


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
    rows: dict[str, pd.Index] = {}
    for column, group in located.groupby("column", sort=False):
        # An issue about several cells names them all: "latitude, longitude".
        for name in str(column).split(", "):
            found = pd.Index(group["row"].astype("int64"))
            rows[name] = rows[name].append(found) if name in rows else found
    return rows


def _blank(values: pd.Series) -> np.ndarray:
    """Which cells are blank, as a bool array; categoricals and floats without pandas'
    ``isna`` (one object per call, and for floats a pass of its own)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.array.codes < 0)
    if values.dtype == np.float64:
        return np.isnan(values.to_numpy())
    return np.asarray(values.isna().to_numpy(), dtype=bool)


def _required(compiled: pa.DataFrameSchema) -> set[str]:
    return {name for name, column in compiled.columns.items() if not column.nullable}


def _old_events_without_notes(frame: pd.DataFrame, unavailable: set[str]) -> np.ndarray | None:
    """Rows of events before 2011 with blank notes: ACLED's own exports have some."""
    if "notes" not in frame.columns or "notes" in unavailable or "event_date" not in frame:
        return None
    dates = frame["event_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        return None
    blank = _blank(frame["notes"])
    if not blank.any():
        return blank
    if dates.dt.tz is not None:
        return blank & (dates.dt.year < _NOTES_REQUIRED_FROM).to_numpy(dtype=bool, na_value=False)
    # Compared as datetimes (NaT compares false): a year per row costs more.
    return blank & (dates.to_numpy() < np.datetime64(f"{_NOTES_REQUIRED_FROM}-01-01"))


def _at_sea_without_admin1(frame: pd.DataFrame, unavailable: set[str]) -> np.ndarray | None:
    """Rows with a blank admin1 whose location is at sea: ACLED leaves admin1 blank there."""
    if "admin1" not in frame.columns or "location" not in frame.columns or "admin1" in unavailable:
        return None
    blank = _blank(frame["admin1"])
    if not blank.any():
        return None
    places = frame["location"][blank].astype("str")
    found = np.zeros(len(frame), dtype=bool)
    found[np.flatnonzero(blank)] = places.str.contains(_AT_SEA, regex=True).to_numpy(
        dtype=bool, na_value=False
    )
    return found


def _row_entries(frame: pd.DataFrame, mask: np.ndarray, column: str, check: str) -> pd.DataFrame:
    finding = FINDINGS[check]
    return pd.DataFrame(
        {
            "row": frame.index[mask].to_numpy(),
            "column": column,
            "check": check,
            "value": pd.NA,
            "severity": finding.severity,
            "message": finding.message,
        }
    )


def _missing_values(
    frame: pd.DataFrame,
    compiled: pa.DataFrameSchema,
    absent_by_variant: set[str],
    issue_rows: dict[str, pd.Index],
    excused: dict[str, np.ndarray | None] | None = None,
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
        blank = _blank(frame[name])
        allowed = (excused or {}).get(name)
        if allowed is not None:
            blank = blank & ~allowed  # reported on their own, as warnings
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
            "severity": FINDINGS[MISSING_VALUE].severity,
            "message": FINDINGS[MISSING_VALUE].message,
        }
    )


def _entries(
    frame: pd.DataFrame, failing: np.ndarray, columns: tuple[str, ...], spec: CheckSpec
) -> pd.DataFrame | None:
    if not failing.any():
        return None
    # Each column's failing cells taken by position: a boolean ``.loc`` on the whole
    # frame costs more than the check that found them.
    positions = np.flatnonzero(failing)
    if len(columns) == 1:
        values = _as_text(frame[columns[0]].iloc[positions])
    else:
        values = None
        for name in columns:
            part = name + "=" + _as_text(frame[name].iloc[positions])
            values = part if values is None else values + "; " + part
    return pd.DataFrame(
        {
            "row": frame.index.to_numpy()[positions],
            "column": ", ".join(columns),
            "check": spec.name,
            "value": values.to_numpy(),  # type: ignore[union-attr]  # a check has one column or more
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


def _file_entry(column: str, check: str, detail: str | None = None) -> pd.DataFrame:
    finding = FINDINGS[check]
    message = finding.message if detail is None else f"{finding.message} ({detail})"
    return pd.DataFrame(
        {
            "row": pd.array([pd.NA], dtype="Int64"),
            "column": [column],
            "check": [check],
            "value": [pd.NA],
            "severity": [finding.severity],
            "message": [message],
        }
    )


def _duplicate_id_entries(
    ids: pd.Series,
    repeated: np.ndarray,
    decode: Callable[[np.ndarray], np.ndarray] | None,
    spec: CheckSpec,
) -> pd.DataFrame | None:
    """Entries for ids (by source row) that repeat an earlier row's id.

    ``ids`` holds keys or text, and ``repeated`` marks those that occurred before;
    ``decode`` turns keys back into id text for the report (only for the repeated ones).
    """
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
