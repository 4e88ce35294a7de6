"""The fuzz harnesses work: their seeds and damaged seeds give our errors only.

The harnesses are run by hand under atheris (fuzz/README.md); here their
``test_one_input`` runs without atheris on the seeds ``fuzz/make_seeds.py`` makes
and on damaged copies, so a harness that no longer fits the library (a renamed
reader, a seed it cannot read) fails in CI, not at the next fuzzing session.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "fuzz"
HARNESSES = ("read_geojson", "read_hxl", "coding_sheet")


@pytest.fixture(scope="module")
def fuzz_path() -> Iterator[None]:
    sys.path.insert(0, str(FUZZ))
    # Run the harnesses' logic as CI would, without atheris's instrumentation
    # (which the shared development environment may have installed).
    importlib.import_module("_harness").atheris = None
    try:
        yield
    finally:
        sys.path.remove(str(FUZZ))


@pytest.fixture(scope="module")
def corpus(fuzz_path: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    make_seeds = importlib.import_module("make_seeds")
    folder = tmp_path_factory.mktemp("corpus")
    make_seeds.main(folder)
    return folder


def _damaged(data: bytes) -> list[bytes]:
    """Truncations and byte flips of a seed, keeping its first (mode) byte."""
    cuts = [data[: len(data) * k // 4] for k in (1, 2, 3)]
    flips = []
    for position in range(1, len(data), max(1, len(data) // 7)):
        flipped = bytearray(data)
        flipped[position] ^= 0xFF
        flips.append(bytes(flipped))
    return cuts + flips


@pytest.mark.parametrize("harness", HARNESSES)
def test_each_harness_accepts_its_seeds_and_damaged_seeds(
    harness: str, corpus: Path, fuzz_path: None
) -> None:
    module = importlib.import_module(f"fuzz_{harness}")
    seeds = sorted((corpus / harness).iterdir())
    assert seeds, harness
    for seed in seeds:
        data = seed.read_bytes()
        for variant in [data, *_damaged(data)]:
            module.test_one_input(variant)  # raises only on a crash: not our error


def test_the_yaml_dictionary_is_current(fuzz_path: None) -> None:
    make_dictionary = importlib.import_module("make_dictionary")
    committed = (FUZZ / "coding_sheet.dict").read_text(encoding="utf-8")
    assert committed == make_dictionary.dictionary_text()
    for key in (
        "events: ",
        "evidence: ",
        "sub_event_type: ",
        "Armed clash",
        "!!python/name:os.system",
    ):
        assert f'"{key}"' in committed, key
