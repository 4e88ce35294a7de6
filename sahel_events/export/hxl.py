"""HXL-tagged CSV, as the Humanitarian Data Exchange publishes conflict events.

The file is ACLED-format CSV (see :mod:`sahel_events.export.acled_csv`) with a
second row of HXL hashtags (https://hxlstandard.org). The tags of the columns HDX
tags in its own ACLED datasets are HDX's (``#event+code``, ``#date+occurred``,
``#group+name+first``, ``#affected+killed``...); the other columns get tags built
from HXL core hashtags, listed in :data:`HXL_TAGS` and docs/exports.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events.exc import UnreadableFileError
from sahel_events.export._common import ExportFormat, binary_sink, select

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["FORMAT", "HDX_TAGGED", "HXL_TAGS", "read_hxl", "to_hxl"]

#: Column -> HXL tag. Keys in :data:`HDX_TAGGED` carry the tags HDX uses for ACLED.
HXL_TAGS: dict[str, str] = {
    "event_id_cnty": "#event+code",
    "event_date": "#date+occurred",
    "year": "#date+year",
    "time_precision": "#date+precision",
    "disorder_type": "#event+type+disorder",
    "event_type": "#event+type",
    "sub_event_type": "#event+type+sub",
    "actor1": "#group+name+first",
    "assoc_actor_1": "#group+name+first+assoc",
    "inter1": "#group+type+first",
    "actor2": "#group+name+second",
    "assoc_actor_2": "#group+name+second+assoc",
    "inter2": "#group+type+second",
    "interaction": "#group+type+interaction",
    "civilian_targeting": "#event+civilians+targeted",
    "iso": "#country+code+num",
    "region": "#region+name",
    "country": "#country+name",
    "admin1": "#adm1+name",
    "admin2": "#adm2+name",
    "admin3": "#adm3+name",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "geo_precision": "#geo+precision",
    "source": "#meta+source",
    "source_scale": "#meta+source+scale",
    "notes": "#description",
    "fatalities": "#affected+killed",
    "tags": "#meta+tags",
    "timestamp": "#date+updated+unix",
    "source_id": "#meta+source+id",
    "evidence": "#meta+evidence",
    "evidence_offsets": "#meta+evidence+offsets",
    "background": "#meta+background",
}

#: Columns whose tag is the one HDX gives them in its ACLED datasets.
HDX_TAGGED: frozenset[str] = frozenset(
    {
        "event_id_cnty",
        "event_date",
        "year",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "region",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "latitude",
        "longitude",
        "source",
        "notes",
        "fatalities",
    }
)


def to_hxl(
    df: pd.DataFrame, out: str | os.PathLike[str] = "-", *, with_provenance: bool = False
) -> Path | None:
    """Write events as HXL-tagged CSV: a header row, the HXL tag row, then the events.

    Args:
        df: Events with ACLED's 31 current columns.
        out: The file to write (atomically), or ``"-"`` for standard output.
        with_provenance: Also write the provenance columns present.

    Returns:
        The path written, or None for standard output.

    Raises:
        UsageError: The frame lacks ACLED columns.
        OutputError: The file cannot be written; nothing was written.
    """
    from sahel_events._io import write_csv_table
    from sahel_events.transform._aggregate import is_aggregate
    from sahel_events.write._cells import spreadsheet_table

    if is_aggregate(df):
        table, tags = _aggregate_table(df)
    else:
        table = spreadsheet_table(select(df, with_provenance=with_provenance))
        tags = [HXL_TAGS.get(name, "") for name in table.column_names]
    with binary_sink(out) as handle:
        write_csv_table(table, handle, extra_rows=[tags])
    return None if isinstance(out, str) and out == "-" else Path(out)


def _aggregate_table(df: pd.DataFrame) -> tuple[pa.Table, list[str]]:
    """An aggregate as a text-safe Arrow table in HDX's layout, with its tags."""
    import pyarrow as pa

    from sahel_events._io import neutralize_array
    from sahel_events.transform._aggregate import hdx_layout

    layout, tags = hdx_layout(df)
    table = pa.Table.from_pandas(layout, preserve_index=False)
    for position, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = neutralize_array(table.column(position).combine_chunks())
            table = table.set_column(position, field.with_type(column.type), column)
    return table, tags


def read_hxl(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read an HXL-tagged event CSV (as :func:`to_hxl` writes it) into the canonical dtypes.

    The tag row is checked and dropped; cells are converted as
    :func:`sahel_events.validate` converts a user's frame, and cells that do not
    convert are listed in ``attrs["reader_issues"]``. The index is the line number
    in the file, as for :func:`sahel_events.read_events`.

    Raises:
        UnreadableFileError: The file cannot be read or its second row is not HXL tags.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as csv

    from sahel_events.read.conform import conform as _conform

    source = Path(path)
    try:
        table = csv.read_csv(
            source,
            read_options=csv.ReadOptions(block_size=1 << 24),
            convert_options=csv.ConvertOptions(
                column_types={},
                strings_can_be_null=True,
                auto_dict_encode=False,
            ),
            parse_options=csv.ParseOptions(newlines_in_values=True),
        )
    except (OSError, pa.ArrowInvalid) as error:
        raise UnreadableFileError(f"cannot read the HXL file: {error}", path=source) from None
    table = table.cast(pa.schema([pa.field(name, pa.string()) for name in table.column_names]))
    if table.num_rows == 0:
        raise UnreadableFileError("no HXL tag row: the file has a header only", path=source)
    tag_row = [table.column(i)[0].as_py() or "" for i in range(table.num_columns)]
    if not any(tag.startswith("#") for tag in tag_row) or any(
        tag and not tag.startswith("#") for tag in tag_row
    ):
        raise UnreadableFileError(
            "the second row is not an HXL tag row (every cell a #hashtag or empty)",
            path=source,
            row=2,
        )
    if any(tag.startswith("#event+num") for tag in tag_row):
        from sahel_events.exc import SahelEventsError
        from sahel_events.transform._aggregate import from_hdx_layout

        try:
            aggregate = from_hdx_layout(table.slice(1).to_pandas(), tag_row)
        except (SahelEventsError, ValueError) as error:
            raise UnreadableFileError(f"not an aggregate HDX reads: {error}", path=source) from None
        aggregate.attrs.update({"source_path": str(source), "file_format": "hxl"})
        return aggregate
    frame = table.slice(1).to_pandas()
    # Line 1 is the header, line 2 the tags: data starts on line 3 (quoted line breaks aside).
    frame.index = pd.RangeIndex(3, 3 + len(frame), name="source_row")
    frame = _conform(frame)
    frame.attrs.update({"source_path": str(source), "file_format": "hxl"})
    return frame


FORMAT = ExportFormat(
    name="hxl",
    description="HXL-tagged CSV as the Humanitarian Data Exchange publishes conflict events.",
    extension=".hxl.csv",
    write=to_hxl,
    read=read_hxl,
    options=frozenset({"with_provenance"}),
)
