"""Formula injection: nothing we write for a spreadsheet hands it a formula.

A cell beginning with ``=``, ``+``, ``-`` or ``@`` (or tab, carriage return) is
run by Excel, LibreOffice and Google Sheets; contributed files and geocoding
batches carry such cells. ``write_csv`` and ``write_xlsx`` are covered by
tests/write/test_write_spreadsheets.py; here every other CSV the library writes: the
validation report, the batch geocoder's output and each CSV export.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sahel_events.testing import synthetic_events
from sahel_events.write import FORMULA_TRIGGERS

from .corpus import FORMULAS, csv_formula_cells

CLI = [sys.executable, "-m", "sahel_events"]


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for number, row in enumerate(rows, start=1):
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS), (number, cell)


def test_the_validation_report_as_csv_neutralises_echoed_cells(tmp_path: Path) -> None:
    path = csv_formula_cells(tmp_path)
    result = subprocess.run(
        [*CLI, "validate", "--format", "csv", path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    rows = _cells(result.stdout)
    assert rows[0] == ["source", "row", "column", "check", "value", "severity", "message"]
    values = [row[4] for row in rows[1:] if row[3] == "is_event_id"]
    # Every formula is still there for a person to read, as text.
    assert values == ["'" + formula for formula in FORMULAS]
    _assert_no_formula(rows)


def test_the_batch_geocoder_neutralises_the_cells_it_echoes(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text(
        '=cmd,place,note,lon\n1,Gao,"=HYPERLINK(""http://127.0.0.1"")",-8.00\n'
        "2,@Gao,+SUM(1),-0.5\n3,Ménaka,-2,+3\n",
        encoding="utf-8",
    )
    out = tmp_path / "geocoded.csv"
    result = subprocess.run(
        [*CLI, "geocode", "--file", str(places), "--column", "place", "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = _cells(out.read_text(encoding="utf-8"))
    header = rows[0]
    assert header[:4] == ["'=cmd", "place", "note", "lon"]
    by_name = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [row["note"] for row in by_name] == [
        '\'=HYPERLINK("http://127.0.0.1")',
        "'+SUM(1)",
        "-2",
    ]
    assert by_name[1]["place"] == "'@Gao"
    # The user's own numbers are numbers: a negative longitude keeps its sign.
    assert [row["lon"] for row in by_name] == ["-8.00", "-0.5", "+3"]
    # Coordinates are numbers we computed: Gao's longitude keeps its minus sign.
    assert by_name[0]["geo_status"] == "found"
    assert by_name[0]["geo_longitude"].startswith("-")
    numeric = {"lon", "note", "geo_latitude", "geo_longitude"}
    _assert_no_formula(
        [
            [cell for name, cell in zip(header, row, strict=True) if name not in numeric]
            for row in rows
        ]
    )


@pytest.fixture(scope="module")
def hostile_events() -> pd.DataFrame:
    events = synthetic_events(len(FORMULAS), seed=5)
    for column in ("notes", "source", "admin2", "location", "assoc_actor_1"):
        events[column] = list(FORMULAS)
    return events


@pytest.mark.parametrize("to", ["csv", "hxl", "ucdp"])
def test_every_csv_export_neutralises_text_cells(
    to: str, hostile_events: pd.DataFrame, tmp_path: Path
) -> None:
    from sahel_events.export import export

    out = tmp_path / f"events.{to}.csv"
    export(hostile_events, to, out)
    rows = _cells(out.read_text(encoding="utf-8-sig"))
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text  # the cell is there, as text
    numeric = _numeric_columns(rows)
    _assert_no_formula([[cell for i, cell in enumerate(row) if i not in numeric] for row in rows])


def test_the_data_package_csv_neutralises_text_cells(
    hostile_events: pd.DataFrame, tmp_path: Path
) -> None:
    from sahel_events.export import export

    folder = export(hostile_events, "datapackage", tmp_path / "events.datapackage")
    data = Path(folder).parent / "events.csv"  # export returns the descriptor
    rows = _cells(data.read_text(encoding="utf-8-sig"))
    assert "'=HYPERLINK" in data.read_text(encoding="utf-8-sig")
    numeric = _numeric_columns(rows)
    _assert_no_formula([[cell for i, cell in enumerate(row) if i not in numeric] for row in rows])


def _numeric_columns(rows: list[list[str]]) -> set[int]:
    """Columns whose every body cell is a number (a negative longitude is no formula)."""
    numeric = set()
    for index in range(len(rows[0])):
        values = [
            row[index]
            for row in rows[1:]
            if index < len(row) and row[index] != "" and not row[index].startswith("#")
        ]  # an HXL file's second line is its tags
        try:
            [float(value) for value in values]
        except ValueError:
            continue
        numeric.add(index)
    return numeric
