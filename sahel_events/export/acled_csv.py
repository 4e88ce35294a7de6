"""ACLED-format CSV: the current 31 columns in ACLED's order, dates ``YYYY-MM-DD``.

The file is what :func:`sahel_events.write.write_csv` writes (UTF-8, CRLF line
ends, formula-like text cells neutralized with a leading ``'``), so that
:func:`sahel_events.read_events` reads it back with the same dtypes and values.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events.export._common import ExportFormat, binary_sink, is_stdout, select

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMAT", "read_acled_csv", "to_acled_csv"]


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
    from sahel_events._io import write_csv_table
    from sahel_events.write import write_csv
    from sahel_events.write._cells import spreadsheet_table

    frame = select(df, with_provenance=with_provenance)
    if not is_stdout(out):
        return write_csv(frame, out)
    with binary_sink(out) as handle:
        write_csv_table(spreadsheet_table(frame), handle)
    return None


def read_acled_csv(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read back a file :func:`to_acled_csv` wrote (it is what ``read_events`` reads)."""
    from sahel_events.read import read_events

    return read_events(path)


FORMAT = ExportFormat(
    name="csv",
    description="ACLED-format CSV: the current 31 columns in ACLED's order, dates YYYY-MM-DD.",
    extension=".acled.csv",
    write=to_acled_csv,
    read=read_acled_csv,
    options=frozenset({"with_provenance"}),
)
