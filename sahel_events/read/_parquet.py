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
        # known before any is expanded (see _refuse_bombs); _TextPlan reads plain
        # those whose size the file bounds and that a dictionary does not help.
        text_columns = [
            column_field.name for column_field in schema if _is_text_type(column_field.type)
        ]
        # Arrow cannot read DELTA_BYTE_ARRAY pages as a dictionary: those columns are
        # read plain, in bounded batches (_bounded_batches).
        prefix_coded = _prefix_coded(probe.metadata)
        text_columns = [name for name in text_columns if name not in prefix_coded]
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
            # A column the file stores as a dictionary (a pandas categorical) stays one.
            stored_plain = [
                name
                for name in text_columns
                if name in names and not pa.types.is_dictionary(schema.field(name).type)
            ]
            plan = _TextPlan(
                path, parquet, text_columns, stored_plain, sorted(prefix_coded & set(names))
            )
            if chunk_rows is None or parquet.metadata.num_rows <= chunk_rows:
                tables = plan.read_whole(names)
            else:
                tables = _parquet_chunks(plan, names, chunk_rows)
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


def _parquet_chunks(plan: _TextPlan, names: list[str], chunk_rows: int) -> Iterator[Any]:
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
    metadata = plan.dictionary_file.metadata
    first_row = 1
    for group in range(metadata.num_row_groups):
        parquet = plan.file_for(group)
        group_rows = metadata.row_group(group).num_rows
        if plan.prefix_coded:
            parts = _bounded_batches(plan, parquet, group, names, chunk_rows, first_row)
        elif group_rows > chunk_rows:
            parts = (
                pa.Table.from_batches([batch])
                for batch in parquet.iter_batches(
                    batch_size=chunk_rows, row_groups=[group], columns=names
                )
            )
        else:
            parts = iter([parquet.read_row_group(group, columns=names, use_threads=True)])
        first_row += group_rows
        for table in parts:
            offset = 0
            while offset < table.num_rows:
                take = min(chunk_rows - pending_rows, table.num_rows - offset)
                pending.append(table.slice(offset, take))
                pending_rows += take
                offset += take
                if pending_rows == chunk_rows:
                    yield _concatenated(pending)
                    pending, pending_rows = [], 0
    if pending:
        yield _concatenated(pending)


#: Records decoded at a time from a column of prefix-coded text (DELTA_BYTE_ARRAY).
BOUNDED_BATCH_ROWS = 1_024


def _prefix_coded(metadata: Any) -> set[str]:
    """Columns whose pages in some row group are DELTA_BYTE_ARRAY (Parquet 2 writers'
    fallback for text, e.g. parquet-mr's)."""
    found = set()
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for index in range(row_group.num_columns):
            column = row_group.column(index)
            if "DELTA_BYTE_ARRAY" in column.encodings:
                found.add(column.path_in_schema)
    return found


def _bounded_batches(
    plan: _TextPlan, parquet: Any, group: int, names: list[str], chunk_rows: int, first_row: int
) -> Iterator[Any]:
    """Row group ``group`` in tables of at most ``chunk_rows`` records, decoded
    BOUNDED_BATCH_ROWS at a time, refused as soon as its prefix-coded columns pass
    what a chunk may decode to: each value shares a prefix with the one before, so a
    few stored bytes can stand for a long value repeated, and nothing in the file
    bounds that before it is decoded."""
    import pyarrow as pa

    batches: list[Any] = []
    rows = decoded = 0
    for batch in parquet.iter_batches(
        batch_size=BOUNDED_BATCH_ROWS, row_groups=[group], columns=names
    ):
        decoded += sum(batch.column(name).nbytes for name in plan.prefix_coded)
        if decoded > MAX_DECODED_BYTES:
            raise UnreadableFileError(
                f"refused: the records from record {first_row} would decode to more than"
                f" {MAX_DECODED_BYTES:,} bytes (prefix-coded text repeated?); read the file"
                " in smaller chunks (chunk_rows=, --chunk-rows)",
                path=plan.path,
                row=first_row,
            )
        batches.append(batch)
        rows += batch.num_rows
        if rows >= chunk_rows:
            yield pa.Table.from_batches(batches)
            first_row += rows
            batches, rows, decoded = [], 0, 0
    if batches:
        yield pa.Table.from_batches(batches)


def _concatenated(tables: list[Any]) -> Any:
    """One table of ``tables``; a text column read plain in some and as a dictionary in
    others (a row group _TextPlan could not bound) is made a dictionary in all, so that
    nothing is decoded before :func:`_refuse_bombs` has seen the chunk."""
    import pyarrow as pa
    import pyarrow.compute as pc

    schemas = {table.schema for table in tables}
    if len(schemas) > 1:
        dictionary_types = {
            column_field.name: column_field.type
            for table in tables
            for column_field in table.schema
            if pa.types.is_dictionary(column_field.type)
        }
        unified = []
        for table in tables:
            for position, column_field in enumerate(table.schema):
                kind = dictionary_types.get(column_field.name)
                if kind is not None and not pa.types.is_dictionary(column_field.type):
                    column = pc.dictionary_encode(table.column(position)).cast(kind)
                    table = table.set_column(position, column_field.with_type(kind), column)
            unified.append(table)
        tables = unified
    return pa.concat_tables(tables)


#: How many times its compressed size a page can decode to, by codec: each format's
#: worst case (snappy's longest copy, 64 bytes from 3; LZ4's 255:1; deflate's 1032:1).
#: ZSTD and Brotli have no small worst case: their text is read as dictionaries.
_EXPANSION_BOUND = {"UNCOMPRESSED": 1, "SNAPPY": 22, "LZ4": 256, "LZ4_RAW": 256, "GZIP": 1032}

#: Encodings whose decoded size the stored sizes bound. DELTA_BYTE_ARRAY is not one:
#: it shares prefixes between values, so a few bytes can stand for a long value repeated.
_BOUNDED_ENCODINGS = frozenset(
    {"PLAIN", "RLE", "BIT_PACKED", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "DELTA_LENGTH_BYTE_ARRAY"}
)


class _TextPlan:
    """Which text columns to read plain rather than as dictionaries.

    A dictionary is what makes a small file that decodes to gigabytes refusable
    before it is decoded, and what lets the conformer look at each distinct value
    once. For a column with about as many distinct values as rows (event ids, notes)
    it helps neither and costs most of the read: Arrow builds it by hashing every
    value the file stores plain. Such a column, judged on the first row group, is
    read plain in every row group whose stored sizes bound what it decodes to:
    the row count times the longest value of the file's dictionary page, plus the
    column's compressed size times its codec's worst expansion. A row group the
    sizes do not bound is read as dictionaries, as every text column was before.
    """

    def __init__(
        self,
        path: Path,
        dictionary_file: Any,
        text_columns: list[str],
        stored_plain: list[str],
        prefix_coded: list[str],
    ) -> None:
        import pyarrow.parquet as pq

        self.path = path
        self.dictionary_file = dictionary_file
        self.prefix_coded = prefix_coded
        metadata = dictionary_file.metadata
        self._positions = {
            metadata.schema.column(index).path: index for index in range(metadata.num_columns)
        }
        self._probed: dict[int, dict[str, tuple[int, int, int]]] = {}
        self.plain = self._plain_columns(stored_plain) if metadata.num_row_groups else []
        self.plain_file = dictionary_file
        if self.plain and set(self.plain) != set(prefix_coded):
            self.plain_file = pq.ParquetFile(
                str(path), read_dictionary=[name for name in text_columns if name not in self.plain]
            )

    def read_whole(self, names: list[str]) -> Iterator[Any]:
        """The whole file as one table (none for a file without rows)."""
        metadata = self.dictionary_file.metadata
        if self.prefix_coded:
            return _parquet_chunks(self, names, max(metadata.num_rows, 1))
        groups = range(metadata.num_row_groups)
        parquet = (
            self.plain_file
            if all(self.file_for(group) is self.plain_file for group in groups)
            else self.dictionary_file
        )
        return iter([parquet.read(columns=names, use_threads=True)])

    def file_for(self, group: int) -> Any:
        """The file object to read row group ``group`` with."""
        planned = [name for name in self.plain if name not in self.prefix_coded]
        if not planned:
            return self.dictionary_file
        probe = self._probed.pop(group, None) or self._probe(group, planned)
        bound = 0
        for name in planned:
            column = self.dictionary_file.metadata.row_group(group).column(self._positions[name])
            expansion = _EXPANSION_BOUND.get(column.compression)
            if expansion is None or not set(column.encodings) <= _BOUNDED_ENCODINGS:
                return self.dictionary_file
            _, _, longest = probe[name]
            bound += column.num_values * longest + column.total_compressed_size * expansion
        return self.plain_file if bound <= MAX_DECODED_BYTES else self.dictionary_file

    def _plain_columns(self, stored_plain: list[str]) -> list[str]:
        """The columns of many distinct values in the first row group: its dictionary
        page holds more than one value per ROWS_PER_DISTINCT_VALUE rows, or the column
        stores more than its dictionary and indices could take (the writer fell back
        to plain values when the dictionary page filled up), or it has no dictionary."""
        names = [name for name in stored_plain if name in self._positions]
        probe = self._probe(0, [name for name in names if name not in self.prefix_coded])
        self._probed = {0: probe}
        row_group = self.dictionary_file.metadata.row_group(0)
        plain = []
        for name in names:
            column = row_group.column(self._positions[name])
            distinct, dictionary_bytes, _ = probe.get(name, (0, 0, 0))
            rows = column.num_values
            # An index takes at most 4 bytes and its null flag an eighth of one.
            dictionary_only = dictionary_bytes + 4 * rows + rows // 8 + 65_536
            if (
                name in self.prefix_coded
                or not column.has_dictionary_page
                or distinct * ROWS_PER_DISTINCT_VALUE > rows
                or column.total_uncompressed_size > dictionary_only
            ):
                plain.append(name)
        return plain

    def _probe(self, group: int, names: list[str]) -> dict[str, tuple[int, int, int]]:
        """Per column of row group ``group``: its dictionary page's number of values,
        their stored bytes and the longest value (Arrow reads the whole page with the
        first record)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not names:
            return {}
        batch = next(
            self.dictionary_file.iter_batches(
                batch_size=1, row_groups=[group], columns=names, use_threads=False
            ),
            None,
        )
        found = {}
        for name in names:
            values = (
                batch.column(name).dictionary if batch is not None else pa.array([], pa.string())
            )
            lengths = pc.binary_length(values)
            found[name] = (
                len(values),
                int(pc.sum(lengths).as_py() or 0) + 4 * len(values),
                int(pc.max(lengths).as_py() or 0),
            )
        return found


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
