"""Parsing ``event_date`` in every format event files use (docs/variants.md, "Dates").

Each format is tried, in order, on the values no earlier format could parse, and
only on the distinct values of the column: a million rows usually hold a few
thousand distinct dates, so the parse costs little whatever the row count.

Numeric dates such as ``3/12/2024`` are day-first in ACLED's files and Excel
outside the United States, month-first in American spreadsheets. Their order is
inferred per column from the values (a first field over 12 means day-first, a
second field over 12 month-first); when the values cannot tell, the caller's
order is used, and without one they are left unread and reported: a date is
never silently read as another date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EVENT_DATE_FORMATS", "DateOrder", "ParsedDates", "parse_event_dates"]

DateOrder = Literal["dayfirst", "monthfirst"]

#: Accepted ``event_date`` formats without a day/month ambiguity, tried in this order.
EVENT_DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("%Y-%m-%d", "2023-02-16 (API, codebook)"),
    ("%d %B %Y", "16 February 2023 (export tool, 2018-2025)"),
    ("%d-%b-%y", "16-Feb-23 (re-saved by Excel)"),
    ("%d-%b-%Y", "16-Feb-2023"),
    ("%d-%B-%y", "16-February-23"),
    ("%d-%B-%Y", "16-February-2023"),
    ("%d %b %Y", "16 Feb 2023"),
    ("%B %d, %Y", "February 16, 2023 (American)"),
    ("%b %d, %Y", "Feb 16, 2023"),
    ("%Y/%m/%d", "2023/02/16"),
    ("%Y%m%d", "20230216 (compact ISO)"),
)
#: Day/month formats with a two- or four-digit year, by order and separator.
_NUMERIC_FORMATS = {
    "dayfirst": ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y", "%d.%m.%y"),
    "monthfirst": ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%m-%d-%y", "%m.%d.%Y", "%m.%d.%y"),
}
_NUMERIC = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*$"
#: A datetime whose date is kept as written: ``2021-01-02T00:00:00Z``, lubridate's
#: ISO output, UCDP's ``2021-01-02 00:00:00.000``, or with an offset.
_DATETIME = (
    r"^\s*(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)
_FRENCH_MONTHS = {
    "janvier": "January",
    "février": "February",
    "fevrier": "February",
    "mars": "March",
    "avril": "April",
    "mai": "May",
    "juin": "June",
    "juillet": "July",
    "août": "August",
    "aout": "August",
    "septembre": "September",
    "octobre": "October",
    "novembre": "November",
    "décembre": "December",
    "decembre": "December",
}
#: Excel serial day numbers of 1990-01-01 and 2100-12-31: a bare number in that
#: range is a date cell Excel lost the format of.
_EXCEL_SERIALS = (32874, 73415)


@dataclass(frozen=True)
class ParsedDates:
    """The parsed column and what the parse found."""

    dates: pd.Series
    """``datetime64[ns]`` at midnight; NaT where blank, unparsed or ambiguous."""
    bad: pd.Series
    """Cells holding text no format matches."""
    ambiguous: pd.Series
    """Numeric dates left unread because their order of day and month is unknown."""
    inferred: DateOrder | None = None
    """The order inferred from the values, if any numeric date told it."""
    evidence: str = ""


def _numeric_order(texts: pd.Series) -> tuple[DateOrder | None, str, pd.Series]:
    """The order the numeric dates' values prove, the proof, and which texts are numeric."""
    parts = texts.str.extract(_NUMERIC)
    numeric = parts[0].notna()
    if not numeric.any():
        return None, "", numeric
    first = parts[0][numeric].astype(int)
    second = parts[1][numeric].astype(int)
    day_first = bool((first > 12).any())
    month_first = bool((second > 12).any())
    if day_first and not month_first:
        example = texts[numeric][(first > 12).to_numpy()].iloc[0]
        return "dayfirst", f"e.g. {example.strip()}", numeric
    if month_first and not day_first:
        example = texts[numeric][(second > 12).to_numpy()].iloc[0]
        return "monthfirst", f"e.g. {example.strip()}", numeric
    return None, "", numeric


def parse_event_dates(values: pd.Series, *, order: DateOrder | None = None) -> ParsedDates:
    """Parse text dates in any accepted format.

    Args:
        values: The raw ``event_date`` column (text, NA for blank cells).
        order: The order of day and month in numeric dates when the values do
            not tell it. Values that prove an order override nothing: a column
            proven day-first with ``order="monthfirst"`` is read day-first.

    Returns:
        The parsed dates and what the parse found (see :class:`ParsedDates`).
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = pd.Series(uniques, dtype="str").str.strip()
    parsed = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    remaining = texts.notna() & (texts != "")
    ambiguous_unique = pd.Series(False, index=texts.index)

    def attempt(candidates: pd.Series, date_format: str, source: pd.Series | None = None) -> None:
        """Parse ``source`` (the texts, or a rewriting of them) where ``candidates``."""
        nonlocal remaining
        if not candidates.any():
            return
        source = texts if source is None else source
        found = pd.to_datetime(source[candidates], format=date_format, errors="coerce")
        # A year before 1677 or after 2262 does not fit datetime64[ns]; no event has one.
        ok = found.notna() & found.between(pd.Timestamp.min, pd.Timestamp.max)
        if ok.any():
            parsed.loc[ok[ok].index] = found[ok].astype("datetime64[ns]")
            remaining &= ~parsed.notna()

    for date_format, _example in EVENT_DATE_FORMATS:
        if not remaining.any():
            break
        attempt(remaining, date_format)
    inferred: DateOrder | None = None
    evidence = ""
    if remaining.any():
        datetimes = texts.where(remaining).str.extract(_DATETIME)[0]
        attempt(datetimes.notna(), "%Y-%m-%d", datetimes)
    if remaining.any():
        french = texts.where(remaining).str.lower()
        for name, english in _FRENCH_MONTHS.items():
            french = french.str.replace(rf"\b{name}\b", english, regex=True)
        french = french.str.replace(r"^1er\b", "1", regex=True)
        changed = remaining & french.notna() & (french != texts.str.lower())
        attempt(changed, "%d %B %Y", french)
    if remaining.any():
        proven, evidence, numeric = _numeric_order(texts.where(remaining).fillna(""))
        numeric &= remaining
        if numeric.any():
            use = proven or order
            if proven is not None:
                inferred = proven
            if use is None:
                ambiguous_unique = numeric.copy()
                remaining &= ~numeric
            else:
                for date_format in _NUMERIC_FORMATS[use]:
                    attempt(remaining & numeric, date_format)
    if remaining.any():
        serial = texts.where(remaining).str.fullmatch(r"\d{5}(?:\.0+)?").fillna(False)
        if serial.any():
            days = pd.to_numeric(texts[serial], errors="coerce")
            plausible = days.between(*_EXCEL_SERIALS)
            stamps = pd.Timestamp("1899-12-30") + pd.to_timedelta(days[plausible], unit="D")
            parsed.loc[stamps.index] = stamps.astype("datetime64[ns]")
            remaining &= ~parsed.notna()
    parsed = parsed.dt.normalize()
    result_values = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = codes >= 0
    result_values[known] = parsed.to_numpy()[codes[known]]
    bad = np.zeros(len(codes), dtype=bool)
    bad[known] = remaining.to_numpy()[codes[known]]
    ambiguous = np.zeros(len(codes), dtype=bool)
    ambiguous[known] = ambiguous_unique.to_numpy()[codes[known]]
    index = values.index
    return ParsedDates(
        dates=pd.Series(result_values, index=index, name=values.name),
        bad=pd.Series(bad, index=index, name=values.name),
        ambiguous=pd.Series(ambiguous, index=index, name=values.name),
        inferred=inferred,
        evidence=evidence,
    )
