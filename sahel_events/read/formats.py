"""File formats: turning a CSV, Parquet, JSON Lines, JSON or Excel file into raw chunks.

A format reader knows nothing about ACLED. It yields :class:`RawChunk` objects:
a frame whose columns are the file's columns by position (text, or typed values
where the format stores types), the source row of every record as a user would
find it in the file, and the issues met while reading (ragged CSV records).
:mod:`sahel_events.read.normalise` then turns those into ACLED's current format.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.read.issues import IssueCollector

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from sahel_events.read._csvscan import CsvLayout

__all__ = ["FILE_FORMATS", "RawChunk", "RawSource", "detect_file_format", "open_source"]

#: File formats the reader understands, by the id used in ``df.attrs["file_format"]``.
FILE_FORMATS: dict[str, str] = {
    "csv": "comma- or semicolon-separated text",
    "parquet": "Apache Parquet",
    "jsonl": "JSON Lines (one JSON object per line)",
    "json": "a JSON array of objects, or the ACLED API's {'data': [...]} response",
    "xlsx": "Excel workbook (.xlsx)",
}

_EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

_SNIFF_BYTES = 64 * 1024
_CSV_DELIMITERS = (",", ";", "\t")
_MIN_ARROW_BLOCK = 1024 * 1024  # measured: larger blocks parse slower
#: pyarrow needs a block twice the longest record; beyond this a file is not event data.
_MAX_RECORD_BYTES = 256 * 1024 * 1024


@dataclass
class RawChunk:
    """Records of one chunk, before any ACLED-specific normalisation."""

    frame: pd.DataFrame
    """The file's columns by position (0, 1, ...), as text or as stored types."""
    source_row: np.ndarray
    """int64 source row of each record (line, record number or worksheet row)."""
    issues: IssueCollector = field(default_factory=IssueCollector)


@dataclass
class RawSource:
    """An opened file: its header, its chunks and what was learnt about it."""

    path: Path
    file_format: str
    header: list[str]
    chunks: Iterator[RawChunk]
    attrs: dict[str, Any] = field(default_factory=dict)
    file_issues: IssueCollector = field(default_factory=IssueCollector)


def detect_file_format(path: Path, requested: str | None = None) -> str:
    """The file format of ``path``: the requested one, else by extension, else by magic bytes."""
    if requested is not None:
        name = requested.lower().lstrip(".")
        name = {"ndjson": "jsonl", "excel": "xlsx", "pq": "parquet"}.get(name, name)
        if name not in FILE_FORMATS:
            raise UsageError(
                f"unknown format {requested!r}; use one of {', '.join(FILE_FORMATS)}",
                path=path,
            )
        return name
    suffix = path.suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix == ".xls":
        raise UnreadableFileError(
            "old binary Excel files (.xls) are not supported; save the sheet as .xlsx or CSV",
            path=path,
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped.startswith(b"["):
        return "json"
    return "csv"


def open_source(
    path: Path,
    file_format: str,
    *,
    chunk_rows: int | None,
    sheet: str | int | None = None,
    encoding: str | None = None,
) -> RawSource:
    """Open ``path`` as ``file_format``; ``chunk_rows=None`` reads it as one chunk."""
    _check_readable(path)
    if sheet is not None and file_format != "xlsx":
        raise UsageError("sheet= applies to Excel files only", path=path)
    if encoding is not None:
        if file_format in ("parquet", "xlsx"):
            raise UsageError(f"encoding= does not apply to {file_format} files", path=path)
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}", path=path) from None
    if file_format == "csv":
        return _open_csv(path, chunk_rows=chunk_rows, encoding=encoding)
    if file_format == "parquet":
        return _open_parquet(path, chunk_rows=chunk_rows)
    if file_format == "jsonl":
        return _open_jsonl(path, chunk_rows=chunk_rows, encoding=encoding)
    if file_format == "json":
        return _open_json(path, encoding=encoding)
    return _open_xlsx(path, chunk_rows=chunk_rows, sheet=sheet)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise UnreadableFileError("no such file", path=path)
    if path.is_dir():
        raise UnreadableFileError("is a directory, not a file", path=path)
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as error:
        raise UnreadableFileError(f"cannot open the file: {error.strerror}", path=path) from None
    if size == 0:
        raise UnreadableFileError("the file is empty", path=path)


# --- CSV ---------------------------------------------------------------------------


def _sniff_delimiter(head: bytes) -> str:
    """The delimiter of the header line: whichever of , ; TAB occurs most outside quotes."""
    first_line = head.split(b"\n", 1)[0]
    outside: list[int] = []
    in_quotes = False
    for byte in first_line:
        if byte == 0x22:
            in_quotes = not in_quotes
        elif not in_quotes:
            outside.append(byte)
    text = bytes(outside)
    counts = {delimiter: text.count(delimiter.encode()) for delimiter in _CSV_DELIMITERS}
    best = max(_CSV_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _open_csv(path: Path, *, chunk_rows: int | None, encoding: str | None) -> RawSource:
    from sahel_events.read._csvscan import (
        BinaryContentError,
        EmptyFileError,
        MixedEncodingError,
        scan_csv,
    )

    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError(
            "the file is UTF-16 text; save it as UTF-8 (e.g. Excel's 'CSV UTF-8')", path=path
        )
    if not head.removeprefix(codecs.BOM_UTF8).strip():
        raise UnreadableFileError("the file holds only blank lines", path=path)
    delimiter = _sniff_delimiter(head.removeprefix(codecs.BOM_UTF8))
    try:
        layout = scan_csv(path, delimiter, detect_encoding=encoding is None)
    except BinaryContentError as error:
        raise UnreadableFileError(
            f"not a text file ({error}); expected CSV, Parquet, JSON Lines or .xlsx", path=path
        ) from None
    except EmptyFileError:
        raise UnreadableFileError("the file holds only blank lines", path=path) from None
    except MixedEncodingError as error:
        # Read as either encoding, one part of the file would come out garbled.
        raise UnreadableFileError(
            f"the file mixes two text encodings: line {error.utf8_line} is UTF-8, line "
            f"{error.other_line} is not (Windows-1252?); save the whole file as UTF-8, "
            "or name the encoding",
            path=path,
            row=error.other_line,
        ) from None

    if layout.longest_record > _MAX_RECORD_BYTES:
        raise UnreadableFileError(
            f"a record is {layout.longest_record / 2**20:,.0f} MiB long, more than the"
            f" {_MAX_RECORD_BYTES // 2**20} MiB the reader accepts; is this an event file?",
            path=path,
        )
    file_issues = IssueCollector()
    if encoding is None:
        encoding = layout.encoding
        if encoding == "cp1252":
            file_issues.add(
                "encoding_fallback",
                [None],
                None,
                ["cp1252"],
                "The file is not valid UTF-8; it was read as Windows-1252 (cp1252),"
                " check accented names.",
            )
    header_encoding = "utf-8-sig" if encoding in ("utf-8", "utf_8") else encoding
    attrs = {"delimiter": delimiter, "encoding": encoding}
    if layout.plain_quoting:
        header, chunks = _arrow_csv_chunks(path, layout, delimiter, encoding, chunk_rows)
    else:
        header, chunks = _python_csv_chunks(path, layout, delimiter, header_encoding, chunk_rows)
    return RawSource(path, "csv", header, chunks, attrs, file_issues)


def _arrow_csv_chunks(
    path: Path,
    layout: CsvLayout,
    delimiter: str,
    encoding: str,
    chunk_rows: int | None,
) -> tuple[list[str], Iterator[RawChunk]]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"f{index}" for index in range(layout.header_fields)]
    # pyarrow needs every record to fit in one block.
    block_size = max(_MIN_ARROW_BLOCK, 2 * layout.longest_record + 64 * 1024)
    read_options = pacsv.ReadOptions(
        column_names=names,
        block_size=block_size,
        encoding="utf8" if encoding in ("utf-8", "utf_8") else encoding,
    )
    parse_options = pacsv.ParseOptions(
        delimiter=delimiter,
        newlines_in_values=True,
        invalid_row_handler=lambda _row: "skip",  # the byte scan reports ragged records
    )
    convert_options = pacsv.ConvertOptions(
        # large_string is what pandas' str dtype holds: no conversion on to_pandas.
        column_types=dict.fromkeys(names, pa.large_string()),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    try:
        reader = pacsv.open_csv(
            str(path),
            read_options=read_options,
            parse_options=parse_options,
            convert_options=convert_options,
        )
        first = reader.read_next_batch()
    except (pa.ArrowException, UnicodeError, LookupError, StopIteration, OSError) as error:
        raise UnreadableFileError(f"cannot parse the CSV: {error}", path=path) from None
    header = [
        value if value is not None else "" for value in first.slice(0, 1).to_pylist()[0].values()
    ]

    def batches() -> Iterator[pa.RecordBatch]:
        yield first.slice(1)
        while True:
            try:
                yield reader.read_next_batch()
            except StopIteration:
                return
            except (pa.ArrowException, UnicodeError, LookupError, OSError) as error:
                raise UnreadableFileError(f"cannot parse the CSV: {error}", path=path) from None

    def chunks() -> Iterator[RawChunk]:
        consumed = 0
        for table in _rebatch(batches(), chunk_rows):
            count = table.num_rows
            lines = layout.record_lines[consumed : consumed + count]
            if len(lines) != count:
                raise UnreadableFileError(
                    "the CSV records could not be matched to their lines; check its quoting",
                    path=path,
                )
            chunk = RawChunk(_arrow_to_frame(table), lines)
            del table
            _add_ragged(chunk.issues, path, layout, encoding, consumed, consumed + count)
            consumed += count
            yield chunk
            # Drop our references before reading on: only one chunk may stay in memory.
            del chunk
        if consumed != len(layout.record_lines):
            raise UnreadableFileError(
                "the CSV records could not be matched to their lines; check its quoting",
                path=path,
            )
        if consumed == 0:
            empty = RawChunk(_empty_frame(len(names)), layout.record_lines[:0])
            _add_ragged(empty.issues, path, layout, encoding, 0, 0)
            yield empty

    return header, chunks()


def _rebatch(batches: Iterator[Any], chunk_rows: int | None) -> Iterator[Any]:
    """Group record batches into tables of exactly ``chunk_rows`` rows (the last may be short)."""
    import pyarrow as pa

    pending: list[Any] = []
    pending_rows = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        pending_rows += batch.num_rows
        while chunk_rows is not None and pending_rows >= chunk_rows:
            table = pa.Table.from_batches(pending)
            rest = table.slice(chunk_rows)
            head = table.slice(0, chunk_rows)
            del table, pending
            yield head
            del head  # only one chunk may stay in memory while the next is read
            pending = rest.to_batches()
            pending_rows = rest.num_rows
            del rest
    if pending_rows:
        yield pa.Table.from_batches(pending)


def _arrow_to_frame(table: Any) -> pd.DataFrame:
    frame = table.to_pandas(ignore_metadata=True, self_destruct=False)
    frame.columns = range(frame.shape[1])
    return frame


def _empty_frame(width: int) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({index: pd.Series([], dtype="str") for index in range(width)})


def _add_ragged(
    issues: IssueCollector,
    path: Path,
    layout: CsvLayout,
    encoding: str,
    first: int,
    end: int,
) -> None:
    """Report the ragged records that sit among well-formed records ``first`` to ``end``."""
    import numpy as np
    import pandas as pd

    order = layout.ragged_order
    last_chunk = end >= len(layout.record_lines)
    selected = (order >= first) & ((order < end) | last_chunk)
    if first > 0:
        selected &= order >= first
    index = np.flatnonzero(selected)
    if len(index) == 0:
        return
    texts: list[str] = []
    with path.open("rb") as handle:
        for offset, length in zip(
            layout.ragged_offsets[index], layout.ragged_lengths[index], strict=True
        ):
            handle.seek(int(offset))
            raw = handle.read(min(int(length), 4 * 200))
            texts.append(raw.decode(encoding, errors="replace").rstrip("\r"))
    fields = pd.Series(layout.ragged_fields[index]).astype("str")
    messages = (
        "The record has "
        + fields
        + f" fields but the header has {layout.header_fields}; it was left out."
    )
    issues.add("ragged_row", layout.ragged_lines[index], None, texts, messages)


def _python_csv_chunks(
    path: Path,
    layout: CsvLayout,
    delimiter: str,
    encoding: str,
    chunk_rows: int | None,
) -> tuple[list[str], Iterator[RawChunk]]:
    """Read with Python's csv module: slower, but follows its lenient quoting rules."""
    # csv's field size limit is process-wide: raised while reading, restored after.
    previous_limit = csv.field_size_limit()
    header: list[str] | None = None
    line = 0
    try:
        handle = path.open(encoding=encoding, newline="", errors="strict")
        reader = csv.reader(handle, delimiter=delimiter)
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        for record in reader:
            line = reader.line_num
            if record:
                header = record
                break
    except (UnicodeDecodeError, csv.Error, OSError) as error:
        csv.field_size_limit(previous_limit)
        raise UnreadableFileError(f"cannot parse the CSV: {error}", path=path) from None
    if header is None:
        handle.close()
        csv.field_size_limit(previous_limit)
        raise UnreadableFileError("the file holds only blank lines", path=path)
    width = len(header)

    def chunks() -> Iterator[RawChunk]:
        nonlocal line
        try:
            columns: list[list[str]] = [[] for _ in range(width)]
            rows: list[int] = []
            ragged_rows: list[int] = []
            ragged_texts: list[str] = []
            ragged_counts: list[int] = []
            emitted = False
            for record in reader:
                start = line + 1
                line = reader.line_num
                if not record:
                    continue
                if len(record) != width:
                    ragged_rows.append(start)
                    ragged_texts.append(delimiter.join(record)[:200])
                    ragged_counts.append(len(record))
                    continue
                rows.append(start)
                for column, value in zip(columns, record, strict=True):
                    column.append(value)
                if chunk_rows is not None and len(rows) >= chunk_rows:
                    yield _python_chunk(
                        columns, rows, ragged_rows, ragged_texts, ragged_counts, width
                    )
                    emitted = True
                    columns = [[] for _ in range(width)]
                    rows, ragged_rows, ragged_texts, ragged_counts = [], [], [], []
            if rows or ragged_rows or not emitted:
                yield _python_chunk(columns, rows, ragged_rows, ragged_texts, ragged_counts, width)
        except (UnicodeDecodeError, csv.Error, OSError) as error:
            raise UnreadableFileError(
                f"cannot parse the CSV near line {line + 1}: {error}", path=path, row=line + 1
            ) from None
        finally:
            handle.close()
            csv.field_size_limit(previous_limit)

    return header, chunks()


def _python_chunk(
    columns: list[list[str]],
    rows: list[int],
    ragged_rows: list[int],
    ragged_texts: list[str],
    ragged_counts: list[int],
    width: int,
) -> RawChunk:
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame(
        {index: pd.Series(values, dtype="str") for index, values in enumerate(columns)}
    )
    chunk = RawChunk(frame, np.asarray(rows, dtype=np.int64))
    messages = [
        f"The record has {count} fields but the header has {width}; it was left out."
        for count in ragged_counts
    ]
    chunk.issues.add("ragged_row", ragged_rows, None, ragged_texts, messages)
    return chunk


# --- Parquet -----------------------------------------------------------------------


def _open_parquet(path: Path, *, chunk_rows: int | None) -> RawSource:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(str(path))
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as error:
        raise UnreadableFileError(
            f"not a readable Parquet file (truncated or corrupt?): {error}", path=path
        ) from None
    index_columns = _pandas_index_columns(schema)
    names = [name for name in schema.names if name not in index_columns]

    def chunks() -> Iterator[RawChunk]:
        start = 1
        try:
            if chunk_rows is None or parquet.metadata.num_rows <= chunk_rows:
                tables = iter([parquet.read(columns=names, use_threads=True)])
            else:
                tables = _parquet_chunks(parquet, names, chunk_rows)
            produced = False
            for table in tables:
                count = table.num_rows
                rows = np.arange(start, start + count, dtype=np.int64)
                start += count
                produced = True
                table = _checked_text(table, rows[0] if count else start, path)
                chunk = RawChunk(_arrow_to_frame(table), rows)
                del table
                yield chunk
                del chunk  # only one chunk may stay in memory while the next is read
            if not produced:
                yield RawChunk(
                    _arrow_to_frame(schema.empty_table().select(names)),
                    np.empty(0, dtype=np.int64),
                )
        except (pa.ArrowException, OSError, ValueError) as error:
            raise UnreadableFileError(
                f"the Parquet data is corrupt near record {start}: {error}", path=path, row=start
            ) from None

    return RawSource(path, "parquet", names, chunks())


def _checked_text(table: Any, first_row: int, path: Path) -> Any:
    """``table`` with its text known to be UTF-8, and binary columns of UTF-8 as text.

    Parquet readers do not check that string columns hold UTF-8: a string column
    that does not is corrupt, and is refused here rather than failing later, far
    from the file. A binary column holding UTF-8 (some writers store text so) is
    read as text; other binary columns (a WKB geometry) stay bytes. Checked in C
    (``validate``, ``cast``); only a failure looks for the row.
    """
    import pyarrow as pa

    text_positions = [
        position
        for position, column_field in enumerate(table.schema)
        if _is_text_type(column_field.type)
    ]
    valid = _utf8_valid([table.column(position) for position in text_positions])
    for position, ok in zip(text_positions, valid, strict=True):
        if not ok:
            column = table.column(position)
            raise UnreadableFileError(
                "the column holds bytes that are not UTF-8 text",
                path=path,
                row=first_row + _first_non_utf8(column),
                column=table.schema.field(position).name,
            )
    for position, column_field in enumerate(table.schema):
        kind = column_field.type
        dictionary = pa.types.is_dictionary(kind)
        if dictionary:
            kind = kind.value_type
        column = table.column(position)
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            if dictionary:
                # Plain bytes: pandas cannot hold a categorical of bytes as text (found by fuzzing).
                column = pa.chunked_array(
                    [chunk.dictionary_decode() for chunk in column.chunks], type=kind
                )
            with contextlib.suppress(pa.ArrowInvalid, pa.ArrowTypeError):
                column = column.cast(pa.string())
            table = table.set_column(position, column_field.with_type(column.type), column)
    return table


def _is_text_type(kind: Any) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _utf8_valid(columns: list[Any]) -> list[bool]:
    """Whether each text column holds valid UTF-8 (dictionary columns: their dictionary).

    Arrow validates without holding the GIL, so the columns are checked on all cores.
    """
    import pyarrow as pa

    def check(column: Any) -> bool:
        dictionary = pa.types.is_dictionary(column.type)
        try:
            for chunk in column.chunks:
                (chunk.dictionary if dictionary else chunk).validate(full=True)
        except pa.ArrowInvalid:
            return False
        return True

    if len(columns) < 2:
        return [check(column) for column in columns]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 1)) as pool:
        return list(pool.map(check, columns))


def _first_non_utf8(column: Any) -> int:
    """Offset of the first value of ``column`` that is not UTF-8 (the error path only)."""
    import pyarrow as pa

    values = column
    if pa.types.is_dictionary(column.type):
        values = column.cast(column.type.value_type)
    values = values.cast(pa.large_binary())
    for offset, value in enumerate(values.to_pylist()):
        if value is None:
            continue
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            return offset
    return 0


def _parquet_chunks(parquet: Any, names: list[str], chunk_rows: int) -> Iterator[Any]:
    """Tables of ``chunk_rows`` rows, read a row group at a time with threads.

    Row groups are read whole (multi-threaded, much faster than record batches); a
    row group far larger than a chunk is streamed in batches instead, so one huge
    row group cannot exhaust memory.
    """
    import pyarrow as pa

    pending: list[Any] = []
    pending_rows = 0
    for group in range(parquet.num_row_groups):
        group_rows = parquet.metadata.row_group(group).num_rows
        if group_rows > 2 * chunk_rows:
            parts = (
                pa.Table.from_batches([batch])
                for batch in parquet.iter_batches(
                    batch_size=chunk_rows, row_groups=[group], columns=names
                )
            )
        else:
            parts = iter([parquet.read_row_group(group, columns=names, use_threads=True)])
        for table in parts:
            offset = 0
            while offset < table.num_rows:
                take = min(chunk_rows - pending_rows, table.num_rows - offset)
                pending.append(table.slice(offset, take))
                pending_rows += take
                offset += take
                if pending_rows == chunk_rows:
                    yield pa.concat_tables(pending)
                    pending, pending_rows = [], 0
    if pending:
        yield pa.concat_tables(pending)


def _pandas_index_columns(schema: Any) -> set[str]:
    """Columns pandas wrote for its index: data of the writer, not of the events."""
    names = {name for name in schema.names if name.startswith("__index_level_")}
    metadata = schema.metadata or {}
    try:
        pandas_meta = json.loads(metadata.get(b"pandas", b"{}"))
    except ValueError:
        return names
    for entry in pandas_meta.get("index_columns", []):
        if isinstance(entry, str):
            names.add(entry)
    return names


# --- JSON Lines and JSON -------------------------------------------------------------


def _to_text(value: Any) -> str | None:
    """A JSON value as the text a CSV cell would hold (numbers as the API writes them)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _records_to_chunk(
    records: list[dict[str, Any]], header: list[str], rows: list[int]
) -> RawChunk:
    import numpy as np
    import pandas as pd

    columns = {
        index: pd.Series([_to_text(record.get(name)) for record in records], dtype="str")
        for index, name in enumerate(header)
    }
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(len(records)))
    return RawChunk(frame, np.asarray(rows, dtype=np.int64))


def _open_jsonl(path: Path, *, chunk_rows: int | None, encoding: str | None) -> RawSource:
    handle = path.open("rb")
    text_encoding = encoding or "utf-8-sig"
    first_records: list[dict[str, Any]] = []
    first_rows: list[int] = []
    limit = chunk_rows or math.inf

    def parse(raw: bytes, number: int) -> dict[str, Any] | None:
        if b"\x00" in raw:
            raise UnreadableFileError(
                "not a text file (NUL bytes); expected JSON Lines", path=path, row=number
            )
        try:
            text = raw.decode(text_encoding if number == 1 else text_encoding.replace("-sig", ""))
        except UnicodeDecodeError:
            raise UnreadableFileError("line is not UTF-8 text", path=path, row=number) from None
        if not text.strip():
            return None
        try:
            value = json.loads(text)
        except ValueError as error:
            raise UnreadableFileError(
                f"line is not valid JSON ({error.args[0].split(':')[0]})", path=path, row=number
            ) from None
        if not isinstance(value, dict):
            raise UnreadableFileError(
                f"line holds a JSON {type(value).__name__}, expected an object",
                path=path,
                row=number,
            )
        return value

    def numbered_records() -> Iterator[tuple[int, dict[str, Any]]]:
        """(line number, record) for each non-blank line; blank lines are skipped."""
        for number, raw in enumerate(handle, start=1):
            record = parse(raw, number)
            if record is not None:
                yield number, record

    records_stream = numbered_records()
    try:
        # The header is the union of the first chunk's keys, so read that chunk first;
        # the rest streams from the same generator.
        for number, record in records_stream:
            first_records.append(record)
            first_rows.append(number)
            if len(first_records) >= limit:
                break
    except BaseException:
        handle.close()
        raise
    if not first_records:
        handle.close()
        raise UnreadableFileError("the file holds no JSON records", path=path)
    header = list(dict.fromkeys(key for record in first_records for key in record))

    def chunks() -> Iterator[RawChunk]:
        try:
            chunk = _records_to_chunk(first_records, header, first_rows)
            first_records.clear()  # the records now live in the chunk only
            first_rows.clear()
            yield chunk
            del chunk
            records: list[dict[str, Any]] = []
            rows: list[int] = []
            for number, record in records_stream:
                records.append(record)
                rows.append(number)
                if len(records) >= limit:
                    yield _records_to_chunk(records, header, rows)
                    records, rows = [], []
            if records:
                yield _records_to_chunk(records, header, rows)
        finally:
            handle.close()

    return RawSource(
        path, "jsonl", header, chunks(), {"encoding": codecs.lookup(encoding or "utf-8").name}
    )


def _open_json(path: Path, *, encoding: str | None) -> RawSource:
    try:
        with path.open(encoding=encoding or "utf-8-sig") as handle:
            document = json.load(handle)
    except UnicodeDecodeError:
        raise UnreadableFileError("not UTF-8 text", path=path) from None
    except ValueError as error:
        message = str(error)
        raise UnreadableFileError(f"not valid JSON: {message}", path=path) from None
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        document = document["data"]
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise UnreadableFileError(
            "expected a JSON array of event objects or the API's {'data': [...]} response",
            path=path,
        )
    if not document:
        raise UnreadableFileError("the file holds no JSON records", path=path)
    header = list(dict.fromkeys(key for record in document for key in record))
    rows = list(range(1, len(document) + 1))
    return RawSource(path, "json", header, iter([_records_to_chunk(document, header, rows)]))


# --- Excel -------------------------------------------------------------------------


def _cell_text(value: Any) -> str | None:
    """An Excel cell as text: dates in ISO form, whole numbers without noise."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _close_workbook(workbook: Any, stream: Any) -> None:
    workbook.close()
    stream.close()


#: Most bytes the parts of a workbook may expand to. Excel's own limit of 1,048,576
#: rows of ACLED's 31 columns is about 1 GB of sheet XML; beyond 2 GiB it is a bomb.
MAX_XLSX_EXPANDED_BYTES = 2 * 1024**3
#: Highest compression ratio of a large part. Sheet XML compresses about 5-20 to 1;
#: a bomb's repeated bytes about 1,000 to 1.
MAX_XLSX_RATIO = 200
_RATIO_FLOOR_BYTES = 16 * 1024**2


def _refuse_zip_bomb(path: Path) -> None:
    """Refuse a workbook whose parts would expand enormously, before inflating any.

    The sizes are the archive's own; Python's zipfile stops inflating a part at
    its stated size, so a part cannot lie its way past this check.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except Exception as error:  # zipfile raises many types for a broken archive (found by fuzzing)
        raise UnreadableFileError(
            f"not a readable .xlsx workbook: {type(error).__name__}: {error}", path=path
        ) from None
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_XLSX_RATIO:
            raise UnreadableFileError(
                f"refused: part {part.filename!r} would expand {ratio:,.0f}-fold to "
                f"{part.file_size:,} bytes (a zip bomb?)",
                path=path,
            )
    if total > MAX_XLSX_EXPANDED_BYTES:
        raise UnreadableFileError(
            f"refused: the workbook would expand to {total:,} bytes, more than the "
            f"{MAX_XLSX_EXPANDED_BYTES:,} an event workbook can hold (a zip bomb?)",
            path=path,
        )


def _open_xlsx(path: Path, *, chunk_rows: int | None, sheet: str | int | None) -> RawSource:
    import zipfile

    if not zipfile.is_zipfile(path):
        raise UnreadableFileError("not an .xlsx workbook (not a zip archive)", path=path)
    _refuse_zip_bomb(path)
    try:
        from openpyxl import load_workbook

        # A file object, so that openpyxl does not judge the workbook by its extension.
        stream = path.open("rb")
    except OSError as error:
        raise UnreadableFileError(f"cannot open the file: {error.strerror}", path=path) from None
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet_names = workbook.sheetnames
    except Exception as error:  # openpyxl raises many types for broken workbooks
        stream.close()
        raise UnreadableFileError(
            f"not a readable .xlsx workbook: {type(error).__name__}: {error}", path=path
        ) from None
    if not sheet_names:
        _close_workbook(workbook, stream)
        raise UnreadableFileError("the workbook has no sheet", path=path)
    if sheet is None:
        name = sheet_names[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(sheet_names):
            _close_workbook(workbook, stream)
            raise UsageError(
                f"the workbook has {len(sheet_names)} sheet(s); sheet index {sheet} does not exist",
                path=path,
            )
        name = sheet_names[sheet]
    elif sheet in sheet_names:
        name = sheet
    else:
        _close_workbook(workbook, stream)
        raise UsageError(
            f"no sheet named {sheet!r}; the sheets are {', '.join(map(repr, sheet_names))}",
            path=path,
        )
    try:
        worksheet = workbook[name]
        row_iter = enumerate(worksheet.iter_rows(values_only=True), start=1)
        header: list[str] | None = None
        for _number, values in row_iter:
            if values and any(value is not None and str(value).strip() for value in values):
                header = ["" if value is None else str(value) for value in values]
                break
    except Exception as error:
        _close_workbook(workbook, stream)
        raise UnreadableFileError(
            f"cannot read sheet {name!r}: {type(error).__name__}: {error}", path=path
        ) from None
    if header is None:
        _close_workbook(workbook, stream)
        raise UnreadableFileError(f"sheet {name!r} is empty", path=path)
    while header and not header[-1].strip():
        header.pop()
    width = len(header)
    limit = chunk_rows or math.inf

    def chunks() -> Iterator[RawChunk]:
        import numpy as np
        import pandas as pd

        def build(columns: list[list[str | None]], rows: list[int]) -> RawChunk:
            frame = pd.DataFrame(
                {index: pd.Series(values, dtype="str") for index, values in enumerate(columns)}
            )
            return RawChunk(frame, np.asarray(rows, dtype=np.int64))

        columns: list[list[str | None]] = [[] for _ in range(width)]
        rows: list[int] = []
        emitted = False
        number = 0
        try:
            for number, values in row_iter:
                texts = [_cell_text(value) for value in values[:width]]
                if not any(text is not None and text.strip() for text in texts):
                    continue
                texts.extend([None] * (width - len(texts)))
                for column, text in zip(columns, texts, strict=True):
                    column.append(text)
                rows.append(number)
                if len(rows) >= limit:
                    yield build(columns, rows)
                    emitted = True
                    columns = [[] for _ in range(width)]
                    rows = []
            if rows or not emitted:
                yield build(columns, rows)
        except UnreadableFileError:
            raise
        except Exception as error:
            raise UnreadableFileError(
                f"cannot read sheet {name!r} near row {number + 1}: {type(error).__name__}: {error}",
                path=path,
                row=number + 1,
            ) from None
        finally:
            _close_workbook(workbook, stream)

    return RawSource(path, "xlsx", header, chunks(), {"sheet": name})
