"""File formats: one reader per format behind :class:`FormatReader`, and the registry.

A format reader knows nothing about ACLED. It yields :class:`RawChunk` objects:
a frame whose columns are the file's columns by position (text, or typed values
where the format stores types), the source row of every record as a user would
find it in the file, and the findings met while reading (ragged CSV records).
:mod:`sahel_events.read.conform` then turns those into ACLED's current format.

Each format lives in its own module (``_csv``, ``_parquet``, ``_json``,
``_geojson``, ``_xlsx``), imported only when a file of that format is read.
"""

from __future__ import annotations

import codecs
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sahel_events._findings import FindingsCollector
from sahel_events.exc import UnreadableFileError, UsageError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "FILE_FORMATS",
    "FormatReader",
    "RawChunk",
    "RawSource",
    "ReadOptions",
    "detect_file_format",
    "note_header_row",
    "open_source",
    "reader_for",
]


@dataclass
class RawChunk:
    """Records of one chunk, before any ACLED-specific conversion."""

    frame: pd.DataFrame
    """The file's columns by position (0, 1, ...), as text or as stored types."""
    source_row: np.ndarray
    """int64 source row of each record (line, record number or worksheet row)."""
    issues: FindingsCollector = field(default_factory=FindingsCollector)
    dictionaries: dict[int, Any] = field(default_factory=dict)
    """Text columns the reader dictionary-encoded though the file stores them plain, by
    position: in ``frame`` they are categoricals of the reader's making, to be read as
    text; here the Arrow column, so that text checks look at each distinct value once."""


@dataclass
class RawSource:
    """An opened file: its header, its chunks and what was learnt about it."""

    path: Path
    file_format: str
    header: list[str]
    chunks: Iterator[RawChunk]
    attrs: dict[str, Any] = field(default_factory=dict)
    file_issues: FindingsCollector = field(default_factory=FindingsCollector)


@dataclass(frozen=True)
class ReadOptions:
    """What the caller asked of a read; each reader uses the options that apply to it."""

    chunk_rows: int | None = None
    sheet: str | int | None = None
    encoding: str | None = None


class FormatReader(Protocol):
    """What every format module provides as ``READER``."""

    name: str
    description: str

    def open(self, path: Path, options: ReadOptions) -> RawSource:
        """Open ``path``; ``options.chunk_rows=None`` reads it as one chunk."""


@dataclass(frozen=True)
class _Registration:
    description: str
    module: str
    extensions: tuple[str, ...]
    takes_encoding: bool


_REGISTRY: dict[str, _Registration] = {
    "csv": _Registration(
        "comma- or semicolon-separated text", "_csv", (".csv", ".txt", ".tsv"), True
    ),
    "parquet": _Registration("Apache Parquet", "_parquet", (".parquet", ".pq"), False),
    "jsonl": _Registration(
        "JSON Lines (one JSON object per line)", "_json", (".jsonl", ".ndjson"), True
    ),
    "json": _Registration(
        "a JSON array of objects, or the ACLED API's {'data': [...]} response",
        "_json",
        (".json",),
        True,
    ),
    "geojson": _Registration(
        "a GeoJSON FeatureCollection of events (properties and Point geometry)",
        "_geojson",
        (".geojson",),
        True,
    ),
    "xlsx": _Registration("Excel workbook (.xlsx)", "_xlsx", (".xlsx", ".xlsm"), False),
}

#: File formats the reader understands, by the id used in ``df.attrs["file_format"]``.
FILE_FORMATS: dict[str, str] = {name: entry.description for name, entry in _REGISTRY.items()}

_EXTENSIONS = {
    extension: name for name, entry in _REGISTRY.items() for extension in entry.extensions
}
_ALIASES = {"ndjson": "jsonl", "excel": "xlsx", "pq": "parquet"}


def reader_for(file_format: str) -> FormatReader:
    """The reader of a registered format (its module is imported on first use)."""
    module = importlib.import_module(f"sahel_events.read.{_REGISTRY[file_format].module}")
    readers: dict[str, FormatReader] = module.READERS
    return readers[file_format]


def detect_file_format(path: Path, requested: str | None = None) -> str:
    """The file format of ``path``: the requested one, else by magic bytes, else by extension.

    Parquet and xlsx files are known by their first bytes whatever their name
    (a workbook saved as ``events.csv`` is still read as a workbook).
    """
    if requested is not None:
        name = requested.lower().lstrip(".")
        name = _ALIASES.get(name, name)
        if name not in FILE_FORMATS:
            raise UsageError(
                f"unknown format {requested!r}; use one of {', '.join(FILE_FORMATS)}",
                path=path,
            )
        return name
    from sahel_events._io import open_input

    with open_input(path) as handle:
        head = handle.read(512)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    suffix = path.suffix.lower()
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFileError(
            "old binary Excel files (.xls) are not supported; save the sheet as .xlsx or CSV",
            path=path,
        )
    if suffix in _EXTENSIONS:
        found = _EXTENSIONS[suffix]
        if found == "json" and _looks_like_geojson(head):
            return "geojson"
        return found
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"{"):
        return "geojson" if _looks_like_geojson(head) else "jsonl"
    if stripped.startswith(b"["):
        return "json"
    return "csv"


def _looks_like_geojson(head: bytes) -> bool:
    compact = b"".join(head.split())
    return b'"type":"FeatureCollection"' in compact or b'"features":[' in compact


def open_source(path: Path, file_format: str, options: ReadOptions) -> RawSource:
    """Open ``path`` as ``file_format`` with the reader registered for it."""
    check_readable(path)
    if options.sheet is not None and file_format != "xlsx":
        raise UsageError("sheet= applies to Excel files only", path=path)
    if options.encoding is not None:
        if not _REGISTRY[file_format].takes_encoding:
            raise UsageError(f"encoding= does not apply to {file_format} files", path=path)
        try:
            codecs.lookup(options.encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {options.encoding!r}", path=path) from None
        options = ReadOptions(
            chunk_rows=options.chunk_rows,
            sheet=options.sheet,
            encoding=codecs.lookup(options.encoding).name,
        )
    return reader_for(file_format).open(path, options)


def check_readable(path: Path) -> None:
    """Refuse a path that is not a readable, non-empty regular file (never blocks)."""
    from sahel_events._io import open_input

    with open_input(path) as handle:
        empty = not handle.read(1)
    if empty:
        raise UnreadableFileError("the file is empty", path=path)


# --- shared by the Arrow-based readers ---------------------------------------------------


def note_header_row(issues: FindingsCollector, row: int, skipped: list[str]) -> None:
    """The ``header_row`` note: the header's row, and the title rows skipped above it."""
    from sahel_events._text import shorten

    shown = "; ".join(repr(shorten(text.strip(), 60)) for text in skipped[:3])
    if len(skipped) > 3:
        shown += f" and {len(skipped) - 3} more"
    issues.add_file("header_row", None, f"header on row {row}; skipped {shown}")


def arrow_to_frame(table: Any) -> pd.DataFrame:
    """An Arrow table as a frame whose columns are numbered by position."""
    # Dates as datetime64, not one ``datetime.date`` object per cell: converting those
    # back to text cost more than reading the file.
    # Binary cells (a WKB geometry) stay in Arrow for the same reason.
    frame = table.to_pandas(
        ignore_metadata=True,
        self_destruct=False,
        date_as_object=False,
        types_mapper=_arrow_binary,
    )
    frame.columns = range(frame.shape[1])
    return frame


def _arrow_binary(arrow_type: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return pd.ArrowDtype(arrow_type)
    return None


def empty_frame(width: int) -> pd.DataFrame:
    """A frame of ``width`` empty text columns."""
    import pandas as pd

    return pd.DataFrame({index: pd.Series([], dtype="str") for index in range(width)})
