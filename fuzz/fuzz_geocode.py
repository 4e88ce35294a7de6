"""Fuzz the offline geocoder and its name normaliser with arbitrary Unicode queries."""

from __future__ import annotations

import contextlib

from _harness import instrument, main

# Instrumented first: the library imports most modules lazily.
instrument("sahel_events.geo")
from sahel_events.exc import SahelEventsError  # noqa: E402
from sahel_events.geo import geocode  # noqa: E402
from sahel_events.geo._normalize import normalize  # noqa: E402

_COUNTRIES = (None, "ML", "NE", "BF", "TD", "MR", "FRA", "Mali", "XX", "")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    # One byte of country hint, then the query as UTF-8 so that seeds read as written.
    country = _COUNTRIES[data[0] % len(_COUNTRIES)]
    query = data[1:].decode("utf-8", "replace")
    normalize(query)
    with contextlib.suppress(SahelEventsError):
        geocode(query, country=country)


if __name__ == "__main__":
    main(test_one_input)
