"""The typed Arrow schema of an event table, and conversions to and from pandas.

An event table is ACLED's 31 current-format columns (:data:`sahel_events.vocabulary.COLUMNS`,
in ACLED's order), then the provenance columns of coded datasets
(:data:`PROVENANCE_COLUMNS`), then any other columns the frame carries, then a
``geometry`` column holding each event's point as WKB (GeoParquet's encoding).

Types are chosen so that a file is small and every reader gets the right thing
without a cast: dates are ``date32`` (a day, not an instant), small integers
use the narrowest type that holds every legal value, and closed vocabularies are
dictionary-encoded strings. Dictionaries are the *sorted* distinct values of a
column, so the bytes of a file never depend on the order in which values first
appear.

>>> from sahel_events.schema.arrow import to_arrow_table, to_dataframe
>>> table = to_arrow_table(events)          # doctest: +SKIP
>>> again = to_dataframe(table)             # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

import pyarrow as pa

from sahel_events import vocabulary
from sahel_events.exc import UsageError
from sahel_events.vocabulary import PROVENANCE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ARROW_TYPES",
    "GEOMETRY_COLUMN",
    "PROVENANCE_COLUMNS",
    "PROVENANCE_DESCRIPTIONS",
    "event_schema",
    "to_arrow_table",
    "to_dataframe",
]

GEOMETRY_COLUMN = "geometry"


PROVENANCE_DESCRIPTIONS: dict[str, str] = {
    "source_id": "Identifier of the source text the event was coded from.",
    "evidence": "Verbatim quotes from the source supporting the event, one per line.",
    "evidence_offsets": "Character offsets 'start-end' of each quote in the source text, joined by ';'.",
    "background": "True when the event is mentioned as background, not reported as news.",
}
_GEOMETRY_DESCRIPTION = "The event's point (longitude, latitude) as WKB; null without coordinates."

#: Dictionary type of a vocabulary column. int8 indexes up to 127 values, enough for
#: every ACLED vocabulary; a column with more distinct values is widened (see _index_type).
_VOCABULARY = pa.dictionary(pa.int8(), pa.string())

#: Arrow type of every known column. Integer widths hold every legal value with room:
#: years up to 32767, ISO numeric codes up to 999, fatalities up to 2**31 - 1.
ARROW_TYPES: dict[str, pa.DataType] = {
    "event_date": pa.date32(),
    "year": pa.int16(),
    "time_precision": pa.int8(),
    "geo_precision": pa.int8(),
    "iso": pa.int16(),
    "fatalities": pa.int32(),
    "timestamp": pa.int64(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    **{name: _VOCABULARY for name in sorted(vocabulary.CATEGORICAL_COLUMNS)},
    # A dataset may cite thousands of sources: no int8 index for these.
    "source_id": pa.dictionary(pa.int32(), pa.string()),
    "evidence": pa.string(),
    "evidence_offsets": pa.string(),
    "background": pa.bool_(),
    GEOMETRY_COLUMN: pa.binary(),
}
for _column in vocabulary.COLUMNS:
    ARROW_TYPES.setdefault(_column.name, pa.string())
del _column

_DESCRIPTIONS: dict[str, str] = {
    **{column.name: column.description for column in vocabulary.COLUMNS},
    **PROVENANCE_DESCRIPTIONS,
    GEOMETRY_COLUMN: _GEOMETRY_DESCRIPTION,
}

# pandas dtypes of the provenance columns in a DataFrame handed to the writer.
_PROVENANCE_PANDAS_DTYPES: dict[str, str] = {
    "source_id": "str",
    "evidence": "str",
    "evidence_offsets": "str",
    "background": "bool",
}


def _field(name: str, type_: pa.DataType) -> pa.Field:
    description = _DESCRIPTIONS.get(name)
    metadata = None if description is None else {"description": description}
    return pa.field(name, type_, nullable=True, metadata=metadata)


def event_schema(*, provenance: bool = False, extra: Iterable[pa.Field] = ()) -> pa.Schema:
    """The Arrow schema of an event table.

    Args:
        provenance: Include the provenance columns of coded datasets.
        extra: Further fields, placed after the provenance columns and before geometry.

    Returns:
        The schema, each known field carrying its description as field metadata
        ``description``. Vocabulary columns are declared with an int8 dictionary index;
        a table whose column holds more than 127 distinct values uses a wider index.
    """
    names = list(vocabulary.COLUMN_NAMES)
    if provenance:
        names.extend(PROVENANCE_COLUMNS)
    fields = [_field(name, ARROW_TYPES[name]) for name in names]
    fields.extend(extra)
    fields.append(_field(GEOMETRY_COLUMN, ARROW_TYPES[GEOMETRY_COLUMN]))
    return pa.schema(fields)


def _index_type(size: int, declared: pa.DataType) -> pa.DataType:
    # Widen, never narrow: a declared int32 index (source_id) stays int32.
    for candidate in (pa.int8(), pa.int16(), pa.int32()):
        if candidate.bit_width >= declared.bit_width and size <= 2 ** (candidate.bit_width - 1) - 1:
            return candidate
    return pa.int64()


def _sorted_dictionary(values: pa.Array, index_type: pa.DataType) -> pa.DictionaryArray:
    """Dictionary-encode strings with the sorted distinct values as the dictionary."""
    import pyarrow.compute as pc

    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    values = values.cast(pa.string())
    distinct = pc.unique(values).drop_null()
    dictionary = distinct.take(pc.sort_indices(distinct))
    index = _index_type(len(dictionary), index_type)
    indices = pc.index_in(values, value_set=dictionary).cast(index)
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _points_wkb(longitude: pa.Array, latitude: pa.Array) -> pa.Array:
    """WKB points from coordinate arrays, null where either coordinate is missing."""
    import numpy as np
    import shapely

    x = longitude.to_numpy(zero_copy_only=False).astype("float64")
    y = latitude.to_numpy(zero_copy_only=False).astype("float64")
    missing = np.isnan(x) | np.isnan(y)
    points = shapely.points(x, y)
    points[missing] = None
    # ISO WKB, little-endian, 2D: what GeoParquet 1.1 asks for.
    wkb = shapely.to_wkb(points, output_dimension=2, byte_order=1, flavor="iso")
    return pa.array(wkb, type=pa.binary(), from_pandas=True)


def _convert(series: pd.Series, name: str, target: pa.DataType | None) -> pa.Array:
    """One pandas column as an Arrow array of the target type (inferred when None)."""
    import pandas as pd

    if target is not None and pa.types.is_date32(target):
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            raise UsageError(
                "event dates must be calendar days without a time zone; "
                f"got {series.dtype}: convert with .dt.tz_localize(None) first",
                column=name,
            )
        if pd.api.types.is_datetime64_dtype(series.dtype):
            # Arrow silently drops a time of day when casting to date32; refuse instead.
            has_time = series.notna() & (series != series.dt.normalize())
            if has_time.any():
                row = int(has_time.to_numpy().nonzero()[0][0])
                raise UsageError(
                    f"event_date holds a time of day ({series.iloc[row]}); "
                    "ACLED dates are calendar days",
                    row=row,
                    column=name,
                )
    try:
        array = pa.array(series, from_pandas=True)
        if target is None:
            if pa.types.is_large_string(array.type):
                array = array.cast(pa.string())
            return array
        if pa.types.is_dictionary(target):
            return _sorted_dictionary(array, target.index_type)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        return array.cast(target, safe=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
        described = "an inferred type" if target is None else str(target)
        raise UsageError(
            f"cannot store the column as {described}: {error}; "
            "validate the frame with sahel_events.EventSchema first",
            column=name,
        ) from None


def to_arrow_table(df: pd.DataFrame, *, geometry: bool = True) -> pa.Table:
    """Convert an event DataFrame to a typed Arrow table with a WKB ``geometry`` column.

    The frame must hold all 31 columns of ACLED's current format; provenance columns
    (:data:`PROVENANCE_COLUMNS`) and any other columns are optional. Values are not
    validated (that is :class:`sahel_events.EventSchema`'s job) but a value the Arrow
    type cannot hold exactly (a year beyond int16, a fractional fatality count, a date
    with a time of day) is refused rather than silently changed.

    Args:
        df: The events, one row each. The index is not stored.
        geometry: Add the WKB ``geometry`` column (CSV and XLSX leave it out).

    Returns:
        A table whose columns are ACLED's 31 in ACLED's order, the provenance columns
        present, the other columns in frame order, then ``geometry``.

    Raises:
        UsageError: A required column is missing, a column name is repeated or reserved,
            or a value cannot be stored in its column's type.
    """
    columns = [str(name) for name in df.columns]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise UsageError(f"repeated column names: {', '.join(repeated)}")
    missing = [name for name in vocabulary.COLUMN_NAMES if name not in columns]
    if missing:
        raise UsageError(
            f"the frame lacks {len(missing)} of ACLED's current columns: {', '.join(missing)}"
        )
    if GEOMETRY_COLUMN in columns:
        raise UsageError(
            "'geometry' is written from longitude and latitude; drop the column first",
            column=GEOMETRY_COLUMN,
        )

    known = set(vocabulary.COLUMN_NAMES) | set(PROVENANCE_COLUMNS)
    ordered = [
        *vocabulary.COLUMN_NAMES,
        *(name for name in PROVENANCE_COLUMNS if name in columns),
        *(name for name in columns if name not in known),
    ]
    fields: list[pa.Field] = []
    arrays: list[pa.Array] = []
    for name in ordered:
        target = ARROW_TYPES.get(name) if name in known else None
        array = _convert(df[name], name, target)
        fields.append(_field(name, array.type))
        arrays.append(array)

    if geometry:
        longitude = arrays[ordered.index("longitude")]
        latitude = arrays[ordered.index("latitude")]
        arrays.append(_points_wkb(longitude, latitude))
        fields.append(_field(GEOMETRY_COLUMN, pa.binary()))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


_INTEGER_DTYPES = {
    pa.int8(): "Int8",
    pa.int16(): "Int16",
    pa.int32(): "Int32",
    pa.int64(): "Int64",
}


def to_dataframe(
    table: pa.Table, *, geometry: Literal["drop", "wkb", "shapely"] = "drop"
) -> pd.DataFrame:
    """Convert an event table back to a DataFrame with the canonical pandas dtypes.

    Known columns get the dtypes of :func:`sahel_events.vocabulary.pandas_dtypes`
    (vocabularies ``category``, integers ``Int64``, text ``str``, event_date
    ``datetime64[ns]``) and the provenance dtypes (``background`` is ``bool``, or
    ``boolean`` when it holds nulls). Columns absent from the table (say, partition
    columns not read back) are simply absent.

    Args:
        table: A table as written by :func:`to_arrow_table` or read from such a file.
        geometry: ``"drop"`` the geometry column, keep it as ``"wkb"`` bytes, or as
            ``"shapely"`` points.

    Returns:
        The events, with a fresh RangeIndex.
    """
    import pandas as pd

    if geometry not in ("drop", "wkb", "shapely"):
        raise UsageError(f"geometry must be 'drop', 'wkb' or 'shapely', not {geometry!r}")
    if geometry == "drop" and GEOMETRY_COLUMN in table.column_names:
        table = table.drop_columns([GEOMETRY_COLUMN])

    frame = table.to_pandas()
    wanted = {**vocabulary.pandas_dtypes(), **_PROVENANCE_PANDAS_DTYPES}
    for name in frame.columns:
        dtype = wanted.get(name)
        if dtype is None:
            continue
        if dtype == "Int64":
            # Nullable integers straight from Arrow: no detour through float64.
            column = table.column(name).to_pandas(types_mapper=_pandas_integer)
            frame[name] = column.astype("Int64").array
            continue
        if dtype == "bool" and frame[name].isna().any():
            dtype = "boolean"
        if dtype == "datetime64[ns]":
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
        elif dtype == "category" and isinstance(frame[name].dtype, pd.CategoricalDtype):
            continue
        else:
            frame[name] = frame[name].astype(dtype)
    if geometry == "shapely" and GEOMETRY_COLUMN in frame.columns:
        import shapely

        frame[GEOMETRY_COLUMN] = shapely.from_wkb(frame[GEOMETRY_COLUMN].to_numpy())
    return frame


def _pandas_integer(type_: pa.DataType) -> object:
    import pandas as pd

    name = _INTEGER_DTYPES.get(type_)
    return None if name is None else pd.api.types.pandas_dtype(name)
