"""Fuzz HXL-tagged CSV: bytes as a ``.csv`` file with an HXL tag row, through ``read_events``.

The first byte picks how the rest is used: even, the whole file; odd, the rows
after a valid header and HXL tag row (those ``to_hxl`` writes), so mutations
reach the tag-row and cell handling rather than stopping at the header.
``python fuzz/fuzz_read_hxl.py corpus/read_hxl -max_total_time=600`` (see
fuzz/README.md).
"""

from __future__ import annotations

import contextlib
from functools import cache

from _harness import instrument, main, scratch_file

# Instrumented first: the library imports most modules lazily.
instrument("sahel_events.read", "sahel_events.export")
from sahel_events.exc import SahelEventsError  # noqa: E402
from sahel_events.read import read_events  # noqa: E402


@cache
def header() -> bytes:
    """The header and tag rows ``to_hxl`` writes for ACLED's columns."""
    from sahel_events import vocabulary
    from sahel_events.export.hxl import HXL_TAGS

    names = list(vocabulary.COLUMN_NAMES)
    tags = [HXL_TAGS.get(name, "") for name in names]
    return (",".join(names) + "\r\n" + ",".join(tags) + "\r\n").encode("utf-8")


def document(data: bytes) -> bytes:
    """The file the harness reads for ``data`` (also used to make the seeds)."""
    if not data:
        return b""
    body = data[1:]
    return header() + body if data[0] % 2 else body


def test_one_input(data: bytes) -> None:
    if not data:
        return
    path = scratch_file("input.csv", document(data))
    with contextlib.suppress(SahelEventsError):
        read_events(path)


if __name__ == "__main__":
    main(test_one_input)
