"""Workbooks read by python-calamine give what the openpyxl reader gave, cell for cell.

``read/_xlsx.py`` reads a workbook with calamine when its grid is small enough and
it holds no error cells, with openpyxl otherwise; these tests read the same
files both ways and compare, and check that each fallback is taken.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from sahel_events.read import _xlsx, read_events
from sahel_events.read._xlsx import _open_xlsx
from sahel_events.read._xlsx_layout import sheet_extent, sheet_parts
from tests.hostile.corpus import NAMES, _row


def _both(path: Path) -> tuple[list[object], list[object]]:
    from unittest import mock

    def refuse(*args: object) -> None:
        raise AssertionError("read by openpyxl: the comparison would compare nothing")

    results = []
    for engine in ("calamine", "openpyxl"):
        with mock.patch(
            "sahel_events.read._xlsx._open_with_openpyxl",
            refuse if engine == "calamine" else _xlsx._open_with_openpyxl,
        ):
            source = _open_xlsx(path, chunk_rows=2, sheet=None, engine=engine)
        chunks = list(source.chunks)
        results.append(
            [
                source.header,
                source.attrs,
                [chunk.source_row.tolist() for chunk in chunks],
                pd.concat([chunk.frame for chunk in chunks]).to_dict("list"),
                [part.to_dict("list") for part in source.file_issues._parts],
            ]
        )
    return results[0], results[1]


def _cell_xml(path: Path, ref: str) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    cell = xml[xml.index(f'<c r="{ref}"') :]
    return cell[: cell.index("</c>") + 4]


def _typed_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Events"
    sheet.append(["ACLED export, typed cells"])  # a title row
    sheet.append([])
    sheet.append([None, *NAMES])  # an empty column A before the header
    typed = [
        [5, 14.5, -3, 44243, 1e20, 0, 0.1],
        [dt.datetime(2024, 3, 12), dt.datetime(2024, 3, 12, 10, 30), dt.date(2021, 2, 16)],
        [dt.time(14, 17), dt.timedelta(hours=26), True, False],
        ["  Gao  ", "", "a  b", "Ménaka", "غاو", "1/1/16", "16-Feb-21"],
    ]
    for number in range(1, 9):
        row: list[object] = [None, *_row(number)]
        for offset, value in enumerate(typed[number % len(typed)]):
            row[10 + offset] = value  # past the id and date columns
        sheet.append(row)
    sheet.append([None, "   ", None, "  "])  # a row of spaces only: dropped
    for minute in range(0, 24 * 60, 37):  # times of day: rounding alike
        sheet.append([None, f"MLI{minute}", dt.datetime(2024, 1, 1) + dt.timedelta(minutes=minute)])
    workbook.save(path)
    # Excel marks text with outer spaces xml:space="preserve"; openpyxl does not for
    # a cell of spaces only (calamine would trim those: tested below).
    for spaces in ("   ", "  "):
        _patched(path, f"<t>{spaces}</t>", f'<t xml:space="preserve">{spaces}</t>')
    return path


def test_calamine_reads_typed_cells_as_openpyxl_does(tmp_path: Path) -> None:
    calamine, openpyxl = _both(_typed_workbook(tmp_path / "typed.xlsx"))
    assert calamine == openpyxl
    assert calamine[0][:2] == ["", "event_id_cnty"]  # the empty column A is kept


def test_calamine_reads_a_tag_row_and_formulas_as_openpyxl_does(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from sahel_events.export.hxl import HXL_TAGS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(NAMES)
    sheet.append([HXL_TAGS.get(name, "") for name in NAMES])
    for number in (1, 2, 3):
        sheet.append(_row(number))
    path = tmp_path / "hxl.xlsx"
    workbook.save(path)
    # A formula with its cached value, as Excel saves it (openpyxl writes none).
    ref = f"{get_column_letter(NAMES.index('location') + 1)}3"
    _patched(
        path, _cell_xml(path, ref), f'<c r="{ref}" t="str"><f>CONCAT("Ga","o")</f><v>Gao</v></c>'
    )
    calamine, openpyxl = _both(path)
    assert calamine == openpyxl
    assert calamine[3][NAMES.index("location")][1] == "Gao"


def _patched(path: Path, old: str, new: str) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert old in xml
    parts["xl/worksheets/sheet1.xml"] = xml.replace(old, new, 1).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _plain_workbook(path: Path, rows: int = 3) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(NAMES)
    for number in range(1, rows + 1):
        workbook.active.append(_row(number))
    workbook.save(path)
    return path


def test_an_error_cell_keeps_its_text(tmp_path: Path) -> None:
    """calamine returns #DIV/0! as an empty cell: such a sheet is read by openpyxl."""
    path = _plain_workbook(tmp_path / "errors.xlsx")
    ref = f"{get_column_letter(NAMES.index('fatalities') + 1)}2"  # the first event's
    path = _patched(path, _cell_xml(path, ref), f'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    with open(path, "rb") as stream:
        part = sheet_parts(stream)[0].part  # type: ignore[index]
    with open(path, "rb") as stream:
        assert sheet_extent(stream, part).errors  # type: ignore[union-attr]
    events = read_events(path)
    issues = events.attrs["reader_issues"]
    assert "#DIV/0!" in issues.loc[issues["column"] == "fatalities", "value"].tolist()


def test_a_cell_at_xfd1048576_is_measured_and_not_built(tmp_path: Path) -> None:
    """One far cell would make calamine build a grid of 17 billion cells."""
    path = _plain_workbook(tmp_path / "far.xlsx")
    path = _patched(
        path, "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    with open(path, "rb") as stream:
        part = sheet_parts(stream)[0].part  # type: ignore[index]
    with open(path, "rb") as stream:
        extent = sheet_extent(stream, part)
    assert extent is not None
    assert (extent.rows, extent.columns) == (1_048_576, 16_384)
    events = read_events(path)  # streamed by openpyxl, only as wide as the header
    assert events["event_id_cnty"].tolist() == [_row(n)[0] for n in (1, 2, 3)]


def test_cells_without_references_widen_the_measure(tmp_path: Path) -> None:
    path = _plain_workbook(tmp_path / "norefs.xlsx")
    path = _patched(
        path,
        "</sheetData>",
        '<row r="9"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row></sheetData>',
    )
    with open(path, "rb") as stream:
        part = sheet_parts(stream)[0].part  # type: ignore[index]
    with open(path, "rb") as stream:
        extent = sheet_extent(stream, part)
    assert extent is not None and extent.rows >= 9 and extent.columns >= len(NAMES) + 3


def test_excel_escapes_are_read_as_the_characters_they_stand_for(tmp_path: Path) -> None:
    """Excel writes a carriage return in a cell as _x000D_ (openpyxl kept the escape)."""
    path = _plain_workbook(tmp_path / "escape.xlsx", rows=1)
    notes = _row(1)[NAMES.index("notes")]
    path = _patched(path, f"<t>{notes}</t>", "<t>line one_x000D_\nline two</t>")
    assert read_events(path)["notes"].tolist() == ["line one\r\nline two"]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_chunks_cover_every_row_once(tmp_path: Path, engine: str) -> None:
    path = _plain_workbook(tmp_path / "chunks.xlsx", rows=7)
    source = _open_xlsx(path, chunk_rows=3, sheet=None, engine=engine)
    sizes = [len(chunk.frame) for chunk in source.chunks]
    assert sizes == [3, 3, 1]


def test_a_wrongly_named_workbook_goes_to_calamine_too(tmp_path: Path) -> None:
    path = _plain_workbook(tmp_path / "events.bin")
    data = io.BytesIO(path.read_bytes())
    assert [part.name for part in sheet_parts(data) or []] == ["Sheet"]
    assert len(read_events(path)) == 3


def test_a_part_inflating_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    """The bomb check trusts declared sizes: both readers must stop at them.

    The sheet declares 5 KB and inflates to a gibibyte of spaces. Python's zipfile
    (the measuring pass, openpyxl) stops at the declared size; calamine's zip crate
    refuses the part ("larger than its declared uncompressed size").
    """
    import zlib

    from sahel_events.exc import UnreadableFileError
    from tests.hostile.corpus import SPACES, _zip, deflated_spaces, workbook_around_a_cell

    entries, prefix, suffix = workbook_around_a_cell()
    declared = prefix + SPACES[:1000]  # what the directory says the part holds
    entries.append(
        (
            "xl/worksheets/sheet1.xml",
            deflated_spaces(prefix, suffix, 1024),
            zlib.crc32(declared),
            len(declared),
        )
    )
    path = tmp_path / "liar.xlsx"
    path.write_bytes(_zip(entries))
    with pytest.raises(UnreadableFileError) as raised:
        read_events(path)
    assert raised.value.path == str(path)


def test_empty_rows_do_not_widen_the_measure(tmp_path: Path) -> None:
    """Excel's last row, empty: calamine's grid ends at the last cell, and so does the measure."""
    path = _plain_workbook(tmp_path / "empty_rows.xlsx")
    path = _patched(path, "</sheetData>", '<row r="1048576"/></sheetData>')
    with open(path, "rb") as stream:
        part = sheet_parts(stream)[0].part  # type: ignore[index]
    with open(path, "rb") as stream:
        extent = sheet_extent(stream, part)
    assert extent is not None and (extent.rows, extent.columns) == (4, len(NAMES))


def test_spaces_calamine_would_trim_are_kept(tmp_path: Path) -> None:
    """Text without xml:space="preserve" is trimmed by calamine: openpyxl reads such a sheet."""
    path = _plain_workbook(tmp_path / "spaces.xlsx")
    ref = f"{get_column_letter(NAMES.index('location') + 1)}2"
    path = _patched(
        path, _cell_xml(path, ref), f'<c r="{ref}" t="inlineStr"><is><t>  Gao  </t></is></c>'
    )
    assert read_events(path)["location"].tolist()[0] == "  Gao  "
    # The same in a shared-strings part.
    from sahel_events.read._xlsx_layout import part_has_loose_spaces

    for text, loose in (
        ("<si><t>  Gao</t></si>", True),
        ('<si><t xml:space="preserve">  Gao</t></si>', False),
    ):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/sharedStrings.xml", f"<sst>{text}</sst>")
        assert part_has_loose_spaces(buffer, "xl/sharedStrings.xml") is loose
