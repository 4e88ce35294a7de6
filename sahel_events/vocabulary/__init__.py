"""ACLED's vocabularies as data: columns, event types, actor types, interactions,
regions, countries and the source_scale grammar.

Every check, reader and writer takes its allowed values from here, so that a
change to ACLED's codebook is a change to this module alone. The country table
lives beside this file in ``countries.csv`` and is loaded on first use.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

__all__ = [
    "ACTOR_TYPES",
    "CATEGORICAL_COLUMNS",
    "CIVILIAN_TARGETING",
    "CIVILIAN_TARGETING_LEGACY",
    "COLUMNS",
    "COLUMN_NAMES",
    "DISORDER_TYPES",
    "EVENT_ID_PATTERN",
    "EVENT_TYPES",
    "INTERACTIONS",
    "LEGACY_ACTOR_LABELS",
    "LEGACY_EVENT_TYPES",
    "POPULATION_COLUMNS",
    "PROVENANCE_COLUMNS",
    "REGIONS",
    "SCHEMA_VERSION",
    "SOURCE_SCALE_PATTERN",
    "SOURCE_SCALE_TOKENS",
    "SUB_EVENT_TYPES",
    "Column",
    "Country",
    "countries",
    "country_lookup",
    "country_names",
    "disorder_type_of",
    "event_type_of",
    "interaction_code",
    "interaction_code_of_label",
    "interaction_label",
    "pandas_dtypes",
]

ColumnKind = Literal["str", "int", "float", "date"]


@dataclass(frozen=True)
class Column:
    """One column of ACLED's current (post-2023) export."""

    name: str
    kind: ColumnKind
    required: bool
    description: str

    @property
    def categorical(self) -> bool:
        """Whether the column holds a closed vocabulary (stored as a pandas category)."""
        return self.name in CATEGORICAL_COLUMNS

    @property
    def pandas_dtype(self) -> str:
        """The dtype of this column in a DataFrame returned by ``read_events``."""
        if self.categorical:
            return "category"
        return _PANDAS_DTYPES[self.kind]


#: ACLED's current 31 columns, in ACLED's order (docs/schema.md).
COLUMNS: tuple[Column, ...] = (
    Column(
        "event_id_cnty",
        "str",
        True,
        "Unique event ID: a country prefix and a number, e.g. MLI2665.",
    ),
    Column("event_date", "date", True, "Date of the event."),
    Column("year", "int", True, "Year of event_date."),
    Column("time_precision", "int", True, "1 exact date, 2 week or similar span, 3 month."),
    Column(
        "disorder_type",
        "str",
        True,
        "Political violence, Demonstrations, Strategic developments, or Political violence; Demonstrations.",
    ),
    Column("event_type", "str", True, "One of the 6 event types."),
    Column(
        "sub_event_type",
        "str",
        True,
        "One of the 25 sub-event types, each belonging to one event type.",
    ),
    Column("actor1", "str", True, "Named actor; does not imply the aggressor."),
    Column("assoc_actor_1", "str", False, "Associated actors of actor1, separated by '; '."),
    Column("inter1", "str", True, "Actor type of actor1 (text label)."),
    Column("actor2", "str", False, "Second named actor; blank for one-sided events."),
    Column("assoc_actor_2", "str", False, "Associated actors of actor2, separated by '; '."),
    Column("inter2", "str", False, "Actor type of actor2; blank when there is no actor2."),
    Column("interaction", "str", True, "Combined actor types, e.g. 'State forces-Civilians'."),
    Column(
        "civilian_targeting",
        "str",
        False,
        "'Civilian targeting' when civilians were the main or only target, else blank.",
    ),
    Column("iso", "int", True, "ISO 3166-1 numeric code of the country (Kosovo is 0)."),
    Column("region", "str", True, "One of ACLED's 17 regions."),
    Column("country", "str", True, "Country in ACLED's spelling."),
    Column("admin1", "str", True, "Largest sub-national administrative unit."),
    Column("admin2", "str", False, "Second-level administrative unit."),
    Column("admin3", "str", False, "Third-level administrative unit."),
    Column("location", "str", True, "Named place."),
    Column("latitude", "float", True, "Latitude, decimal degrees (EPSG:4326)."),
    Column("longitude", "float", True, "Longitude, decimal degrees (EPSG:4326)."),
    Column(
        "geo_precision",
        "int",
        True,
        "1 particular town, 2 near a town or part of a region, 3 larger region.",
    ),
    Column("source", "str", True, "Sources, separated by '; '."),
    Column("source_scale", "str", True, "Scale of the sources, e.g. 'National-International'."),
    Column("notes", "str", True, "Short description of the event."),
    Column("fatalities", "int", True, "Reported fatalities, an integer >= 0 (0 when unknown)."),
    Column("tags", "str", False, "Structured tags separated by ';'."),
    Column("timestamp", "int", True, "Unix time (seconds) at which the event was uploaded."),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)


#: Bumped when a column, dtype or check changes meaning; exported schemas and every
#: Parquet file the library writes (``sahel_events.schema_version``) carry it.
SCHEMA_VERSION = "1"

#: Columns the dataset build appends after ACLED's 31, in this order.
PROVENANCE_COLUMNS: tuple[str, ...] = ("source_id", "evidence", "evidence_offsets", "background")

#: Columns whose values come from a closed vocabulary; read as pandas categories.
CATEGORICAL_COLUMNS: frozenset[str] = frozenset(
    {
        "disorder_type",
        "event_type",
        "sub_event_type",
        "inter1",
        "inter2",
        "interaction",
        "civilian_targeting",
        "region",
        "country",
        "source_scale",
    }
)

# Integers are nullable so that a missing or unreadable cell stays visible as <NA>.
_PANDAS_DTYPES: dict[str, str] = {
    "str": "str",
    "int": "Int64",
    "float": "float64",
    "date": "datetime64[ns]",
}


def pandas_dtypes() -> dict[str, str]:
    """Column name -> pandas dtype of the current-format DataFrame, in ACLED's order."""
    return {column.name: column.pandas_dtype for column in COLUMNS}


#: Optional columns appended after ``timestamp`` by ``population=full`` exports.
POPULATION_COLUMNS: tuple[str, ...] = (
    "population_1km",
    "population_2km",
    "population_5km",
    "population_best",
)

# --- Event types (docs/schema.md), in ACLED's hierarchy order --------------------

DISORDER_TYPES: tuple[str, ...] = (
    "Political violence",
    "Demonstrations",
    "Strategic developments",
    "Political violence; Demonstrations",
)

#: (event_type, sub_event_type, disorder_type), highest-priority sub-event type first.
SUB_EVENT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("Battles", "Government regains territory", "Political violence"),
    ("Battles", "Non-state actor overtakes territory", "Political violence"),
    ("Battles", "Armed clash", "Political violence"),
    ("Protests", "Excessive force against protesters", "Political violence; Demonstrations"),
    ("Protests", "Protest with intervention", "Demonstrations"),
    ("Protests", "Peaceful protest", "Demonstrations"),
    ("Riots", "Violent demonstration", "Demonstrations"),
    ("Riots", "Mob violence", "Political violence"),
    ("Explosions/Remote violence", "Chemical weapon", "Political violence"),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
    ("Explosions/Remote violence", "Suicide bomb", "Political violence"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence"),
    ("Explosions/Remote violence", "Grenade", "Political violence"),
    ("Violence against civilians", "Sexual violence", "Political violence"),
    ("Violence against civilians", "Attack", "Political violence"),
    ("Violence against civilians", "Abduction/forced disappearance", "Political violence"),
    ("Strategic developments", "Agreement", "Strategic developments"),
    ("Strategic developments", "Arrests", "Strategic developments"),
    ("Strategic developments", "Change to group/activity", "Strategic developments"),
    ("Strategic developments", "Disrupted weapons use", "Strategic developments"),
    ("Strategic developments", "Headquarters or base established", "Strategic developments"),
    ("Strategic developments", "Looting/property destruction", "Strategic developments"),
    ("Strategic developments", "Non-violent transfer of territory", "Strategic developments"),
    ("Strategic developments", "Other", "Strategic developments"),
)

EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(row[0] for row in SUB_EVENT_TYPES))

_EVENT_TYPE_OF = {sub: event for event, sub, _ in SUB_EVENT_TYPES}
_DISORDER_TYPE_OF = {sub: disorder for _, sub, disorder in SUB_EVENT_TYPES}


def event_type_of(sub_event_type: str) -> str | None:
    """The event type a sub-event type belongs to, or None for an unknown one."""
    return _EVENT_TYPE_OF.get(sub_event_type)


def disorder_type_of(sub_event_type: str) -> str | None:
    """The disorder type ACLED assigns to a sub-event type, or None for an unknown one."""
    return _DISORDER_TYPE_OF.get(sub_event_type)


#: Event types of the taxonomy before April 2019 (files without sub_event_type),
#: mapped to (event_type, sub_event_type). A None sub-event type means the legacy
#: type does not determine one; a None event type means it does not determine either.
LEGACY_EVENT_TYPES: dict[str, tuple[str | None, str | None]] = {
    "Battle-No change of territory": ("Battles", "Armed clash"),
    "Battle-Non-state actor overtakes territory": (
        "Battles",
        "Non-state actor overtakes territory",
    ),
    "Battle-Rebels overtake territory": ("Battles", "Non-state actor overtakes territory"),
    "Battle-Government regains territory": ("Battles", "Government regains territory"),
    "Remote violence": ("Explosions/Remote violence", None),
    "Violence against civilians": ("Violence against civilians", None),
    "Riots/Protests": (None, None),
    "Strategic development": ("Strategic developments", None),
    "Non-violent transfer of territory": (
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    "Headquarters or base established": (
        "Strategic developments",
        "Headquarters or base established",
    ),
    "Non-violent activity by a conflict actor": ("Strategic developments", None),
}

# --- Actor types and interactions (docs/schema.md) ----------------------------

#: Current text labels by legacy number. 0 (no actor2) is blank in the text era.
ACTOR_TYPES: dict[int, str] = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}

#: Older labels (acledR and codebook headings), lower-cased, by legacy number.
LEGACY_ACTOR_LABELS: dict[str, int] = {
    "state forces": 1,
    "rebel groups": 2,
    "rebel forces": 2,
    "political militias": 3,
    "militia groups": 3,
    "identity militias": 4,
    "communal / identity groups": 4,
    "communal/identity groups": 4,
    "rioters": 5,
    "protestors": 6,
    "protesters": 6,
    "civilians": 7,
    "external/other forces": 8,
    "foreign / others": 8,
    "foreign/others": 8,
}

#: The 44 interaction codes and their current text labels. Code 78 is written
#: "External/Other forces-Civilians", against the lower-code-first pattern.
INTERACTIONS: dict[int, str] = {
    10: "State forces only",
    11: "State forces-State forces",
    12: "State forces-Rebel group",
    13: "State forces-Political militia",
    14: "State forces-Identity militia",
    15: "State forces-Rioters",
    16: "State forces-Protesters",
    17: "State forces-Civilians",
    18: "State forces-External/Other forces",
    20: "Rebel group only",
    22: "Rebel group-Rebel group",
    23: "Rebel group-Political militia",
    24: "Rebel group-Identity militia",
    25: "Rebel group-Rioters",
    26: "Rebel group-Protesters",
    27: "Rebel group-Civilians",
    28: "Rebel group-External/Other forces",
    30: "Political militia only",
    33: "Political militia-Political militia",
    34: "Political militia-Identity militia",
    35: "Political militia-Rioters",
    36: "Political militia-Protesters",
    37: "Political militia-Civilians",
    38: "Political militia-External/Other forces",
    40: "Identity militia only",
    44: "Identity militia-Identity militia",
    45: "Identity militia-Rioters",
    46: "Identity militia-Protesters",
    47: "Identity militia-Civilians",
    48: "Identity militia-External/Other forces",
    50: "Rioters only",
    55: "Rioters-Rioters",
    56: "Rioters-Protesters",
    57: "Rioters-Civilians",
    58: "Rioters-External/Other forces",
    60: "Protesters only",
    66: "Protesters-Protesters",
    67: "Protesters-Civilians",
    68: "Protesters-External/Other forces",
    70: "Civilians only",
    77: "Civilians-Civilians",
    78: "External/Other forces-Civilians",
    80: "External/Other forces only",
    88: "External/Other forces-External/Other forces",
}
_INTERACTION_BY_LABEL = {label: code for code, label in INTERACTIONS.items()}
_ACTOR_CODE_BY_LABEL = {label: code for code, label in ACTOR_TYPES.items()}


def interaction_code(inter1: int | str, inter2: int | str | None = None) -> int:
    """ACLED's interaction code for two actor types (numbers or text labels).

    The order of the actors does not matter; a missing or 0 ``inter2`` gives the
    one-sided code (``10 * inter1``).

    >>> interaction_code("State forces", "Civilians")
    17
    >>> interaction_code(8)
    80
    """
    first = _actor_code(inter1)
    second = 0 if inter2 in (None, "", 0) else _actor_code(inter2)
    if first == 0:
        raise ValueError("inter1 cannot be blank")
    if second == 0:
        return 10 * first
    return 10 * min(first, second) + max(first, second)


def interaction_label(inter1: int | str, inter2: int | str | None = None) -> str:
    """The current text label of :func:`interaction_code`, e.g. ``'State forces-Civilians'``."""
    return INTERACTIONS[interaction_code(inter1, inter2)]


def interaction_code_of_label(label: str) -> int | None:
    """The numeric code of an interaction label, or None for an unknown label."""
    return _INTERACTION_BY_LABEL.get(label)


def _actor_code(value: int | str) -> int:
    if isinstance(value, int):
        if value in ACTOR_TYPES or value == 0:
            return value
        raise ValueError(f"unknown actor type code {value!r}")
    if value in _ACTOR_CODE_BY_LABEL:
        return _ACTOR_CODE_BY_LABEL[value]
    if value.lower() in LEGACY_ACTOR_LABELS:
        return LEGACY_ACTOR_LABELS[value.lower()]
    raise ValueError(f"unknown actor type {value!r}")


# --- Regions, countries (docs/schema.md) --------------------------------------

REGIONS: dict[int, str] = {
    1: "Western Africa",
    2: "Middle Africa",
    3: "Eastern Africa",
    4: "Southern Africa",
    5: "Northern Africa",
    7: "South Asia",
    9: "Southeast Asia",
    11: "Middle East",
    12: "Europe",
    13: "Caucasus and Central Asia",
    14: "Central America",
    15: "South America",
    16: "Caribbean",
    17: "East Asia",
    18: "North America",
    19: "Oceania",
    20: "Antarctica",
}

#: ``^[A-Z]{3}\d+$``: a three-letter country prefix and a number, not zero-padded.
EVENT_ID_PATTERN = r"^[A-Z]{3}[1-9][0-9]*$"


@dataclass(frozen=True)
class Country:
    """A country as ACLED names it, with its codes.

    ``prefix`` is the three letters ACLED puts before event numbers; it is not
    always the ISO alpha-3 code (Burkina Faso is ``BFO``, Niger ``NIR``).
    ``prefix_confirmed`` says whether the prefix was seen in real exports or
    follows ACLED's pattern only.
    """

    name: str
    iso: int
    alpha2: str
    alpha3: str
    prefix: str
    region: str
    prefix_confirmed: bool
    #: Names ACLED used before (``Swaziland``) and common other spellings, accepted too.
    former_names: tuple[str, ...] = ()


@cache
def countries() -> tuple[Country, ...]:
    """All countries of the vocabulary, loaded from ``countries.csv`` on first use."""
    text = resources.files(__name__).joinpath("countries.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Country(
            name=row["country"],
            iso=int(row["iso"]),
            alpha2=row["alpha2"],
            alpha3=row["alpha3"],
            prefix=row["prefix"],
            region=row["region"],
            prefix_confirmed=row["prefix_confirmed"] == "yes",
            former_names=tuple(name for name in row["former_names"].split(";") if name),
        )
        for row in rows
    )


@cache
def country_names() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Every accepted country name (ACLED's, then former ones) and its country's position.

    The positions index :func:`countries`, so that a former name (``Swaziland``)
    is checked as the country it names.
    """
    names: list[str] = []
    positions: list[int] = []
    for position, country in enumerate(countries()):
        names.append(country.name)
        positions.append(position)
    for position, country in enumerate(countries()):
        for former in country.former_names:
            names.append(former)
            positions.append(position)
    return tuple(names), tuple(positions)


@cache
def _country_index() -> dict[str, Country]:
    index: dict[str, Country] = {}
    # Later keys never overwrite earlier ones: an ACLED name wins over a code.
    for attribute in ("name", "former_names", "alpha3", "alpha2", "prefix", "iso"):
        for country in countries():
            values = getattr(country, attribute)
            for value in values if isinstance(values, tuple) else (values,):
                index.setdefault(str(value).casefold(), country)
    return index


def country_lookup(value: str | int) -> Country:
    """Find a country by ACLED name, ISO alpha-3, alpha-2, event-id prefix or ISO numeric code.

    >>> country_lookup("NIR").name
    'Niger'

    Raises ``LookupError`` when nothing matches, as ``pycountry`` does.
    """
    key = str(value).strip().casefold()
    try:
        return _country_index()[key]
    except KeyError:
        raise LookupError(f"unknown country {value!r}") from None


# --- source_scale, civilian_targeting (docs/schema.md) ------------------------

SOURCE_SCALE_TOKENS: tuple[str, ...] = (
    "Local partner",
    "New media",
    "Local",
    "Subnational",
    "National",
    "Regional",
    "International",
    "Other",
)
_TOKEN = "(?:" + "|".join(re.escape(token) for token in SOURCE_SCALE_TOKENS) + ")"
#: One to three scale tokens joined by '-' (case-insensitive for legacy files).
SOURCE_SCALE_PATTERN = rf"(?i)^{_TOKEN}(?:-{_TOKEN}){{0,2}}$"

#: The value in current data; the codebook's spelling is accepted with a warning.
CIVILIAN_TARGETING = "Civilian targeting"
CIVILIAN_TARGETING_LEGACY = "Civilians targeted"
