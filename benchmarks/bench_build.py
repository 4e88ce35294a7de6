"""Benchmark the dataset build (``sahel-events build``).

Prints, with the machine it ran on:

- the wall time of ``sahel-events build`` on the packaged source, in a fresh
  process (imports, gazetteer and actor registry loading included): what
  ``make demo`` costs;
- build throughput (events per second) for larger coding sheets made by
  repeating the packaged sheet's events under new keys, in-process, best of
  a few runs; and whether building twice gave identical bytes.

The large sheets are generated here from the project's own coding; no ACLED
rows are used. Usage::

    python benchmarks/bench_build.py                    # 1,000 and 5,000 events
    python benchmarks/bench_build.py --events 200 2000
"""

from __future__ import annotations

import argparse
import copy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import machine  # benchmarks/_machine.py, beside this script

REPEATS = 3


def cli_seconds(out: Path) -> float:
    """Best wall time of the command in a fresh process."""
    executable = Path(sys.executable).parent / "sahel-events"
    if not executable.exists():
        raise SystemExit("install the package first: pip install -e '.[dev]'")
    command = [str(executable), "build", "--out", str(out)]
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def write_big_sheet(folder: Path, events: int) -> None:
    import yaml

    from sahel_events.coding.build import packaged_codings_dir
    from sahel_events.coding.sheet import load_yaml

    name = "afp-20250919-france-mali-crisis.yaml"
    sheet = load_yaml(packaged_codings_dir() / name)
    originals = sheet["events"]
    repeated = []
    for number in range(events):
        event = copy.deepcopy(originals[number % len(originals)])
        event["key"] = f"{event['key']}-{number}"
        repeated.append(event)
    sheet["events"] = repeated
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def build_seconds(codings: Path, out: Path) -> tuple[float, bytes]:
    from sahel_events.coding.build import build

    best = float("inf")
    data = b""
    for repeat in range(REPEATS):
        start = time.perf_counter()
        result = build(codings_dir=codings, out_dir=out / str(repeat))
        best = min(best, time.perf_counter() - start)
        if repeat and result.path.read_bytes() != data:
            raise SystemExit("two builds of the same inputs gave different bytes")
        data = result.path.read_bytes()
    return best, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 5000])
    arguments = parser.parse_args()

    for key, value in machine("pandas", "pyarrow", "pandera").items():
        print(f"{key:>14}: {value}")
    print()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        seconds = cli_seconds(root / "cli")
        print(f"sahel-events build (packaged, 12 events, fresh process): {seconds:.2f} s")
        for events in arguments.events:
            codings = root / f"sheets-{events}"
            write_big_sheet(codings, events)
            seconds, data = build_seconds(codings, root / f"out-{events}")
            print(
                f"build of {events:,} events: {seconds:.2f} s "
                f"({events / seconds:,.0f} events/s, {len(data):,} bytes, "
                f"identical across {REPEATS} builds)"
            )


if __name__ == "__main__":
    main()
