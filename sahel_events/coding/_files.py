"""Reading the files a build reads (sheets, source texts and metadata, registries).

One function, :func:`read_input`, opens each of them, so that each refusal is
written once:

* anything but a regular file (a FIFO, which would block the build forever, a
  device, a socket, a directory) is refused before a byte is read: the file is
  opened with ``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor,
  so a FIFO swapped in after a check cannot block either;
* a symbolic link whose target lies outside the file's own folder is refused:
  a sheet linked to ``~/.ssh/id_rsa`` must not be read, let alone quoted;
* files larger than the caller's limit are refused, reading one byte past it.

Messages name the file (escaped) and never its content.
"""

from __future__ import annotations

import os
import stat
from os import PathLike
from pathlib import Path

from sahel_events.exc import UnreadableFileError

__all__ = ["read_input"]

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def read_input(
    path: str | PathLike[str],
    *,
    limit: int,
    folder: str | PathLike[str] | None = None,
    too_large: type[Exception] | None = None,
) -> bytes:
    """The bytes of a regular file inside ``folder`` (default: the folder it is in).

    Args:
        path: The file.
        limit: Largest size accepted, in bytes.
        folder: The folder the file, once symbolic links are resolved, must be
            in; default the folder the path names.
        too_large: Exception class raised (with ``path``) for a file over ``limit``;
            default :class:`UnreadableFileError`.

    Raises:
        UnreadableFileError: Missing, unreadable, not a regular file, or a
            symbolic link leading out of its folder.
    """
    file = Path(path)
    home = Path(folder) if folder is not None else file.parent
    try:
        if file.is_symlink():
            target = file.resolve()
            root = home.resolve()
            if not target.is_relative_to(root):
                raise UnreadableFileError(
                    "is a symbolic link to a file outside its folder; refusing to read it "
                    "(copy the file into the folder instead)",
                    path=path,
                )
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=path) from None
    except IsADirectoryError:
        raise UnreadableFileError("is a directory, not a file", path=path) from None
    except OSError as error:
        raise UnreadableFileError(f"cannot read: {error.strerror}", path=path) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFileError(f"is {_kind(mode)}, not a regular file", path=path)
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            descriptor = -1
            data = handle.read(limit + 1)
    except OSError as error:
        raise UnreadableFileError(f"cannot read: {error.strerror}", path=path) from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
    if len(data) > limit:
        error_class = too_large or UnreadableFileError
        raise error_class(f"larger than the {limit:,}-byte limit", path=path)
    return data
