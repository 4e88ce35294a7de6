"""Benchmark maps and timelines on seeded synthetic events (never ACLED's).

Best of a few runs of drawing and saving the PNG map and timeline of ``--rows``
events, and of writing the interactive HTML map of ``--html-rows`` events (one
self-contained page: about 0.5 MB of Leaflet and outlines, then a popup per
event, about 0.3 kB each: meant for thousands, not millions).
Run by hand; tests never time anything.

Usage::

    python benchmarks/bench_plot.py                          # 1,000,000 rows; HTML 10,000
    python benchmarks/bench_plot.py --rows 100000 --html-rows 100000
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from _machine import best_of  # benchmarks/_machine.py, beside this script

from sahel_events import plot
from sahel_events.testing import synthetic_events

REPEATS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--html-rows", type=int, default=10_000)
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}")
    print(f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    events = synthetic_events(args.rows, seed=7)
    events["background"] = events.index % 10 == 0
    small = events.head(args.html_rows)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def draw_map() -> None:
            plot.save_png(plot.map_events(events), out / "map.png")
            plt.close("all")

        def draw_timeline() -> None:
            plot.save_png(plot.timeline(events), out / "timeline.png")
            plt.close("all")

        def write_html() -> None:
            plot.write_html(small, out / "map.html")

        for name, rows, function, path in [
            ("map_events + save_png", len(events), draw_map, out / "map.png"),
            ("timeline + save_png", len(events), draw_timeline, out / "timeline.png"),
            ("map_html + write_html", len(small), write_html, out / "map.html"),
        ]:
            seconds = best_of(function)
            size = path.stat().st_size / 1e6
            print(
                f"{name:24} {rows:>10,} rows {seconds:7.2f} s "
                f"{rows / seconds:>12,.0f} rows/s  {size:6.2f} MB"
            )


if __name__ == "__main__":
    main()
