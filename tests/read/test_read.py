"""Tests of sahel_events.read: every ACLED variant, file format, date format and bad input.

The rows are synthetic (ACLED's terms forbid redistributing its data); they are
plausible events written in the layout of each variant.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sahel_events.exc import SahelEventsError, UnreadableFileError, UsageError
from sahel_events.read import FINDINGS, ISSUE_COLUMNS, VARIANTS, iter_events, read_events
from sahel_events.vocabulary import COLUMN_NAMES, pandas_dtypes

# --- synthetic events -----------------------------------------------------------

#: Three events in today's terms, with their legacy codes alongside.
EVENTS = [
    {
        "event_id_cnty": "MLI2665",
        "event_date": "2019-02-22",
        "year": "2019",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "legacy_event_type": "Battle-No change of territory",
        "actor1": "Military Forces of Mali (2013-2020)",
        "assoc_actor_1": "",
        "inter1": "State forces",
        "inter1_code": "1",
        "actor2": "JNIM: Group for Support of Islam and Muslims",
        "assoc_actor_2": "",
        "inter2": "Rebel group",
        "inter2_code": "2",
        "interaction": "State forces-Rebel group",
        "interaction_code": "12",
        "civilian_targeting": "",
        "iso": "466",
        "region": "Western Africa",
        "country": "Mali",
        "admin1": "Mopti",
        "admin2": "Djenne",
        "admin3": "Djenne",
        "location": "Djenne",
        "latitude": "13.9061",
        "longitude": "-4.5533",
        "geo_precision": "1",
        "source": "Le Journal du Mali",
        "source_scale": "National",
        "notes": "On 22 February 2019, soldiers clashed with JNIM militants near Djenne.",
        "fatalities": "3",
        "tags": "",
        "timestamp": "1552585143",
        "gwno": "432",
    },
    {
        "event_id_cnty": "BFO4460",
        "event_date": "2019-03-04",
        "year": "2019",
        "time_precision": "2",
        "disorder_type": "Political violence",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "legacy_event_type": "Violence against civilians",
        "actor1": "Unidentified Armed Group (Burkina Faso)",
        "assoc_actor_1": "",
        "inter1": "Political militia",
        "inter1_code": "3",
        "actor2": "Civilians (Burkina Faso)",
        "assoc_actor_2": "",
        "inter2": "Civilians",
        "inter2_code": "7",
        "interaction": "Political militia-Civilians",
        "interaction_code": "37",
        "civilian_targeting": "Civilian targeting",
        "iso": "854",
        "region": "Western Africa",
        "country": "Burkina Faso",
        "admin1": "Sahel",
        "admin2": "Soum",
        "admin3": "Arbinda",
        "location": "Arbinda",
        "latitude": "14.2306",
        "longitude": "-0.8683",
        "geo_precision": "2",
        "source": "AIB",
        "source_scale": "National",
        "notes": "Around 4 March 2019, gunmen killed two civilians near Arbinda.",
        "fatalities": "2",
        "tags": "",
        "timestamp": "1552585200",
        "gwno": "439",
    },
    {
        "event_id_cnty": "NIR681",
        "event_date": "2019-03-10",
        "year": "2019",
        "time_precision": "1",
        "disorder_type": "Demonstrations",
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "legacy_event_type": "Riots/Protests",
        "actor1": "Protesters (Niger)",
        "assoc_actor_1": "Students (Niger)",
        "inter1": "Protesters",
        "inter1_code": "6",
        "actor2": "",
        "assoc_actor_2": "",
        "inter2": "",
        "inter2_code": "0",
        "interaction": "Protesters only",
        "interaction_code": "60",
        "civilian_targeting": "",
        "iso": "562",
        "region": "Western Africa",
        "country": "Niger",
        "admin1": "Niamey",
        "admin2": "Niamey",
        "admin3": "Niamey I",
        "location": "Niamey",
        "latitude": "13.5137",
        "longitude": "2.1098",
        "geo_precision": "1",
        "source": "ActuNiger",
        "source_scale": "Subnational-National",
        "notes": "On 10 March 2019, students protested in Niamey. [size=no report]",
        "fatalities": "0",
        "tags": "crowd size=no report",
        "timestamp": "1552585300",
        "gwno": "436",
    },
]

V0_COLUMNS = [
    "GWNO",
    "EVENT_ID_CNTY",
    "EVENT_ID_NO_CNTY",
    "EVENT_DATE",
    "YEAR",
    "TIME_PRECISION",
    "EVENT_TYPE",
    "ACTOR1",
    "ALLY_ACTOR_1",
    "INTER1",
    "ACTOR2",
    "ALLY_ACTOR_2",
    "INTER2",
    "INTERACTION",
    "COUNTRY",
    "ADMIN1",
    "ADMIN2",
    "ADMIN3",
    "LOCATION",
    "LATITUDE",
    "LONGITUDE",
    "GEO_PRECISION",
    "SOURCE",
    "NOTES",
    "FATALITIES",
]
V1_COLUMNS = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]
V2_COLUMNS = [*V1_COLUMNS[:8], "sub_event_type", *V1_COLUMNS[8:]]
V2M_COLUMNS = [name for name in V2_COLUMNS if name not in ("actor2", "assoc_actor_2", "inter2")]
POPULATION = ["population_1km", "population_2km", "population_5km", "population_best"]
ISO3 = {"Mali": "MLI", "Burkina Faso": "BFA", "Niger": "NER"}


def variant_rows(variant: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows (as text) of the three events in the layout of ``variant``."""
    rows: list[list[str]] = []
    if variant == "acled-v0-legacy":
        header = V0_COLUMNS
    elif variant == "acled-v1-pre2019":
        header = V1_COLUMNS
    elif variant == "acled-v2-dyadic":
        header = V2_COLUMNS
    elif variant == "acled-v2-monadic":
        header = V2M_COLUMNS
    elif variant == "acled-v3-population":
        header = [*COLUMN_NAMES, *POPULATION]
    elif variant == "acled-uppercase":
        header = [name.upper() for name in COLUMN_NAMES]
    else:
        header = list(COLUMN_NAMES)
    numeric = variant not in ("acled-v3-text", "acled-v3-population", "acled-uppercase")
    for number, event in enumerate(EVENTS, start=1):
        values = dict(event)
        values["event_id_no_cnty"] = f"{event['event_id_cnty'][3:]}.0"
        values["data_id"] = str(6000000 + number)
        values["iso3"] = ISO3[event["country"]]
        for position, name in enumerate(POPULATION):
            values[name] = str(1000 * (position + 1) + number)
        if numeric:
            for name in ("inter1", "inter2", "interaction"):
                values[name] = event[f"{name}_code"]
        if variant in ("acled-v0-legacy", "acled-v1-pre2019"):
            values["event_type"] = event["legacy_event_type"]
        if variant == "acled-v0-legacy":
            values["event_id_cnty"] = f"{1415 + number}RTA"
            values["event_date"] = pd.Timestamp(event["event_date"]).strftime("%d/%m/%Y")
        if variant == "acled-v1-pre2019":
            values["event_date"] = pd.Timestamp(event["event_date"]).strftime("%d %B %Y")
        rows.append([values[name.lower().replace("ally_", "assoc_")] for name in header])
    return header, rows


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    line_end: str = "\n",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path, header: list[str], rows: list[list[object]], *, first_row: int = 1
) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Events"
    for _ in range(first_row - 1):
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_parquet(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    table = pa.table({name: [row[i] or None for row in rows] for i, name in enumerate(header)})
    pq.write_table(table, path)
    return path


def write_jsonl(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    lines = [json.dumps(dict(zip(header, row, strict=True))) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def checked_read(path: Path, **options: object) -> pd.DataFrame:
    """read_events, asserting the input file is byte-identical afterwards."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    events = read_events(path, **options)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert_contract(events)
    return events


def assert_contract(events: pd.DataFrame) -> None:
    """Columns, dtypes, index and attrs that every result must have."""
    assert list(events.columns[:31]) == list(COLUMN_NAMES)
    dtypes = pandas_dtypes()
    for name in COLUMN_NAMES:
        assert str(events[name].dtype) == dtypes[name], name
    assert events.index.name == "source_row"
    assert events.index.dtype == np.int64
    for key in (
        "source_path",
        "source_format",
        "source_format_description",
        "file_format",
        "missing_columns",
        "derived_columns",
        "dyadic",
        "reader_issues",
    ):
        assert key in events.attrs, key
    assert events.attrs["source_format"] in VARIANTS
    issues = events.attrs["reader_issues"]
    assert list(issues.columns) == list(ISSUE_COLUMNS)
    assert str(issues["row"].dtype) == "Int64"
    missing = events.attrs["missing_columns"]
    assert events[missing].isna().all().all()
    if len(events):
        dates = events["event_date"].dropna()
        assert (dates == dates.dt.normalize()).all()


def issues_of(events: pd.DataFrame, check: str | None = None) -> pd.DataFrame:
    issues = events.attrs["reader_issues"]
    return issues if check is None else issues[issues["check"] == check]


# --- variants ------------------------------------------------------------------


def test_v0_legacy_csv(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v0-legacy")
    events = checked_read(write_csv(tmp_path / "legacy.csv", header, rows))
    assert events.attrs["source_format"] == "acled-v0-legacy"
    assert events.attrs["dyadic"] is True
    # Legacy suffix-form ids are kept for the validator to report.
    assert events["event_id_cnty"].tolist() == ["1416RTA", "1417RTA", "1418RTA"]
    assert events["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-02-22",
        "2019-03-04",
        "2019-03-10",
    ]
    assert events["assoc_actor_1"].tolist()[2] == "Students (Niger)"
    assert events["inter1"].tolist() == ["State forces", "Political militia", "Protesters"]
    assert events["inter2"].isna().tolist() == [False, False, True]
    assert events["interaction"].tolist()[0] == "State forces-Rebel group"
    assert events["iso"].tolist() == [466, 854, 562]
    assert events["region"].tolist() == ["Western Africa"] * 3
    assert events["event_type"].tolist()[0] == "Battles"
    assert events["sub_event_type"].tolist()[0] == "Armed clash"
    assert events["disorder_type"].tolist()[:2] == ["Political violence"] * 2
    assert set(events.attrs["missing_columns"]) == {
        "civilian_targeting",
        "source_scale",
        "tags",
        "timestamp",
    }
    assert {"iso", "region", "disorder_type", "event_type", "sub_event_type"} <= set(
        events.attrs["derived_columns"]
    )
    assert list(events.columns[31:]) == ["gwno", "event_id_no_cnty"]
    assert events["gwno"].dtype == "Int64"
    assert events["event_id_no_cnty"].tolist() == [2665, 4460, 681]


def test_v1_pre2019_csv(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v1-pre2019")
    events = checked_read(write_csv(tmp_path / "export_2018.csv", header, rows))
    assert events.attrs["source_format"] == "acled-v1-pre2019"
    assert events.attrs["missing_columns"] == ["civilian_targeting", "tags"]
    assert events.attrs["derived_columns"] == [
        "disorder_type",
        "event_type",
        "sub_event_type",
        "inter1",
        "inter2",
        "interaction",
    ]
    # "1035.0"-style floats are integers.
    assert events["event_id_no_cnty"].dtype == "Int64"
    assert events["event_id_no_cnty"].tolist() == [2665, 4460, 681]
    assert list(events.columns[31:]) == ["data_id", "event_id_no_cnty", "iso3"]
    assert events["interaction"].tolist() == [
        "State forces-Rebel group",
        "Political militia-Civilians",
        "Protesters only",
    ]
    assert events.loc[2, "sub_event_type"] == "Armed clash"
    # Violence against civilians: event type known, sub-event type not.
    assert events.loc[3, "event_type"] == "Violence against civilians"
    assert pd.isna(events.loc[3, "sub_event_type"])
    assert events.loc[3, "disorder_type"] == "Political violence"
    # Riots/Protests by Protesters alone is a protest (ACLED's rule); the sub-event and
    # disorder types stay undetermined.
    assert events.loc[4, "event_type"] == "Protests"
    assert events.loc[4, ["sub_event_type", "disorder_type"]].isna().all()
    ambiguous = issues_of(events, "legacy_event_type_ambiguous")
    assert set(zip(ambiguous["row"], ambiguous["column"], strict=True)) == {
        (3, "sub_event_type"),
        (4, "sub_event_type"),
        (4, "disorder_type"),
    }
    assert (ambiguous["severity"] == "warning").all()
    assert ambiguous["value"].tolist()[-1] == "Riots/Protests"
    derived = issues_of(events, "legacy_event_type_derived")
    assert derived["row"].tolist() == [4] and derived["value"].tolist() == ["Protests"]
    assert len(issues_of(events)) == len(ambiguous) + len(derived)


def test_v1_pre2019_xlsx_with_date_cells(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v1-pre2019")
    cells: list[list[object]] = []
    for row in rows:
        cell_row: list[object] = list(row)
        date_at = header.index("event_date")
        cell_row[date_at] = pd.Timestamp(row[date_at]).to_pydatetime()
        cell_row[header.index("fatalities")] = int(row[header.index("fatalities")])
        cell_row[header.index("latitude")] = float(row[header.index("latitude")])
        cell_row[header.index("event_id_no_cnty")] = float(row[header.index("event_id_no_cnty")])
        cells.append(cell_row)
    events = checked_read(write_xlsx(tmp_path / "export.xlsx", header, cells, first_row=3))
    assert events.attrs["source_format"] == "acled-v1-pre2019"
    assert events.attrs["file_format"] == "xlsx"
    assert events.index.tolist() == [4, 5, 6]  # header on worksheet row 3
    assert events["event_date"].dt.strftime("%Y-%m-%d").tolist()[0] == "2019-02-22"
    assert events["latitude"].tolist()[0] == pytest.approx(13.9061)
    assert events["event_id_no_cnty"].tolist() == [2665, 4460, 681]


@pytest.mark.parametrize("writer", [write_csv, write_parquet])
def test_v2_dyadic(tmp_path: Path, writer: object) -> None:
    header, rows = variant_rows("acled-v2-dyadic")
    suffix = ".csv" if writer is write_csv else ".parquet"
    events = checked_read(writer(tmp_path / f"v2{suffix}", header, rows))  # type: ignore[operator]
    assert events.attrs["source_format"] == "acled-v2-dyadic"
    assert events.attrs["missing_columns"] == ["civilian_targeting", "tags"]
    assert "disorder_type" in events.attrs["derived_columns"]
    assert events["disorder_type"].tolist() == [
        "Political violence",
        "Political violence",
        "Demonstrations",
    ]
    assert events["sub_event_type"].tolist() == ["Armed clash", "Attack", "Peaceful protest"]
    assert events["inter2"].tolist()[:2] == ["Rebel group", "Civilians"]
    expected_rows = [2, 3, 4] if writer is write_csv else [1, 2, 3]
    assert events.index.tolist() == expected_rows
    assert issues_of(events).empty


def test_v2_monadic(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v2-monadic")
    # A monadic file lists the event once per actor: the id repeats.
    second_actor = list(rows[0])
    second_actor[header.index("actor1")] = "JNIM: Group for Support of Islam and Muslims"
    second_actor[header.index("inter1")] = "2"
    rows.insert(1, second_actor)
    events = checked_read(write_csv(tmp_path / "monadic.csv", header, rows))
    assert events.attrs["source_format"] == "acled-v2-monadic"
    assert events.attrs["dyadic"] is False
    assert events["event_id_cnty"].tolist()[:2] == ["MLI2665", "MLI2665"]
    assert {"actor2", "assoc_actor_2", "inter2"} <= set(events.attrs["missing_columns"])
    assert events["inter1"].tolist()[:2] == ["State forces", "Rebel group"]
    # Each row keeps the event's dyadic interaction.
    assert events["interaction"].tolist()[:2] == ["State forces-Rebel group"] * 2


def test_v3_numeric_jsonl_with_string_numbers(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-numeric")
    events = checked_read(write_jsonl(tmp_path / "api.jsonl", header, rows))
    assert events.attrs["source_format"] == "acled-v3-numeric"
    assert events.attrs["file_format"] == "jsonl"
    assert events.attrs["derived_columns"] == ["inter1", "inter2", "interaction"]
    assert events.attrs["missing_columns"] == []
    assert events["inter1"].tolist() == ["State forces", "Political militia", "Protesters"]
    assert events["timestamp"].tolist()[0] == 1552585143
    assert events.index.tolist() == [1, 2, 3]


def test_v3_numeric_api_json_with_real_numbers(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-numeric")
    records = []
    for row in rows:
        record: dict[str, object] = dict(zip(header, row, strict=True))
        for name in ("year", "iso", "fatalities", "timestamp", "inter1", "interaction"):
            record[name] = int(str(record[name]))
        record["latitude"] = float(str(record["latitude"]))
        records.append(record)
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"status": 200, "success": True, "data": records}))
    events = checked_read(path)
    assert events.attrs["file_format"] == "json"
    assert events.attrs["source_format"] == "acled-v3-numeric"
    assert events["interaction"].tolist()[1] == "Political militia-Civilians"
    assert events["latitude"].tolist()[0] == pytest.approx(13.9061)


def test_v3_text_csv(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    events = checked_read(write_csv(tmp_path / "current.csv", header, rows))
    assert events.attrs["source_format"] == "acled-v3-text"
    assert events.attrs["derived_columns"] == []
    assert events.attrs["missing_columns"] == []
    assert events["civilian_targeting"].tolist()[1] == "Civilian targeting"
    assert events["tags"].tolist()[2] == "crowd size=no report"
    assert events["interaction"].dtype == "category"
    assert events["fatalities"].sum() == 5
    assert events.shape == (3, 31)


def test_v3_population_parquet(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-population")
    events = checked_read(write_parquet(tmp_path / "pop.parquet", header, rows))
    assert events.attrs["source_format"] == "acled-v3-population"
    assert list(events.columns[31:]) == POPULATION
    assert events["population_best"].dtype == "Int64"
    assert events["population_best"].tolist() == [4001, 4002, 4003]


def test_uppercase_xlsx(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-uppercase")
    events = checked_read(write_xlsx(tmp_path / "Africa_1997-2022.xlsx", header, rows))
    assert events.attrs["source_format"] == "acled-uppercase"
    assert events["country"].tolist() == ["Mali", "Burkina Faso", "Niger"]
    assert events.index.tolist() == [2, 3, 4]


def test_unknown_variant_reads_recognised_columns(tmp_path: Path) -> None:
    path = tmp_path / "partial.csv"
    path.write_text("Event_Date,Country,Fatalities,Comment\n2020-01-05,Mali,4,checked\n")
    events = checked_read(path)
    assert events.attrs["source_format"] == "unknown"
    assert events.attrs["dyadic"] is False
    assert events["fatalities"].tolist() == [4]
    assert events["iso"].tolist() == [466]
    assert events["year"].tolist() == [2020]
    # Absent from an unknown variant: the validator reports it as missing_column.
    assert "event_id_cnty" in events.attrs["absent_columns"]
    assert list(events.columns[31:]) == ["comment"]


def test_typed_parquet_written_by_pandas(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    frame = pd.DataFrame(rows, columns=header)
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.tz_localize("Africa/Bamako")
    for name in ("year", "fatalities", "iso", "timestamp"):
        frame[name] = frame[name].astype("int64")
    frame["latitude"] = frame["latitude"].astype("float32")
    frame["event_type"] = frame["event_type"].astype("category")
    frame["civilian_targeting"] = frame["civilian_targeting"].astype("category")  # holds ""
    frame["inter1"] = pd.Categorical([1, 3, 6])  # numeric codes as a dictionary column
    frame.index = pd.Index([10, 20, 30], name="my_index")
    path = tmp_path / "typed.parquet"
    frame.to_parquet(path)
    events = checked_read(path)
    assert "my_index" not in events.columns
    assert events.index.tolist() == [1, 2, 3]
    assert events["event_date"].dt.strftime("%Y-%m-%d").tolist()[0] == "2019-02-22"
    assert events["latitude"].tolist()[0] == pytest.approx(13.9061, abs=1e-4)
    assert events["event_type"].tolist()[1] == "Violence against civilians"
    assert events["civilian_targeting"].isna().tolist() == [True, False, True]
    assert events["inter1"].tolist() == ["State forces", "Political militia", "Protesters"]


# --- dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021-02-16",
        "16 February 2021",
        "16-Feb-21",
        "16-February-21",
        "16-February-2021",
        "16/02/2021",
        "16-02-2021",
        "16 Feb 2021",
        "2021-02-16 00:00:00",
        "2021-02-16T00:00:00",
    ],
)
def test_event_date_formats(tmp_path: Path, text: str) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(f"event_id_cnty,event_date\nMLI1,{text}\nMLI2,\nMLI3,  \n")
    events = checked_read(path)
    assert events["event_date"].tolist()[0] == pd.Timestamp("2021-02-16")
    assert events["event_date"].isna().tolist() == [False, True, True]
    # Only notes (a day-first order proven by 16/02): nothing wrong.
    assert set(issues_of(events)["severity"]) <= {"note"}


def test_mixed_date_formats_and_bad_dates(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "event_id_cnty,event_date\nMLI1,25-Aug-03\nMLI2,31 December 1997\nMLI3,yesterday\n"
        "MLI4,2021-02-30\n"
    )
    events = checked_read(path)
    assert events["event_date"].tolist()[:2] == [
        pd.Timestamp("2003-08-25"),
        pd.Timestamp("1997-12-31"),
    ]
    bad = issues_of(events, "not_a_date")
    assert bad["row"].tolist() == [4, 5]
    assert bad["value"].tolist() == ["yesterday", "2021-02-30"]
    assert (bad["column"] == "event_date").all()
    assert bad["message"].iloc[0] == FINDINGS["not_a_date"].message


# --- delimiters, encodings -----------------------------------------------------


def test_semicolon_delimiter_with_decimal_commas(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    for row in rows:
        for name in ("latitude", "longitude"):
            row[header.index(name)] = row[header.index(name)].replace(".", ",")
    events = checked_read(write_csv(tmp_path / "excel_fr.csv", header, rows, delimiter=";"))
    assert events.attrs["delimiter"] == ";"
    assert events["latitude"].tolist()[0] == pytest.approx(13.9061)
    assert events["longitude"].tolist()[0] == pytest.approx(-4.5533)
    assert issues_of(events).empty


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    rows[0][header.index("admin1")] = "Ségou"
    path = write_csv(tmp_path / "bom.csv", header, rows, encoding="utf-8-sig", line_end="\r\n")
    events = checked_read(path)
    assert events.columns[0] == "event_id_cnty"
    assert events.attrs["encoding"] == "utf-8"
    assert events["admin1"].tolist()[0] == "Ségou"
    assert events.index.tolist() == [2, 3, 4]
    assert issues_of(events).empty


def test_cp1252_fallback_warns(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    rows[0][header.index("admin1")] = "Ségou"
    path = write_csv(tmp_path / "latin.csv", header, rows, encoding="cp1252")
    events = checked_read(path)
    assert events["admin1"].tolist()[0] == "Ségou"
    assert events.attrs["encoding"] == "cp1252"
    fallback = issues_of(events, "encoding_fallback")
    assert len(fallback) == 1
    assert pd.isna(fallback["row"].iloc[0])
    assert fallback["severity"].iloc[0] == "warning"
    # An explicit encoding is trusted: no warning.
    explicit = checked_read(path, encoding="cp1252")
    assert issues_of(explicit, "encoding_fallback").empty
    assert explicit["admin1"].tolist()[0] == "Ségou"


# --- legacy codes --------------------------------------------------------------


def test_legacy_inter_codes_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(
        "event_id_cnty,inter1,inter2,interaction\n"
        "MLI1,1,0,10\n"
        "MLI2,8.0,7,78\n"
        "MLI3,Rebel Forces,Communal / Identity Groups,24\n"
        "MLI4,9,0,99\n"
        "MLI5,0,3,19\n"
    )
    events = checked_read(path)
    assert events["inter1"].tolist()[:3] == ["State forces", "External/Other forces", "Rebel group"]
    assert events["inter2"].tolist()[1:3] == ["Civilians", "Identity militia"]
    assert events["inter2"].isna().tolist() == [True, False, False, True, False]
    assert events["interaction"].tolist()[:3] == [
        "State forces only",
        "External/Other forces-Civilians",
        "Rebel group-Identity militia",
    ]
    # Unknown codes stay as their raw text, reported once each.
    assert events.loc[5, "inter1"] == "9"
    assert events.loc[5, "interaction"] == "99"
    assert events.loc[6, "inter1"] == "0"
    unknown = issues_of(events, "unknown_legacy_code")
    assert set(zip(unknown["row"], unknown["column"], unknown["value"], strict=True)) == {
        (5, "inter1", "9"),
        (5, "interaction", "99"),
        (6, "inter1", "0"),
        (6, "interaction", "19"),
    }


def test_integer_and_number_issues(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    path.write_text(
        "event_id_cnty,fatalities,latitude,longitude,year\n"
        "MLI1,3,14.5,-4.2,2020\n"
        "MLI2,abc,north,-4.2,2020.0\n"
        "MLI3,1.5,14.5, ,2020\n"
    )
    events = checked_read(path)
    assert events["fatalities"].tolist()[0] == 3
    assert events["fatalities"].isna().tolist() == [False, True, True]
    assert events["year"].tolist() == [2020, 2020, 2020]
    integers = issues_of(events, "not_an_integer")
    assert list(zip(integers["row"], integers["value"], strict=True)) == [(3, "abc"), (4, "1.5")]
    numbers = issues_of(events, "not_a_number")
    assert list(zip(numbers["row"], numbers["column"], strict=True)) == [(3, "latitude")]
    # A blank cell is missing, not an issue.
    assert pd.isna(events.loc[4, "longitude"])


# --- source rows, chunks -------------------------------------------------------


def test_source_row_counts_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_bytes(
        b"event_id_cnty,notes,fatalities\r\n"
        b'MLI1,"first line\r\nsecond line",1\r\n'
        b"\r\n"
        b'MLI2,"a ""quoted"" word",2\r\n'
        b"MLI3,plain,3"
    )
    events = checked_read(path)
    assert events.index.tolist() == [2, 5, 6]
    assert events["notes"].tolist()[:2] == ["first line\r\nsecond line", 'a "quoted" word']


def test_lenient_quoting_falls_back_to_python_csv(tmp_path: Path) -> None:
    # A quote inside an unquoted cell is not RFC 4180: the csv-module path reads it.
    path = tmp_path / "quotes.csv"
    path.write_text(
        'event_id_cnty,notes,fatalities\nMLI1,a 5" mortar,1\nMLI2,"two\nlines",2\nMLI3,x,y,z\n'
    )
    events = checked_read(path)
    assert events.index.tolist() == [2, 3]
    assert events["notes"].tolist() == ['a 5" mortar', "two\nlines"]
    ragged = issues_of(events, "ragged_row")
    assert ragged["row"].tolist() == [5]


def test_ragged_rows_are_reported_and_left_out(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("event_id_cnty,fatalities\nMLI1,1\nMLI2,2,extra\nMLI3\nMLI4,4\n")
    events = checked_read(path)
    assert events["event_id_cnty"].tolist() == ["MLI1", "MLI4"]
    ragged = issues_of(events, "ragged_row")
    assert ragged["row"].tolist() == [3, 4]
    assert ragged["value"].tolist() == ["MLI2,2,extra", "MLI3"]
    assert "3 fields" in ragged["message"].iloc[0]


def test_jsonl_line_numbers_skip_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_text('{"event_id_cnty": "MLI1"}\n\n{"event_id_cnty": "MLI2", "fatalities": "2"}\n')
    events = checked_read(path)
    assert events.index.tolist() == [1, 3]
    assert events["fatalities"].isna().tolist() == [True, False]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl", ".xlsx"])
def test_iter_events_matches_read_events(tmp_path: Path, suffix: str) -> None:
    header, rows = variant_rows("acled-v2-dyadic")
    many = [list(row) for _ in range(5) for row in rows]  # 15 rows
    many[7][header.index("fatalities")] = "many"
    path = tmp_path / f"many{suffix}"
    writer = {
        ".csv": write_csv,
        ".parquet": write_parquet,
        ".jsonl": write_jsonl,
        ".xlsx": write_xlsx,
    }[suffix]
    writer(path, header, many)  # type: ignore[operator]
    whole = checked_read(path)
    chunks = list(iter_events(path, chunk_rows=4))
    assert [len(chunk) for chunk in chunks] == [4, 4, 4, 3]
    for chunk in chunks:
        assert_contract(chunk)
        assert chunk.attrs["source_format"] == "acled-v2-dyadic"
    # pandas compares attrs when concatenating: chunks with different issues must not break it.
    joined = pd.concat(chunks)
    pd.testing.assert_frame_equal(
        joined.astype({name: "str" for name in joined.columns if joined[name].dtype == "category"}),
        whole.astype({name: "str" for name in whole.columns if whole[name].dtype == "category"}),
    )
    assert chunks[0].index[0] == whole.index[0]
    assert chunks[1].index[0] == whole.index[4]
    # The bad cell is reported in the chunk that holds its row.
    bad_row = whole.index[7]
    assert issues_of(chunks[1], "not_an_integer")["row"].tolist() == [bad_row]
    assert issues_of(whole, "not_an_integer")["row"].tolist() == [bad_row]


def test_reader_issues_survive_pandas_operations(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("event_id_cnty,fatalities\nMLI1,x\nMLI2,2\n")
    events = checked_read(path)
    issues = events.attrs["reader_issues"]
    # Derived frames share the issues instead of copying them.
    assert events["fatalities"].attrs["reader_issues"] is issues
    converted = events.astype({"fatalities": "float64"})
    assert converted.attrs["reader_issues"] is issues
    assert len(pd.concat([events, events]).attrs["reader_issues"]) == 1


def test_iter_events_rejects_bad_chunk_size(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("event_id_cnty\nMLI1\n")
    with pytest.raises(UsageError):
        next(iter_events(path, chunk_rows=0))


def test_header_only_file_is_empty_frame(tmp_path: Path) -> None:
    path = tmp_path / "empty_rows.csv"
    path.write_text(",".join(COLUMN_NAMES) + "\n")
    events = checked_read(path)
    assert len(events) == 0
    assert events.attrs["source_format"] == "acled-v3-text"


def test_format_detected_from_magic_bytes(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    parquet = write_parquet(tmp_path / "export.data", header, rows)
    assert checked_read(parquet).attrs["file_format"] == "parquet"
    jsonl = write_jsonl(tmp_path / "export.dump", header, rows)
    assert checked_read(jsonl).attrs["file_format"] == "jsonl"
    excel = write_xlsx(tmp_path / "export.bin", header, rows)
    assert checked_read(excel).attrs["file_format"] == "xlsx"
    text = write_csv(tmp_path / "export.out", header, rows)
    assert checked_read(text).attrs["file_format"] == "csv"


def test_xlsx_sheet_option(tmp_path: Path) -> None:
    from openpyxl import Workbook

    header, rows = variant_rows("acled-v3-text")
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["This workbook lists events on the second sheet."])
    events_sheet = workbook.create_sheet("Events")
    events_sheet.append(header)
    for row in rows:
        events_sheet.append(row)
    path = tmp_path / "two_sheets.xlsx"
    workbook.save(path)
    assert len(checked_read(path, sheet="Events")) == 3
    assert len(checked_read(path, sheet=1)) == 3
    with pytest.raises(UsageError, match="no sheet named 'Missing'"):
        read_events(path, sheet="Missing")
    with pytest.raises(UnreadableFileError, match="other sheets are 'Events'"):
        read_events(path)


# --- huge cells ----------------------------------------------------------------


def test_ten_million_character_cell(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    huge = "x" * 10_000_000
    path.write_text(f"event_id_cnty,notes,fatalities\nMLI1,{huge},1\nMLI2,short,2\n")
    events = checked_read(path)
    assert events["event_id_cnty"].tolist() == ["MLI1", "MLI2"]
    assert pd.isna(events.loc[2, "notes"])
    assert events.loc[3, "notes"] == "short"
    too_long = issues_of(events, "cell_too_long")
    assert too_long["row"].tolist() == [2]
    assert too_long["column"].tolist() == ["notes"]
    assert len(too_long["value"].iloc[0]) == 200
    assert "10,000,000 characters" in too_long["message"].iloc[0]


# --- bad input -----------------------------------------------------------------


def _expect_unreadable(path: Path, match: str, **options: object) -> UnreadableFileError:
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(UnreadableFileError, match=match) as caught:
        read_events(path, **options)
    error = caught.value
    assert error.exit_code == 2
    assert error.path == str(path)
    assert str(path) in str(error)
    if before is not None:
        assert path.read_bytes() == before
    return error


def test_missing_file(tmp_path: Path) -> None:
    _expect_unreadable(tmp_path / "nope.csv", "no such file")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    _expect_unreadable(folder, "directory")


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _expect_unreadable(empty, "empty")
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"\n\r\n  \n")
    _expect_unreadable(blank, "blank")


def test_headerless_blob(tmp_path: Path) -> None:
    blob = tmp_path / "blob.csv"
    blob.write_text("MLI1,2020-01-01,2020,1\nMLI2,2020-01-02,2020,1\n")
    error = _expect_unreadable(blob, "none of ACLED's columns")
    assert "event_id_cnty" in error.message
    assert "'MLI1'" in error.message


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _expect_unreadable(binary, "not a text file")


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("event_id_cnty\nMLI1\n".encode("utf-16"))
    _expect_unreadable(path, "UTF-16")


def test_truncated_parquet(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    good = write_parquet(tmp_path / "good.parquet", header, rows)
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    _expect_unreadable(truncated, "Parquet")
    not_parquet = tmp_path / "text.parquet"
    not_parquet.write_text("event_id_cnty\nMLI1\n")
    _expect_unreadable(not_parquet, "Parquet")


def test_xlsx_not_a_zip_and_broken_zip(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("event_id_cnty\nMLI1\n")
    _expect_unreadable(fake, "not a zip")
    import zipfile

    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    _expect_unreadable(broken, "xlsx")


def test_jsonl_invalid_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"event_id_cnty": "MLI1"}\n{"event_id_cnty": "MLI2"\n')
    error = _expect_unreadable(path, "not valid JSON")
    assert error.row == 2
    assert "row 2" in str(error)
    late = tmp_path / "late.jsonl"
    late.write_text('{"event_id_cnty": "MLI1"}\n' * 5 + "[1, 2]\n")
    with pytest.raises(UnreadableFileError, match="expected an object") as caught:
        list(iter_events(late, chunk_rows=2))
    assert caught.value.row == 6


def test_no_acled_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,age,city,team,score,rank,notes_x\nA,3,B,C,1,2,x\n")
    error = _expect_unreadable(path, "none of ACLED's columns")
    assert "'name', 'age', 'city', 'team', 'score' and 2 more" in error.message


def test_duplicate_acled_column(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("event_id_cnty,fatalities,FATALITIES\nMLI1,1,2\n")
    error = _expect_unreadable(path, "appears twice")
    assert error.column == "fatalities"


def test_unknown_format_and_sheet_misuse(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("event_id_cnty\nMLI1\n")
    with pytest.raises(UsageError, match="unknown format"):
        read_events(path, format="sav")
    with pytest.raises(UsageError, match="sheet"):
        read_events(path, sheet="Events")
    with pytest.raises(SahelEventsError):
        read_events(path, encoding="no-such-codec")


def test_huge_cell_on_the_lenient_csv_path(tmp_path: Path) -> None:
    # The stray quote in row 3 sends the file to Python's csv module, whose default
    # field limit (131,072 characters) must not apply.
    path = tmp_path / "huge_lenient.csv"
    huge = "y" * 2_000_000
    path.write_text(f'event_id_cnty,notes\nMLI1,{huge}\nMLI2,a 5" shell\n')
    limit_before = csv.field_size_limit()
    events = checked_read(path)
    assert csv.field_size_limit() == limit_before
    assert events["event_id_cnty"].tolist() == ["MLI1", "MLI2"]
    assert pd.isna(events.loc[2, "notes"])
    assert events.loc[3, "notes"] == 'a 5" shell'
    assert issues_of(events, "cell_too_long")["row"].tolist() == [2]


def test_bytes_undefined_in_cp1252_are_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"event_id_cnty,admin1\nMLI1,S\x81gou\n")
    _expect_unreadable(path, "neither UTF-8 nor Windows-1252")


WRITERS = {
    ".csv": write_csv,
    ".parquet": write_parquet,
    ".jsonl": write_jsonl,
    ".xlsx": write_xlsx,
}


@pytest.mark.parametrize("suffix", sorted(WRITERS))
@pytest.mark.parametrize(
    "variant", sorted(set(VARIANTS) - {"unknown"}), ids=lambda variant: variant
)
def test_every_variant_in_every_file_format(tmp_path: Path, variant: str, suffix: str) -> None:
    header, rows = variant_rows(variant)
    path = WRITERS[suffix](tmp_path / f"events{suffix}", header, rows)  # type: ignore[operator]
    events = checked_read(path)
    assert events.attrs["source_format"] == variant
    assert events.attrs["source_format_description"] == VARIANTS[variant].description
    assert events.attrs["dyadic"] is VARIANTS[variant].dyadic
    assert len(events) == 3
    assert events["inter1"].tolist() == ["State forces", "Political militia", "Protesters"]
    assert events["country"].tolist() == ["Mali", "Burkina Faso", "Niger"]
    assert events["iso"].tolist() == [466, 854, 562]
    assert events["fatalities"].tolist() == [3, 2, 0]
    assert events["latitude"].tolist()[0] == pytest.approx(13.9061)
    assert events["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-02-22",
        "2019-03-04",
        "2019-03-10",
    ]
    # Every current column is present, derived or declared missing.
    derived = set(events.attrs["derived_columns"])
    missing = set(events.attrs["missing_columns"])
    original = {name.lower().replace("ally_", "assoc_") for name in header}
    assert set(COLUMN_NAMES) == (original & set(COLUMN_NAMES)) | derived | missing
    assert not (missing & derived)
    errors = issues_of(events)
    errors = errors[errors["severity"] != "note"]
    assert set(errors["check"]) <= {"legacy_event_type_ambiguous"}


def test_tab_delimited(tmp_path: Path) -> None:
    header, rows = variant_rows("acled-v3-text")
    events = checked_read(write_csv(tmp_path / "events.tsv", header, rows, delimiter="\t"))
    assert events.attrs["delimiter"] == "\t"
    assert events["notes"].tolist()[0].startswith("On 22 February 2019")


def test_explicit_encoding_is_trusted(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252 but is a control character in Latin-1.
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"event_id_cnty,admin1\nMLI1,S\xe9gou\x81\n")
    events = checked_read(path, encoding="latin-1")
    assert events["admin1"].tolist() == ["Ségou\x81"]
    assert events.attrs["encoding"] == "iso8859-1"
    jsonl = tmp_path / "events.jsonl"
    jsonl.write_bytes('{"event_id_cnty": "MLI1", "admin1": "Ségou"}\n'.encode("cp1252"))
    assert checked_read(jsonl, encoding="cp1252")["admin1"].tolist() == ["Ségou"]
    with pytest.raises(UsageError, match="unknown encoding"):
        read_events(jsonl, encoding="no-such-codec")


def test_absurdly_long_record_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sahel_events.read._csv as csv_reader

    monkeypatch.setattr(csv_reader, "_MAX_RECORD_BYTES", 1000)
    path = tmp_path / "long.csv"
    path.write_text("event_id_cnty,notes\nMLI1," + "z" * 5000 + "\n")
    _expect_unreadable(path, "MiB the reader accepts")


def test_background_flags_of_a_provenance_export_read_as_booleans(tmp_path: Path) -> None:
    import sahel_events
    from sahel_events.export import export

    events = sahel_events.load()
    path = export(events, "csv", tmp_path / "events.csv", with_provenance=True)
    data = path.read_bytes()
    assert data.count(b",true\r\n") >= 1  # background is the last column; row 1 is background
    path.write_bytes(data.replace(b",true\r\n", b",maybe\r\n", 1))
    read = read_events(path)
    assert str(read["background"].dtype) == "boolean"
    assert read["background"].iloc[1:].tolist() == events["background"].iloc[1:].tolist()
    issues = read.attrs["reader_issues"]
    assert issues[issues["check"] == "not_a_boolean"]["column"].tolist() == ["background"]


def test_interaction_is_derived_from_any_actor_type_text() -> None:
    """Found by the property tests: an actor type holding the separator the derivation
    used to join the pair with (\\x1f) crashed it; each pair is now looked up as a pair."""
    from sahel_events.read.conform import conform

    frame = pd.DataFrame(
        {
            "event_id_cnty": ["MLI1", "MLI2", "MLI3", "MLI4"],
            "inter1": ["State forces", "Rebel group\x1fCivilians", None, "State forces"],
            "inter2": ["Civilians", None, "Civilians", None],
        }
    )
    derived = conform(frame)["interaction"]
    assert derived.iloc[0] == "State forces-Civilians"
    assert derived.iloc[3] == "State forces only"
    assert derived.iloc[1:3].isna().all()
