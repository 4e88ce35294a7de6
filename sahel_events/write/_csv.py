"""Events as UTF-8 CSV in ACLED's column order."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events._io import CSV_LINE_END, atomic_path
from sahel_events.write._cells import spreadsheet_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["write_csv"]


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write events as UTF-8 CSV in ACLED's column order, formulas neutralized.

    Dates are written ``YYYY-MM-DD``, missing values as empty cells, lines end with
    ``\\r\\n`` as RFC 4180 asks. Text cells that a spreadsheet would run as a formula
    get a leading ``'`` (see :func:`sahel_events._io.neutralize_formulas`). Atomic, like every writer here.

    Raises:
        UsageError: The frame lacks ACLED columns.
        OutputError: The file cannot be written; nothing was written.
    """
    import pyarrow.csv as csv

    table = spreadsheet_table(df)
    target = Path(path)
    # "needed" quotes every text cell (as OWASP advises) and so every line break
    # inside one; CRLF line ends follow RFC 4180.
    options = csv.WriteOptions(include_header=True, eol=CSV_LINE_END, quoting_style="needed")
    with atomic_path(target) as temporary:
        csv.write_csv(table, str(temporary), write_options=options)
    return target
