"""Counts of events and fatalities per area and period, with HDX's splits.

ACLED publishes monthly aggregates on the Humanitarian Data Exchange (HDX) in three
files per country: *political violence events and fatalities* (Battles, Violence
against civilians, Explosions/Remote violence, and the Mob violence sub-event type
of Riots), *civilian targeting events and fatalities* (events coded "Civilian
targeting"), and *demonstration events* (Protests and Riots except Mob violence).
:func:`aggregate` computes the same splits from events; :func:`hdx_layout` names
the columns as HDX does (``Country``, ``Admin1``, ``Month``, ``Year``, ``Events``,
``Fatalities``) for ``export(..., "hxl", ...)``, which tags them with HDX's HXL tags.
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sahel_events import vocabulary
from sahel_events.exc import UsageError

__all__ = [
    "AGGREGATE_MEASURES",
    "FREQUENCIES",
    "HDX_COLUMNS",
    "aggregate",
    "from_hdx_layout",
    "hdx_layout",
    "is_aggregate",
    "read_aggregate",
    "to_hdx_csv",
]

#: Measure -> what it counts.
AGGREGATE_MEASURES: dict[str, str] = {
    "events": "all events",
    "fatalities": "reported fatalities of all events (missing counts as 0)",
    "political_violence_events": "Battles, Violence against civilians, Explosions/Remote "
    "violence and Riots of sub-event type Mob violence (HDX's political violence)",
    "political_violence_fatalities": "fatalities of the political violence events",
    "civilian_targeting_events": "events coded 'Civilian targeting' (HDX's civilian targeting)",
    "civilian_targeting_fatalities": "fatalities of the civilian targeting events",
    "demonstration_events": "Protests and Riots except Mob violence (HDX's demonstrations)",
}

#: Frequency name -> pandas period frequency. ACLED's weeks run Saturday to Friday.
FREQUENCIES: dict[str, str] = {
    "day": "D",
    "week": "W-FRI",
    "month": "M",
    "quarter": "Q-DEC",
    "year": "Y-DEC",
}

_POLITICAL_VIOLENCE_TYPES = ("Battles", "Violence against civilians", "Explosions/Remote violence")
_CIVILIAN_TARGETING_TYPES = ("Violence against civilians", "Explosions/Remote violence")
_DEMONSTRATION_TYPES = ("Protests", "Riots")
_MOB_VIOLENCE = "Mob violence"

#: Column of an aggregate -> (HDX's column name, HXL tag). Period columns are added by freq.
HDX_COLUMNS: dict[str, tuple[str, str]] = {
    "region": ("Region", "#region+name"),
    "country": ("Country", "#country+name"),
    "iso3": ("ISO3", "#country+code"),
    "admin1": ("Admin1", "#adm1+name"),
    "admin2": ("Admin2", "#adm2+name"),
    "admin3": ("Admin3", "#adm3+name"),
    "admin1_pcode": ("Admin1 Pcode", "#adm1+code"),
    "admin2_pcode": ("Admin2 Pcode", "#adm2+code"),
    "location": ("Location", "#loc+name"),
    "disorder_type": ("Disorder Type", "#event+type+disorder"),
    "event_type": ("Event Type", "#event+type"),
    "sub_event_type": ("Sub Event Type", "#event+type+sub"),
    "actor1": ("Actor 1", "#group+name+first"),
    "events": ("Events", "#event+num"),
    "fatalities": ("Fatalities", "#affected+killed"),
    "political_violence_events": ("Political Violence Events", "#event+num+political_violence"),
    "political_violence_fatalities": (
        "Political Violence Fatalities",
        "#affected+killed+political_violence",
    ),
    "civilian_targeting_events": ("Civilian Targeting Events", "#event+num+civilian_targeting"),
    "civilian_targeting_fatalities": (
        "Civilian Targeting Fatalities",
        "#affected+killed+civilian_targeting",
    ),
    "demonstration_events": ("Demonstration Events", "#event+num+demonstration"),
}
_PERIOD_COLUMNS: dict[str, tuple[str, str]] = {
    "month": ("Month", "#date+month"),
    "year": ("Year", "#date+year"),
    "start": ("Start Date", "#date+start"),
    "end": ("End Date", "#date+end"),
}
_ATTR = "sahel_events.aggregate"


def _freq(freq: str) -> tuple[str, str]:
    if freq in FREQUENCIES:
        return freq, FREQUENCIES[freq]
    raise UsageError(f"unknown freq {freq!r}; one of: {', '.join(FREQUENCIES)}")


def _text(values: pd.Series) -> np.ndarray:
    array = values.astype("object").to_numpy(copy=True)
    array[pd.isna(array)] = None
    return array


def aggregate(
    df: pd.DataFrame,
    by: str | Sequence[str] = ("country", "admin1"),
    freq: str = "month",
    measures: str | Sequence[str] = ("events", "fatalities"),
    *,
    event_types: str | Sequence[str] | None = None,
    fill_zeros: bool = False,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Count events (and fatalities) per unit of ``by`` and per period of ``freq``.

    Args:
        df: Events with ``event_date`` and the columns the measures need.
        by: The columns that make a unit (``()`` for one series over everything).
            Any column works; ``iso3`` is derived from ``country``.
        freq: ``day``, ``week`` (Saturday to Friday, as ACLED's weekly data),
            ``month``, ``quarter`` or ``year``.
        measures: Keys of :data:`AGGREGATE_MEASURES`.
        event_types: Count only these event types (before the splits).
        fill_zeros: Give every unit a row for every period from the first to the
            last (or ``start`` to ``end``), zeros where nothing happened. Units are
            the combinations of ``by`` present in ``df``, whatever ``event_types``.
        start: First period to cover (with ``fill_zeros``; events before are left out).
        end: Last period to cover (events after are left out).

    Returns:
        One row per unit and period with at least one event (every period with
        ``fill_zeros``): the ``by`` columns, ``period`` (a pandas Period) and one
        int64 column per measure, sorted by unit then period. Units whose ``by``
        value is missing form their own group (missing, not dropped). Events
        without a date cannot be placed in a period: their number is in
        ``attrs["undated_events"]``.

    Raises:
        UsageError: An unknown measure, frequency or event type, or a column the
            frame lacks; or a civilian-targeting measure on a file older than
            ACLED's ``civilian_targeting`` column.
    """
    by_columns = [by] if isinstance(by, str) else list(by)
    measure_names = [measures] if isinstance(measures, str) else list(measures)
    freq_name, period_freq = _freq(freq)
    unknown = [name for name in measure_names if name not in AGGREGATE_MEASURES]
    if unknown or not measure_names:
        raise UsageError(
            f"unknown measure {', '.join(unknown) or '(none given)'}; "
            f"one of: {', '.join(AGGREGATE_MEASURES)}"
        )
    if len(set(by_columns)) != len(by_columns) or "period" in by_columns:
        raise UsageError("by names each column once, and not 'period'")
    frame = df.copy(deep=False)
    frame.attrs = {}
    if "iso3" in by_columns and "iso3" not in df.columns:
        if "country" not in df.columns:
            raise UsageError("iso3 is derived from country; the frame has no country column")
        alpha3 = {country.name: country.alpha3 for country in vocabulary.countries()}
        frame = frame.assign(iso3=df["country"].astype("object").map(alpha3).astype("str"))
    needed = {"event_date", *by_columns}
    if any(name.endswith("fatalities") for name in measure_names):
        needed.add("fatalities")
    if any(name.startswith(("political", "demonstration")) for name in measure_names):
        needed |= {"event_type", "sub_event_type"}
    if any(name.startswith("civilian") for name in measure_names):
        needed |= {"event_type", "civilian_targeting"}
        if "civilian_targeting" in df.attrs.get("missing_columns", ()):
            raise UsageError(
                "this file predates ACLED's civilian_targeting column (added in 2023): "
                "civilian targeting cannot be counted from it"
            )
    if event_types is not None:
        needed.add("event_type")
    missing = sorted(name for name in needed if name not in frame.columns)
    if missing:
        raise UsageError(f"aggregate needs the column(s) {', '.join(missing)}")

    dates = frame["event_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, errors="coerce")
    ordinals, dated = _ordinals(dates, freq_name, period_freq)
    keep = np.asarray(dated, dtype=bool).copy()
    first = pd.Period(start, freq=period_freq) if start is not None else None
    last = pd.Period(end, freq=period_freq) if end is not None else None
    if first is not None:
        keep &= ordinals >= first.ordinal
    if last is not None:
        keep &= ordinals <= last.ordinal
    selected = keep.copy()
    if event_types is not None:
        wanted = [event_types] if isinstance(event_types, str) else list(event_types)
        bad = sorted(set(wanted) - set(vocabulary.EVENT_TYPES))
        if bad:
            raise UsageError(
                f"unknown event type {', '.join(bad)}; one of: {', '.join(vocabulary.EVENT_TYPES)}"
            )
        selected &= frame["event_type"].isin(wanted).to_numpy(dtype=bool)

    values: dict[str, np.ndarray] = {}
    fatalities = (
        pd.to_numeric(frame["fatalities"], errors="coerce").fillna(0).to_numpy(dtype="int64")
        if "fatalities" in needed
        else None
    )
    event_type = frame["event_type"] if "event_type" in frame.columns else None
    masks: dict[str, np.ndarray] = {"": np.ones(len(frame), dtype=bool)}
    if any(name.startswith(("political", "demonstration")) for name in measure_names):
        assert event_type is not None
        mob = (frame["sub_event_type"] == _MOB_VIOLENCE).fillna(False).to_numpy(dtype=bool)
        masks["political_violence"] = (
            event_type.isin(_POLITICAL_VIOLENCE_TYPES).to_numpy(dtype=bool) | mob
        )
        masks["demonstration"] = event_type.isin(_DEMONSTRATION_TYPES).to_numpy(dtype=bool) & ~mob
    if any(name.startswith("civilian") for name in measure_names):
        assert event_type is not None
        masks["civilian_targeting"] = event_type.isin(_CIVILIAN_TARGETING_TYPES).to_numpy(
            dtype=bool
        ) & (frame["civilian_targeting"] == vocabulary.CIVILIAN_TARGETING).fillna(False).to_numpy(
            dtype=bool
        )
    for name in measure_names:
        split = name.rsplit("_", 1)[0] if name not in ("events", "fatalities") else ""
        mask = masks[split]
        if name.endswith("events"):
            values[name] = mask.astype("int64")
        else:
            assert fatalities is not None
            values[name] = np.where(mask, fatalities, 0)

    # Group on integer codes: one int64 key per event, unique-sorted, summed with bincount.
    unit_codes: list[np.ndarray] = []
    unit_values: list[pd.Index] = []
    for name in by_columns:
        codes, uniques = _factorize(frame[name])
        unit_codes.append(codes)
        unit_values.append(uniques)
    sizes = [len(values) + 1 for values in unit_values]  # + the missing value
    unit_key = np.zeros(len(frame), dtype="int64")
    for codes, size in zip(unit_codes, sizes, strict=True):
        unit_key = unit_key * size + codes
    low = int(ordinals[keep].min()) if keep.any() else 0
    if first is not None:
        low = first.ordinal
    high = int(ordinals[keep].max()) if keep.any() else low
    if last is not None:
        high = last.ordinal
    n_periods = high - low + 1
    key = unit_key[selected] * n_periods + (ordinals[selected] - low)
    unit_space = int(np.prod(sizes, dtype="int64"))
    dense = unit_space * n_periods
    if dense <= max(1 << 22, 4 * len(frame)):
        # Few possible keys (the usual case): count straight into the dense key space.
        if fill_zeros:
            units = np.flatnonzero(np.bincount(unit_key, minlength=unit_space))
            keys = (units[:, None] * n_periods + np.arange(n_periods)[None, :]).ravel()
        else:
            keys = np.flatnonzero(np.bincount(key, minlength=dense))
        sums = {
            name: np.bincount(key, weights=array[selected], minlength=dense)[keys].astype("int64")
            for name, array in values.items()
        }
    else:
        if fill_zeros:
            units = np.unique(unit_key)
            keys = (units[:, None] * n_periods + np.arange(n_periods)[None, :]).ravel()
        else:
            keys = np.unique(key)
        slot = np.searchsorted(keys, key)
        sums = {
            name: np.bincount(slot, weights=array[selected], minlength=len(keys)).astype("int64")
            for name, array in values.items()
        }
    unit_of, period_of = np.divmod(keys, n_periods)
    columns: dict[str, Any] = {}
    for position in range(len(by_columns) - 1, -1, -1):
        unit_of, codes = np.divmod(unit_of, sizes[position])
        name = by_columns[position]
        uniques = unit_values[position]
        taken = uniques.take(np.minimum(codes, len(uniques) - 1)) if len(uniques) else uniques
        column = pd.Series(taken, dtype=frame[name].dtype)
        column[codes == len(uniques)] = None
        columns[name] = column
    out = pd.DataFrame({name: columns[name] for name in by_columns})
    out["period"] = _periods(period_of + low, freq=period_freq)
    for name in measure_names:
        out[name] = sums[name]
    for name in by_columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = out[name].cat.remove_unused_categories()
    out.attrs = {
        _ATTR: {
            "by": by_columns,
            "freq": freq_name,
            "measures": measure_names,
            "event_types": None if event_types is None else list(np.atleast_1d(event_types)),
        },
        "undated_events": int((~np.asarray(dated, dtype=bool)).sum()),
    }
    return out


def _ordinals(dates: pd.Series, freq_name: str, period_freq: str) -> tuple[np.ndarray, np.ndarray]:
    """Period ordinals of the dates (pandas' numbering), and which dates are present."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    dated = ~np.isnat(values)
    # Day, month and year periods are counted from 1970 as pandas numbers them; the
    # calendar fields are cheaper than numpy's datetime64[M] conversion.
    if freq_name == "day":
        return np.where(dated, values.astype("datetime64[D]").astype("int64"), 0), dated
    if freq_name in ("month", "year"):
        calendar_dates = pd.DatetimeIndex(values)
        years = calendar_dates.year.to_numpy(dtype="float64")
        if freq_name == "year":
            ordinals = years - 1970
        else:
            ordinals = (years - 1970) * 12 + calendar_dates.month.to_numpy(dtype="float64") - 1
        return np.where(dated, np.nan_to_num(ordinals), 0).astype("int64"), dated
    periods = pd.PeriodIndex(values, freq=period_freq)
    return np.where(dated, periods.asi8, 0), dated


def _factorize(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Sorted codes of ``values`` (missing: ``len(uniques)``, after every value) and the uniques."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        order = np.argsort(categories.astype(str), kind="stable")
        rank = np.empty(len(order), dtype="int64")
        rank[order] = np.arange(len(order))
        raw = values.cat.codes.to_numpy()
        codes = np.where(raw < 0, len(categories), rank[np.maximum(raw, 0)])
        return codes.astype("int64"), pd.Index(categories[order])
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    codes = np.where(codes < 0, len(uniques), codes).astype("int64")
    return codes, pd.Index(uniques)


def _periods(ordinals: np.ndarray, freq: str) -> pd.PeriodIndex:
    """Periods from their ordinals (pandas' ``PeriodIndex.from_ordinals``, which its stubs lack)."""
    build: Any = pd.PeriodIndex.from_ordinals  # type: ignore[attr-defined]
    return build(np.asarray(ordinals, dtype="int64"), freq=freq)


def is_aggregate(df: pd.DataFrame) -> bool:
    """Whether ``df`` is an :func:`aggregate` result (a ``period`` column and measures)."""
    return (
        "period" in df.columns
        and isinstance(df["period"].dtype, pd.PeriodDtype)
        and any(name in df.columns for name in AGGREGATE_MEASURES)
    )


def _freq_of(df: pd.DataFrame) -> str:
    dtype = df["period"].dtype
    assert isinstance(dtype, pd.PeriodDtype)
    for name, freq in FREQUENCIES.items():
        if pd.PeriodDtype(freq) == dtype:
            return name
    raise UsageError(f"an aggregate's period must be one of {', '.join(FREQUENCIES)}")


def hdx_layout(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """An aggregate with HDX's column names, and the HXL tag of each column.

    Monthly aggregates get HDX's ``Month`` (English month name) and ``Year``; yearly
    ones ``Year``; other frequencies ``Start Date`` and ``End Date`` (ISO dates).
    Columns HDX does not publish keep their name, tagged from
    :data:`sahel_events.export.hxl.HXL_TAGS` when it has one.

    Raises:
        UsageError: ``df`` is not an aggregate.
    """
    from sahel_events.export.hxl import HXL_TAGS

    if not is_aggregate(df):
        raise UsageError("not an aggregate: expected a period column and measure columns")
    freq = _freq_of(df)
    period = pd.PeriodIndex(df["period"])
    columns: dict[str, Any] = {}
    tags: list[str] = []
    for name in df.columns:
        if name == "period":
            if freq == "month":
                month_names = np.array(calendar.month_name, dtype=object)
                columns["Month"] = month_names[period.month]
                columns["Year"] = period.year.to_numpy(dtype="int64")
                tags += [_PERIOD_COLUMNS["month"][1], _PERIOD_COLUMNS["year"][1]]
            elif freq == "year":
                columns["Year"] = period.year.to_numpy(dtype="int64")
                tags.append(_PERIOD_COLUMNS["year"][1])
            else:
                columns["Start Date"] = period.start_time.strftime("%Y-%m-%d")
                columns["End Date"] = period.end_time.strftime("%Y-%m-%d")
                tags += [_PERIOD_COLUMNS["start"][1], _PERIOD_COLUMNS["end"][1]]
            continue
        label, tag = HDX_COLUMNS.get(name, (name, HXL_TAGS.get(name, "")))
        values = df[name]
        columns[label] = _text(values) if not pd.api.types.is_integer_dtype(values) else values
        tags.append(tag)
    return pd.DataFrame(columns), tags


def from_hdx_layout(frame: pd.DataFrame, tags: Sequence[str]) -> pd.DataFrame:
    """An aggregate back from its HDX layout (text cells and HXL tags), as :func:`hdx_layout` wrote it.

    Raises:
        UsageError: The period columns are missing or do not parse.
    """
    by_label = {label: name for name, (label, _) in HDX_COLUMNS.items()}
    by_tag = {tag: name for name, (_, tag) in HDX_COLUMNS.items()}
    out: dict[str, Any] = {}
    measures = []
    labels = list(frame.columns)
    tag_of = dict(zip(labels, tags, strict=True))
    month_names = {name: number for number, name in enumerate(calendar.month_name) if name}
    if "Month" in labels and "Year" in labels:
        month = frame["Month"].map(month_names)
        year = pd.to_numeric(frame["Year"], errors="coerce")
        if month.isna().any() or year.isna().any():
            raise UsageError(
                "a Month or Year cell does not read as an English month name or a year"
            )
        ordinals = (year.to_numpy(dtype="int64") - 1970) * 12 + month.to_numpy(dtype="int64") - 1
        period = _periods(ordinals, freq="M")
    elif "Start Date" in labels and "End Date" in labels:
        starts = pd.to_datetime(frame["Start Date"], format="%Y-%m-%d", errors="coerce")
        ends = pd.to_datetime(frame["End Date"], format="%Y-%m-%d", errors="coerce")
        if starts.isna().any() or ends.isna().any():
            raise UsageError("a Start Date or End Date cell is not a YYYY-MM-DD date")
        period = None
        for freq in FREQUENCIES.values():
            candidate = pd.PeriodIndex(starts, freq=freq)
            if (candidate.start_time == starts).all() and (
                candidate.end_time.normalize() == ends
            ).all():
                period = candidate
                break
        if period is None:
            raise UsageError("the Start Date / End Date pairs are not whole days, weeks, months...")
    elif "Year" in labels:
        period = pd.PeriodIndex(
            pd.to_numeric(frame["Year"], errors="coerce").astype("Int64").astype(str), freq="Y-DEC"
        )
    else:
        raise UsageError("an aggregate needs Month and Year, Year, or Start Date and End Date")
    placed = False
    for label in labels:
        if label in ("Month", "Year", "Start Date", "End Date"):
            if not placed:
                out["period"] = period
                placed = True
            continue
        name = by_tag.get(tag_of[label]) or by_label.get(label) or label
        if name in AGGREGATE_MEASURES:
            out[name] = pd.to_numeric(frame[label], errors="raise").astype("int64")
            measures.append(name)
        else:
            out[name] = frame[label].astype("str")
    result = pd.DataFrame(out)
    for name in result.columns:
        if name in vocabulary.pandas_dtypes() and vocabulary.pandas_dtypes()[name] == "category":
            result[name] = result[name].astype("category")
    return result


def to_hdx_csv(df: pd.DataFrame, out: str | os.PathLike[str] = "-") -> Path | None:
    """Write an aggregate as CSV in HDX's layout (no tag row), atomically or to stdout (``"-"``)."""
    from sahel_events.export._common import binary_sink, is_stdout
    from sahel_events.export.acled_csv import write_csv_rows
    from sahel_events.export.hxl import _aggregate_table

    table, _ = _aggregate_table(df)
    with binary_sink(out) as handle:
        write_csv_rows(table, handle)
    return None if is_stdout(out) else Path(out)


def read_aggregate(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read an aggregate in HDX's layout: ACLED's HDX files, or what :func:`to_hdx_csv` and the
    ``hxl`` export write.

    Reads CSV (with or without an HXL tag row) and .xlsx (HDX publishes its ACLED
    aggregates as workbooks; the sheet ``Data`` when there is one, else the first).
    Columns are recognised by HDX's names (``Country``, ``Admin1``, ``Admin2``,
    ``ISO3``, ``Admin1 Pcode``, ``Month``, ``Year``, ``Events``, ``Fatalities``...);
    others keep their name.

    Raises:
        UnreadableFileError: The file cannot be read, or has no period columns.
    """
    from sahel_events.exc import SahelEventsError, UnreadableFileError

    source = Path(path)
    try:
        if source.suffix.lower() in (".xlsx", ".xlsm"):
            import openpyxl

            workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
            try:
                names = workbook.sheetnames
                chosen = sheet if sheet is not None else ("Data" if "Data" in names else 0)
                worksheet = workbook[names[chosen] if isinstance(chosen, int) else chosen]
                rows = [
                    ["" if cell is None else str(cell) for cell in row]
                    for row in worksheet.iter_rows(values_only=True)
                ]
            finally:
                workbook.close()
            if not rows:
                raise UnreadableFileError("the sheet is empty", path=source)
            raw = pd.DataFrame(rows[1:], columns=[str(name) for name in rows[0]], dtype="object")
        else:
            raw = pd.read_csv(source, dtype="str", keep_default_na=False, encoding="utf-8-sig")
    except (OSError, KeyError, IndexError, ValueError, pd.errors.ParserError) as error:
        raise UnreadableFileError(f"cannot read the aggregate: {error}", path=source) from None
    raw.columns = [str(name).strip() for name in raw.columns]
    tags = [""] * len(raw.columns)
    if len(raw) and all(str(cell).startswith("#") or cell == "" for cell in raw.iloc[0]):
        tags = [str(cell) for cell in raw.iloc[0]]
        raw = raw.iloc[1:].reset_index(drop=True)
    raw = raw.replace("", None)
    # Excel gives whole numbers as "2024" or "2024.0".
    for label in ("Year", "Events", "Fatalities"):
        if label in raw.columns:
            raw[label] = raw[label].str.replace(r"\.0$", "", regex=True)
    try:
        frame = from_hdx_layout(raw, tags)
    except (SahelEventsError, ValueError) as error:
        raise UnreadableFileError(
            f"not an aggregate in HDX's layout: {error}", path=source
        ) from None
    frame.attrs.update({"source_path": str(source)})
    return frame
