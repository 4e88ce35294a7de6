"""Parquet: read a row group at a time with Arrow's threads, text checked as UTF-8.

Work is bounded before any decoding: the row groups' declared uncompressed
sizes, and the expansion of dictionary columns, are checked against
:data:`MAX_DECODED_BYTES` per chunk, so a small file that would decode to
gigabytes is refused from its footer alone.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sahel_events._io import check_input
from sahel_events.exc import UnreadableFileError
from sahel_events.read.formats import RawChunk, RawSource, ReadOptions, arrow_to_frame

#: Most bytes one chunk may decode to. A chunk of 500,000 ACLED rows is about
#: 250 MB decoded; 2 GiB leaves room for wide files and refuses bombs.
MAX_DECODED_BYTES = 2 * 1024**3


class ParquetReader:
    """Apache Parquet."""

    name = "parquet"
    description = "Apache Parquet"

    def open(self, path: Path, options: ReadOptions) -> RawSource:
        return _open_parquet(path, chunk_rows=options.chunk_rows)


READERS = {"parquet": ParquetReader()}


def _open_parquet(path: Path, *, chunk_rows: int | None) -> RawSource:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        probe = pq.ParquetFile(str(check_input(path)))
        schema = probe.schema_arrow
        # Text columns arrive as dictionaries, so that what they would expand to is
        # known before any is expanded (see _refuse_bombs).
        text_columns = [
            column_field.name for column_field in schema if _is_text_type(column_field.type)
        ]
        parquet = pq.ParquetFile(str(path), read_dictionary=text_columns)
    except (pa.ArrowException, OSError, ValueError) as error:
        raise UnreadableFileError(
            f"not a readable Parquet file (truncated or corrupt?): {error}", path=path
        ) from None
    index_columns = _pandas_index_columns(schema)
    names = [name for name in schema.names if name not in index_columns]
    _refuse_large_row_groups(parquet, path, chunk_rows)

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
                first = int(rows[0]) if count else start
                _refuse_bombs(table, path, first)
                # UTF-8 is checked on the dictionaries, before they are expanded to rows.
                table = _checked_text(table, first, path)
                dictionaries = _dictionaries(table, schema)
                table = _decoded(table, schema, keep=set(dictionaries))
                chunk = RawChunk(arrow_to_frame(table), rows, dictionaries=dictionaries)
                del table, dictionaries
                yield chunk
                del chunk  # only one chunk may stay in memory while the next is read
            if not produced:
                yield RawChunk(
                    arrow_to_frame(schema.empty_table().select(names)),
                    np.empty(0, dtype=np.int64),
                )
        except (pa.ArrowException, OSError, ValueError) as error:
            raise UnreadableFileError(
                f"the Parquet data is corrupt near record {start}: {error}", path=path, row=start
            ) from None

    return RawSource(path, "parquet", names, chunks())


def _refuse_large_row_groups(parquet: Any, path: Path, chunk_rows: int | None) -> None:
    """Refuse row groups whose declared uncompressed size exceeds the budget of a chunk.

    Row groups larger than a chunk are streamed in batches, so only those read
    whole are bounded here; the footer's sizes cost nothing to read.
    """
    metadata = parquet.metadata
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        if chunk_rows is not None and row_group.num_rows > chunk_rows:
            continue
        if row_group.total_byte_size > MAX_DECODED_BYTES:
            raise UnreadableFileError(
                f"refused: row group {group} would decode to {row_group.total_byte_size:,}"
                f" bytes, more than the {MAX_DECODED_BYTES:,} a chunk may take; read it in"
                " smaller chunks (chunk_rows=, --chunk-rows) or rewrite it with smaller row"
                " groups",
                path=path,
            )


def _refuse_bombs(table: Any, path: Path, first_row: int) -> None:
    """Refuse a chunk whose dictionary columns would decode to too many bytes.

    A dictionary column of one long string repeated a million times is a few
    kilobytes in the file and gigabytes decoded: the decoded size is computed
    from the dictionary's lengths and the indices, before anything is decoded.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for position, column_field in enumerate(table.schema):
        column = table.column(position)
        if not pa.types.is_dictionary(column_field.type):
            total += column.nbytes
            continue
        for chunk in column.chunks:
            lengths = pc.binary_length(chunk.dictionary)
            longest = pc.max(lengths).as_py() or 0
            if longest * len(chunk) + total <= MAX_DECODED_BYTES:
                total += longest * len(chunk)  # a bound: no need to sum the exact size
            elif len(lengths):
                total += int(pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0)
            total += chunk.indices.nbytes
        if total > MAX_DECODED_BYTES:
            break
    if total > MAX_DECODED_BYTES:
        raise UnreadableFileError(
            f"refused: {table.num_rows:,} records from record {first_row} would decode to"
            f" more than {MAX_DECODED_BYTES:,} bytes (a dictionary bomb?); read the file in"
            " smaller chunks (chunk_rows=, --chunk-rows)",
            path=path,
            row=first_row,
        )


#: A text column stays dictionary-encoded when it has at most one distinct value per
#: this many rows: a pandas categorical is cheap to make of a few categories, costly
#: of as many as there are rows (event ids, notes), which are decoded instead.
ROWS_PER_DISTINCT_VALUE = 4


def _encoded_here(column_field: Any, schema: Any) -> bool:
    """Whether the column is a dictionary because this reader asked for one (the
    file stores it plain), not because the file stores it so."""
    import pyarrow as pa

    return bool(
        pa.types.is_dictionary(column_field.type)
        and not pa.types.is_dictionary(schema.field(column_field.name).type)
    )


def _dictionaries(table: Any, schema: Any) -> dict[int, Any]:
    """The text columns the file stores plain that stay dictionary-encoded, by position:
    the conformer checks each distinct value once, and expands what it does not keep
    categorical."""

    kept = {}
    for position, column_field in enumerate(table.schema):
        if not (_encoded_here(column_field, schema) and _is_text_type(column_field.type)):
            continue
        column = table.column(position)
        distinct = sum(len(chunk.dictionary) for chunk in column.chunks)
        if distinct * ROWS_PER_DISTINCT_VALUE <= len(column):
            kept[position] = column
    return kept


def _decoded(table: Any, schema: Any, keep: set[int]) -> Any:
    """``table`` with the text columns that the file stores plain decoded from their
    dictionaries, but those in ``keep``; columns the file stores as dictionaries stay
    so (pandas categoricals)."""

    decode = [
        position
        for position, column_field in enumerate(table.schema)
        if _encoded_here(column_field, schema) and position not in keep
    ]
    if not decode:
        return table

    def decoded(position: int) -> Any:
        return table.column(position).cast(schema.field(table.schema.field(position).name).type)

    # Arrow casts without the GIL: decode the columns on all cores.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(decode), os.cpu_count() or 1)) as pool:
        columns = list(pool.map(decoded, decode))
    for position, column in zip(decode, columns, strict=True):
        table = table.set_column(
            position, table.schema.field(position).with_type(column.type), column
        )
    return table


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

    Row groups of at most a chunk are read whole (multi-threaded, faster than record
    batches); a larger one is streamed in batches of a chunk, so that one huge row
    group cannot exhaust memory and the first chunk is checked while the rest of its
    row group is read.
    """
    import pyarrow as pa

    pending: list[Any] = []
    pending_rows = 0
    parts: Iterator[Any]
    for group in range(parquet.num_row_groups):
        group_rows = parquet.metadata.row_group(group).num_rows
        if group_rows > chunk_rows:
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
