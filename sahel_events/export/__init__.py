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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events.exc import UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXTENSIONS", "FORMATS", "default_output", "export", "read_export"]

#: Format name -> what it is.
FORMATS: dict[str, str] = {
    "csv": "ACLED-format CSV: the current 31 columns in ACLED's order, dates YYYY-MM-DD.",
    "hxl": "HXL-tagged CSV as the Humanitarian Data Exchange publishes conflict events.",
    "geojson": "GeoJSON FeatureCollection of points (RFC 7946, [longitude, latitude]).",
    "ucdp": "UCDP GED-style CSV through the crosswalk in docs/exports.md.",
    "datapackage": "Frictionless Data Package: events.csv and datapackage.json in a folder.",
}

#: Format -> the suffix of its default output name (a folder for datapackage).
EXTENSIONS: dict[str, str] = {
    "csv": ".acled.csv",
    "hxl": ".hxl.csv",
    "geojson": ".geojson",
    "ucdp": ".ucdp.csv",
    "datapackage": ".datapackage",
}

_STREAMABLE = frozenset({"csv", "hxl", "geojson", "ucdp"})
_OPTIONS: dict[str, frozenset[str]] = {
    "csv": frozenset({"with_provenance"}),
    "hxl": frozenset({"with_provenance"}),
    "geojson": frozenset({"with_provenance"}),
    "ucdp": frozenset({"ucdp_scope"}),
    "datapackage": frozenset(
        {"with_provenance", "name", "title", "license", "gazetteer", "contributors", "description"}
    ),
}


def _check_format(to: str) -> None:
    if to not in FORMATS:
        raise UsageError(f"unknown export format {to!r}; one of: {', '.join(FORMATS)}")


def default_output(source: str | os.PathLike[str], to: str) -> Path:
    """Where an export of ``source`` goes by default: beside it, named for the format.

    ``Mali.csv`` becomes ``Mali.acled.csv``, ``Mali.hxl.csv``, ``Mali.geojson``,
    ``Mali.ucdp.csv`` or the folder ``Mali.datapackage``; never the input itself.
    """
    _check_format(to)
    path = Path(source)
    stem = path.name
    for suffix in (".parquet", ".csv", ".jsonl", ".json", ".xlsx", ".geojson"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return path.with_name(stem + EXTENSIONS[to])


def export(df: pd.DataFrame, to: str, out: str | os.PathLike[str], **options: Any) -> Path | None:
    """Write events in format ``to`` to ``out`` (a path, or ``"-"`` for standard output).

    Args:
        df: Events with ACLED's 31 current columns, or (for ``hxl`` and ``csv``) an
            aggregate from :func:`sahel_events.aggregate`, written in HDX's layout.
        to: A key of :data:`FORMATS`.
        out: The file (a folder for ``datapackage``), or ``"-"``.
        options: Passed to the format's writer: ``with_provenance`` (all formats
            but ucdp), ``ucdp_scope`` (ucdp), ``name``, ``title``, ``license``,
            ``gazetteer``, ``contributors``, ``description`` (datapackage).

    Returns:
        The path written (``datapackage.json`` for a package), or None for stdout.

    Raises:
        UsageError: Unknown format or option, or ``"-"`` for a data package.
        OutputError: The output cannot be written; nothing was written.
    """
    _check_format(to)
    if isinstance(out, str) and out == "-" and to not in _STREAMABLE:
        raise UsageError(f"a {to} export is a folder of files; give an output path, not '-'")
    unknown = sorted(set(options) - _OPTIONS[to])
    if unknown:
        raise UsageError(
            f"the {to} export takes no option {', '.join(unknown)}; "
            f"it takes: {', '.join(sorted(_OPTIONS[to]))}"
        )
    from sahel_events.transform._aggregate import is_aggregate

    if is_aggregate(df) and to not in ("csv", "hxl"):
        raise UsageError(f"an aggregate exports to csv or hxl, not {to}")
    if to == "csv" and is_aggregate(df):
        from sahel_events.transform._aggregate import to_hdx_csv

        return to_hdx_csv(df, out)
    if to == "csv":
        from sahel_events.export.acled_csv import to_acled_csv

        return to_acled_csv(df, out, **options)
    if to == "hxl":
        from sahel_events.export.hxl import to_hxl

        return to_hxl(df, out, **options)
    if to == "geojson":
        from sahel_events.export.geojson import to_geojson

        return to_geojson(df, out, **options)
    if to == "ucdp":
        from sahel_events.export.ucdp import to_ucdp

        return to_ucdp(df, out, **options)
    from sahel_events.export.datapackage import to_datapackage

    return to_datapackage(df, out, **options)


def read_export(path: str | os.PathLike[str], to: str) -> pd.DataFrame:
    """Read back a file written by :func:`export` in format ``to``."""
    _check_format(to)
    if to == "csv":
        from sahel_events.read import read_events

        return read_events(path)
    if to == "hxl":
        from sahel_events.export.hxl import read_hxl

        return read_hxl(path)
    if to == "geojson":
        from sahel_events.export.geojson import read_geojson

        return read_geojson(path)
    if to == "ucdp":
        from sahel_events.export.ucdp import read_ucdp

        return read_ucdp(path)
    from sahel_events.export.datapackage import read_datapackage

    return read_datapackage(path)
