"""What a workbook's sheet holds, learnt from its XML before any reader builds it.

python-calamine (the fast reader, ``read/_xlsx.py``) builds a sheet as one dense
grid of every cell between its first and last non-empty ones: a sheet of a
thousand cells, one of them at ``XFD1048576``, would be a grid of 17 billion.
Cell references are untrusted, so the grid's size is measured here, from the
sheet's XML, before calamine sees it: one pass over the part inflated a block at
a time, the references parsed with numpy, no per-cell Python. The measure is
an upper bound (a reference in a text cell or an empty cell widens it), never less
than the grid calamine would build.

The same pass notes what calamine cannot return: an error cell (``t="e"``,
``#N/A``, ``#DIV/0!``) comes back from calamine as an empty cell, so a sheet
holding one is read by openpyxl, which returns its text.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree import ElementTree

import numpy as np

_BLOCK_BYTES = 16 * 1024**2
#: Parts read whole with ElementTree (the workbook and its relationships) may be
#: no bigger than this; a bigger one goes to openpyxl, as before.
_MAX_INDEX_BYTES = 16 * 1024**2
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET = f"{_REL}/worksheet"
_OFFICE_DOCUMENT = f"{_REL}/officeDocument"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

#: ``<c`` followed by what may follow an element name; ``<col``, ``<cfRule`` and the
#: like are other elements.
_CELL_STARTS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r", b":c ", b":c>", b":c/")
_ROW_STARTS = (b"<row ", b"<row>", b"<row/", b":row ", b":row>", b":row/")


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str
    """The sheet's XML part in the archive (``xl/worksheets/sheet1.xml``)."""


@dataclass(frozen=True)
class SheetExtent:
    rows: int
    """Highest 1-based row any cell may land on."""
    columns: int
    """Highest 1-based column any cell may land on."""
    errors: bool
    """Whether the sheet may hold an error cell (``t="e"``)."""

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _element_children(root: ElementTree.Element, local: str) -> list[ElementTree.Element]:
    return [node for node in root.iter() if node.tag.rsplit("}", 1)[-1] == local]


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_INDEX_BYTES:
        return None
    return archive.read(info)


def _relationships(archive: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]] | None:
    data = _read_small(archive, name)
    if data is None:
        return None
    root = ElementTree.fromstring(data)
    return {
        node.get("Id", ""): (node.get("Type", ""), node.get("Target", ""))
        for node in _element_children(root, "Relationship")
    }


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, target))


def sheet_parts(stream: BinaryIO) -> list[SheetPart] | None:
    """The workbook's sheets in order, each with its part; None when they cannot be told.

    None sends the workbook to openpyxl, which reads it (or refuses it) as it
    always has: only a workbook laid out as SpreadsheetML says goes to calamine.
    """
    try:
        with zipfile.ZipFile(stream) as archive:
            package = _relationships(archive, "_rels/.rels")
            if package is None:
                return None
            documents = [target for kind, target in package.values() if kind == _OFFICE_DOCUMENT]
            if len(documents) != 1 or not documents[0].lower().endswith(".xml"):
                return None  # a binary workbook (.xlsb) or no workbook at all
            workbook_part = _resolve("", documents[0])
            base_dir = posixpath.dirname(workbook_part)
            rels_name = posixpath.join(
                base_dir, "_rels", posixpath.basename(workbook_part) + ".rels"
            )
            relationships = _relationships(archive, rels_name)
            workbook = _read_small(archive, workbook_part)
            if relationships is None or workbook is None:
                return None
            sheets = []
            for node in _element_children(ElementTree.fromstring(workbook), "sheet"):
                kind, target = relationships.get(node.get(f"{{{_REL}}}id", ""), ("", ""))
                if kind != _WORKSHEET:
                    return None  # a chart or dialog sheet: openpyxl's answer, as before
                part = _resolve(base_dir, target)
                if part not in archive.NameToInfo:
                    return None
                sheets.append(SheetPart(node.get("name", ""), part))
            return sheets
    except Exception:  # a broken index: openpyxl names what is wrong, as before
        return None


def sheet_extent(stream: BinaryIO, part: str) -> SheetExtent | None:
    """How far the cells of ``part`` may reach; None when the part cannot be read."""
    max_row = max_column = 0
    cells = cells_with_reference = rows = rows_with_reference = 0
    errors = False
    try:
        with zipfile.ZipFile(stream) as archive, archive.open(part) as sheet:
            carry = b""
            while True:
                block = sheet.read(_BLOCK_BYTES)
                data = carry + block
                if block:
                    # Cut after the last '>': no reference or tag start is split. A
                    # block without one (a long text) is read whole and its tail
                    # again with the next: counted twice at worst, never missed.
                    cut = data.rfind(b">") + 1
                    if cut:
                        data, carry = data[:cut], data[cut:]
                    else:
                        carry = data[-64:]
                else:
                    carry = b""
                if data:
                    row, column = _highest_references(data)
                    max_row, max_column = max(max_row, row), max(max_column, column)
                    cells += sum(data.count(start) for start in _CELL_STARTS)
                    cells_with_reference += data.count(b'<c r="') + data.count(b':c r="')
                    rows += sum(data.count(start) for start in _ROW_STARTS)
                    rows_with_reference += data.count(b'<row r="') + data.count(b':row r="')
                    errors = errors or b't="e"' in data or b"t='e'" in data
                if not block:
                    break
    except Exception:
        return None
    # A cell without a reference lands one column right of the cell before it, a row
    # without one a row under the row before it: each may push the extent one further.
    return SheetExtent(
        rows=max_row + max(0, rows - rows_with_reference),
        columns=max_column + max(0, cells - cells_with_reference),
        errors=errors,
    )


def _highest_references(data: bytes) -> tuple[int, int]:
    """The highest row and column of the ``r="..."`` attributes in ``data``.

    ``<row r="12">`` gives a row, ``<c r="AE12">`` a row and a column. A reference
    that is not one (three letters past XFD, ten digits) counts as the largest.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    if len(buffer) < 4:
        return 0, 0
    equals = np.flatnonzero(buffer[1:-2] == ord("=")) + 1
    keep = (buffer[equals - 1] == ord("r")) & (buffer[equals + 1] == ord('"'))
    before = buffer[np.maximum(equals - 2, 0)]
    keep &= (
        (before == ord(" ")) | (before == ord("\t")) | (before == ord("\n")) | (before == ord("\r"))
    )
    starts = equals[keep] + 2
    if not len(starts):
        return 0, 0
    width = 14
    padded = np.concatenate([buffer, np.zeros(width, dtype=np.uint8)])
    window = padded[starts[:, None] + np.arange(width)]
    letters = (window >= ord("A")) & (window <= ord("Z")) | (window >= ord("a")) & (
        window <= ord("z")
    )
    digits = (window >= ord("0")) & (window <= ord("9"))
    huge = 2**31
    column = np.zeros(len(starts), dtype=np.int64)
    row = np.zeros(len(starts), dtype=np.int64)
    in_letters = np.ones(len(starts), dtype=bool)
    in_digits = np.zeros(len(starts), dtype=bool)
    letter_count = np.zeros(len(starts), dtype=np.int64)
    digit_count = np.zeros(len(starts), dtype=np.int64)
    upper = window & 0xDF  # 'a' -> 'A'
    for position in range(width):
        in_letters &= letters[:, position]
        column = np.where(
            in_letters, column * 26 + (upper[:, position].astype(np.int64) - 64), column
        )
        letter_count += in_letters
        starting = ~in_letters & (letter_count == position) & digits[:, position]
        in_digits = (in_digits | starting) & digits[:, position]
        row = np.where(in_digits, row * 10 + (window[:, position].astype(np.int64) - 48), row)
        digit_count += in_digits
    # More than three letters or nine digits: not a reference Excel can hold; assume the worst.
    column = np.where(letter_count > 3, huge, column)
    row = np.where(digit_count > 9, huge, row)
    return int(row.max()), int(column.max())
