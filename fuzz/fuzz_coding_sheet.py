"""Fuzz the coding-sheet loader: bytes as a YAML sheet through ``load_sheet``.

Run with the YAML dictionary (the sheet's keys and vocabularies, and YAML's tags,
anchors and scalars), which ``run.py`` passes: ``python fuzz_coding_sheet.py
corpus/coding_sheet -dict=coding_sheet.dict -max_total_time=600``. Most random
bytes are not YAML at all; the dictionary's tokens let mutations build sheets.
"""

from __future__ import annotations

import contextlib

from _harness import instrument, main, scratch_file

# Instrumented first: the library imports most modules lazily.
instrument("sahel_events.coding")
from sahel_events.coding.sheet import load_sheet  # noqa: E402
from sahel_events.exc import SahelEventsError  # noqa: E402


def test_one_input(data: bytes) -> None:
    path = scratch_file("sheet.yaml", data)
    with contextlib.suppress(SahelEventsError):
        load_sheet(path)


if __name__ == "__main__":
    main(test_one_input)
