"""Sources: the texts events are coded from, with their metadata.

Each source is two files in a sources folder (by default the shipped dataset's,
``sahel_events/datasets/france_mali_2025/sources/``):

* ``<id>.txt``, the text exactly as received, UTF-8;
* ``<id>.yaml``, its metadata: ``id``, ``title``, ``language`` (BCP 47),
  ``outlet``, ``agency``, ``published`` (YYYY-MM-DD), ``url`` (or null),
  ``sha256`` (of the .txt bytes), ``licence_note`` and ``notes``.

The text is decoded without any newline or whitespace translation, because
evidence offsets index into it as stored, and its SHA-256 must match the
metadata, so that a silently edited text cannot shift every offset.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - Python 3.10
    from importlib.abc import Traversable

from sahel_events.coding._files import read_input
from sahel_events.coding._yaml import MAX_SHEET_BYTES, parse_yaml
from sahel_events.coding.sheet_schema import EARLIEST_DATE, LATEST_DATE, SOURCE_ID_PATTERN
from sahel_events.exc import CodingSheetError, UnreadableFileError, UsageError

__all__ = ["SOURCE_METADATA_FIELDS", "Source", "list_sources", "load_source", "sources_directory"]

#: Metadata fields of a source and whether each is required.
SOURCE_METADATA_FIELDS: dict[str, bool] = {
    "id": True,
    "title": True,
    "language": True,
    "outlet": True,
    "agency": False,
    "published": True,
    "url": False,
    "sha256": True,
    "licence_note": True,
    "notes": False,
}
#: Source texts larger than this are refused (a news item is a few kilobytes).
MAX_SOURCE_BYTES = 20 * 1024 * 1024
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class Source:
    """A source text and its metadata.

    Attributes:
        id: Slug naming the source, e.g. ``afp-20250919-france-mali-crisis``.
        title: Headline in the source's language.
        language: BCP 47 language tag, e.g. ``ar``.
        outlet: The outlet that published the text.
        agency: The news agency behind it (e.g. ``AFP``), or None.
        published: Publication date; relative date expressions resolve against it.
        url: Where it was published, or None when unknown.
        sha256: SHA-256 of the text file's bytes.
        text: The text, exactly as stored (evidence offsets index into it).
        path: The text file it was read from.
        licence_note: Terms under which the text is kept.
        notes: Anything a user should know about the source.
    """

    id: str
    title: str
    language: str
    outlet: str
    agency: str | None
    published: date
    url: str | None
    sha256: str
    text: str = field(repr=False)
    path: str
    licence_note: str | None = None
    notes: str | None = None


def sources_directory() -> Traversable:
    """The package's own sources folder: the default shipped dataset's."""
    from sahel_events.datasets import DEFAULT_DATASET

    return resources.files("sahel_events.datasets").joinpath(DEFAULT_DATASET).joinpath("sources")


def _folder(sources_dir: str | PathLike[str] | Traversable | None) -> Traversable:
    if sources_dir is None:
        return sources_directory()
    if isinstance(sources_dir, (str, PathLike)):
        return Path(sources_dir)
    return sources_dir


def _check_id(source_id: str) -> None:
    if not isinstance(source_id, str) or not re.match(SOURCE_ID_PATTERN, source_id):
        raise UsageError(
            f"{source_id!r} is not a valid source id: lower-case letters, digits, '.', '_' "
            "and '-', starting with a letter or digit"
        )


def _read(file: Traversable, limit: int, folder: Traversable) -> bytes:
    if isinstance(file, Path) and isinstance(folder, Path):
        # Both files of a source, the .yaml as much as the .txt, must be
        # regular files inside the sources folder.
        return read_input(file, limit=limit, folder=folder)
    try:  # a packaged resource that is not a plain file (a zip import)
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=str(file)) from None
    except OSError as error:
        raise UnreadableFileError(f"cannot read: {error.strerror}", path=str(file)) from None
    if len(data) > limit:
        raise UnreadableFileError(f"larger than the {limit:,}-byte limit", path=str(file))
    return data


def _decode(data: bytes, file: Traversable) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"not UTF-8 text (invalid byte at offset {error.start})", path=str(file)
        ) from None


def load_source(
    source_id: str, *, sources_dir: str | PathLike[str] | Traversable | None = None
) -> Source:
    """Load one source: its text and checked metadata.

    Args:
        source_id: The source's id, a slug ``[a-z0-9][a-z0-9._-]*``; it names the files.
        sources_dir: Folder holding ``<id>.txt`` and ``<id>.yaml``; default the package's.

    Raises:
        UsageError: ``source_id`` is not a slug (it could otherwise name a file elsewhere).
        UnreadableFileError: A file is missing, not UTF-8 or too large.
        CodingSheetError: The metadata is malformed, or the text's SHA-256 differs from it.
    """
    _check_id(source_id)
    folder = _folder(sources_dir)
    text_file = folder.joinpath(f"{source_id}.txt")
    meta_file = folder.joinpath(f"{source_id}.yaml")
    meta_path = str(meta_file)
    metadata = parse_yaml(
        _decode(_read(meta_file, MAX_SHEET_BYTES, folder), meta_file), path=meta_path
    )
    values = _check_metadata(metadata, source_id, meta_path)
    data = _read(text_file, MAX_SOURCE_BYTES, folder)
    digest = hashlib.sha256(data).hexdigest()
    if digest != values["sha256"]:
        raise CodingSheetError(
            f"SHA-256 of the text is {digest}, but {meta_file.name} says {values['sha256']}: "
            "the text changed since it was registered (evidence offsets would be wrong); "
            "restore it, or re-check the coding and update sha256",
            path=str(text_file),
        )
    return Source(
        id=source_id,
        title=values["title"],
        language=values["language"],
        outlet=values["outlet"],
        agency=values.get("agency"),
        published=values["published"],
        url=values.get("url"),
        sha256=digest,
        text=_decode(data, text_file),
        path=str(text_file),
        licence_note=values.get("licence_note"),
        notes=values.get("notes"),
    )


def _check_metadata(metadata: Any, source_id: str, path: str) -> dict[str, Any]:
    if not isinstance(metadata, Mapping):
        raise CodingSheetError("source metadata must be a mapping of fields", path=path)
    for name in metadata:
        if name not in SOURCE_METADATA_FIELDS:
            raise CodingSheetError(
                f"unknown field; allowed: {', '.join(SOURCE_METADATA_FIELDS)}",
                path=path,
                field=name,
            )
    for name, required in SOURCE_METADATA_FIELDS.items():
        if required and metadata.get(name) in (None, ""):
            raise CodingSheetError("required field is missing or empty", path=path, field=name)
    values = dict(metadata)
    for name, value in values.items():
        if value is not None and name != "published" and not isinstance(value, str):
            raise CodingSheetError(f"expected text, got {value!r}", path=path, field=name)
    if values["id"] != source_id:
        raise CodingSheetError(
            f"id {values['id']!r} differs from the file name's {source_id!r}", path=path, field="id"
        )
    if not _LANGUAGE_TAG.match(values["language"]):
        raise CodingSheetError(
            f"{values['language']!r} is not a BCP 47 language tag such as 'ar' or 'fr'",
            path=path,
            field="language",
        )
    if not _SHA256.match(values["sha256"]):
        raise CodingSheetError(
            "expected 64 lower-case hexadecimal digits", path=path, field="sha256"
        )
    published = values["published"]
    try:
        if not (isinstance(published, str) and _DATE.match(published)):
            raise ValueError
        values["published"] = date.fromisoformat(published)
        if not EARLIEST_DATE <= values["published"] <= LATEST_DATE:
            raise ValueError
    except ValueError:
        raise CodingSheetError(
            f"{published!r} is not a date (expected YYYY-MM-DD)", path=path, field="published"
        ) from None
    return values


def list_sources(
    sources_dir: str | PathLike[str] | Traversable | None = None,
) -> list[Source]:
    """Load every source in a folder, sorted by id.

    A source is any ``<id>.yaml`` file whose name is a valid source id; each is
    loaded and checked as by :func:`load_source`.
    """
    folder = _folder(sources_dir)
    if not folder.is_dir():
        return []
    ids = sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
        and re.match(SOURCE_ID_PATTERN, entry.name.removesuffix(".yaml"))
    )
    return [load_source(source_id, sources_dir=folder) for source_id in ids]


#: What ``source add`` writes as ``licence_note`` when none is given.
DEFAULT_LICENCE_NOTE = (
    "Copyright belongs to the publisher. Kept for research so that each coded "
    "event can be checked against its evidence; do not redistribute the text."
)


def add_source(
    text_file: str | PathLike[str],
    *,
    source_id: str,
    publisher: str,
    published: str | date,
    language: str,
    url: str | None = None,
    title: str | None = None,
    agency: str | None = None,
    licence_note: str | None = None,
    sources_dir: str | PathLike[str] = "sources",
) -> Source:
    """Register a text as a source: copy it byte for byte and write its metadata beside it.

    The metadata (``<id>.yaml``) records the text's SHA-256, so that the build
    detects any later edit; both files are written atomically, the text first.

    Args:
        text_file: The article as UTF-8 text (copied unchanged: evidence offsets
            index into it as stored).
        source_id: The new source's id, a slug ``[a-z0-9][a-z0-9._-]*``.
        publisher: The outlet that published the text (the ``outlet`` field).
        published: Publication date, ``YYYY-MM-DD``.
        language: BCP 47 tag, e.g. ``fr``.
        url: Where it was published.
        title: Headline; default the text's first non-empty line.
        agency: News agency behind the text (``AFP``, ``Reuters``), if any.
        licence_note: Terms the text is kept under; default :data:`DEFAULT_LICENCE_NOTE`.
        sources_dir: Folder to register it in (created if missing).

    Returns:
        The registered source, loaded back and checked as the build loads it.

    Raises:
        UsageError: The id is not a slug, or a source with this id exists.
        UnreadableFileError: The text is missing, not a regular file, not UTF-8 or too large.
        CodingSheetError: A metadata value is invalid (date, language tag).
    """
    import yaml

    from sahel_events._io import open_input, write_bytes, write_text

    _check_id(source_id)
    folder = Path(sources_dir)
    text_path = folder / f"{source_id}.txt"
    meta_path = folder / f"{source_id}.yaml"
    for existing in (text_path, meta_path):
        if existing.exists() or existing.is_symlink():
            raise UsageError(
                f"a source with id {source_id!r} exists already ({existing.name}); "
                "choose another id",
                path=existing,
            )
    with open_input(text_file) as handle:
        data = handle.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise UnreadableFileError(
            f"larger than the {MAX_SOURCE_BYTES:,}-byte limit for a source", path=text_file
        )
    text = _decode(data, Path(text_file))
    if title is None:
        title = next((line.strip() for line in text.splitlines() if line.strip()), source_id)
    metadata = {
        "id": source_id,
        "title": title,
        "language": language,
        "outlet": publisher,
        "agency": agency,
        "published": published.isoformat() if isinstance(published, date) else published,
        "url": url,
        "sha256": hashlib.sha256(data).hexdigest(),
        "licence_note": licence_note or DEFAULT_LICENCE_NOTE,
    }
    # Checked before anything is written: a bad date leaves no file behind.
    _check_metadata(metadata, source_id, str(meta_path))
    folder.mkdir(parents=True, exist_ok=True)
    header = (
        "# Metadata of one source text, written by `sahel-events source add`. The text\n"
        "# beside this file is stored exactly as received; `sha256` is of its bytes.\n"
    )
    body = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=100)
    write_bytes(text_path, data)
    write_text(meta_path, header + body, newline="\n")
    return load_source(source_id, sources_dir=folder)
