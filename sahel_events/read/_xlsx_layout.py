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
from typing import Any, BinaryIO
from xml.etree import ElementTree

import numpy as np

_BLOCK_BYTES = 16 * 1024**2
#: Parts read whole with ElementTree (the workbook and its relationships) may be
#: no bigger than this; a bigger one goes to openpyxl, as before.
_MAX_INDEX_BYTES = 16 * 1024**2
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET = f"{_REL}/worksheet"
_OFFICE_DOCUMENT = f"{_REL}/officeDocument"
_SHARED_STRINGS = f"{_REL}/sharedStrings"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str
    """The sheet's XML part in the archive (``xl/worksheets/sheet1.xml``)."""
    shared_strings: str | None = None
    """The workbook's shared-strings part, where most of a sheet's text is."""


@dataclass(frozen=True)
class SheetExtent:
    rows: int
    """Highest 1-based row any cell may land on."""
    columns: int
    """Highest 1-based column any cell may land on."""
    errors: bool
    """Whether the sheet may hold an error cell (``t="e"``)."""
    loose_spaces: bool = False
    """Whether a text may begin or end with spaces without ``xml:space="preserve"``."""

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
            strings = [
                _resolve(base_dir, target)
                for kind, target in relationships.values()
                if kind == _SHARED_STRINGS
            ]
            shared = strings[0] if len(strings) == 1 and strings[0] in archive.NameToInfo else None
            sheets = []
            for node in _element_children(ElementTree.fromstring(workbook), "sheet"):
                kind, target = relationships.get(node.get(f"{{{_REL}}}id", ""), ("", ""))
                if kind != _WORKSHEET:
                    return None  # a chart or dialog sheet: openpyxl's answer, as before
                part = _resolve(base_dir, target)
                if part not in archive.NameToInfo:
                    return None
                sheets.append(SheetPart(node.get("name", ""), part, shared))
            return sheets
    except Exception:  # a broken index: openpyxl names what is wrong, as before
        return None


def sheet_extent(stream: BinaryIO, part: str) -> SheetExtent | None:
    """How far the cells of ``part`` may reach; None when the part cannot be read."""
    max_row = max_row_element = max_column = 0
    tags = _TagCounter()
    errors = spaces = False
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
                    row, row_element, column = _highest_references(data)
                    max_row, max_column = max(max_row, row), max(max_column, column)
                    max_row_element = max(max_row_element, row_element)
                    tags.add(data)
                    errors = errors or b't="e"' in data or b"t='e'" in data
                    spaces = spaces or loose_spaces(data)
                if not block:
                    break
    except Exception:
        return None
    # A cell without a reference lands one column right of the cell before it, on its
    # row element's row (a row without one: the row under the one before). With every
    # cell referenced, row elements do not matter: a million empty rows cost nothing.
    unreferenced = max(0, tags.cells - tags.cells_with_reference)
    if unreferenced:
        max_row = max(max_row, max_row_element) + max(0, tags.rows - tags.rows_with_reference)
    return SheetExtent(
        rows=max_row,
        columns=max_column + unreferenced,
        errors=errors,
        loose_spaces=spaces,
    )


#: White space opening a text element that has no attributes (so no
#: ``xml:space="preserve"``): calamine trims such text, openpyxl keeps it.
_SPACES = (b" ", b"\t", b"\n", b"\r")
_LOOSE_STARTS = tuple(tag + space for space in _SPACES for tag in (b"<t>", b":t>"))
_CLOSINGS = tuple(space + tag for space in _SPACES for tag in (b"</t>", b"</x:t>"))


def loose_spaces(data: bytes) -> bool:
    """Whether a text in ``data`` may begin or end with spaces that calamine would trim."""
    if b"</t>" not in data and b":t>" not in data:
        return False  # no text element: a sheet of shared strings, as Excel writes
    if any(pattern in data for pattern in _LOOSE_STARTS):
        return True
    for closing in _CLOSINGS:
        position = data.find(closing)
        while position >= 0:
            # Text holds no '<': the last one before is the text's opening tag.
            opening = data.rfind(b"<", 0, position)
            if opening < 0 or b"preserve" not in data[opening:position]:
                return True
            position = data.find(closing, position + 1)
    return False


def part_has_loose_spaces(stream: BinaryIO, part: str) -> bool | None:
    """Whether a text of ``part`` may have unpreserved spaces; None when it cannot be read."""
    try:
        with zipfile.ZipFile(stream) as archive, archive.open(part) as texts:
            carry = b""
            while block := texts.read(_BLOCK_BYTES):
                data = carry + block
                if loose_spaces(data):
                    return True
                carry = data[-8:]
    except Exception:
        return None
    return False


class _TagCounter:
    """Counts the cell and row elements of a sheet's ``<sheetData>``, a block at a time.

    Inside sheetData the only elements whose names begin with ``c`` are cells (and a
    rich text's rare ``<color>``, which only widens the bound), so ``<c`` counts them at
    memchr speed, with the prefix the sheetData element carries (``<x:c`` when it is
    ``<x:sheetData>``). Elements with another prefix still land in calamine's grid:
    ``:c`` is counted on top, in case. A cell whose ``r`` is not its first attribute
    counts as one without: the bound only grows.
    """

    def __init__(self) -> None:
        self.prefix: bytes | None = None  # None until sheetData starts
        self.done = False
        self.cells = self.cells_with_reference = self.rows = self.rows_with_reference = 0

    def add(self, data: bytes) -> None:
        if self.done:
            return
        if self.prefix is None:
            start = data.find(b"sheetData")
            if start < 0:
                return
            opening = data.rfind(b"<", 0, start)
            self.prefix = data[opening + 1 : start] if opening >= 0 else b""
            data = data[start + len(b"sheetData") :]
        end = data.find(b"sheetData>")
        if end >= 0:
            data, self.done = data[:end], True
        tag = b"<" + self.prefix
        self.cells += data.count(tag + b"c") + (data.count(b":c") if not self.prefix else 0)
        self.cells_with_reference += data.count(tag + b'c r="')
        self.rows += data.count(tag + b"row")
        self.rows_with_reference += data.count(tag + b'row r="')


def _highest_references(data: bytes) -> tuple[int, int, int]:
    """The highest cell row, row element and column of the ``r="..."`` attributes.

    ``<c r="AE12">`` gives a cell's row and column, ``<row r="12">`` a row element's. A reference
    that is not one (three letters past XFD, ten digits) counts as the largest.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    if len(buffer) < 4:
        return 0, 0, 0
    equals = np.flatnonzero(buffer[1:-2] == ord("=")) + 1
    keep = (buffer[equals - 1] == ord("r")) & (buffer[equals + 1] == ord('"'))
    before = buffer[np.maximum(equals - 2, 0)]
    keep &= (
        (before == ord(" ")) | (before == ord("\t")) | (before == ord("\n")) | (before == ord("\r"))
    )
    starts = equals[keep] + 2
    if not len(starts):
        return 0, 0, 0
    # Three letters and seven digits are the most Excel writes (XFD1048576); a
    # reference that fills the window is longer than any Excel holds: the worst.
    width = 12
    padded = np.concatenate([buffer, np.zeros(width, dtype=np.uint8)])
    window = padded[starts[:, None] + np.arange(width)]
    upper = window & 0xDF  # 'a' -> 'A'
    letters = (upper - 65) < 26  # uint8 arithmetic wraps: one compare for a range
    alphanumeric = letters | ((window - 48) < 10)
    letter_count = np.where(letters.all(axis=1), width, letters.argmin(axis=1))
    length = np.where(alphanumeric.all(axis=1), width, alphanumeric.argmin(axis=1))
    digit_count = length - letter_count
    huge = 2**31
    if letter_count.max() > 3 or digit_count.max() > width - 3:
        return huge, huge, huge
    column = 0
    most = int(letter_count.max())
    if most:
        chosen = upper[letter_count == most, :most].astype(np.int64) - 64
        values = np.zeros(len(chosen), dtype=np.int64)
        for position in range(most):
            values = values * 26 + chosen[:, position]
        column = int(values.max())
    return (
        _highest_row(window, letter_count, digit_count, letter_count > 0),
        _highest_row(window, letter_count, digit_count, letter_count == 0),
        column,
    )


def _highest_row(window: Any, letter_count: Any, digit_count: Any, chosen: Any) -> int:
    """The highest row number among the chosen references of the window."""
    if not chosen.any():
        return 0
    most = int(digit_count[chosen].max())
    if not most:
        return 0
    picked = np.flatnonzero(chosen & (digit_count == most))
    offsets = letter_count[picked]
    values = np.zeros(len(picked), dtype=np.int64)
    for position in range(most):
        values = values * 10 + (window[picked, offsets + position].astype(np.int64) - 48)
    return int(values.max())
