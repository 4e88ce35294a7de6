"""sahel-events export: outputs, standard output, stderr, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sahel_events.cli import COMMANDS, main
from sahel_events.testing import synthetic_events


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export_cli") / "Mali.csv"
    synthetic_events(40, seed=101).to_csv(path, index=False)
    return path


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


def test_registered() -> None:
    assert COMMANDS["export"][0] == "sahel_events.cli.export:command"


def test_default_output_beside_the_input(source: Path) -> None:
    code, out, err = run("export", str(source), "--to", "hxl")
    target = source.with_name("Mali.hxl.csv")
    assert code == 0, err
    assert out == b""
    assert err.strip() == f"wrote {target} (40 events, hxl)"
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[1][0] == "#event+code" and len(rows) == 42
    assert source.read_text(encoding="utf-8").startswith("event_id_cnty,")  # input untouched


def test_stdout_has_the_data_and_nothing_else(source: Path) -> None:
    code, out, err = run("export", str(source), "--to", "geojson", "--out", "-")
    assert code == 0
    assert err == ""
    document = json.loads(out)
    assert len(document["features"]) == 40


def test_quiet_writes_nothing_on_stderr(source: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "export", str(source), "--to", "ucdp", "--out", str(tmp_path / "g.csv"), "--quiet"
    )
    assert (code, out, err) == (0, b"", "")
    assert (tmp_path / "g.csv").read_text(encoding="utf-8").startswith('"id","relid"')


def test_packaged_dataset_as_a_data_package(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "package"
    code, _, err = run(
        "export", "--dataset", "france_mali_2025", "--to", "datapackage", "--out", str(folder)
    )
    assert code == 0, err
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == "france-mali-2025"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert frictionless.validate(str(folder / "datapackage.json")).valid


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "csv"], "give either FILE or --dataset"),
        (["{source}", "--dataset", "france_mali_2025", "--to", "csv"], "either FILE or"),
        (["{source}", "--to", "datapackage", "--out", "-"], "give --out a folder"),
        (["{source}", "--to", "csv", "--ucdp-scope"], "--ucdp-scope applies"),
        (["{source}", "--to", "hxl", "--license", "CC0-1.0"], "apply to --to datapackage"),
        (["--dataset", "nope", "--to", "csv"], "no dataset named 'nope'"),
        (["{missing}", "--to", "csv"], "no such file"),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    source: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    filled = [a.format(source=source, missing=tmp_path / "missing.csv") for a in args]
    code, out, err = run("export", *filled)
    assert code == 2
    assert out == b""
    assert message in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert "Traceback" not in err


def test_unwritable_output_is_exit_2(source: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run("export", str(source), "--to", "csv", "--out", str(blocker / "x.csv"))
    assert code == 2
    assert "not a folder" in err


def test_reader_issues_are_reported_on_stderr(tmp_path: Path) -> None:
    frame = synthetic_events(5, seed=102)
    frame["fatalities"] = frame["fatalities"].astype("object")
    frame.loc[frame.index[2], "fatalities"] = "many"
    path = tmp_path / "dirty.csv"
    frame.to_csv(path, index=False)
    code, _, err = run("export", str(path), "--to", "csv", "--out", str(tmp_path / "o.csv"))
    assert code == 0
    assert "1 cell(s) of dirty.csv could not be read" in err
    code, _, err = run(
        "export", str(path), "--to", "csv", "--out", str(tmp_path / "o.csv"), "--quiet"
    )
    assert (code, err) == (0, "")


def test_the_example_runs() -> None:
    import subprocess
    import sys

    example = Path(__file__).parent.parent.parent / "examples" / "export_formats.py"
    done = subprocess.run(
        [sys.executable, str(example)], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.count("read back: 12 events") == 5
    assert '"#event+code","#date+occurred"' in done.stdout
    assert "{'type': 'Point', 'coordinates': [" in done.stdout
