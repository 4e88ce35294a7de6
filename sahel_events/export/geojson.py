"""GeoJSON (RFC 7946): one Point feature per event, properties in ACLED's column order.

Coordinates are ``[longitude, latitude]`` on WGS 84, as RFC 7946 requires; an event
without coordinates gets a ``null`` geometry; events of which none has coordinates
are refused (the file would hold no point). An infinite coordinate is refused
(:class:`~sahel_events.exc.InvalidDataError`, naming the row and column): JSON has
no infinity, and a ``null`` geometry would silently drop a point the file claims. Properties hold every other column,
dates as ``YYYY-MM-DD`` strings and missing values as ``null`` (never ``NaN``, which
is not JSON). The same frame always gives the same bytes.

The document is assembled column by column (pandas' C JSON encoder for the
properties, Arrow string kernels for the rest), not by a Python loop over events.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events.exc import InvalidDataError
from sahel_events.export._common import (
    ExportFormat,
    binary_sink,
    date_text,
    is_stdout,
    select,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["FORMAT", "read_geojson", "to_geojson"]

_GEOMETRY_COLUMNS = ("longitude", "latitude")


def _coordinates(values: pd.Series, source: object = None) -> pa.Array:
    """Floats as the shortest text that reads back to the same double (Arrow's cast).

    Raises:
        InvalidDataError: A value is infinite (JSON cannot hold it); names the first.
    """
    import numpy as np
    import pyarrow as pa

    numbers = values.to_numpy(dtype="float64", na_value=float("nan"))
    infinite = np.isinf(numbers)
    if infinite.any():
        first = int(np.flatnonzero(infinite)[0])
        raise InvalidDataError(
            f"{numbers[first]} is not a coordinate, and GeoJSON cannot hold it "
            f"({int(infinite.sum()):,} infinite value(s) in the column); "
            "fix or remove these events first",
            path=source if isinstance(source, str) else None,
            row=_row_label(values.index[first]),
            column=str(values.name),
        )
    return pa.array(numbers).cast(pa.string())


def _row_label(label: object) -> int | None:
    """The row to name: the frame's label when it is a row number (read_events's index)."""
    try:
        return int(label)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def feature_strings(df: pd.DataFrame) -> pa.Array:
    """Each event as the text of one GeoJSON Feature (an Arrow string array)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    # Coordinates first: an infinite one is refused before any other work.
    longitude, latitude = df["longitude"], df["latitude"]
    source = df.attrs.get("source_path")
    longitude_text = _coordinates(longitude, source)
    latitude_text = _coordinates(latitude, source)
    located = (longitude.notna() & latitude.notna()).to_numpy()
    if len(df) and not located.any():
        # Every feature would be a null geometry: a map of nothing, said to be written.
        issues = df.attrs.get("reader_issues")
        why = "latitude and longitude are blank or absent"
        checks = set(issues["check"]) if issues is not None and len(issues) else set()
        if "no_geometry" in checks:
            why = "the GeoJSON features read have no geometry and no latitude/longitude properties"
        elif "no_point_geometry" in checks:
            why = (
                "the GeoJSON features read are not points and have no latitude/longitude properties"
            )
        raise InvalidDataError(
            f"none of the {len(df):,} events has coordinates ({why}), so a GeoJSON of"
            " them would hold no point; geocode them first (sahel-events geocode) or export"
            " them to csv",
            path=source if isinstance(source, str) else None,
            column="latitude, longitude",
        )

    properties = df.drop(columns=list(_GEOMETRY_COLUMNS))
    for name in properties.columns:
        if pd.api.types.is_datetime64_any_dtype(properties[name].dtype):
            properties[name] = date_text(properties[name])
    if len(properties) == 0:
        return pa.array([], pa.string())
    lines = properties.to_json(
        orient="records", lines=True, force_ascii=False, double_precision=15, date_format="iso"
    )
    objects = pc.split_pattern(pa.array([lines.rstrip("\n")]), "\n")[0].values
    # pandas writes "/" as "\/": legal JSON, but noise for readers; every "/" is
    # escaped that way, so the pair never stands for anything else.
    objects = pc.replace_substring(objects, "\\/", "/")

    point = pc.binary_join_element_wise(
        '{"type":"Point","coordinates":[',
        longitude_text,
        ",",
        latitude_text,
        "]}",
        "",
    )
    geometry = pc.if_else(pa.array(located), point, pa.scalar("null"))
    features = pc.binary_join_element_wise(
        '{"type":"Feature","geometry":', geometry, ',"properties":', objects, "}", ""
    )
    assert len(features) == len(df) and not np.any(pc.is_null(features).to_numpy(False))
    return features


def to_geojson(
    df: pd.DataFrame, out: str | os.PathLike[str] = "-", *, with_provenance: bool = False
) -> Path | None:
    """Write events as a GeoJSON FeatureCollection of points.

    Args:
        df: Events with ACLED's 31 current columns.
        out: The file to write (atomically), or ``"-"`` for standard output.
        with_provenance: Also write the provenance columns present as properties.

    Returns:
        The path written, or None for standard output.

    Raises:
        UsageError: The frame lacks ACLED columns.
        InvalidDataError: A coordinate is infinite, or no event has coordinates;
            nothing was written.
        OutputError: The file cannot be written; nothing was written.
    """
    features = feature_strings(select(df, with_provenance=with_provenance))
    with binary_sink(out) as handle:
        handle.write(b'{"type":"FeatureCollection","features":[\n')
        # Written in slices so that memory holds one slice of bytes at a time.
        step = 100_000
        for start in range(0, len(features), step):
            part = features.slice(start, step).to_pylist()
            text = ",\n".join(part)
            if start + step < len(features):
                text += ",\n"
            handle.write(text.encode("utf-8"))
        handle.write(b"\n]}\n")
    return None if is_stdout(out) else Path(out)


def read_geojson(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a GeoJSON file of events (as :func:`to_geojson` writes it) into the canonical dtypes.

    The file is read by the one GeoJSON reader, the one :func:`sahel_events.read_events`
    and :func:`sahel_events.validate` use (``sahel_events/read/_geojson.py``), so the
    three agree on every file. ``latitude`` and ``longitude`` come from each point's
    coordinates (or the feature's ``latitude``/``longitude`` properties); the other
    columns from its properties. Cells that do not convert, and features that are not
    points, are listed in ``attrs["reader_issues"]``: a Polygon or LineString is not
    given a made-up point. The index is the feature's 1-based position.

    Raises:
        UnreadableFileError: The file is missing, not JSON, not a FeatureCollection,
            or holds no features.
    """
    from sahel_events.read import read_events

    return read_events(path, format="geojson")


FORMAT = ExportFormat(
    name="geojson",
    description="GeoJSON FeatureCollection of points (RFC 7946, [longitude, latitude]).",
    extension=".geojson",
    write=to_geojson,
    read=read_geojson,
    options=frozenset({"with_provenance"}),
)
