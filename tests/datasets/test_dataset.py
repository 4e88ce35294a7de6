"""The shipped dataset: loads validated, in canonical dtypes, and is not stale."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sahel_events
from sahel_events import vocabulary
from sahel_events.coding.build import build
from sahel_events.datasets import DATASETS, DEFAULT_DATASET, dataset_path, load
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
