"""The validate command: reports, formats, exit codes and bad input, end to end."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events.cli import COMMANDS, main
from sahel_events.testing import break_rows, synthetic_events


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("validate")
    clean = synthetic_events(300, seed=21)
    broken = break_rows(clean, 0.05, seed=22)
    paths = {
        "valid": folder / "valid.csv",
        "invalid": folder / "invalid.csv",
        "parquet": folder / "invalid.parquet",
        "empty": folder / "empty.csv",
        "binary": folder / "binary.csv",
    }
    clean.to_csv(paths["valid"], index=False)
    broken.to_csv(paths["invalid"], index=False)
    broken.to_parquet(paths["parquet"], index=False)
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(bytes(range(256)) * 40)
    return paths


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_valid_file_exits_0(files: dict[str, Path]) -> None:
    code, out, _ = run("validate", str(files["valid"]))
    assert code == 0
    assert "VALID" in out and "INVALID" not in out
    assert "acled-v3-text" in out


def test_invalid_file_exits_1_with_grouped_report(files: dict[str, Path]) -> None:
    before = digest(files["invalid"])
    code, out, _ = run("validate", str(files["invalid"]))
    assert code == 1
    assert "INVALID" in out
    assert "errors by check:" in out
    assert "sub_event_type_matches_event_type [event_type, sub_event_type]" in out
    assert "row " in out
    assert digest(files["invalid"]) == before, "validation modified the input"


def test_json_report_lists_every_failure_once(files: dict[str, Path]) -> None:
    code, out, _ = run("validate", "--format", "json", str(files["parquet"]))
    assert code == 1
    document = json.loads(out)
    assert document["valid"] is False
    assert document["n_rows"] == 300
    assert document["n_errors"] == 15  # 5% of 300 rows, one rule broken in each
    rows = [entry["row"] for entry in document["entries"] if entry["severity"] == "error"]
    assert len(rows) == len(set(rows)) == 15


def test_csv_report_has_one_line_per_failure(files: dict[str, Path]) -> None:
    code, out, _ = run("validate", "--format", "csv", str(files["invalid"]))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0] == "source,row,column,check,value,severity,message"
    assert len(lines) == 1 + 15


def test_max_errors_caps_entries_but_not_counts(files: dict[str, Path]) -> None:
    code, out, _ = run("validate", "--format", "json", "--max-errors", "4", str(files["invalid"]))
    document = json.loads(out)
    assert code == 1
    assert len(document["entries"]) == 4
    assert document["n_errors"] == 15
    assert document["truncated"] is True


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    frame = synthetic_events(20, seed=5)
    frame["event_id_cnty"] = "BFO" + frame["event_id_cnty"].str.slice(3)  # wrong prefix: a warning
    path = tmp_path / "warned.csv"
    frame[frame["country"] != "Burkina Faso"].to_csv(path, index=False)
    assert run("validate", str(path))[0] == 0
    code, out, _ = run("validate", "--strict", str(path))
    assert code == 1
    assert "event_id_prefix_matches_country" in out


@pytest.mark.parametrize("name", ["empty", "binary"])
def test_unreadable_file_exits_2_with_one_line(files: dict[str, Path], name: str) -> None:
    code, out, err = run("validate", str(files[name]))
    assert code == 2
    assert str(files[name]) in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.csv"))
    assert code == 2
    assert "nope.csv" in err


def test_several_files_exit_with_the_worst_code(files: dict[str, Path]) -> None:
    code, out, err = run(
        "validate", str(files["valid"]), str(files["invalid"]), str(files["empty"])
    )
    assert code == 2
    assert out.count("VALID") == 2  # VALID and INVALID: both files reported
    assert "empty.csv" in err


def test_no_traceback_from_a_real_process(files: dict[str, Path], tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(files["parquet"].read_bytes()[:500])
    process = subprocess.run(
        [sys.executable, "-m", "sahel_events.cli", "validate", str(truncated)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert "truncated.parquet" in process.stderr
    assert "Traceback" not in process.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Usage:" in out


def test_version() -> None:
    import sahel_events

    code, out, _ = run("--version")
    assert code == 0
    assert sahel_events.__version__ in out


def test_reports_rows_as_csv_line_numbers(tmp_path: Path) -> None:
    frame = synthetic_events(10, seed=1)
    frame.loc[4, "notes"] = "a note\nthat spans\nthree lines"
    frame.loc[7, "fatalities"] = pd.NA
    path = tmp_path / "multiline.csv"
    frame.to_csv(path, index=False)
    code, out, _ = run("validate", "--format", "json", str(path))
    assert code == 1
    entries = json.loads(out)["entries"]
    # header = line 1, row 1 = line 2, ...; row 4's note adds two lines before row 7.
    assert [(entry["row"], entry["column"]) for entry in entries] == [(10, "fatalities")]
