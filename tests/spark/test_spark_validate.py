"""Spark gives the report the in-process validator gives, on files and datasets."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.testing import break_rows, synthetic_events
from sahel_events.validation import validate as validate_in_process
from sahel_events.write import write_dataset, write_events

spark_validation = pytest.importorskip("sahel_events.spark")


def broken_events(n: int = 1200, seed: int = 40) -> pd.DataFrame:
    """Rows broken in every way break_rows knows, plus blank and repeated ids."""
    frame = break_rows(synthetic_events(n, seed=seed), 0.06, seed=seed + 1)
    ids = frame["event_id_cnty"].copy()
    ids.iloc[[7, n // 2 + 50, n - 100]] = ids.iloc[3]  # one id four times, far apart
    ids.iloc[n - 300] = ids.iloc[20]
    ids.iloc[30] = "   "  # whitespace only: a missing id, which never repeats
    ids.iloc[31] = "   "
    frame["event_id_cnty"] = ids
    return frame


def same_report(spark_report: Any, local_report: Any) -> None:
    pd.testing.assert_frame_equal(spark_report.entries, local_report.entries)
    pd.testing.assert_frame_equal(spark_report.counts, local_report.counts)
    assert spark_report.n_rows == local_report.n_rows
    assert spark_report.source_format == local_report.source_format
    assert spark_report.missing_columns == local_report.missing_columns
    assert spark_report.derived_columns == local_report.derived_columns
    assert spark_report.valid == local_report.valid
    assert spark_report.summary() == local_report.summary()


@pytest.fixture(scope="module")
def one_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Parquet file of many row groups, so that Spark splits it into partitions.

    Its fatalities column is text, as some writers store it: the reader's own
    findings (not_an_integer) must come through Spark too.
    """
    path = tmp_path_factory.mktemp("spark-file") / "events.parquet"
    write_events(broken_events(), path)
    table = pq.read_table(path)
    fatalities = table.column("fatalities").cast(pa.string()).to_pylist()
    fatalities[15] = "about 12"
    fatalities[1000] = "n/a"
    index = table.schema.get_field_index("fatalities")
    table = table.set_column(index, "fatalities", pa.array(fatalities, pa.string()))
    pq.write_table(table, path, row_group_size=100)
    return path


def test_a_file_split_over_partitions_gives_the_in_process_report(
    spark: Any, one_file: Path
) -> None:
    from sahel_events.spark.read import read_raw

    previous = spark.conf.get("spark.sql.files.maxPartitionBytes")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "16k")
    try:
        assert read_raw(one_file, spark).rdd.getNumPartitions() > 2
        report = spark_validation.validate(one_file, spark=spark, chunk_rows=150)
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", previous)
    local = validate_in_process(one_file)
    same_report(report, local)
    checks = set(report.entries["check"])
    assert {"unique_event_id", "not_an_integer", "missing_value", "is_latitude"} <= checks
    repeated = report.entries[report.entries["check"] == "unique_event_id"]
    assert repeated["row"].tolist() == [8, 651, 901, 1101]


def test_max_errors_caps_the_entries_but_not_the_counts(spark: Any, one_file: Path) -> None:
    full = spark_validation.validate(one_file, spark=spark)
    capped = spark_validation.validate(one_file, spark=spark, max_errors=10)
    assert len(capped.entries) == 10
    assert capped.truncated and not full.truncated
    pd.testing.assert_frame_equal(capped.counts, full.counts)
    # The first failures in row order come back, nothing else is collected; repeated
    # ids, found last (as in process), get what room is left: none here.
    first = full.entries[full.entries["check"] != "unique_event_id"].head(10)
    pd.testing.assert_frame_equal(capped.entries, first.reset_index(drop=True))
    roomy = spark_validation.validate(one_file, spark=spark, max_errors=len(full.entries) - 1)
    assert roomy.truncated and roomy.entries["check"].tolist().count("unique_event_id") == 3


def test_a_valid_file_is_valid(spark: Any, tmp_path: Path) -> None:
    path = write_events(synthetic_events(300, seed=5), tmp_path / "clean.parquet")
    report = spark_validation.validate(path, spark=spark)
    assert report.valid and report.entries.empty and report.n_rows == 300
    same_report(report, validate_in_process(path))


@pytest.fixture(scope="module")
def future_dated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Valid events, a few dated after 2024-06-01, two after their own upload timestamp.

    Small row groups, so that the dated rows land in different partitions.
    """
    frame = synthetic_events(400, seed=17).sort_values("event_date", ignore_index=True)
    frame.loc[[10, 250], "event_date"] = pd.Timestamp("2024-07-15")  # after today only
    frame.loc[[10, 250], "timestamp"] = int(pd.Timestamp("2024-08-01").timestamp())
    frame.loc[[120, 390], "event_date"] = pd.Timestamp("2024-09-30")  # after both
    frame.loc[[120, 390], "timestamp"] = int(pd.Timestamp("2024-09-01").timestamp())
    frame.loc[[10, 120, 250, 390], "year"] = 2024
    path = tmp_path_factory.mktemp("spark-today") / "events.parquet"
    write_events(frame, path)
    pq.write_table(pq.read_table(path), path, row_group_size=50)
    return path


def future_rows(report: Any, check: str) -> list[int]:
    found = report.warnings[report.warnings["check"] == check]
    return [int(row) for row in found["row"]]


def test_today_judges_every_partition_as_in_process(spark: Any, future_dated: Path) -> None:
    previous = spark.conf.get("spark.sql.files.maxPartitionBytes")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "16k")
    try:
        report = spark_validation.validate(future_dated, spark=spark, today="2024-06-01")
        later = spark_validation.validate(future_dated, spark=spark, today=dt.date(2025, 1, 1))
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", previous)
    same_report(report, validate_in_process(future_dated, today="2024-06-01"))
    same_report(later, validate_in_process(future_dated, today="2025-01-01"))
    # Every row after 2024-06-01, whichever partition holds it; none after 2025-01-01.
    dated = pd.to_datetime(pd.read_parquet(future_dated)["event_date"])
    expected = [int(i) + 1 for i in dated.index[dated > pd.Timestamp("2024-06-02")]]
    assert len(expected) >= 4 and {11, 121, 251, 391} <= set(expected)
    assert future_rows(report, "event_date_not_in_future") == expected
    assert future_rows(later, "event_date_not_in_future") == []
    # The timestamp rule does not read today: the same two rows either way.
    assert future_rows(report, "event_date_not_after_timestamp") == [121, 391]
    assert future_rows(later, "event_date_not_after_timestamp") == [121, 391]
    strict = spark_validation.validate(future_dated, spark=spark, today="2024-06-01", strict=True)
    assert report.valid and not strict.valid


def test_today_must_be_a_date_on_spark_too(spark: Any, future_dated: Path) -> None:
    with pytest.raises(UsageError, match="today must be a date"):
        spark_validation.validate(future_dated, spark=spark, today="next week")


def dataset_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.parquet"))


def in_process_reference(root: Path, scratch: Path) -> pd.DataFrame:
    """Each file of the dataset validated in process, with its partition columns back.

    Spark adds the partition columns after the file's own (as text, from the folder
    names); so does this, so that both see the same table.
    """
    parts = []
    for number, file in enumerate(dataset_files(root)):
        table = pq.read_table(file)
        for segment in file.relative_to(root).parent.parts:
            name, value = segment.split("=", 1)
            table = table.append_column(name, pa.array([value] * table.num_rows, pa.string()))
        whole = scratch / f"{number}.parquet"
        pq.write_table(table, whole)
        entries = validate_in_process(whole).entries
        entries.insert(0, "file", file.relative_to(root).as_posix())
        parts.append(entries[entries["check"] != "unique_event_id"])
    return pd.concat(parts, ignore_index=True)


def test_a_dataset_gives_each_files_in_process_entries_and_finds_ids_repeated_across_files(
    spark: Any, tmp_path: Path
) -> None:
    events = broken_events(1500, seed=60)
    # The same id in Mali, Niger and Burkina Faso, and in two years of Mali.
    mali = events.index[events["country"] == "Mali"]
    niger = events.index[events["country"] == "Niger"]
    burkina = events.index[events["country"] == "Burkina Faso"]
    shared = events.loc[mali[0], "event_id_cnty"]
    events.loc[[niger[5], burkina[9]], "event_id_cnty"] = shared
    root = write_dataset(events, tmp_path / "events")
    assert len(dataset_files(root)) > 6

    report = spark_validation.validate(root, spark=spark)
    expected = in_process_reference(root, tmp_path)
    found = report.entries
    assert list(found.columns) == ["file", *expected.columns[1:]]
    rows = found[found["check"] != "unique_event_id"].reset_index(drop=True)
    pd.testing.assert_frame_equal(rows, expected)

    # Every repeated id, wherever its first row is: by (file, row), all but the first.
    ids = []
    for file in dataset_files(root):
        values = pq.read_table(file, columns=["event_id_cnty"]).column(0).to_pylist()
        relative = file.relative_to(root).as_posix()
        ids += [(relative, row, value) for row, value in enumerate(values, start=1)]
    table = pd.DataFrame(ids, columns=["file", "row", "id"])
    table = table[table["id"].str.strip().astype(bool)].sort_values(["file", "row"])
    repeated = table[table["id"].duplicated(keep="first")]
    duplicates = found[found["check"] == "unique_event_id"]
    assert sorted(
        zip(duplicates["file"], duplicates["row"], duplicates["value"], strict=True)
    ) == sorted(zip(repeated["file"], repeated["row"], repeated["id"], strict=True))
    assert shared in set(duplicates["value"])
    across = duplicates[duplicates["value"] == shared].iloc[0]
    assert " of country=" in across["message"]  # the first row is in another file
    assert report.n_rows == len(events)
    counted = report.counts.set_index("check")["count"]
    assert counted["unique_event_id"] == len(repeated)
    assert report.n_errors == len(found[found["severity"] == "error"])


def test_a_spark_dataframe_not_read_from_files_reports_rows_by_position(
    spark: Any, tmp_path: Path
) -> None:
    path = write_events(broken_events(400, seed=70), tmp_path / "events.parquet")
    table = pq.read_table(path)
    plain = pa.table(
        {
            name: column.cast(column.type.value_type)
            if pa.types.is_dictionary(column.type)
            else column
            for name, column in zip(table.column_names, table.columns, strict=True)
        }
    )
    frame = spark.createDataFrame(plain)
    assert frame.rdd.getNumPartitions() > 1
    report = spark_validation.validate(frame, spark=spark)
    assert report.source == "<DataFrame>"
    local = validate_in_process(path)  # record numbers are positions
    pd.testing.assert_frame_equal(report.entries, local.entries)
    pd.testing.assert_frame_equal(report.counts, local.counts)


# --- files Spark cannot read ---------------------------------------------------------


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    return write_dataset(synthetic_events(600, seed=80), tmp_path / "events")


def test_a_truncated_partition_file_is_one_clear_error_naming_it(spark: Any, dataset: Path) -> None:
    victim = dataset_files(dataset)[2]
    victim.write_bytes(victim.read_bytes()[:-300])
    with pytest.raises(UnreadableFileError) as caught:
        spark_validation.validate(dataset, spark=spark)
    text = str(caught.value)
    assert victim.relative_to(dataset).as_posix() in text
    assert "\tat " not in text and "org.apache.spark" not in text.split(": ", 1)[0]
    assert len(text.splitlines()) == 1


def test_text_that_is_not_utf8_names_file_row_and_column_as_in_process(
    spark: Any, dataset: Path
) -> None:
    victim = dataset_files(dataset)[1]
    table = pq.read_table(victim)
    notes = table.column("notes").combine_chunks()
    values = [text.encode() for text in notes.to_pylist()]
    values[3] = b"caf\xe9 attack"  # cp1252, not UTF-8
    offsets = np.cumsum([0, *map(len, values)]).astype(np.int32)
    broken = pa.Array.from_buffers(
        pa.string(), len(values), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(values))]
    )
    table = table.set_column(table.schema.get_field_index("notes"), "notes", broken)
    pq.write_table(table, victim)
    with pytest.raises(UnreadableFileError) as on_spark:
        spark_validation.validate(dataset, spark=spark)
    with pytest.raises(UnreadableFileError) as in_process:
        validate_in_process(victim)
    assert on_spark.value.row == in_process.value.row == 4
    assert on_spark.value.column == in_process.value.column == "notes"
    assert on_spark.value.message == in_process.value.message
    assert on_spark.value.path is not None and on_spark.value.path.endswith(
        victim.relative_to(dataset).as_posix()
    )


def test_a_missing_path_is_unreadable(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        spark_validation.validate(tmp_path / "nowhere", spark=spark)
    assert "nowhere" in str(caught.value)


def test_a_csv_file_is_refused_with_the_way_out(spark: Any, tmp_path: Path) -> None:
    from sahel_events.exc import UsageError

    path = tmp_path / "events.csv"
    synthetic_events(10).to_csv(path, index=False)
    with pytest.raises(UsageError, match="validate this file in process"):
        spark_validation.validate(path, spark=spark)


def test_nothing_is_left_behind_or_changed(spark: Any, dataset: Path) -> None:
    before = {file: file.read_bytes() for file in dataset_files(dataset)}
    spark_validation.validate(dataset, spark=spark)
    assert {file: file.read_bytes() for file in dataset_files(dataset)} == before
    assert sorted(path.name for path in dataset.rglob("*") if path.is_file()) == sorted(
        file.name for file in before
    )
    shutil.rmtree(dataset)
