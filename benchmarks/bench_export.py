"""Benchmark the exports on seeded synthetic events (never ACLED's).

For each format, the best of a few runs of writing ``--rows`` events to a file,
the output size, and rows per second; then the read-back time where a reader
exists. Run by hand; tests never time anything.

Usage::

    python benchmarks/bench_export.py                 # 1,000,000 rows
    python benchmarks/bench_export.py --rows 100000
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from pathlib import Path

from _machine import best_of  # benchmarks/_machine.py, beside this script

REPEATS = 3
OUTPUTS = {
    "csv": "events.acled.csv",
    "hxl": "events.hxl.csv",
    "geojson": "events.geojson",
    "ucdp": "events.ucdp.csv",
    "datapackage": "events.datapackage",
}


def size(path: Path) -> int:
    if path.is_dir():
        return sum(child.stat().st_size for child in path.rglob("*") if child.is_file())
    return path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    arguments = parser.parse_args()

    import pandas
    import pyarrow

    from sahel_events.export import export, read_export
    from sahel_events.testing import synthetic_events

    print(
        f"python {platform.python_version()}, pandas {pandas.__version__}, "
        f"pyarrow {pyarrow.__version__}, {platform.machine()}"
    )
    events = synthetic_events(arguments.rows, seed=7)
    print(f"{len(events):,} synthetic events; best of {REPEATS} runs\n")
    print(f"{'format':<12}{'write s':>9}{'rows/s':>12}{'MB':>9}{'read s':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for to, name in OUTPUTS.items():
            target = Path(folder) / name
            seconds = best_of(lambda to=to, target=target: export(events, to, target))
            back = best_of(lambda to=to, target=target: read_export(target, to), repeats=1)
            print(
                f"{to:<12}{seconds:>9.2f}{len(events) / seconds:>12,.0f}"
                f"{size(target) / 1e6:>9.1f}{back:>9.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
