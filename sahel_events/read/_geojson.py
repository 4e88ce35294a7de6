"""GeoJSON: a FeatureCollection of events, each a Feature with properties and a Point.

This is what ``sahel-events export --to geojson`` writes, what QGIS and
``geopandas.to_file`` write, and how UCDP publishes GED. Each feature's
properties become a record; a Point geometry fills ``longitude`` and
``latitude`` where the properties lack them. Features whose geometry is not a
Point keep their properties and no coordinates.
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


def features_source(path: Path, document: dict[str, Any]) -> RawSource:
    """The records of a FeatureCollection, numbered by feature (1-based)."""
    from sahel_events.read._json import _records_to_chunk

    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise UnreadableFileError("the FeatureCollection holds no features", path=path)
    records: list[dict[str, Any]] = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise UnreadableFileError("expected a GeoJSON Feature object", path=path, row=number)
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise UnreadableFileError(
                "the feature's properties are not an object", path=path, row=number
            )
        record = dict(properties)
        point = _coordinates(feature.get("geometry"))
        if point is not None:
            record.setdefault("longitude", point[0])
            record.setdefault("latitude", point[1])
        records.append(record)
    header = list(dict.fromkeys(key for record in records for key in record))
    rows = list(range(1, len(records) + 1))
    chunk = _records_to_chunk(records, header, rows)
    return RawSource(path, "geojson", header, iter([chunk]))
