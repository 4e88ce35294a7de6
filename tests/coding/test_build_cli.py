"""``sahel-events build`` on good and bad input: one clear line per problem, no output left."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.coding.build import packaged_codings_dir, packaged_sources_dir
from sahel_events.coding.sheet import load_yaml

SOURCE_ID = "afp-20250919-france-mali-crisis"


def packaged_sheet() -> dict:
    return load_yaml(packaged_codings_dir() / f"{SOURCE_ID}.yaml")


def one_event_sheet(**changes: object) -> dict:
    """The packaged sheet cut to its first event, with some fields replaced.

    ``location`` is updated key by key; every other field is replaced whole.
    """
    sheet = packaged_sheet()
    event = dict(sheet["events"][0])
    for name, value in changes.items():
        if name == "location":
            event[name] = {**event[name], **value}
        else:
            event[name] = value
    sheet["events"] = [event]
    return sheet


def run_build(tmp_path: Path, sheet: dict | str, *extra: str):
    sheets = tmp_path / "sheets"
    sheets.mkdir(exist_ok=True)
    path = sheets / f"{SOURCE_ID}.yaml"
    if isinstance(sheet, str):
        path.write_text(sheet, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--codings", str(sheets), "--out", str(out), *extra]
    )
    return result, path, out


def assert_clean_failure(result, out: Path, code: int, *needles: str) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: ")
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    assert not (out / "events.parquet").exists()
    assert not out.exists() or not list(out.iterdir())
    return result.stderr


def test_build_prints_a_plain_summary_when_not_on_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "events.parquet").is_file()
    text = result.stdout
    assert "events: 12 (7 current, 5 background) from 1 source(s)" in text
    assert "Strategic developments / Arrests" in text
    assert "Paris (France)" in text
    assert "dates: 2020-08-18 to 2025-09-19" in text
    assert "evidence: " in text and "sha256: " in text
    assert [path.name for path in out.iterdir()] == ["events.parquet"]


def test_a_quote_not_in_the_text(tmp_path: Path) -> None:
    sheet = one_event_sheet(evidence=["قررت باريس تعليق تعاونها العسكري مع نيامي"])
    result, path, out = run_build(tmp_path, sheet)
    assert_clean_failure(result, out, 1, str(path), "event 'france-suspends", "field 'evidence'")


def test_an_unknown_actor(tmp_path: Path) -> None:
    result, path, out = run_build(tmp_path, one_event_sheet(actor1="Government of Atlantis"))
    assert_clean_failure(result, out, 1, str(path), "field 'actor1'", "Atlantis")


def test_a_place_the_gazetteer_cannot_find(tmp_path: Path) -> None:
    sheet = one_event_sheet(location={"query": "Xyzzyville", "country": "FR"})
    result, path, out = run_build(tmp_path, sheet)
    assert_clean_failure(result, out, 1, str(path), "field 'location'", "Xyzzyville")


def test_an_unparseable_date_expression(tmp_path: Path) -> None:
    sheet = one_event_sheet(date={"expression": "عندما يطير الفيل"})
    result, path, out = run_build(tmp_path, sheet)
    assert_clean_failure(result, out, 1, str(path), "field 'date'", "عندما يطير الفيل")


def test_a_relative_date_expression_is_resolved(tmp_path: Path) -> None:
    import pandas as pd

    sheet = one_event_sheet(date={"expression": "حتى يوم غد (السبت)"})
    result, _, out = run_build(tmp_path, sheet)
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out / "events.parquet")
    assert str(frame["event_date"].iloc[0])[:10] == "2025-09-20"


def test_yaml_with_a_python_tag(tmp_path: Path) -> None:
    text = yaml.safe_dump(one_event_sheet(), allow_unicode=True, sort_keys=False)
    text = text.replace("fatalities: 0", "fatalities: !!python/object/apply:os.system ['true']")
    result, path, out = run_build(tmp_path, text)
    assert result.exit_code in (1, 2)
    assert_clean_failure(result, out, result.exit_code, str(path))


def test_yaml_with_duplicate_keys(tmp_path: Path) -> None:
    text = yaml.safe_dump(one_event_sheet(), allow_unicode=True, sort_keys=False)
    text = text.replace("  fatalities: 0\n", "  fatalities: 0\n  fatalities: 3\n")
    assert text.count("fatalities") == 2
    result, path, out = run_build(tmp_path, text)
    assert_clean_failure(result, out, 1, str(path), "fatalities")


def test_a_field_of_the_wrong_type(tmp_path: Path) -> None:
    result, path, out = run_build(tmp_path, one_event_sheet(fatalities="dozens"))
    assert_clean_failure(result, out, 1, str(path), "fatalities")


def test_a_sheet_naming_a_missing_source(tmp_path: Path) -> None:
    sheet = one_event_sheet()
    sheet["source"] = "afp-20990101-no-such-story"
    result, path, out = run_build(tmp_path, sheet)
    assert_clean_failure(result, out, 1, str(path), "field 'source'", "no-such-story")


def test_a_source_id_cannot_leave_the_source_folder(tmp_path: Path) -> None:
    sheet = one_event_sheet()
    sheet["source"] = "../../etc/passwd"
    result, path, out = run_build(tmp_path, sheet)
    assert result.exit_code in (1, 2)
    assert_clean_failure(result, out, result.exit_code, str(path), "source")


def test_every_problem_of_every_event_is_reported(tmp_path: Path) -> None:
    sheet = packaged_sheet()
    sheet["events"][0]["actor1"] = "Government of Atlantis"
    sheet["events"][1]["evidence"] = ["هذه الجملة ليست في المقال إطلاقاً"]
    sheet["events"][2]["location"] = {"query": "Xyzzyville"}
    result, path, out = run_build(tmp_path, sheet)
    stderr = assert_clean_failure(result, out, 1, str(path))
    lines = stderr.strip().splitlines()
    assert len(lines) == 4
    assert "field 'actor1'" in lines[0]
    assert "field 'evidence'" in lines[1]
    assert "field 'location'" in lines[2]
    assert "3 problems; nothing was written" in lines[3]


def test_an_output_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(main, ["build", "--out", str(blocker / "out")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: ") and str(blocker) in result.stderr
    assert blocker.read_text() == "not a folder"


def test_package_flag_refuses_other_sources(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--package", "--codings", str(tmp_path)])
    assert result.exit_code == 2
    assert "--package" in result.stderr


@pytest.mark.parametrize("missing", ["--sources", "--codings"])
def test_a_missing_input_folder(tmp_path: Path, missing: str) -> None:
    result = CliRunner().invoke(
        main, ["build", missing, str(tmp_path / "nope"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "nope" in result.stderr and "Traceback" not in result.output


def test_sources_copied_elsewhere_build_the_same_file(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(packaged_sources_dir(), sources)
    first = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "a")])
    second = CliRunner().invoke(
        main, ["build", "--sources", str(sources), "--out", str(tmp_path / "b")]
    )
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a/events.parquet").read_bytes() == (
        tmp_path / "b/events.parquet"
    ).read_bytes()
