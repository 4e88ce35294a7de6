"""Benchmark the verbs on seeded synthetic events (never ACLED's): monadic, aggregate, update, diff.

For each verb, the best of a few runs on ``--rows`` events (wall time, and the CPU time
of that run, which a machine shared with other jobs inflates less), and events per
second of wall time; the load average is printed with the machine.
``update`` and ``diff`` compare the events with a newer export holding a tenth of
them re-issued (one field changed) and a thousand new ones. Run by hand; tests
never time anything.

Usage::

    python benchmarks/bench_transform.py                 # 1,000,000 events
    python benchmarks/bench_transform.py --rows 100000
"""

from __future__ import annotations

import argparse
import os
import time

from _machine import machine  # benchmarks/_machine.py, beside this script

REPEATS = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    arguments = parser.parse_args()

    import pandas as pd

    from sahel_events.testing import synthetic_events
    from sahel_events.transform import (
        AGGREGATE_MEASURES,
        aggregate,
        diff,
        to_dyadic,
        to_monadic,
        update,
    )

    for key, value in machine("pandas", "pyarrow", "numpy").items():
        print(f"{key}: {value}")
    print(f"load average before: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")
    events = synthetic_events(arguments.rows, seed=7)
    newer = events.sample(frac=0.1, random_state=7).sort_index()
    newer["timestamp"] = newer["timestamp"] + 3600
    newer["fatalities"] = newer["fatalities"] + 1
    newer = pd.concat([newer, synthetic_events(1000, seed=8, start_id=arguments.rows + 1)])
    monadic = to_monadic(events)
    every_measure = list(AGGREGATE_MEASURES)
    runs = {
        "to_monadic": lambda: to_monadic(events),
        "to_dyadic": lambda: to_dyadic(monadic),
        "aggregate country,admin1 x month": lambda: aggregate(events),
        "aggregate, all HDX splits, fill_zeros": lambda: aggregate(
            events, measures=every_measure, fill_zeros=True
        ),
        "aggregate admin1 x week": lambda: aggregate(events, by="admin1", freq="week"),
        "update (10% re-issued, 1,000 new)": lambda: update(events, newer),
        "diff (same)": lambda: diff(events, newer),
    }
    print(
        f"\n{len(events):,} synthetic events ({len(monadic):,} monadic rows); best of {arguments.repeats}\n"
    )
    print(f"{'verb':<40}{'wall s':>9}{'cpu s':>9}{'events/s':>14}")
    for name, run in runs.items():
        best_wall, best_cpu = float("inf"), float("inf")
        for _ in range(arguments.repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        print(f"{name:<40}{best_wall:>9.3f}{best_cpu:>9.3f}{len(events) / best_wall:>14,.0f}")
    print(f"\nload average after: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
