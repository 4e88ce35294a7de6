"""The table a spreadsheet gets (CSV, XLSX, HXL): ACLED's columns first, formulas neutralized."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sahel_events._io import neutralize_table

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["spreadsheet_table"]


def spreadsheet_table(df: pd.DataFrame) -> pa.Table:
    """The table a spreadsheet gets: ACLED's columns first, plain types, no geometry.

    Text cells and column names are neutralized (:func:`sahel_events._io.neutralize_table`)
    and dictionaries decoded.
    """
    from sahel_events.schema.arrow import to_arrow_table

    return neutralize_table(to_arrow_table(df, geometry=False))
