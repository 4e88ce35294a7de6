"""Shapes of real public files tried in this session, written here with rows of our own.

docs/validate.md's table names each file: a current ACLED export rewritten by R
(``NA`` for blanks, ``28 December 2022`` dates, numeric actor types, an event at
sea without admin1, protests with the police as actor1), subsets of a few columns
with today's event types and no sub_event_type, and HDX HAPI's conflict-event
aggregates (BOM, HXL tag row, ``warning`` and ``error`` columns, one sheet per
group of countries).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sahel_events.exc import UnreadableFileError
from sahel_events.read import read_events
from sahel_events.validation import validate
from tests.hostile.corpus import NAMES, _csv_line

#: One current-format event, as the R-rewritten export writes it (numeric actor types
#: and interaction codes, NA for every blank, day Month year dates).
_BASE = {
    "event_id_cnty": "BEN1",
    "event_date": "28 December 2022",
    "year": "2022",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Benin (2016-)",
    "assoc_actor_1": "NA",
    "inter1": "1",
    "actor2": "Unidentified Armed Group (Benin)",
    "assoc_actor_2": "NA",
    "inter2": "3",
    "interaction": "13",
    "civilian_targeting": "NA",
    "iso": "204",
    "region": "Western Africa",
    "country": "Benin",
    "admin1": "Alibori",
    "admin2": "Karimama",
    "admin3": "NA",
    "location": "Karimama",
    "latitude": "12.07",
    "longitude": "3.18",
    "geo_precision": "1",
    "source": "A local paper",
    "source_scale": "National",
    "notes": "Soldiers and gunmen exchanged fire near Karimama.",
    "fatalities": "0",
    "tags": "NA",
    "timestamp": "1675102875",
}


def _event(number: int, **changes: str) -> list[str]:
    cells = {**_BASE, "event_id_cnty": f"BEN{number}", **changes}
    return [cells[name] for name in NAMES]


def _r_export(path: Path, rows: list[list[str]]) -> Path:
    path.write_text(",".join(NAMES) + "\n" + "\n".join(map(_csv_line, rows)) + "\n")
    return path


def _checks(report: object, severity: str) -> list[str]:
    entries = report.entries  # type: ignore[attr-defined]
    return sorted(entries[entries["severity"] == severity]["check"])


def test_r_rewritten_current_export_with_an_event_at_sea_is_valid(tmp_path: Path) -> None:
    rows = [
        _event(1),
        # Piracy off the coast: ACLED leaves admin1 and admin2 blank.
        _event(
            2,
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1="Pirates (Benin)",
            inter1="3",
            actor2="Civilians (South Korea)",
            inter2="7",
            interaction="37",
            civilian_targeting="Civilian targeting",
            admin1="NA",
            admin2="NA",
            location="Coast of Benin",
        ),
        # The police first, the protesters second, as ACLED's export writes these.
        _event(
            3,
            disorder_type="Demonstrations",
            event_type="Protests",
            sub_event_type="Protest with intervention",
            actor1="Police Forces of Benin (2016-)",
            inter1="1",
            actor2="Protesters (Benin)",
            inter2="6",
            interaction="16",
        ),
        # Excessive force against protesters is flagged as civilian targeting.
        _event(
            4,
            disorder_type="Political violence; Demonstrations",
            event_type="Protests",
            sub_event_type="Excessive force against protesters",
            actor1="Protesters (Benin)",
            inter1="6",
            actor2="Police Forces of Benin (2016-)",
            inter2="1",
            interaction="16",
            civilian_targeting="Civilian targeting",
        ),
    ]
    path = _r_export(tmp_path / "benin.csv", rows)
    report = validate(path, today="2023-03-01")
    assert report.valid, report.summary()
    assert report.source_format == "acled-v3-numeric"
    assert _checks(report, "warning") == ["admin1_blank_at_sea"]
    assert report.warnings["row"].tolist() == [3]
    dates = read_events(path)["event_date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2022-12-28"] * 4


def test_a_blank_admin1_on_land_is_still_a_missing_value(tmp_path: Path) -> None:
    path = _r_export(tmp_path / "land.csv", [_event(1, admin1="NA")])
    report = validate(path, today="2023-03-01")
    assert _checks(report, "error") == ["missing_value"]
    assert report.errors["column"].tolist() == ["admin1"]


def test_protests_with_no_protesters_on_either_side_still_warn(tmp_path: Path) -> None:
    row = _event(
        1,
        disorder_type="Demonstrations",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Police Forces of Benin (2016-)",
        inter1="1",
        actor2="NA",
        inter2="0",
        interaction="10",
    )
    report = validate(_r_export(tmp_path / "p.csv", [row]), today="2023-03-01")
    assert _checks(report, "warning") == ["protests_by_protesters"]


def test_a_subset_with_todays_event_types_but_no_sub_event_type_is_missing_it(
    tmp_path: Path,
) -> None:
    # Five columns of a current export (a public Armenia subset): not a legacy file.
    lines = ["event_date,latitude,longitude,fatalities,event_type"]
    lines += [f"2019-0{month}-02,40.18,44.51,0,Protests" for month in range(1, 10)]
    path = tmp_path / "subset.csv"
    path.write_text("\n".join(lines) + "\n")
    report = validate(path, today="2024-01-01")
    missing = report.errors[report.errors["check"] == "missing_column"]["column"].tolist()
    assert {"sub_event_type", "disorder_type"} <= set(missing)
    assert "legacy_event_type_ambiguous" not in set(report.entries["check"])
    assert report.errors["row"].isna().all()  # one entry per column, none per row
    # A subset with pre-2019 event types is still mapped as a legacy file.
    legacy = tmp_path / "legacy_subset.csv"
    legacy.write_text("event_date,event_type\n2016-01-02,Battle-No change of territory\n")
    assert read_events(legacy)["sub_event_type"].tolist() == ["Armed clash"]


_HAPI_HEADER = (
    "location_code,has_hrp,in_gho,provider_admin1_name,provider_admin2_name,admin1_code,"
    "admin1_name,admin2_code,admin2_name,admin_level,event_type,events,fatalities,"
    "reference_period_start,reference_period_end,dataset_hdx_id,resource_hdx_id,warning,error"
)
_HAPI_TAGS = (
    "#country+code,#meta+has_hrp,#meta+in_gho,#adm1+name+provider,#adm2+name+provider,"
    "#adm1+code,#adm1+name,#adm2+code,#adm2+name,#adm+level,#event+type,#event+num,"
    "#affected+killed,#date+start,#date+end,#meta+dataset_id,#meta+resource_id,"
    "#meta+warning,#meta+error"
)
_HAPI_ROW = "MLI,True,True,,,,,,,0,political_violence,12,3,2024-07-01,2024-07-31,d,r,,"


def test_hapi_conflict_event_csv_with_bom_and_tags_is_refused_as_counts(tmp_path: Path) -> None:
    path = tmp_path / "hdx_hapi_conflict_event_global_2024.csv"
    path.write_bytes(("\ufeff" + "\n".join([_HAPI_HEADER, _HAPI_TAGS, _HAPI_ROW]) + "\n").encode())
    with pytest.raises(UnreadableFileError, match="aggregate counts") as caught:
        validate(path)
    assert caught.value.exit_code == 2


def test_hapi_workbook_sheets_are_refused_as_counts(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name in ("Non_HRP", "HRP_1"):
        sheet = book.create_sheet(name)
        sheet.append(_HAPI_HEADER.split(","))
        sheet.append(_HAPI_TAGS.split(","))
        sheet.append(_HAPI_ROW.split(","))
    path = tmp_path / "hapi.xlsx"
    book.save(path)
    for sheet_name in (None, "HRP_1"):
        with pytest.raises(UnreadableFileError, match="aggregate counts"):
            validate(path, sheet=sheet_name)
