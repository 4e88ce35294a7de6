"""CSV and XLSX for spreadsheet users: ACLED's layout, and no formula injection."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sahel_events import vocabulary
from sahel_events.exc import OutputError, UsageError
from sahel_events.testing import synthetic_events
from sahel_events.write import neutralize_formulas, write_csv, write_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "plain note, with a comma",
    "a=b is fine inside",
]


@pytest.fixture
def events() -> pd.DataFrame:
    frame = synthetic_events(len(HOSTILE), seed=6)
    frame["notes"] = pd.Series(HOSTILE, index=frame.index, dtype="str")
    frame["actor2"] = frame["actor2"].astype("object")
    frame.loc[frame.index[0], "actor2"] = "=1+1"
    frame["source_id"] = pd.Series("src", index=frame.index, dtype="str")
    return frame


def expected_text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def test_neutralize_formulas_prefixes_only_formula_triggers() -> None:
    values = pd.Series([*HOSTILE, None, ""], dtype="str")
    neutral = neutralize_formulas(values)
    assert list(neutral[: len(HOSTILE)]) == [expected_text(value) for value in HOSTILE]
    assert pd.isna(neutral.iloc[len(HOSTILE)])
    assert neutral.iloc[-1] == ""


def test_csv_has_acled_columns_first_and_iso_dates(events: pd.DataFrame, tmp_path: Path) -> None:
    reordered = events[list(reversed(events.columns))]
    path = write_csv(reordered, tmp_path / "events.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*vocabulary.COLUMN_NAMES, "source_id"]
    dates = [row[1] for row in rows[1:]]
    assert dates == list(events["event_date"].dt.strftime("%Y-%m-%d"))
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == len(events) + 1  # RFC 4180 line ends
    # Every text cell is quoted, numbers and dates are not.
    assert raw.startswith(b'"event_id_cnty","event_date","year"')
    first = raw.split(b"\r\n")[1]
    assert first.startswith(b'"' + events["event_id_cnty"].iloc[0].encode() + b'",2')
    assert b'"\'=HYPERLINK(""http://evil.example"",""click"")"' in first


def test_csv_round_trip_neutralises_formulas(events: pd.DataFrame, tmp_path: Path) -> None:
    path = write_csv(events, tmp_path / "events.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back["notes"]) == [expected_text(value) for value in HOSTILE]
    assert back["actor2"].iloc[0] == "'=1+1"
    # Numbers are numbers, not text: a negative longitude keeps its sign.
    assert list(back["longitude"].astype(float)) == list(events["longitude"])
    assert list(back["fatalities"].astype(int)) == list(events["fatalities"])


def test_csv_is_reproducible(events: pd.DataFrame, tmp_path: Path) -> None:
    first = write_csv(events, tmp_path / "a.csv").read_bytes()
    second = write_csv(events.copy(), tmp_path / "b.csv").read_bytes()
    assert first == second


def test_xlsx_cells_are_text_starting_with_a_quote(events: pd.DataFrame, tmp_path: Path) -> None:
    path = write_xlsx(events, tmp_path / "events.xlsx")
    sheet = openpyxl.load_workbook(path)["events"]
    header = [cell.value for cell in sheet[1]]
    assert header == [*vocabulary.COLUMN_NAMES, "source_id"]
    notes = header.index("notes") + 1
    for row, value in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=row, column=notes)
        assert cell.data_type == "s"
        # XML turns a carriage return into a line feed; the quote prefix stays.
        assert cell.value == expected_text(value).replace("\r", "\n")
    actor2 = sheet.cell(row=2, column=header.index("actor2") + 1)
    assert (actor2.data_type, actor2.value) == ("s", "'=1+1")


def test_xlsx_holds_no_formula_at_all(events: pd.DataFrame, tmp_path: Path) -> None:
    path = write_xlsx(events, tmp_path / "events.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_xlsx_dates_numbers_and_blanks(events: pd.DataFrame, tmp_path: Path) -> None:
    path = write_xlsx(events, tmp_path / "events.xlsx")
    sheet = openpyxl.load_workbook(path)["events"]
    header = [cell.value for cell in sheet[1]]
    date = sheet.cell(row=2, column=header.index("event_date") + 1)
    assert date.is_date and date.number_format == "yyyy-mm-dd"
    assert date.value.date() == events["event_date"].iloc[0].date()
    fatalities = sheet.cell(row=2, column=header.index("fatalities") + 1)
    assert fatalities.value == events["fatalities"].iloc[0]
    assert isinstance(fatalities.value, int)
    assert sheet.cell(row=2, column=header.index("admin3") + 1).value is None
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == len(events) + 1


def test_xlsx_is_byte_identical_for_the_same_frame(events: pd.DataFrame, tmp_path: Path) -> None:
    first = write_xlsx(events, tmp_path / "a.xlsx").read_bytes()
    second = write_xlsx(events.copy(), tmp_path / "b.xlsx").read_bytes()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_xlsx_refuses_control_characters_naming_row_and_column(
    events: pd.DataFrame, tmp_path: Path
) -> None:
    events.loc[events.index[2], "notes"] = "bell\x07"
    with pytest.raises(OutputError, match="control characters") as caught:
        write_xlsx(events, tmp_path / "events.xlsx")
    assert (caught.value.row, caught.value.column) == (2, "notes")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_a_frame_without_acled_columns_is_refused(writer: object, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="lacks 1 of ACLED's current columns: notes"):
        writer(synthetic_events(3).drop(columns=["notes"]), tmp_path / "x")  # type: ignore[operator]
    assert list(tmp_path.iterdir()) == []
