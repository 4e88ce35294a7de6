"""Run harnesses for a fixed time each, going on after a crash, and sum up the runs.

libFuzzer stops at the first crash, and atheris cannot use libFuzzer's fork mode
(``-fork``), so a crash ends a segment: its input is saved under artifacts/, and
the harness starts again on the grown corpus until the time is used up.

    python fuzz/run.py read_csv dates --seconds 600

Writes runs/<harness>.log (every segment's output) and prints, per harness:
executions, final coverage (libFuzzer's ``cov``: instrumented edges), corpus
size and the crashes found, with the first line of each exception.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_LEN = {
    "read_csv": 65536,
    "read_binary": 65536,
    "read_geojson": 65536,
    "read_hxl": 65536,
    "coding_sheet": 32768,
}
#: libFuzzer dictionaries (-dict=), by harness.
DICTIONARIES = {"coding_sheet": "coding_sheet.dict"}


def run(harness: str, seconds: int) -> dict[str, object]:
    """Fuzz ``harness`` for ``seconds``, restarting after each crash."""
    (HERE / "corpus" / harness).mkdir(parents=True, exist_ok=True)
    (HERE / "artifacts").mkdir(exist_ok=True)
    (HERE / "runs").mkdir(exist_ok=True)
    log = (HERE / "runs" / f"{harness}.log").open("w")
    started = time.monotonic()
    executions, coverage, crashes = 0, 0, []
    while (left := int(seconds - (time.monotonic() - started))) > 5:
        result = subprocess.run(
            [
                sys.executable,
                f"fuzz_{harness}.py",
                f"corpus/{harness}",
                f"-max_total_time={left}",
                f"-max_len={MAX_LEN.get(harness, 4096)}",
                "-timeout=20",
                "-rss_limit_mb=3072",
                "-print_final_stats=1",
                f"-artifact_prefix=artifacts/{harness}-",
                *([f"-dict={DICTIONARIES[harness]}"] if harness in DICTIONARIES else []),
            ],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # atheris prints the Python exception on stdout
            text=True,
            errors="replace",
            timeout=left + 120,
        )
        log.write(result.stdout)
        log.flush()
        found = re.findall(r"stat::number_of_executed_units: (\d+)", result.stdout)
        executions += int(found[-1]) if found else 0
        covs = re.findall(r"cov: (\d+)", result.stdout)
        coverage = max([coverage, *map(int, covs)])
        if result.returncode != 0:
            error = re.search(r"Uncaught Python exception: ===\n(.*)", result.stdout)
            artifact = re.search(r"Test unit written to (\S+)", result.stdout)
            crashes.append(
                (
                    error.group(1) if error else f"exit {result.returncode}",
                    artifact.group(1) if artifact else "",
                )
            )
    corpus = len(list((HERE / "corpus" / harness).iterdir()))
    return {
        "harness": harness,
        "seconds": round(time.monotonic() - started),
        "executions": executions,
        "coverage": coverage,
        "corpus": corpus,
        "crashes": crashes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("harnesses", nargs="+")
    parser.add_argument("--seconds", type=int, default=600)
    options = parser.parse_args()
    for harness in options.harnesses:
        summary = run(harness, options.seconds)
        print(summary, flush=True)
        with (HERE / "runs" / "summary.txt").open("a") as handle:
            handle.write(f"{summary}\n")


if __name__ == "__main__":
    main()
