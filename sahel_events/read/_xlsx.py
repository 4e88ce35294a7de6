"""Excel workbooks (.xlsx): read by python-calamine, or streamed by openpyxl where calamine cannot.

See :func:`_open_xlsx` for which reads what.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sahel_events._findings import FindingsCollector
from sahel_events._io import open_input
from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.read._hxl import TagRow, read_tag_row
from sahel_events.read.formats import RawChunk, RawSource, ReadOptions, note_header_row
from sahel_events.read.variants import HEADER_SEARCH_ROWS, is_header_row


class XlsxReader:
    """Excel workbook (.xlsx)."""

    name = "xlsx"
    description = "Excel workbook (.xlsx)"

    def open(self, path: Path, options: ReadOptions) -> RawSource:
        return _open_xlsx(path, chunk_rows=options.chunk_rows, sheet=options.sheet)


READERS = {"xlsx": XlsxReader()}


def _cell_text(value: Any) -> str | None:
    """An Excel cell as text: dates in ISO form, whole numbers without noise."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _row_cells(values: Any) -> list[str]:
    return ["" if value is None else str(value) for value in values]


def _blank(values: Any) -> bool:
    return not values or not any(value is not None and str(value).strip() for value in values)


#: A sheet's rows from a 1-based row on, as ``(row number, values)``, each row cut
#: to ``max_col`` values (fewer where a row ends sooner); an empty cell is None.
RowReader = Callable[[int, int], Iterator[tuple[int, Sequence[Any]]]]
#: The body of a sheet from a row on, ``width`` columns, in chunks of at most
#: ``limit`` non-blank rows: each chunk its text columns and its row numbers.
BodyReader = Callable[[int, int, float], Iterator[tuple[list[list[str | None]], list[int]]]]


class _RowError(Exception):
    """A sheet failed to give the row after ``number``."""

    def __init__(self, number: int, error: Exception) -> None:
        super().__init__(number, error)
        self.number, self.error = number, error


@dataclass
class _Header:
    """The header row of a sheet and what stands above it; the rows after it are read
    again from ``max(number, tag_row) + 1``, only as wide as the header."""

    cells: list[str] | None
    number: int = 0
    titles: list[str] = field(default_factory=list)
    """The non-blank rows above the header, as text."""
    tags: TagRow | None = None
    tag_row: int = 0


def _find_header(read_rows: RowReader) -> _Header:
    """The header row: the first with two known column names, past any title rows.

    Without a row of known names among the first rows, the first non-blank row is
    the header. An HXL tag row right under the header is read and dropped.
    """
    from sahel_events.read import MAX_COLUMNS

    # openpyxl pads each row to its last cell: one cell in column XFD would make every
    # row 16,384 values long. One column more than a file may have is enough to refuse it.
    rows = read_rows(1, MAX_COLUMNS + 1)
    seen: list[tuple[int, Any]] = []
    found: tuple[int, Any] | None = None
    for number, values in rows:
        if _blank(values):
            continue
        if is_header_row(_row_cells(values)):
            found = (number, values)
            break
        seen.append((number, values))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    titles: list[str] = []
    rest: Iterator[tuple[int, Any]]
    if found is None:
        if not seen:
            return _Header(None)
        found, rest = seen[0], itertools.chain(seen[1:], rows)
    else:
        titles = [" ".join(cell for cell in _row_cells(values) if cell) for _n, values in seen]
        rest = rows
    cells = _row_cells(found[1])
    header = _Header(cells, found[0], titles)
    for number, values in rest:
        if _blank(values):
            continue
        tags = read_tag_row(cells, list(values))
        if tags is not None:
            header.cells, header.tags, header.tag_row = tags.header, tags, number
        break
    return header


def _close_workbook(workbook: Any, stream: Any) -> None:
    workbook.close()
    stream.close()


#: Most bytes the parts of a workbook may expand to. Excel's own limit of 1,048,576
#: rows of ACLED's 31 columns is about 1 GB of sheet XML; beyond 2 GiB it is a bomb.
MAX_XLSX_EXPANDED_BYTES = 2 * 1024**3
#: Highest compression ratio of a large part. Sheet XML compresses about 5-20 to 1;
#: a bomb's repeated bytes about 1,000 to 1.
MAX_XLSX_RATIO = 200
_RATIO_FLOOR_BYTES = 16 * 1024**2


def _refuse_zip_bomb(path: Path) -> None:
    """Refuse a workbook whose parts would expand enormously, before inflating any.

    The sizes are the archive's own; Python's zipfile stops inflating a part at
    its stated size, so a part cannot lie its way past this check.
    """
    import zipfile

    try:
        with open_input(path) as handle, zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except Exception as error:  # zipfile raises many types for a broken archive (found by fuzzing)
        raise UnreadableFileError(
            f"not a readable .xlsx workbook: {type(error).__name__}: {error}", path=path
        ) from None
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_XLSX_RATIO:
            raise UnreadableFileError(
                f"refused: part {part.filename!r} would expand {ratio:,.0f}-fold to "
                f"{part.file_size:,} bytes (a zip bomb?)",
                path=path,
            )
    if total > MAX_XLSX_EXPANDED_BYTES:
        raise UnreadableFileError(
            f"refused: the workbook would expand to {total:,} bytes, more than the "
            f"{MAX_XLSX_EXPANDED_BYTES:,} an event workbook can hold (a zip bomb?)",
            path=path,
        )


#: python-calamine builds a sheet as one grid in memory, about 64 bytes a cell
#: (measured: 190 MiB for 100,001 rows of 31 columns); a sheet whose grid would
#: be larger is streamed by openpyxl instead, a row at a time, in bounded memory.
#: 16 million cells are 516,000 rows of ACLED's 31 columns, about 1 GiB.
MAX_CALAMINE_CELLS = 16_000_000


def _open_xlsx(
    path: Path, *, chunk_rows: int | None, sheet: str | int | None, engine: str = "auto"
) -> RawSource:
    """Open a workbook's sheet; ``engine`` (``auto``, ``calamine``, ``openpyxl``) for tests.

    ``auto`` reads with python-calamine (Rust, about 40 times openpyxl's speed) what
    calamine reads exactly as openpyxl does, and with openpyxl the rest: a sheet
    with error cells (calamine returns ``#N/A`` as an empty cell), a grid over
    :data:`MAX_CALAMINE_CELLS`, a workbook whose layout is not plain SpreadsheetML,
    and any workbook calamine cannot read (openpyxl then names what is wrong, as
    before). ``calamine`` is ``auto`` without the size and error-cell fallbacks.
    """
    import zipfile

    with open_input(path) as probe:
        if not zipfile.is_zipfile(probe):
            raise UnreadableFileError("not an .xlsx workbook (not a zip archive)", path=path)
    _refuse_zip_bomb(path)
    if engine != "openpyxl":
        source = _open_with_calamine(path, chunk_rows, sheet, bounded=engine == "auto")
        if source is not None:
            return source
    return _open_with_openpyxl(path, chunk_rows, sheet)


def _choose_sheet(path: Path, sheet_names: list[str], sheet: str | int | None) -> str:
    if not sheet_names:
        raise UnreadableFileError("the workbook has no sheet", path=path)
    if sheet is None:
        return sheet_names[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(sheet_names):
            raise UsageError(
                f"the workbook has {len(sheet_names)} sheet(s); sheet index {sheet} does not exist",
                path=path,
            )
        return sheet_names[sheet]
    if sheet in sheet_names:
        return sheet
    raise UsageError(
        f"no sheet named {sheet!r}; the sheets are {', '.join(map(repr, sheet_names))}",
        path=path,
    )


def _open_with_calamine(
    path: Path, chunk_rows: int | None, sheet: str | int | None, *, bounded: bool
) -> RawSource | None:
    """The sheet read by python-calamine, or None for openpyxl to read it."""
    from sahel_events.read._xlsx_layout import part_has_loose_spaces, sheet_extent, sheet_parts

    with open_input(path) as stream:
        parts = sheet_parts(stream)
    if parts is None:
        return None
    name = _choose_sheet(path, [part.name for part in parts], sheet)
    chosen = next(part for part in parts if part.name == name)
    with open_input(path) as stream:
        extent = sheet_extent(stream, chosen.part)
    if extent is None:
        return None
    from sahel_events.read import MAX_COLUMNS

    if bounded and (extent.errors or extent.cells > MAX_CALAMINE_CELLS):
        return None
    # calamine trims a text's leading and trailing spaces unless xml:space="preserve"
    # says to keep them (Excel always says so); openpyxl keeps them, and the validator
    # reports them as stray spaces.
    if extent.loose_spaces:
        return None
    if chosen.shared_strings is not None:
        with open_input(path) as stream:
            if part_has_loose_spaces(stream, chosen.shared_strings) is not False:
                return None
    if extent.cells > MAX_CALAMINE_CELLS and extent.columns > MAX_COLUMNS + 1:
        return None  # not even for a test: a grid this wide is openpyxl's to cut
    try:
        from python_calamine import CalamineWorkbook

        with open_input(path) as stream:
            workbook = CalamineWorkbook.from_filelike(stream)
        if workbook.sheet_names != [part.name for part in parts]:
            workbook.close()
            return None
        grid = workbook.get_sheet_by_name(name)
        workbook.close()
    except (KeyboardInterrupt, SystemExit):
        raise
    # calamine's errors are openpyxl's to name, as before; a panic in Rust arrives as
    # pyo3's PanicException, a BaseException, and is no reason to crash either.
    except BaseException:
        return None
    corner = grid.start

    def read_rows(min_row: int, max_col: int) -> Iterator[tuple[int, Sequence[Any]]]:
        if corner is None:
            return
        # calamine's rows start at the grid's first column: put back the empty
        # columns left of it, as openpyxl's rows start at column A.
        pad: list[Any] = [None] * corner[1]
        for number, values in enumerate(grid.iter_rows(), start=1):
            if number >= min_row:
                yield number, _calamine_cells(pad + values if pad else values, max_col)

    def read_body(
        start: int, width: int, limit: float
    ) -> Iterator[tuple[list[list[str | None]], list[int]]]:
        pad = corner[1] if corner is not None else 0
        inside = max(0, width - pad)  # the header's columns that calamine's rows hold
        batch: list[list[Any]] = []
        rows: list[int] = []
        emitted = False
        if corner is not None:
            for number, values in enumerate(grid.iter_rows(), start=1):
                if number < start:
                    continue
                cells = values[:inside]
                # Blank when every cell is empty or spaces, as for the openpyxl reader;
                # most rows' first cell (the event id) says at once that they are not.
                first = cells[0] if cells else ""
                if (type(first) is str and not first.strip()) and not any(
                    type(cell) is not str or cell.strip() for cell in cells
                ):
                    continue
                batch.append(cells)
                rows.append(number)
                if len(rows) >= limit:
                    yield _calamine_chunk(batch, rows, pad, width)
                    emitted = True
                    batch, rows = [], []
        if rows or not emitted:
            yield _calamine_chunk(batch, rows, pad, width)

    return _source(
        path,
        name,
        [part.name for part in parts],
        sheet,
        read_rows,
        read_body,
        lambda: None,
        chunk_rows,
    )


#: Below this a whole float is exactly the integer Excel wrote: xlsx stores every
#: number as text; openpyxl returns '44243' as int, calamine as 44243.0.
_EXACT_WHOLE_BELOW = 1e15


def _whole(numbers: Any) -> Any:
    """Which of an array of floats are whole numbers to be written as integers."""
    import numpy as np

    return (np.abs(numbers) < _EXACT_WHOLE_BELOW) & (numbers == np.trunc(numbers))


def _calamine_cells(values: list[Any], max_col: int) -> list[Any]:
    """A calamine row as openpyxl gives it: empty cells None, whole numbers int."""
    cells = values[:max_col]
    for index, value in enumerate(cells):
        if value == "":
            cells[index] = None
        elif type(value) is float and value.is_integer() and abs(value) < _EXACT_WHOLE_BELOW:
            cells[index] = int(value)
    return cells


def _calamine_chunk(
    batch: list[list[Any]], rows: list[int], pad: int, width: int
) -> tuple[list[list[str | None]], list[int]]:
    """Rows from calamine as text columns, converted a column at a time."""
    count = len(rows)
    columns: list[list[str | None]] = [[None] * count for _ in range(pad)]
    columns += [_calamine_texts(values) for values in zip(*batch, strict=True)]
    while len(columns) < width:
        columns.append([None] * count)
    return columns[:width], rows


def _calamine_texts(values: tuple[Any, ...]) -> list[str | None]:
    """A column of calamine values as the openpyxl reader writes them (see :func:`_cell_text`)."""
    import numpy as np

    kinds = set(map(type, values))
    if kinds <= {str}:
        return [value or None for value in values] if "" in values else list(values)
    if kinds == {float}:
        numbers = np.array(values)
        whole = _whole(numbers)
        if whole.all():
            return numbers.astype(np.int64).astype(str).tolist()
        if not whole.any():
            return list(map(repr, values))
    if kinds <= {float, str}:
        numbers = np.array([value if type(value) is float else np.nan for value in values])
        whole = _whole(numbers)
        texts: list[str | None] = [
            (value or None) if type(value) is str else repr(value) for value in values
        ]
        for index, integer in zip(
            np.flatnonzero(whole).tolist(), numbers[whole].astype(np.int64).tolist(), strict=True
        ):
            texts[index] = str(integer)
        return texts
    return [_cell_text(value) for value in _calamine_cells(list(values), len(values))]


def _open_with_openpyxl(path: Path, chunk_rows: int | None, sheet: str | int | None) -> RawSource:
    from openpyxl import load_workbook

    # A file object, so that openpyxl does not judge the workbook by its extension.
    stream = open_input(path)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet_names = workbook.sheetnames
    except Exception as error:  # openpyxl raises many types for broken workbooks
        stream.close()
        raise UnreadableFileError(
            f"not a readable .xlsx workbook: {type(error).__name__}: {error}", path=path
        ) from None
    try:
        name = _choose_sheet(path, sheet_names, sheet)
        worksheet = workbook[name]
        # The declared dimensions may claim a million rows or column XFD: read the
        # rows the sheet holds, not the ones it declares.
        worksheet.reset_dimensions()
    except BaseException:
        _close_workbook(workbook, stream)
        raise

    def read_rows(min_row: int, max_col: int) -> Iterator[tuple[int, Sequence[Any]]]:
        rows = worksheet.iter_rows(min_row=min_row, max_col=max_col, values_only=True)
        return enumerate(rows, start=min_row)

    def read_body(
        start: int, width: int, limit: float
    ) -> Iterator[tuple[list[list[str | None]], list[int]]]:
        columns: list[list[str | None]] = [[] for _ in range(width)]
        rows: list[int] = []
        emitted = False
        number = start - 1
        iterator = read_rows(start, max(width, 1))
        while True:
            try:
                number, values = next(iterator)
            except StopIteration:
                break
            except Exception as error:
                raise _RowError(number, error) from None
            texts = [_cell_text(value) for value in values[:width]]
            if not any(text is not None and text.strip() for text in texts):
                continue
            texts.extend([None] * (width - len(texts)))
            for column, text in zip(columns, texts, strict=True):
                column.append(text)
            rows.append(number)
            if len(rows) >= limit:
                yield columns, rows
                emitted = True
                columns = [[] for _ in range(width)]
                rows = []
        if rows or not emitted:
            yield columns, rows

    return _source(
        path,
        name,
        sheet_names,
        sheet,
        read_rows,
        read_body,
        lambda: _close_workbook(workbook, stream),
        chunk_rows,
    )


def _source(
    path: Path,
    name: str,
    sheet_names: list[str],
    sheet: str | int | None,
    read_rows: RowReader,
    read_body: BodyReader,
    close: Callable[[], None],
    chunk_rows: int | None,
) -> RawSource:
    """The sheet ``name`` as a source, whichever library reads its rows."""
    try:
        found = _find_header(read_rows)
        header = found.cells
    except Exception as error:
        close()
        raise UnreadableFileError(
            f"cannot read sheet {name!r}: {type(error).__name__}: {error}", path=path
        ) from None
    if header is None:
        close()
        raise UnreadableFileError(f"sheet {name!r} is empty", path=path)
    file_issues = FindingsCollector()
    if found.titles:
        note_header_row(file_issues, found.number, found.titles)
    if found.tags is not None:
        found.tags.report(file_issues, found.tag_row)
    if not is_header_row(header) and sheet is None and len(sheet_names) > 1:
        close()
        others = ", ".join(repr(other) for other in sheet_names if other != name)
        raise UnreadableFileError(
            f"the first sheet {name!r} holds no event columns (a licence or notes sheet?);"
            f" the workbook's other sheets are {others}: choose one with --sheet (sheet=)",
            path=path,
        )
    while header and not header[-1].strip():
        header.pop()
    width = len(header)
    # The rows after the header (and tag row) are read again, only as wide as the header.
    start = max(found.number, found.tag_row) + 1
    limit = chunk_rows or math.inf

    def chunks() -> Iterator[RawChunk]:
        import numpy as np
        import pandas as pd

        number = start - 1
        try:
            for columns, rows in read_body(start, width, limit):
                frame = pd.DataFrame(
                    {index: pd.Series(values, dtype="str") for index, values in enumerate(columns)}
                )
                if rows:
                    number = rows[-1]
                yield RawChunk(frame, np.asarray(rows, dtype=np.int64))
        except UnreadableFileError:
            raise
        except _RowError as failure:
            raise UnreadableFileError(
                f"cannot read sheet {name!r} near row {failure.number + 1}: "
                f"{type(failure.error).__name__}: {failure.error}",
                path=path,
                row=failure.number + 1,
            ) from None
        except Exception as error:
            raise UnreadableFileError(
                f"cannot read sheet {name!r} near row {number + 1}: {type(error).__name__}: {error}",
                path=path,
                row=number + 1,
            ) from None
        finally:
            close()

    return RawSource(path, "xlsx", header, chunks(), {"sheet": name}, file_issues)
