"""One test per rule: a row that breaks exactly that rule yields exactly that entry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sahel_events import vocabulary
from sahel_events.schema.checks import CHECKS
from sahel_events.testing import BREAKAGES, break_rows, synthetic_events
from sahel_events.validation import validate


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    frame = synthetic_events(40, seed=7)
    # A deterministic, simple base row: a two-sided battle in Mali.
    frame.loc[:, "civilian_targeting"] = None
    return frame


def test_synthetic_events_are_valid_without_warnings(clean: pd.DataFrame) -> None:
    report = validate(clean)
    assert report.valid
    assert report.entries.empty, report.summary()


def _set(frame: pd.DataFrame, row: int, **values: object) -> pd.DataFrame:
    broken = frame.copy()
    for column, value in values.items():
        dtype = broken[column].dtype
        if (
            isinstance(dtype, pd.CategoricalDtype)
            and value is not None
            and value not in dtype.categories
        ):
            broken[column] = broken[column].cat.add_categories([value])
        broken.loc[row, column] = value
    return broken


# (check, severity, columns named by the entry, changes to row 5)
RULES = [
    ("missing_value", "error", "actor1", {"actor1": None}),
    ("missing_value", "error", "admin1, location", {"admin1": None, "location": None}),
    ("known_event_type", "error", "event_type", {"event_type": "Battle"}),
    ("known_sub_event_type", "error", "sub_event_type", {"sub_event_type": "Clash"}),
    ("known_disorder_type", "error", "disorder_type", {"disorder_type": "Demostrations"}),
    (
        "sub_event_type_matches_event_type",
        "error",
        "event_type, sub_event_type",
        {
            # Not Riots: a riot by State forces would also break protests_by_protesters.
            "event_type": "Battles",
            "sub_event_type": "Arrests",
            "disorder_type": "Strategic developments",
        },
    ),
    (
        "disorder_type_matches_sub_event_type",
        "error",
        "sub_event_type, disorder_type",
        {
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "disorder_type": "Demonstrations",
        },
    ),
    (
        "interaction_matches_actor_types",
        "error",
        "inter1, inter2, interaction",
        {
            "inter1": "State forces",
            "actor2": "Civilians (Mali)",
            "inter2": "Civilians",
            "interaction": "State forces-Rebel group",
        },
    ),
    ("known_actor_type", "error", "inter1", {"inter1": "Army"}),
    ("known_interaction", "error", "interaction", {"interaction": "State Forces-Rebel Groups"}),
    ("inter2_matches_actor2", "error", "actor2, inter2", {"actor2": None, "assoc_actor_2": None}),
    ("is_precision_code", "error", "time_precision", {"time_precision": 4}),
    ("is_precision_code", "error", "geo_precision", {"geo_precision": 0}),
    ("is_non_negative", "error", "fatalities", {"fatalities": -2}),
    ("is_latitude", "error", "latitude", {"latitude": 95.0}),
    ("is_longitude", "error", "longitude", {"longitude": -181.0}),
    ("year_matches_event_date", "error", "year, event_date", {"year": 1999}),
    ("is_event_id", "error", "event_id_cnty", {"event_id_cnty": "MLI0042"}),
    ("iso_matches_country", "error", "iso, country", {"iso": 854}),
    ("region_matches_country", "error", "region, country", {"region": "Northern Africa"}),
    ("known_region", "error", "region", {"region": "West Africa"}),
    ("known_civilian_targeting", "error", "civilian_targeting", {"civilian_targeting": "yes"}),
    (
        "civilian_targeting_spelling",
        "warning",
        "civilian_targeting",
        {
            "event_type": "Violence against civilians",
            "sub_event_type": "Attack",
            "disorder_type": "Political violence",
            "civilian_targeting": "Civilians targeted",
            "actor2": "Civilians (Mali)",
            "inter2": "Civilians",
            "interaction": "State forces-Civilians",
        },
    ),
    (
        "no_civilian_targeting_in_battles",
        "warning",
        "event_type, civilian_targeting",
        {
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "disorder_type": "Political violence",
            "civilian_targeting": "Civilian targeting",
            "actor2": "Civilians (Mali)",
            "inter2": "Civilians",
            "interaction": "State forces-Civilians",
        },
    ),
    ("known_country", "warning", "country", {"country": "Atlantis"}),
    ("is_source_scale", "warning", "source_scale", {"source_scale": "Rumour"}),
]


@pytest.mark.parametrize(
    ("check", "severity", "columns", "changes"), RULES, ids=lambda v: str(v)[:40]
)
def test_each_rule_reports_exactly_its_failure(
    clean: pd.DataFrame, check: str, severity: str, columns: str, changes: dict[str, object]
) -> None:
    base = clean.copy()
    # Give row 5 a known, self-consistent starting point for the cross-field rules.
    base = _set(
        base,
        5,
        event_type="Battles",
        sub_event_type="Armed clash",
        disorder_type="Political violence",
        inter1="State forces",
        actor2="JNIM: Group for Support of Islam and Muslims",
        inter2="Rebel group",
        interaction="State forces-Rebel group",
        civilian_targeting=None,
    )
    assert validate(base).entries.empty
    report = validate(_set(base, 5, **changes))
    entries = report.entries
    assert len(entries) == 1, report.summary()
    entry = entries.iloc[0]
    assert (entry["row"], entry["check"], entry["severity"], entry["column"]) == (
        5,
        check,
        severity,
        columns,
    )
    assert entry["message"]
    assert report.valid is (severity == "warning")


def test_duplicate_event_id_is_an_error_in_dyadic_files_only(clean: pd.DataFrame) -> None:
    duplicated = _set(clean, 9, event_id_cnty=clean.loc[3, "event_id_cnty"])
    report = validate(duplicated)
    assert list(report.errors["check"]) == ["unique_event_id"]
    assert report.errors.loc[0, "row"] == 9
    assert "first on row 3" in report.errors.loc[0, "message"]

    monadic = duplicated.copy()
    monadic.attrs["dyadic"] = False
    assert validate(monadic).valid


def test_event_id_prefix_warns_when_it_is_not_the_countrys(clean: pd.DataFrame) -> None:
    row = clean.index[clean["country"] == "Mali"][0]
    report = validate(_set(clean, row, event_id_cnty="BFO123456"))
    assert list(report.warnings["check"]) == ["event_id_prefix_matches_country"]
    assert report.valid


def test_swapped_coordinates_warn_when_geodata_is_available(clean: pd.DataFrame) -> None:
    pytest.importorskip("sahel_events.geo")
    from sahel_events.geo import distance_outside_country_km  # noqa: F401

    row = clean.index[clean["location"] == "Bamako"]
    row = row[0] if len(row) else clean.index[0]
    lat, lon = clean.loc[row, "latitude"], clean.loc[row, "longitude"]
    swapped = _set(clean, row, latitude=lon, longitude=lat)
    report = validate(swapped)
    assert "coordinates_in_country" in set(report.warnings["check"])
    assert report.valid


def test_a_broken_row_is_one_entry_not_one_per_column() -> None:
    frame = synthetic_events(5_000, seed=3)
    broken = break_rows(frame, 0.05, seed=4)
    report = validate(broken)
    changed = (broken.astype(object).fillna("<na>") != frame.astype(object).fillna("<na>")).any(
        axis=1
    )
    assert report.n_errors == int(changed.sum())
    assert report.errors["row"].is_unique
    assert set(report.errors["check"]) <= set(BREAKAGES)


def test_report_agrees_with_pandera_on_which_rows_fail() -> None:
    """validate() and EventSchema.validate() evaluate the same registered checks."""
    import pandera.errors

    from sahel_events.schema import EventSchema

    broken = break_rows(synthetic_events(2_000, seed=11), 0.05, seed=12)
    ours = validate(broken).errors
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        EventSchema.validate(broken, lazy=True)
    cases = caught.value.failure_cases
    cases = cases[cases["index"].notna()]
    theirs = {
        (int(row), "missing_value" if check == "not_nullable" else check)
        for row, check in zip(cases["index"], cases["check"], strict=True)
    }
    assert {(int(r), c) for r, c in zip(ours["row"], ours["check"], strict=True)} == theirs


def test_input_frame_is_not_modified(clean: pd.DataFrame) -> None:
    frame = clean.astype(object)  # forces conversion inside validate
    snapshot = frame.copy()
    validate(frame)
    pd.testing.assert_frame_equal(frame, snapshot)


def test_user_frame_with_text_numbers_is_converted_and_bad_cells_reported(
    clean: pd.DataFrame,
) -> None:
    frame = clean.astype(object).astype(str).replace("<NA>", None)
    frame.loc[4, "fatalities"] = "several"
    frame.loc[6, "event_date"] = "sometime"
    report = validate(frame)
    got = {
        (row, check)
        for row, check in zip(report.errors["row"], report.errors["check"], strict=True)
    }
    assert got == {(4, "not_an_integer"), (6, "not_a_date")}


def test_every_registered_check_is_in_the_schema() -> None:
    from sahel_events.schema import CodedEventSchema

    schema = CodedEventSchema.to_schema()
    used = {check.name for check in schema.checks}
    for column in schema.columns.values():
        used |= {check.name for check in column.checks}
    assert used == set(CHECKS)


def test_vocabulary_sizes_match_acled() -> None:
    assert len(vocabulary.EVENT_TYPES) == 6
    assert len(vocabulary.SUB_EVENT_TYPES) == 25
    assert len(vocabulary.INTERACTIONS) == 44
    assert len(vocabulary.REGIONS) == 17
    assert len(vocabulary.COLUMNS) == 31
    assert vocabulary.interaction_code("Civilians", "External/Other forces") == 78
    assert vocabulary.interaction_code(3, 1) == 13
    assert vocabulary.country_lookup("BFO").name == "Burkina Faso"
    assert vocabulary.country_lookup("niger").prefix == "NIR"
    assert np.all(
        [
            vocabulary.interaction_code(code // 10, code % 10) == code
            for code in vocabulary.INTERACTIONS
        ]
    )


def test_duplicate_ids_are_exact_across_prefixes_and_long_numbers() -> None:
    from sahel_events.schema.checks import repeated_ids

    ids = pd.Series(
        [
            "MLI1",
            "NIR1",
            "ZZZ99999999999999",
            "AAA99999999999999",
            "MLI1",
            "mli1",
            None,
            None,
            "X1416RTA",
            "X1416RTA",
            "MLI123456789012345678",
            "MLI123456789012345678",
        ],
        dtype="str",
    )
    assert repeated_ids(ids).tolist() == [
        False,
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        False,
        True,
        False,
        True,
    ]


def test_id_keys_decode_back_to_the_ids() -> None:
    from sahel_events.schema.checks import decode_id_keys, id_keys

    ids = pd.Series(["MLI1", "BFO4460", "ZZZ99999999999999", "AAA2"], dtype="str")
    assert decode_id_keys(id_keys(ids)).tolist() == ids.tolist()


def test_duplicates_across_chunks_are_found_with_their_first_row(tmp_path) -> None:
    frame = synthetic_events(30, seed=8)
    frame.loc[25, "event_id_cnty"] = frame.loc[2, "event_id_cnty"]
    frame.loc[28, "event_id_cnty"] = "X1416RTA"
    frame.loc[29, "event_id_cnty"] = "X1416RTA"
    path = tmp_path / "dups.parquet"
    frame.to_parquet(path, index=False)
    report = validate(path, chunk_rows=7)
    duplicates = report.errors[report.errors["check"] == "unique_event_id"]
    assert duplicates["row"].tolist() == [25, 29]
    assert duplicates["value"].tolist() == [frame.loc[2, "event_id_cnty"], "X1416RTA"]
    assert "first on row 2" in duplicates["message"].iloc[0]
    assert "first on row 28" in duplicates["message"].iloc[1]


def test_read_ahead_keeps_order_and_passes_errors_through() -> None:
    import threading

    from sahel_events.exc import UnreadableFileError
    from sahel_events.validation import _read_ahead

    def chunks():
        yield 1
        yield 2
        raise UnreadableFileError("corrupt near record 3", path="x.parquet", row=3)

    seen = []
    with pytest.raises(UnreadableFileError, match="record 3"):
        for chunk in _read_ahead(chunks()):
            seen.append(chunk)
    assert seen == [1, 2]

    # A consumer that stops early leaves no reading thread behind.
    stream = _read_ahead(iter(range(100)))
    assert next(stream) == 0
    stream.close()
    assert not [t for t in threading.enumerate() if t.name == "sahel-events-read-ahead"]
