"""GeoJSON export: RFC 7946 points in [lon, lat], ISO dates, null not NaN, read-back."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from sahel_events import vocabulary
from sahel_events.exc import UnreadableFileError
from sahel_events.export import export
from sahel_events.export.geojson import read_geojson
from sahel_events.testing import synthetic_events


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    frame = synthetic_events(80, seed=71)
    frame.loc[frame.index[0], "notes"] = 'Quote " slash / backslash \\ newline\nend; عربي'
    frame.loc[frame.index[1], ["latitude", "longitude"]] = float("nan")
    return frame


@pytest.fixture(scope="module")
def written(events: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(events, "geojson", tmp_path_factory.mktemp("geojson") / "events.geojson")


def test_feature_collection_with_lon_lat_points(events: pd.DataFrame, written: Path) -> None:
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    features = document["features"]
    assert len(features) == len(events)
    for feature, (_, row) in zip(features, events.iterrows(), strict=True):
        assert feature["type"] == "Feature"
        assert feature["properties"]["event_id_cnty"] == row["event_id_cnty"]
        if math.isnan(row["latitude"]):
            assert feature["geometry"] is None
            continue
        assert feature["geometry"] == {
            "type": "Point",
            "coordinates": [row["longitude"], row["latitude"]],
        }


def test_properties_in_column_order_dates_iso_and_null_not_nan(
    events: pd.DataFrame, written: Path
) -> None:
    text = written.read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    feature = json.loads(text)["features"][0]
    expected = [name for name in vocabulary.COLUMN_NAMES if name not in ("latitude", "longitude")]
    assert list(feature["properties"]) == expected
    assert feature["properties"]["event_date"] == events["event_date"].iloc[0].strftime("%Y-%m-%d")
    assert feature["properties"]["notes"] == events["notes"].iloc[0]
    assert feature["properties"]["tags"] is None or isinstance(feature["properties"]["tags"], str)
    assert isinstance(feature["properties"]["fatalities"], int)
    assert "\\/" not in text


def test_same_frame_same_bytes(events: pd.DataFrame, written: Path, tmp_path: Path) -> None:
    again = export(events, "geojson", tmp_path / "again.geojson")
    assert again.read_bytes() == written.read_bytes()


def test_reads_back_the_same_events(events: pd.DataFrame, written: Path) -> None:
    read_back = read_geojson(written)
    columns = list(vocabulary.COLUMN_NAMES)
    left = read_back[columns].reset_index(drop=True)
    right = events[columns].reset_index(drop=True)
    assert [str(t) for t in left.dtypes] == [str(t) for t in right.dtypes]
    pd.testing.assert_frame_equal(left, right, check_categorical=False)


def test_geopandas_reads_it(events: pd.DataFrame, written: Path) -> None:
    geopandas = pytest.importorskip("geopandas")
    frame = geopandas.read_file(written)
    assert len(frame) == len(events)
    located = frame.geometry.notna() & ~frame.geometry.is_empty
    assert int(located.sum()) == int(events["latitude"].notna().sum())
    assert frame.geometry[located].x.tolist() == events["longitude"].dropna().tolist()
    assert frame.geometry[located].y.tolist() == events["latitude"].dropna().tolist()
    assert frame["event_id_cnty"].tolist() == events["event_id_cnty"].tolist()


def test_empty_frame_is_an_empty_collection(events: pd.DataFrame, tmp_path: Path) -> None:
    path = export(events.head(0), "geojson", tmp_path / "empty.geojson")
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_read_geojson_reports_a_line_and_refuses_what_is_not_geojson(tmp_path: Path) -> None:
    # A LineString is not given a made-up point: the feature is a row error, as
    # read_events and validate report it (tests/read/test_geojson_shapes.py).
    path = tmp_path / "line.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                        "properties": {"event_id_cnty": "MLI1"},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    frame = read_geojson(path)
    assert frame["latitude"].isna().all() and frame["longitude"].isna().all()
    issues = frame.attrs["reader_issues"]
    assert issues["check"].tolist() == ["no_point_geometry"]
    assert "1 LineString" in issues["message"].iloc[0]
    (tmp_path / "bad.geojson").write_text("{", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="not valid JSON"):
        read_geojson(tmp_path / "bad.geojson")
    (tmp_path / "list.geojson").write_text("[]", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="FeatureCollection"):
        read_geojson(tmp_path / "list.geojson")
