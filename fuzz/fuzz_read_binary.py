"""Fuzz the binary readers: Parquet and .xlsx through ``read_events``.

The first byte picks the format; the rest is the file. Mutating a valid seed
(see make_seeds.py) reaches far more of the reader than random bytes do.
"""

from __future__ import annotations

import contextlib

from _harness import instrument, main, scratch_file

# Instrumented first: the library imports most modules lazily.
instrument("sahel_events.read")
from sahel_events.exc import SahelEventsError  # noqa: E402
from sahel_events.read import read_events  # noqa: E402

_FORMATS = (".parquet", ".xlsx")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    suffix = _FORMATS[data[0] % len(_FORMATS)]
    path = scratch_file("input" + suffix, data[1:])
    with contextlib.suppress(SahelEventsError):
        read_events(path)


if __name__ == "__main__":
    main(test_one_input)
