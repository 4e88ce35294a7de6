"""Validate event tables and files against the schema, with one report entry per failure.

:func:`validate` conforms its input (a DataFrame through
:func:`sahel_events.read.conform`, a file through the reader, chunk by chunk),
then runs the engine (:mod:`sahel_events.validation._engine`); the result is a
:class:`~sahel_events.validation.report.ValidationReport`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.read import DEFAULT_CHUNK_ROWS
from sahel_events.read.dates import DateOrder
from sahel_events.schema import EventSchema
from sahel_events.schema.checks import reference_day
from sahel_events.validation._engine import _Accumulator
from sahel_events.validation.report import ValidationReport

__all__ = ["DEFAULT_CHUNK_ROWS", "validate", "validate_arrow_chunk"]


def validate(
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    strict: bool = False,
    schema: type[EventSchema] | None = None,
    max_errors: int | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    tolerance_km: float | None = None,
    progress: Callable[[int], None] | None = None,
    na_values: set[str] | list[str] | frozenset[str] | None = None,
    date_order: DateOrder | None = None,
    sheet: str | int | None = None,
    source: str = "acled",
    today: date | str | None = None,
) -> ValidationReport:
    """Validate an event table or file and report every failing row and column.

    A DataFrame, a file, and the DataFrame ``read_events`` returns for that file
    give the same report: cells convert by one rule (:func:`sahel_events.read.conform`).

    Args:
        data: A DataFrame, or the path of a CSV, Parquet, JSON Lines, JSON,
            GeoJSON or Excel file in any ACLED export variant. Files are read in
            chunks of ``chunk_rows`` rows and never modified.
        strict: Warnings fail the report too (notes never do).
        schema: The model to check against; by default
            :class:`~sahel_events.schema.EventSchema`, or
            :class:`~sahel_events.schema.CodedEventSchema` when the table has
            provenance columns.
        max_errors: Keep at most this many entries (counts per check stay complete).
        chunk_rows: Rows per chunk when reading a file.
        tolerance_km: How far outside its country a point may lie before it is
            reported (default: the schema's 50 km).
        progress: Called with the number of rows just checked after each chunk,
            so that a caller can draw a progress bar; the library prints nothing.
        na_values: Cell texts read as blank (default
            :data:`sahel_events.read.DEFAULT_NA_VALUES`).
        date_order: ``"dayfirst"`` or ``"monthfirst"`` for numeric dates whose
            values do not show the order.
        sheet: The Excel sheet to read (name or 0-based index).
        source: ``"acled"``, or ``"ucdp"`` for a UCDP GED file read through the
            crosswalk.
        today: The day events may not be dated after (a date or ``YYYY-MM-DD``);
            by default the date of the run (UTC). Pass it for a report that does
            not depend on the day it runs: only the ``event_date_not_in_future``
            warning reads it.

    Returns:
        The report: ``valid``, ``errors``, ``warnings``, counts per check.

    Raises:
        UnreadableFileError: The file is missing, empty, binary, truncated, in no
            format we read, or holds no events (UCDP GED, aggregate counts).
        UsageError: ``data`` is neither a DataFrame nor a path, or an option
            does not fit.
    """
    from sahel_events.read import conform

    if max_errors is not None and max_errors < 0:
        raise UsageError("max_errors must be 0 or more")
    try:
        # Once per run, so that every chunk is judged against the same day.
        day = reference_day(today)
    except ValueError as error:
        raise UsageError(f"today must be a date such as 2024-03-15: {error}") from None
    if isinstance(data, pd.DataFrame):
        accumulator = _Accumulator(max_errors)
        frame = conform(data, na_values=na_values, date_order=date_order)
        accumulator.add_chunk(frame, schema, tolerance_km, defer_unique=True, today=day)
        if progress is not None:
            progress(len(frame))
        return accumulator.finish(
            source=str(frame.attrs.get("source_path", "<DataFrame>")),
            attrs={str(key): value for key, value in frame.attrs.items()},
            strict=strict,
        )
    if isinstance(data, (str, os.PathLike)):
        if source == "ucdp":
            from sahel_events.read import read_events

            events = read_events(data, source="ucdp", na_values=na_values, date_order=date_order)
            return validate(
                events,
                strict=strict,
                schema=schema,
                max_errors=max_errors,
                tolerance_km=tolerance_km,
                progress=progress,
                today=day,
            )
        return _validate_path(
            Path(data),
            strict=strict,
            schema=schema,
            max_errors=max_errors,
            chunk_rows=chunk_rows,
            tolerance_km=tolerance_km,
            progress=progress,
            today=day,
            read_options={
                "na_values": na_values,
                "date_order": date_order,
                "sheet": sheet,
                "source": source,
            },
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
    today: str | None = None,
    read_options: dict[str, Any] | None = None,
) -> ValidationReport:
    from sahel_events.read import checked_chunks

    options = dict(read_options or {})
    if options.pop("source", "acled") != "acled":
        raise UsageError("source must be 'acled' or 'ucdp'")
    accumulator = _Accumulator(max_errors)
    attrs: dict[str, Any] = {}
    for chunk in _read_ahead(checked_chunks(path, chunk_rows=chunk_rows, **options)):
        attrs = {str(key): value for key, value in chunk.attrs.items()}
        accumulator.add_chunk(chunk, schema, tolerance_km, defer_unique=True, today=today)
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


def validate_arrow_chunk(
    table: Any,
    *,
    rows: Any,
    path: str,
    schema: type[EventSchema] | None = None,
    tolerance_km: float | None = None,
    today: str | None = None,
    na_values: set[str] | list[str] | frozenset[str] | None = None,
    date_order: DateOrder | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The entries of one chunk of a Parquet source, exactly as :func:`validate` finds them.

    For engines that split a dataset themselves (:mod:`sahel_events.spark` runs this on
    its executors): ``table`` is a ``pyarrow.Table`` with the source's columns, ``rows``
    the 1-based record number of each of its rows in the file at ``path``. The chunk is
    read by the same code as a Parquet file (:func:`sahel_events.read.conformed_chunks`)
    and checked by the same code as a chunk of a file, in the same order.

    The duplicate-id check spans chunks and is left to the caller. Returns the entries
    (with :data:`ENTRY_COLUMNS`, in the order ``validate`` stores them) and the attrs the
    reader found (``source_format``, ``missing_columns``, ``derived_columns``, ``dyadic``),
    plus ``unique_check`` (name, severity and message of the duplicate-id check) when
    that check applies to this source. ``today`` is :func:`validate`'s (``YYYY-MM-DD``;
    by default the date of the run); ``na_values`` and ``date_order`` are too, and
    apply to the chunk's text cells as they do to a Parquet file's.
    """
    import numpy as np

    from sahel_events.read import _options, conformed_chunks
    from sahel_events.read._parquet import _checked_text
    from sahel_events.read.formats import RawChunk, RawSource, arrow_to_frame
    from sahel_events.schema.checks import CHECKS
    from sahel_events.validation._engine import (
        _check_chunk,
        _dataframe_check_names,
        _schema_for,
    )
    from sahel_events.validation.report import empty_entries

    options = _options(na_values, date_order, False)
    source_path = Path(path)
    first_row = int(rows[0]) if len(rows) else 1
    table = _checked_text(table, first_row, source_path)
    chunk = RawChunk(arrow_to_frame(table), np.asarray(rows, dtype=np.int64))
    source = RawSource(source_path, "parquet", list(table.column_names), iter([chunk]))
    del table, chunk
    (frame,) = conformed_chunks(source, options)
    model = schema or _schema_for(frame)
    parts = [
        part
        for part in _check_chunk(frame, model, tolerance_km, skip_unique=True, today=today)
        if part is not None and not part.empty
    ]
    attrs: dict[str, Any] = {
        str(key): value for key, value in frame.attrs.items() if key != "reader_issues"
    }
    unavailable = set(attrs.get("missing_columns", [])) | set(attrs.get("absent_columns", []))
    has_ids = "event_id_cnty" not in unavailable
    if has_ids and attrs.get("dyadic", True) and "unique_event_id" in _dataframe_check_names(model):
        spec = CHECKS["unique_event_id"]
        attrs["unique_check"] = {
            "check": spec.name,
            "severity": spec.severity,
            "message": spec.message,
        }
    entries = pd.concat(parts, ignore_index=True) if parts else empty_entries()
    return entries, attrs
