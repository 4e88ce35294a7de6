"""Exports to the formats other tools read: ACLED CSV, HXL, GeoJSON, UCDP GED, Data Package.

>>> import sahel_events
>>> from sahel_events.export import export
>>> events = sahel_events.load()                                  # doctest: +SKIP
>>> export(events, "geojson", "events.geojson")                   # doctest: +SKIP
PosixPath('events.geojson')

One module per format, each with a writer and a reader that brings back what the
format can hold; docs/exports.md lists what each cannot. Every file is written to
a temporary file beside its target and renamed into place; ``"-"`` writes the
CSV, HXL, GeoJSON and UCDP formats to standard output instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events.exc import UsageError
from sahel_events.export import acled_csv, datapackage, geojson, hxl, ucdp
from sahel_events.export._common import ExportFormat, is_stdout

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "REGISTRY",
    "ExportFormat",
    "default_output",
    "export",
    "export_format",
    "read_export",
]

#: Format name -> its :class:`ExportFormat`, in the order formats are listed.
REGISTRY: dict[str, ExportFormat] = {
    module.FORMAT.name: module.FORMAT for module in (acled_csv, hxl, geojson, ucdp, datapackage)
}

#: Format name -> what it is (read from :data:`REGISTRY`).
FORMATS: dict[str, str] = {name: format.description for name, format in REGISTRY.items()}

#: Format -> the suffix of its default output name (read from :data:`REGISTRY`).
EXTENSIONS: dict[str, str] = {name: format.extension for name, format in REGISTRY.items()}

# Suffixes of the files read_events reads, dropped from a default output name.
_INPUT_SUFFIXES = (".parquet", ".csv", ".jsonl", ".json", ".xlsx", ".geojson")


def export_format(to: str) -> ExportFormat:
    """The registered format named ``to``.

    Raises:
        UsageError: No such format.
    """
    found = REGISTRY.get(to)
    if found is None:
        raise UsageError(f"unknown export format {to!r}; one of: {', '.join(REGISTRY)}")
    return found


def default_output(source: str | os.PathLike[str], to: str) -> Path:
    """Where an export of ``source`` goes by default: beside it, named for the format.

    ``Mali.csv`` becomes ``Mali.acled.csv``, ``Mali.hxl.csv``, ``Mali.geojson``,
    ``Mali.ucdp.csv`` or the folder ``Mali.datapackage``. Never the input itself:
    where the format's name is the input's (``Mali.geojson`` to GeoJSON), the
    output is ``Mali.export.geojson``.
    """
    extension = export_format(to).extension
    path = Path(source)
    stem = path.name
    for suffix in _INPUT_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    target = path.with_name(stem + extension)
    if target.name.lower() == path.name.lower():
        target = path.with_name(stem + ".export" + extension)
    return target


def export(
    df: pd.DataFrame,
    to: str,
    out: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] | None = None,
    **options: Any,
) -> Path | None:
    """Write events in format ``to`` to ``out`` (a path, or ``"-"`` for standard output).

    Args:
        df: Events with ACLED's 31 current columns, or (for ``hxl`` and ``csv``) an
            aggregate from :func:`sahel_events.aggregate`, written in HDX's layout.
        to: A key of :data:`REGISTRY`.
        out: The file (a folder for ``datapackage``), or ``"-"``.
        inputs: Files the events come from, which ``out`` must not be; by default
            the file ``read_events`` read them from (``df.attrs["source_path"]``).
        options: Passed to the format's writer: ``with_provenance`` (all formats
            but ucdp), ``ucdp_scope`` (ucdp), ``name``, ``title``, ``license``,
            ``gazetteer``, ``contributors``, ``description`` (datapackage).

    Returns:
        The path written (``datapackage.json`` for a package), or None for stdout.

    Raises:
        UsageError: Unknown format or option, or ``"-"`` for a data package.
        InvalidDataError: The events hold a value the format cannot (an infinite
            coordinate in GeoJSON); nothing was written.
        OutputError: The output cannot be written, is not a regular file (a folder
            for a data package), or is an input; nothing was written.
    """
    from sahel_events._io import check_output

    chosen = export_format(to)
    if is_stdout(out) and not chosen.streamable:
        raise UsageError(f"a {to} export is a folder of files; give an output path, not '-'")
    chosen.check_options(options)
    from sahel_events.transform._aggregate import is_aggregate, to_hdx_csv

    aggregate = is_aggregate(df)
    if aggregate and to not in ("csv", "hxl"):
        raise UsageError(f"an aggregate exports to csv or hxl, not {to}")
    if inputs is None:
        source = df.attrs.get("source_path")
        inputs = [source] if isinstance(source, str) else []
    inputs = list(inputs)
    if chosen.folder:
        return chosen.write(df, out, inputs=inputs, **options)
    if not is_stdout(out):
        check_output(out, inputs=inputs)
    if aggregate and to == "csv":
        # An aggregate is written in HDX's layout, not as events.
        return to_hdx_csv(df, out)
    return chosen.write(df, out, **options)


def read_export(path: str | os.PathLike[str], to: str) -> pd.DataFrame:
    """Read back a file written by :func:`export` in format ``to``."""
    return export_format(to).read(path)
