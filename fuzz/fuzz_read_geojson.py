"""Fuzz the GeoJSON reader: bytes as a ``.geojson`` file through ``read_events``.

The first byte picks how the rest is used: even, the whole file; odd, the
``features`` of a FeatureCollection (``{"type":"FeatureCollection","features":[``
+ the bytes + ``]}``), so that mutations reach the per-feature code rather than
stopping at the document's first brace. ``python fuzz/fuzz_read_geojson.py
corpus/read_geojson -max_total_time=600`` (see fuzz/README.md).
"""

from __future__ import annotations

import contextlib

from _harness import instrument, main, scratch_file

# Instrumented first: the library imports most modules lazily.
instrument("sahel_events.read", "sahel_events.export")
from sahel_events.exc import SahelEventsError  # noqa: E402
from sahel_events.read import read_events  # noqa: E402

_HEAD = b'{"type":"FeatureCollection","features":['
_TAIL = b"]}"


def document(data: bytes) -> bytes:
    """The file the harness reads for ``data`` (also used to make the seeds)."""
    if not data:
        return b""
    body = data[1:]
    return _HEAD + body + _TAIL if data[0] % 2 else body


def test_one_input(data: bytes) -> None:
    if not data:
        return
    path = scratch_file("input.geojson", document(data))
    with contextlib.suppress(SahelEventsError):
        read_events(path)


if __name__ == "__main__":
    main(test_one_input)
