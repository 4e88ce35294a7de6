"""Spark reads every file write_dataset and write_events write, with canonical types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from sahel_events.exc import UnreadableFileError
from sahel_events.testing import synthetic_events
from sahel_events.write import write_dataset, write_events

sahel_spark = pytest.importorskip("sahel_events.spark")


def awkward_events() -> pd.DataFrame:
    """Events whose partition values need escaping, are missing, or are not Latin."""
    events = synthetic_events(240, seed=100)
    events["admin1"] = events["admin1"].astype("object")
    events.loc[events.index[:40], "admin1"] = "Tombouctou: Gourma-Rharous"  # ':' -> %3A
    events.loc[events.index[40:80], "admin1"] = "تمبكتو"  # Arabic script stays as is
    events.loc[events.index[80:100], "admin1"] = None  # __HIVE_DEFAULT_PARTITION__
    events.loc[events.index[100:120], "admin1"] = "Ségou 'Nord'"  # quotes -> %27
    events.loc[events.index[120:140], "admin1"] = "007"  # text, not the number 7
    events["admin1"] = events["admin1"].astype("str")
    events.loc[events.index[5], ["latitude", "longitude"]] = None  # no point: null WKB
    events.loc[events.index[6], "notes"] = None
    return events


def test_every_partition_value_and_type_comes_back(spark: Any, tmp_path: Path) -> None:
    from pyspark.sql import types as T

    root = write_dataset(awkward_events(), tmp_path / "events", partition_by=("country", "admin1"))
    frame = sahel_spark.read_dataset(root, spark=spark)
    types = dict(frame.dtypes)
    assert types["event_date"] == "date"
    assert (types["year"], types["iso"]) == ("smallint", "smallint")
    assert (types["time_precision"], types["geo_precision"]) == ("tinyint", "tinyint")
    assert (types["fatalities"], types["timestamp"]) == ("int", "bigint")
    assert types["event_type"] == types["country"] == types["admin1"] == "string"
    assert types["geometry"] == "binary"
    assert frame.columns[:3] == ["event_id_cnty", "event_date", "year"]
    assert frame.columns[-1] == "geometry"
    assert isinstance(frame.schema["latitude"].dataType, T.DoubleType)

    expected = (
        ds.dataset(root, format="parquet", partitioning="hive")
        .to_table()
        .to_pandas()
        .sort_values("event_id_cnty")
        .reset_index(drop=True)
    )
    found = frame.toArrow().to_pandas().sort_values("event_id_cnty").reset_index(drop=True)
    assert len(found) == len(expected) == 240
    for name in ("event_id_cnty", "notes", "actor1", "latitude", "fatalities"):
        assert found[name].astype(object).equals(expected[name].astype(object)), name
    admin1 = found["admin1"].tolist()
    assert admin1.count("Tombouctou: Gourma-Rharous") == 40
    assert admin1.count("تمبكتو") == 40
    assert admin1.count("Ségou 'Nord'") == 20
    assert admin1.count("007") == 20
    assert int(found["admin1"].isna().sum()) == 20  # __HIVE_DEFAULT_PARTITION__
    assert found["geometry"].tolist() == expected["geometry"].tolist()
    assert found["geometry"].isna().sum() == 1


def test_the_files_carry_geoparquet_metadata_spark_reads_past(spark: Any, tmp_path: Path) -> None:
    path = write_events(synthetic_events(50, seed=101), tmp_path / "events.parquet")
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    frame = sahel_spark.read_dataset(path, spark=spark)
    assert frame.count() == 50
    wkb = frame.select("geometry").first()[0]
    assert bytes(wkb)[:1] == b"\x01" and len(bytes(wkb)) == 21  # little-endian WKB point


def test_the_packaged_coded_dataset_reads_with_its_provenance(spark: Any) -> None:
    from sahel_events.datasets import dataset_path

    path = dataset_path("france_mali_2025")
    frame = sahel_spark.read_dataset(path, spark=spark)
    types = dict(frame.dtypes)
    assert types["background"] == "boolean" and types["source_id"] == "string"
    assert frame.count() == pq.read_metadata(path).num_rows
    report = sahel_spark.validate(path, spark=spark)
    from sahel_events.validation import validate

    local = validate(path)
    pd.testing.assert_frame_equal(report.entries, local.entries)
    assert report.source_format == local.source_format


def test_a_missing_dataset_is_unreadable(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="Spark cannot read"):
        sahel_spark.read_dataset(tmp_path / "absent", spark=spark)


def test_parquet_written_by_spark_with_v2_pages_validates_like_its_source(
    spark: Any, tmp_path: Path
) -> None:
    """Spark with ``parquet.writer.version=v2`` (parquet-mr) stores text of many
    distinct values (ids, notes) as DELTA_BYTE_ARRAY, which Arrow cannot read as a
    dictionary: such a file was refused as corrupt."""
    from sahel_events.validation import validate

    events = synthetic_events(3_000, seed=8)
    events["notes"] = [f"Note {number}: clashes near Gao." for number in range(len(events))]
    source = write_events(events, tmp_path / "events.parquet")
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()
    hadoop.set("parquet.writer.version", "v2")
    try:
        spark.read.parquet(str(source)).coalesce(1).write.parquet(str(tmp_path / "v2"))
    finally:
        hadoop.unset("parquet.writer.version")
    (part,) = sorted((tmp_path / "v2").glob("part-*.parquet"))
    row_group = pq.ParquetFile(part).metadata.row_group(0)
    encodings = {
        row_group.column(index).path_in_schema: row_group.column(index).encodings
        for index in range(row_group.num_columns)
    }
    assert "DELTA_BYTE_ARRAY" in encodings["notes"]
    today = "2030-01-01"
    expected, found = validate(source, today=today), validate(part, today=today)
    assert found.n_rows == expected.n_rows == len(events)
    assert (found.n_errors, found.n_warnings) == (expected.n_errors, expected.n_warnings)
