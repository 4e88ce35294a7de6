"""One GeoParquet file of events: typed schema, key-value metadata, reproducible bytes."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events import __version__
from sahel_events._io import atomic_path
from sahel_events.exc import UsageError
from sahel_events.vocabulary import SCHEMA_VERSION

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["GEOPARQUET_VERSION", "sources_metadata", "write_events"]

#: The GeoParquet specification version the ``geo`` metadata follows.
GEOPARQUET_VERSION = "1.1.0"

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

    from sahel_events.schema.arrow import _sorted_dictionary

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
    with atomic_path(target) as temporary:
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

    The file has the typed schema of :mod:`sahel_events.schema.arrow`, zstd
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
    from sahel_events.schema.arrow import to_arrow_table

    entries = _file_metadata(metadata)
    return _write_table(to_arrow_table(df), Path(path), entries)
