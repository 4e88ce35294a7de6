"""Files without their header row: UCDP GED Candidate releases, ACLED rows saved headless.

UCDP published GED Candidate releases without a header row (``GEDEvent_v24_0_1.csv``
and others; their users read them with GED's 49 names), some with every value
quoted; pandas' ``header=False`` and R's ``col.names = FALSE`` (with row numbers)
drop a header the same way. The rows below are made up.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.exc import UnreadableFileError
from sahel_events.export.ucdp import GED_COLUMNS
from sahel_events.read import read_events
from sahel_events.validation import validate
from tests.hostile.corpus import NAMES, _row


def _ged_row(number: int, **values: str) -> list[str]:
    """One made-up GED event (a clash near Gao), in GED's 49 columns."""
    cells = dict.fromkeys(GED_COLUMNS, "")
    cells.update(
        id=str(800_000 + number),
        relid=f"MLI-2024-1-9999-{number}",
        year="2024",
        active_year="1",
        code_status="Clear",
        type_of_violence="1",
        conflict_new_id="9999",
        conflict_name="Mali: Government",
        dyad_name="Government of Mali - Invented group",
        side_a="Government of Mali",
        side_b="Invented group",
        number_of_sources="1",
        source_article="An invented wire report",
        where_prec="1",
        where_coordinates="Gao town",
        where_description="in Gao",
        adm_1="Gao region",
        adm_2="Gao cercle",
        latitude="16.27",
        longitude="-0.04",
        geom_wkt="POINT (-0.04 16.27)",
        priogrid_gid="152000",
        country="Mali",
        country_id="432",
        region="Africa",
        event_clarity="1",
        date_prec="1",
        date_start=f"2024-03-{number:02d} 00:00:00.000",
        date_end=f"2024-03-{number:02d} 00:00:00.000",
        deaths_a="1",
        deaths_b="2",
        deaths_civilians="0",
        deaths_unknown="0",
        best="3",
        high="4",
        low="3",
        gwnoa="432",
    )
    cells.update(values)
    return [cells[name] for name in GED_COLUMNS]


def _write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    header: list[str] | None = None,
    quoting: int = csv.QUOTE_MINIMAL,
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=quoting)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


ROWS = [_ged_row(4), _ged_row(5, type_of_violence="3", side_b="Civilians", active_year="0")]


@pytest.fixture
def headed(tmp_path: Path) -> Path:
    return _write_csv(tmp_path / "ged.csv", ROWS, header=list(GED_COLUMNS))


@pytest.mark.parametrize(
    "shape",
    ["plain", "quoted", "r-row-numbers", "true-false"],
)
def test_a_ged_file_without_header_is_named_and_read_in_geds_order(
    tmp_path: Path, headed: Path, shape: str
) -> None:
    rows = [list(row) for row in ROWS]
    quoting = csv.QUOTE_MINIMAL
    if shape == "quoted":  # as UCDP's Candidate releases came: every value quoted
        quoting = csv.QUOTE_ALL
    elif shape == "r-row-numbers":  # write.csv(ged, col.names = FALSE): row numbers first
        rows = [[str(number), *row] for number, row in enumerate(rows, start=1)]
        quoting = csv.QUOTE_NONNUMERIC
    elif shape == "true-false":
        for row in rows:
            row[3] = "TRUE" if row[3] == "1" else "FALSE"
    path = _write_csv(tmp_path / "GEDEvent_candidate.csv", rows, quoting=quoting)

    # As ACLED events: one refusal naming the file and the way to read it, exit 2.
    with pytest.raises(UnreadableFileError) as caught:
        validate(path)
    message = str(caught.value)
    assert str(path) in message and "UCDP GED file without its header row" in message
    assert "relid 'MLI-2024-1-9999-4'" in message and "--from ucdp" in message
    assert caught.value.exit_code == 2
    code, out, err = _invoke("validate", str(path))
    assert code == 2 and out == "" and "without its header row" in err
    assert len(err.strip().splitlines()) == 1

    # As UCDP GED: read in GED's order, the same events as the file with its header.
    events = read_events(path, source="ucdp")
    reference = read_events(headed, source="ucdp")
    assert events.index.tolist() == [1, 2]  # no header: the first event is on line 1
    pd.testing.assert_frame_equal(
        events.reset_index(drop=True),
        reference.reset_index(drop=True),
    )
    notes = events.attrs["reader_issues"]
    note = notes[notes["check"] == "no_header_row"]
    assert len(note) == 1 and note["severity"].iloc[0] == "note"
    assert "UCDP GED's 49 columns" in note["message"].iloc[0]
    assert ("row numbers was dropped" in note["message"].iloc[0]) == (shape == "r-row-numbers")
    assert "no_header_row" not in set(reference.attrs["reader_issues"]["check"])

    # Validated the same as the file with its header, rows one line earlier, plus the note.
    report = validate(path, source="ucdp", today="2025-01-01")
    expected = validate(headed, source="ucdp", today="2025-01-01")
    entries = report.entries[report.entries["check"] != "no_header_row"].reset_index(drop=True)
    shifted = expected.entries.assign(row=expected.entries["row"] - 1)
    pd.testing.assert_frame_equal(entries, shifted)
    assert report.valid == expected.valid and report.n_rows == 2
    code, out, _ = _invoke("validate", "--from", "ucdp", "--today", "2025-01-01", str(path))
    assert code == (0 if expected.valid else 1)
    assert "no_header_row" in out and "UCDP GED's 49 columns" in out


def test_a_49_column_file_that_is_not_ged_is_not_read_in_geds_order(tmp_path: Path) -> None:
    # type_of_violence 7 and no relid: the order of these columns is not GED's.
    row = _ged_row(4, type_of_violence="7", relid="")
    path = _write_csv(tmp_path / "other.csv", [row, _ged_row(5)])
    with pytest.raises(UnreadableFileError, match="not a GED-style file") as caught:
        read_events(path, source="ucdp")
    assert "first row is not a row of GED's 49 values" in str(caught.value)
    code, _, err = _invoke("validate", "--from", "ucdp", str(path))
    assert code == 2 and "not a GED-style file" in err and str(path) in err


@pytest.mark.parametrize("shape", ["pandas", "r-row-numbers", "a-cell-named-like-a-column"])
def test_an_acled_file_without_header_is_refused_once_naming_the_file(
    tmp_path: Path, shape: str
) -> None:
    rows = [_row(1), _row(2), _row(3)]
    if shape == "r-row-numbers":
        rows = [[str(number), *row] for number, row in enumerate(rows, start=1)]
    elif shape == "a-cell-named-like-a-column":
        # A place called Long reads as the header cell for longitude: the first row
        # then passed as a header with one known column and 22 "missing" columns.
        rows[0][NAMES.index("location")] = "Long"
    path = _write_csv(tmp_path / "events.csv", rows)
    with pytest.raises(UnreadableFileError) as caught:
        validate(path)
    message = str(caught.value)
    assert str(path) in message
    assert "the first row holds event values ('MLI1', " in message
    assert "no header row" in message and "event_id_cnty,event_date,year" in message
    code, out, _ = _invoke("validate", "--format", "json", str(path))
    assert code == 2
    document = json.loads(out)
    assert document["exit_code"] == 2 and "no header row" in document["error"]
    assert "missing_column" not in out
    # The same by the DataFrame route: pandas made the first event the header.
    with pytest.raises(UnreadableFileError, match="no header row"):
        validate(pd.read_csv(path))


def test_an_acled_workbook_without_header_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (_row(1), _row(2)):
        sheet.append(row)
    path = tmp_path / "events.xlsx"
    book.save(path)
    with pytest.raises(UnreadableFileError, match="the first row holds event values"):
        read_events(path)


def test_a_header_row_is_still_a_header(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "events.csv", [_row(1)], header=NAMES)
    assert validate(path).valid
    headed = _write_csv(tmp_path / "ged.csv", ROWS, header=list(GED_COLUMNS))
    with pytest.raises(UnreadableFileError, match=r"this is a UCDP GED file \(columns"):
        validate(headed)
    assert "no_header_row" not in set(validate(headed, source="ucdp").entries["check"])
