"""GeoJSON features without a geometry: coordinates from the properties, or said missing.

RFC 7946 allows ``"geometry": null`` for an unlocated feature, and some writers leave
the member out. ACLED's columns in the properties (``latitude``, ``longitude``) then
give the coordinates; without them the file, or each feature, is reported as having
none, and ``export --to geojson`` does not write a map of nothing. Rows made up here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.exc import InvalidDataError
from sahel_events.export import export
from sahel_events.read import read_events
from sahel_events.validation import validate
from tests.read.geojson_files import point_features, write_collection

TODAY = "2030-01-01"


def _features(n: int = 4) -> list[dict[str, Any]]:
    return point_features(n, seed=21)


def _write(path: Path, features: list[dict[str, Any]]) -> Path:
    return write_collection(path, features)


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def located(tmp_path: Path) -> Path:
    return _write(tmp_path / "located.geojson", _features())


@pytest.mark.parametrize("how", ["null", "absent"])
def test_no_geometry_and_no_coordinates_is_one_file_level_error(tmp_path: Path, how: str) -> None:
    features = _features()
    for feature in features:
        if how == "null":
            feature["geometry"] = None
        else:
            del feature["geometry"]
    path = _write(tmp_path / "unlocated.geojson", features)
    report = validate(path, today=TODAY)
    assert not report.valid
    errors = report.errors
    assert errors["check"].tolist() == ["no_geometry"]  # not two missing_column entries
    assert errors["row"].isna().all() and errors["column"].tolist() == ["latitude, longitude"]
    assert "no geometry and no latitude/longitude properties" in errors["message"].iloc[0]
    assert "none of the 4 features" in errors["message"].iloc[0]
    code, out, _ = _invoke("validate", "--today", TODAY, str(path))
    assert code == 1 and str(path) in out and "no_geometry" in out
    assert "missing_column" not in out


def test_export_to_geojson_of_features_without_coordinates_exits_1_writing_nothing(
    tmp_path: Path,
) -> None:
    features = _features()
    for feature in features:
        feature["geometry"] = None
    path = _write(tmp_path / "unlocated.geojson", features)
    out = tmp_path / "out.geojson"
    code, stdout, err = _invoke("export", str(path), "--to", "geojson", "--out", str(out))
    assert code == 1 and stdout == "" and not out.exists()
    assert "unlocated.geojson" in err and "none of the 4 events has coordinates" in err
    assert "no geometry and no latitude/longitude properties" in err
    assert "Traceback" not in err
    with pytest.raises(InvalidDataError, match="would hold no point"):
        export(read_events(path), "geojson", tmp_path / "api.geojson")
    assert not (tmp_path / "api.geojson").exists()
    # Other formats write the events, and say on stderr that they have no coordinates.
    code, _, err = _invoke("export", str(path), "--to", "csv", "--out", str(tmp_path / "o.csv"))
    assert code == 0 and "no geometry and no latitude/longitude properties" in err


def test_latitude_and_longitude_properties_are_used_with_a_note(
    tmp_path: Path, located: Path
) -> None:
    features = _features()
    for feature in features:
        longitude, latitude = feature.pop("geometry")["coordinates"]
        feature["geometry"] = None
        feature["properties"].update(latitude=latitude, longitude=longitude)
    path = _write(tmp_path / "properties.geojson", features)
    events = read_events(path)
    reference = read_events(located)
    pd.testing.assert_series_equal(events["latitude"], reference["latitude"])
    pd.testing.assert_series_equal(events["longitude"], reference["longitude"])
    report = validate(path, today=TODAY, strict=True)
    assert report.valid, report.summary()
    notes = report.entries[report.entries["check"] == "geometry_absent"]
    assert len(notes) == 1 and notes["severity"].iloc[0] == "note"
    assert "none of the 4 features has a geometry" in notes["message"].iloc[0]
    # Exported again, the points come back as geometry.
    out = tmp_path / "out.geojson"
    code, _, err = _invoke("export", str(path), "--to", "geojson", "--out", str(out))
    assert code == 0, err
    written = json.loads(out.read_text())["features"]
    assert [f["geometry"]["coordinates"] for f in written] == [
        [lon, lat] for lon, lat in zip(reference["longitude"], reference["latitude"], strict=True)
    ]


def test_lat_lon_properties_under_other_names_are_used(tmp_path: Path) -> None:
    features = _features(2)
    for feature in features:
        longitude, latitude = feature.pop("geometry")["coordinates"]
        feature["properties"].update(LAT=latitude, Lon=longitude)
    events = read_events(_write(tmp_path / "renamed.geojson", features))
    assert events["latitude"].notna().all() and events["longitude"].notna().all()
    issues = events.attrs["reader_issues"]
    assert "no_geometry" not in set(issues["check"])
    assert "geometry_absent" in set(issues["check"])


def test_mixed_file_names_each_feature_without_coordinates(tmp_path: Path) -> None:
    features = _features(5)
    features[1]["geometry"] = None
    del features[3]["geometry"]
    # A feature without geometry whose properties hold coordinates is located.
    features[4]["properties"].update(
        longitude=features[4]["geometry"]["coordinates"][0],
        latitude=features[4]["geometry"]["coordinates"][1],
    )
    features[4]["geometry"] = None
    path = _write(tmp_path / "mixed.geojson", features)
    report = validate(path, today=TODAY)
    errors = report.errors
    assert errors["check"].tolist() == ["feature_without_geometry"] * 2
    assert errors["row"].tolist() == [2, 4]
    assert errors["value"].tolist() == ["feature 2: geometry null", "feature 4: no geometry member"]
    # One entry per feature: not a missing_value for latitude and one for longitude too.
    assert "missing_value" not in set(errors["check"])
    out = tmp_path / "out.geojson"
    code, _, err = _invoke("export", str(path), "--to", "geojson", "--out", str(out))
    assert code == 0
    assert "2 of 5 events of mixed.geojson have no coordinates" in err
    assert "cell(s)" not in err
    geometries = [f["geometry"] for f in json.loads(out.read_text())["features"]]
    assert [g is None for g in geometries] == [False, True, False, True, False]
