"""One home for every file the library writes, and the guards its outputs share.

Every output goes through :func:`atomic_path`: written to a temporary file beside
its target, flushed to disk (fsync), given the mode a new file gets (0644 less the
umask), and renamed into place, so a reader never sees half a file and a failed or
interrupted write leaves the previous output as it was. CSV files end their lines
with CRLF (RFC 4180) wherever they are written.

Every output target is checked by :func:`check_output` (``atomic_path`` does it
twice: before writing and again just before the rename): it must be absent or a
regular file, never a device, a FIFO, a socket, a folder or a symbolic link, and
never one of the command's inputs (same file on disk). A node the library did not
create is never replaced. :func:`check_output_folder` does the same for outputs
that are folders. :func:`write_csv_table` is the one CSV writer: every field that
holds text is quoted (so a CR, LF, comma or quote inside a value never starts a
new field or record), formulas are neutralized in column names as in cells, and
lines end with CRLF.

Paths built from data pass through :func:`safe_child_path`, which refuses anything
that could leave its output folder. Text bound for a spreadsheet passes through
:func:`neutralize_formulas` (OWASP's CSV-injection guidance).

Every input is opened by :func:`open_input` (or checked by :func:`check_input` for
readers that need a path): regular files only, never a FIFO or a device, and never
through a symbolic link that leaves the folder it must stay in.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from sahel_events.exc import OutputError, UnreadableFileError, UnsafePathError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd
    import pyarrow as pa

__all__ = [
    "CSV_LINE_END",
    "FORMULA_TRIGGERS",
    "atomic_path",
    "check_input",
    "check_output",
    "check_output_folder",
    "csv_text",
    "fsync_directory",
    "neutralize_array",
    "neutralize_formulas",
    "neutralize_table",
    "new_file_mode",
    "open_input",
    "output_error",
    "path_component_refusal",
    "read_limited",
    "safe_child_path",
    "write_bytes",
    "write_csv_table",
    "write_text",
]

#: Every CSV the library writes ends its lines so (RFC 4180).
CSV_LINE_END = "\r\n"


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


def fsync_directory(directory: Path) -> None:
    # Makes a rename durable; not possible (nor needed) on Windows.
    if sys.platform == "win32":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def output_error(error: OSError, path: Path) -> OutputError:
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
    reason = reasons.get(error.errno or 0) or error.strerror or type(error).__name__
    return OutputError(f"cannot write: {reason}; nothing was written", path=path)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_output(
    target: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()
) -> Path:
    """``target`` if a file may be written there; refuse it otherwise.

    A target may be absent or an existing regular file, and must not be one of
    ``inputs`` (compared on disk, so another name or a hard link for an input is
    refused too). A folder, device node, FIFO, socket or symbolic link is refused:
    replacing it by renaming a file over it would destroy a node the library did
    not create (as root, ``--out /dev/sda`` would otherwise replace the device).

    Raises:
        OutputError: The target is not a regular file, or it is an input.
    """
    target = Path(target)
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise output_error(error, target) from None
    if stat.S_ISLNK(found.st_mode):
        raise OutputError(
            "refusing to write: the path is a symbolic link; name the file it points to",
            path=target,
        )
    if not stat.S_ISREG(found.st_mode):
        raise OutputError(
            f"refusing to write: the path is {_kind(found.st_mode)}, not a regular file; "
            "nothing was written",
            path=target,
        )
    for source in inputs:
        try:
            if _same_file(found, os.stat(source)):
                raise OutputError(
                    "refusing to write over the input file; choose another output",
                    path=target,
                )
        except OSError:
            continue
    return target


def check_output_folder(
    folder: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()
) -> Path:
    """``folder`` if an output folder may be made or filled there; refuse it otherwise.

    The folder may be absent or an existing folder (a symbolic link to one is
    followed: the files inside are checked one by one by :func:`check_output`);
    anything else (a file, an input file, a device, a FIFO, a symbolic link to
    nothing) is refused.

    Raises:
        OutputError: The path exists and is not a folder.
    """
    folder = Path(folder)
    try:
        found = os.stat(folder)
    except FileNotFoundError:
        if os.path.islink(folder):
            # mkdir would fail with "File exists"; creating the link's target
            # would make a folder somewhere the user never named.
            raise OutputError(
                "refusing to write: the path is a symbolic link to nothing; "
                "name a folder or remove the link",
                path=folder,
            ) from None
        return folder
    except OSError as error:
        raise output_error(error, folder) from None
    if not stat.S_ISDIR(found.st_mode):
        what = "a file" if stat.S_ISREG(found.st_mode) else _kind(found.st_mode)
        for source in inputs:
            with contextlib.suppress(OSError):
                if _same_file(found, os.stat(source)):
                    what = "the input file"
        raise OutputError(
            f"refusing to write: the output must be a folder, and the path is {what}",
            path=folder,
        )
    return folder


def _prepare_parent(target: Path) -> None:
    """Create the target's missing parent folders."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            "cannot write: a parent of the path is a file, not a folder", path=target
        ) from None
    except OSError as error:
        raise output_error(error, target) from None


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it into place.

    The caller writes the whole output to the yielded path. When the block ends
    normally the file is fsynced, given the permissions a new file would get, and
    renamed over ``target``; when it raises, the temporary file is removed and
    ``target`` is untouched. OSErrors become :class:`OutputError`.

    ``target`` is checked by :func:`check_output` (with ``inputs``, the files the
    output is made from) before anything is written and again just before the
    rename, so a node that appeared meanwhile is not replaced either.
    """
    target = Path(target)
    inputs = [Path(source) for source in inputs]
    check_output(target, inputs=inputs)
    _prepare_parent(target)
    try:
        descriptor, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise output_error(error, target) from None
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
            mode = new_file_mode()
        os.chmod(temporary, mode)
        check_output(target, inputs=inputs)
        os.replace(temporary, target)
        fsync_directory(target.parent)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, OSError):
            raise output_error(error, target) from None
        raise


def new_file_mode() -> int:
    """The permission bits ``open()`` gives a new file: 0o666 less the umask."""
    return 0o666 & ~_umask()


def write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_path`)."""
    target = Path(target)
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return target


def write_text(target: str | os.PathLike[str], text: str, *, newline: str | None = None) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically; ``newline`` as for :func:`open`."""
    target = Path(target)
    with (
        atomic_path(target) as temporary,
        open(temporary, "w", encoding="utf-8", newline=newline) as handle,
    ):
        handle.write(text)
    return target


# --- Paths built from data -----------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX_NAME_BYTES = 255


def path_component_refusal(part: str) -> str | None:
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
        reason = path_component_refusal(part) if isinstance(part, str) else "it is not a string"
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


# --- Spreadsheet cells ---------------------------------------------------------------

#: A spreadsheet evaluates a cell starting with one of these as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text cells a spreadsheet would read as a formula.

    Follows OWASP's CSV-injection guidance: a cell beginning with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading single quote, so Excel,
    LibreOffice and Google Sheets show it as text instead of running it.
    Missing values stay missing; other cells are unchanged.
    """
    import pandas as pd
    import pyarrow as pa

    neutral = neutralize_array(pa.array(values, from_pandas=True).cast(pa.string()))
    return pd.Series(neutral.to_pandas(), index=values.index, name=values.name)


def neutralize_array(values: pa.Array) -> pa.Array:
    """:func:`neutralize_formulas` on an Arrow string array (vectorised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    risky = pc.starts_with(values, FORMULA_TRIGGERS[0])
    for trigger in FORMULA_TRIGGERS[1:]:
        risky = pc.or_(risky, pc.starts_with(values, trigger))
    if not pc.any(risky).as_py():
        return values
    quoted = pc.binary_join_element_wise(pa.scalar("'"), values, "")
    return pc.if_else(pc.fill_null(risky, False), quoted, values)


# --- CSV -------------------------------------------------------------------------------


def neutralize_table(table: pa.Table) -> pa.Table:
    """``table`` with text cells and column names neutralized (:func:`neutralize_formulas`).

    Dictionary columns are decoded (their few values neutralized first, cheaper than
    per row). Idempotent: a neutralized cell starts with ``'`` and is left alone.
    """
    import pyarrow as pa

    names = neutralize_array(pa.array([str(name) for name in table.column_names], pa.string()))
    table = table.rename_columns(names.to_pylist())
    for position, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            column = table.column(position).combine_chunks()
            column = pa.DictionaryArray.from_arrays(
                column.indices, neutralize_array(column.dictionary.cast(pa.string()))
            ).dictionary_decode()
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = neutralize_array(table.column(position).combine_chunks().cast(pa.string()))
        else:
            continue
        table = table.set_column(position, field.with_type(column.type), column)
    return table


def write_csv_table(
    table: pa.Table,
    sink: str | os.PathLike[str] | IO[bytes],
    *,
    extra_rows: Sequence[Sequence[str]] = (),
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Write ``table`` as UTF-8 CSV: the one CSV writer of the library.

    Every text field is quoted (Arrow's ``needed`` style quotes every string), so a
    carriage return, line feed, comma or quote inside a value stays inside its field;
    numbers are written bare. Column names and text cells that a spreadsheet would
    run as a formula get a leading ``'`` (:func:`neutralize_formulas`). Lines end
    with CRLF. ``extra_rows`` (one string per column) follow the header: HXL's tag
    row. A path is written atomically (:func:`atomic_path`, with ``inputs``); an
    open binary handle is written as is.
    """
    import pyarrow as pa
    import pyarrow.csv as csv

    table = neutralize_table(table)
    if isinstance(sink, (str, os.PathLike)):
        with atomic_path(Path(sink), inputs=inputs) as temporary, open(temporary, "wb") as handle:
            write_csv_table(table, handle, extra_rows=extra_rows)
        return
    options = csv.WriteOptions(include_header=True, eol=CSV_LINE_END, quoting_style="needed")
    if extra_rows:
        head = pa.table(
            {
                name: pa.array([str(row[i]) for row in extra_rows], pa.string())
                for i, name in enumerate(table.column_names)
            }
        )
        csv.write_csv(neutralize_table(head), sink, write_options=options)
        options = csv.WriteOptions(include_header=False, eol=CSV_LINE_END, quoting_style="needed")
    csv.write_csv(table, sink, write_options=options)


def csv_text(table: pa.Table) -> str:
    """``table`` as the text :func:`write_csv_table` writes (for reports printed or returned)."""
    import io

    buffer = io.BytesIO()
    write_csv_table(table, buffer)
    return buffer.getvalue().decode("utf-8")


# --- Inputs ----------------------------------------------------------------------------

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _inside(path: Path, root: Path) -> bool:
    resolved, resolved_root = path.resolve(), root.resolve()
    return resolved == resolved_root or resolved_root in resolved.parents


def open_input(
    path: str | os.PathLike[str], *, within: str | os.PathLike[str] | None = None
) -> BinaryIO:
    """Open an input file for binary reading, refusing anything but a regular file.

    The file is opened without blocking and checked on the open descriptor, so a
    FIFO, a device, a socket or a folder is refused at once (never a hang), and a
    file swapped after a check cannot slip through. With ``within``, a path whose
    symbolic links lead outside that folder is refused too: files a build reads
    (sheets, source texts and metadata, registries) stay in their folders.

    Raises:
        UnreadableFileError: Missing, unreadable, not a regular file, or outside ``within``.
    """
    target = Path(path)
    if within is not None and not _inside(target, Path(within)):
        raise UnreadableFileError(
            "refusing to read it: a symbolic link leads outside its folder", path=target
        )
    try:
        descriptor = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=target) from None
    except IsADirectoryError:
        raise UnreadableFileError("cannot read it: it is a folder", path=target) from None
    except OSError as error:
        raise UnreadableFileError(
            f"cannot read it: {error.strerror or error}", path=target
        ) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFileError(
                f"cannot read it: it is {_kind(mode)}, not a regular file", path=target
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def check_input(
    path: str | os.PathLike[str], *, within: str | os.PathLike[str] | None = None
) -> Path:
    """``path`` if :func:`open_input` would open it; for readers that take a path (pyarrow)."""
    with open_input(path, within=within):
        pass
    return Path(path)


def read_limited(
    path: str | os.PathLike[str],
    limit: int,
    *,
    within: str | os.PathLike[str] | None = None,
    what: str = "file",
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`open_input`).

    Raises:
        UnreadableFileError: As for :func:`open_input`, or the file is larger than ``limit``.
    """
    with open_input(path, within=within) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFileError(
            f"refusing to read it: the {what} is larger than {limit:,} bytes", path=path
        )
    return data
