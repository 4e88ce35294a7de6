"""Benchmark validation on Spark (local mode) against the in-process chunked validator.

For each size, seeded synthetic rows (never ACLED's) with 1% broken are written twice:
as a hive-partitioned dataset by ``write_dataset`` (country=/year= folders, one file per
million rows and partition) and as one Parquet file. Then, each in a fresh process:

- in process: ``sahel_events.validate(file)``, the chunked engine (500,000-row chunks);
- Spark: ``sahel_events.spark.validate(dataset)`` on ``local[N]`` (session start timed
  apart), the same checks on the executors' Python workers.

Printed per size and engine: seconds, rows per second, peak memory (the whole process
tree: for Spark the driver, its JVM and the Python workers, sampled every 0.2 s),
whether the error count is the one the data was built with, and the machine's load
average after the run (other work on a shared machine slows both engines).

Usage::

    python benchmarks/bench_spark.py                      # 10M and 50M rows
    python benchmarks/bench_spark.py --rows 1000000       # a quick run
    python benchmarks/bench_spark.py --rows 10000000 --master 'local[2]' --driver-memory 2g
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _machine import machine  # benchmarks/_machine.py, beside this script

CHUNK = 1_000_000
BROKEN = 0.01


# --- data -------------------------------------------------------------------------------


def write_data(directory: Path, rows: int) -> tuple[Path, Path]:
    """The same rows as a hive-partitioned dataset and as one Parquet file."""
    import pyarrow.parquet as pq

    from sahel_events.schema.arrow import to_arrow_table
    from sahel_events.testing import break_rows, synthetic_events
    from sahel_events.write import write_dataset

    root = directory / f"dataset_{rows}"
    single = directory / f"events_{rows}.parquet"
    root.mkdir()
    writer = None
    for number, start in enumerate(range(0, rows, CHUNK)):
        size = min(CHUNK, rows - start)
        frame = break_rows(
            synthetic_events(size, seed=number, start_id=start + 1), BROKEN, seed=1000 + number
        )
        # One write_dataset per million rows, its files moved into the one dataset.
        part = write_dataset(frame, directory / "part")
        for file in sorted(part.rglob("*.parquet")):
            target = root / file.parent.relative_to(part) / f"part-{number}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            file.rename(target)
        shutil.rmtree(part)
        table = to_arrow_table(frame)
        if writer is None:
            writer = pq.ParquetWriter(single, table.schema, compression="zstd")
        writer.write_table(table.cast(writer.schema))
    assert writer is not None
    writer.close()
    return root, single


def expected_errors(rows: int) -> int:
    return sum(round(min(CHUNK, rows - start) * BROKEN) for start in range(0, rows, CHUNK))


def size_on_disk(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


# --- measurements, each in a fresh process ------------------------------------------------


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent, pages = int(fields[1]), int(fields[21])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


class PeakMemory:
    """Samples the resident memory of this process tree in a thread; keeps the peak."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(os.getpid()))


def measure(kind: str, path: str, master: str, driver_memory: str) -> dict[str, float]:
    result: dict[str, float] = {}
    with PeakMemory() as memory:
        if kind == "local":
            from sahel_events.validation import validate

            start = time.perf_counter()
            report = validate(path)
        else:
            from sahel_events import spark as sahel_spark

            start = time.perf_counter()
            session = sahel_spark.get_session(master, config={"spark.driver.memory": driver_memory})
            result["session_seconds"] = time.perf_counter() - start
            start = time.perf_counter()
            report = sahel_spark.validate(path, spark=session)
        result["seconds"] = time.perf_counter() - start
        result["n_rows"] = report.n_rows
        result["n_errors"] = report.n_errors
        result["n_entries"] = len(report.entries)
    result["peak_rss_mib"] = memory.peak / 2**20
    return result


def run_measure(kind: str, path: Path, master: str, driver_memory: str) -> dict[str, float]:
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            kind,
            str(path),
            "--master",
            master,
            "--driver-memory",
            driver_memory,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- the report ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000_000, 50_000_000])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp folder")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, path = args.measure
        print(json.dumps(measure(kind, path, args.master, args.driver_memory)))
        return

    print("machine:", json.dumps(machine("pyspark", "pyarrow", "pandas")))
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    print("java:", java.splitlines()[0] if java else "not found")
    print(f"spark: {args.master}, driver memory {args.driver_memory}; {BROKEN:.0%} rows broken")
    for rows in args.rows:
        folder = Path(tempfile.mkdtemp(prefix="bench_spark_", dir=args.workdir))
        try:
            start = time.perf_counter()
            root, single = write_data(folder, rows)
            files = len(list(root.rglob("*.parquet")))
            print(
                f"\n{rows:,} rows: written in {time.perf_counter() - start:.0f} s; dataset "
                f"{files} files, {size_on_disk(root) / 2**20:,.0f} MiB; one file "
                f"{size_on_disk(single) / 2**20:,.0f} MiB; expected errors "
                f"{expected_errors(rows):,}"
            )
            for kind, path in (("local", single), ("spark", root)):
                result = run_measure(kind, path, args.master, args.driver_memory)
                exact = result["n_errors"] == expected_errors(rows)
                session = (
                    f" (+{result['session_seconds']:.1f} s session start)"
                    if "session_seconds" in result
                    else ""
                )
                name = "in process" if kind == "local" else f"spark {args.master}"
                load = os.getloadavg()[0]
                print(
                    f"  {name:<18} {result['seconds']:8.1f} s{session}  "
                    f"{rows / result['seconds']:>12,.0f} rows/s  "
                    f"peak {result['peak_rss_mib']:,.0f} MiB  "
                    f"errors {int(result['n_errors']):,} ({'exact' if exact else 'WRONG'})  "
                    f"load average {load:.1f}"
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
