"""Suggest and evidence matching: time of a draft for a 1,000-word article, peak
memory of the evidence matcher on a large source text.

    python benchmarks/bench_suggest.py [--large-mb 19]

Prints the figures and the machine; the texts are built from the shipped AFP
source (repeated), so no third-party text is needed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine

_MATCHER = """
import resource, sys, time
from sahel_events.coding.evidence import find_quote
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
find_quote(text, text[-200:-100])
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(len(text.encode()), elapsed, peak)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large-mb", type=float, default=19.0)
    args = parser.parse_args()
    from sahel_events.coding.build import packaged_sources_dir
    from sahel_events.coding.sources import add_source
    from sahel_events.coding.suggest import suggest

    base = (packaged_sources_dir() / "afp-20250919-france-mali-crisis.txt").read_text("utf-8")
    for key, value in machine().items():
        print(f"machine.{key}: {value}")
    with tempfile.TemporaryDirectory() as folder:
        words = base.split()
        article = " ".join((words * (1000 // len(words) + 1))[:1000])
        text_file = Path(folder) / "article.txt"
        text_file.write_text(article, encoding="utf-8")
        add_source(
            text_file,
            source_id="bench-1000-words",
            publisher="bench",
            published="2025-09-19",
            language="ar",
            sources_dir=Path(folder) / "sources",
        )
        suggest("bench-1000-words", sources_dir=Path(folder) / "sources")  # warm the look-ups
        start = time.perf_counter()
        draft = suggest("bench-1000-words", sources_dir=Path(folder) / "sources")
        print(
            f"suggest 1,000 words: {time.perf_counter() - start:.2f} s, {len(draft.events)} events"
        )

        size = int(args.large_mb * 1024 * 1024)
        large = Path(folder) / "large.txt"
        data = base.encode()
        large.write_bytes(
            (data * (size // len(data) + 1))[:size].decode("utf-8", "ignore").encode()
        )
        run = subprocess.run(
            [sys.executable, "-c", _MATCHER, str(large)], capture_output=True, text=True, check=True
        )
        size_bytes, elapsed, peak = run.stdout.split()
        print(
            f"evidence matcher, {int(size_bytes) / 1e6:.1f} MB text: {float(elapsed):.1f} s, "
            f"peak RSS {int(peak) / 1e6:.0f} MB ({int(peak) / int(size_bytes):.1f} bytes per byte)"
        )


if __name__ == "__main__":
    main()
