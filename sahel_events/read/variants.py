"""ACLED's file variants: which one a file is, and how its column names map to today's.

ACLED has changed its column set several times (acled-format.md §1b). A variant
is recognised from the file's header (and, for V3, from whether its actor-type
codes are numbers); :mod:`sahel_events.read.normalise` then maps it to the
current 31 columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sahel_events.exc import UnreadableFileError
from sahel_events.vocabulary import COLUMN_NAMES, POPULATION_COLUMNS

__all__ = [
    "LEGACY_COLUMNS",
    "VARIANTS",
    "Variant",
    "detect_variant",
    "normalise_column_names",
]


@dataclass(frozen=True)
class Variant:
    """One kind of ACLED file."""

    id: str
    description: str
    dyadic: bool = True


#: Every variant the reader recognises, by the id stored in ``df.attrs["source_format"]``.
VARIANTS: dict[str, Variant] = {
    variant.id: variant
    for variant in (
        Variant(
            "acled-v0-legacy",
            "Legacy ACLED Africa file (about 2013-2016): 25 upper-case columns with GWNO and"
            " ALLY_ACTOR_1/2, numeric actor types, pre-2019 event types.",
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

_RENAMES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
_V3_MARKERS = frozenset({"disorder_type", "civilian_targeting", "tags"})
_V2_MARKERS = frozenset({"data_id", "event_id_no_cnty", "iso3"})


def normalise_column_names(header: list[str], path: Path) -> list[str]:
    """Lower-case the names, strip BOMs and blanks, and rename ``ally_actor_*``.

    Unnamed columns become ``unnamed_<position>``. A repeated name of one of
    ACLED's columns is an error (which copy to trust is not ours to guess);
    repeated other names get a ``_2``, ``_3``... suffix.
    """
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = raw.replace("\ufeff", "").strip().lower()
        name = _RENAMES.get(name, name) or f"unnamed_{position}"
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
    if not set(names) & set(COLUMN_NAMES):
        found = ", ".join(repr(name) for name in header[:5]) or "nothing"
        if len(header) > 5:
            found += f" and {len(header) - 5} more"
        raise UnreadableFileError(
            "none of ACLED's columns were found; expected a header row with columns such as"
            f" {', '.join(COLUMN_NAMES[:4])}, ... ({len(COLUMN_NAMES)} in all), found {found}",
            path=path,
        )
    return names


def _mostly_uppercase(header: list[str]) -> bool:
    lettered = [name for name in header if any(char.isalpha() for char in name)]
    upper = [name for name in lettered if name.upper() == name]
    return bool(lettered) and 2 * len(upper) > len(lettered)


def detect_variant(header: list[str], names: list[str], numeric_inter: bool) -> Variant:
    """The variant of a file from its raw header, its normalised names and its inter codes."""
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
