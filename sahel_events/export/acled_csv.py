"""ACLED-format CSV: the current 31 columns in ACLED's order, dates ``YYYY-MM-DD``.

The file is what :func:`sahel_events.write.write_csv` writes (UTF-8, CRLF line
ends, formula-like text cells neutralized with a leading ``'``), so that
:func:`sahel_events.read_events` reads it back with the same dtypes and values.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sahel_events.export._common import binary_sink, is_stdout, select

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["to_acled_csv"]


def write_csv_rows(
    table: pa.Table, handle: IO[bytes], *, header: bool = True, extra_rows: list[list[str]] = ()
) -> None:
    """Write ``table`` as CSV the way :func:`sahel_events.write.write_csv` does.

    ``extra_rows`` (lists of strings, one per column) follow the header: HXL's tag row.
    """
    import pyarrow as pa
    import pyarrow.csv as csv

    # The options of write.write_csv: quoted text cells, RFC 4180 line ends.
    options = csv.WriteOptions(include_header=header, eol="\r\n", quoting_style="needed")
    if extra_rows:
        names = table.column_names
        head = pa.table(
            {
                name: pa.array([row[i] for row in extra_rows], pa.string())
                for i, name in enumerate(names)
            }
        )
        csv.write_csv(head, handle, write_options=options)
        options = csv.WriteOptions(include_header=False, eol="\r\n", quoting_style="needed")
    csv.write_csv(table, handle, write_options=options)


def to_acled_csv(
    df: pd.DataFrame, out: str | os.PathLike[str] = "-", *, with_provenance: bool = False
) -> Path | None:
    """Write events as ACLED-format CSV to a file (atomically) or standard output (``"-"``).

    Args:
        df: Events with ACLED's 31 current columns (as :func:`sahel_events.read_events`
            or :func:`sahel_events.load` return them).
        out: The file to write, or ``"-"`` for standard output.
        with_provenance: Also write the provenance columns ``source_id``,
            ``evidence``, ``evidence_offsets`` and ``background`` when present.

    Returns:
        The path written, or None for standard output.

    Raises:
        UsageError: The frame lacks ACLED columns or holds values their types cannot store.
        OutputError: The file cannot be written; nothing was written.
    """
    from sahel_events.write import write_csv
    from sahel_events.write._cells import spreadsheet_table

    frame = select(df, with_provenance=with_provenance)
    if not is_stdout(out):
        return write_csv(frame, out)
    table = spreadsheet_table(frame)
    with binary_sink(out) as handle:
        write_csv_rows(table, handle)
    return None
