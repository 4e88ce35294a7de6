"""``sahel-events validate --engine spark``: the same output and exit codes as in process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.testing import break_rows, synthetic_events
from sahel_events.write import write_dataset, write_events


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("spark-cli")
    broken = break_rows(synthetic_events(500, seed=90), 0.05, seed=91)
    return {
        "valid": write_events(synthetic_events(200, seed=92), folder / "valid.parquet"),
        "invalid": write_events(broken, folder / "invalid.parquet"),
        "dataset": write_dataset(broken, folder / "dataset"),
    }


@pytest.mark.parametrize("output", ["text", "json", "csv"])
def test_the_report_is_the_in_process_one(spark: Any, files: dict[str, Path], output: str) -> None:
    path = str(files["invalid"])
    local = run("validate", path, "--format", output, "-q")
    on_spark = run("validate", "--engine", "spark", path, "--format", output, "-q")
    assert on_spark[0] == local[0] == 1
    if output == "json":
        assert json.loads(on_spark[1]) == json.loads(local[1])
    else:
        assert on_spark[1] == local[1]


def test_a_valid_file_exits_0(spark: Any, files: dict[str, Path]) -> None:
    code, out, _ = run("validate", "--engine", "spark", "--master", "local[2]", str(files["valid"]))
    assert code == 0 and "VALID" in out


def test_a_dataset_folder_reports_files_and_rows(spark: Any, files: dict[str, Path]) -> None:
    code, out, _ = run("validate", "--engine", "spark", str(files["dataset"]), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["n_rows"] == 500 and report["n_errors"] == 25
    assert all(entry["file"].startswith("country=") for entry in report["entries"])


def test_a_broken_partition_exits_2_with_one_line_and_no_stack_trace(
    spark: Any, tmp_path: Path
) -> None:
    root = write_dataset(synthetic_events(300, seed=93), tmp_path / "dataset")
    victim = sorted(root.rglob("*.parquet"))[0]
    victim.write_bytes(b"PAR1 this is not a parquet file")
    code, out, err = run("validate", "--engine", "spark", str(root))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and victim.name in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and "\tat " not in err


def test_today_gives_the_in_process_report(spark: Any, tmp_path: Path) -> None:
    frame = synthetic_events(200, seed=94)
    frame.loc[[3, 150], "event_date"] = pd.Timestamp("2031-05-10")
    frame.loc[[3, 150], "year"] = 2031
    path = str(write_events(frame, tmp_path / "future.parquet"))
    written = pd.to_datetime(pd.read_parquet(path)["event_date"])
    late = [int(i) + 1 for i in written.index[written == pd.Timestamp("2031-05-10")]]
    assert len(late) == 2
    for day, future in (("2031-05-01", True), ("2031-05-12", False)):
        args = ["validate", "--today", day, "--format", "json", "-q", path]
        code, out, err = run(*args[:1], "--engine", "spark", *args[1:])
        local = run(*args)
        assert code == local[0] == 0, err
        report = json.loads(out)
        assert report == json.loads(local[1])
        rows = [e["row"] for e in report["entries"] if e["check"] == "event_date_not_in_future"]
        assert rows == (late if future else [])
    code, _, err = run("validate", "--engine", "spark", "--today", "soon", path)
    assert code == 2 and "today must be a date" in err and "Traceback" not in err


def test_master_without_spark_is_a_usage_error(files: dict[str, Path]) -> None:
    code, _, err = run("validate", "--master", "local[2]", str(files["valid"]))
    assert code == 2 and "--engine spark" in err
