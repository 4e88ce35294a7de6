"""The worst cases we could build for the output-side limits of issue 15, timed.

Each case is the largest input the limit lets through, or the one that makes the
guard do the most work: a message holding a 300-million-character value, a
report that is nothing but terminal escapes, an export whose every cell holds a
carriage return, a GeoJSON export whose last point is infinite, the output check.
Prints the wall time (best of 3) and the peak memory the case allocated
(tracemalloc, Python and NumPy/Arrow allocations through Python's allocator;
ru_maxrss of the process for the CSV export, which Arrow allocates itself).

    python benchmarks/bench_hostile_outputs.py
"""

from __future__ import annotations

import resource
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import best_of, machine


def _peak(function: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _row(name: str, size: str, function: Callable[[], object]) -> None:
    seconds = best_of(function)
    peak = _peak(function)
    print(f"| {name} | {size} | {seconds * 1000:,.1f} ms | {peak / 2**20:,.1f} MiB |")


def main() -> None:
    import numpy as np

    from sahel_events._io import check_output, write_csv_table
    from sahel_events._text import strip_terminal
    from sahel_events.exc import InvalidDataError, UnreadableFileError
    from sahel_events.export.geojson import feature_strings
    from sahel_events.testing import synthetic_events
    from sahel_events.write._cells import spreadsheet_table

    print("machine:", machine("pandas", "pyarrow", "numpy"))
    print("| case | size | time | peak allocated |")
    print("| --- | --- | --- | --- |")

    # The message is built once, as the caller would (building a 300-million-character
    # repr takes seconds itself); what is timed is the error cutting it down.
    huge = f"value {'A' * 300_000_000!r} is not a date"
    _row(
        "error message holding one huge value",
        f"{len(huge):,} characters",
        lambda: str(UnreadableFileError(huge, path="f.csv")),
    )
    many = "'" + "x" * 240 + "' " * 1
    message = many * (2_000_000 // len(many))
    _row(
        "error message of long quoted values, all of the searched window",
        f"{len(message):,} characters",
        lambda: str(InvalidDataError(message)),
    )
    escapes = "\x1b[1;31m" * 1_250_000
    _row(
        "report text that is only CSI sequences",
        f"{len(escapes):,} characters",
        lambda: strip_terminal(escapes),
    )
    osc = ("\x1b]52;c;" + "QUFB" * 64 + "\x07x\n") * 30_000
    _row(
        "report text of OSC 52 clipboard writes",
        f"{len(osc):,} characters",
        lambda: strip_terminal(osc),
    )
    unterminated = "\x1b]" + "y" * 10_000_000
    _row(
        "one unterminated OSC before 10 MB of text",
        f"{len(unterminated):,} characters",
        lambda: strip_terminal(unterminated),
    )
    plain = ("An ordinary report line, no control at all.\r\n") * 250_000
    _row(
        "a plain 11 MB CSV report (CRLF kept)",
        f"{len(plain):,} characters",
        lambda: strip_terminal(plain),
    )

    events = synthetic_events(1_000_000, seed=1)
    events["notes"] = 'first line\rsecond line, with "quotes", and =1+1'
    table = spreadsheet_table(events)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "e.csv"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds = best_of(lambda: write_csv_table(table, target), repeats=2)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"| CSV export, every notes cell with CR, quotes, comma, formula | 1,000,000 rows, "
            f"{target.stat().st_size / 2**20:,.0f} MiB | {seconds * 1000:,.0f} ms | "
            f"process max RSS {after / 1024:,.0f} MiB (+{(after - before) / 1024:,.0f}) |"
        )
        _row(
            "output check of an existing file against 3 inputs",
            "1 call",
            lambda: check_output(
                target, inputs=[target.with_name("a"), target.with_name("b"), __file__]
            ),
        )

    located = synthetic_events(1_000_000, seed=2)
    located.loc[located.index[-1], "longitude"] = np.inf

    def refuse() -> None:
        try:
            feature_strings(located)
        except InvalidDataError:
            return
        raise AssertionError("an infinite coordinate was let through")

    _row("GeoJSON export whose last point is infinite", "1,000,000 rows", refuse)


if __name__ == "__main__":
    main()
