"""sahel-events update, diff and aggregate: outputs, messages, exit codes, atomic writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events import read_events
from sahel_events.cli import COMMANDS, main
from sahel_events.export.hxl import read_hxl
from sahel_events.testing import synthetic_events
from sahel_events.write import write_csv, write_events


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    old = synthetic_events(60, seed=31)
    new = old.iloc[::6].copy()
    new["timestamp"] = new["timestamp"] + 10
    new.loc[new.index[0], "fatalities"] = 33
    paths = {
        "old": write_csv(old, tmp_path / "old.csv"),
        "new": write_events(new, tmp_path / "new.parquet"),
        "deletions": tmp_path / "deleted.csv",
    }
    paths["deletions"].write_text(
        f"event_id_cnty,deleted_timestamp\r\n{old['event_id_cnty'].iloc[1]},2100000000\r\n",
        encoding="utf-8",
    )
    return paths


def test_registered() -> None:
    for name in ("update", "diff", "aggregate"):
        assert COMMANDS[name][0] == f"sahel_events.cli.{name}:command"


def test_update_writes_the_merge_and_the_log(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "merged.parquet"
    log = tmp_path / "log.csv"
    code, stdout, stderr = run(
        "update",
        str(files["old"]),
        str(files["new"]),
        "--deletions",
        str(files["deletions"]),
        "-o",
        str(out),
        "--log",
        str(log),
    )
    assert code == 0, stderr
    assert stdout == ""
    assert f"wrote {out}: 59 events (10 updated, 1 deleted)" in stderr
    merged = read_events(out)
    old = read_events(files["old"])
    assert old["event_id_cnty"].iloc[1] not in set(merged["event_id_cnty"])
    assert merged.set_index("event_id_cnty").at[old["event_id_cnty"].iloc[0], "fatalities"] == 33
    rows = list(csv.DictReader(io.StringIO(log.read_text(encoding="utf-8"))))
    assert rows[0]["fields"] == "fatalities;timestamp"
    assert rows[-1]["change"] == "deleted"
    # The same inputs give the same bytes.
    again = tmp_path / "again.parquet"
    run(
        "update",
        str(files["old"]),
        str(files["new"]),
        "--deletions",
        str(files["deletions"]),
        "-o",
        str(again),
    )
    assert again.read_bytes() == out.read_bytes()


def test_update_errors_name_the_file_and_leave_nothing(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "merged.csv"
    code, _, stderr = run(
        "update", str(files["old"]), str(tmp_path / "missing.csv"), "-o", str(out)
    )
    assert code == 2 and "missing.csv" in stderr and "Traceback" not in stderr
    bad = tmp_path / "bad_deletions.csv"
    bad.write_text("event_id_cnty,deleted_timestamp\nMLI1,last week\n", encoding="utf-8")
    code, _, stderr = run(
        "update", str(files["old"]), str(files["new"]), "--deletions", str(bad), "-o", str(out)
    )
    assert code == 1
    assert "bad_deletions.csv, row 2, column 'deleted_timestamp'" in stderr
    code, _, stderr = run(
        "update", str(files["old"]), str(files["new"]), "-o", str(tmp_path / "x.txt")
    )
    assert code == 2 and "--out must end in" in stderr
    doubled = tmp_path / "doubled.csv"
    events = read_events(files["old"])
    write_csv(pd.concat([events, events.iloc[[0]]]), doubled)
    code, _, stderr = run("update", str(doubled), str(files["new"]), "-o", str(out))
    assert code == 1 and "share event ids" in stderr
    assert not out.exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_diff_text_json_csv(files: dict[str, Path], tmp_path: Path) -> None:
    code, stdout, stderr = run("diff", str(files["old"]), str(files["new"]))
    assert code == 0, stderr
    assert stdout.splitlines()[0].endswith("0 added, 50 removed, 10 changed (11 fields)")
    assert "    fatalities: " in stdout and "-> 33" in stdout
    code, stdout, _ = run(
        "diff", str(files["old"]), str(files["new"]), "--format", "json", "--ignore", "timestamp"
    )
    document = json.loads(stdout)
    assert document["summary"]["changed"] == 1
    target = tmp_path / "changes.csv"
    code, stdout, _ = run(
        "diff", str(files["old"]), str(files["new"]), "--format", "csv", "-o", str(target)
    )
    assert code == 0 and stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {row["change"] for row in rows} == {"removed", "changed"}


def test_aggregate_hxl_and_csv(files: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "pv.hxl.csv"
    code, _, stderr = run(
        "aggregate",
        str(files["old"]),
        "--hdx",
        "political-violence",
        "--fill-zeros",
        "-o",
        str(target),
    )
    assert code == 0, stderr
    assert stderr.strip().endswith("rows, hxl)")
    table = read_hxl(target)
    assert list(table.columns) == [
        "country",
        "admin1",
        "period",
        "political_violence_events",
        "political_violence_fatalities",
    ]
    code, stdout, _ = run(
        "aggregate", "--dataset", "france_mali_2025", "--by", "country", "--freq", "year"
    )
    assert code == 0
    assert stdout.splitlines()[0] == '"Country","Year","Events","Fatalities"'
    code, _, stderr = run("aggregate", str(files["old"]), "--measures", "deaths")
    assert code == 2 and "unknown measure deaths" in stderr
