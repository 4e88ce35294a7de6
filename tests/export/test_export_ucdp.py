"""UCDP GED-style export: the crosswalk, row by row, and what reads back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from sahel_events.export import export
from sahel_events.export.ucdp import (
    ACLED_COLUMNS,
    GED_COLUMNS,
    gleditsch_ward,
    read_ucdp,
    to_ucdp_frame,
)
from sahel_events.testing import synthetic_events


def _event(base: pd.Series, **fields: object) -> dict[str, object]:
    row = base.to_dict()
    row.update(fields)
    return row


@pytest.fixture(scope="module")
def crafted() -> pd.DataFrame:
    template = synthetic_events(1, seed=81)
    base = template.iloc[0]
    rows = [
        # 0: state-based, the state second in ACLED's order -> swapped to side A.
        _event(
            base,
            event_id_cnty="MLI1",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="JNIM: Group for Support of Islam and Muslims",
            inter1="Rebel group",
            actor2="Military Forces of Mali (2021-)",
            inter2="State forces",
            fatalities=7,
            time_precision=1,
            geo_precision=1,
            event_date=pd.Timestamp("2024-05-10"),
            latitude=10.51,
            longitude=2.29,
            source="AFP; Local partner",
        ),
        # 1: non-state.
        _event(
            base,
            event_id_cnty="MLI2",
            event_type="Battles",
            sub_event_type="Armed clash",
            actor1="JNIM: Group for Support of Islam and Muslims",
            inter1="Rebel group",
            actor2="Islamic State (Sahel)",
            inter2="Rebel group",
            fatalities=0,
            time_precision=2,
            geo_precision=2,
            event_date=pd.Timestamp("2024-05-15"),
        ),
        # 2: one-sided, no actor2 named -> side B "Civilians".
        _event(
            base,
            event_id_cnty="BFO3",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1="Islamic State (Sahel)",
            inter1="Rebel group",
            actor2=None,
            inter2=None,
            fatalities=12,
            time_precision=3,
            geo_precision=3,
            event_date=pd.Timestamp("2024-02-15"),
            country="Burkina Faso",
        ),
        # 3: a peaceful protest: outside GED's types.
        _event(
            base,
            event_id_cnty="NIR4",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            actor1="Protesters (Niger)",
            inter1="Protesters",
            actor2=None,
            inter2=None,
            fatalities=0,
            country="Niger",
        ),
        # 4: foreign forces against a state: state-based, both sides are states.
        _event(
            base,
            event_id_cnty="MLI5",
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            actor1="Military Forces of France (2017-)",
            inter1="External/Other forces",
            actor2="Islamic State (Sahel)",
            inter2="Rebel group",
            fatalities=3,
            country="Mali",
        ),
        # 5: excessive force, protesters first: one-sided, police on side A.
        _event(
            base,
            event_id_cnty="NIR6",
            event_type="Protests",
            sub_event_type="Excessive force against protesters",
            actor1="Protesters (Niger)",
            inter1="Protesters",
            actor2="Police Forces of Niger (2023-)",
            inter2="State forces",
            fatalities=2,
            country="Niger",
        ),
    ]
    frame = pd.DataFrame(rows)
    # "category", not the template's categories, which lack most of these values.
    return frame.astype({name: str(dtype) for name, dtype in template.dtypes.items()})


def test_columns_in_ged_order_then_acled(crafted: pd.DataFrame, tmp_path: Path) -> None:
    path = export(crafted, "ucdp", tmp_path / "events.ucdp.csv")
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert header == list(GED_COLUMNS + ACLED_COLUMNS)
    assert len(GED_COLUMNS) == 49


def test_type_of_violence_and_sides(crafted: pd.DataFrame) -> None:
    ged = to_ucdp_frame(crafted)
    assert ged["type_of_violence"].tolist() == [1, 2, 3, pd.NA, 1, 3]
    assert ged.loc[0, "side_a"] == "Military Forces of Mali (2021-)"
    assert ged.loc[0, "side_b"] == "JNIM: Group for Support of Islam and Muslims"
    assert ged.loc[0, "gwnoa"] == 432 and pd.isna(ged.loc[0, "gwnob"])
    assert ged.loc[2, "side_b"] == "Civilians"
    assert ged.loc[4, "gwnoa"] == 220
    assert pd.isna(ged.loc[3, "side_b"])
    assert ged.loc[5, "side_a"] == "Police Forces of Niger (2023-)"
    assert ged.loc[5, "side_b"] == "Protesters (Niger)"
    assert ged.loc[5, "gwnoa"] == 436


def test_precision_dates_and_fatalities(crafted: pd.DataFrame) -> None:
    ged = to_ucdp_frame(crafted)
    assert ged["where_prec"].tolist()[:3] == [1, 2, 4]
    assert ged["date_prec"].tolist()[:3] == [1, 3, 4]
    assert ged.loc[0, "date_start"] == ged.loc[0, "date_end"] == "2024-05-10 00:00:00.000"
    assert (ged.loc[1, "date_start"], ged.loc[1, "date_end"]) == (
        "2024-05-12 00:00:00.000",
        "2024-05-18 00:00:00.000",
    )
    assert (ged.loc[2, "date_start"], ged.loc[2, "date_end"]) == (
        "2024-02-01 00:00:00.000",
        "2024-02-29 00:00:00.000",
    )
    assert ged["best"].tolist() == crafted["fatalities"].tolist()
    assert ged["low"].tolist() == crafted["fatalities"].tolist()
    assert ged["deaths_unknown"].tolist() == crafted["fatalities"].tolist()
    assert ged["high"].isna().all() and ged["deaths_civilians"].isna().all()
    assert ged.loc[0, "number_of_sources"] == 2


def test_place_codes(crafted: pd.DataFrame) -> None:
    ged = to_ucdp_frame(crafted)
    # PRIO-GRID cell of (10.51 N, 2.29 E): row 202, column 365 of 720 -> gid 145085.
    assert ged.loc[0, "priogrid_gid"] == 145085
    assert ged.loc[0, "geom_wkt"] == "POINT (2.29 10.51)"
    assert ged["country_id"].tolist() == [432, 432, 439, 436, 432, 436]
    assert ged.loc[0, "region"] == "Africa"
    assert ged["id"].isna().all() and ged["conflict_new_id"].isna().all()
    assert ged["relid"].tolist() == crafted["event_id_cnty"].tolist()


def test_gleditsch_ward_table_covers_the_vocabulary() -> None:
    from sahel_events import vocabulary

    table = gleditsch_ward()
    territories = {
        "Mayotte",
        "Reunion",
        "Saint Helena, Ascension and Tristan da Cunha",
        "British Indian Ocean Territory",
        "French Southern Territories",
    }
    # The table covers ACLED's African regions (the vocabulary now lists every country
    # ACLED covers; Gleditsch-Ward codes elsewhere are left blank by the crosswalk).
    african = {c.name for c in vocabulary.countries() if c.region.endswith("Africa")}
    missing = african - set(table) - territories
    assert not missing, missing
    assert set(table) <= {c.name for c in vocabulary.countries()}
    assert table["Mali"] == (432, "Africa") and table["Niger"] == (436, "Africa")
    assert table["Burkina Faso"][0] == 439 and table["Russia"][0] == 365
    assert len({code for code, _ in table.values()}) == len(table)


def test_ucdp_scope_keeps_lethal_organised_violence(crafted: pd.DataFrame, tmp_path: Path) -> None:
    path = export(crafted, "ucdp", tmp_path / "scope.csv", ucdp_scope=True)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [row["relid"] for row in rows] == ["MLI1", "BFO3", "MLI5", "NIR6"]


def test_reads_back_what_it_can(tmp_path: Path) -> None:
    events = synthetic_events(60, seed=82)
    path = export(events, "ucdp", tmp_path / "events.ucdp.csv")
    back = read_ucdp(path)
    assert back["event_id_cnty"].tolist() == events["event_id_cnty"].tolist()
    assert back["fatalities"].tolist() == events["fatalities"].tolist()
    assert back["latitude"].tolist() == events["latitude"].tolist()
    assert back["time_precision"].tolist() == events["time_precision"].tolist()
    assert back["geo_precision"].tolist() == events["geo_precision"].tolist()
    assert back["notes"].tolist() == events["notes"].tolist()
    exact_or_week = (events["time_precision"] <= 2).to_numpy()
    assert (
        back["event_date"][exact_or_week].tolist() == events["event_date"][exact_or_week].tolist()
    )
    month = ~exact_or_week
    assert (
        back["event_date"][month].dt.to_period("M").tolist()
        == events["event_date"][month].dt.to_period("M").tolist()
    )
