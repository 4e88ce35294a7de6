"""The df.events accessor: registration, validate, to_geodataframe, summary, export."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import sahel_events.accessor  # noqa: F401  (registers df.events)
from sahel_events.exc import UsageError
from sahel_events.testing import break_rows, synthetic_events


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return synthetic_events(120, seed=41)


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_import_sahel_events_registers_when_pandas_is_loaded() -> None:
    assert _run("import pandas as pd, sahel_events; print(hasattr(pd.DataFrame(), 'events'))") == (
        "True"
    )


def test_import_sahel_events_alone_does_not_load_pandas_yet_df_events_works_after_load() -> None:
    code = (
        "import sys, sahel_events\n"
        "before = 'pandas' in sys.modules\n"
        "sahel_events.geocode\n"
        "after_geocode = 'pandas' in sys.modules\n"
        "df = sahel_events.load()\n"
        "print(before, after_geocode, df.events.summary().n_events)"
    )
    assert _run(code) == "False False 12"


def test_validate_matches_sahel_events_validate(events: pd.DataFrame) -> None:
    from sahel_events import validate

    assert events.events.validate().valid
    broken = break_rows(events, 0.1, seed=5)
    report = broken.events.validate(max_errors=3)
    expected = validate(broken, max_errors=3)
    assert not report.valid
    assert report.n_errors == expected.n_errors > 0
    assert len(report.entries) == 3


def test_validate_reads_iso_date_text_as_year_month_day(events: pd.DataFrame) -> None:
    # A regression: text dates went through a day-first parse, so the codebook's
    # 2020-03-02 became 3 February 2020.
    frame = events.copy()
    frame["event_date"] = pd.Series(["2020-03-02"] * len(frame), dtype="str", index=frame.index)
    frame["year"] = 2020
    from sahel_events.read.conform import conform as _conform

    converted = _conform(frame)
    assert (converted["event_date"] == pd.Timestamp("2020-03-02")).all()
    assert frame.events.validate().valid


def test_to_geodataframe_points_in_lon_lat_order(events: pd.DataFrame) -> None:
    geopandas = pytest.importorskip("geopandas")
    frame = events.copy()
    frame.loc[frame.index[0], ["latitude", "longitude"]] = float("nan")
    gdf = frame.events.to_geodataframe()
    assert isinstance(gdf, geopandas.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0] is None
    second = gdf.geometry.iloc[1]
    assert (second.x, second.y) == (frame["longitude"].iloc[1], frame["latitude"].iloc[1])
    assert list(gdf.columns[:-1]) == list(frame.columns)
    assert len(gdf) == len(frame)


def test_to_geodataframe_without_coordinates_is_a_usage_error(events: pd.DataFrame) -> None:
    pytest.importorskip("geopandas")
    with pytest.raises(UsageError, match="no such column"):
        events.drop(columns="latitude").events.to_geodataframe()


def test_to_geodataframe_without_geopandas_names_the_fix(
    events: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "geopandas", None)  # import geopandas -> ImportError
    with pytest.raises(UsageError, match="pip install geopandas"):
        events.events.to_geodataframe()


def test_summary_counts(events: pd.DataFrame) -> None:
    summary = events.events.summary()
    assert summary.n_events == len(events)
    assert summary.fatalities == int(events["fatalities"].sum())
    assert summary.first_date == events["event_date"].min()
    assert summary.last_date == events["event_date"].max()
    by_type = summary.by_type
    assert by_type["events"].sum() == len(events)
    assert list(by_type["events"]) == sorted(by_type["events"], reverse=True)
    expected = events.groupby(["event_type", "sub_event_type"], observed=True).size()
    for row in by_type.itertuples():
        assert expected[(row.event_type, row.sub_event_type)] == row.events
    countries = dict(zip(summary.by_country["country"], summary.by_country["events"], strict=True))
    assert countries == events["country"].value_counts().to_dict()
    text = str(summary)
    assert text.startswith(f"{len(events)} events from ")
    assert "by country:" in text


def test_summary_of_a_partial_frame() -> None:
    frame = pd.DataFrame({"country": ["Mali", "Mali", None]})
    summary = frame.events.summary()
    assert summary.n_events == 3
    assert summary.first_date is None
    assert summary.fatalities == 0
    assert dict(zip(summary.by_country["country"], summary.by_country["events"], strict=True)) == {
        "Mali": 2,
        "(blank)": 1,
    }
    assert summary.by_type.empty


def test_export_through_the_accessor(events: pd.DataFrame, tmp_path) -> None:
    path = events.events.export("geojson", tmp_path / "events.geojson")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["features"]) == len(events)
    with pytest.raises(UsageError, match="unknown export format"):
        events.events.export("shapefile", tmp_path / "x.shp")
