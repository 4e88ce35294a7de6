"""The verbs researchers apply to every download: monadic and dyadic, aggregates, updates, diffs.

>>> import sahel_events
>>> events = sahel_events.load()                                    # doctest: +SKIP
>>> actors = sahel_events.to_monadic(events)                        # doctest: +SKIP
>>> sahel_events.to_dyadic(actors).equals(events)                   # doctest: +SKIP
True
>>> sahel_events.aggregate(events, by=("country", "admin1"), freq="month")   # doctest: +SKIP
>>> merged = sahel_events.update(local, newer, deletions="deleted.csv")      # doctest: +SKIP
>>> print(sahel_events.diff(build_a, build_b))                               # doctest: +SKIP

The R equivalents are acledR's ``acled_transform_longer`` / ``acled_transform_wider``,
``acled_update`` with ``acled_deletions_api``, and the monthly aggregates ACLED
publishes on HDX; docs/transform.md says where these differ.
"""

from __future__ import annotations

from sahel_events.transform._aggregate import (
    AGGREGATE_MEASURES,
    aggregate,
    hdx_layout,
)
from sahel_events.transform._diff import EventsDiff, diff
from sahel_events.transform._monadic import MONADIC_COLUMNS, to_dyadic, to_monadic
from sahel_events.transform._update import UpdateResult, read_deletions, update

__all__ = [
    "AGGREGATE_MEASURES",
    "MONADIC_COLUMNS",
    "EventsDiff",
    "UpdateResult",
    "aggregate",
    "diff",
    "hdx_layout",
    "read_deletions",
    "to_dyadic",
    "to_monadic",
    "update",
]
