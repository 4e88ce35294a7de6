"""Reading ACLED-style event files of every variant into ACLED's current format.

>>> from sahel_events.read import read_events
>>> events = read_events("Mali_2018.csv")               # doctest: +SKIP
>>> events.attrs["source_format"]                        # doctest: +SKIP
'acled-v1-pre2019'

Whatever the file (CSV, Parquet, JSON Lines, JSON or .xlsx; a legacy 2015 file,
a 2018 export without sub-event types, a monadic export, today's format with
numeric or text actor types), the result has ACLED's current 31 columns in
ACLED's order with fixed dtypes, any further columns of the file after them,
and an index ``source_row`` that points at the record in the file. Problems
met while reading are not raised but listed in ``df.attrs["reader_issues"]``;
only a file that cannot be read at all raises
:class:`~sahel_events.exc.UnreadableFileError`. See docs/variants.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events._findings import FINDING_COLUMNS, FINDINGS, FindingsCollector
from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.read.conform import DEFAULT_NA_VALUES, conform
from sahel_events.read.dates import DateOrder
from sahel_events.read.variants import VARIANTS

if TYPE_CHECKING:
    import pandas as pd

    from sahel_events.read.conform import ConformOptions
    from sahel_events.read.formats import RawChunk, RawSource

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "DEFAULT_NA_VALUES",
    "FINDINGS",
    "ISSUE_COLUMNS",
    "MAX_COLUMNS",
    "VARIANTS",
    "conform",
    "conformed_chunks",
    "iter_events",
    "read_events",
]

#: Columns of ``df.attrs["reader_issues"]`` (the findings frame's columns).
ISSUE_COLUMNS = FINDING_COLUMNS
#: Rows per chunk of :func:`iter_events` and of ``validate(path)``: bounds memory.
DEFAULT_CHUNK_ROWS = 500_000
_SOURCES = ("acled", "ucdp")
#: Most columns an event file may have; see docs/security.md.
MAX_COLUMNS = 2_000


def iter_events(
    path: str | PathLike[str],
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    format: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    na_values: set[str] | list[str] | frozenset[str] | None = None,
    date_order: DateOrder | None = None,
    strip: bool = False,
) -> Iterator[pd.DataFrame]:
    """Read an event file in chunks of at most ``chunk_rows`` rows, each in the current format.

    Memory stays bounded by the chunk size: CSV is streamed with pyarrow, Parquet
    read batch by batch, JSON Lines and Excel row by row.

    Args:
        path: The file to read.
        chunk_rows: Most rows per chunk.
        format: ``csv``, ``parquet``, ``jsonl``, ``json`` or ``xlsx``; by default
            taken from the extension, else from the first bytes.
        sheet: Excel sheet name or 0-based index (default: the first sheet).
        encoding: Text encoding of a CSV or JSON Lines file; by default UTF-8
            (with or without BOM), falling back to cp1252 with a warning.
        na_values: Cell texts read as blank (default :data:`DEFAULT_NA_VALUES`:
            ``NA``, ``N/A``, ``NULL``, ``None``, ``nan``, ``#N/A``, ``.``).
        date_order: ``"dayfirst"`` or ``"monthfirst"`` for numeric dates whose
            values do not show the order (``3/4/2024``).
        strip: Remove leading, trailing and doubled spaces from names.

    Yields:
        DataFrames as described in :func:`read_events`; the ``source_row`` index
        continues across chunks, each chunk's ``attrs["reader_issues"]`` holds
        the issues of its rows, and file-level issues come with the first chunk.

    Raises:
        UnreadableFileError: The file is missing, empty, binary, corrupt, or has
            none of ACLED's columns.
        UsageError: An option does not fit the file (unknown format, no such sheet).
    """
    yield from _iter(
        path,
        chunk_rows=_positive(chunk_rows),
        format=format,
        sheet=sheet,
        encoding=encoding,
        options=_options(na_values, date_order, strip),
    )


def read_events(
    path: str | PathLike[str],
    *,
    format: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    na_values: set[str] | list[str] | frozenset[str] | None = None,
    date_order: DateOrder | None = None,
    strip: bool = False,
    source: str = "acled",
) -> pd.DataFrame:
    """Read a whole event file of any ACLED variant into ACLED's current format.

    Args:
        path: The file to read (CSV, Parquet, JSON Lines, JSON or .xlsx).
        format: ``csv``, ``parquet``, ``jsonl``, ``json`` or ``xlsx``; by default
            taken from the extension, else from the first bytes.
        sheet: Excel sheet name or 0-based index (default: the first sheet).
        encoding: Text encoding of a CSV or JSON Lines file; by default UTF-8
            (with or without BOM), falling back to cp1252 with a warning.
        na_values: Cell texts read as blank (default :data:`DEFAULT_NA_VALUES`).
        date_order: ``"dayfirst"`` or ``"monthfirst"`` for numeric dates whose
            values do not show the order.
        strip: Remove leading, trailing and doubled spaces from names.
        source: ``"acled"`` (any ACLED variant) or ``"ucdp"`` (a UCDP GED CSV,
            read through the crosswalk of :func:`sahel_events.export.read_ucdp`).

    Returns:
        A DataFrame with the 31 columns of ``sahel_events.vocabulary.COLUMNS`` in
        order and with the dtypes of ``vocabulary.pandas_dtypes()``, then the
        file's other columns (lower-cased). Its index ``source_row`` is the
        record's line in a CSV or JSON Lines file, its 1-based number in Parquet
        or JSON, its row in the worksheet. ``attrs`` holds ``source_path``,
        ``source_format`` (the variant id, see :data:`VARIANTS`),
        ``source_format_description``, ``file_format``, ``missing_columns``,
        ``derived_columns``, ``dyadic`` and ``reader_issues`` (a DataFrame with
        :data:`ISSUE_COLUMNS`), plus ``delimiter``/``encoding`` for CSV.

    Raises:
        UnreadableFileError: The file is missing, empty, binary, corrupt, or has
            none of ACLED's columns.
        UsageError: An option does not fit the file (unknown format, no such sheet).
    """
    import pandas as pd

    options = _options(na_values, date_order, strip)
    if source not in _SOURCES:
        raise UsageError(f"source must be one of {', '.join(_SOURCES)}, not {source!r}")
    if source == "ucdp":
        from sahel_events._io import check_input
        from sahel_events.export.ucdp import read_ucdp

        ged = read_ucdp(check_input(path))
        return conform(
            ged, na_values=options.na_values, date_order=options.date_order, strip=options.strip
        )
    frames: list[pd.DataFrame] = []
    issue_frames: list[pd.DataFrame] = []
    attrs: dict[str, Any] = {}
    for frame in _iter(
        path, chunk_rows=None, format=format, sheet=sheet, encoding=encoding, options=options
    ):
        attrs = {str(key): value for key, value in frame.attrs.items()}
        issue_frames.append(attrs.pop("reader_issues"))
        frame.attrs = {}
        frames.append(frame)
    if len(frames) == 1:
        events = frames[0]
    else:
        events = pd.concat(frames)
        for name, dtype in events.dtypes.items():
            if (
                frames
                and isinstance(frames[0][name].dtype, pd.CategoricalDtype)
                and dtype != "category"
            ):
                events[name] = events[name].astype("category")
    collector = FindingsCollector()
    for issues in issue_frames:
        collector.extend(issues)
    attrs["reader_issues"] = collector.frame()
    events.attrs = attrs  # type: ignore[assignment]  # pandas-stubs type attrs keys as Hashable
    return events


def checked_chunks(
    path: str | PathLike[str],
    *,
    chunk_rows: int,
    sheet: str | int | None = None,
    na_values: set[str] | list[str] | frozenset[str] | None = None,
    date_order: DateOrder | None = None,
) -> Iterator[pd.DataFrame]:
    """:func:`iter_events` for the validator: the same rows and findings, with text that
    arrives as categories (Parquet dictionaries) left categorical. No check reads free
    text row by row, and expanding it to rows is much of a Parquet read."""
    from dataclasses import replace

    yield from _iter(
        path,
        chunk_rows=_positive(chunk_rows),
        format=None,
        sheet=sheet,
        encoding=None,
        options=replace(_options(na_values, date_order, False), text_as_categories=True),
    )


def _positive(chunk_rows: object) -> int:
    if not isinstance(chunk_rows, int) or isinstance(chunk_rows, bool) or chunk_rows < 1:
        raise UsageError(f"chunk_rows must be a positive integer, not {chunk_rows!r}")
    return chunk_rows


def _options(
    na_values: set[str] | list[str] | frozenset[str] | None,
    date_order: DateOrder | None,
    strip: bool,
) -> ConformOptions:
    from sahel_events.read.conform import ConformOptions

    if date_order not in (None, "dayfirst", "monthfirst"):
        raise UsageError(f"date_order must be 'dayfirst' or 'monthfirst', not {date_order!r}")
    if isinstance(na_values, str):
        raise UsageError("na_values must be a collection of strings, not one string")
    markers = DEFAULT_NA_VALUES if na_values is None else frozenset(str(v) for v in na_values)
    return ConformOptions(na_values=markers, date_order=date_order, strip=bool(strip))


def _iter(
    path: str | PathLike[str],
    *,
    chunk_rows: int | None,
    format: str | None,
    sheet: str | int | None,
    encoding: str | None,
    options: ConformOptions,
) -> Iterator[pd.DataFrame]:
    from sahel_events.read.formats import (
        ReadOptions,
        check_readable,
        detect_file_format,
        open_source,
    )

    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, PathLike)):
        raise UsageError(f"path must be a file path, not {type(path).__name__}")
    source_path = Path(path)
    check_readable(source_path)
    file_format = detect_file_format(source_path, format)
    source = open_source(
        source_path,
        file_format,
        ReadOptions(chunk_rows=chunk_rows, sheet=sheet, encoding=encoding),
    )
    yield from conformed_chunks(source, options)


def conformed_chunks(
    source: RawSource, options: ConformOptions | None = None
) -> Iterator[pd.DataFrame]:
    """The chunks of an opened source in the current format, as :func:`iter_events` yields them.

    Shared by the file readers and by engines that hand over Arrow data of their own
    (:mod:`sahel_events.spark`), so that every source is conformed by the same code.
    """
    from sahel_events.read.conform import Conformer, ConformOptions

    options = options or ConformOptions()
    source_path = source.path
    if len(source.header) > MAX_COLUMNS:
        # Each column costs the conformer a pass of its own: 100,000 of them take
        # minutes and gigabytes for what is never event data.
        raise UnreadableFileError(
            f"the file has {len(source.header):,} columns; an event file has at most "
            f"{MAX_COLUMNS:,} (ACLED's 31 and some of your own)",
            path=source_path,
        )
    chunks = iter(source.chunks)
    first: RawChunk = next(chunks)
    conformer = Conformer(source, first, options)
    chunk: RawChunk | None = first
    attrs = conformer.attrs()
    file_issues: FindingsCollector | None = source.file_issues
    while chunk is not None:
        collector = FindingsCollector()
        collector.absorb(chunk.issues)
        frame = conformer.conform_chunk(chunk, collector)
        if file_issues is not None:
            # After the first chunk: the conformer learns some of them from it (date order).
            collector.absorb(file_issues)
            collector.absorb(conformer.file_findings)
            file_issues = None
        frame.attrs = dict(attrs)  # type: ignore[assignment]  # as above
        frame.attrs["reader_issues"] = collector.frame()
        # Only the caller's chunk may stay in memory while the next one is read.
        chunk = None
        del collector
        yield frame
        del frame
        chunk = next(chunks, None)
