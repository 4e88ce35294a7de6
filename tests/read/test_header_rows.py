"""Header rows as HDX and ministries publish them: title rows above, HXL tags below.

Shapes seen in real public files (docs/validate.md, "Real files"): HDX's HXL files
put a row of hashtags under the header (HDX HAPI's own conflict-event resources
among them); spreadsheets and their CSV re-saves put a title line, a date of
download and a blank line above it. Every file here is written by the test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sahel_events.export.hxl import HXL_TAGS
from sahel_events.read import read_events
from sahel_events.read._hxl import is_tag_row, read_tag_row
from sahel_events.testing import break_rows, synthetic_events
from sahel_events.validation import validate
from tests.hostile.corpus import HEADER, NAMES, _csv_line, _row


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _notes(report: object, check: str) -> pd.DataFrame:
    notes = report.notes  # type: ignore[attr-defined]
    return notes[notes["check"] == check]


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --- title rows --------------------------------------------------------------------------


def test_csv_title_rows_above_the_header_are_skipped_with_a_note(tmp_path: Path) -> None:
    # A ministry's re-save: a title, a download date padded with commas as Excel writes
    # them, a blank line, then the header.
    padding = "," * (len(NAMES) - 1)
    lines = [
        "Incidents sécuritaires, région de Gao",
        "Extrait du 2024-03-15" + padding,
        "",
        HEADER,
        _csv_line(_row(1)),
        _csv_line(_row(2)),
    ]
    path = _write(tmp_path / "titled.csv", lines)
    events = read_events(path)
    assert events["event_id_cnty"].tolist() == ["MLI1", "MLI2"]
    assert events.index.tolist() == [5, 6]  # rows stay the file's lines
    report = validate(path, strict=True)
    assert report.valid, report.summary()
    note = _notes(report, "header_row")
    assert len(note) == 1
    assert "header on row 4" in note["message"].iloc[0]
    assert "Incidents sécuritaires" in note["message"].iloc[0]


def test_csv_title_row_with_a_semicolon_header(tmp_path: Path) -> None:
    lines = ["ACLED events, Mali, 2024", HEADER.replace(",", ";")]
    lines += [";".join(_row(1))]
    events = read_events(_write(tmp_path / "semi.csv", lines))
    assert events.attrs["delimiter"] == ";"
    assert events["event_id_cnty"].tolist() == ["MLI1"]
    assert events.index.tolist() == [3]


def test_a_csv_without_title_rows_has_no_header_note(tmp_path: Path) -> None:
    path = _write(tmp_path / "plain.csv", [HEADER, _csv_line(_row(1))])
    assert _notes(validate(path), "header_row").empty


def test_a_csv_whose_header_names_no_known_column_is_still_refused(tmp_path: Path) -> None:
    from sahel_events.exc import UnreadableFileError

    path = _write(tmp_path / "other.csv", ["a title", "header1,header2", "1,2"])
    with pytest.raises(UnreadableFileError, match="none of ACLED's columns"):
        read_events(path)


def test_xlsx_title_row_gives_the_same_note(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "titled.xlsx", [["ACLED export of 2024-03-15"], [], NAMES, _row(1)])
    report = validate(path, strict=True)
    assert report.valid, report.summary()
    note = _notes(report, "header_row")
    assert "header on row 3" in note["message"].iloc[0]
    assert read_events(path).index.tolist() == [4]


# --- HXL tag rows ----------------------------------------------------------------------------


def test_tag_rows_are_told_from_data() -> None:
    assert is_tag_row(["#event+code", "", "#date+occurred"])
    assert not is_tag_row(["#event+code", "MLI1"])
    assert not is_tag_row(["", None])


def test_tags_name_columns_the_header_does_not_and_attributes_match_in_any_order() -> None:
    found = read_tag_row(["code", "event_date", "who"], ["#event+code", "#date+occurred", ""])
    assert found is not None
    assert found.header == ["event_id_cnty", "event_date", "who"]
    assert found.mapped == [("#event+code", "event_id_cnty")]
    reordered = read_tag_row(["first actor"], ["#group+first+name"])
    assert reordered is not None and reordered.header == ["actor1"]


@pytest.mark.parametrize("quoting", ["plain", "lenient"])
def test_csv_tag_row_maps_columns_and_is_dropped(tmp_path: Path, quoting: str) -> None:
    # HDX-style header names that are not ACLED's, their tags on the second row.
    header = NAMES.copy()
    header[0], header[7] = "Event code", "Actor 1 name"
    cells = _row(1)
    if quoting == "lenient":
        cells[27] = 'A 12" mortar round.'  # a bare quote: Python's csv reader takes the file
    lines = [
        ",".join(header),
        ",".join(HXL_TAGS[name] for name in NAMES),
        _csv_line(cells),
        _csv_line(_row(2)),
    ]
    path = _write(tmp_path / "hxl.csv", lines)
    events = read_events(path)
    assert events["event_id_cnty"].tolist() == ["MLI1", "MLI2"]
    assert events["actor1"].notna().all()
    assert events.index.tolist() == [3, 4]
    report = validate(path, strict=True)
    assert report.valid, report.summary()
    note = _notes(report, "hxl_tags")["message"].iloc[0]
    assert "row 2" in note and "#event+code as event_id_cnty" in note
    assert "#group+name+first as actor1" in note


def test_xlsx_tag_row_is_dropped(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "hxl.xlsx", [NAMES, [HXL_TAGS[name] for name in NAMES], _row(1), _row(2)]
    )
    events = read_events(path)
    assert events.index.tolist() == [3, 4]
    report = validate(path, strict=True)
    assert report.valid, report.summary()
    assert "row 2" in _notes(report, "hxl_tags")["message"].iloc[0]


def test_a_dataframe_read_by_pandas_from_an_hxl_file_drops_the_tag_row(tmp_path: Path) -> None:
    lines = [HEADER, ",".join(HXL_TAGS[name] for name in NAMES), _csv_line(_row(1))]
    path = _write(tmp_path / "hxl.csv", lines)
    report = validate(pd.read_csv(path, dtype=str))
    assert report.valid and report.n_rows == 1, report.summary()
    # Saved on as Parquet, the tag row is the first record: still recognised and dropped.
    parquet = tmp_path / "hxl.parquet"
    pd.read_csv(path, dtype=str).to_parquet(parquet)
    again = validate(parquet)
    assert again.valid and again.n_rows == 1, again.summary()
    assert "row 1" in _notes(again, "hxl_tags")["message"].iloc[0]
    assert read_events(parquet).index.tolist() == [2]


def _comparable(report: object, row_of: dict[int, int]) -> pd.DataFrame:
    entries = report.entries.copy()  # type: ignore[attr-defined]
    entries = entries[entries["severity"] != "note"]
    entries["row"] = entries["row"].map(lambda row: row_of.get(row, row) if pd.notna(row) else row)
    return entries.sort_values(["row", "check", "column"]).reset_index(drop=True)


def test_the_projects_own_hxl_export_validates_exactly_like_its_source(tmp_path: Path) -> None:
    from sahel_events.export import export

    events = break_rows(synthetic_events(300, seed=3), 0.1, seed=4)
    source = validate(events)
    assert not source.valid  # the comparison means something only with findings in it
    for suffix, first_line in (("csv", 3), ("xlsx", None)):
        if suffix == "xlsx":
            path = tmp_path / "events.xlsx"
            frame = pd.read_csv(export(events, "hxl", tmp_path / "events.csv"), dtype=str)
            _workbook(path, [list(frame.columns), *frame.fillna("").values.tolist()])
            first_line = 3
        else:
            path = export(events, "hxl", tmp_path / "events.csv")
        again = validate(path)
        row_of = {first_line + position: label for position, label in enumerate(events.index)}
        pd.testing.assert_frame_equal(_comparable(again, row_of), _comparable(source, {}))
        assert again.n_rows == source.n_rows and again.valid == source.valid
        assert "hxl_tags" in set(again.notes["check"])
