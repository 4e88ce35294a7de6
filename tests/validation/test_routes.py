"""One conversion path: the same messy cells give the same report by every route.

A table reaches the validator three ways: as a file path, as the DataFrame
``read_events`` returns for it, and as a user's own DataFrame (here
``pandas.read_csv`` of the same file, every cell as text). Cells convert by the
one rule of :mod:`sahel_events.read.conform`, so the three reports agree.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sahel_events.read import read_events
from sahel_events.validation import validate
from tests.hostile.corpus import _csv, _row


def _messy_rows() -> list[list[str]]:
    rows = []
    cells = [
        # (column position, text)
        (22, "14,5"),  # a decimal comma: a number
        (28, "2.0"),  # a whole number written as a float
        (28, "9007199254740993"),  # 2**53 + 1: exact as an integer
        (28, "1e20"),  # beyond int64: not an integer
        (28, "abc"),
        (22, "north"),
        (28, "NA"),  # a missing-value marker in a required column
        (18, " Gao "),  # stray spaces in a name
        (1, "31/02/2024"),  # no such date
        (13, "Rebel group-State forces"),  # ACLED's label the other way round
        (15, "466.0"),
        (30, "1.5e9"),
    ]
    for number, (position, text) in enumerate(cells, start=1):
        row = _row(number)
        row[position] = text
        rows.append(row)
    return rows


def _comparable(report: object) -> pd.DataFrame:
    entries = report.entries  # type: ignore[attr-defined]
    return entries.sort_values(["row", "check", "column"], na_position="first").reset_index(
        drop=True
    )


def test_three_routes_give_the_same_report(tmp_path: Path) -> None:
    path = tmp_path / "messy.csv"
    path.write_text(_csv(_messy_rows()), encoding="utf-8")
    by_path = validate(path)
    by_reader = validate(read_events(path))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # rows by line, as the file route reports
    by_frame = validate(frame)
    expected = _comparable(by_path)
    assert not by_path.valid
    checks = set(expected["check"])
    assert {"not_a_number", "not_an_integer", "not_a_date", "missing_value"} <= checks
    assert {"untrimmed_text", "interaction_label_order", "missing_marker"} <= checks
    pd.testing.assert_frame_equal(_comparable(by_reader), expected)
    pd.testing.assert_frame_equal(_comparable(by_frame), expected)


def test_decimal_comma_and_integer_bounds_agree_across_routes(tmp_path: Path) -> None:
    # The two divergences the re-layout removed: "14,5" and integers past 2**53.
    rows = _messy_rows()[:4]
    path = tmp_path / "cells.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    events = read_events(path)
    frame = validate(pd.read_csv(path, dtype=str)).entries
    assert events.loc[2, "latitude"] == 14.5
    assert events.loc[4, "fatalities"] == 2**53 + 1
    assert pd.isna(events.loc[5, "fatalities"])
    bad = frame[frame["check"] == "not_an_integer"]["value"].tolist()
    assert bad == ["1e20"]
    assert "not_a_number" not in set(frame["check"])
