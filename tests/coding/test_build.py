"""The dataset build: ids, evidence offsets, determinism, read-back and the first dataset."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from sahel_events import vocabulary
from sahel_events.coding import build as build_module
from sahel_events.coding.build import (
    build,
    event_number,
    evidence_coverage,
    packaged_codings_dir,
    packaged_sources_dir,
)
from sahel_events.coding.sheet import load_yaml
from sahel_events.exc import BuildError

SOURCE_ID = "afp-20250919-france-mali-crisis"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build(out_dir=tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def events(built) -> pd.DataFrame:
    return built.frame.set_index(built.frame["event_id_cnty"].str[3:].astype(int), drop=False)


def row_of(frame: pd.DataFrame, key: str) -> pd.Series:
    number = event_number(SOURCE_ID, key)
    matches = frame[frame["event_id_cnty"].str[3:].astype(int) == number]
    assert len(matches) == 1, key
    return matches.iloc[0]


def source_text() -> str:
    return (packaged_sources_dir() / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")


def sheet_events() -> list[dict]:
    sheet = load_yaml(packaged_codings_dir() / f"{SOURCE_ID}.yaml")
    return sheet["events"]


# --- ids ------------------------------------------------------------------------------


def test_event_number_has_eight_digits_and_depends_on_source_and_key_only() -> None:
    number = event_number(SOURCE_ID, "coup-of-august-2020")
    assert 10_000_000 <= number <= 99_999_999
    assert number == event_number(SOURCE_ID, "coup-of-august-2020")
    assert number != event_number(SOURCE_ID, "coup-of-august-2021")
    assert number != event_number("another-source", "coup-of-august-2020")
    expected = (
        10_000_000
        + int.from_bytes(
            hashlib.sha256(f"{SOURCE_ID}/coup-of-august-2020".encode()).digest()[:8], "big"
        )
        % 90_000_000
    )
    assert number == expected


def test_adding_an_event_keeps_every_existing_id(tmp_path: Path, built) -> None:
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    sheet = load_yaml(packaged_codings_dir() / f"{SOURCE_ID}.yaml")
    extra = copy.deepcopy(sheet["events"][0]) | {"key": "an-extra-event"}
    sheet["events"].insert(0, extra)
    (sheets / f"{SOURCE_ID}.yaml").write_text(yaml.safe_dump(sheet, allow_unicode=True), "utf-8")
    bigger = build(codings_dir=sheets, out_dir=tmp_path / "out").frame
    assert len(bigger) == len(built.frame) + 1
    assert set(built.frame["event_id_cnty"]) < set(bigger["event_id_cnty"])


def test_a_unit_named_by_a_sheet_is_the_one_in_force_on_the_event_date(tmp_path: Path) -> None:
    # Burkina Faso's reform of 2 July 2025 split the Sahel region: Soum province became
    # the Soum region. An event of 2024 in "province du Soum" is in the Sahel region.
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    sheet = load_yaml(packaged_codings_dir() / f"{SOURCE_ID}.yaml")
    for key, day in (("in-soum-2024", "2024-03-01"), ("in-soum-2025", "2025-09-01")):
        event = copy.deepcopy(sheet["events"][0]) | {"key": key}
        event["date"] = dict(event["date"], on=day)
        event["location"] = {"query": "province du Soum", "country": "BF"}
        sheet["events"].append(event)
    (sheets / f"{SOURCE_ID}.yaml").write_text(yaml.safe_dump(sheet, allow_unicode=True), "utf-8")
    frame = build(codings_dir=sheets, out_dir=tmp_path / "out").frame
    assert row_of(frame, "in-soum-2024")["admin1"] == "Sahel"
    assert row_of(frame, "in-soum-2025")["admin1"] == "Soum"


def test_an_id_collision_fails_naming_both_events(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build_module, "event_number", lambda source_id, key: 12345678)
    with pytest.raises(BuildError) as caught:
        build(out_dir=tmp_path)
    messages = [str(error) for error in caught.value.errors]
    assert any("collides with event" in message for message in messages)
    assert all("field 'key'" in message for message in messages)
    assert not list(tmp_path.iterdir())


# --- evidence -------------------------------------------------------------------------------


def test_evidence_coverage_counts_overlaps_once() -> None:
    assert evidence_coverage(100, [(0, 10), (5, 20), (50, 60)]) == pytest.approx(0.30)
    assert evidence_coverage(10, []) == 0.0


def test_offsets_point_at_each_quote_in_the_stored_text(built) -> None:
    text = source_text()

    def norm(value: str) -> str:
        return " ".join(unicodedata.normalize("NFKD", value).split())

    quotes_seen = 0
    for row in built.frame.itertuples():
        quotes = row.evidence.split("\n")
        spans = [tuple(map(int, pair.split("-"))) for pair in row.evidence_offsets.split(";")]
        assert len(quotes) == len(spans)
        for quote, (start, end) in zip(quotes, spans, strict=True):
            assert norm(text[start:end]) == norm(quote)
            quotes_seen += 1
    assert (
        quotes_seen
        == built.summary.evidence_quotes
        == sum(len(event["evidence"]) for event in sheet_events())
    )


def test_summary_reports_types_dates_places_and_coverage(built) -> None:
    summary = built.summary
    assert summary.events == len(built.frame) == len(sheet_events())
    assert summary.background_events == sum(bool(e.get("background")) for e in sheet_events())
    assert sum(count for _, _, count in summary.by_type) == summary.events
    assert ("Strategic developments", "Arrests", 2) in summary.by_type
    assert summary.first_date == "2020-08-18"
    assert summary.current_first_date == "2025-08-05"
    assert summary.current_last_date == "2025-09-19"
    assert ("Paris", "France", 3) in summary.places
    assert 0.2 < summary.evidence_coverage < 1.0
    assert summary.sha256 == hashlib.sha256(built.path.read_bytes()).hexdigest()
    text = summary.to_text()
    assert "Strategic developments / Arrests" in text and str(built.path) in text


# --- determinism -------------------------------------------------------------------------------


def test_building_twice_gives_identical_bytes(tmp_path: Path, built) -> None:
    again = build(out_dir=tmp_path)
    assert again.path.read_bytes() == built.path.read_bytes()
    pd.testing.assert_frame_equal(again.frame, built.frame)


def test_timestamp_is_the_coding_date_not_the_clock(built) -> None:
    coded_on = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)
    assert set(built.frame["timestamp"]) == {int(coded_on.timestamp())}


def test_a_custom_source_folder_outside_the_package_builds(tmp_path: Path, built) -> None:
    sources = tmp_path / "my sources"
    shutil.copytree(packaged_sources_dir(), sources)
    result = build(sources_dir=sources, out_dir=tmp_path / "out")
    assert result.path.read_bytes() == built.path.read_bytes()


# --- read-back by other tools --------------------------------------------------------------


def test_pyarrow_reads_typed_columns_and_the_source_hashes(built) -> None:
    table = pq.read_table(built.path)
    assert table.column_names[:31] == list(vocabulary.COLUMN_NAMES)
    assert table.column_names[31:35] == ["source_id", "evidence", "evidence_offsets", "background"]
    assert str(table.schema.field("event_date").type) == "date32[day]"
    assert str(table.schema.field("background").type) == "bool"
    metadata = table.schema.metadata
    digest = hashlib.sha256((packaged_sources_dir() / f"{SOURCE_ID}.txt").read_bytes()).hexdigest()
    assert f'"sha256":"{digest}"'.encode() in metadata[b"sahel_events.sources"]


def test_pandas_duckdb_and_geopandas_read_the_same_values(built) -> None:
    duckdb = pytest.importorskip("duckdb")
    geopandas = pytest.importorskip("geopandas")
    path = str(built.path)
    frame = built.frame
    by_pandas = pd.read_parquet(path)
    assert list(by_pandas["event_id_cnty"]) == list(frame["event_id_cnty"])
    assert list(by_pandas["fatalities"]) == list(frame["fatalities"])

    rows = duckdb.sql(
        f"SELECT event_id_cnty, event_date, latitude, longitude, background, interaction "
        f"FROM read_parquet('{path}') "
    ).fetchall()
    assert [row[0] for row in rows] == list(frame["event_id_cnty"])
    assert [row[1] for row in rows] == [value.date() for value in frame["event_date"]]
    assert [row[2] for row in rows] == list(frame["latitude"])
    assert [row[4] for row in rows] == list(frame["background"])
    assert [row[5] for row in rows] == [str(value) for value in frame["interaction"]]

    types = dict(
        duckdb.sql(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))"
        ).fetchall()
    )
    assert types["event_date"] == "DATE"
    assert (types["year"], types["iso"], types["fatalities"]) == ("SMALLINT", "SMALLINT", "INTEGER")
    assert (types["latitude"], types["background"]) == ("DOUBLE", "BOOLEAN")
    assert str(by_pandas["interaction"].dtype) == "category"
    assert by_pandas["background"].dtype == bool
    assert list(by_pandas["year"]) == list(frame["year"])

    geo = geopandas.read_parquet(path)
    assert geo.crs.to_string() == "OGC:CRS84"  # GeoParquet's default: lon-lat on WGS 84
    assert list(geo.geometry.x.round(4)) == list(frame["longitude"])
    assert list(geo.geometry.y.round(4)) == list(frame["latitude"])


# --- the first dataset ---------------------------------------------------------------------------


def test_dataset_has_every_coded_event_with_right_dtypes(built) -> None:
    frame = built.frame
    assert list(frame.columns[:31]) == list(vocabulary.COLUMN_NAMES)
    for name, dtype in vocabulary.pandas_dtypes().items():
        assert str(frame[name].dtype) == dtype, name
    assert frame["event_id_cnty"].is_unique
    assert frame["event_date"].is_monotonic_increasing
    assert (frame["source_id"] == SOURCE_ID).all()
    assert (frame["source"] == "AFP").all()
    assert (frame["source_scale"] == "International").all()


def test_events_in_france_are_coded_to_paris_in_europe(built) -> None:
    row = row_of(built.frame, "france-suspends-counterterrorism-cooperation")
    assert row["event_id_cnty"].startswith("FRA")
    assert (row["country"], row["region"], row["iso"]) == ("France", "Europe", 250)
    assert row["location"] == "Paris" and row["geo_precision"] == 1
    assert row["event_date"] == pd.Timestamp("2025-09-19") and row["time_precision"] == 1
    # France's government at home is a state force; Mali's, in France, is external.
    assert (row["inter1"], row["inter2"]) == ("State forces", "External/Other forces")
    assert row["interaction"] == "State forces-External/Other forces"
    assert row["background"] == False  # noqa: E712 - a numpy bool


def test_france_acting_in_mali_is_an_external_force(built) -> None:
    row = row_of(built.frame, "five-french-embassy-staff-leave-mali")
    assert row["event_id_cnty"].startswith("MLI")
    assert (row["country"], row["region"], row["iso"]) == ("Mali", "Western Africa", 466)
    assert row["inter1"] == "External/Other forces"
    assert row["interaction"] == "External/Other forces only"
    assert row["event_date"] == pd.Timestamp("2025-09-14")


def test_arrests_and_the_foiled_coup(built) -> None:
    detention = row_of(built.frame, "french-embassy-employee-detained-in-bamako")
    assert detention["sub_event_type"] == "Arrests"
    assert detention["event_date"] == pd.Timestamp("2025-08-13")
    assert detention["interaction"] == "State forces-External/Other forces"
    officers = row_of(built.frame, "dozens-of-officers-arrested-over-coup-plot")
    assert officers["interaction"] == "State forces-State forces"
    assert (officers["time_precision"], officers["geo_precision"]) == (2, 2)
    announcement = row_of(built.frame, "junta-announces-foiled-coup-plot")
    assert announcement["event_date"] == pd.Timestamp("2025-08-14")
    assert announcement["interaction"] == "State forces only"


def test_background_events_keep_their_own_dates(built) -> None:
    expected = {
        "coup-of-august-2020": ("2020-08-18", 1, "Other"),
        "wagner-group-arrives-in-mali": ("2021-12-31", 3, "Change to group/activity"),
        "end-of-barkhane-and-takuba-announced": ("2022-02-17", 1, "Change to group/activity"),
        "africa-corps-replaces-wagner-group": ("2025-06-06", 1, "Change to group/activity"),
    }
    for key, (date, precision, sub_event_type) in expected.items():
        row = row_of(built.frame, key)
        assert row["background"] == True, key  # noqa: E712
        assert row["event_date"] == pd.Timestamp(date), key
        assert row["time_precision"] == precision, key
        assert row["sub_event_type"] == sub_event_type, key
    coup = row_of(built.frame, "coup-of-august-2020")
    assert coup["notes"].startswith("Coup/military takeover:")
    assert coup["interaction"] == "State forces-State forces"
    wagner = row_of(built.frame, "wagner-group-arrives-in-mali")
    assert wagner["inter1"] == "External/Other forces"


def test_the_border_areas_are_the_tri_border_area_at_precision_3(built) -> None:
    row = row_of(built.frame, "armed-groups-hold-border-areas-with-niger-and-burkina-faso")
    assert row["background"] == True  # noqa: E712
    assert row["geo_precision"] == 3
    assert row["country"] == "Mali"
    assert "tri-border" in row["location"].lower()
    # Liptako-Gourma, where Mali, Niger and Burkina Faso meet.
    assert 13.5 < row["latitude"] < 16.5 and -2.0 < row["longitude"] < 3.0
    assert row["inter1"] == "Rebel group" or row["inter1"] == "Political militia"


# --- partitions ------------------------------------------------------------------------------


def test_the_built_events_partition_inside_their_folder(tmp_path: Path, built) -> None:
    import pyarrow.dataset as ds

    from sahel_events.write import write_dataset

    root = write_dataset(built.frame, tmp_path / "events", partition_by=("country", "year"))
    folders = sorted(str(path.relative_to(root)) for path in root.glob("*/*") if path.is_dir())
    assert folders == [
        "country=France/year=2022",
        "country=France/year=2025",
        "country=Mali/year=2020",
        "country=Mali/year=2021",
        "country=Mali/year=2025",
    ]
    table = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    assert sorted(table.column("event_id_cnty").to_pylist()) == sorted(built.frame["event_id_cnty"])


def test_a_hostile_partition_value_is_refused_and_nothing_is_written(tmp_path: Path, built) -> None:
    from sahel_events.exc import UnsafePathError
    from sahel_events.write import write_dataset

    frame = built.frame.copy()
    frame["source_id"] = "../../escaped"
    root = tmp_path / "inner" / "events"
    with pytest.raises(UnsafePathError):
        write_dataset(frame, root, partition_by=("source_id",))
    assert not (tmp_path / "escaped").exists()
    assert not root.exists() or not any(root.iterdir())


def test_a_schema_failure_names_the_sheet_event_and_column(built) -> None:
    from sahel_events.coding.build import _Problems, _validate

    frame = built.frame.copy()
    frame["latitude"] = frame["latitude"].astype("float64")
    frame.loc[3, "latitude"] = 123.0
    rows = [{"sheet": "sheets/x.yaml", "key": f"event-{index}"} for index in range(len(frame))]
    problems = _Problems()
    _validate(frame, rows, problems)
    assert problems.errors
    messages = [str(error) for error in problems.errors]
    assert any(
        "sheets/x.yaml" in message and "event 'event-3'" in message and "latitude" in message
        for message in messages
    ), messages


def test_build_reports_progress_once_per_sheet(tmp_path) -> None:
    from sahel_events.coding.build import build

    calls: list[int] = []
    build(out_dir=tmp_path / "out", progress=calls.append)
    assert calls == [1]  # the package ships one coding sheet
