"""The everyday verbs on the first dataset and on synthetic events: monadic, aggregate, update, diff.

Runs offline in a few seconds:

    python examples/transform_verbs.py

The events are the project's first dataset (``sahel_events.load()``) and seeded
synthetic events (``sahel_events.testing``, invented, never ACLED's); the files
land in a temporary folder removed at the end.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

import sahel_events
from sahel_events.export import export
from sahel_events.testing import synthetic_events


def main() -> None:
    events = sahel_events.load()

    # One row per actor, and back.
    actors = sahel_events.to_monadic(events)
    print(f"{len(events)} events -> {len(actors)} actor rows")
    print(
        actors[["event_id_cnty", "actor_role", "actor", "inter", "other_actor"]].head(4).to_string()
    )
    assert sahel_events.to_dyadic(actors).equals(events)
    print("to_dyadic(to_monadic(events)) equals events\n")
    busiest = actors.groupby("actor", observed=True).size().sort_values(ascending=False).head(3)
    print("actors in the most events:", busiest.to_dict(), "\n")

    # Counts per country and month, with HDX's splits.
    monthly = sahel_events.aggregate(
        events,
        by="country",
        freq="month",
        measures=("events", "fatalities", "political_violence_events", "civilian_targeting_events"),
    )
    print(monthly.to_string(index=False), "\n")

    # A newer export and a deletions list, on synthetic events.
    local = synthetic_events(1000, seed=1)
    newer = local.sample(n=50, random_state=2).sort_index()
    newer["timestamp"] = newer["timestamp"] + 86_400
    newer.loc[newer.index[0], "fatalities"] = newer["fatalities"].iloc[0] + 3
    newer = pd.concat([newer, synthetic_events(5, seed=3, start_id=5000)])
    deletions = pd.DataFrame(
        {"event_id_cnty": local["event_id_cnty"].iloc[[7, 8]], "deleted_timestamp": 1_800_000_000}
    )
    result = sahel_events.update(local, newer, deletions=deletions)
    print("update:", result.summary())
    print(result.changes.head(3).to_string(index=False), "\n")

    # What changed, event by event.
    changes = sahel_events.diff(
        local, result.events, names=("local", "updated"), ignore=["timestamp"]
    )
    print("\n".join(changes.to_text().splitlines()[:12]), "\n")

    # An HDX-style monthly file, HXL-tagged.
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "political_violence.hxl.csv"
        table = sahel_events.aggregate(
            local,
            by=("country", "admin1"),
            measures=("political_violence_events", "political_violence_fatalities"),
            fill_zeros=True,
        )
        export(table, "hxl", target)
        print("\n".join(target.read_text(encoding="utf-8").splitlines()[:4]))


if __name__ == "__main__":
    main()
