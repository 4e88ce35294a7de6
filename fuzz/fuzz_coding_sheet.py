"""Fuzz the coding-sheet loader: bytes as a YAML sheet through ``load_sheet``."""

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
