"""ACLED's file variants: which one a file is, and how its column names map to today's.

ACLED has changed its column set several times (acled-format.md §1b). A variant
is recognised from the file's header (and, for V3, from whether its actor-type
codes are numbers); :mod:`sahel_events.read.conform` then maps it to the
current 31 columns. Each variant also says which of today's required columns it
never had, so that their absence is reported as the variant's, not as an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sahel_events._text import header_key
from sahel_events.exc import UnreadableFileError
from sahel_events.read._headerless import headerless_message
from sahel_events.vocabulary import COLUMN_NAMES, POPULATION_COLUMNS

__all__ = [
    "HEADER_SEARCH_ROWS",
    "LEGACY_COLUMNS",
    "VARIANTS",
    "ColumnNames",
    "Variant",
    "canonical_column_name",
    "detect_variant",
    "is_header_row",
    "known_column_count",
    "normalize_column_names",
    "refuse_non_event_files",
]


@dataclass(frozen=True)
class Variant:
    """One kind of ACLED file."""

    id: str
    description: str
    dyadic: bool = True
    #: Required columns of today's format that files of this variant never had.
    never_had: frozenset[str] = frozenset()


#: Every variant the reader recognises, by the id stored in ``df.attrs["source_format"]``.
VARIANTS: dict[str, Variant] = {
    variant.id: variant
    for variant in (
        Variant(
            "acled-v0-legacy",
            "Legacy ACLED Africa file (about 2013-2016): 25 upper-case columns with GWNO and"
            " ALLY_ACTOR_1/2, numeric actor types, pre-2019 event types.",
            never_had=frozenset({"source_scale", "timestamp", "iso", "region"}),
        ),
        Variant(
            "acled-v1-pre2019",
            "ACLED export with the taxonomy before April 2019: 30 columns, no sub_event_type,"
            " numeric actor types.",
        ),
        Variant(
            "acled-v2-dyadic",
            "ACLED dyadic export of April 2019 to March 2023: 31 columns with sub_event_type,"
            " data_id and iso3, numeric actor types.",
        ),
        Variant(
            "acled-v2-monadic",
            "ACLED monadic export of April 2019 to March 2023: one row per actor, no actor2"
            " columns, so event ids repeat.",
            dyadic=False,
            never_had=frozenset({"actor2", "assoc_actor_2", "inter2"}),
        ),
        Variant(
            "acled-v3-numeric",
            "Current ACLED format (since March 2023) with numeric actor-type and interaction codes.",
        ),
        Variant(
            "acled-v3-text",
            "Current ACLED format (since March 2023) with text actor-type and interaction labels.",
        ),
        Variant(
            "acled-v3-population",
            "Current ACLED format with the population columns appended (35 columns).",
        ),
        Variant(
            "acled-uppercase",
            "Curated ACLED file (e.g. a regional Excel workbook) with upper-case names of the"
            " current fields.",
        ),
        Variant(
            "unknown",
            "Not a known ACLED variant; the columns with ACLED's names were read.",
        ),
    )
}

#: Columns of older variants that are kept, after the current 31, as extra columns.
LEGACY_COLUMNS: tuple[str, ...] = ("data_id", "event_id_no_cnty", "iso3", "gwno")

#: Other names of ACLED's columns met in real files, by their folded form.
_RENAMES = {
    "ally_actor_1": "assoc_actor_1",
    "ally_actor_2": "assoc_actor_2",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "long": "longitude",
    "date": "event_date",
    "eventdate": "event_date",
    "event_id": "event_id_cnty",
    # Shapefile attribute names are cut at ten characters (QGIS, geopandas exports).
    "event_id_c": "event_id_cnty",
    "time_preci": "time_precision",
    "disorder_t": "disorder_type",
    "sub_event_": "sub_event_type",
    "assoc_acto": "assoc_actor_1",
    "assoc_ac_1": "assoc_actor_2",
    "interactio": "interaction",
    "civilian_t": "civilian_targeting",
    "geo_precis": "geo_precision",
    "source_sca": "source_scale",
    "fatalitie": "fatalities",
}
#: First-column names of a writer's row index (pandas, R, readr): not event data.
_INDEX_NAMES = frozenset({"", "unnamed: 0", "unnamed:_0", "...1", "index", "row.names"})
#: Columns that only UCDP's Georeferenced Event Dataset has.
UCDP_MARKERS = frozenset(
    {"relid", "side_a", "side_b", "where_prec", "date_prec", "date_start", "dyad_name"}
)
#: Columns of aggregated counts (HDX HAPI conflict events, ACLED's monthly HDX files).
AGGREGATE_MARKERS = frozenset(
    {"events", "reference_period_start", "reference_period_end", "month", "location_code"}
)
_V3_MARKERS = frozenset({"disorder_type", "civilian_targeting", "tags"})
_V2_MARKERS = frozenset({"data_id", "event_id_no_cnty", "iso3"})


def canonical_column_name(raw: str) -> str:
    """The column a header cell names: folded, and mapped when it is another name of ACLED's."""
    name = header_key(raw)
    return _RENAMES.get(name, name)


_KNOWN_NAMES = frozenset(COLUMN_NAMES) | UCDP_MARKERS | AGGREGATE_MARKERS
#: How many non-blank rows may stand above the header (a title, a date of download).
HEADER_SEARCH_ROWS = 20


def known_column_count(cells: Sequence[object]) -> int:
    """How many cells name a column of ACLED's, UCDP's or an aggregate file (header search)."""
    return sum(
        isinstance(cell, str) and canonical_column_name(cell) in _KNOWN_NAMES for cell in cells
    )


def is_header_row(cells: Sequence[object]) -> bool:
    """Whether a row names at least two known columns: the header, not a title above it."""
    return known_column_count(cells) >= 2


@dataclass(frozen=True)
class ColumnNames:
    """The file's columns as the reader names them."""

    names: list[str]
    """One name per kept column, in the file's order."""
    positions: list[int]
    """The 0-based position in the file of each kept column."""
    renamed: list[tuple[str, str]]
    """(header cell, name) of each column recognised under another name."""
    dropped: list[str]
    """Header cells of the columns left out (a writer's row index, trailing blanks)."""


def normalize_column_names(header: list[str], path: Path) -> ColumnNames:
    """Fold the names (case, BOMs, spaces) and map the other names of ACLED's columns.

    Unnamed columns become ``unnamed_<position>``, except a first column named
    like a writer's row index (pandas' blank or ``Unnamed: 0``, R's blank,
    readr's ``...1``) and blank header cells at the end, which are dropped.
    A repeated name of one of ACLED's columns is an error (which copy to trust
    is not ours to guess); repeated other names get a ``_2``, ``_3``... suffix.
    """
    names: list[str] = []
    positions: list[int] = []
    renamed: list[tuple[str, str]] = []
    dropped: list[str] = []
    seen: dict[str, int] = {}
    last = len(header)
    while last > 0 and not header[last - 1].replace("\ufeff", "").strip():
        last -= 1
    for position, raw in enumerate(header, start=1):
        folded = header_key(raw)
        if position > last or (
            position == 1 and folded in _INDEX_NAMES and len(header) > 1 and last > 1
        ):
            dropped.append(raw if raw.strip() else f"<blank header cell {position}>")
            continue
        name = _RENAMES.get(folded, folded) or f"unnamed_{position}"
        if name != raw.replace("\ufeff", "").strip().lower() and name in COLUMN_NAMES:
            renamed.append((raw, name))
        if name in seen:
            if name in COLUMN_NAMES or name in LEGACY_COLUMNS:
                raise UnreadableFileError(
                    f"column {name!r} appears twice in the header (columns {seen[name]} and"
                    f" {position}); remove one",
                    path=path,
                    column=name,
                )
            count = 2
            while f"{name}_{count}" in seen:
                count += 1
            name = f"{name}_{count}"
        seen[name] = position
        names.append(name)
        positions.append(position - 1)
    headerless = headerless_message(header, known_column_count(header))
    if headerless is not None:
        raise UnreadableFileError(headerless, path=path)
    refuse_non_event_files(names, path)
    if not set(names) & set(COLUMN_NAMES):
        found = ", ".join(repr(name) for name in header[:5]) or "nothing"
        if len(header) > 5:
            found += f" and {len(header) - 5} more"
        raise UnreadableFileError(
            "none of ACLED's columns were found; expected a header row with columns such as"
            f" {', '.join(COLUMN_NAMES[:4])}, ... ({len(COLUMN_NAMES)} in all), found {found}",
            path=path,
        )
    return ColumnNames(names, positions, renamed, dropped)


def refuse_non_event_files(names: list[str], path: Path) -> None:
    """Refuse, by their columns, files that hold something else than ACLED events.

    UCDP GED files are named and pointed to the UCDP crosswalk; files of
    aggregated counts (an ``events`` column, reference periods) are refused as
    counts, not events.
    """
    present = set(names)
    ucdp = sorted(UCDP_MARKERS & present)
    if len(ucdp) >= 3:
        raise UnreadableFileError(
            "this is a UCDP GED file (columns " + ", ".join(ucdp) + "), not ACLED events;"
            " read it with read_events(..., source='ucdp') or validate --from ucdp",
            path=path,
        )
    if "events" in present and (
        AGGREGATE_MARKERS - {"events"} & present or "event_id_cnty" not in present
    ):
        raise UnreadableFileError(
            "the file holds aggregate counts (an 'events' column"
            + (
                ", " + ", ".join(sorted(AGGREGATE_MARKERS - {"events"} & present))
                if AGGREGATE_MARKERS - {"events"} & present
                else ""
            )
            + "), not event rows; validate the events the counts were made from",
            path=path,
        )


def _mostly_uppercase(header: list[str]) -> bool:
    lettered = [name for name in header if any(char.isalpha() for char in name)]
    upper = [name for name in lettered if name.upper() == name]
    return bool(lettered) and 2 * len(upper) > len(lettered)


def detect_variant(header: list[str], names: list[str], numeric_inter: bool) -> Variant:
    """The variant of a file from its raw header, its folded names and its inter codes."""
    present = set(names)
    raw_lower = {name.replace("\ufeff", "").strip().lower() for name in header}
    dyadic = "actor2" in present or "inter2" in present
    if "gwno" in present or "ally_actor_1" in raw_lower:
        return VARIANTS["acled-v0-legacy"]
    if _mostly_uppercase(header):
        return VARIANTS["acled-uppercase"]
    current = set(COLUMN_NAMES)
    if current <= present:
        if set(POPULATION_COLUMNS) & present:
            return VARIANTS["acled-v3-population"]
        return VARIANTS["acled-v3-numeric" if numeric_inter else "acled-v3-text"]
    if not (_V3_MARKERS & present) and "event_type" in present:
        has_sub = "sub_event_type" in present
        if has_sub and dyadic and current - _V3_MARKERS <= present:
            return VARIANTS["acled-v2-dyadic"]
        if has_sub and not dyadic and "actor1" in present and _V2_MARKERS & present:
            return VARIANTS["acled-v2-monadic"]
        if not has_sub and dyadic and current - _V3_MARKERS - {"sub_event_type"} <= present:
            return VARIANTS["acled-v1-pre2019"]
    return VARIANTS["unknown"]
