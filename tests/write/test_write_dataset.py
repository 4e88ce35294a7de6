"""Hive-partitioned datasets: layout, readers, path safety, all-or-nothing replacement."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sahel_events.exc import OutputError, UnsafePathError, UsageError
from sahel_events.testing import synthetic_events
from sahel_events.write import _dataset as write_module
from sahel_events.write import (
    partition_segment,
    safe_child_path,
    sources_metadata,
    write_dataset,
)


@pytest.fixture
def events() -> pd.DataFrame:
    return synthetic_events(400, seed=5)


def tree(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_layout_is_country_then_year_with_one_part_each(
    events: pd.DataFrame, tmp_path: Path
) -> None:
    root = write_dataset(events, tmp_path / "events")
    expected = {
        f"country={country}/year={year}/part-0.parquet"
        for country, year in events.groupby(["country", "year"], observed=True).size().index
    }
    assert set(tree(root)) == expected
    assert "country=Burkina Faso/year=2019/part-0.parquet" in expected


def test_each_file_is_geoparquet_without_the_partition_columns(
    events: pd.DataFrame, tmp_path: Path
) -> None:
    metadata = sources_metadata({"s1": "b" * 64})
    root = write_dataset(events, tmp_path / "events", metadata=metadata)
    part = root / "country=Mali" / "year=2020" / "part-0.parquet"
    schema = pq.read_schema(part)
    assert "country" not in schema.names and "year" not in schema.names
    assert schema.field("event_date").type == pa.date32()
    kv = pq.read_metadata(part).metadata
    assert json.loads(kv[b"sahel_events.sources"]) == [{"id": "s1", "sha256": "b" * 64}]
    geo = json.loads(kv[b"geo"])
    mali_2020 = events[(events["country"] == "Mali") & (events["year"] == 2020)]
    assert geo["columns"]["geometry"]["bbox"] == [
        mali_2020["longitude"].min(),
        mali_2020["latitude"].min(),
        mali_2020["longitude"].max(),
        mali_2020["latitude"].max(),
    ]
    # Each file's dictionaries hold only its own values, sorted.
    table = pq.read_table(part)
    dictionary = table.column("location").to_pylist()
    assert set(dictionary) <= {"Bamako", "Gao", "Mopti", "Timbuktu", "Menaka", "Segou"}


def test_pyarrow_dataset_reads_back_every_row(events: pd.DataFrame, tmp_path: Path) -> None:
    root = write_dataset(events, tmp_path / "events")
    table = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    back = table.to_pandas().sort_values("event_id_cnty").reset_index(drop=True)
    expected = events.sort_values("event_id_cnty").reset_index(drop=True)
    assert list(back["event_id_cnty"]) == list(expected["event_id_cnty"])
    assert list(back["country"]) == list(expected["country"].astype(str))
    assert list(back["year"]) == list(expected["year"])
    assert list(back["fatalities"]) == list(expected["fatalities"])


def test_duckdb_reads_the_partitions_from_the_folder_names(
    events: pd.DataFrame, tmp_path: Path
) -> None:
    root = write_dataset(events, tmp_path / "events")
    rows = duckdb.sql(
        f"select country, year, count(*), sum(fatalities) "
        f"from read_parquet('{root}/**/*.parquet', hive_partitioning = true) "
        f"group by all order by all"
    ).fetchall()
    expected = (
        events.groupby(["country", "year"], observed=True)["fatalities"]
        .agg(["size", "sum"])
        .reset_index()
        .sort_values(["country", "year"])
    )
    assert rows == [
        (row.country, row.year, row.size, row.sum) for row in expected.itertuples(index=False)
    ]


def test_the_same_frame_gives_a_byte_identical_tree(events: pd.DataFrame, tmp_path: Path) -> None:
    first = tree(write_dataset(events, tmp_path / "a"))
    shuffled = events.sample(frac=1, random_state=2).sort_index()
    second = tree(write_dataset(shuffled, tmp_path / "b"))
    assert first == second


def test_other_partition_columns_and_missing_values(tmp_path: Path) -> None:
    frame = synthetic_events(60, seed=1)
    # ACLED's "Explosions/Remote violence" holds a '/', refused as a folder name.
    frame = frame[frame["event_type"] != "Explosions/Remote violence"]
    root = write_dataset(frame, tmp_path / "by-type", partition_by=["event_type"])
    assert {path.name for path in root.iterdir()} == {
        f"event_type={value}" for value in frame["event_type"].astype(str).unique()
    }
    root = write_dataset(frame, tmp_path / "by-target", partition_by=["civilian_targeting"])
    assert {path.name for path in root.iterdir()} == {
        "civilian_targeting=Civilian targeting",
        "civilian_targeting=__HIVE_DEFAULT_PARTITION__",
    }
    read = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    assert read.column("civilian_targeting").null_count == frame["civilian_targeting"].isna().sum()
    assert read.num_rows == len(frame)


def test_a_value_with_a_slash_is_refused_naming_the_column(
    events: pd.DataFrame, tmp_path: Path
) -> None:
    with pytest.raises(UnsafePathError) as caught:
        write_dataset(events, tmp_path / "events", partition_by=["event_type"])
    assert caught.value.column == "event_type"
    assert "'Explosions/Remote violence'" in str(caught.value)
    assert "path separator" in str(caught.value)
    assert caught.value.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("../x", "path separator"),
        ("a/b", "path separator"),
        ("a\\b", "path separator"),
        ("..", "'..'"),
        ("x..y", "'..'"),
        ("\x00", "NUL"),
        ("Ma\nli", "control character"),
        ("\x7f", "control character"),
        (".hidden", "starts with a dot"),
        ("", "empty"),
        ("é" * 200, "longer than 255 bytes"),
    ],
)
def test_unsafe_partition_values_are_refused_and_nothing_is_written(
    value: str, reason: str, events: pd.DataFrame, tmp_path: Path
) -> None:
    events["admin1"] = events["admin1"].astype("object")
    events.loc[events.index[7], "admin1"] = value
    with pytest.raises(UnsafePathError, match=reason) as caught:
        write_dataset(events, tmp_path / "events", partition_by=("country", "admin1"))
    assert caught.value.column == "admin1"
    assert repr(value) in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_reserved_characters_are_percent_encoded_and_decoded_by_readers(tmp_path: Path) -> None:
    frame = synthetic_events(6, seed=2)
    frame["admin1"] = ["Kidal: Nord", "100%", "a=b", "Fada N'gourma", "Ségou?", "plain text"]
    root = write_dataset(frame, tmp_path / "events", partition_by=["admin1"])
    assert {path.name for path in root.iterdir()} == {
        "admin1=Kidal%3A Nord",
        "admin1=100%25",
        "admin1=a%3Db",
        "admin1=Fada N%27gourma",
        "admin1=Ségou%3F",
        "admin1=plain text",
    }
    arrow = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    assert sorted(arrow.column("admin1").to_pylist()) == sorted(frame["admin1"])
    duck = duckdb.sql(
        f"select admin1 from read_parquet('{root}/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    assert sorted(row[0] for row in duck) == sorted(frame["admin1"])


def test_partition_segment_formats_values() -> None:
    assert partition_segment("year", 2025) == "year=2025"
    assert partition_segment("country", "Burkina Faso") == "country=Burkina Faso"
    assert partition_segment("country", None) == "country=__HIVE_DEFAULT_PARTITION__"
    with pytest.raises(UnsafePathError, match="NUL"):
        partition_segment("country", "Ma\x00li")


def test_bad_partition_columns_are_usage_errors(events: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such column"):
        write_dataset(events, tmp_path / "x", partition_by=["countryy"])
    with pytest.raises(UsageError, match="floating-point"):
        write_dataset(events, tmp_path / "x", partition_by=["latitude"])
    with pytest.raises(UsageError, match="distinct"):
        write_dataset(events, tmp_path / "x", partition_by=["year", "year"])
    with pytest.raises(UsageError, match="distinct"):
        write_dataset(events, tmp_path / "x", partition_by=[])
    assert list(tmp_path.iterdir()) == []


def test_replacing_a_dataset_swaps_the_whole_tree(events: pd.DataFrame, tmp_path: Path) -> None:
    root = write_dataset(events, tmp_path / "events")
    smaller = events[events["country"] == "Niger"]
    write_dataset(smaller, root)
    assert {path.name for path in root.iterdir()} == {"country=Niger"}
    assert ds.dataset(root, partitioning="hive").count_rows() == len(smaller)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events"]


def test_a_failure_midway_leaves_the_previous_dataset_whole(
    events: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dataset(events, tmp_path / "events")
    before = tree(root)
    original = pq.ParquetWriter.write_table
    calls = []

    def fail_on_third_file(self: pq.ParquetWriter, *args: object, **kw: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        original(self, *args, **kw)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", fail_on_third_file)
    with pytest.raises(OutputError, match="disk full") as caught:
        write_dataset(synthetic_events(300, seed=9), root)
    assert caught.value.path == str(root)
    assert tree(root) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events"]


def test_a_folder_that_is_not_a_dataset_is_not_replaced(
    events: pd.DataFrame, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work")
    with pytest.raises(OutputError, match=r"'thesis\.docx', which is not part of a partitioned"):
        write_dataset(events, home)
    assert (home / "thesis.docx").read_text() == "years of work"


def test_a_file_or_a_symlink_at_the_root_is_refused(events: pd.DataFrame, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="the path is a file"):
        write_dataset(events, tmp_path / "file")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputError, match="symbolic link"):
        write_dataset(events, tmp_path / "link")


def test_an_empty_frame_gives_an_empty_dataset_folder(tmp_path: Path) -> None:
    root = write_dataset(synthetic_events(0), tmp_path / "events")
    assert root.is_dir() and list(root.iterdir()) == []


# --- safe_child_path, also used by the build for source ids ---------------------------


def test_safe_child_path_joins_plain_names(tmp_path: Path) -> None:
    assert safe_child_path(tmp_path, "sources", "000_3b15.txt") == tmp_path / "sources/000_3b15.txt"
    assert safe_child_path(tmp_path, "نص عربي.txt") == tmp_path / "نص عربي.txt"


@pytest.mark.parametrize("part", ["..", "../etc", "a/b", "/abs", ".env", "", "x\x00", "c:\\x"])
def test_safe_child_path_refuses_escapes(part: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError) as caught:
        safe_child_path(tmp_path, "ok", part, column="source")
    assert caught.value.column == "source"
    assert caught.value.path == str(tmp_path)


def test_safe_child_path_refuses_a_symlink_that_leads_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "sneaky").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="resolves outside"):
        safe_child_path(root, "sneaky", "file.txt")


def test_dictionary_of_a_partition_file_is_compact(tmp_path: Path) -> None:
    frame = synthetic_events(300, seed=3)
    root = write_dataset(frame, tmp_path / "events", partition_by=["country"])
    table = pq.read_table(root / "country=Niger" / "part-0.parquet")
    dictionary = table.column("sub_event_type").chunk(0).dictionary.to_pylist()
    niger = frame.loc[frame["country"] == "Niger", "sub_event_type"].astype(str)
    assert dictionary == sorted(niger.unique())


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux-only")
def test_rename_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "from-first").touch()
    (second / "from-second").touch()
    if not write_module._rename_exchange(first, second):
        pytest.skip("this file system does not support RENAME_EXCHANGE")
    assert [path.name for path in first.iterdir()] == ["from-second"]
    assert [path.name for path in second.iterdir()] == ["from-first"]


def test_replacement_without_rename_exchange_falls_back_to_two_renames(
    events: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write_module, "_rename_exchange", lambda first, second: False)
    root = write_dataset(events, tmp_path / "events")
    write_dataset(events[events["country"] == "Mali"], root)
    assert {path.name for path in root.iterdir()} == {"country=Mali"}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events"]


def test_a_failed_second_rename_puts_the_previous_dataset_back(
    events: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dataset(events, tmp_path / "events")
    before = tree(root)
    monkeypatch.setattr(write_module, "_rename_exchange", lambda first, second: False)
    real_rename = os.rename

    def refuse_staging(source: str | Path, destination: str | Path) -> None:
        if str(source).endswith(".new"):
            raise OSError(13, "Permission denied")
        real_rename(source, destination)

    monkeypatch.setattr(write_module.os, "rename", refuse_staging)
    with pytest.raises(OutputError, match="permission denied"):
        write_dataset(synthetic_events(20, seed=4), root)
    assert tree(root) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events"]


def test_date_and_boolean_partition_values(tmp_path: Path) -> None:
    frame = synthetic_events(12, seed=8)
    frame["event_date"] = pd.to_datetime(["2024-03-01", "2024-03-02"] * 6)
    frame["background"] = [True, False, False] * 4
    root = write_dataset(frame, tmp_path / "events", partition_by=["event_date", "background"])
    assert set(tree(root)) == {
        f"event_date={day}/background={flag}/part-0.parquet"
        for day in ("2024-03-01", "2024-03-02")
        for flag in ("true", "false")
    }
    rows = duckdb.sql(
        f"select count(*) from read_parquet('{root}/**/*.parquet', hive_partitioning = true) "
        f"where event_date = date '2024-03-01' and background"
    ).fetchall()
    assert rows == [(int(((frame["event_date"] == "2024-03-01") & frame["background"]).sum()),)]


# --- Properties: whatever the text, nothing leaves the root ---------------------------

_ANY_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), min_size=0, max_size=40
) | st.sampled_from(["..", ".", "../..", "a/../../b", "..\\x", "%2e%2e", "C:", "~", "-"])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(part=_ANY_TEXT)
def test_safe_child_path_never_leaves_the_root(part: str, tmp_path: Path) -> None:
    try:
        child = safe_child_path(tmp_path, part)
    except UnsafePathError:
        return
    assert child.parent == tmp_path
    assert child.name == part
    assert tmp_path.resolve() in child.resolve().parents


@settings(max_examples=300, deadline=None)
@given(value=_ANY_TEXT)
def test_partition_segments_are_one_component_that_decodes_back(value: str) -> None:
    from urllib.parse import unquote

    try:
        segment = partition_segment("admin1", value)
    except UnsafePathError:
        return
    assert "/" not in segment and "\\" not in segment and "\x00" not in segment
    assert not segment.startswith(".") and ".." not in segment
    key, _, encoded = segment.partition("=")
    assert key == "admin1"
    assert "=" not in encoded and ":" not in encoded
    assert unquote(encoded) == value
