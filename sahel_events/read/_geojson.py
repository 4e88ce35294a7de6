"""GeoJSON: a FeatureCollection of events, each a Feature with properties and a Point.

This is what ``sahel-events export --to geojson`` writes, what QGIS and
``geopandas.to_file`` write, and how UCDP publishes GED. Each feature's
properties become a record; a Point geometry fills ``longitude`` and
``latitude`` where the properties lack them. Features whose geometry is not a
Point keep their properties and no coordinates. Features without a geometry
(``null`` or absent) keep the coordinates their properties hold, and are reported
when they hold none (:func:`features_source`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sahel_events.exc import UnreadableFileError
from sahel_events.read.formats import RawSource, ReadOptions


class GeoJsonReader:
    """A GeoJSON FeatureCollection of events."""

    name = "geojson"
    description = "a GeoJSON FeatureCollection of events (properties and Point geometry)"

    def open(self, path: Path, options: ReadOptions) -> RawSource:
        from sahel_events.read._json import load_document

        document = load_document(path, options.encoding)
        if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
            raise UnreadableFileError(
                "expected a GeoJSON FeatureCollection of event features", path=path
            )
        return features_source(path, document)


READERS = {"geojson": GeoJsonReader()}


def _coordinates(geometry: Any) -> tuple[Any, Any] | None:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        return coordinates[0], coordinates[1]
    return None


def _coordinate_keys(properties: dict[str, Any]) -> dict[str, str]:
    """The property keys holding latitude and longitude (``lat``, ``LONGITUDE``...)."""
    from sahel_events.read.variants import canonical_column_name

    keys: dict[str, str] = {}
    for key in properties:
        name = canonical_column_name(str(key))
        if name in ("latitude", "longitude"):
            keys.setdefault(name, key)
    return keys


def _has_coordinates(properties: dict[str, Any]) -> bool:
    keys = _coordinate_keys(properties)
    return len(keys) == 2 and all(
        properties[key] is not None and str(properties[key]).strip() for key in keys.values()
    )


def features_source(path: Path, document: dict[str, Any]) -> RawSource:
    """The records of a FeatureCollection, numbered by feature (1-based).

    A feature's Point gives ``longitude`` and ``latitude`` where its properties lack
    them. A feature with no geometry (``null`` or absent, as RFC 7946 allows for an
    unlocated feature) keeps its properties' coordinates, if any: ACLED's
    ``latitude`` and ``longitude`` columns. When no feature has a geometry the file
    gets one note (the properties gave the coordinates) or, without coordinate
    properties either, one file-level error; in a file where some features have a
    geometry, each feature left without coordinates gets a row-level error.
    """
    from sahel_events.read._json import _records_to_chunk

    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise UnreadableFileError("the FeatureCollection holds no features", path=path)
    records: list[dict[str, Any]] = []
    unlocated: dict[int, str] = {}  # features with neither a geometry nor coordinates
    with_geometry = 0
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise UnreadableFileError("expected a GeoJSON Feature object", path=path, row=number)
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise UnreadableFileError(
                "the feature's properties are not an object", path=path, row=number
            )
        record = dict(properties)
        geometry = feature.get("geometry")
        if geometry is not None:
            with_geometry += 1
        point = _coordinates(geometry)
        if point is not None:
            record.setdefault("longitude", point[0])
            record.setdefault("latitude", point[1])
        elif geometry is None and not _has_coordinates(properties):
            unlocated[number] = "geometry null" if "geometry" in feature else "no geometry member"
        records.append(record)
    header = list(dict.fromkeys(key for record in records for key in record))
    rows = list(range(1, len(records) + 1))
    chunk = _records_to_chunk(records, header, rows)
    source = RawSource(path, "geojson", header, iter([chunk]))
    _note_missing_geometry(source, chunk, len(features), with_geometry, unlocated)
    return source


def _note_missing_geometry(
    source: RawSource,
    chunk: Any,
    n_features: int,
    with_geometry: int,
    unlocated: dict[int, str],
) -> None:
    if with_geometry == 0 and len(unlocated) == n_features:
        # One finding for the file, in place of a missing latitude and longitude column.
        source.file_issues.add_file(
            "no_geometry",
            "latitude, longitude",
            f"none of the {n_features:,} features has a geometry or latitude and longitude"
            " properties",
        )
        source.attrs["explained_missing_columns"] = ["latitude", "longitude"]
    elif with_geometry == 0:
        source.file_issues.add_file(
            "geometry_absent",
            "latitude, longitude",
            f"none of the {n_features:,} features has a geometry",
        )
    if unlocated and (with_geometry or len(unlocated) < n_features):
        chunk.issues.add(
            "feature_without_geometry",
            list(unlocated),
            "latitude, longitude",
            [f"feature {number}: {what}" for number, what in unlocated.items()],
        )
