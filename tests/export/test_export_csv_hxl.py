"""ACLED CSV and HXL exports: column order, date style, the HXL tag row, read-back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from sahel_events import vocabulary
from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.export import default_output, export
from sahel_events.export.hxl import HDX_TAGGED, HXL_TAGS, read_hxl
from sahel_events.read import read_events
from sahel_events.testing import synthetic_events

# HDX's tags for ACLED columns, as its ACLED scrapers and hdx-python-api tests write them.
HDX_ACLED_TAGS = {
    "event_id_cnty": "#event+code",
    "event_date": "#date+occurred",
    "year": "#date+year",
    "event_type": "#event+type",
    "sub_event_type": "#event+type+sub",
    "actor1": "#group+name+first",
    "assoc_actor_1": "#group+name+first+assoc",
    "actor2": "#group+name+second",
    "assoc_actor_2": "#group+name+second+assoc",
    "region": "#region+name",
    "country": "#country+name",
    "admin1": "#adm1+name",
    "admin2": "#adm2+name",
    "admin3": "#adm3+name",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "source": "#meta+source",
    "notes": "#description",
    "fatalities": "#affected+killed",
}


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    frame = synthetic_events(150, seed=61)
    # Text that CSV and spreadsheets handle badly: quotes, a line break, Arabic, a comma.
    frame.loc[frame.index[0], "notes"] = 'He said "enough", then left.\nالجيش المالي'
    frame.loc[frame.index[1], "location"] = "Gao, Mali"
    return frame


def _same_events(read_back: pd.DataFrame, original: pd.DataFrame) -> None:
    columns = list(vocabulary.COLUMN_NAMES)
    left = read_back[columns].reset_index(drop=True)
    right = original[columns].reset_index(drop=True)
    assert [str(t) for t in left.dtypes] == [str(t) for t in right.dtypes]
    pd.testing.assert_frame_equal(left, right, check_categorical=False)


def test_acled_csv_round_trips_through_read_events(events: pd.DataFrame, tmp_path: Path) -> None:
    path = export(events, "csv", tmp_path / "events.acled.csv")
    header = path.read_bytes().decode("utf-8").split("\r\n", 1)[0]
    assert header.replace('"', "").split(",") == list(vocabulary.COLUMN_NAMES)
    read_back = read_events(path)
    assert read_back.attrs["source_format"].startswith("acled-v3")
    assert len(read_back.attrs["reader_issues"]) == 0
    _same_events(read_back, events)


def test_acled_csv_dates_are_year_month_day(events: pd.DataFrame, tmp_path: Path) -> None:
    path = export(events.head(3), "csv", tmp_path / "few.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [row["event_date"] for row in rows] == [
        day.strftime("%Y-%m-%d") for day in events["event_date"].head(3)
    ]


def test_acled_csv_to_stdout_is_the_same_bytes(
    events: pd.DataFrame, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = export(events, "csv", tmp_path / "events.csv")
    assert export(events, "csv", "-") is None
    assert capsysbinary.readouterr().out == path.read_bytes()


def test_provenance_columns_only_when_asked(tmp_path: Path) -> None:
    import sahel_events

    dataset = sahel_events.load()
    plain = export(dataset, "csv", tmp_path / "plain.csv")
    full = export(dataset, "csv", tmp_path / "full.csv", with_provenance=True)
    assert "source_id" not in plain.read_text(encoding="utf-8").splitlines()[0]
    assert (
        full.read_text(encoding="utf-8")
        .splitlines()[0]
        .endswith('"source_id","evidence","evidence_offsets","background"')
    )
    read_back = read_events(full)
    assert read_back["evidence"].tolist() == dataset["evidence"].tolist()


def test_formula_cells_are_neutralised(events: pd.DataFrame, tmp_path: Path) -> None:
    frame = events.head(2).copy()
    frame.loc[frame.index[0], "notes"] = '=HYPERLINK("http://x")'
    path = export(frame, "hxl", tmp_path / "formula.hxl.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[2][rows[0].index("notes")] == '\'=HYPERLINK("http://x")'


def test_hxl_tag_row(events: pd.DataFrame, tmp_path: Path) -> None:
    path = export(events, "hxl", tmp_path / "events.hxl.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, tags = rows[0], rows[1]
    assert header == list(vocabulary.COLUMN_NAMES)
    assert tags == [HXL_TAGS[name] for name in header]
    # Where HDX tags a column of its ACLED datasets, ours is the same tag.
    assert {name: HXL_TAGS[name] for name in HDX_TAGGED} == HDX_ACLED_TAGS
    assert all(tag.startswith("#") and " " not in tag for tag in tags)
    assert len(set(tags)) == len(tags)
    assert len(rows) == 2 + len(events)


def test_libhxl_reads_the_file(events: pd.DataFrame, tmp_path: Path) -> None:
    hxl = pytest.importorskip("hxl")
    path = export(events, "hxl", tmp_path / "events.hxl.csv")
    source = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = [column.get_display_tag(sort_attributes=False) for column in source.columns]
    assert tags[:3] == ["#event+code", "#date+occurred", "#date+year"]
    killed = sum(int(row.get("#affected+killed")) for row in source)
    assert killed == int(events["fatalities"].sum())
    countries = {
        row.get("#country+name") for row in hxl.data(str(path), hxl.InputOptions(allow_local=True))
    }
    assert countries == set(events["country"].astype(str))


def test_hxl_reads_back(events: pd.DataFrame, tmp_path: Path) -> None:
    path = export(events, "hxl", tmp_path / "events.hxl.csv")
    read_back = read_hxl(path)
    assert "reader_issues" not in read_back.attrs or len(read_back.attrs["reader_issues"]) == 0
    _same_events(read_back, events)
    assert read_back.index[0] == 3  # line 1 header, line 2 tags


def test_read_hxl_refuses_a_file_without_tag_row(events: pd.DataFrame, tmp_path: Path) -> None:
    path = export(events, "csv", tmp_path / "plain.csv")
    with pytest.raises(UnreadableFileError, match="not an HXL tag row"):
        read_hxl(path)


def test_default_output_never_overwrites_the_input() -> None:
    assert default_output("data/Mali.csv", "csv") == Path("data/Mali.acled.csv")
    assert default_output("data/Mali.csv", "hxl") == Path("data/Mali.hxl.csv")
    assert default_output("build/events.parquet", "geojson") == Path("build/events.geojson")
    assert default_output("x.xlsx", "ucdp") == Path("x.ucdp.csv")
    assert default_output("x.jsonl", "datapackage") == Path("x.datapackage")
    with pytest.raises(UsageError, match="unknown export format"):
        default_output("x.csv", "kml")


def test_unknown_option_is_a_usage_error(events: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="takes no option ucdp_scope"):
        export(events, "csv", tmp_path / "x.csv", ucdp_scope=True)


def test_missing_columns_are_named(events: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="fatalities"):
        export(events.drop(columns="fatalities"), "hxl", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
