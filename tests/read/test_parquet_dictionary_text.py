"""Parquet text read as dictionaries gives what the same rows give as CSV.

The Parquet reader keeps text columns of few distinct values dictionary-encoded and
checks each distinct value once (missing-value markers, blanks, stray spaces,
control characters); these tests write the same rows as CSV and as Parquet (text
stored plain, in several row groups, read in chunks that cut across them) and
require the same frame and the same findings.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sahel_events.read import iter_events, read_events
from sahel_events.testing import synthetic_events


def _rows() -> pd.DataFrame:
    """48 events of few distinct texts, with the quirks the text checks look for."""
    frame = synthetic_events(48, seed=7)
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype("str")
    frame["admin3"] = ["NA", "N/A", "Tessit", "  "] * 12  # markers and a blank
    frame["actor1"] = frame["actor1"].where(
        frame.index % 5 != 0, " Militia  (Mali) "
    )  # stray spaces
    frame["location"] = frame["location"].where(frame.index % 7 != 0, "Gao\x07")  # a control
    frame["assoc_actor_2"] = frame["assoc_actor_2"].where(frame.index % 2 == 0, "None")
    frame["my_extra"] = ["one", "two", "NA"] * 16  # a column of the user's own
    return frame


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    frame = _rows()
    csv = tmp_path / "events.csv"
    frame.to_csv(csv, index=False)
    parquet = tmp_path / "events.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert not any(pa.types.is_dictionary(field.type) for field in table.schema)
    pq.write_table(table, parquet, row_group_size=20)
    return csv, parquet


def _findings(frame: pd.DataFrame, first_row: int = 1) -> list[tuple[object, ...]]:
    """Findings with rows counted from 1 (a CSV's first record is on line 2)."""
    issues = frame.attrs["reader_issues"]
    return sorted(
        (
            row.check,
            "" if pd.isna(row.row) else str(int(row.row) - first_row + 1),
            str(row.column),
            str(row.value),
            str(row.message),
        )
        for row in issues.itertuples()
    )


def test_parquet_text_reads_as_its_csv(files: tuple[Path, Path]) -> None:
    csv, parquet = files
    from_csv, from_parquet = read_events(csv), read_events(parquet)
    assert list(from_parquet.dtypes.astype(str)) == list(from_csv.dtypes.astype(str))
    pd.testing.assert_frame_equal(
        from_parquet.reset_index(drop=True), from_csv.reset_index(drop=True), check_dtype=False
    )
    assert from_parquet["actor1"].dtype == "str"
    assert from_parquet["my_extra"].dtype == "str"
    assert isinstance(from_parquet["event_type"].dtype, pd.CategoricalDtype)
    assert from_parquet["admin3"].notna().sum() == 12  # NA, N/A and the blank are blanks
    assert _findings(from_parquet) == [
        finding for finding in _findings(from_csv, first_row=2) if finding[0] != "encoding_fallback"
    ]
    checks = {finding[0] for finding in _findings(from_parquet)}
    assert {"missing_marker", "untrimmed_text", "control_characters"} <= checks


def test_markers_are_counted_in_chunks_that_cut_row_groups(files: tuple[Path, Path]) -> None:
    _csv, parquet = files
    notes = []
    for chunk in iter_events(parquet, chunk_rows=16):  # row groups of 20: cut mid-group
        assert chunk["actor1"].dtype == "str"
        assert chunk["admin3"].isin(["Tessit"]).sum() == chunk["admin3"].notna().sum()
        issues = chunk.attrs["reader_issues"]
        notes += list(issues.loc[issues["check"] == "missing_marker", "message"])
        categories = chunk["event_type"].cat.categories
        assert set(categories) == set(chunk["event_type"].dropna())  # no unused categories
    counted: dict[str, int] = {}
    for detail in notes:
        for part in str(detail).rsplit("(", 1)[1].rstrip(")").split(", "):
            marker, count = part.rsplit(" ", 1)
            counted[marker] = counted.get(marker, 0) + int(count.replace(",", ""))
    assert counted["'NA'"] == 12 + 16  # admin3 and my_extra
    assert counted["'N/A'"] == 12
    assert counted["'None'"] == 24


def _many_values(tmp_path: Path, compression: str, **options: object) -> tuple[Path, Path]:
    """The rows with notes that differ in every row (as real notes do), markers, spaces
    and a control among them, as CSV and as Parquet of row groups of 20."""
    frame = _rows()
    notes = [f"Note {number} of an event near Gao." for number in range(len(frame))]
    notes[3], notes[5], notes[7] = "NA", " Note 5 with spaces  ", "Note 7\x07"
    frame["notes"] = notes
    csv = tmp_path / "events.csv"
    frame.to_csv(csv, index=False)
    parquet = tmp_path / f"events.{compression}.parquet"
    pq.write_table(
        pa.Table.from_pandas(frame, preserve_index=False),
        parquet,
        row_group_size=20,
        compression=compression,
        **options,
    )
    return csv, parquet


@pytest.mark.parametrize("compression", ["snappy", "none", "gzip", "zstd"])
def test_columns_of_many_values_read_plain_read_as_their_csv(
    tmp_path: Path, compression: str
) -> None:
    from sahel_events.read._parquet import _TextPlan

    csv, parquet = _many_values(tmp_path, compression)
    file = pq.ParquetFile(parquet, read_dictionary=["notes"])
    plan = _TextPlan(parquet, file, ["notes"], ["notes"], [])
    # Every note differs: no dictionary is worth building, and the codec says whether
    # the stored sizes bound what a row group decodes to (ZSTD's do not).
    assert plan.plain == ["notes"]
    bounded = compression != "zstd"
    assert (plan.file_for(1) is plan.plain_file) is bounded
    from_csv = read_events(csv).reset_index(drop=True)
    for chunk_rows in (None, 16):
        chunks = list(iter_events(parquet, chunk_rows=chunk_rows or 1_000))
        assert sum(len(chunk) for chunk in chunks) == len(from_csv)
        start = 0
        for chunk in chunks:  # a chunk's categories are those it uses
            expected_rows = from_csv.iloc[start : start + len(chunk)].reset_index(drop=True)
            pd.testing.assert_frame_equal(
                chunk.reset_index(drop=True),
                expected_rows,
                check_dtype=False,
                check_categorical=False,
            )
            assert chunk["notes"].dtype == "str"
            start += len(chunk)
        found = sorted(
            finding for chunk in chunks for finding in _findings(chunk) if finding[2] == "notes"
        )
        expected = sorted(
            finding for finding in _findings(from_csv, first_row=2) if finding[2] == "notes"
        )
        if chunk_rows is None:
            assert found == expected
        else:  # a markers note per chunk
            assert {finding[0] for finding in found} == {finding[0] for finding in expected}


def test_prefix_coded_text_reads_as_its_csv(tmp_path: Path) -> None:
    """Parquet 2 writers (parquet-mr's v2 pages) store text as DELTA_BYTE_ARRAY, which
    Arrow cannot read as a dictionary: such a file was refused as corrupt."""
    frame = _rows()
    coded = ["event_id_cnty", "notes", "actor1"]
    csv, parquet = _many_values(
        tmp_path,
        "zstd",
        use_dictionary=[name for name in frame.columns if name not in coded],
        column_encoding=dict.fromkeys(coded, "DELTA_BYTE_ARRAY"),
    )
    assert "DELTA_BYTE_ARRAY" in pq.ParquetFile(parquet).metadata.row_group(0).column(0).encodings
    from_csv = read_events(csv).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        read_events(parquet).reset_index(drop=True), from_csv, check_dtype=False
    )
    chunks = list(iter_events(parquet, chunk_rows=16))
    assert [len(chunk) for chunk in chunks] == [16, 16, 16]
    pd.testing.assert_frame_equal(
        chunks[1].reset_index(drop=True),
        from_csv.iloc[16:32].reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
    )


def test_validating_parquet_reports_what_validating_its_csv_does(tmp_path: Path) -> None:
    """The validator leaves dictionary text categorical (it reads no free text row by
    row): the stray spaces, control characters and markers in it are still found, in
    the same rows, with the same values shown."""
    from sahel_events.read import checked_chunks
    from sahel_events.validation import validate

    frame = pd.concat([_rows()] * 10, ignore_index=True)
    frame["event_id_cnty"] = [f"MLI{number}" for number in range(1, len(frame) + 1)]
    csv, parquet = tmp_path / "events.csv", tmp_path / "events.parquet"
    frame.to_csv(csv, index=False)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), parquet, row_group_size=200)
    chunk = next(checked_chunks(parquet, chunk_rows=150))
    for name in ("actor1", "location", "admin3"):
        assert isinstance(chunk[name].dtype, pd.CategoricalDtype), name

    def entries(path: Path, first_row: int) -> list[tuple[object, ...]]:
        found = validate(path, chunk_rows=150).entries
        return sorted(
            (
                row.check,
                str(row.column),
                str(row.value),
                str(row.message),
                "" if pd.isna(row.row) else int(row.row) - first_row + 1,
            )
            for row in found.itertuples()
            if row.check not in ("encoding_fallback", "missing_marker")  # notes per chunk
        )

    from_csv, from_parquet = entries(csv, 2), entries(parquet, 1)
    assert from_parquet == from_csv
    assert {"untrimmed_text", "control_characters"} <= {entry[0] for entry in from_parquet}


def test_parquet_without_rows_reads_as_no_events(tmp_path: Path) -> None:
    """A Parquet file of ACLED's columns and no rows (pyarrow writes one empty row
    group) crashed the conformer, which looked up scans of columns it had not scanned."""
    frame = _rows().iloc[:0]
    path = tmp_path / "empty.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    assert pq.ParquetFile(path).metadata.num_row_groups == 1
    events = read_events(path)
    assert len(events) == 0
    assert events["actor1"].dtype == "str"
    assert isinstance(events["event_type"].dtype, pd.CategoricalDtype)
