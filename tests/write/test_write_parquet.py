"""One GeoParquet file: Arrow types, Parquet encodings, metadata, readers, determinism."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import geopandas
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import sahel_events
from sahel_events import vocabulary
from sahel_events.exc import UsageError
from sahel_events.schema.arrow import (
    ARROW_TYPES,
    PROVENANCE_COLUMNS,
    event_schema,
    to_arrow_table,
    to_dataframe,
)
from sahel_events.testing import synthetic_events
from sahel_events.write import sources_metadata, write_events

SHA_A = "a" * 64
SHA_B = "0123456789abcdef" * 4


def coded_events(n: int = 40, seed: int = 0) -> pd.DataFrame:
    """Synthetic events with the provenance columns a coded dataset carries."""
    frame = synthetic_events(n, seed=seed)
    frame["source_id"] = pd.Series(
        np.where(np.arange(n) % 3 == 0, "src-b", "src-a"), index=frame.index, dtype="str"
    )
    frame["evidence"] = pd.Series("first quote\nsecond quote", index=frame.index, dtype="str")
    frame["evidence_offsets"] = pd.Series("812-861;1020-1100", index=frame.index, dtype="str")
    frame["background"] = np.arange(n) % 4 == 0
    return frame


@pytest.fixture
def events() -> pd.DataFrame:
    frame = coded_events()
    # A missing point and an extra column, to cover both paths.
    frame.loc[frame.index[5], ["latitude", "longitude"]] = np.nan
    frame["population_best"] = pd.Series(np.arange(len(frame)) * 10, index=frame.index)
    return frame


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- Arrow schema -------------------------------------------------------------------


EXPECTED_TYPES = {
    "event_id_cnty": pa.string(),
    "event_date": pa.date32(),
    "year": pa.int16(),
    "time_precision": pa.int8(),
    "disorder_type": pa.dictionary(pa.int8(), pa.string()),
    "event_type": pa.dictionary(pa.int8(), pa.string()),
    "sub_event_type": pa.dictionary(pa.int8(), pa.string()),
    "actor1": pa.string(),
    "assoc_actor_1": pa.string(),
    "inter1": pa.dictionary(pa.int8(), pa.string()),
    "actor2": pa.string(),
    "assoc_actor_2": pa.string(),
    "inter2": pa.dictionary(pa.int8(), pa.string()),
    "interaction": pa.dictionary(pa.int8(), pa.string()),
    "civilian_targeting": pa.dictionary(pa.int8(), pa.string()),
    "iso": pa.int16(),
    "region": pa.dictionary(pa.int8(), pa.string()),
    "country": pa.dictionary(pa.int8(), pa.string()),
    "admin1": pa.string(),
    "admin2": pa.string(),
    "admin3": pa.string(),
    "location": pa.string(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "geo_precision": pa.int8(),
    "source": pa.string(),
    "source_scale": pa.dictionary(pa.int8(), pa.string()),
    "notes": pa.string(),
    "fatalities": pa.int32(),
    "tags": pa.string(),
    "timestamp": pa.int64(),
    "source_id": pa.dictionary(pa.int32(), pa.string()),
    "evidence": pa.string(),
    "evidence_offsets": pa.string(),
    "background": pa.bool_(),
    "population_best": pa.int64(),
    "geometry": pa.binary(),
}


def test_every_column_has_its_arrow_type_in_order(events: pd.DataFrame) -> None:
    table = to_arrow_table(events)
    assert table.column_names == list(EXPECTED_TYPES)
    assert {field.name: field.type for field in table.schema} == EXPECTED_TYPES
    assert table.num_rows == len(events)


def test_fields_carry_the_vocabulary_descriptions(events: pd.DataFrame) -> None:
    schema = to_arrow_table(events).schema
    for column in vocabulary.COLUMNS:
        assert schema.field(column.name).metadata == {b"description": column.description.encode()}
    assert b"description" in schema.field("evidence_offsets").metadata
    assert schema.field("population_best").metadata is None


def test_event_schema_matches_what_a_table_gets(events: pd.DataFrame) -> None:
    declared = event_schema(provenance=True)
    table = to_arrow_table(events.drop(columns=["population_best"]))
    assert declared.equals(table.schema, check_metadata=True)
    assert event_schema().names == [*vocabulary.COLUMN_NAMES, "geometry"]
    assert set(ARROW_TYPES) >= set(vocabulary.COLUMN_NAMES) | set(PROVENANCE_COLUMNS)


def test_dictionaries_are_sorted_whatever_the_row_order(events: pd.DataFrame) -> None:
    table = to_arrow_table(events.iloc[::-1])
    for name in (*vocabulary.CATEGORICAL_COLUMNS, "source_id"):
        dictionary = table.column(name).chunk(0).dictionary.to_pylist()
        assert dictionary == sorted(dictionary), name
        observed = set(events[name].dropna().astype(str))
        assert set(dictionary) == observed, name


def test_geometry_is_a_wkb_point_of_longitude_latitude(events: pd.DataFrame) -> None:
    import shapely

    table = to_arrow_table(events)
    points = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    present = ~events["latitude"].isna().to_numpy()
    assert shapely.is_missing(points).tolist() == (~present).tolist()
    np.testing.assert_array_equal(shapely.get_x(points[present]), events["longitude"][present])
    np.testing.assert_array_equal(shapely.get_y(points[present]), events["latitude"][present])


def test_a_vocabulary_with_more_than_127_values_gets_a_wider_index() -> None:
    frame = synthetic_events(200)
    frame["source_scale"] = pd.Series(
        [f"scale {i:03d}" for i in range(200)], index=frame.index, dtype="category"
    )
    table = to_arrow_table(frame)
    assert table.schema.field("source_scale").type == pa.dictionary(pa.int16(), pa.string())
    assert table.column("source_scale").to_pylist() == frame["source_scale"].tolist()


def test_round_trip_to_dataframe_restores_the_canonical_dtypes(events: pd.DataFrame) -> None:
    back = to_dataframe(to_arrow_table(events))
    expected = events.reset_index(drop=True)
    assert list(back.columns) == list(expected.columns)
    for name, dtype in vocabulary.pandas_dtypes().items():
        assert str(back[name].dtype) == dtype, name
    assert back["background"].dtype == bool
    pd.testing.assert_frame_equal(back, expected, check_categorical=False)


def test_to_dataframe_can_keep_the_geometry(events: pd.DataFrame) -> None:
    import shapely

    table = to_arrow_table(events)
    wkb = to_dataframe(table, geometry="wkb")["geometry"]
    assert isinstance(wkb.iloc[0], bytes)
    points = to_dataframe(table, geometry="shapely")["geometry"]
    assert shapely.get_x(points.iloc[0]) == events["longitude"].iloc[0]
    with pytest.raises(UsageError, match="geometry must be"):
        to_dataframe(table, geometry="geojson")  # type: ignore[arg-type]


def test_a_frame_missing_current_columns_is_refused(events: pd.DataFrame) -> None:
    with pytest.raises(UsageError, match="lacks 2 of ACLED's current columns: year, notes"):
        to_arrow_table(events.drop(columns=["notes", "year"]))


def test_a_value_its_type_cannot_hold_is_refused_naming_the_column(events: pd.DataFrame) -> None:
    events["year"] = events["year"].astype("Int64")
    events.loc[events.index[0], "year"] = 70_000
    with pytest.raises(UsageError) as caught:
        to_arrow_table(events)
    assert caught.value.column == "year"
    assert caught.value.exit_code == 2


def test_a_date_with_a_time_of_day_is_refused_not_truncated(events: pd.DataFrame) -> None:
    events.loc[events.index[3], "event_date"] = pd.Timestamp("2024-05-01 13:45")
    with pytest.raises(UsageError, match="time of day") as caught:
        to_arrow_table(events)
    assert (caught.value.row, caught.value.column) == (3, "event_date")


def test_a_geometry_column_in_the_frame_is_refused(events: pd.DataFrame) -> None:
    events["geometry"] = b""
    with pytest.raises(UsageError, match="written from longitude and latitude"):
        to_arrow_table(events)


# --- The Parquet file -----------------------------------------------------------------


@pytest.fixture
def written(events: pd.DataFrame, tmp_path: Path) -> Path:
    metadata = {**sources_metadata({"src-b": SHA_B, "src-a": SHA_A}), "coder": "team-7"}
    return write_events(events, tmp_path / "events.parquet", metadata=metadata)


def test_vocabulary_columns_are_dictionary_encoded_in_parquet(written: Path) -> None:
    row_group = pq.ParquetFile(written).metadata.row_group(0)
    chunks = {row_group.column(i).path_in_schema: row_group.column(i) for i in range(37)}
    for name in (*vocabulary.CATEGORICAL_COLUMNS, "source_id"):
        chunk = chunks[name]
        assert chunk.has_dictionary_page, name
        assert "RLE_DICTIONARY" in chunk.encodings, name
        assert chunk.compression == "ZSTD"
    assert chunks["geometry"].physical_type == "BYTE_ARRAY"
    assert chunks["event_date"].physical_type == "INT32"


def test_key_value_metadata(written: Path) -> None:
    metadata = pq.read_metadata(written).metadata
    assert metadata[b"sahel_events.schema_version"] == b"1"
    assert metadata[b"sahel_events.version"] == sahel_events.__version__.encode()
    assert metadata[b"coder"] == b"team-7"
    sources = json.loads(metadata[b"sahel_events.sources"])
    assert sources == [{"id": "src-a", "sha256": SHA_A}, {"id": "src-b", "sha256": SHA_B}]
    assert b"pandas" not in metadata  # nothing that would carry a pandas index or version
    assert set(metadata) == {
        b"ARROW:schema",
        b"coder",
        b"geo",
        b"sahel_events.schema_version",
        b"sahel_events.sources",
        b"sahel_events.version",
    }


def test_geo_metadata_has_the_geoparquet_1_1_required_fields(
    written: Path, events: pd.DataFrame
) -> None:
    geo = json.loads(pq.read_metadata(written).metadata[b"geo"])
    assert geo["version"] == "1.1.0"
    assert geo["primary_column"] == "geometry"
    assert set(geo["columns"]) == {"geometry"}
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB"
    assert column["geometry_types"] == ["Point"]
    # No crs key: GeoParquet then means OGC:CRS84 (lon/lat on WGS 84).
    assert "crs" not in column
    assert column["bbox"] == [
        events["longitude"].min(),
        events["latitude"].min(),
        events["longitude"].max(),
        events["latitude"].max(),
    ]


def test_caller_metadata_cannot_override_ours(events: pd.DataFrame, tmp_path: Path) -> None:
    for key in ("geo", "sahel_events.version", "sahel_events.schema_version"):
        with pytest.raises(UsageError, match="written by sahel_events"):
            write_events(events, tmp_path / "x.parquet", metadata={key: "1"})
    with pytest.raises(UsageError, match="sha256") as caught:
        write_events(events, tmp_path / "x.parquet", metadata=sources_metadata({"s": "nothex"}))
    assert caught.value.field == "sahel_events.sources"
    assert not list(tmp_path.iterdir())


def test_pyarrow_reads_back_the_same_types_and_values(written: Path, events: pd.DataFrame) -> None:
    table = pq.read_table(written)
    assert {field.name: field.type for field in table.schema} == EXPECTED_TYPES
    pd.testing.assert_frame_equal(
        to_dataframe(table), events.reset_index(drop=True), check_categorical=False
    )


def test_pandas_reads_back_the_same_values(written: Path, events: pd.DataFrame) -> None:
    frame = pd.read_parquet(written)
    assert isinstance(frame["country"].dtype, pd.CategoricalDtype)
    assert frame["year"].dtype == np.int16
    assert frame["fatalities"].dtype == np.int32
    assert list(frame["event_id_cnty"]) == list(events["event_id_cnty"])
    assert list(pd.to_datetime(frame["event_date"])) == list(events["event_date"])
    assert list(frame["country"].astype(str)) == list(events["country"].astype(str))


def test_duckdb_reads_back_the_same_types_and_values(written: Path, events: pd.DataFrame) -> None:
    relation = duckdb.sql(
        f"select event_id_cnty, event_date, year, time_precision, iso, fatalities, country, "
        f"background, latitude, longitude from '{written}' order by event_id_cnty"
    )
    assert relation.types == [
        "VARCHAR",
        "DATE",
        "SMALLINT",
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "VARCHAR",
        "BOOLEAN",
        "DOUBLE",
        "DOUBLE",
    ]
    rows = relation.fetchall()
    expected = events.sort_values("event_id_cnty")
    assert [row[0] for row in rows] == list(expected["event_id_cnty"])
    assert [row[1] for row in rows] == list(expected["event_date"].dt.date)
    assert [row[5] for row in rows] == list(expected["fatalities"])
    assert [row[6] for row in rows] == list(expected["country"].astype(str))


def test_duckdb_reads_the_geometry_as_wkb_points(written: Path, events: pd.DataFrame) -> None:
    rows = duckdb.sql(
        f"select ST_AsText(ST_GeomFromWKB(geometry::BLOB)), longitude, latitude from '{written}'"
    ).fetchall()
    for text, longitude, latitude in rows:
        if longitude is None:
            assert text is None
        else:
            x, y = text.removeprefix("POINT (").removesuffix(")").split()
            assert (float(x), float(y)) == (longitude, latitude)


def test_duckdb_spatial_extension_reads_coordinates(written: Path) -> None:
    connection = duckdb.connect()
    try:
        connection.execute("LOAD spatial")
    except duckdb.Error:
        pytest.skip("the DuckDB spatial extension is not installed (it needs a download)")
    rows = connection.sql(
        f"select ST_X(geometry::GEOMETRY), longitude from '{written}' where latitude is not null"
    ).fetchall()
    assert all(x == longitude for x, longitude in rows)


def test_geopandas_reads_it_as_a_geodataframe(written: Path, events: pd.DataFrame) -> None:
    frame = geopandas.read_parquet(written)
    assert frame.geometry.name == "geometry"
    assert frame.crs.to_string() == "OGC:CRS84"
    present = frame["latitude"].notna()
    assert frame.geometry[~present].isna().all()
    np.testing.assert_array_equal(frame.geometry[present].x, frame["longitude"][present])
    np.testing.assert_array_equal(frame.geometry[present].y, frame["latitude"][present])
    assert list(frame["event_id_cnty"]) == list(events["event_id_cnty"])


# --- Determinism ------------------------------------------------------------------------


def test_the_same_frame_gives_byte_identical_files(events: pd.DataFrame, tmp_path: Path) -> None:
    first = write_events(events, tmp_path / "first.parquet")
    second = write_events(events.copy(), tmp_path / "second.parquet")
    assert sha256(first) == sha256(second)


def test_shuffled_then_sorted_rows_give_byte_identical_files(tmp_path: Path) -> None:
    frame = coded_events(300, seed=4)
    ordered = frame.sort_values("event_id_cnty")
    shuffled = frame.sample(frac=1, random_state=9).sort_values("event_id_cnty")
    # Same values, but categories discovered in another order.
    for name in vocabulary.CATEGORICAL_COLUMNS:
        shuffled[name] = shuffled[name].cat.reorder_categories(
            list(reversed(shuffled[name].cat.categories))
        )
    a = write_events(ordered, tmp_path / "a.parquet")
    b = write_events(shuffled, tmp_path / "b.parquet")
    assert sha256(a) == sha256(b)
    c = write_events(frame, tmp_path / "c.parquet")  # another row order is another file
    assert sha256(a) != sha256(c)


def test_an_empty_frame_writes_a_readable_file_without_bbox(tmp_path: Path) -> None:
    path = write_events(synthetic_events(0), tmp_path / "empty.parquet")
    table = pq.read_table(path)
    assert table.num_rows == 0
    assert table.schema.field("country").type == pa.dictionary(pa.int8(), pa.string())
    geo = json.loads(pq.read_metadata(path).metadata[b"geo"])
    assert "bbox" not in geo["columns"]["geometry"]


def test_the_geometry_name_is_the_same_in_both_modules() -> None:
    from sahel_events.schema import arrow as arrow_schema
    from sahel_events.write import _parquet

    assert _parquet._GEOMETRY == arrow_schema.GEOMETRY_COLUMN


def test_importing_the_writer_does_not_import_pyarrow() -> None:
    import subprocess
    import sys

    code = "import sys, sahel_events.write; print('pyarrow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
