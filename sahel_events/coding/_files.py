"""Reading the files a build reads (sheets, source texts and metadata, registries).

Every one of them is opened by :func:`sahel_events._io.open_input`: regular files
only (a FIFO is refused at once, never a hang; devices, sockets and folders
too), and no symbolic link that leads out of the file's folder, so a sheet
linked to ``~/.ssh/id_rsa`` is never read, let alone quoted in a message.
:func:`read_input` adds the size limit each kind of file has.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from sahel_events._io import open_input
from sahel_events.exc import SahelEventsError, UnreadableFileError

__all__ = ["read_input"]


def read_input(
    path: str | PathLike[str],
    *,
    limit: int,
    folder: str | PathLike[str] | None = None,
    too_large: type[SahelEventsError] | None = None,
) -> bytes:
    """The bytes of a regular file inside ``folder`` (default: the folder it is in).

    Args:
        path: The file.
        limit: Largest size accepted, in bytes; one byte more is read to tell.
        folder: The folder the file, once symbolic links are resolved, must be
            in; default the folder the path names.
        too_large: Exception class raised (with ``path``) for a file over ``limit``;
            default :class:`UnreadableFileError`.

    Raises:
        UnreadableFileError: Missing, unreadable, not a regular file, or a
            symbolic link leading out of its folder.
    """
    home = Path(folder) if folder is not None else Path(path).parent
    with open_input(path, within=home) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableFileError(f"cannot read: {error.strerror}", path=path) from None
    if len(data) > limit:
        error_class = too_large or UnreadableFileError
        raise error_class(f"larger than the {limit:,}-byte limit", path=path)
    return data
