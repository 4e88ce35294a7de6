"""GeoJSON geometries other than a Point: one rule, the same verdict by every route.

An ACLED event is a point. Real event GeoJSON holds Points (QGIS's export of an ACLED
subset, ``olivia-redman/GEOG456`` ``conflictBur.geojson``, with the coordinates in the
properties too; this project's ``export --to geojson``); GDAL writes a multipoint layer
(many shapefiles) as MultiPoints of one point; a Polygon or LineString comes from a join
to admin areas or a route. The reader takes a MultiPoint of one point as that point
(a note), makes no point up from a shape (no centroid: an error naming the feature, or a
warning when its latitude/longitude properties give the coordinates), and
``read_events``, ``validate`` (of the file and of the frame), ``export.read_geojson``
and ``sahel-events validate`` agree on each case. Rows made up here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.export import export, read_export
from sahel_events.export.geojson import read_geojson
from sahel_events.read import read_events
from sahel_events.testing import synthetic_events
from sahel_events.validation import validate
from tests.read.geojson_files import point_features, write_collection

TODAY = "2030-01-01"
SQUARE = [[[0.0, 12.0], [0.1, 12.0], [0.1, 12.1], [0.0, 12.1], [0.0, 12.0]]]


def _features(n: int = 4) -> list[dict[str, Any]]:
    return point_features(n, seed=33)


def _write(path: Path, features: list[dict[str, Any]]) -> Path:
    return write_collection(path, features)


def _located(features: list[dict[str, Any]]) -> pd.DataFrame:
    """The coordinates the Point features hold, by feature number."""
    points = [feature["geometry"]["coordinates"] for feature in features]
    index = pd.RangeIndex(1, len(points) + 1, name="source_row")
    return pd.DataFrame(
        {"longitude": [p[0] for p in points], "latitude": [p[1] for p in points]}, index=index
    )


def _entries(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    rows = frame["row"].astype("object").where(frame["row"].notna(), None)
    return sorted(
        zip(rows, frame["column"], frame["check"], frame["severity"], strict=True),
        key=repr,
    )


def _same_verdict(path: Path) -> tuple[pd.DataFrame, Any]:
    """Read and validate ``path`` by every route; check that they agree; return one."""
    events = read_events(path)
    again = read_geojson(path)
    pd.testing.assert_frame_equal(events, again)
    pd.testing.assert_frame_equal(events.attrs["reader_issues"], again.attrs["reader_issues"])
    pd.testing.assert_frame_equal(events, read_export(path, "geojson"))
    report = validate(path, today=TODAY)
    from_frame = validate(again, today=TODAY)
    assert _entries(report.entries) == _entries(from_frame.entries)
    assert report.valid == from_frame.valid
    result = CliRunner().invoke(main, ["validate", "--today", TODAY, str(path)])
    assert result.exit_code == (0 if report.valid else 1), result.output
    assert "Traceback" not in result.output
    return events, report


def _checks(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["check"])


def test_a_point_with_an_altitude_is_the_point(tmp_path: Path) -> None:
    features = _features()
    reference = _located(features)
    features[1]["geometry"]["coordinates"].append(312.0)  # RFC 7946 allows an altitude
    events, report = _same_verdict(_write(tmp_path / "altitude.geojson", features))
    pd.testing.assert_frame_equal(events[["longitude", "latitude"]], reference)
    assert report.valid and report.entries.empty


def test_a_multipoint_of_one_point_is_that_point_with_a_note(tmp_path: Path) -> None:
    features = _features()
    reference = _located(features)
    for feature in features:  # as GDAL writes a multipoint layer
        feature["geometry"] = {
            "type": "MultiPoint",
            "coordinates": [feature["geometry"]["coordinates"]],
        }
    events, report = _same_verdict(_write(tmp_path / "multipoint.geojson", features))
    pd.testing.assert_frame_equal(events[["longitude", "latitude"]], reference)
    assert report.valid, report.summary()
    notes = report.entries[report.entries["check"] == "multipoint_as_point"]
    assert len(notes) == 1 and notes["severity"].iloc[0] == "note"
    assert "4 of the 4 features" in notes["message"].iloc[0]


@pytest.mark.parametrize(
    ("geometry", "what"),
    [
        ({"type": "Polygon", "coordinates": SQUARE}, "a Polygon"),
        ({"type": "MultiPolygon", "coordinates": [SQUARE]}, "a MultiPolygon"),
        ({"type": "LineString", "coordinates": [[0.0, 12.0], [0.5, 12.5]]}, "a LineString"),
        (
            {"type": "MultiPoint", "coordinates": [[0.0, 12.0], [0.5, 12.5], [1.0, 13.0]]},
            "a MultiPoint of 3 points",
        ),
        (
            {
                "type": "GeometryCollection",
                "geometries": [{"type": "Point", "coordinates": [0.0, 12.0]}],
            },
            "a GeometryCollection",
        ),
        ({"coordinates": [0.0, 12.0]}, "not a GeoJSON geometry"),
    ],
)
def test_a_shape_is_not_given_a_made_up_point(
    tmp_path: Path, geometry: dict[str, Any], what: str
) -> None:
    features = _features()
    features[2]["geometry"] = geometry
    events, report = _same_verdict(_write(tmp_path / "shape.geojson", features))
    assert pd.isna(events.loc[3, "latitude"]) and pd.isna(events.loc[3, "longitude"])
    assert events.drop(index=3)["latitude"].notna().all()
    assert not report.valid
    errors = report.errors
    # One entry for the feature, naming it and its shape: not two missing_value errors.
    assert errors["check"].tolist() == ["feature_not_a_point"]
    assert errors["row"].tolist() == [3]
    assert errors["column"].tolist() == ["latitude, longitude"]
    assert errors["value"].tolist() == [f"feature 3: {what}"]
    assert "none is made up" in errors["message"].iloc[0]


def test_a_shape_with_coordinate_properties_is_set_aside_with_a_warning(tmp_path: Path) -> None:
    features = _features()
    reference = _located(features)
    longitude, latitude = features[0]["geometry"]["coordinates"]
    features[0]["geometry"] = {"type": "Polygon", "coordinates": SQUARE}
    features[0]["properties"].update(latitude=latitude, longitude=longitude)
    path = _write(tmp_path / "joined.geojson", features)
    events, report = _same_verdict(path)
    pd.testing.assert_frame_equal(events[["longitude", "latitude"]], reference)
    assert report.valid and not validate(path, today=TODAY, strict=True).valid
    warnings = report.warnings
    assert warnings["check"].tolist() == ["geometry_not_point"]
    assert warnings["row"].tolist() == [1] and warnings["value"].tolist() == [
        "feature 1: a Polygon"
    ]


def test_a_file_of_shapes_is_one_file_level_error_and_exports_no_map(tmp_path: Path) -> None:
    features = _features()
    for feature in features[:3]:
        feature["geometry"] = {"type": "Polygon", "coordinates": SQUARE}
    features[3]["geometry"] = None
    path = _write(tmp_path / "areas.geojson", features)
    events, report = _same_verdict(path)
    assert events["latitude"].isna().all()
    errors = report.errors
    assert errors["check"].tolist() == ["no_point_geometry"]  # not 4 row errors, nor 2 columns
    assert errors["row"].isna().all()
    assert "(4 features: 3 Polygon, 1 without geometry)" in errors["message"].iloc[0]
    out = tmp_path / "out.geojson"
    result = CliRunner().invoke(main, ["export", str(path), "--to", "geojson", "--out", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "are not points and have no latitude/longitude properties" in result.stderr


def test_an_empty_point_is_a_feature_without_geometry(tmp_path: Path) -> None:
    features = _features()
    features[1]["geometry"] = {"type": "Point", "coordinates": []}  # GDAL's POINT EMPTY
    features[2]["geometry"] = {"type": "MultiPoint", "coordinates": []}
    _, report = _same_verdict(_write(tmp_path / "empty.geojson", features))
    errors = report.errors
    assert errors["check"].tolist() == ["feature_without_geometry"] * 2
    assert errors["value"].tolist() == ["feature 2: empty Point", "feature 3: empty MultiPoint"]


def test_the_export_reads_back_equal_to_its_source_by_both_routes(tmp_path: Path) -> None:
    source = synthetic_events(30, seed=34)
    source.loc[source.index[4], ["latitude", "longitude"]] = float("nan")
    path = export(source, "geojson", tmp_path / "events.geojson")
    columns = list(source.columns[:31])
    for events in (read_events(path), read_geojson(path)):
        pd.testing.assert_frame_equal(
            events[columns].reset_index(drop=True),
            source[columns].reset_index(drop=True),
            check_categorical=False,
        )
        assert events.index[0] == 1 and events.index.name == "source_row"
    # The event without coordinates is one error by every route, on its feature's row.
    _, report = _same_verdict(path)
    located = report.entries[report.entries["column"] == "latitude, longitude"]
    assert located["check"].tolist() == ["feature_without_geometry"]
    assert located["row"].tolist() == [5]
