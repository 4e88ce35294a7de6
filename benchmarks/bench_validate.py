"""Benchmark reading + validating event files.

Prints, for seeded synthetic rows (never ACLED's):

- rows per second for read + validate, Parquet and CSV;
- the ratio of read + validate to ``pyarrow.parquet.read_table`` alone on the same file;
- peak RSS of each measurement (each runs in its own process, so peaks don't mix);
- the same with 1% of rows broken in varied ways;
- a 10,000,000-row Parquet file validated in chunks: time, peak RSS, and whether the
  report counts exactly the broken rows;
- how long ``sahel-events --help`` takes to answer;
- cold ``sahel-events validate`` (a fresh process each time) of a 500-row file spanning
  35 countries against a 500-row file in one country: the coordinates check must not
  cost more for more countries.

Usage::

    python benchmarks/bench_validate.py                 # 1M rows, then 10M rows
    python benchmarks/bench_validate.py --big-rows 0    # skip the 10M-row run
    python benchmarks/bench_validate.py --cold-only     # only the cold small files
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import machine  # benchmarks/_machine.py, beside this script

REPEATS = 5


# --- measurements, each run in a fresh process ------------------------------------------


def measure(kind: str, path: str, chunk_rows: int) -> dict[str, float]:
    """Best-of-REPEATS seconds and the process's peak RSS for one kind of work."""
    import pyarrow.parquet as pq

    from sahel_events.validation import validate

    best = float("inf")
    result: dict[str, float] = {}
    for _ in range(REPEATS if kind != "validate-big" else 1):
        start = time.perf_counter()
        if kind == "read_table":
            pq.read_table(path)
        else:
            report = validate(path, chunk_rows=chunk_rows)
            result["n_errors"] = report.n_errors
            result["n_rows"] = report.n_rows
        best = min(best, time.perf_counter() - start)
    result["seconds"] = best
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_measure(kind: str, path: Path, chunk_rows: int = 500_000) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path), "--chunk-rows", str(chunk_rows)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- data ------------------------------------------------------------------------------------


def write_files(
    directory: Path, rows: int, broken_fraction: float, *, csv: bool
) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sahel_events.testing import break_rows, synthetic_events

    chunk = 1_000_000
    name = f"events_{rows}_{broken_fraction:g}"
    parquet_path = directory / f"{name}.parquet"
    csv_path = directory / f"{name}.csv"
    writer = None
    for number, start in enumerate(range(0, rows, chunk)):
        size = min(chunk, rows - start)
        frame = synthetic_events(size, seed=number, start_id=start + 1)
        if broken_fraction:
            frame = break_rows(frame, broken_fraction, seed=1000 + number)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(parquet_path, table.schema)
        writer.write_table(table.cast(writer.schema))
        if csv:
            frame.to_csv(csv_path, index=False, mode="a" if start else "w", header=not start)
    assert writer is not None
    writer.close()
    files = {"parquet": parquet_path}
    if csv:
        files["csv"] = csv_path
    return files


def expected_errors(rows: int, fraction: float) -> int:
    return sum(
        round(min(1_000_000, rows - start) * fraction) for start in range(0, rows, 1_000_000)
    )


# --- the report ----------------------------------------------------------------------------


def small_file(directory: Path, countries: int) -> Path:
    """500 synthetic events spread over ``countries`` countries, each at its centroid."""
    import numpy as np

    from sahel_events import vocabulary
    from sahel_events.geo import _data
    from sahel_events.testing import synthetic_events

    frame = synthetic_events(500, seed=7)
    table = _data.countries()
    geometries = _data.country_geometries()
    chosen = [
        country
        for country in vocabulary.countries()
        if country.alpha2 in geometries and country.alpha2 in table.by_alpha2
    ]
    step = max(1, len(chosen) // countries)
    chosen = chosen[::step][:countries]
    which = np.arange(len(frame)) % len(chosen)
    frame["country"] = [chosen[i].name for i in which]
    frame["iso"] = [chosen[i].iso for i in which]
    frame["region"] = [chosen[i].region for i in which]
    frame["event_id_cnty"] = [f"{chosen[i].prefix}{n + 1}" for n, i in enumerate(which)]
    frame["latitude"] = [table.by_alpha2[chosen[i].alpha2].latitude for i in which]
    frame["longitude"] = [table.by_alpha2[chosen[i].alpha2].longitude for i in which]
    path = directory / f"small_{countries}.csv"
    frame.to_csv(path, index=False)
    return path


def cold_validate_seconds(path: Path, repeats: int = 3) -> float:
    """Best wall time of ``sahel-events validate -q`` in a fresh process."""
    executable = shutil.which("sahel-events") or str(Path(sys.executable).with_name("sahel-events"))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([executable, "validate", "-q", str(path)], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def cold_small_files(directory: Path) -> None:
    one = cold_validate_seconds(small_file(directory, 1))
    many = cold_validate_seconds(small_file(directory, 35))
    print(
        f"cold     500 rows: 1 country {one:.3f}s, 35 countries {many:.3f}s,"
        f" ratio {many / one:.2f}x (best of 3 fresh processes)",
        flush=True,
    )


def help_seconds() -> float:
    executable = shutil.which("sahel-events") or str(Path(sys.executable).with_name("sahel-events"))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([executable, "--help"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=10_000_000, help="0 skips the chunked run")
    parser.add_argument("--chunk-rows", type=int, default=500_000)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--cold-only", action="store_true", help="only the cold small files")
    arguments = parser.parse_args()
    if arguments.measure:
        kind, path = arguments.measure
        print(json.dumps(measure(kind, path, arguments.chunk_rows)))
        return

    print("machine:", json.dumps(machine("pandas", "pyarrow", "pandera", "shapely")))
    print("load average (1, 5, 15 min):", " ".join(f"{load:.1f}" for load in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="bench_validate_") as temporary:
        directory = Path(temporary)
        cold_small_files(directory)
        if arguments.cold_only:
            return
        rows = arguments.rows
        for fraction in (0.0, 0.01):
            files = write_files(directory, rows, fraction, csv=True)
            base = run_measure("read_table", files["parquet"])
            label = "valid" if not fraction else "1% broken"
            for file_format, path in files.items():
                result = run_measure("validate", path, arguments.chunk_rows)
                line = (
                    f"{file_format:8} {label:10} rows={rows:,} read+validate={result['seconds']:.3f}s "
                    f"rows/s={rows / result['seconds']:,.0f} peak_rss={result['peak_rss_mib']:.0f}MiB "
                    f"errors={result['n_errors']:,.0f} (expected {expected_errors(rows, fraction):,})"
                )
                if file_format == "parquet":
                    line += (
                        f" read_table={base['seconds']:.3f}s"
                        f" ratio={result['seconds'] / base['seconds']:.2f}x"
                    )
                print(line, flush=True)
                if file_format == "parquet":
                    if fraction == 0:
                        valid_seconds = result["seconds"]
                    else:
                        print(
                            f"parquet  1% broken vs valid: {result['seconds'] / valid_seconds:.2f}x"
                        )
            for path in files.values():
                path.unlink()

        if arguments.big_rows:
            files = write_files(directory, arguments.big_rows, 0.01, csv=False)
            result = run_measure("validate-big", files["parquet"], arguments.chunk_rows)
            expected = expected_errors(arguments.big_rows, 0.01)
            print(
                f"parquet  chunked    rows={arguments.big_rows:,} read+validate={result['seconds']:.1f}s "
                f"rows/s={arguments.big_rows / result['seconds']:,.0f} "
                f"peak_rss={result['peak_rss_mib']:.0f}MiB errors={result['n_errors']:,.0f} "
                f"(expected {expected:,}; {'same' if result['n_errors'] == expected else 'DIFFERENT'})"
            )
    print(f"cli      sahel-events --help: {help_seconds():.3f}s (best of 5)")


if __name__ == "__main__":
    main()
