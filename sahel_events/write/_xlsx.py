"""Events as a reproducible Excel workbook in ACLED's column order."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events import __version__
from sahel_events._io import atomic_path, output_error
from sahel_events.exc import OutputError
from sahel_events.write._cells import spreadsheet_table

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["write_xlsx"]

# Fixed zip-entry times and document dates make the workbook's bytes reproducible.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIXED_DATE = b"2000-01-01T00:00:00Z"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _normalize_xlsx(raw: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time here whatever the properties say.
                content = _MODIFIED.sub(rb"\g<1>" + _FIXED_DATE + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


def write_xlsx(df: pd.DataFrame, path: str | os.PathLike[str], *, sheet: str = "events") -> Path:
    """Write events as an Excel workbook in ACLED's column order, formulas neutralized.

    event_date cells are real dates shown ``YYYY-MM-DD``; the header row is frozen
    and filterable. Text cells a spreadsheet would run as a formula get a leading
    ``'``, stored as part of the text. Atomic, and byte-identical for the same frame.

    Raises:
        UsageError: The frame lacks ACLED columns.
        OutputError: A cell holds a control character XLSX cannot store, or the file
            cannot be written; nothing was written.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    target = Path(path)
    table = spreadsheet_table(df)
    for name, column in zip(table.column_names, table.columns, strict=True):
        if not pa.types.is_string(column.type):
            continue
        bad = pc.fill_null(pc.match_substring_regex(column, ILLEGAL_CHARACTERS_RE.pattern), False)
        if pc.any(bad).as_py():
            raise OutputError(
                "XLSX cannot hold control characters; clean the text or write CSV",
                path=target,
                row=pc.index(bad, True).as_py(),
                column=name,
            )
    try:
        data = _workbook_bytes(table, sheet)
    except OSError as error:
        # openpyxl spools worksheets through temporary files: disk full shows up here.
        raise output_error(error, target) from None
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return target


def _workbook_bytes(table: pa.Table, sheet: str) -> bytes:
    """The reproducible bytes of a one-sheet workbook holding ``table``."""
    import datetime as dt
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    fixed = dt.datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = f"sahel_events {__version__}"
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A2"
    last_column = get_column_letter(table.num_columns)
    worksheet.auto_filter.ref = f"A1:{last_column}{table.num_rows + 1}"
    bold = Font(bold=True)
    header = []
    for name in table.column_names:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    # Arrow hands out Python objects: date32 as datetime.date, null as None.
    columns = [column.to_pylist() for column in table.columns]
    date_position = table.column_names.index("event_date")
    buffer = io.BytesIO()
    try:
        for values in zip(*columns, strict=True):
            row = list(values)
            if row[date_position] is not None:
                cell = WriteOnlyCell(worksheet, value=row[date_position])
                cell.number_format = "yyyy-mm-dd"
                row[date_position] = cell
            worksheet.append(row)
        workbook.save(buffer)
    except BaseException:
        # Close openpyxl's spooling generator now, or its own failure is printed
        # as an "Exception ignored" traceback when it is garbage-collected.
        writer = getattr(worksheet, "_writer", None)
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.xf.close()
        raise
    return _normalize_xlsx(buffer.getvalue())
