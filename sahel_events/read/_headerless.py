"""Files that lost their header row: the first row is an event, not column names.

UCDP published some GED Candidate releases without a header row
(``GEDEvent_v23_01_23_12.csv``, ``GEDEvent_v24_0_1.csv`` to ``_3``); their users read
them with GED's 49 column names in GED's order. A file saved with pandas'
``header=False`` or R's ``col.names=FALSE`` loses its header the same way, ACLED's
as well as UCDP's. Read as usual, the first event becomes the header and every
column is "missing".

A GED row is recognised by the shape of its values at GED's positions (an integer
``id``, a ``relid`` such as ``IRQ-2017-1-524-322``, a year, ``active_year`` 0/1,
``type_of_violence`` 1-3, dates in ``date_start`` and ``date_end``...), all of them:
the column order is then UCDP's own, shown by the values, not guessed.
``read_events(..., source="ucdp")`` reads such a file in that order and says so;
without it, and for an ACLED file without its header (whose column order differs
between ACLED's variants), the reader refuses the file with one message saying so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

__all__ = ["acled_event_signs", "ged_index_columns", "ged_note", "headerless_message"]

# The shape of some GED columns' values in GED's CSV releases; their positions are
# those of sahel_events.export.ucdp.GED_COLUMNS.
_INTEGER = r"-?\d+(?:\.0)?"
_NUMBER = r"-?\d+(?:\.\d+)?"
_GED_SHAPES: dict[str, str] = {
    "id": _INTEGER,
    "relid": r"[A-Z]{2,4}-\d{4}-\S+",
    "year": r"(?:19|20)\d\d",
    "active_year": r"(?i:[01]|true|false)",
    "code_status": r"[A-Za-z][A-Za-z ]*",
    "type_of_violence": r"[123]",
    "where_prec": r"[1-7]",
    "latitude": _NUMBER,
    "longitude": _NUMBER,
    "date_prec": r"[1-5]",
    "date_start": r"\d{4}-\d\d-\d\d(?:[ T][\d:.]+)?",
    "date_end": r"\d{4}-\d\d-\d\d(?:[ T][\d:.]+)?",
    "best": _INTEGER,
}
#: The GED values a message shows.
_GED_SHOWN = ("relid", "active_year", "type_of_violence", "date_start")


@cache
def _ged_columns() -> tuple[str, ...]:
    from sahel_events.export.ucdp import GED_COLUMNS

    return GED_COLUMNS


_ROW_NUMBER = re.compile(r"\d+")


def ged_index_columns(cells: Sequence[object]) -> int | None:
    """Whether ``cells`` is a row of UCDP GED values: how many index columns come first.

    ``0`` for GED's 49 columns, ``1`` for a row number before them (R's
    ``write.csv(..., col.names = FALSE)``), ``None`` when the row is not GED's.
    """
    columns = _ged_columns()
    texts = ["" if cell is None else str(cell).strip() for cell in cells]
    for skip in (0, 1):
        if len(texts) != len(columns) + skip:
            continue
        if skip and not _ROW_NUMBER.fullmatch(texts[0]):
            continue
        row = dict(zip(columns, texts[skip:], strict=True))
        if all(re.fullmatch(shape, row[name]) for name, shape in _GED_SHAPES.items()):
            return skip
    return None


def _ged_sample(cells: Sequence[object], skip: int) -> str:
    row = dict(zip(_ged_columns(), [str(cell).strip() for cell in cells][skip:], strict=True))
    return ", ".join(f"{name} {row[name]!r}" for name in _GED_SHOWN)


def ged_note(cells: Sequence[object], skip: int) -> str:
    """The details of the ``no_header_row`` note on a GED file read without its header."""
    index = "; a first column of row numbers was dropped" if skip else ""
    return (
        f"UCDP GED's {len(_ged_columns())} columns, as the first row's values show:"
        f" {_ged_sample(cells, skip)}{index}"
    )


@cache
def _acled_vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    from sahel_events import vocabulary

    event_types = frozenset(vocabulary.EVENT_TYPES) | frozenset(vocabulary.LEGACY_EVENT_TYPES)
    names, _ = vocabulary.country_names()
    return event_types, frozenset(names), frozenset(vocabulary.REGIONS.values())


_EVENT_ID = re.compile(r"[A-Z]{3}[1-9]\d*|[1-9]\d*[A-Z]{2,4}")
_DATE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[ T][\d:.]+Z?)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{1,2}[ -](?i:[a-zé]{3,9})[ -]\d{2,4}"
)


def acled_event_signs(cells: Sequence[object]) -> dict[str, str]:
    """The cells of ``cells`` that are ACLED event values, by kind: id, date, event type...

    The first cell of each kind found, in the row's order: a header row has none.
    """
    event_types, countries, regions = _acled_vocabulary()
    kinds = {
        "id": lambda text: _EVENT_ID.fullmatch(text) is not None,
        "date": lambda text: _DATE.fullmatch(text) is not None,
        "event type": lambda text: text in event_types,
        "country": lambda text: text in countries,
        "region": lambda text: text in regions,
    }
    found: dict[str, str] = {}
    for cell in cells:
        text = "" if cell is None else str(cell).strip()
        for kind, test in kinds.items():
            if kind not in found and text and test(text):
                found[kind] = text
                break
    return found


def headerless_message(cells: Sequence[object], known_names: int) -> str | None:
    """The refusal of a file whose header row is an event, or None when it is a header.

    ``known_names`` is how many cells name a column the reader knows: a header with
    some known names is a header, whatever its other cells hold.
    """
    skip = ged_index_columns(cells)
    if skip is not None:
        index = " after a column of row numbers" if skip else ""
        return (
            f"this looks like a UCDP GED file without its header row ({len(_ged_columns())} columns"
            f"{index} whose first row holds GED values: {_ged_sample(cells, skip)}), not ACLED"
            " events; read it with read_events(..., source='ucdp') or validate --from ucdp,"
            " which read it in GED's column order"
        )
    signs = acled_event_signs(cells)
    # An event id and a date, and one more of ACLED's values: an event, not a header
    # (nor a table of counts by country and month).
    if known_names < 3 and {"id", "date"} <= signs.keys() and len(signs) >= 3:
        shown = ", ".join(repr(sign) for sign in list(signs.values())[:4])
        return (
            f"the first row holds event values ({shown}), not column names: the file has"
            " no header row. Add ACLED's header row (event_id_cnty,event_date,year,...) as"
            " its first line; the columns of a file without one are not guessed, as their"
            " order differs between ACLED's export variants"
        )
    return None
