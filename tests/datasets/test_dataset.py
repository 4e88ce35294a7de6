"""The shipped dataset: loads validated, in canonical dtypes, and is not stale."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sahel_events
from sahel_events import vocabulary
from sahel_events.coding.build import build
from sahel_events.datasets import (
    DATASETS,
    DEFAULT_DATASET,
    dataset_folder,
    dataset_path,
    load,
    sheets_dir,
    sources_dir,
)
from sahel_events.exc import UsageError

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_file_is_not_stale(tmp_path: Path) -> None:
    rebuilt = build(out_dir=tmp_path).path.read_bytes()
    assert rebuilt == dataset_path().read_bytes(), (
        "the shipped dataset no longer matches its coding sheets; "
        "run `sahel-events build --package` and commit the file"
    )


def test_load_returns_validated_events_in_canonical_dtypes() -> None:
    events = load()
    assert list(events.columns) == [
        *vocabulary.COLUMN_NAMES,
        "source_id",
        "evidence",
        "evidence_offsets",
        "background",
    ]
    for name, dtype in vocabulary.pandas_dtypes().items():
        assert str(events[name].dtype) == dtype, name
    assert events["background"].dtype == bool
    assert len(events) == 12
    assert int((~events["background"]).sum()) == 7
    assert events["event_id_cnty"].str.match(r"^(FRA|MLI)[1-9][0-9]{7}$").all()


def test_top_level_load_is_the_same_function() -> None:
    pd.testing.assert_frame_equal(sahel_events.load(), load(DEFAULT_DATASET))


def test_an_unknown_dataset_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="france_mali_2025"):
        load("no_such_dataset")
    assert set(DATASETS) == {"france_mali_2025"}


def test_the_dataset_page_lists_every_shipped_event() -> None:
    page = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\b(?:FRA|MLI)[1-9][0-9]{7}\b", page))
    assert listed == set(load()["event_id_cnty"])


def test_the_example_script_runs_offline() -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "build_dataset.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "the shipped dataset matches this build: True" in completed.stdout
    assert "7 events of the story itself, 5 background" in completed.stdout


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_each_dataset_sits_beside_its_sources_sheets_and_attribution(name: str) -> None:
    folder = dataset_folder(name)
    assert folder == ROOT / "sahel_events" / "datasets" / name
    assert dataset_path(name) == folder / f"{name}.parquet"
    assert sources_dir(name) == folder / "sources"
    assert sheets_dir(name) == folder / "sheets"
    assert (folder / "ATTRIBUTION.md").is_file()
    sheets = sorted(sheets_dir(name).glob("*.yaml"))
    assert sheets
    for sheet in sheets:
        # A sheet is named for its source, and the source is in the same dataset.
        assert (sources_dir(name) / f"{sheet.stem}.txt").is_file()
        assert (sources_dir(name) / f"{sheet.stem}.yaml").is_file()
    listed = {path.name for path in folder.iterdir() if path.name != "__pycache__"}
    assert listed == {f"{name}.parquet", "sources", "sheets", "ATTRIBUTION.md"}


def test_the_build_and_the_source_loader_default_to_the_default_dataset() -> None:
    from sahel_events.coding.build import packaged_codings_dir, packaged_sources_dir
    from sahel_events.coding.sources import list_sources, sources_directory

    assert packaged_sources_dir() == sources_dir(DEFAULT_DATASET)
    assert packaged_codings_dir() == sheets_dir(DEFAULT_DATASET)
    assert Path(str(sources_directory())) == sources_dir(DEFAULT_DATASET)
    assert [source.id for source in list_sources()] == [
        path.stem for path in sorted(sheets_dir().glob("*.yaml"))
    ]
    # Nothing of a dataset is left in the coding package.
    coding = ROOT / "sahel_events" / "coding"
    assert not (coding / "sources").exists() and not (coding / "sheets").exists()


def test_an_unknown_dataset_has_no_folder() -> None:
    for function in (dataset_folder, dataset_path, sources_dir, sheets_dir):
        with pytest.raises(UsageError, match="no dataset named 'nope'"):
            function("nope")


def test_the_build_command_with_its_defaults_prints_the_summary_and_the_shipped_digest(
    tmp_path: Path,
) -> None:
    # What `make demo` runs, from a folder of the user's: the default --out is build/.
    completed = subprocess.run(
        [sys.executable, "-m", "sahel_events", "build", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    built = tmp_path / "build" / "events.parquet"
    assert built.read_bytes() == dataset_path().read_bytes()
    lines = completed.stdout.splitlines()
    assert lines[0] == "events: 12 (7 current, 5 background) from 1 source(s)"
    written = next(line for line in lines if line.startswith("written: "))
    assert (tmp_path / written.removeprefix("written: ")).resolve() == built.resolve()
    digest = hashlib.sha256(built.read_bytes()).hexdigest()
    assert lines[-1] == f"sha256: {digest}"
