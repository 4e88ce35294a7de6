"""Crashes the fuzzers found (fuzz/README.md), each rebuilt as a small input.

Each crashed with an exception other than ours (a traceback on the command
line); each must now give a report or one of our errors naming the place.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sahel_events.exc import UnreadableFileError
from sahel_events.read import read_events

from .corpus import NAMES, _csv, _row, _zip


def test_dates_outside_datetime64_ns_are_not_dates(tmp_path: Path) -> None:
    """OutOfBoundsDatetime: '0222-01-20' parsed, then failed to fit nanoseconds."""
    rows = [_row(1), _row(2), _row(3)]
    rows[0][1], rows[1][1] = "0222-01-20", "3000-01-01"
    path = tmp_path / "dates.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    events = read_events(path)
    assert events["event_date"].isna().tolist() == [True, True, False]
    issues = events.attrs["reader_issues"]
    bad = issues[issues["check"] == "not_a_date"]
    assert bad["row"].tolist() == [2, 3]
    assert bad["value"].tolist() == ["0222-01-20", "3000-01-01"]


def _workbook_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(NAMES)
    workbook.active.append(_row(1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_zip_needing_an_unknown_version_is_unreadable(tmp_path: Path) -> None:
    """NotImplementedError('zip file version 23.1') from zipfile itself."""
    data = bytearray(_workbook_bytes())
    central = data.find(b"PK\x01\x02")
    # 'version needed to extract' of the first central-directory entry: 23.1.
    data[central + 6 : central + 8] = struct.pack("<H", 231)
    path = tmp_path / "version.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError, match=r"zip file version 23\.1") as raised:
        read_events(path)
    assert raised.value.path == str(path)


def test_a_dictionary_column_of_bytes_that_are_not_utf8_names_row_and_column(
    tmp_path: Path,
) -> None:
    """UnicodeDecodeError: a dictionary<binary> inter1 met the actor-type plan first."""
    cells = [_row(number) for number in (1, 2, 3)]
    table = pa.table({name: [row[i] for row in cells] for i, name in enumerate(NAMES)})
    codes = pa.array([0, 1, 0], type=pa.int8())
    labels = pa.array([b"State forces", b"Rebel gr\xceoup"], type=pa.binary())
    table = table.set_column(
        NAMES.index("inter1"), "inter1", pa.DictionaryArray.from_arrays(codes, labels)
    )
    path = tmp_path / "dictionary.parquet"
    pq.write_table(table, path)
    with pytest.raises(UnreadableFileError, match="not UTF-8") as raised:
        read_events(path)
    assert (raised.value.row, raised.value.column) == (2, "inter1")


def test_a_dictionary_column_of_utf8_bytes_is_read_as_text(tmp_path: Path) -> None:
    cells = [_row(number) for number in (1, 2)]
    table = pa.table({name: [row[i] for row in cells] for i, name in enumerate(NAMES)})
    labels = pa.array([b"Rebel group"], type=pa.binary())
    column = pa.DictionaryArray.from_arrays(pa.array([0, 0], type=pa.int8()), labels)
    table = table.set_column(NAMES.index("inter2"), "inter2", column)
    path = tmp_path / "dictionary.parquet"
    pq.write_table(table, path)
    assert read_events(path)["inter2"].tolist() == ["Rebel group", "Rebel group"]


def test_the_zip_writer_of_the_corpus_makes_valid_archives() -> None:
    """The hand-made zip of the bomb case is a real archive (else the bomb tests nothing)."""
    import zlib

    content = b"<x>" + b" " * 1000 + b"</x>"
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = _zip([("a.xml", packer.compress(content) + packer.flush(), zlib.crc32(content), 1007)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.read("a.xml") == content
