"""``sahel-events geocode``: exit codes, output formats, batch mode."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sahel_events.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["geocode", *args])
    return result.exit_code, result.stdout, result.stderr


def test_found_prints_the_place_and_exits_0() -> None:
    code, out, _ = run("Gao")
    assert code == 0
    assert out.startswith("Gao, Gao, Mali\t16.2717, -0.0447")
    assert "geo_precision 1" in out


def test_country_hint_and_json() -> None:
    code, out, _ = run("Gao", "--country", "BF", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["alpha2"] == "BF"
    assert record["acled_country"] == "Burkina Faso"
    assert {"latitude", "longitude", "geo_precision", "alternatives"} <= set(record)


def test_all_lists_every_match_ranked() -> None:
    code, out, _ = run("Paris", "--all")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("1. Paris, Ile-de-France, France")
    assert len(lines) >= 3
    code, out, _ = run("Paris", "--all", "--json")
    assert json.loads(out)[0]["alpha2"] == "FR"


def test_arabic_query() -> None:
    code, out, _ = run("باماكو")
    assert code == 0
    assert out.startswith("Bamako, Bamako, Mali")


def test_not_found_exits_1_with_one_line() -> None:
    code, out, err = run("Qwzxplorf")
    assert code == 1
    assert out == ""
    assert err.strip() == "error: no place named 'Qwzxplorf' in the gazetteer"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "empty query"),
        (["a" * 100_000], "100,000 characters"),
        (["Gao", "--country", "Atlantis"], "unknown country"),
        ([], "give a QUERY"),
        (["Gao", "--file", "x.csv", "--column", "a"], "not both"),
        (["Gao", "--out", "x.csv"], "only applies with --file"),
        (["Gao\tKidal"], "control character"),
    ],
)
def test_misuse_exits_2(args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_batch_mode_writes_every_row(tmp_path: Path) -> None:
    source = tmp_path / "places.csv"
    source.write_text(
        "id,name,cc\n1,Gao,\n2,Gao,BF\n3,باماكو,\n4,Qwzxplorf,\n5,Mali-Niger border,\n6,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "geocoded.csv"
    code, _, err = run(
        "--file", str(source), "--column", "name", "--country-column", "cc", "--out", str(out)
    )
    assert code == 0, err
    assert "6 row(s): 4 found (1 ambiguous), 2 not found" in err
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [row["id"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [row["geo_country"] for row in rows[:3]] == ["Mali", "Burkina Faso", "Mali"]
    assert rows[0]["geo_latitude"] == "16.2717"
    assert rows[0]["geo_geo_precision"] == "1"
    assert (rows[0]["geo_match"], rows[0]["geo_source"], rows[0]["geo_ambiguous"]) == (
        "exact",
        "geonames",
        "yes",  # Gao with no hint: other Gaos more than 50 km away
    )
    assert rows[2]["geo_match"] == "alternate name"
    assert rows[4]["geo_feature_kind"] == "border area"
    assert rows[4]["geo_geo_precision"] == "3"
    assert rows[3]["geo_status"].startswith("not found: no place named")
    assert rows[5]["geo_status"].startswith("not found: empty query")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_batch_mode_to_stdout_and_quiet(tmp_path: Path) -> None:
    source = tmp_path / "p.csv"
    source.write_text("location\nKidal\n", encoding="utf-8")
    code, out, err = run("--file", str(source), "--column", "location", "--quiet")
    assert code == 0
    assert err == ""
    assert out.splitlines()[1].startswith("Kidal,18.4434,1.4092,1,Kidal,Mali,466,Kidal")


def test_batch_mode_errors_name_the_file(tmp_path: Path) -> None:
    source = tmp_path / "p.csv"
    source.write_text("location\nKidal\n", encoding="utf-8")
    code, _, err = run("--file", str(source), "--column", "name")
    assert code == 2
    assert str(source) in err and "no column 'name'" in err
    code, _, err = run("--file", str(tmp_path / "missing.csv"), "--column", "x")
    assert (code, "no such file" in err) == (2, True)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"name\n\xff\xfe\x00\x81\n")
    code, _, err = run("--file", str(binary), "--column", "name")
    assert (code, "not UTF-8" in err) == (2, True)
    ragged = tmp_path / "r.csv"
    ragged.write_text("name\nGao,extra\n", encoding="utf-8")
    code, _, err = run("--file", str(ragged), "--column", "name")
    assert code == 2 and "row 2" in err
    source.write_text("location,geo_status\nKidal,x\n", encoding="utf-8")
    code, _, err = run("--file", str(source), "--column", "location")
    assert code == 2 and "would overwrite" in err and "--prefix" in err
    code, _, _ = run("--file", str(source), "--column", "location", "--prefix", "g_", "-q")
    assert code == 0
    source.write_text("location,cc\nKidal,Narnia\n", encoding="utf-8")
    code, _, err = run("--file", str(source), "--column", "location", "--country-column", "cc")
    assert code == 2 and "row 2" in err and "column 'cc'" in err


def test_the_command_runs_in_a_fresh_process() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from sahel_events.cli import main; main()",
            "geocode",
            "Liptako-Gourma",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["countries"] == ["ML", "NE", "BF"]


def test_on_gives_the_admin_units_of_that_day(tmp_path: Path) -> None:
    # Burkina Faso's reform of 2 July 2025 made the Soum province a region of its own.
    code, out, _ = run("province du Soum", "--country", "BF", "--on", "2024-03-01", "--json")
    assert code == 0 and json.loads(out)["admin1"] == "Sahel"
    code, out, _ = run("province du Soum", "--country", "BF", "--on", "2025-09-01", "--json")
    assert code == 0 and json.loads(out)["admin1"] == "Soum"
    places = tmp_path / "places.csv"
    places.write_text("place\nprovince du Soum\n", encoding="utf-8")
    out_file = tmp_path / "out.csv"
    code, _, _ = run(
        "--file", str(places), "--column", "place", "--country", "BF", "--on", "2024",
        "--out", str(out_file), "-q",
    )  # fmt: skip
    assert code == 0
    with out_file.open(encoding="utf-8", newline="") as handle:
        assert next(csv.DictReader(handle))["geo_admin1"] == "Sahel"


@pytest.mark.parametrize("day", ["soon", "24/03/2024", "2024-3-1", "2024-03-01T00:00"])
def test_a_date_that_is_not_iso_is_misuse_and_writes_nothing(tmp_path: Path, day: str) -> None:
    code, _, err = run("Gao", "--on", day)
    assert code == 2 and "ISO date" in err and "Traceback" not in err
    places = tmp_path / "places.csv"
    places.write_text("place\nGao\n", encoding="utf-8")
    out_file = tmp_path / "out.csv"
    code, _, err = run(
        "--file", str(places), "--column", "place", "--on", day, "--out", str(out_file)
    )
    assert code == 2 and "ISO date" in err
    assert not out_file.exists()
