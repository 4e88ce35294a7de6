"""Hive-partitioned GeoParquet datasets, replaced all at once."""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events._io import (
    _umask,
    fsync_directory,
    output_error,
    path_component_refusal,
    safe_child_path,
)
from sahel_events.exc import OutputError, UnsafePathError, UsageError
from sahel_events.write._parquet import (
    _GEOMETRY,
    _compact_dictionaries,
    _file_metadata,
    _write_table,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HIVE_NULL_PARTITION", "partition_segment", "write_dataset"]

#: Folder value of a missing partition value, as Hive, Spark and pyarrow write it.
HIVE_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

# Characters with a meaning in paths, in hive folder names or on Windows: written as %XX,
# which pyarrow, DuckDB and Spark decode when they read hive partitions back.
_PERCENT_ENCODED = frozenset('"#%*:<=>?[]^{|}' + "'")


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
    reason = path_component_refusal(text)
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

    from sahel_events.schema.arrow import to_arrow_table

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
        raise output_error(error, root) from None
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
        fsync_directory(root.parent)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OutputError):
            raise OutputError(error.message, path=root) from None
        if isinstance(error, OSError):
            raise output_error(error, root) from None
        raise
    return root
