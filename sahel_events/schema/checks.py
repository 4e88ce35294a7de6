"""The named checks of the event schema, registered with pandera.

Each check is a vectorised function registered with
:func:`pandera.extensions.register_check_method`, so that it can be used by name
in :class:`~sahel_events.schema.EventSchema` and survives pandera's YAML
serialisation. Beside pandera's registry, :data:`CHECKS` records what a report
needs to know about each: the columns it reads, whether a failure is an error or
a warning, and the sentence shown to the user (both from the one findings
catalogue, :data:`sahel_events._findings.FINDINGS`).

A check returns a boolean Series (``True`` where the row passes). Missing values
pass every check except the schema's own ``nullable`` rule: a blank cell is
reported once, as a missing value, not again as an unknown one.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from pandera import extensions

from sahel_events import vocabulary
from sahel_events._findings import FINDINGS

Severity = Literal["error", "warning"]

#: Pandera's check name for a missing value in a required column.
MISSING_VALUE = "missing_value"


@dataclass(frozen=True)
class CheckSpec:
    """What a report needs to know about one registered check."""

    name: str
    columns: tuple[str, ...]
    severity: Severity
    message: str
    level: Literal["column", "dataframe"]
    function: Callable[..., pd.Series]
    description: str
    #: Only meaningful for files with one row per event (not ACLED's monadic exports).
    dyadic_only: bool = False


#: Every registered check of the event schema, by name, in the order they are documented.
CHECKS: dict[str, CheckSpec] = {}


def _register(
    *,
    columns: Sequence[str],
    level: Literal["column", "dataframe"],
    statistics: Sequence[str] = (),
    dyadic_only: bool = False,
    per_category: bool = False,
) -> Callable[[Callable[..., pd.Series]], Callable[..., pd.Series]]:
    """Register a check; ``per_category`` says that its verdict depends on ``columns``
    alone, so that on categorical columns it is decided once per combination of
    categories (see :func:`_per_category_combination`)."""

    def decorator(function: Callable[..., pd.Series]) -> Callable[..., pd.Series]:
        name = function.__name__
        if per_category:
            function = _per_category_combination(function, tuple(columns))
        supported = pd.DataFrame if level == "dataframe" else pd.Series
        extensions.register_check_method(
            statistics=list(statistics), supported_types=supported, check_type="vectorized"
        )(function)
        finding = FINDINGS[name]  # the sentence and severity, written once
        CHECKS[name] = CheckSpec(
            name=name,
            columns=tuple(columns),
            severity=finding.severity,  # type: ignore[arg-type]  # checks are never notes
            message=finding.message,
            level=level,
            function=function,
            description=(function.__doc__ or "").strip().split("\n\n")[0],
            dyadic_only=dyadic_only,
        )
        return function

    return decorator


#: Most combinations of categories a check is decided on, rather than on the rows.
_MAX_COMBINATIONS = 1 << 16


def _per_category_combination(
    function: Callable[..., pd.Series], columns: tuple[str, ...]
) -> Callable[..., pd.Series]:
    """``function``, decided once per combination of its columns' categories.

    A check of event_type, inter1 and inter2 on a million rows has at most a few
    hundred distinct inputs: it is run on a small frame holding each combination
    once (blanks included), and each row takes the verdict of its combination.
    Columns that are not categorical, or too many combinations, run on the rows.
    """

    @functools.wraps(function)
    def checked(frame: pd.DataFrame, **statistics: Any) -> pd.Series:
        series = [frame[name] for name in columns if name in frame.columns]
        if len(series) < len(columns) or not all(
            isinstance(values.dtype, pd.CategoricalDtype) for values in series
        ):
            return function(frame, **statistics)
        sizes = [len(values.cat.categories) + 1 for values in series]  # +1: the blank
        if int(np.prod(sizes, dtype=np.int64)) > _MAX_COMBINATIONS:
            return function(frame, **statistics)
        # Combination of each row: codes shifted by one (blank -1 -> 0), in mixed radix.
        key = np.zeros(len(frame), dtype=np.int32)
        for values, size in zip(series, sizes, strict=True):
            key *= size
            key += values.array.codes
            key += 1
        grid = np.indices(sizes).reshape(len(sizes), -1) - 1
        combinations = pd.DataFrame(
            {
                name: pd.Categorical.from_codes(
                    codes, dtype=cast(pd.CategoricalDtype, values.dtype), validate=False
                )
                for name, values, codes in zip(columns, series, grid, strict=True)
            }
        )
        verdicts = function(combinations, **statistics).to_numpy(dtype=bool)
        return pd.Series(verdicts[key], index=frame.index, copy=False)

    return checked


# --- Vectorised helpers -----------------------------------------------------------


def vocabulary_index(series: pd.Series, values: Sequence[str]) -> np.ndarray:
    """Position of each value in ``values``: -1 for a missing value, -2 for an unknown one.

    Categorical columns are looked up once per category, not once per row.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _category_positions(series, values)[series.array.codes]
    positions = pd.Index(list(values)).get_indexer(series.astype("str"))
    positions = np.where(positions < 0, -2, positions)
    positions[series.isna().to_numpy()] = -1
    return positions.astype(np.int64)


def _category_positions(series: pd.Series, values: Sequence[str]) -> np.ndarray:
    """:func:`vocabulary_index` of each category of a categorical ``series``, and -1 in
    a last slot, for the code of a blank."""
    return _category_lookup(_category_texts(series.cat.categories), tuple(values))


_category_text_cache: dict[int, tuple[weakref.ref[Any], tuple[str, ...]]] = {}


def _category_texts(categories: pd.Index) -> tuple[str, ...]:
    """The categories as a tuple of text, kept (weakly) per categories object: a chunk's
    checks look up the same columns' categories many times."""
    kept = _category_text_cache.get(id(categories))
    if kept is not None and kept[0]() is categories:
        return kept[1]
    if len(_category_text_cache) >= 64:
        _category_text_cache.clear()
    texts = tuple(str(category) for category in categories)
    _category_text_cache[id(categories)] = (weakref.ref(categories), texts)
    return texts


@lru_cache(maxsize=512)
def _category_lookup(categories: tuple[str, ...], values: tuple[str, ...]) -> np.ndarray:
    """Position in ``values`` of each category, -2 when absent; a last slot -1 for code -1."""
    where = {value: position for position, value in enumerate(values)}
    return np.array([where.get(category, -2) for category in categories] + [-1], dtype=np.int64)


def _by_category(series: pd.Series, verdicts: np.ndarray) -> pd.Series:
    """Each row's verdict from ``verdicts``, one per category and a last one for blanks."""
    if verdicts.all():  # the usual case, told without a pass over the rows
        return pd.Series(np.ones(len(series), dtype=bool), index=series.index, copy=False)
    return pd.Series(verdicts[series.array.codes], index=series.index, copy=False)


def _in_values(series: pd.Series, values: Sequence[str]) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):  # decided per category
        return _by_category(series, _category_positions(series, values) != -2)
    return pd.Series(vocabulary_index(series, values) != -2, index=series.index, copy=False)


def _country_names() -> tuple[str, ...]:
    """Every accepted name, former names included (see :func:`_country_position`)."""
    return vocabulary.country_names()[0]


@cache
def _country_of_name() -> np.ndarray:
    """For each accepted name, the position of its country in ``vocabulary.countries()``."""
    return np.array(vocabulary.country_names()[1], dtype=np.int64)


def _country_position(series: pd.Series) -> np.ndarray:
    """Position in ``vocabulary.countries()`` of each row's country; negative when unknown."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # found per category, then per row
        return _category_countries(series)[series.array.codes]
    return _countries_of_names(vocabulary_index(series, _country_names()))


def _category_countries(series: pd.Series) -> np.ndarray:
    """:func:`_country_position` of each category, and of a blank in a last slot."""
    return _countries_of_names(_category_positions(series, _country_names()))


def _countries_of_names(positions: np.ndarray) -> np.ndarray:
    known = _known(positions)
    return np.where(known, _country_of_name()[np.where(known, positions, 0)], positions)


_ACTOR_LABELS = tuple(vocabulary.ACTOR_TYPES.values())
_ACTOR_NUMBERS = np.array(list(vocabulary.ACTOR_TYPES), dtype=np.int64)
_INTERACTION_LABELS = tuple(vocabulary.INTERACTIONS.values())
_INTERACTION_CODES = np.array(list(vocabulary.INTERACTIONS), dtype=np.int64)
_SUB_EVENT_TYPES = tuple(row[1] for row in vocabulary.SUB_EVENT_TYPES)
_EVENT_OF_SUB = np.array(
    [vocabulary.EVENT_TYPES.index(row[0]) for row in vocabulary.SUB_EVENT_TYPES], dtype=np.int64
)
_DISORDER_OF_SUB = np.array(
    [vocabulary.DISORDER_TYPES.index(row[2]) for row in vocabulary.SUB_EVENT_TYPES], dtype=np.int64
)
_CIVILIAN_TARGETING = (vocabulary.CIVILIAN_TARGETING, vocabulary.CIVILIAN_TARGETING_LEGACY)


def _known(positions: np.ndarray) -> np.ndarray:
    return positions >= 0


# Verdicts are fresh arrays, so they are wrapped without the copy pandas makes by default.
def _passes(frame: pd.DataFrame, ok: np.ndarray) -> pd.Series:
    return pd.Series(ok, index=frame.index, copy=False)


@dataclass(frozen=True)
class ParsedEventIds:
    """Event ids split once into what three checks need."""

    well_formed: np.ndarray  # bool: matches EVENT_ID_PATTERN (and has at most 17 characters)
    prefix_codes: np.ndarray  # int: position of the first three letters in ``prefixes``
    prefixes: pd.Index
    numbers: np.ndarray  # int64: the number after the prefix, 0 where not well formed


_last_parse: tuple[weakref.ref[Any], ParsedEventIds] | None = None


def parse_event_ids(ids: pd.Series) -> ParsedEventIds:
    """Split ids into prefix and number, vectorised with Arrow.

    The result for the last column parsed is kept (weakly), because
    ``is_event_id``, ``event_id_prefix_matches_country`` and ``unique_event_id``
    all read the same column.
    """
    global _last_parse
    array = ids.array
    if _last_parse is not None and _last_parse[0]() is array:
        return _last_parse[1]
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(ids.astype("str").array, type=pa.large_string(), from_pandas=True)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    # Up to 14 digits, so that prefix (15 bits) and number (47 bits) fit one int64 key.
    short = pc.less_equal(pc.utf8_length(text), 17)
    well_formed = pc.and_kleene(
        pc.match_substring_regex(text, vocabulary.EVENT_ID_PATTERN), short
    ).fill_null(False)
    prefix = pc.utf8_slice_codeunits(text, 0, 3).dictionary_encode()
    digits = pc.if_else(well_formed, pc.utf8_slice_codeunits(text, 3), "0")
    parsed = ParsedEventIds(
        well_formed=well_formed.to_numpy(zero_copy_only=False),
        prefix_codes=prefix.indices.fill_null(-1).to_numpy(zero_copy_only=False),
        prefixes=pd.Index(prefix.dictionary.to_pylist(), dtype=object),
        numbers=pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False),
    )
    try:
        _last_parse = (weakref.ref(array), parsed)
    except TypeError:  # an array type that takes no weak reference: parse again next time
        _last_parse = None
    return parsed


# --- Column checks ----------------------------------------------------------------


@_register(
    columns=("event_id_cnty",),
    level="column",
)
def is_event_id(series: pd.Series) -> pd.Series:
    """A three-letter country prefix followed by a number without leading zeros (``MLI2665``)."""
    parsed = parse_event_ids(series)
    return pd.Series(parsed.well_formed | series.isna().to_numpy(), index=series.index, copy=False)


@_register(
    columns=("event_type",),
    level="column",
)
def known_event_type(series: pd.Series) -> pd.Series:
    """One of ACLED's six event types (Battles, Protests, Riots, ...)."""
    return _in_values(series, vocabulary.EVENT_TYPES)


@_register(
    columns=("sub_event_type",),
    level="column",
)
def known_sub_event_type(series: pd.Series) -> pd.Series:
    """One of ACLED's 25 sub-event types (Armed clash, Arrests, ...)."""
    return _in_values(series, _SUB_EVENT_TYPES)


@_register(
    columns=("disorder_type",),
    level="column",
)
def known_disorder_type(series: pd.Series) -> pd.Series:
    """One of ACLED's four disorder types."""
    return _in_values(series, vocabulary.DISORDER_TYPES)


@_register(
    columns=("inter1", "inter2"),
    level="column",
)
def known_actor_type(series: pd.Series) -> pd.Series:
    """One of ACLED's eight actor types (State forces, Rebel group, ..., External/Other forces)."""
    return _in_values(series, _ACTOR_LABELS)


@_register(
    columns=("interaction",),
    level="column",
)
def known_interaction(series: pd.Series) -> pd.Series:
    """One of ACLED's 44 interaction labels (e.g. ``State forces-Civilians``)."""
    return _in_values(series, _INTERACTION_LABELS)


@_register(
    columns=("region",),
    level="column",
)
def known_region(series: pd.Series) -> pd.Series:
    """One of ACLED's 17 regions (Western Africa, Europe, ...)."""
    return _in_values(series, tuple(vocabulary.REGIONS.values()))


@_register(
    columns=("country",),
    level="column",
)
def known_country(series: pd.Series) -> pd.Series:
    """A country in ACLED's spelling from the vocabulary's country table."""
    return _in_values(series, _country_names())


@_register(
    columns=("civilian_targeting",),
    level="column",
)
def known_civilian_targeting(series: pd.Series) -> pd.Series:
    """Blank, ``Civilian targeting``, or the codebook's spelling ``Civilians targeted``."""
    return _in_values(series, _CIVILIAN_TARGETING)


@_register(
    columns=("civilian_targeting",),
    level="dataframe",
    per_category=True,
)
def civilian_targeting_spelling(frame: pd.DataFrame) -> pd.Series:
    """Warns on ``Civilians targeted``, the codebook's spelling, where the data writes ``Civilian targeting``."""
    return _passes(frame, vocabulary_index(frame["civilian_targeting"], _CIVILIAN_TARGETING) != 1)


@_register(
    columns=("time_precision", "geo_precision"),
    level="column",
)
def is_precision_code(series: pd.Series) -> pd.Series:
    """ACLED's precision codes: 1 (most precise), 2 or 3."""
    if pd.api.types.is_integer_dtype(series.dtype):  # a range test; isin hashes every row
        codes = series.to_numpy(dtype=np.int64, na_value=1)
        return pd.Series((codes >= 1) & (codes <= 3), index=series.index, copy=False)
    return series.isin([1, 2, 3]) | series.isna()


@_register(
    columns=("fatalities",),
    level="column",
)
def is_non_negative(series: pd.Series) -> pd.Series:
    """A count of zero or more."""
    return (series >= 0).fillna(True).astype(bool)


@_register(
    columns=("latitude",),
    level="column",
)
def is_latitude(series: pd.Series) -> pd.Series:
    """A latitude in decimal degrees, between -90 and 90."""
    return _within(series, 90)


@_register(
    columns=("longitude",),
    level="column",
)
def is_longitude(series: pd.Series) -> pd.Series:
    """A longitude in decimal degrees, between -180 and 180."""
    return _within(series, 180)


def _within(series: pd.Series, bound: float) -> pd.Series:
    """Blank, or between ``-bound`` and ``bound``; on the floats, without pandas' masks."""
    if series.dtype == np.float64:
        degrees = series.to_numpy()
        with np.errstate(invalid="ignore"):
            return pd.Series(
                ~((degrees < -bound) | (degrees > bound)), index=series.index, copy=False
            )
    return series.between(-bound, bound) | series.isna()


@_register(
    columns=("source_scale",),
    level="column",
)
def is_source_scale(series: pd.Series) -> pd.Series:
    """One to three scale words joined by ``-``, e.g. ``Local partner-National``."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories.astype(str)
        matches = np.asarray(categories.str.fullmatch(vocabulary.SOURCE_SCALE_PATTERN), dtype=bool)
        return _by_category(series, np.append(matches, True))
    return series.str.fullmatch(vocabulary.SOURCE_SCALE_PATTERN).fillna(True).astype(bool)


@_register(
    columns=("evidence_offsets",),
    level="column",
)
def is_offset_list(series: pd.Series) -> pd.Series:
    """``start-end`` code-point offsets into the source text, one pair per quote, joined by ``;``."""
    return series.str.fullmatch(r"\d+-\d+(?:;\d+-\d+)*").fillna(True).astype(bool)


# --- Cross-field checks -------------------------------------------------------------


@_register(
    columns=("event_type", "sub_event_type"),
    level="dataframe",
    per_category=True,
)
def sub_event_type_matches_event_type(frame: pd.DataFrame) -> pd.Series:
    """Each sub-event type belongs to exactly one event type (Arrests to Strategic developments)."""
    sub = vocabulary_index(frame["sub_event_type"], _SUB_EVENT_TYPES)
    event = vocabulary_index(frame["event_type"], vocabulary.EVENT_TYPES)
    checkable = _known(sub) & _known(event)
    expected = _EVENT_OF_SUB[np.where(checkable, sub, 0)]
    return _passes(frame, ~checkable | (expected == event))


@_register(
    columns=("sub_event_type", "disorder_type"),
    level="dataframe",
    per_category=True,
)
def disorder_type_matches_sub_event_type(frame: pd.DataFrame) -> pd.Series:
    """The disorder type is the one ACLED assigns to the sub-event type."""
    sub = vocabulary_index(frame["sub_event_type"], _SUB_EVENT_TYPES)
    disorder = vocabulary_index(frame["disorder_type"], vocabulary.DISORDER_TYPES)
    checkable = _known(sub) & _known(disorder)
    expected = _DISORDER_OF_SUB[np.where(checkable, sub, 0)]
    return _passes(frame, ~checkable | (expected == disorder))


@_register(
    columns=("inter1", "inter2", "interaction"),
    level="dataframe",
    dyadic_only=True,
    per_category=True,
)
def interaction_matches_actor_types(frame: pd.DataFrame) -> pd.Series:
    """The interaction is the combination of inter1 and inter2 (order does not matter).

    Not applied to monadic files, whose rows carry the event's dyadic interaction.
    """
    first = vocabulary_index(frame["inter1"], _ACTOR_LABELS)
    second = vocabulary_index(frame["inter2"], _ACTOR_LABELS)
    interaction = vocabulary_index(frame["interaction"], _INTERACTION_LABELS)
    checkable = _known(first) & (second != -2) & _known(interaction)
    a = _ACTOR_NUMBERS[np.where(checkable, first, 0)]
    b = np.where(second >= 0, _ACTOR_NUMBERS[np.maximum(second, 0)], 0)
    expected = np.where(b == 0, 10 * a, 10 * np.minimum(a, b) + np.maximum(a, b))
    actual = _INTERACTION_CODES[np.where(checkable, interaction, 0)]
    return _passes(frame, ~checkable | (expected == actual))


@_register(
    columns=("actor2", "inter2"),
    level="dataframe",
    dyadic_only=True,
)
def inter2_matches_actor2(frame: pd.DataFrame) -> pd.Series:
    """A second actor has an actor type, and a blank actor2 has a blank inter2."""
    return _passes(frame, (frame["actor2"].isna() == frame["inter2"].isna()).to_numpy())


@_register(
    columns=("year", "event_date"),
    level="dataframe",
)
def year_matches_event_date(frame: pd.DataFrame) -> pd.Series:
    """``year`` equals the year of ``event_date``."""
    dates, year = frame["event_date"], frame["year"]
    # Naive dates, as conformed; an aware date's year is the one of its own time zone.
    if isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M" and year.dtype == "Int64":
        # Each date compared with the first days of its row's year and of the next:
        # splitting a million dates into calendar fields costs ten times as much.
        days = dates.to_numpy().astype("datetime64[D]")
        years = year.to_numpy(np.int64, na_value=0)
        starts = _first_days_of_years()
        slot = np.clip(years - 1, 0, len(starts) - 2)
        day = days.view(np.int64)
        within = (years >= 1) & (starts[slot] <= day) & (day < starts[slot + 1])
        return _passes(frame, np.isnat(days) | year.isna().to_numpy() | within)
    date_year = dates.dt.year
    ok = (year == date_year) | year.isna() | date_year.isna()
    return ok.fillna(True).astype(bool)


@cache
def _first_days_of_years() -> np.ndarray:
    """Days since 1970 of 1 January of the years 1 to 10000 (slot 0 is the year 1)."""
    return (
        (np.arange(1, 10_001) - 1970).astype("datetime64[Y]").astype("datetime64[D]").view(np.int64)
    )


def _country_attribute(frame: pd.DataFrame, attribute: str) -> tuple[np.ndarray, np.ndarray]:
    """Per row: whether the country is known, and the country's ``attribute``."""
    series = frame["country"]
    categorical = isinstance(series.dtype, pd.CategoricalDtype)
    positions = _category_countries(series) if categorical else _country_position(series)
    values = np.array([getattr(country, attribute) for country in vocabulary.countries()])
    known = _known(positions)
    attributes = values[np.where(known, positions, 0)]
    if categorical:  # decided per category, then taken for each row
        codes = series.array.codes
        return known[codes], attributes[codes]
    return known, attributes


@_register(
    columns=("iso", "country"),
    level="dataframe",
)
def iso_matches_country(frame: pd.DataFrame) -> pd.Series:
    """``iso`` is the ISO 3166-1 numeric code of the country (Mali 466, Kosovo 0)."""
    known, expected = _country_attribute(frame, "iso")
    iso = frame["iso"]
    checkable = known & iso.notna().to_numpy()
    actual = iso.fillna(-1).to_numpy(dtype=np.int64)
    return _passes(frame, ~checkable | (actual == expected))


@_register(
    columns=("region", "country"),
    level="dataframe",
    per_category=True,
)
def region_matches_country(frame: pd.DataFrame) -> pd.Series:
    """The region is the one ACLED files the country under (Mali: Western Africa)."""
    regions = tuple(vocabulary.REGIONS.values())
    country = _country_position(frame["country"])
    region = vocabulary_index(frame["region"], regions)
    checkable = _known(country) & _known(region)
    expected = _region_index_by_country()[np.where(checkable, country, 0)]
    return _passes(frame, ~checkable | (region == expected))


@cache
def _region_index_by_country() -> np.ndarray:
    regions = tuple(vocabulary.REGIONS.values())
    return np.array([regions.index(country.region) for country in vocabulary.countries()])


@_register(
    columns=("event_id_cnty", "country"),
    level="dataframe",
)
def event_id_prefix_matches_country(frame: pd.DataFrame) -> pd.Series:
    """The event id starts with ACLED's prefix for the country (Burkina Faso: BFO)."""
    positions = _country_position(frame["country"])
    parsed = parse_event_ids(frame["event_id_cnty"])
    # Compare small integer codes rather than a million short strings.
    expected_by_country = parsed.prefixes.get_indexer(
        pd.Index([country.prefix for country in vocabulary.countries()])
    )
    checkable = _known(positions) & parsed.well_formed
    expected = expected_by_country[np.where(checkable, positions, 0)]
    return _passes(frame, ~checkable | (parsed.prefix_codes == expected))


@_register(
    columns=("event_type", "civilian_targeting"),
    level="dataframe",
    per_category=True,
)
def no_civilian_targeting_in_battles(frame: pd.DataFrame) -> pd.Series:
    """Battles never carry the civilian-targeting flag; civilian deaths in battles are added to the battle."""
    battles = vocabulary_index(frame["event_type"], vocabulary.EVENT_TYPES) == 0
    flagged = _known(vocabulary_index(frame["civilian_targeting"], _CIVILIAN_TARGETING))
    return _passes(frame, ~(battles & flagged))


@_register(
    columns=("latitude", "longitude", "country"),
    level="dataframe",
    statistics=("tolerance_km",),
)
def coordinates_in_country(frame: pd.DataFrame, *, tolerance_km: float = 50.0) -> pd.Series:
    """The point lies inside the country's polygon, or within ``tolerance_km`` of it.

    Countries without a polygon in the embedded data are not checked.
    """
    known, iso = _country_attribute(frame, "iso")
    latitude = frame["latitude"].to_numpy(dtype=float, na_value=np.nan)
    longitude = frame["longitude"].to_numpy(dtype=float, na_value=np.nan)
    iso = np.where(known, iso, -1)
    distance = _distance_outside_country_km(latitude, longitude, iso)
    return _passes(frame, ~(distance > tolerance_km))


def _distance_outside_country_km(
    latitude: np.ndarray, longitude: np.ndarray, iso: np.ndarray
) -> np.ndarray:
    try:
        from sahel_events.geo import distance_outside_country_km
    except ImportError:  # the geocoding data is not installed: nothing to compare against
        return np.full(latitude.shape, np.nan)
    return np.asarray(distance_outside_country_km(latitude, longitude, iso), dtype=float)


@_register(
    columns=("event_id_cnty",),
    level="dataframe",
    dyadic_only=True,
)
def unique_event_id(frame: pd.DataFrame) -> pd.Series:
    """Each event id occurs once (dyadic files; monadic exports repeat an event once per actor)."""
    return pd.Series(~repeated_ids(frame["event_id_cnty"]), index=frame.index)


def id_keys(ids: pd.Series) -> np.ndarray:
    """Each well-formed id as one int64 (prefix and number); -1 for any other id.

    Hashing these integers is several times faster than hashing a million strings.
    Keys of different chunks agree, so a file read in chunks can be checked whole.
    """
    parsed = parse_event_ids(ids)
    prefix_numbers = np.array(
        [_prefix_number(prefix) for prefix in parsed.prefixes], dtype=np.int64
    )
    prefix = prefix_numbers[np.maximum(parsed.prefix_codes, 0)] if len(prefix_numbers) else 0
    keys = (prefix << 47) | parsed.numbers
    return np.where(parsed.well_formed, keys, -1)


def _prefix_number(prefix: object) -> int:
    text = str(prefix)
    if len(text) != 3 or not text.isascii() or not text.isupper():
        return 0
    return (ord(text[0]) - 64) * 729 + (ord(text[1]) - 64) * 27 + (ord(text[2]) - 64)


_LETTERS = np.array(["", *(chr(code) for code in range(ord("A"), ord("Z") + 1))], dtype=object)


def decode_id_keys(keys: np.ndarray) -> np.ndarray:
    """The id text of keys made by :func:`id_keys` (``MLI2665`` back from its key)."""
    keys = np.asarray(keys, dtype=np.int64)
    prefix = keys >> 47
    number = keys & ((1 << 47) - 1)
    letters = _LETTERS[prefix // 729] + _LETTERS[(prefix // 27) % 27] + _LETTERS[prefix % 27]
    return (letters + number.astype(str).astype(object)).astype(str)


def repeated_keys(keys: np.ndarray) -> np.ndarray:
    """True for each key of :func:`id_keys` (none negative) that occurred earlier.

    Most files repeat no id. That is proved without hashing: each prefix gets a row
    of slots, one per number in the file's range of numbers, and the file repeats no
    id when its keys fill as many slots as there are keys. When some repeat, each
    slot keeps its first row. Only keys too sparse for the slots to stay small (a
    few bytes per key) are hashed.
    """
    keys = np.asarray(keys, dtype=np.int64)
    if len(keys) < 2:
        return np.zeros(len(keys), dtype=bool)
    prefixes = keys >> 47
    numbers = keys & ((1 << 47) - 1)
    lowest, highest = int(numbers.min()), int(numbers.max())
    present = np.bincount(prefixes) > 0
    width = highest - lowest + 1
    slots = int(np.count_nonzero(present)) * width
    if slots <= 8 * len(keys):  # flags take no more bytes than the keys
        slot = (np.cumsum(present) - 1)[prefixes] * width + (numbers - lowest)
        flags = np.zeros(slots, dtype=bool)
        flags[slot] = True
        if int(np.count_nonzero(flags)) == len(keys):
            return np.zeros(len(keys), dtype=bool)
        if slots <= 4 * len(keys) < 2**31:
            # Some id repeats: each slot keeps the first row that fills it.
            rows = np.arange(len(keys), dtype=np.int32)
            first = np.full(slots, len(keys), dtype=np.int32)
            np.minimum.at(first, slot, rows)
            return np.asarray(first[slot] != rows)
    return np.asarray(pd.Series(keys).duplicated(keep="first").to_numpy(), dtype=bool)


def repeated_ids(ids: pd.Series) -> np.ndarray:
    """True for each id that already occurred on an earlier row (missing ids never repeat)."""
    keys = id_keys(ids)
    well = keys >= 0
    repeated = np.zeros(len(ids), dtype=bool)
    if well.any():
        repeated[well] = repeated_keys(keys[well])
    others = ~well & ids.notna().to_numpy()
    if others.any():
        repeated[others] = ids[others].duplicated(keep="first").to_numpy()
    return repeated


# --- ACLED's plausibility rules (warnings: real ACLED exports break some of them) --------

_PEACEFUL = (
    _SUB_EVENT_TYPES.index("Peaceful protest"),
    _SUB_EVENT_TYPES.index("Protest with intervention"),
)
_PROTESTS = vocabulary.EVENT_TYPES.index("Protests")
_RIOTS = vocabulary.EVENT_TYPES.index("Riots")
_VIOLENCE_AGAINST_CIVILIANS = vocabulary.EVENT_TYPES.index("Violence against civilians")
_PROTESTERS = _ACTOR_LABELS.index("Protesters")
#: Actor types that can be the targets of civilian targeting.
_TARGET_TYPES = (_ACTOR_LABELS.index("Civilians"), _PROTESTERS)
_RIOTERS = _ACTOR_LABELS.index("Rioters")
_CIVILIANS = _ACTOR_LABELS.index("Civilians")


@_register(columns=("sub_event_type", "fatalities"), level="dataframe")
def no_fatalities_in_peaceful_protest(frame: pd.DataFrame) -> pd.Series:
    """No fatalities on a Peaceful protest or Protest with intervention.

    ACLED codes a protest in which people are killed as Excessive force against
    protesters (or, if protesters turn violent, as a riot).
    """
    sub = vocabulary_index(frame["sub_event_type"], _SUB_EVENT_TYPES)
    deaths = frame["fatalities"].fillna(0).to_numpy(dtype=np.int64) > 0
    return _passes(frame, ~(np.isin(sub, _PEACEFUL) & deaths))


@_register(columns=("event_type", "inter1", "inter2"), level="dataframe", per_category=True)
def protests_by_protesters(frame: pd.DataFrame) -> pd.Series:
    """Protests have Protesters among their actors, and Riots have Rioters.

    ACLED's codebook puts the demonstrators first; its own exports put the police
    first in some Protest with intervention and Excessive force against protesters
    events, with the protesters as actor2, so either side will do.
    """
    event = vocabulary_index(frame["event_type"], vocabulary.EVENT_TYPES)
    first = vocabulary_index(frame["inter1"], _ACTOR_LABELS)
    second = vocabulary_index(frame["inter2"], _ACTOR_LABELS)
    known = _known(first)
    wrong = ((event == _PROTESTS) & known & (first != _PROTESTERS) & (second != _PROTESTERS)) | (
        (event == _RIOTS) & known & (first != _RIOTERS) & (second != _RIOTERS)
    )
    return _passes(frame, ~wrong)


@_register(columns=("civilian_targeting", "inter1", "inter2"), level="dataframe", per_category=True)
def civilian_targeting_has_civilians(frame: pd.DataFrame) -> pd.Series:
    """An event flagged for civilian targeting has Civilians (or Protesters) among its actors.

    ACLED flags Excessive force against protesters as civilian targeting: there the
    targets are Protesters, not Civilians.
    """
    flagged = _known(vocabulary_index(frame["civilian_targeting"], _CIVILIAN_TARGETING))
    first = vocabulary_index(frame["inter1"], _ACTOR_LABELS)
    second = vocabulary_index(frame["inter2"], _ACTOR_LABELS)
    checkable = flagged & (_known(first) | _known(second))
    targets = np.isin(first, _TARGET_TYPES) | np.isin(second, _TARGET_TYPES)
    return _passes(frame, ~(checkable & ~targets))


@_register(columns=("event_type", "inter2"), level="dataframe", dyadic_only=True, per_category=True)
def violence_against_civilians_targets_civilians(frame: pd.DataFrame) -> pd.Series:
    """In Violence against civilians, the civilians are actor2 (ACLED's codebook)."""
    event = vocabulary_index(frame["event_type"], vocabulary.EVENT_TYPES)
    second = vocabulary_index(frame["inter2"], _ACTOR_LABELS)
    return _passes(frame, ~((event == _VIOLENCE_AGAINST_CIVILIANS) & (second != _CIVILIANS)))


@_register(columns=("event_date", "timestamp"), level="dataframe")
def event_date_not_after_timestamp(frame: pd.DataFrame) -> pd.Series:
    """The event happened no later than the day it was uploaded (``timestamp``)."""
    dates = frame["event_date"]
    stamps = frame["timestamp"]
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        return pd.Series(True, index=frame.index)
    seconds = stamps.to_numpy(dtype="float64", na_value=np.nan)
    # Compared in nanoseconds as floats: both sides round the same way, so no event
    # moves across the limit, and NaT (the smallest integer) is never late.
    day = dates.to_numpy(dtype="datetime64[ns]").view(np.int64).astype("float64")
    with np.errstate(invalid="ignore"):
        # The upload day in UTC ends at the next midnight; a day of slack covers time zones.
        late = day > (np.floor(seconds / 86_400) + 1) * 86_400 * 1e9
    return _passes(frame, ~late)


def reference_day(today: object = None) -> str:
    """The day future events are judged against, as ``YYYY-MM-DD``: ``today``, else the run's.

    ``today`` is a :class:`datetime.date`, a :class:`datetime.datetime` or ISO text.
    Without it the day is the date of the run in UTC: a report then depends on the
    day it runs (only through this warning), which ``today=`` pins down.

    Raises:
        ValueError: ``today`` is not a date.
    """
    import datetime as dt

    if today is None:
        return dt.datetime.now(dt.timezone.utc).date().isoformat()
    if isinstance(today, dt.datetime):
        return today.date().isoformat()
    if isinstance(today, dt.date):
        return today.isoformat()
    if isinstance(today, str):
        return dt.date.fromisoformat(today.strip()).isoformat()
    raise ValueError(f"today must be a date or YYYY-MM-DD text, not {type(today).__name__}")


@_register(columns=("event_date",), level="dataframe", statistics=("today",))
def event_date_not_in_future(frame: pd.DataFrame, *, today: str | None = None) -> pd.Series:
    """The event happened no later than the day of validation (``today``, else the run's date).

    A day of slack covers the time zones between the event and the validator.
    """
    dates = frame["event_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        return pd.Series(True, index=frame.index)
    limit = np.datetime64(reference_day(today), "D") + np.timedelta64(1, "D")
    days = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    with np.errstate(invalid="ignore"):
        late = (days > limit) & ~np.isnat(days)
    return _passes(frame, ~late)
