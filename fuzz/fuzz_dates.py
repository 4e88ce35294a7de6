"""Fuzz the date-expression resolver with arbitrary text and publication dates."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from _harness import instrument, main

# Instrumented first: the library imports most modules lazily.
instrument("sahel_events.coding")
from sahel_events.coding.dates import DateExpressionError, resolve_date  # noqa: E402
from sahel_events.exc import SahelEventsError  # noqa: E402


def test_one_input(data: bytes) -> None:
    if len(data) < 3:
        return
    # Three bytes of publication date (any day Python can represent, the edges
    # included), then the expression as UTF-8 so that seeds read as written.
    published = date.min + timedelta(days=int.from_bytes(data[:3], "little") % 3_652_059)
    expression = data[3:].decode("utf-8", "replace")
    with contextlib.suppress(DateExpressionError, SahelEventsError):
        resolve_date(expression, published)


if __name__ == "__main__":
    main(test_one_input)
