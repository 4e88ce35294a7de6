"""Writing event tables: typed GeoParquet files, hive-partitioned datasets, CSV and XLSX.

Every writer is atomic: the output is written to a temporary file (or folder) beside
its target, flushed to disk, and renamed into place, so a reader never sees half a
file and a failed or interrupted write leaves the previous output as it was. The same
frame always gives the same bytes.

>>> from sahel_events.write import write_events, write_dataset
>>> write_events(events, "out/events.parquet")            # doctest: +SKIP
PosixPath('out/events.parquet')
>>> write_dataset(events, "out/events")                   # doctest: +SKIP
PosixPath('out/events')

Partition folder names come from data, so they pass through :func:`safe_child_path`,
which refuses any path that could leave its output folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events import __version__
from sahel_events.exc import OutputError, UnsafePathError, UsageError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "FORMULA_TRIGGERS",
    "GEOPARQUET_VERSION",
    "HIVE_NULL_PARTITION",
    "SCHEMA_VERSION",
    "neutralise_formulas",
    "partition_segment",
    "safe_child_path",
    "sources_metadata",
    "write_csv",
    "write_dataset",
    "write_events",
    "write_xlsx",
]

#: Version of the sahel_events table layout, stored as ``sahel_events.schema_version``.
SCHEMA_VERSION = "1"
#: The GeoParquet specification version the ``geo`` metadata follows.
GEOPARQUET_VERSION = "1.1.0"
#: Folder value of a missing partition value, as Hive, Spark and pyarrow write it.
HIVE_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

# Same name as arrow_schema.GEOMETRY_COLUMN; not imported, so that importing this
# module does not import pyarrow.
_GEOMETRY = "geometry"
_SOURCES_KEY = "sahel_events.sources"
_RESERVED_KEYS = frozenset(
    {"geo", "pandas", "ARROW:schema", "sahel_events.schema_version", "sahel_events.version"}
)
# Fixed so that the bytes of a file depend on its content and the library versions only.
_PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 9,
    "version": "2.6",
    "data_page_version": "1.0",
    "write_statistics": True,
    "store_schema": True,
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


# --- Atomic outputs ----------------------------------------------------------------


def _umask() -> int:
    # /proc avoids os.umask's set-and-restore, which races with other threads.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync_directory(directory: Path) -> None:
    # Makes a rename durable; not possible (nor needed) on Windows.
    if sys.platform == "win32":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _output_error(error: OSError, path: Path) -> OutputError:
    reasons = {
        errno.EFBIG: "file size limit reached",
        errno.ENOSPC: "disk full",
        getattr(errno, "EDQUOT", -1): "disk quota exceeded",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EROFS: "read-only file system",
        errno.ENOTDIR: "a parent of the path is a file, not a folder",
        errno.EISDIR: "the path is a folder",
        errno.ENAMETOOLONG: "file name too long",
    }
    reason = reasons.get(error.errno or 0) or error.strerror or str(error)
    return OutputError(f"cannot write: {reason}; nothing was written", path=path)


def _prepare_parent(target: Path) -> None:
    """Refuse a target that is a folder; create the target's missing parent folders."""
    if target.is_dir():
        raise OutputError("cannot write: the path is a folder", path=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            "cannot write: a parent of the path is a file, not a folder", path=target
        ) from None
    except OSError as error:
        raise _output_error(error, target) from None


@contextlib.contextmanager
def _atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it into place.

    The caller writes the whole output to the yielded path. When the block ends
    normally the file is fsynced, given the permissions a new file would get, and
    renamed over ``target``; when it raises, the temporary file is removed and
    ``target`` is untouched. OSErrors become :class:`OutputError`.
    """
    target = Path(target)
    _prepare_parent(target)
    try:
        descriptor, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise _output_error(error, target) from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        # mkstemp creates 0600; give the file what open() would have given it.
        try:
            mode = target.stat().st_mode & 0o777
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        _fsync_directory(target.parent)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError):
            raise _output_error(error, target) from None
        raise


# --- Metadata ----------------------------------------------------------------------


def sources_metadata(sources: Mapping[str, str]) -> dict[str, str]:
    """The ``metadata`` entry recording the sources a dataset was coded from.

    Args:
        sources: Source id -> SHA-256 hex digest of the source text.

    Returns:
        ``{"sahel_events.sources": <JSON list of {"id", "sha256"} sorted by id>}``,
        ready to pass as ``metadata`` to :func:`write_events` or :func:`write_dataset`.
    """
    listed = [{"id": str(key), "sha256": str(value)} for key, value in sources.items()]
    return {_SOURCES_KEY: json.dumps(listed)}


def _canonical_sources(text: str) -> str:
    try:
        listed = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"not valid JSON: {error}", field=_SOURCES_KEY) from None
    if not isinstance(listed, list) or not all(
        isinstance(item, dict)
        and set(item) == {"id", "sha256"}
        and isinstance(item["id"], str)
        and isinstance(item["sha256"], str)
        for item in listed
    ):
        raise UsageError(
            'expected a JSON list of {"id": ..., "sha256": ...} objects', field=_SOURCES_KEY
        )
    for item in listed:
        if not _SHA256.match(item["sha256"]):
            raise UsageError(
                f"source {item['id']!r}: sha256 must be 64 lower-case hex digits",
                field=_SOURCES_KEY,
            )
    ids = [item["id"] for item in listed]
    if len(set(ids)) != len(ids):
        raise UsageError("a source id is listed twice", field=_SOURCES_KEY)
    listed.sort(key=lambda item: item["id"])
    return json.dumps(listed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _file_metadata(metadata: Mapping[str, str] | None) -> dict[str, str]:
    """Key-value metadata of a file: the caller's entries plus ours, checked."""
    entries: dict[str, str] = {}
    for key, value in (metadata or {}).items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise UsageError(f"metadata keys and values must be strings; got {key!r}: {value!r}")
        if key in _RESERVED_KEYS:
            raise UsageError(f"metadata key {key!r} is written by sahel_events itself")
        entries[key] = value
    entries[_SOURCES_KEY] = _canonical_sources(entries.get(_SOURCES_KEY, "[]"))
    entries["sahel_events.schema_version"] = SCHEMA_VERSION
    entries["sahel_events.version"] = __version__
    return entries


def _geo_metadata(table: pa.Table) -> str:
    """GeoParquet 1.1 ``geo`` metadata for the WKB point column of an event table."""
    import numpy as np

    column: dict[str, object] = {"encoding": "WKB", "geometry_types": ["Point"]}
    # The points are (longitude, latitude), so the bbox comes from those columns
    # without decoding the WKB again.
    x = table.column("longitude").to_numpy().astype("float64")
    y = table.column("latitude").to_numpy().astype("float64")
    present = ~(np.isnan(x) | np.isnan(y))
    if present.any():
        x, y = x[present], y[present]
        column["bbox"] = [float(x.min()), float(y.min()), float(x.max()), float(y.max())]
    # No "crs": GeoParquet then means OGC:CRS84, longitude-latitude on WGS 84,
    # which is exactly how ACLED's coordinates are stored in the WKB points.
    geo = {
        "version": GEOPARQUET_VERSION,
        "primary_column": _GEOMETRY,
        "columns": {_GEOMETRY: column},
    }
    return json.dumps(geo, sort_keys=True, separators=(",", ":"))


def _compact_dictionaries(table: pa.Table) -> pa.Table:
    """Re-encode dictionary columns so each dictionary is the sorted values present."""
    import pyarrow as pa

    from sahel_events.arrow_schema import _sorted_dictionary

    for position, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            array = table.column(position).combine_chunks()
            encoded = _sorted_dictionary(array, field.type.index_type)
            table = table.set_column(position, field.with_type(encoded.type), encoded)
    return table


def _write_table(table: pa.Table, target: Path, metadata: dict[str, str]) -> Path:
    import pyarrow.parquet as pq

    entries = {**metadata, "geo": _geo_metadata(table)}
    table = table.replace_schema_metadata(dict(sorted(entries.items())))
    with _atomic_path(target) as temporary:
        writer = pq.ParquetWriter(str(temporary), table.schema, **_PARQUET_OPTIONS)
        try:
            writer.write_table(table)
        finally:
            writer.close()
    return target


def write_events(
    df: pd.DataFrame, path: str | os.PathLike[str], *, metadata: Mapping[str, str] | None = None
) -> Path:
    """Write events to one GeoParquet file, atomically and reproducibly.

    The file has the typed schema of :mod:`sahel_events.arrow_schema`, zstd
    compression, and key-value metadata ``sahel_events.schema_version``,
    ``sahel_events.version``, ``sahel_events.sources`` and GeoParquet 1.1 ``geo``.
    Missing parent folders are created. The same frame gives byte-identical files.

    Args:
        df: Events with ACLED's 31 current columns, optionally provenance and others.
        path: The file to write; an existing file is replaced only once the new one
            is complete.
        metadata: Extra string key-value metadata. ``sahel_events.sources``, if given,
            must be a JSON list of ``{"id", "sha256"}`` (see :func:`sources_metadata`).

    Returns:
        The path written.

    Raises:
        UsageError: The frame lacks columns or holds values its types cannot store,
            or ``metadata`` is malformed.
        OutputError: The file cannot be written; nothing was written.
    """
    from sahel_events.arrow_schema import to_arrow_table

    entries = _file_metadata(metadata)
    return _write_table(to_arrow_table(df), Path(path), entries)


# --- Partitioned datasets --------------------------------------------------------------

# Characters with a meaning in paths, in hive folder names or on Windows: written as %XX,
# which pyarrow, DuckDB and Spark decode when they read hive partitions back.
_PERCENT_ENCODED = frozenset('"#%*:<=>?[]^{|}' + "'")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_NAME_BYTES = 255


def _refusal(part: str) -> str | None:
    """Why ``part`` cannot be one path component, or None when it can."""
    if part == "":
        return "it is empty"
    if "\x00" in part:
        return "it contains a NUL character"
    if _CONTROL.search(part):
        return "it contains a control character"
    if "/" in part or "\\" in part:
        return "it contains a path separator"
    if ".." in part:
        return "it contains '..'"
    if part.startswith("."):
        return "it starts with a dot (a hidden or relative name)"
    try:
        encoded = part.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid Unicode text (a lone surrogate)"
    if len(encoded) > _MAX_NAME_BYTES:
        return f"it is longer than {_MAX_NAME_BYTES} bytes"
    return None


def safe_child_path(root: str | os.PathLike[str], *parts: str, column: str | None = None) -> Path:
    """``root / part / ...``, refusing any part that could lead outside ``root``.

    Each part must be a single, visible path component: not empty, no ``/`` or ``\\``,
    no ``..``, no NUL or control character, no leading dot, no ``:`` (a drive or an
    alternate stream on Windows), at most 255 bytes of UTF-8. The joined path must
    also stay inside ``root`` once symbolic links are resolved.

    Args:
        root: The output folder.
        parts: Path components built from data (partition folders, source ids).
        column: The column the parts come from, named in the error.

    Returns:
        The joined path.

    Raises:
        UnsafePathError: A part is refused; the message names it.
    """
    base = Path(root)
    for part in parts:
        reason = _refusal(part) if isinstance(part, str) else "it is not a string"
        if reason is None and ":" in part:
            reason = "it contains ':' (a drive or stream name on Windows)"
        if reason is not None:
            raise UnsafePathError(
                f"refusing path component {part!r}: {reason}", path=base, column=column
            )
    child = base.joinpath(*parts)
    resolved_root = base.resolve()
    resolved = child.resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise UnsafePathError(
            f"refusing {'/'.join(parts)!r}: it resolves outside the output folder",
            path=base,
            column=column,
        )
    return child


def partition_segment(column: str, value: object) -> str:
    """The hive folder name ``column=value`` of one partition value.

    Missing values become ``__HIVE_DEFAULT_PARTITION__``; ``"%"``, ``"="``, ``":"``,
    quotes and the other characters in :data:`_PERCENT_ENCODED` are written as ``%XX``
    (as Spark does; pyarrow, DuckDB and Spark decode it); letters of any script, digits, spaces, ``-`` and ``_``
    stay as they are.

    Raises:
        UnsafePathError: The value has a separator, ``..``, NUL or control character,
            starts with a dot, or is empty.
    """
    text = HIVE_NULL_PARTITION if value is None else str(value)
    reason = _refusal(text)
    if reason is not None:
        raise UnsafePathError(
            f"refusing partition value {text!r}: {reason}; nothing was written", column=column
        )
    encoded = "".join(f"%{ord(char):02X}" if char in _PERCENT_ENCODED else char for char in text)
    return f"{column}={encoded}"


def _partition_keys(df: pd.DataFrame, partition_by: Sequence[str]) -> pd.DataFrame:
    """The folder value of each row for each partition column, as strings (vectorised).

    Missing values become :data:`HIVE_NULL_PARTITION`, so every key is a string.
    """
    import pandas as pd

    keys = {}
    for name in partition_by:
        series = df[name]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            text = series.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(series.dtype):
            text = series.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(series.dtype):
            # 2025.0 or 1e-05 as a folder name helps nobody; partition by integers or text.
            raise UsageError("cannot partition by a floating-point column", column=name)
        else:
            text = series.astype("str")
        keys[name] = text.astype("object").where(series.notna(), HIVE_NULL_PARTITION)
    return pd.DataFrame(keys, index=df.index)


def _looks_like_dataset(root: Path) -> str | None:
    """The first entry of ``root`` that a partitioned dataset would not hold, or None."""
    for entry in sorted(os.scandir(root), key=lambda item: item.name):
        if entry.is_dir(follow_symlinks=False) and "=" in entry.name:
            continue
        if entry.is_file(follow_symlinks=False) and (
            entry.name.endswith(".parquet") or entry.name.startswith("_")
        ):
            continue
        return entry.name
    return None


def _rename_exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _swap_into_place(staging: Path, root: Path) -> None:
    """Replace ``root`` by the complete tree at ``staging``; the old tree is removed."""
    if not root.exists():
        os.rename(staging, root)
        return
    if _rename_exchange(staging, root):
        # ``staging`` now holds the previous dataset.
        shutil.rmtree(staging)
        return
    backup = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.", suffix=".old"))
    backup.rmdir()
    os.rename(root, backup)
    try:
        os.rename(staging, root)
    except BaseException:
        os.rename(backup, root)
        raise
    shutil.rmtree(backup)


def write_dataset(
    df: pd.DataFrame,
    root: str | os.PathLike[str],
    *,
    partition_by: Sequence[str] = ("country", "year"),
    metadata: Mapping[str, str] | None = None,
) -> Path:
    """Write events as a hive-partitioned GeoParquet dataset, replacing it all at once.

    Rows are grouped by the partition columns into ``root/country=Mali/year=2025/part-0.parquet``;
    each file is written as by :func:`write_events`, without the partition columns
    (readers take them from the folder names). The whole tree is built in a temporary
    folder beside ``root`` and swapped in at the end: an interrupted write leaves the
    previous dataset whole.

    Args:
        df: Events, as for :func:`write_events`.
        root: The dataset folder. An existing folder is replaced only if it holds
            nothing but ``key=value`` folders, ``.parquet`` files and ``_`` files.
        partition_by: Columns whose values name the folders, outermost first.
        metadata: Extra key-value metadata for every file, as for :func:`write_events`.

    Returns:
        ``root``.

    Raises:
        UnsafePathError: A partition value could lead outside ``root`` (see
            :func:`partition_segment`); nothing was written.
        UsageError: Bad partition columns, or as for :func:`write_events`.
        OutputError: The dataset cannot be written, or ``root`` holds other files.
    """
    import pyarrow as pa

    from sahel_events.arrow_schema import to_arrow_table

    root = Path(root)
    partition_by = tuple(partition_by)
    if not partition_by or len(set(partition_by)) != len(partition_by):
        raise UsageError("partition_by must name one or more distinct columns")
    for name in partition_by:
        if name not in df.columns or name == _GEOMETRY:
            raise UsageError("no such column to partition by", column=name)
    entries = _file_metadata(metadata)

    keys = _partition_keys(df, partition_by)
    # Check every value before writing anything.
    try:
        segments = {
            name: {value: partition_segment(name, value) for value in keys[name].unique()}
            for name in partition_by
        }
    except UnsafePathError as error:
        raise UnsafePathError(error.message, path=root, column=error.column) from None
    groups = keys.reset_index(drop=True).groupby(list(partition_by), sort=True).indices
    table = to_arrow_table(df).drop_columns(list(partition_by))

    if root.is_symlink():
        # Swapping would replace the link, not the folder it points to: be explicit.
        raise OutputError(
            "cannot write a dataset over a symbolic link; give the folder it points to",
            path=root,
        )
    if root.exists() and not root.is_dir():
        raise OutputError("cannot write a dataset: the path is a file", path=root)
    if root.is_dir():
        stray = _looks_like_dataset(root)
        if stray is not None:
            raise OutputError(
                f"refusing to replace the folder: it holds {stray!r}, "
                "which is not part of a partitioned dataset",
                path=root,
            )
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.", suffix=".new"))
    except OSError as error:
        raise _output_error(error, root) from None
    try:
        for values, indices in groups.items():
            values = values if isinstance(values, tuple) else (values,)
            folder = safe_child_path(
                staging,
                *(segments[name][value] for name, value in zip(partition_by, values, strict=True)),
                column=",".join(partition_by),
            )
            folder.mkdir(parents=True, exist_ok=True)
            part = _compact_dictionaries(table.take(pa.array(indices, type=pa.int64())))
            _write_table(part, folder / "part-0.parquet", entries)
        try:
            mode = root.stat().st_mode & 0o777
        except OSError:
            mode = 0o777 & ~_umask()
        os.chmod(staging, mode)
        _swap_into_place(staging, root)
        _fsync_directory(root.parent)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OutputError):
            raise OutputError(error.message, path=root) from None
        if isinstance(error, OSError):
            raise _output_error(error, root) from None
        raise
    return root


# --- Spreadsheets ---------------------------------------------------------------------

#: A spreadsheet evaluates a cell starting with one of these as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text cells a spreadsheet would read as a formula.

    Follows OWASP's CSV-injection guidance: a cell beginning with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading single quote, so Excel,
    LibreOffice and Google Sheets show it as text instead of running it.
    Missing values stay missing; other cells are unchanged.
    """
    import pandas as pd
    import pyarrow as pa

    neutral = _neutralise_array(pa.array(values, from_pandas=True).cast(pa.string()))
    return pd.Series(neutral.to_pandas(), index=values.index, name=values.name)


def _neutralise_array(values: pa.Array) -> pa.Array:
    """:func:`neutralise_formulas` on an Arrow string array (vectorised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    risky = pc.starts_with(values, FORMULA_TRIGGERS[0])
    for trigger in FORMULA_TRIGGERS[1:]:
        risky = pc.or_(risky, pc.starts_with(values, trigger))
    if not pc.any(risky).as_py():
        return values
    quoted = pc.binary_join_element_wise(pa.scalar("'"), values, "")
    return pc.if_else(pc.fill_null(risky, False), quoted, values)


def _spreadsheet_table(df: pd.DataFrame) -> pa.Table:
    """The table a spreadsheet gets: ACLED's columns first, plain types, no geometry.

    Text cells are neutralised (:func:`neutralise_formulas`) and dictionaries decoded.
    """
    import pyarrow as pa

    from sahel_events.arrow_schema import to_arrow_table

    table = to_arrow_table(df, geometry=False)
    for position, field in enumerate(table.schema):
        column = table.column(position).combine_chunks()
        if pa.types.is_dictionary(field.type):
            # Neutralise the few dictionary values, then expand: cheaper than per row.
            column = pa.DictionaryArray.from_arrays(
                column.indices, _neutralise_array(column.dictionary)
            ).dictionary_decode()
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = _neutralise_array(column)
        else:
            continue
        table = table.set_column(position, field.with_type(column.type), column)
    return table


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write events as UTF-8 CSV in ACLED's column order, formulas neutralised.

    Dates are written ``YYYY-MM-DD``, missing values as empty cells, lines end with
    ``\\r\\n`` as RFC 4180 asks. Text cells that a spreadsheet would run as a formula
    get a leading ``'`` (see :func:`neutralise_formulas`). Atomic, like every writer here.

    Raises:
        UsageError: The frame lacks ACLED columns.
        OutputError: The file cannot be written; nothing was written.
    """
    import pyarrow.csv as csv

    table = _spreadsheet_table(df)
    target = Path(path)
    # "needed" quotes every text cell (as OWASP advises) and so every line break
    # inside one; CRLF line ends follow RFC 4180.
    options = csv.WriteOptions(include_header=True, eol="\r\n", quoting_style="needed")
    with _atomic_path(target) as temporary:
        csv.write_csv(table, str(temporary), write_options=options)
    return target


# Fixed zip-entry times and document dates make the workbook's bytes reproducible.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIXED_DATE = b"2000-01-01T00:00:00Z"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _normalise_xlsx(raw: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time here whatever the properties say.
                content = _MODIFIED.sub(rb"\g<1>" + _FIXED_DATE + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


def write_xlsx(df: pd.DataFrame, path: str | os.PathLike[str], *, sheet: str = "events") -> Path:
    """Write events as an Excel workbook in ACLED's column order, formulas neutralised.

    event_date cells are real dates shown ``YYYY-MM-DD``; the header row is frozen
    and filterable. Text cells a spreadsheet would run as a formula get a leading
    ``'``, stored as part of the text. Atomic, and byte-identical for the same frame.

    Raises:
        UsageError: The frame lacks ACLED columns.
        OutputError: A cell holds a control character XLSX cannot store, or the file
            cannot be written; nothing was written.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    target = Path(path)
    table = _spreadsheet_table(df)
    for name, column in zip(table.column_names, table.columns, strict=True):
        if not pa.types.is_string(column.type):
            continue
        bad = pc.fill_null(pc.match_substring_regex(column, ILLEGAL_CHARACTERS_RE.pattern), False)
        if pc.any(bad).as_py():
            raise OutputError(
                "XLSX cannot hold control characters; clean the text or write CSV",
                path=target,
                row=pc.index(bad, True).as_py(),
                column=name,
            )
    try:
        data = _workbook_bytes(table, sheet)
    except OSError as error:
        # openpyxl spools worksheets through temporary files: disk full shows up here.
        raise _output_error(error, target) from None
    with _atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return target


def _workbook_bytes(table: pa.Table, sheet: str) -> bytes:
    """The reproducible bytes of a one-sheet workbook holding ``table``."""
    import datetime as dt
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    fixed = dt.datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = f"sahel_events {__version__}"
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A2"
    last_column = get_column_letter(table.num_columns)
    worksheet.auto_filter.ref = f"A1:{last_column}{table.num_rows + 1}"
    bold = Font(bold=True)
    header = []
    for name in table.column_names:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    # Arrow hands out Python objects: date32 as datetime.date, null as None.
    columns = [column.to_pylist() for column in table.columns]
    date_position = table.column_names.index("event_date")
    buffer = io.BytesIO()
    try:
        for values in zip(*columns, strict=True):
            row = list(values)
            if row[date_position] is not None:
                cell = WriteOnlyCell(worksheet, value=row[date_position])
                cell.number_format = "yyyy-mm-dd"
                row[date_position] = cell
            worksheet.append(row)
        workbook.save(buffer)
    except BaseException:
        # Close openpyxl's spooling generator now, or its own failure is printed
        # as an "Exception ignored" traceback when it is garbage-collected.
        writer = getattr(worksheet, "_writer", None)
        with contextlib.suppress(Exception):
            writer.xf.close()
        raise
    return _normalise_xlsx(buffer.getvalue())
