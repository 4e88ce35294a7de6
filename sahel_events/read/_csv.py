"""CSV: comma-, semicolon- or tab-separated text, streamed with pyarrow.

Files with plain quoting go through pyarrow's multithreaded reader; files whose
quoting only Python's lenient csv module follows are read with it. A byte scan
(:mod:`sahel_events.read._csvscan`) first finds every record's line, the encoding
and the ragged records, so that rows are reported by their line in the file.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events._findings import FindingsCollector
from sahel_events._io import open_input
from sahel_events.exc import UnreadableFileError
from sahel_events.read._hxl import read_tag_row
from sahel_events.read.formats import (
    RawChunk,
    RawSource,
    ReadOptions,
    arrow_to_frame,
    empty_frame,
    note_header_row,
)

if TYPE_CHECKING:
    from sahel_events.read._csvscan import CsvLayout

_SNIFF_BYTES = 64 * 1024
_CSV_DELIMITERS = (",", ";", "\t")
_MIN_ARROW_BLOCK = 1024 * 1024  # measured: larger blocks parse slower
#: pyarrow needs a block twice the longest record; beyond this a file is not event data.
_MAX_RECORD_BYTES = 256 * 1024 * 1024


class CsvReader:
    """Comma-, semicolon- or tab-separated text."""

    name = "csv"
    description = "comma- or semicolon-separated text"

    def open(self, path: Path, options: ReadOptions) -> RawSource:
        return _open_csv(path, chunk_rows=options.chunk_rows, encoding=options.encoding)


READERS = {"csv": CsvReader()}


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


def _find_header_line(head: bytes) -> tuple[int, str, list[str]]:
    """Where the header is: title lines to skip above it, its delimiter, and those lines.

    HDX and ministries' files put a title line (or a few, and blank lines) above the
    header. The header is the first of the first lines naming two known columns; when
    no line does, it is the first line, as in any CSV.
    """
    from sahel_events.read.variants import HEADER_SEARCH_ROWS, is_header_row

    text = head.decode("utf-8", errors="replace")
    lines = text.split("\n")
    if len(head) >= _SNIFF_BYTES:
        lines = lines[:-1]  # the last line may be cut
    nonblank = [line.rstrip("\r") for line in lines if line.rstrip("\r")][:HEADER_SEARCH_ROWS]

    def header_delimiter(line: str) -> str | None:
        for delimiter in _CSV_DELIMITERS:
            try:
                cells = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:  # a stray carriage return: not a header line
                return None
            if is_header_row(cells):
                return delimiter
        return None

    if not nonblank or header_delimiter(nonblank[0]) is not None:
        return 0, _sniff_delimiter(head), []
    for index, line in enumerate(nonblank[1:], start=1):
        if header_delimiter(line) is not None:
            return index, _sniff_delimiter(line.encode()), nonblank[:index]
    return 0, _sniff_delimiter(head), []


def _open_csv(path: Path, *, chunk_rows: int | None, encoding: str | None) -> RawSource:
    from sahel_events.read._csvscan import (
        _BinaryContent,
        _EmptyFile,
        _MixedEncoding,
        scan_csv,
    )

    with open_input(path) as handle:
        head = handle.read(_SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise UnreadableFileError(
            "the file is UTF-32 text; save it as UTF-8 (e.g. Excel's 'CSV UTF-8')", path=path
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFileError(
            "the file is UTF-16 text; save it as UTF-8 (e.g. Excel's 'CSV UTF-8')", path=path
        )
    if not head.removeprefix(codecs.BOM_UTF8).strip():
        raise UnreadableFileError("the file holds only blank lines", path=path)
    skip, delimiter, titles = _find_header_line(head.removeprefix(codecs.BOM_UTF8))
    try:
        layout = scan_csv(path, delimiter, detect_encoding=encoding is None, skip_records=skip)
    except _BinaryContent as error:
        raise UnreadableFileError(
            f"not a text file ({error}); expected CSV, Parquet, JSON Lines or .xlsx", path=path
        ) from None
    except _EmptyFile:
        raise UnreadableFileError("the file holds only blank lines", path=path) from None
    except _MixedEncoding as error:
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
    file_issues = FindingsCollector()
    if encoding is None:
        encoding = layout.encoding
        if encoding == "cp1252":
            file_issues.add_file("encoding_fallback", None, "cp1252", "cp1252")
    header_encoding = "utf-8-sig" if encoding in ("utf-8", "utf_8") else encoding
    attrs = {"delimiter": delimiter, "encoding": encoding}
    if skip:
        note_header_row(file_issues, layout.header_line, titles)
    if layout.plain_quoting and not skip:
        header, chunks = _arrow_csv_chunks(
            path, layout, delimiter, encoding, chunk_rows, file_issues
        )
    else:
        # Title rows above the header: Python's reader skips them record by record.
        header, chunks = _python_csv_chunks(
            path, layout, delimiter, header_encoding, chunk_rows, file_issues, skip
        )
    return RawSource(path, "csv", header, chunks, attrs, file_issues)


def _arrow_csv_chunks(
    path: Path,
    layout: CsvLayout,
    delimiter: str,
    encoding: str,
    chunk_rows: int | None,
    file_issues: FindingsCollector,
) -> tuple[list[str], Iterator[RawChunk]]:
    import numpy as np
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
    data_start = 1
    if first.num_rows > 1 and len(layout.record_lines):
        tags = read_tag_row(header, list(first.slice(1, 1).to_pylist()[0].values()))
        if tags is not None:
            tags.report(file_issues, int(layout.record_lines[0]))
            header = tags.header
            data_start = 2
            # The tag row is no record: the lines and ragged records count from after it.
            layout = dataclasses.replace(
                layout,
                record_lines=layout.record_lines[1:],
                ragged_order=np.maximum(layout.ragged_order - 1, 0),
            )

    def batches() -> Iterator[pa.RecordBatch]:
        yield first.slice(data_start)
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
            chunk = RawChunk(arrow_to_frame(table), lines)
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
            empty = RawChunk(empty_frame(len(names)), layout.record_lines[:0])
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


def _add_ragged(
    issues: FindingsCollector,
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
    with open_input(path) as handle:
        for offset, length in zip(
            layout.ragged_offsets[index], layout.ragged_lengths[index], strict=True
        ):
            handle.seek(int(offset))
            raw = handle.read(min(int(length), 4 * 200))
            texts.append(raw.decode(encoding, errors="replace").rstrip("\r"))
    fields = pd.Series(layout.ragged_fields[index]).astype("str")
    messages = "it has " + fields + f" fields, the header {layout.header_fields}"
    issues.add("ragged_row", layout.ragged_lines[index], None, texts, messages)


def _python_csv_chunks(
    path: Path,
    layout: CsvLayout,
    delimiter: str,
    encoding: str,
    chunk_rows: int | None,
    file_issues: FindingsCollector,
    skip_records: int = 0,
) -> tuple[list[str], Iterator[RawChunk]]:
    """Read with Python's csv module: slower, but follows its lenient quoting rules.

    The first ``skip_records`` non-empty records are title rows above the header.
    """
    # csv's field size limit is process-wide: raised while reading, restored after.
    previous_limit = csv.field_size_limit()
    line = 0

    def records(reader: Any) -> Iterator[tuple[int, list[str]]]:
        """Each non-empty record with the line it starts on."""
        nonlocal line
        for record in reader:
            start = line + 1
            line = reader.line_num
            if record:
                yield start, record

    header: list[str] | None = None
    pending: list[tuple[int, list[str]]] = []
    try:
        handle = io.TextIOWrapper(open_input(path), encoding=encoding, newline="", errors="strict")
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        stream = records(csv.reader(handle, delimiter=delimiter))
        for _start, record in stream:
            if skip_records:
                skip_records -= 1
                continue
            header = record
            break
        if header is not None:
            following = next(stream, None)
            if following is not None:
                tags = read_tag_row(header, following[1])
                if tags is None:
                    pending.append(following)
                else:
                    tags.report(file_issues, following[0])
                    header = tags.header
    except (UnicodeDecodeError, csv.Error, OSError) as error:
        csv.field_size_limit(previous_limit)
        raise UnreadableFileError(f"cannot parse the CSV: {error}", path=path) from None
    if header is None:
        handle.close()
        csv.field_size_limit(previous_limit)
        raise UnreadableFileError("the file holds only blank lines", path=path)
    width = len(header)

    def chunks() -> Iterator[RawChunk]:
        try:
            columns: list[list[str]] = [[] for _ in range(width)]
            rows: list[int] = []
            ragged_rows: list[int] = []
            ragged_texts: list[str] = []
            ragged_counts: list[int] = []
            emitted = False
            for start, record in itertools.chain(pending, stream):
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
    messages = [f"it has {count} fields, the header {width}" for count in ragged_counts]
    chunk.issues.add("ragged_row", ragged_rows, None, ragged_texts, messages)
    return chunk
