"""Parsing ``event_date`` in every format ACLED files have used (acled-format.md §1c).

Each format is tried, in order, on the values no earlier format could parse, and
only on the distinct values of the column: a million rows usually hold a few
thousand distinct dates, so the parse costs little whatever the row count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EVENT_DATE_FORMATS", "parse_event_dates"]

#: Accepted ``event_date`` formats, tried in this order. Every one is unambiguous
#: against the others: no file mixes day-first and month-first numeric dates.
EVENT_DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("%Y-%m-%d", "2023-02-16 (API, codebook)"),
    ("%d %B %Y", "16 February 2023 (export tool, 2018-2025)"),
    ("%d-%b-%y", "16-Feb-23 (re-saved by Excel)"),
    ("%d-%B-%y", "16-February-23"),
    ("%d-%B-%Y", "16-February-2023"),
    ("%d/%m/%Y", "16/02/2023 (legacy Africa files)"),
    ("%d-%m-%Y", "16-02-2023 (acledR's codebook)"),
    ("%d %b %Y", "16 Feb 2023"),
    ("%Y-%m-%d %H:%M:%S", "2023-02-16 00:00:00 (a datetime written as text)"),
    ("%Y-%m-%dT%H:%M:%S", "2023-02-16T00:00:00 (ISO 8601 datetime)"),
)


def parse_event_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text dates in any accepted format.

    Args:
        values: The raw ``event_date`` column (text, NA for blank cells).

    Returns:
        The dates as ``datetime64[ns]`` at midnight (NaT where blank or unparsed),
        and a boolean mask of the cells that hold text no format matches.
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = pd.Series(uniques, dtype="str").str.strip()
    parsed = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    remaining = texts.notna() & (texts != "")
    for date_format, _example in EVENT_DATE_FORMATS:
        if not remaining.any():
            break
        attempt = pd.to_datetime(texts[remaining], format=date_format, errors="coerce")
        # A year before 1677 or after 2262 does not fit datetime64[ns]; no event has one.
        found = attempt.notna() & attempt.between(pd.Timestamp.min, pd.Timestamp.max)
        if found.any():
            parsed.loc[found[found].index] = attempt[found].astype("datetime64[ns]")
            remaining &= ~parsed.notna()
    parsed = parsed.dt.normalize()
    unique_bad = remaining.to_numpy()
    result_values = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = codes >= 0
    result_values[known] = parsed.to_numpy()[codes[known]]
    bad = np.zeros(len(codes), dtype=bool)
    bad[known] = unique_bad[codes[known]]
    index = values.index
    return (
        pd.Series(result_values, index=index, name=values.name),
        pd.Series(bad, index=index, name=values.name),
    )
