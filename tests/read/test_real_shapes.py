"""Files shaped like the ones users really send, generated with rows written here.

Each test reproduces a shape seen in a real public file (docs/validate.md, "Real
files") without any of its rows: R's write.csv and readr, lubridate's ISO
dates, Excel's re-saves, semicolon exports, 2016 legacy files, HXL-tagged
files, UCDP GED, HDX HAPI aggregates, workbooks with a licence sheet.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sahel_events.exc import UnreadableFileError
from sahel_events.read import read_events
from sahel_events.validation import validate
from tests.hostile.corpus import HEADER, NAMES, _csv, _csv_line, _row


def _checks(report: object, severity: str | None = None) -> set[str]:
    entries = report.entries  # type: ignore[attr-defined]
    if severity is not None:
        entries = entries[entries["severity"] == severity]
    return set(entries["check"])


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- column sets ------------------------------------------------------------------------


def test_a_subset_of_acleds_columns_is_invalid_by_every_route(tmp_path: Path) -> None:
    # A contributed file with 8 of the 31 columns (seen in a public Burkina Faso study).
    names = [
        "event_date",
        "year",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "notes",
        "fatalities",
    ]
    rows = [["12-September-22", "2022", "Fada", "12.06", "0.35", "1", "A clash.", "0"]]
    path = _write(tmp_path / "subset.csv", "\n".join([",".join(names), *map(_csv_line, rows)]))
    by_path = validate(path, strict=True)
    by_frame = validate(pd.read_csv(path))
    assert not by_path.valid and not by_frame.valid
    missing = by_path.errors[by_path.errors["check"] == "missing_column"]["column"]
    assert {"event_id_cnty", "event_type", "actor1", "country"} <= set(missing)
    assert len(missing) == 15  # one entry per required column, not per row
    assert list(by_frame.errors[by_frame.errors["check"] == "missing_column"]["column"]) == list(
        missing
    )


def test_renamed_columns_are_mapped_and_reported(tmp_path: Path) -> None:
    header = HEADER.replace("latitude,longitude", "lat,lng").replace("event_date", "Event Date")
    path = _write(tmp_path / "renamed.csv", header + "\n" + _csv_line(_row(1)) + "\n")
    report = validate(path)
    assert report.valid, report.summary()
    renamed = report.notes[report.notes["check"] == "column_renamed"]
    assert "'lat' read as latitude" in renamed["message"].iloc[0]
    assert "'Event Date' read as event_date" in renamed["message"].iloc[0]


def test_one_field_json_record_is_not_valid(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", json.dumps([{"event_id_cnty": "MLI1"}]))
    report = validate(path)
    assert not report.valid
    assert "missing_column" in _checks(report, "error")


# --- R, readr, lubridate, pandas ------------------------------------------------------------


def test_r_write_csv_with_row_names_and_na(tmp_path: Path) -> None:
    # write.csv(df): every text quoted, a blank-named first column of row numbers, NA blanks,
    # and lubridate's ISO datetimes for dates.
    rows = []
    for number in range(1, 4):
        cells = _row(number)
        cells[1] = f"2024-03-0{number}T00:00:00Z"
        cells = ["NA" if cell == "" else cell for cell in cells]
        rows.append([str(number), *cells])
    lines = [",".join(f'"{name}"' for name in ["", *NAMES])]
    lines += [",".join(cell if cell == "NA" else f'"{cell}"' for cell in row) for row in rows]
    path = _write(tmp_path / "r.csv", "\n".join(lines) + "\n")
    report = validate(path, strict=True)
    assert report.valid, report.summary()
    events = read_events(path)
    assert events["event_date"].tolist() == list(
        pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-03"])
    )
    assert events["assoc_actor_1"].isna().all()
    notes = report.notes
    assert "column_dropped" in set(notes["check"])
    markers = notes[notes["check"] == "missing_marker"]
    assert "assoc_actor_1" in set(markers["column"]) and "'NA'" in markers["message"].iloc[0]


def test_na_values_can_be_changed(tmp_path: Path) -> None:
    cells = _row(1)
    cells[10] = "NA"  # actor2 spelled NA: with no markers it is an actor named NA
    path = _write(tmp_path / "na.csv", _csv([cells]))
    assert read_events(path)["actor2"].isna().all()
    assert read_events(path, na_values=[])["actor2"].tolist() == ["NA"]


def test_readr_index_column_and_pandas_unnamed(tmp_path: Path) -> None:
    for first in ("...1", "Unnamed: 0"):
        text = f"{first}," + HEADER + "\n" + "0," + _csv_line(_row(1)) + "\n"
        events = read_events(_write(tmp_path / "x.csv", text))
        assert first.lower() not in events.columns and "unnamed_1" not in events.columns


# --- Excel and semicolon exports -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("16-Feb-21", "2021-02-16"),
        ("16/02/21", "2021-02-16"),
        ("1/1/16", "2016-01-01"),
        ("16.02.2021", "2021-02-16"),
        ("2021/02/16", "2021-02-16"),
        ("16 février 2021", "2021-02-16"),
        ("February 16, 2021", "2021-02-16"),
        ("16-Feb-2021", "2021-02-16"),
        ("2021-02-16T00:00:00.000", "2021-02-16"),
        ("2021-02-16T23:30:00+01:00", "2021-02-16"),
        ("44243", "2021-02-16"),
    ],
)
def test_date_forms(tmp_path: Path, written: str, expected: str) -> None:
    cells = _row(1)
    cells[1], cells[2] = written, expected[:4]
    other = _row(2)
    other[1] = "25/12/2021" if "/" in written and not written.startswith("20") else other[1]
    path = _write(tmp_path / "dates.csv", _csv([cells, other]))
    events = read_events(path)
    assert events["event_date"].iloc[0] == pd.Timestamp(expected), events.attrs["reader_issues"]


def test_semicolon_export_with_quoted_long_dates_and_decimal_commas(tmp_path: Path) -> None:
    cells = _row(1)
    cells[1] = "16 February 2024"
    cells[22], cells[23] = "16,2666", "-0,04"
    line = ";".join(f'"{cell}"' for cell in cells)
    path = _write(tmp_path / "semicolon.csv", HEADER.replace(",", ";") + "\n" + line + "\n")
    events = read_events(path)
    assert events.loc[2, "latitude"] == pytest.approx(16.2666)
    assert validate(path).valid
    # The same cells through a DataFrame: the one conversion path agrees.
    assert validate(pd.read_csv(path, sep=";", dtype=str)).valid


# --- day and month order -------------------------------------------------------------------


def _dated(tmp_path: Path, dates: list[str], name: str = "dates.csv") -> Path:
    rows = []
    for number, text in enumerate(dates, start=1):
        cells = _row(number)
        cells[1] = text
        cells[2] = "20" + text[-2:] if len(text.split("/")[-1]) == 2 else text[-4:]
        rows.append(cells)
    return _write(tmp_path / name, _csv(rows))


def test_month_first_file_is_read_month_first_when_the_values_show_it(tmp_path: Path) -> None:
    dates = ["3/12/2024", "3/13/2024", "12/1/2024", "1/2/2024"]
    report_path = _dated(tmp_path, dates)
    events = read_events(report_path)
    assert events["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-12",
        "2024-03-13",
        "2024-12-01",
        "2024-01-02",
    ]
    notes = validate(report_path).notes
    assert "monthfirst" in notes[notes["check"] == "date_order"]["message"].iloc[0]


def test_a_date_is_never_silently_read_as_another(tmp_path: Path) -> None:
    # Month-first, but every day is 12 or less: the values cannot tell.
    path = _dated(tmp_path, ["3/12/2024", "1/2/2024", "12/1/2024"])
    report = validate(path)
    assert not report.valid
    assert "date_order_ambiguous" in _checks(report, "error")
    assert read_events(path)["event_date"].isna().all()
    decided = read_events(path, date_order="monthfirst")["event_date"]
    assert decided.dt.strftime("%m/%d").tolist() == ["03/12", "01/02", "12/01"]


def test_day_first_file_is_read_day_first(tmp_path: Path) -> None:
    path = _dated(tmp_path, ["13/03/2024", "01/02/2024"])
    assert read_events(path)["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-13",
        "2024-02-01",
    ]


# --- legacy files -------------------------------------------------------------------------------


LEGACY_HEADER = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"
)


def test_2016_legacy_file_with_cp1252_and_blank_header_cells(tmp_path: Path) -> None:
    rows = [
        "432,12MLI,12,05/04/2012,2012,1,Riots/Protests,Rioters (Mali),,5,Police Forces of Mali"
        " (2002-2012),,1,15,Mali,Bamako,Bamako,,Bamako,12.65,-8.0,1,L'Essor,Émeute à Bamako,0,,",
        "432,13MLI,13,21/04/2012,2012,1,Riots/Protests,Protesters (Mali),,6,,,0,60,Mali,Ségou,"
        "Ségou,,Ségou,13.43,-6.26,1,L'Essor,Marche pacifique,0,,",
        "432,14MLI,14,22/04/2009,2009,1,Violence against civilians,Unidentified Armed Group"
        " (Mali),,3,Civilians (Mali),,7,37,Mali,Gao,Gao,,Gao,16.27,-0.04,1,L'Essor,,1,,",
    ]
    path = _write(
        tmp_path / "legacy.csv", LEGACY_HEADER + ",,\n" + "\n".join(rows) + "\n", "cp1252"
    )
    report = validate(path)
    errors = report.errors
    assert errors.empty, report.summary()
    assert {"legacy_event_ids", "column_dropped", "date_order"} <= _checks(report, "note")
    assert "encoding_fallback" in _checks(report, "warning")
    # An old event without notes is a warning, not an error.
    assert "old_event_without_notes" in _checks(report, "warning")
    events = read_events(path)
    assert events["event_type"].tolist()[:2] == ["Riots", "Protests"]
    assert events.loc[4, "event_date"] == pd.Timestamp("2009-04-22")
    assert events.loc[2, "admin1"] == "Bamako" and events.loc[3, "admin1"] == "Ségou"


def test_former_country_names_are_known(tmp_path: Path) -> None:
    cells = _row(1)
    cells[0], cells[15], cells[16], cells[17] = "SWA1", "748", "Southern Africa", "Swaziland"
    cells[18:22] = ["Hhohho", "", "", "Mbabane"]
    cells[22], cells[23] = "-26.32", "31.13"
    myanmar = _row(2)
    myanmar[0], myanmar[15], myanmar[16], myanmar[17] = "MMR2", "104", "Southeast Asia", "Myanmar"
    myanmar[18:22] = ["Yangon", "", "", "Yangon"]
    myanmar[22], myanmar[23] = "16.80", "96.15"
    report = validate(_write(tmp_path / "countries.csv", _csv([cells, myanmar])), strict=True)
    assert report.valid, report.summary()


def test_western_sahara_coded_under_morocco_is_not_outside(tmp_path: Path) -> None:
    cells = _row(1)
    cells[0], cells[15], cells[16], cells[17] = "MOR1", "504", "Northern Africa", "Morocco"
    cells[18:22] = ["Laayoune-Sakia El Hamra", "", "", "Laayoune"]
    cells[22], cells[23] = "27.15", "-13.20"
    report = validate(_write(tmp_path / "ma.csv", _csv([cells])))
    assert "coordinates_in_country" not in _checks(report)


def test_stray_spaces_are_warned_and_stripped_on_request(tmp_path: Path) -> None:
    cells = _row(1, actor1=" Military Forces of Mali  (2021-) ")
    path = _write(tmp_path / "spaces.csv", _csv([cells]))
    report = validate(path)
    untrimmed = report.warnings[report.warnings["check"] == "untrimmed_text"]
    assert "cleaned: 'Military Forces of Mali (2021-)'" in untrimmed["message"].iloc[0]
    assert read_events(path, strip=True)["actor1"].iloc[0] == "Military Forces of Mali (2021-)"


def test_reversed_interaction_label_is_a_warning_with_acleds_label(tmp_path: Path) -> None:
    cells = _row(1)
    cells[13] = "Rebel group-State forces"
    report = validate(_write(tmp_path / "order.csv", _csv([cells])))
    assert report.valid
    found = report.warnings[report.warnings["check"] == "interaction_label_order"]
    assert "ACLED writes State forces-Rebel group" in found["message"].iloc[0]


# --- HXL, GeoJSON, UCDP, aggregates --------------------------------------------------------------


def test_hxl_tag_row_is_recognised_and_dropped(tmp_path: Path) -> None:
    from sahel_events.export.hxl import HXL_TAGS

    tags = ",".join(HXL_TAGS[name] for name in NAMES)
    path = _write(tmp_path / "hxl.csv", HEADER + "\n" + tags + "\n" + _csv_line(_row(1)) + "\n")
    report = validate(path, strict=True)
    assert report.valid, report.summary()
    assert report.n_rows == 1
    assert "hxl_tags" in _checks(report, "note")


def test_the_projects_own_hxl_and_geojson_exports_validate_like_their_source(
    tmp_path: Path,
) -> None:
    import sahel_events
    from sahel_events.export import export

    events = sahel_events.load()
    source = validate(events)
    for to, name in (("hxl", "events.csv"), ("geojson", "events.geojson")):
        path = export(events, to, tmp_path / name)
        again = validate(path)
        assert again.valid == source.valid and again.n_rows == source.n_rows, again.summary()
        assert again.n_errors == source.n_errors and again.n_warnings == source.n_warnings


def test_geojson_feature_collection_of_events(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"event_date": "15-Jul-22", "location": "Markoye", "fatalities": 0},
            "geometry": {"type": "Point", "coordinates": [0.0342, 14.6387]},
        }
    ]
    path = _write(
        tmp_path / "events.json", json.dumps({"type": "FeatureCollection", "features": features})
    )
    events = read_events(path)
    assert events.attrs["file_format"] == "geojson"
    assert events.loc[1, "latitude"] == pytest.approx(14.6387)
    assert events.loc[1, "event_date"] == pd.Timestamp("2022-07-15")


UCDP_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,"
    "deaths_unknown,best,high,low,gwnoa,gwnob"
)


def test_ucdp_ged_is_named_and_read_through_the_crosswalk(tmp_path: Path) -> None:
    row = (
        "1,MLI-2024-1-1-1,2024,1,Clear,1,1,1,Mali: Government,1,1,Government of Mali - JNIM,1,1,"
        "Government of Mali,2,2,JNIM,1,a report,,,,,1,Gao town,Gao,Gao region,Gao,16.27,-0.04,"
        "POINT (-0.04 16.27),1,Mali,432,Africa,1,1,2024-03-01 00:00:00.000,"
        "2024-03-01 00:00:00.000,1,2,0,0,3,3,3,432,"
    )
    path = _write(tmp_path / "ged.csv", UCDP_HEADER + "\n" + row + "\n")
    with pytest.raises(UnreadableFileError, match="UCDP GED") as caught:
        validate(path)
    assert caught.value.exit_code == 2
    events = read_events(path, source="ucdp")
    assert events["event_date"].iloc[0] == pd.Timestamp("2024-03-01")
    assert events["fatalities"].iloc[0] == 3


def test_hapi_aggregates_are_refused_as_counts(tmp_path: Path) -> None:
    text = (
        "location_code,has_hrp,in_gho,admin1_name,event_type,events,fatalities,"
        "reference_period_start,reference_period_end\n"
        "MLI,True,True,Gao,political_violence,12,30,2024-01-01,2024-01-31\n"
    )
    with pytest.raises(UnreadableFileError, match="aggregate counts"):
        validate(_write(tmp_path / "hapi.csv", text))


# --- workbooks and wrong extensions ------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_workbook_whose_first_sheet_is_a_licence(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "export.xlsx",
        {
            "Terms of use": [["These data are licensed under terms you must read."]],
            "Data": [["ACLED export of 2024-03-15"], [], NAMES, _row(1)],
        },
    )
    with pytest.raises(UnreadableFileError, match="other sheets are 'Data'"):
        read_events(path)
    events = read_events(path, sheet="Data")  # the title row above the header is skipped
    assert events["event_id_cnty"].tolist() == ["MLI1"]
    assert validate(path, sheet="Data").valid


def test_parquet_and_xlsx_with_a_csv_extension_are_sniffed(tmp_path: Path) -> None:
    import sahel_events

    events = sahel_events.load()
    parquet = tmp_path / "events.csv"
    events.to_parquet(parquet)
    assert read_events(parquet).attrs["file_format"] == "parquet"
    workbook = _workbook(tmp_path / "book.csv", {"Data": [NAMES, _row(1)]})
    assert read_events(workbook).attrs["file_format"] == "xlsx"
