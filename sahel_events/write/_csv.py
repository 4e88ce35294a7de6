"""Events as UTF-8 CSV in ACLED's column order."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events._io import write_csv_table
from sahel_events.write._cells import spreadsheet_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["write_csv"]


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write events as UTF-8 CSV in ACLED's column order, formulas neutralized.

    Dates are written ``YYYY-MM-DD``, missing values as empty cells, lines end with
    ``\\r\\n`` as RFC 4180 asks. Text cells that a spreadsheet would run as a formula
    get a leading ``'``, column names too; every text field is quoted, so a line break
    or carriage return in a value stays in its field (see
    :func:`sahel_events._io.write_csv_table`). Atomic, like every writer here.

    Raises:
        UsageError: The frame lacks ACLED columns.
        OutputError: The file cannot be written; nothing was written.
    """
    target = Path(path)
    write_csv_table(spreadsheet_table(df), target)
    return target
