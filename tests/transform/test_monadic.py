"""to_monadic / to_dyadic: round trips, no actor lost, ACLED's monadic exports paired."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sahel_events
from sahel_events import read_events, to_dyadic, to_monadic
from sahel_events.exc import UsageError
from sahel_events.testing import synthetic_events
from sahel_events.transform import MONADIC_COLUMNS


def cells(values: pd.Series) -> list[object]:
    """Values as a list, None for missing whatever the dtype."""
    return [None if pd.isna(value) else value for value in values]


ASSOCIATES = ("Civilians (Mali)", "Dozo; Women (Mali)", "Fulani Ethnic Group (Mali)", None)


def events_with_associates(n: int, seed: int) -> pd.DataFrame:
    frame = synthetic_events(n, seed=seed)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(ASSOCIATES), n)
    two_sided = frame["actor2"].notna().to_numpy()
    values = np.array(ASSOCIATES, dtype=object)[picks]
    frame["assoc_actor_2"] = pd.Series(np.where(two_sided, values, None), index=frame.index).astype(
        frame["assoc_actor_2"].dtype
    )
    return frame


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=0, max_value=60),
    seed=st.integers(min_value=0, max_value=10_000),
    associates=st.booleans(),
)
def test_round_trip_is_exact(n: int, seed: int, associates: bool) -> None:
    events = events_with_associates(n, seed)
    monadic = to_monadic(events, include_associates=associates)
    back = to_dyadic(monadic)
    pd.testing.assert_frame_equal(back, events)
    assert back.attrs["unpaired_events"].empty


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_round_trip_without_attrs_keeps_values(seed: int) -> None:
    # attrs are lost by many operations (a parquet round trip, a user's copy):
    # the values and canonical dtypes still come back.
    events = synthetic_events(40, seed=seed)
    monadic = to_monadic(events)
    monadic.attrs = {}
    back = to_dyadic(monadic)
    for name in ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2"):
        assert cells(back[name]) == cells(events[name])
    assert back.index.tolist() == events.index.tolist()


def test_no_actor_is_lost() -> None:
    events = events_with_associates(300, seed=4)
    monadic = to_monadic(events, include_associates=True)
    expected = {(row.event_id_cnty, row.actor1) for row in events.itertuples()}
    expected |= {
        (row.event_id_cnty, row.actor2) for row in events.itertuples() if not pd.isna(row.actor2)
    }
    for column in ("assoc_actor_1", "assoc_actor_2"):
        for event, associates in zip(events["event_id_cnty"], events[column], strict=True):
            if not pd.isna(associates):
                expected |= {(event, name.strip()) for name in associates.split(";")}
    found = set(zip(monadic["event_id_cnty"], monadic["actor"], strict=True))
    assert found == expected
    main = monadic[monadic["actor_role"].isin(["actor1", "actor2"])]
    assert len(main) == len(events) + int(events["actor2"].notna().sum())
    assert list(monadic.columns[7:14]) == list(MONADIC_COLUMNS)


def test_an_events_rows_follow_each_other_and_keep_its_label() -> None:
    events = synthetic_events(50, seed=2)
    monadic = to_monadic(events)
    two_sided = events.index[events["actor2"].notna()][0]
    rows = monadic.loc[[two_sided]]
    assert rows["actor_role"].tolist() == ["actor1", "actor2"]
    assert rows["actor"].tolist() == [
        events.at[two_sided, "actor1"],
        events.at[two_sided, "actor2"],
    ]
    assert rows["other_actor"].tolist() == rows["actor"].tolist()[::-1]


def test_either_row_alone_rebuilds_the_event() -> None:
    events = synthetic_events(200, seed=5)
    monadic = to_monadic(events)
    only_second = monadic[monadic["actor_role"] == "actor2"]
    back = to_dyadic(only_second)
    expected = events[events["actor2"].notna()]
    pd.testing.assert_frame_equal(back, expected)


def test_disagreeing_rows_are_reported() -> None:
    events = synthetic_events(20, seed=6)
    monadic = to_monadic(events).copy()
    target = monadic.index[monadic["actor_role"] == "actor2"][0]
    rows = monadic.index == target
    second = rows & (monadic["actor_role"] == "actor2").to_numpy()
    monadic.loc[second, "actor"] = "Somebody Else"
    back = to_dyadic(monadic)
    unpaired = back.attrs["unpaired_events"]
    assert unpaired["event_id_cnty"].tolist() == [events.at[target, "event_id_cnty"]]
    assert "disagree" in unpaired["reason"].iloc[0]
    with pytest.raises(UsageError, match="could not be paired"):
        to_dyadic(monadic, unpaired="raise")


def test_accessor_and_top_level_names() -> None:
    events = synthetic_events(10, seed=1)
    assert set(sahel_events.__all__) >= {"to_monadic", "to_dyadic", "aggregate", "update", "diff"}
    pd.testing.assert_frame_equal(events.events.to_monadic().events.to_dyadic(), events)


def test_refuses_a_frame_without_actors() -> None:
    with pytest.raises(UsageError, match="actor columns"):
        to_monadic(pd.DataFrame({"event_id_cnty": ["MLI1"]}))
    with pytest.raises(UsageError, match="monadic frame"):
        to_dyadic(pd.DataFrame({"x": [1]}))


# --- ACLED's monadic exports --------------------------------------------------------

# The 28 columns of ACLED's 2019-2023 monadic export (docs/variants.md, acled-v2-monadic).
V2M_HEADER = [
    *("data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year"),
    *("time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1"),
    *("interaction", "region", "country", "admin1", "admin2", "admin3", "location"),
    *("latitude", "longitude", "geo_precision", "source", "source_scale", "notes"),
    *("fatalities", "timestamp", "iso3"),
]


def monadic_row(event: str, actor: str, inter: int, interaction: int, **changes: str) -> list[str]:
    # Written for this test: invented events in the layout of a real public export
    # (MINUSMA/2017-01-01-2020-12-31-Mali.csv in ValenGe/UZH_Seminar_UN_PKO), whose
    # dates read "31 December 2020", inter codes are numbers and pairs share data_id.
    values = {
        "data_id": "9000" + event[3:],
        "iso": "466",
        "event_id_cnty": event,
        "event_id_no_cnty": event[3:],
        "event_date": "31 December 2020",
        "year": "2020",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": actor,
        "assoc_actor_1": "",
        "inter1": str(inter),
        "interaction": str(interaction),
        "region": "Western Africa",
        "country": "Mali",
        "admin1": "Mopti",
        "admin2": "Douentza",
        "admin3": "Hombori",
        "location": "Tara",
        "latitude": "15.25",
        "longitude": "-1.55",
        "geo_precision": "2",
        "source": "Invented Source",
        "source_scale": "National",
        "notes": "Invented event for a test.",
        "fatalities": "0",
        "timestamp": "1624927676",
        "iso3": "MLI",
    }
    values.update(changes)
    return [values[name] for name in V2M_HEADER]


def write_monadic(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(V2M_HEADER)
        writer.writerows(rows)
    return path


def test_acled_monadic_export_pairs_into_events(tmp_path: Path) -> None:
    rows = [
        monadic_row("MLI1", "Military Forces of France (2017-)", 8, 38),
        monadic_row("MLI1", "Unidentified Armed Group (Mali)", 3, 38),
        monadic_row(
            "MLI2",
            "Protesters (Mali)",
            6,
            60,
            event_type="Protests",
            sub_event_type="Peaceful protest",
        ),
        monadic_row("MLI3", "Katiba Macina", 2, 27, assoc_actor_1="JNIM"),
        monadic_row("MLI3", "Civilians (Mali)", 7, 27, assoc_actor_1="Teachers (Mali)"),
    ]
    events = read_events(write_monadic(tmp_path / "monadic.csv", rows))
    assert events.attrs["dyadic"] is False
    paired = to_dyadic(events)
    assert paired.attrs["unpaired_events"].empty
    assert paired.attrs["dyadic"] is True
    assert "actor2" not in paired.attrs["missing_columns"]
    assert paired["event_id_cnty"].tolist() == ["MLI1", "MLI2", "MLI3"]
    assert paired["actor1"].tolist() == [
        "Military Forces of France (2017-)",
        "Protesters (Mali)",
        "Katiba Macina",
    ]
    assert cells(paired["actor2"]) == [
        "Unidentified Armed Group (Mali)",
        None,
        "Civilians (Mali)",
    ]
    assert cells(paired["inter2"]) == ["Political militia", None, "Civilians"]
    assert cells(paired["assoc_actor_2"])[2] == "Teachers (Mali)"
    # And back: the same actors, one row each.
    again = to_monadic(paired)
    assert sorted(zip(again["event_id_cnty"], again["actor"], strict=True)) == sorted(
        zip(events["event_id_cnty"], events["actor1"], strict=True)
    )


def test_acled_monadic_rows_that_cannot_pair_are_kept_and_listed(tmp_path: Path) -> None:
    rows = [
        # The interaction names two sides but the second row is missing.
        monadic_row("MLI1", "Katiba Macina", 2, 12),
        # Three rows for one event.
        monadic_row("MLI2", "Katiba Macina", 2, 12),
        monadic_row("MLI2", "Military Forces of Mali (2020-2021)", 1, 12),
        monadic_row("MLI2", "Military Forces of Mali (2020-2021)", 1, 12),
        # Two rows that tell different events.
        monadic_row("MLI3", "Katiba Macina", 2, 12),
        monadic_row("MLI3", "Military Forces of Mali (2020-2021)", 1, 12, fatalities="4"),
        # Two rows whose types do not make the interaction.
        monadic_row("MLI4", "Katiba Macina", 2, 12),
        monadic_row("MLI4", "Civilians (Mali)", 7, 12),
        # A good pair.
        monadic_row("MLI5", "Katiba Macina", 2, 12),
        monadic_row("MLI5", "Military Forces of Mali (2020-2021)", 1, 12),
    ]
    events = read_events(write_monadic(tmp_path / "monadic.csv", rows))
    paired = to_dyadic(events)
    unpaired = paired.attrs["unpaired_events"].set_index("event_id_cnty")
    assert sorted(unpaired.index) == ["MLI1", "MLI2", "MLI3", "MLI4"]
    assert "one row" in unpaired.at["MLI1", "reason"]
    assert unpaired.at["MLI2", "rows"] == "3;4;5"
    assert "disagree" in unpaired.at["MLI3", "reason"]
    assert "interaction" in unpaired.at["MLI4", "reason"]
    assert paired.attrs["dyadic"] is False
    # Nothing lost: every unpaired row is still there, the pair is one row.
    assert len(paired) == len(events) - 1
    dropped = to_dyadic(events, unpaired="drop")
    assert dropped["event_id_cnty"].tolist() == ["MLI5"]
