"""aggregate: periods without off-by-one, HDX's splits, zeros, and the HXL round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahel_events import aggregate, read_events
from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.export import export, read_export
from sahel_events.export.hxl import read_hxl
from sahel_events.testing import synthetic_events
from sahel_events.transform import AGGREGATE_MEASURES, hdx_layout
from sahel_events.transform._aggregate import read_aggregate

# (event_type, sub_event_type, civilian_targeting, fatalities)
KINDS = [
    ("Battles", "Armed clash", None, 3),
    ("Violence against civilians", "Attack", "Civilian targeting", 5),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", None, 7),
    ("Explosions/Remote violence", "Air/drone strike", "Civilian targeting", 11),
    ("Riots", "Mob violence", None, 13),
    ("Riots", "Violent demonstration", None, 17),
    ("Protests", "Peaceful protest", None, 0),
    ("Strategic developments", "Looting/property destruction", None, 19),
]


def events_of(dates: list[str], admin1: list[str | None] | None = None) -> pd.DataFrame:
    frame = synthetic_events(len(dates), seed=1).copy()
    frame["event_date"] = pd.to_datetime(dates).astype("datetime64[ns]")
    frame["year"] = frame["event_date"].dt.year.astype("Int64")
    frame["country"] = pd.Series(["Mali"] * len(dates), index=frame.index).astype("category")
    if admin1 is not None:
        frame["admin1"] = pd.Series(admin1, index=frame.index, dtype="str")
    return frame


def kinds_frame() -> pd.DataFrame:
    frame = events_of(["2024-03-10"] * len(KINDS), ["Gao"] * len(KINDS))
    for column, values in zip(
        ("event_type", "sub_event_type", "civilian_targeting", "fatalities"),
        zip(*KINDS, strict=True),
        strict=True,
    ):
        dtype = "category" if column != "fatalities" else "Int64"
        frame[column] = pd.Series(list(values), index=frame.index).astype(dtype)
    return frame


def test_month_boundaries_are_not_off_by_one() -> None:
    events = events_of(
        ["2023-12-31", "2024-01-01", "2024-01-31", "2024-02-01", "2024-02-29", "2024-03-01"],
        ["Gao"] * 6,
    )
    table = aggregate(events, by="admin1", freq="month")
    assert table["period"].astype(str).tolist() == ["2023-12", "2024-01", "2024-02", "2024-03"]
    assert table["events"].tolist() == [1, 2, 2, 1]
    layout, _ = hdx_layout(table)
    assert layout["Month"].tolist() == ["December", "January", "February", "March"]
    assert layout["Year"].tolist() == [2023, 2024, 2024, 2024]


def test_weeks_run_saturday_to_friday() -> None:
    # 2024-02-02 is a Friday, 2024-02-03 a Saturday.
    events = events_of(["2024-02-02", "2024-02-03", "2024-02-09", "2024-02-10"], ["Gao"] * 4)
    table = aggregate(events, by=(), freq="week")
    assert table["events"].tolist() == [1, 2, 1]
    starts = pd.PeriodIndex(table["period"]).start_time.strftime("%Y-%m-%d").tolist()
    assert starts == ["2024-01-27", "2024-02-03", "2024-02-10"]
    assert pd.Timestamp(starts[1]).day_name() == "Saturday"
    layout, tags = hdx_layout(table)
    assert layout["End Date"].tolist()[1] == "2024-02-09"
    assert tags == ["#date+start", "#date+end", "#event+num", "#affected+killed"]


def test_hdx_splits() -> None:
    table = aggregate(kinds_frame(), by="admin1", measures=list(AGGREGATE_MEASURES))
    row = table.iloc[0]
    assert row["events"] == len(KINDS)
    assert row["fatalities"] == sum(kind[3] for kind in KINDS)
    # Battles, VAC, ERV and the Mob violence riots.
    assert row["political_violence_events"] == 5
    assert row["political_violence_fatalities"] == 3 + 5 + 7 + 11 + 13
    # VAC and ERV coded "Civilian targeting".
    assert row["civilian_targeting_events"] == 2
    assert row["civilian_targeting_fatalities"] == 5 + 11
    # Protests and the riots other than Mob violence.
    assert row["demonstration_events"] == 2


def test_event_types_filter_before_counting() -> None:
    table = aggregate(kinds_frame(), by="admin1", event_types=["Riots"])
    assert table["events"].tolist() == [2]
    assert table["fatalities"].tolist() == [13 + 17]
    with pytest.raises(UsageError, match="unknown event type"):
        aggregate(kinds_frame(), event_types=["Battle"])


def test_fill_zeros_gives_every_unit_every_period() -> None:
    events = events_of(
        ["2024-01-05", "2024-04-20", "2024-02-11"],
        ["Gao", "Gao", "Mopti"],
    )
    table = aggregate(events, by="admin1", fill_zeros=True)
    assert len(table) == 2 * 4
    gao = table[table["admin1"] == "Gao"]
    assert gao["period"].astype(str).tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert gao["events"].tolist() == [1, 0, 0, 1]
    assert table["events"].sum() == 3
    # A unit with no event of the chosen type still gets its zeros.
    battles = aggregate(
        events.assign(event_type=pd.Categorical(["Battles", "Riots", "Riots"])),
        by="admin1",
        event_types="Battles",
        fill_zeros=True,
    )
    assert battles.loc[battles["admin1"] == "Mopti", "events"].tolist() == [0, 0, 0, 0]
    # start/end widen (or narrow) the span.
    wide = aggregate(events, by="admin1", fill_zeros=True, start="2023-11", end="2024-05")
    assert wide["period"].nunique() == 7
    narrow = aggregate(events, by="admin1", start="2024-02-01", end="2024-03-31")
    assert narrow["events"].sum() == 1


def test_missing_units_stay_a_group_and_undated_events_are_counted() -> None:
    events = events_of(["2024-01-05", "2024-01-06", "2024-01-07"], ["Gao", None, None])
    events.loc[events.index[2], "event_date"] = pd.NaT
    table = aggregate(events, by="admin1")
    assert [None if pd.isna(value) else value for value in table["admin1"]] == ["Gao", None]
    assert table["events"].tolist() == [1, 1]
    assert table.attrs["undated_events"] == 1


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000), n=st.integers(min_value=1, max_value=400))
def test_agrees_with_a_plain_pandas_groupby(seed: int, n: int) -> None:
    events = synthetic_events(n, seed=seed)
    table = aggregate(events, by=("country", "admin1"), freq="quarter")
    expected = (
        events.assign(period=events["event_date"].dt.to_period("Q"))
        .groupby(["country", "admin1", "period"], observed=True)
        .agg(events=("event_id_cnty", "size"), fatalities=("fatalities", "sum"))
        .reset_index()
    )
    assert table["events"].tolist() == expected["events"].tolist()
    assert table["fatalities"].tolist() == expected["fatalities"].astype("int64").tolist()
    assert table["admin1"].tolist() == expected["admin1"].tolist()
    assert table["period"].astype(str).tolist() == expected["period"].astype(str).tolist()


def test_refuses_what_it_cannot_count(tmp_path: Path) -> None:
    events = synthetic_events(5)
    with pytest.raises(UsageError, match="unknown measure"):
        aggregate(events, measures=["deaths"])
    with pytest.raises(UsageError, match="unknown freq"):
        aggregate(events, freq="fortnight")
    with pytest.raises(UsageError, match="needs the column"):
        aggregate(events.drop(columns=["admin1"]))
    old = events.copy()
    old.attrs["missing_columns"] = ["civilian_targeting", "tags"]
    with pytest.raises(UsageError, match="predates ACLED's civilian_targeting"):
        aggregate(old, measures=["civilian_targeting_events"])


def test_export_then_aggregate_then_hxl_reads_back(tmp_path: Path) -> None:
    events = synthetic_events(500, seed=8)
    export(events, "csv", tmp_path / "events.csv")
    read = read_events(tmp_path / "events.csv")
    table = aggregate(read, by=("country", "admin1"), measures=list(AGGREGATE_MEASURES))
    pd.testing.assert_frame_equal(
        table, aggregate(events, by=("country", "admin1"), measures=list(AGGREGATE_MEASURES))
    )
    target = tmp_path / "monthly.hxl.csv"
    export(table, "hxl", target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('"Country","Admin1","Month","Year","Events","Fatalities"')
    assert lines[1].startswith(
        '"#country+name","#adm1+name","#date+month","#date+year","#event+num","#affected+killed"'
    )
    back = read_hxl(target)
    assert back.attrs["file_format"] == "hxl"
    back.attrs = {}
    expected = table.copy()
    expected.attrs = {}
    pd.testing.assert_frame_equal(back, expected, check_categorical=False)
    again = read_export(target, "hxl")
    assert again["events"].sum() == 500
    # The same bytes twice: reproducible.
    export(table, "hxl", tmp_path / "twice.hxl.csv")
    assert (tmp_path / "twice.hxl.csv").read_bytes() == target.read_bytes()


def test_reads_an_hdx_workbook(tmp_path: Path) -> None:
    import openpyxl

    # Written for this test in the layout of ACLED's HRP files on HDX (sheet "Data";
    # Country, Admin1, Admin2, ISO3, Admin2 Pcode, Admin1 Pcode, Month, Year, Events,
    # Fatalities; Month an English name, Year and counts numbers). The counts are invented.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Data"
    header = ["Country", "Admin1", "Admin2", "ISO3", "Admin2 Pcode", "Admin1 Pcode"]
    sheet.append([*header, "Month", "Year", "Events", "Fatalities"])
    sheet.append(["Mali", "Mopti", "Douentza", "MLI", "ML0503", "ML05", "January", 2024, 4, 9])
    sheet.append(["Mali", "Mopti", "Douentza", "MLI", "ML0503", "ML05", "February", 2024, 0, 0])
    workbook.save(tmp_path / "hdx.xlsx")
    table = read_aggregate(tmp_path / "hdx.xlsx")
    assert list(table.columns) == [
        "country",
        "admin1",
        "admin2",
        "iso3",
        "admin2_pcode",
        "admin1_pcode",
        "period",
        "events",
        "fatalities",
    ]
    assert table["period"].astype(str).tolist() == ["2024-01", "2024-02"]
    assert table["events"].tolist() == [4, 0]
    # and to HXL from there, HDX's tags on HDX's columns
    export(table, "hxl", tmp_path / "hdx.hxl.csv")
    tags = (tmp_path / "hdx.hxl.csv").read_text(encoding="utf-8").splitlines()[1]
    assert tags.startswith('"#country+name","#adm1+name","#adm2+name","#country+code","#adm2+code"')
    (tmp_path / "bad.csv").write_text("Country,Events\nMali,3\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="HDX's layout"):
        read_aggregate(tmp_path / "bad.csv")


def test_iso3_is_derived_from_country() -> None:
    table = aggregate(synthetic_events(50, seed=2), by=("iso3",), freq="year")
    assert set(table["iso3"]) <= {"MLI", "BFA", "NER"}
    assert np.issubdtype(table["events"].dtype, np.integer)
