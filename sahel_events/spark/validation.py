"""Validate a Spark DataFrame, Parquet file or hive-partitioned dataset on Spark.

What runs where:

- on the executors, each partition's rows, in chunks of ``chunk_rows``, go through
  :func:`sahel_events.validation.validate_arrow_chunk`: the reader's normalisation
  and every registered row check, the same code as :func:`sahel_events.validate`
  in process, fed through Arrow (``mapInArrow``). Each chunk sends back its failures
  only, and one line of what the reader learnt about the file;
- as Spark aggregations: the counts per check, the duplicate ``event_id_cnty``
  across all partitions and files, and the first ``max_errors`` entries in
  (file, row) order;
- to the driver come the counts, at most ``max_errors`` entries (all of them when
  there is no cap), and one line per chunk: never the rows themselves.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.spark.read import read_raw
from sahel_events.spark.session import get_session, local_path, spark_errors

if TYPE_CHECKING:
    from datetime import date

    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from sahel_events.read.conform import ConformOptions
    from sahel_events.read.dates import DateOrder
    from sahel_events.schema import EventSchema
    from sahel_events.validation.report import ValidationReport

__all__ = ["DEFAULT_CHUNK_ROWS", "validate"]

#: Rows checked at once by an executor: Spark hands over 10,000-row Arrow batches,
#: and checks on bigger chunks cost less per row (the in-process engine uses 500,000).
DEFAULT_CHUNK_ROWS = 200_000

_FILE = "__sahel_events_file"
_ROW = "__sahel_events_row"
_DATAFRAME = "<DataFrame>"
_MAX_CELL_CHARS = 1_000_000  # sahel_events.read.conform.MAX_CELL_CHARS: longer cells are blank

_KEPT = ("file", "row", "column", "check", "value", "severity", "message", "chunk", "seq")

# What an executor sends back: entries, one "chunk" line per chunk, or one "error".
_OUTPUT_SCHEMA = (
    "kind string, file string, chunk long, seq long, row long, `column` string, "
    "`check` string, value string, severity string, message string"
)


def validate(
    data: DataFrame | str | os.PathLike[str],
    *,
    spark: SparkSession | None = None,
    strict: bool = False,
    schema: type[EventSchema] | None = None,
    max_errors: int | None = None,
    tolerance_km: float | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    today: date | str | None = None,
    na_values: set[str] | list[str] | frozenset[str] | None = None,
    date_order: DateOrder | None = None,
) -> ValidationReport:
    """Validate events on Spark; the same report as :func:`sahel_events.validate`.

    Parameters
    ----------
    data:
        A Spark DataFrame, or the path (local, HDFS, S3, DBFS...) of a Parquet file or
        of a hive-partitioned dataset such as :func:`sahel_events.write.write_dataset`
        writes. Nothing is modified.
    spark:
        The session to use; by default the active one, else a new ``local[2]`` one.
    strict, schema, max_errors, tolerance_km:
        As for :func:`sahel_events.validate`. ``max_errors`` caps the entries Spark
        brings back to the driver: the first ones in (file, row) order; counts per
        check stay complete.
    chunk_rows:
        Rows an executor checks at once.
    today:
        As for :func:`sahel_events.validate`: the day events may not be dated after
        (a date or ``YYYY-MM-DD``), by default the date of the run (UTC) on the
        driver. It is fixed once on the driver and sent to every executor, so that
        no partition is judged against another day (executors' clocks may differ, a
        run may span midnight).
    na_values, date_order:
        As for :func:`sahel_events.validate`: the cell texts read as blank (default
        :data:`sahel_events.read.DEFAULT_NA_VALUES`), and the order of day and month
        of numeric text dates whose values do not show it. Each executor applies them
        to its chunks' text cells, as the in-process reader does to a Parquet file's.
        Give ``date_order`` for text dates: without it each chunk infers the order
        from its own values.

    What :func:`sahel_events.validate` takes and this does not: ``sheet`` (Spark reads
    Parquet, which has no sheets) and ``source="ucdp"`` (UCDP GED is published as CSV,
    Excel and GeoJSON, and its crosswalk reads whole files in process).

    The report's ``source`` is the path (or ``<DataFrame>``). Each entry's ``row`` is
    the record's 1-based number in its Parquet file (its position in the DataFrame
    when the DataFrame is not read from files); for a dataset of several files the
    entries have a ``file`` column, the file's path inside the dataset.

    Raises
    ------
    UnreadableFileError
        The path does not exist, or a file of it is corrupt or not Parquet (the
        message names the file, and the row and column when known).
    UsageError
        Bad arguments, or pyspark / Java missing.
    """
    if max_errors is not None and max_errors < 0:
        raise UsageError("max_errors must be 0 or more")
    if not isinstance(chunk_rows, int) or isinstance(chunk_rows, bool) or chunk_rows < 1:
        raise UsageError(f"chunk_rows must be a positive integer, not {chunk_rows!r}")
    from sahel_events.read import _options
    from sahel_events.schema.checks import reference_day

    options = _options(na_values, date_order, False)  # refused here, not on an executor
    try:
        day = reference_day(today)
    except ValueError as error:
        raise UsageError(f"today must be a date such as 2024-03-15: {error}") from None
    session = spark or get_session()
    if isinstance(data, (str, os.PathLike)):
        source = os.fspath(data)
        _refuse_other_formats(source)
        with spark_errors(source):
            frame = read_raw(source, session)
            run = _Run(session, frame, source, strict, schema, max_errors, tolerance_km, day)
            return run.report(chunk_rows, options)
    from pyspark.sql import DataFrame

    if not isinstance(data, DataFrame):
        raise UsageError(f"validate() takes a Spark DataFrame or a path, not {type(data).__name__}")
    with spark_errors(_DATAFRAME):
        run = _Run(session, data, _DATAFRAME, strict, schema, max_errors, tolerance_km, day)
        return run.report(chunk_rows, options)


def _refuse_other_formats(source: str) -> None:
    lowered = source.lower().rstrip("/")
    for suffix in (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".json", ".jsonl", ".ndjson"):
        if lowered.endswith(suffix):
            raise UsageError(
                "the Spark engine validates Parquet files and datasets; validate this file "
                "in process (sahel-events validate without --engine spark), or write it "
                "as Parquet first",
                path=source,
            )


class _Run:
    """One validation: where the rows come from, and how their failures are gathered."""

    def __init__(
        self,
        spark: SparkSession,
        frame: DataFrame,
        source: str,
        strict: bool,
        schema: type[EventSchema] | None,
        max_errors: int | None,
        tolerance_km: float | None,
        today: str,
    ) -> None:
        self.spark = spark
        self.source = source
        self.strict = strict
        self.schema = schema
        self.max_errors = max_errors
        self.tolerance_km = tolerance_km
        self.today = today
        self.columns = list(frame.columns)
        self.rows, self.positions = _with_file_and_row(frame)

    # --- on the executors ---------------------------------------------------------------

    def entries_frame(self, chunk_rows: int, options: ConformOptions) -> DataFrame:
        check = _chunk_checker(
            chunk_rows=chunk_rows,
            schema=self.schema,
            tolerance_km=self.tolerance_km,
            columns=self.columns,
            today=self.today,
            options=options,
        )
        return self.rows.mapInArrow(check, _OUTPUT_SCHEMA)

    # --- the report ---------------------------------------------------------------------

    def report(self, chunk_rows: int, options: ConformOptions) -> ValidationReport:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        out = self.entries_frame(chunk_rows, options).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            # Everything but the entries of rows: a few lines per chunk.
            summary = out.where(F.col("kind") != "entry").toArrow().to_pandas()
            errors = summary[summary["kind"] == "error"]
            if len(errors):
                raise _executor_error(errors.sort_values(["file", "row"]).iloc[0], self)
            attrs = _merge_attrs(summary)
            stored = _file_entries_once(summary[summary["kind"] == "file_entry"])
            counts = _counts(summary[summary["kind"] == "count"], stored)
            if self.max_errors is not None:
                stored = stored.iloc[: self.max_errors]
            room = None if self.max_errors is None else self.max_errors - len(stored)
            rows = out.where(F.col("kind") == "entry").select(*_KEPT)
            if room is None:
                stored = _concat(stored, rows.toArrow().to_pandas())
            elif room > 0:
                first = rows.orderBy("file", "row", "check", "chunk", "seq").limit(room)
                stored = _concat(stored, first.toArrow().to_pandas())
            if attrs.get("unique_check") and "event_id_cnty" in self.columns:
                room = None if self.max_errors is None else self.max_errors - len(stored)
                duplicates, n_duplicates = self._duplicates(attrs["unique_check"], room)
                if n_duplicates:
                    check = attrs["unique_check"]
                    counts.append(
                        {
                            "severity": check["severity"],
                            "check": check["check"],
                            "column": "event_id_cnty",
                            "count": n_duplicates,
                            "message": duplicates["message"].iloc[0]
                            if len(duplicates)
                            else check["message"],
                        }
                    )
                    kept = duplicates if room is None else duplicates.iloc[:room]
                    stored = _concat(stored, kept)
        finally:
            out.unpersist()
        lines = summary[summary["kind"] == "chunk"]
        n_rows = int(lines["row"].sum())
        several_files = lines["file"].nunique() > 1 or (
            self.positions is None and os.path.isdir(self.source)
        )
        return self._build(stored, counts, attrs, n_rows, several_files)

    def _duplicates(self, check: dict[str, str], room: int | None) -> tuple[pd.DataFrame, int]:
        """Entries for rows whose id an earlier row (in file, row order) already has."""
        from pyspark.sql import functions as F

        ids = self.rows.select(_FILE, _ROW, _normalised_id(F.col("event_id_cnty")).alias("id"))
        ids = ids.where(F.col("id").isNotNull())
        firsts = (
            ids.groupBy("id")
            .agg(F.count(F.lit(1)).alias("n"), F.min(F.struct(_FILE, _ROW)).alias("first"))
            .where(F.col("n") > 1)
        )
        total = firsts.agg(F.sum(F.col("n") - 1)).first()
        n_duplicates = int(total[0] or 0) if total is not None else 0
        if not n_duplicates:
            return _empty_pandas_entries(), n_duplicates
        repeated = (
            ids.join(firsts, "id")
            .where(F.struct(_FILE, _ROW) != F.col("first"))
            .select(
                F.col(_FILE).alias("file"),
                F.col(_ROW).alias("row"),
                F.col("id").alias("value"),
                F.col("first").getField(_FILE).alias("first_file"),
                F.col("first").getField(_ROW).alias("first_row"),
            )
            .orderBy("file", "row")
        )
        if room is not None:
            # One at least: the count's message is the first one's, as in validate().
            repeated = repeated.limit(max(room, 1))
        found = repeated.toArrow().to_pandas()
        # "row" stays as the executors saw it (made a 1-based row with the others).
        found["first_row"] = self._row_numbers(found["first_row"])
        where = "(first on row " + found["first_row"].astype(str)
        elsewhere = found["first_file"] != found["file"]
        where = where.where(~elsewhere, where + " of " + found["first_file"].map(self._file_name))
        found["message"] = check["message"] + " " + where + ")"
        found["column"] = "event_id_cnty"
        found["check"] = check["check"]
        found["severity"] = check["severity"]
        found["chunk"] = -1
        found["seq"] = -1
        return found.drop(columns=["first_file", "first_row"]), n_duplicates

    # --- the driver's side ----------------------------------------------------------------

    def _row_numbers(self, values: pd.Series) -> pd.Series:
        """1-based rows from what the executors saw (positions when not read from files)."""
        import numpy as np
        import pandas as pd

        if self.positions is None:
            return values.astype("Int64")
        ids = values.astype("Int64")
        present = ids.notna().to_numpy()
        raw = ids.to_numpy(dtype=np.int64, na_value=0)
        partition = raw >> 33
        offsets = np.array([self.positions.get(int(p), 0) for p in partition], dtype=np.int64)
        rows = offsets + (raw & ((1 << 33) - 1)) + 1
        return pd.Series(pd.array(np.where(present, rows, 0), dtype="Int64")).where(present, pd.NA)

    def _file_name(self, file: object) -> str:
        """A file's path as the report shows it: inside the dataset's folder."""
        text = local_path(str(file))
        local = "://" not in self.source and not self.source.startswith(("file:", "dbfs:"))
        root = (os.path.abspath(self.source) if local else self.source).rstrip("/")
        return text[len(root) + 1 :] if text.startswith(root + "/") else text

    def _build(
        self,
        stored: pd.DataFrame,
        counts: list[dict[str, Any]],
        attrs: dict[str, Any],
        n_rows: int,
        several_files: bool,
    ) -> ValidationReport:
        import pandas as pd

        from sahel_events._findings import FINDING_DTYPES
        from sahel_events.validation._engine import _merge_counts
        from sahel_events.validation.report import ENTRY_COLUMNS, ValidationReport, count_by_check

        stored = stored.copy()
        stored["row"] = self._row_numbers(stored["row"])
        # validate() stores entries chunk by chunk, check by check, duplicates last, then
        # sorts them by row and check, keeping that order among equals: so here too.
        stored["_last"] = stored["chunk"] < 0
        stored = stored.sort_values(["file", "_last", "chunk", "seq"], kind="stable")
        by = ["file", "row", "check"] if several_files else ["row", "check"]
        stored = stored.sort_values(by, kind="stable", na_position="first")
        entries = stored.loc[:, list(ENTRY_COLUMNS)].astype(FINDING_DTYPES)
        if several_files:
            entries.insert(0, "file", stored["file"].map(self._file_name).astype("str"))
        truncated = self.max_errors is not None and sum(c["count"] for c in counts) > len(entries)
        return ValidationReport(
            source=self.source,
            source_format=str(attrs.get("source_format", "dataframe")),
            source_format_description=str(attrs.get("source_format_description", "")),
            n_rows=n_rows,
            entries=entries.reset_index(drop=True),
            strict=self.strict,
            missing_columns=list(attrs.get("missing_columns", [])),
            derived_columns=list(attrs.get("derived_columns", [])),
            counts=_merge_counts(counts) if counts else count_by_check(pd.DataFrame()),
            truncated=truncated,
        )


# --- building blocks ------------------------------------------------------------------------


def _with_file_and_row(frame: DataFrame) -> tuple[DataFrame, dict[int, int] | None]:
    """``frame`` with each row's file and 1-based record number in it.

    Read from files, these are Spark's ``_metadata.file_path`` and ``row_index``.
    Otherwise the row is its position in the DataFrame: a monotonically increasing id
    here, turned into a position on the driver from the partitions' row counts.
    """
    from pyspark.errors import AnalysisException
    from pyspark.sql import functions as F

    try:
        located = frame.select(
            "*",
            F.col("_metadata.file_path").alias(_FILE),
            (F.col("_metadata.row_index") + 1).alias(_ROW),
        )
        located.schema  # noqa: B018 - resolves the plan: _metadata exists only for files
        return located, None
    except AnalysisException:
        pass
    located = frame.select(
        "*", F.lit(_DATAFRAME).alias(_FILE), F.monotonically_increasing_id().alias(_ROW)
    )
    counts = (
        located.select(F.shiftright(F.col(_ROW), 33).alias("partition"))
        .groupBy("partition")
        .count()
        .collect()
    )
    offsets: dict[int, int] = {}
    total = 0
    for record in sorted(counts, key=lambda record: record["partition"]):
        offsets[int(record["partition"])] = total
        total += int(record["count"])
    return located, offsets


def _normalised_id(column: Any) -> Any:
    """The id as the reader leaves it: blank, whitespace-only or over-long cells are missing.

    Ids the in-process check tells apart (the text of each, well-formed or not) are
    told apart here, so that Spark and ``validate`` find the same repeated ids.
    """
    from pyspark.sql import functions as F

    text = column.cast("string")
    blank = (F.length(text) == 0) | text.rlike(r"(?U)^\s+$") | (F.length(text) > _MAX_CELL_CHARS)
    return F.when(blank, F.lit(None)).otherwise(text)


def _file_entries_once(found: pd.DataFrame) -> pd.DataFrame:
    """Findings about a whole file (no row) once per file: each chunk of it reports them."""
    found = found.sort_values(["file", "chunk", "seq"], kind="stable")
    keys = ["file", "column", "check", "value", "severity", "message"]
    return found.drop_duplicates(subset=keys).loc[:, list(_KEPT)].reset_index(drop=True)


def _counts(lines: pd.DataFrame, file_entries: pd.DataFrame) -> list[dict[str, Any]]:
    """Failures per (severity, check, column), from the chunks' counts and the file findings.

    Listed in the order validate() first meets them (it then sorts them by count), with
    the message of the first failure of each.
    """
    import pandas as pd

    whole = file_entries.assign(count=1)
    parts = [part for part in (lines.assign(count=lines["row"]), whole) if len(part)]
    if not parts:
        return []
    stacked = pd.concat(parts, ignore_index=True)
    stacked = stacked.sort_values(["file", "chunk", "seq"], kind="stable")
    stacked["column"] = stacked["column"].fillna("")
    grouped = stacked.groupby(["severity", "check", "column"], sort=False).agg(
        count=("count", "sum"), message=("message", "first")
    )
    return [
        {
            "severity": severity,
            "check": check,
            "column": column,
            "count": int(count),
            "message": message,
        }
        for (severity, check, column), count, message in zip(
            grouped.index, grouped["count"], grouped["message"], strict=True
        )
    ]


def _merge_attrs(chunks: pd.DataFrame) -> dict[str, Any]:
    """What the reader learnt about the source, from the first chunk of the first file.

    Columns absent from some file are absent from the source.
    """
    lines = chunks[chunks["kind"] == "chunk"].sort_values(["file", "chunk"])
    if lines.empty:
        return {}
    found = [json.loads(text) for text in lines["value"]]
    attrs = dict(found[0])
    for key in ("missing_columns", "derived_columns"):
        seen: list[str] = []
        for item in found:
            seen.extend(name for name in item.get(key, []) if name not in seen)
        attrs[key] = seen
    return attrs


def _executor_error(error: Any, run: _Run) -> UnreadableFileError:
    """The first failure an executor met, as the error :func:`validate` raises."""
    import pandas as pd

    details = json.loads(error["value"]) if isinstance(error["value"], str) else {}
    row = details.get("row")
    if row is not None and run.positions is not None:
        row = int(run._row_numbers(pd.Series([row])).iloc[0])
    path = local_path(str(error["file"]))
    return UnreadableFileError(str(error["message"]), path=path, row=row, column=error["column"])


def _concat(stored: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    if more.empty:
        return stored
    more = more.loc[:, list(_KEPT)]
    return more if stored.empty else pd.concat([stored, more], ignore_index=True)


def _empty_pandas_entries() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype="object") for name in _KEPT})


# --- what the executors run -----------------------------------------------------------------


def _chunk_checker(
    *,
    chunk_rows: int,
    schema: type[EventSchema] | None,
    tolerance_km: float | None,
    columns: list[str],
    today: str,
    options: ConformOptions,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function ``mapInArrow`` runs on each partition (pickled to the executors)."""

    def check_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:

        pending: list[pa.RecordBatch] = []
        count = 0
        for batch in batches:
            pending.append(batch)
            count += batch.num_rows
            if count >= chunk_rows:
                yield from _check_batches(pending, schema, tolerance_km, columns, today, options)
                pending, count = [], 0
        if pending:
            yield from _check_batches(pending, schema, tolerance_km, columns, today, options)

    return check_partition


def _check_batches(
    batches: list[pa.RecordBatch],
    schema: type[EventSchema] | None,
    tolerance_km: float | None,
    columns: list[str],
    today: str,
    options: ConformOptions,
) -> Iterator[pa.RecordBatch]:
    """Check buffered batches, one run of rows of the same file at a time."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.Table.from_batches(batches)
    batches.clear()
    if table.num_rows == 0:
        return
    files = table.column(_FILE).combine_chunks()
    changes = pc.not_equal(files.slice(1), files.slice(0, len(files) - 1))
    starts = [0, *(np.flatnonzero(changes.to_numpy(zero_copy_only=False)) + 1).tolist()]
    ends = [*starts[1:], table.num_rows]
    for start, end in zip(starts, ends, strict=True):
        run = table.slice(start, end - start)
        file = str(files[start].as_py())
        rows = run.column(_ROW).to_numpy()
        yield _checked_run(run.select(columns), rows, file, schema, tolerance_km, today, options)


def _checked_run(
    data: pa.Table,
    rows: Any,
    file: str,
    schema: type[EventSchema] | None,
    tolerance_km: float | None,
    today: str,
    options: ConformOptions,
) -> pa.RecordBatch:
    import numpy as np
    import pyarrow as pa

    from sahel_events.exc import SahelEventsError
    from sahel_events.validation import validate_arrow_chunk

    chunk = int(rows.min()) if len(rows) else 0
    local = local_path(file)
    try:
        entries, attrs = validate_arrow_chunk(
            data,
            rows=rows,
            path=local,
            schema=schema,
            tolerance_km=tolerance_km,
            today=today,
            na_values=options.na_values,
            date_order=options.date_order,
        )
    except SahelEventsError as error:
        # Sent back as data: the driver raises it with the file, row and column, where a
        # raised exception would reach the user as a Java stack trace.
        return pa.RecordBatch.from_pylist(
            [
                {
                    "kind": "error",
                    "file": file,
                    "chunk": chunk,
                    "seq": 0,
                    "row": error.row,
                    "column": error.column,
                    "check": None,
                    "value": json.dumps({"row": error.row}),
                    "severity": "error",
                    "message": error.message,
                }
            ],
            schema=_arrow_output_schema(),
        )
    entries = entries.reset_index(drop=True)
    whole = entries["row"].isna().to_numpy()
    seq = np.arange(len(entries), dtype=np.int64)
    located = entries[~whole]
    counted = (
        located.assign(seq=seq[~whole])
        .groupby(["severity", "check", "column"], sort=False, dropna=False)
        .agg(count=("seq", "size"), seq=("seq", "first"), message=("message", "first"))
        .reset_index()
    )
    parts = [
        _lines("chunk", file, chunk, [len(rows)], {"value": [json.dumps(attrs, default=str)]}),
        _lines(
            "count",
            file,
            chunk,
            counted["count"].tolist(),
            {
                "seq": counted["seq"].tolist(),
                "column": counted["column"],
                "check": counted["check"],
                "severity": counted["severity"],
                "message": counted["message"],
            },
        ),
        _entry_lines("file_entry", file, chunk, entries[whole], seq[whole]),
        _entry_lines("entry", file, chunk, located, seq[~whole]),
    ]
    return pa.concat_tables(parts).combine_chunks().to_batches()[0]


def _lines(kind: str, file: str, chunk: int, rows: list[Any], values: dict[str, Any]) -> pa.Table:
    """Lines of the executors' output: ``rows`` holds the row (or count) of each."""
    import pyarrow as pa

    n = len(rows)
    columns: dict[str, Any] = {
        "kind": [kind] * n,
        "file": [file] * n,
        "chunk": [chunk] * n,
        "seq": values.get("seq", [0] * n),
        "row": rows,
    }
    for name in ("column", "check", "value", "severity", "message"):
        given = values.get(name)
        columns[name] = [None] * n if given is None else _text_array(_as_series(given))
    return pa.table(columns, schema=_arrow_output_schema())


def _entry_lines(kind: str, file: str, chunk: int, entries: pd.DataFrame, seq: Any) -> pa.Table:
    rows = [
        None if value is None else int(value)
        for value in entries["row"].astype(object).where(entries["row"].notna(), None)
    ]
    return _lines(
        kind,
        file,
        chunk,
        rows,
        {name: entries[name] for name in ("column", "check", "value", "severity", "message")}
        | {"seq": seq.tolist()},
    )


def _as_series(values: Any) -> pd.Series:
    import pandas as pd

    return values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)


def _text_array(values: pd.Series) -> pa.Array:
    import pyarrow as pa

    return pa.array(values.astype(object).where(values.notna(), None), pa.string())


def _arrow_output_schema() -> pa.Schema:
    import pyarrow as pa

    text = pa.string()
    return pa.schema(
        [
            ("kind", text),
            ("file", text),
            ("chunk", pa.int64()),
            ("seq", pa.int64()),
            ("row", pa.int64()),
            ("column", text),
            ("check", text),
            ("value", text),
            ("severity", text),
            ("message", text),
        ]
    )
