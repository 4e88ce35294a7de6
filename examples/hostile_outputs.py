"""What sahel_events does with outputs a hostile file or a slip of the keyboard threatens.

Runs offline in a few seconds, on files it makes itself (invented events, not
ACLED's): an export told to write over its own input and over a FIFO, a file
whose cells redraw the terminal and write to the clipboard, a cell with a bare
carriage return bound for a CSV, and an infinite coordinate bound for GeoJSON.
See docs/security.md ("Threat 5").

    python examples/hostile_outputs.py
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from _refusal import refused  # beside this script: examples/_refusal.py

from sahel_events._text import strip_terminal
from sahel_events.export import default_output, export
from sahel_events.read import read_events
from sahel_events.testing import synthetic_events
from sahel_events.validation import validate
from sahel_events.write import write_csv

with tempfile.TemporaryDirectory() as folder:
    root = Path(folder)
    source = write_csv(synthetic_events(5, seed=1), root / "events.csv")
    events = read_events(source)

    refused("An export over its own input", lambda: export(events, "csv", source))
    pipe = root / "pipe"
    os.mkfifo(pipe)
    refused("An export onto a FIFO", lambda: export(events, "geojson", pipe))
    print(
        f"The default GeoJSON name for Mali.geojson: {default_output('Mali.geojson', 'geojson')}\n"
    )

    # Cells that would erase the line and redraw it, and write to the clipboard.
    hostile = synthetic_events(2, seed=2)
    hostile["event_date"] = ["oops\x1b[2K\rVALID", "x\x1b]52;c;ZWNobyBwd25lZA==\x07"]
    parquet = root / "hostile.parquet"
    hostile.to_parquet(parquet)
    report = validate(parquet)
    print("The report on cells carrying terminal escapes prints them escaped:")
    for line in report.summary().splitlines()[-4:]:
        print(f"  {line}")
    colored = "a\x1b[31mb"
    print(f"  (strip_terminal removes any that is left: {strip_terminal(colored)!r})\n")

    # A bare carriage return stays inside its quoted CSV field.
    crlf = list(csv.reader(io.StringIO(report.to_csv(), newline="")))
    print(f"The CSV report has {len(crlf) - 1} records for {len(report.entries)} entries.\n")

    infinite = events.copy()
    infinite.loc[infinite.index[3], "longitude"] = float("inf")
    refused(
        "An infinite coordinate bound for GeoJSON",
        lambda: export(infinite, "geojson", root / "events.geojson"),
    )
    print(f"Left in the folder: {sorted(path.name for path in root.iterdir())}")
