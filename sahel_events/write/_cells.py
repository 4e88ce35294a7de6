"""The table a spreadsheet gets (CSV, XLSX, HXL): ACLED's columns first, formulas neutralized."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sahel_events._io import neutralize_array

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["spreadsheet_table"]


def spreadsheet_table(df: pd.DataFrame) -> pa.Table:
    """The table a spreadsheet gets: ACLED's columns first, plain types, no geometry.

    Text cells are neutralized (:func:`sahel_events._io.neutralize_formulas`) and dictionaries decoded.
    """
    import pyarrow as pa

    from sahel_events.schema.arrow import to_arrow_table

    table = to_arrow_table(df, geometry=False)
    for position, field in enumerate(table.schema):
        column = table.column(position).combine_chunks()
        if pa.types.is_dictionary(field.type):
            # Neutralise the few dictionary values, then expand: cheaper than per row.
            column = pa.DictionaryArray.from_arrays(
                column.indices, neutralize_array(column.dictionary)
            ).dictionary_decode()
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = neutralize_array(column)
        else:
            continue
        table = table.set_column(position, field.with_type(column.type), column)
    return table
