"""GeoJSON: a FeatureCollection of events, each a Feature with properties and a Point.

This is the one reader of GeoJSON event files: :func:`sahel_events.read_events` and
:func:`sahel_events.validate` read them here, and so does
:func:`sahel_events.export.read_geojson`, the export's round trip. It reads what
``sahel-events export --to geojson`` writes, what QGIS and ``geopandas.to_file``
write, and how UCDP publishes GED. Each feature's properties become a record; a
Point geometry fills ``longitude`` and ``latitude`` where the properties lack them.

An ACLED event is a point, and the reader makes none up:

* a MultiPoint of exactly one point (what GDAL writes for a multipoint layer, such
  as many shapefiles) is that point, with a ``multipoint_as_point`` note;
* any other geometry (a Polygon, a LineString, a MultiPoint of several points, a
  GeometryCollection) gives no coordinates: no centroid, which could lie outside
  the area and would claim a precision the file does not have. The feature's
  ``latitude``/``longitude`` properties are used when it has them (a
  ``geometry_not_point`` warning says the geometry was set aside); without them the
  feature is a ``feature_not_a_point`` error on its row;
* a feature without a geometry (``null`` or absent, as RFC 7946 allows for an
  unlocated feature) keeps the coordinates its properties hold, and is a
  ``feature_without_geometry`` error when they hold none.

When no feature is located at all, one file-level error stands for the file
(``no_geometry``, or ``no_point_geometry`` when some features have shapes that are
not points) in place of a missing latitude and longitude column.
"""

from __future__ import annotations

from collections import Counter
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

#: What a feature's geometry gave: a point, nothing (no geometry), or a shape.
_POINT, _MULTIPOINT, _NONE, _SHAPE = "point", "multipoint", "none", "shape"


def _position(coordinates: Any) -> tuple[Any, Any] | None:
    """``[longitude, latitude]`` (an altitude after them is ignored), or None."""
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        return coordinates[0], coordinates[1]
    return None


def _geometry_point(geometry: Any) -> tuple[str, tuple[Any, Any] | None, str]:
    """What the geometry gives: its kind, the point (or None) and, unlocated, why."""
    if geometry is None:
        return _NONE, None, "geometry null"
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        return _SHAPE, None, "not a GeoJSON geometry"
    kind = geometry["type"]
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        point = _position(coordinates)
        return (_POINT, point, "") if point else (_NONE, None, "empty Point")
    if kind == "MultiPoint" and isinstance(coordinates, list):
        if not coordinates:
            return _NONE, None, "empty MultiPoint"
        if len(coordinates) == 1 and (point := _position(coordinates[0])):
            return _MULTIPOINT, point, ""
        return _SHAPE, None, f"a MultiPoint of {len(coordinates):,} points"
    return _SHAPE, None, f"a {kind[:40]}"


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

    A feature's Point (or MultiPoint of one point) gives ``longitude`` and
    ``latitude`` where its properties lack them; any other feature keeps its
    properties' coordinates, if any (see the module's rules for what is reported).
    """
    from sahel_events.read._json import _records_to_chunk

    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise UnreadableFileError("the FeatureCollection holds no features", path=path)
    records: list[dict[str, Any]] = []
    # Feature number -> what its geometry is, for the features that are reported.
    without_geometry: dict[int, str] = {}  # no geometry, no coordinate properties
    not_points: dict[int, str] = {}  # a shape, no coordinate properties
    set_aside: dict[int, str] = {}  # a shape, the coordinate properties used instead
    kinds: Counter[str] = Counter()
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise UnreadableFileError("expected a GeoJSON Feature object", path=path, row=number)
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise UnreadableFileError(
                "the feature's properties are not an object", path=path, row=number
            )
        record = dict(properties)
        kind, point, why = _geometry_point(feature.get("geometry"))
        if kind == _NONE and "geometry" not in feature:
            why = "no geometry member"
        kinds[kind] += 1
        if point is not None:
            record.setdefault("longitude", point[0])
            record.setdefault("latitude", point[1])
        elif _has_coordinates(properties):
            if kind == _SHAPE:
                set_aside[number] = why
        elif kind == _SHAPE:
            not_points[number] = why
        else:
            without_geometry[number] = why
        records.append(record)
    header = list(dict.fromkeys(key for record in records for key in record))
    rows = list(range(1, len(records) + 1))
    chunk = _records_to_chunk(records, header, rows)
    source = RawSource(path, "geojson", header, iter([chunk]))
    _report_geometry(source, chunk, len(features), kinds, without_geometry, not_points, set_aside)
    return source


def _report_geometry(
    source: RawSource,
    chunk: Any,
    n_features: int,
    kinds: Counter[str],
    without_geometry: dict[int, str],
    not_points: dict[int, str],
    set_aside: dict[int, str],
) -> None:
    columns = "latitude, longitude"
    if kinds[_MULTIPOINT]:
        source.file_issues.add_file(
            "multipoint_as_point",
            columns,
            f"{kinds[_MULTIPOINT]:,} of the {n_features:,} features",
        )
    if set_aside:
        chunk.issues.add("geometry_not_point", list(set_aside), columns, _values(set_aside))
    if len(without_geometry) + len(not_points) == n_features:
        # Not one event located: one finding for the file, in place of a missing
        # latitude and longitude column (and of one error per feature).
        if not_points:
            shapes = [
                f"{count:,} {what.removeprefix('a ')}"
                for what, count in Counter(not_points.values()).most_common()
            ]
            if without_geometry:
                shapes.append(f"{len(without_geometry):,} without geometry")
            source.file_issues.add_file(
                "no_point_geometry", columns, f"{n_features:,} features: {', '.join(shapes)}"
            )
        else:
            source.file_issues.add_file(
                "no_geometry",
                columns,
                f"none of the {n_features:,} features has a geometry or latitude and longitude"
                " properties",
            )
        source.attrs["explained_missing_columns"] = ["latitude", "longitude"]
        return
    if kinds[_NONE] == n_features:
        source.file_issues.add_file(
            "geometry_absent", columns, f"none of the {n_features:,} features has a geometry"
        )
    for check, unlocated in (
        ("feature_without_geometry", without_geometry),
        ("feature_not_a_point", not_points),
    ):
        if unlocated:
            chunk.issues.add(check, list(unlocated), columns, _values(unlocated))


def _values(reported: dict[int, str]) -> list[str]:
    """Each reported feature's value: ``feature 3: a Polygon``."""
    return [f"feature {number}: {why}" for number, why in reported.items()]
