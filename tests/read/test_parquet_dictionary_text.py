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
