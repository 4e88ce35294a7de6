"""What sahel_events does with hostile contributions: refuse clearly, write nothing, neutralise formulas.

Runs offline in a few seconds, on files it makes itself (invented events, not
ACLED's): a workbook that inflates 1,000-fold (a zip bomb), a CSV that mixes
two text encodings, a YAML coding sheet that tries to run a command, and a CSV
whose cells are spreadsheet formulas. See docs/security.md.

    python examples/hostile_inputs.py
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

from _refusal import refused  # beside this script: examples/_refusal.py

from sahel_events.coding.sheet import load_sheet
from sahel_events.testing import synthetic_events
from sahel_events.validation import validate
from sahel_events.write import write_csv

with tempfile.TemporaryDirectory() as folder:
    root = Path(folder)
    events = synthetic_events(3, seed=1)

    # A "workbook" whose sheet inflates from 64 KB to 64 MB.
    bomb = root / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (64 * 1024**2))
    refused("A zip bomb, refused before inflating", lambda: validate(bomb))

    # Two exports pasted together: one UTF-8, one Windows-1252.
    mixed = root / "mixed.csv"
    write_csv(events.assign(location="Ménaka"), mixed)
    text = mixed.read_text(encoding="utf-8").splitlines(keepends=True)
    mixed.write_bytes("".join(text[:2]).encode() + "".join(text[2:]).encode("cp1252"))
    refused(
        "A CSV mixing two encodings (read either way, part would be garbled)",
        lambda: validate(mixed),
    )

    # A coding sheet that would run a shell command under yaml.load.
    sheet = root / "sheet.yaml"
    sheet.write_text("sheet_version: 1\ncoded_by: !!python/object/apply:os.system ['id']\n")
    refused("A coding sheet with a Python tag", lambda: load_sheet(sheet))

    # Cells a spreadsheet would run: the report echoes them as text.
    formulas = root / "formulas.csv"
    write_csv(events, formulas)
    lines = formulas.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(str(events["event_id_cnty"].iloc[0]), '=HYPERLINK(""http://x"")', 1)
    formulas.write_text("".join(lines), encoding="utf-8")
    report = validate(formulas)
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    echoed = [row["value"] for row in rows if row["check"] == "is_event_id"]
    print("A formula in a contributed file, as the CSV report shows it to a spreadsheet:")
    print(f"  {echoed[0]}")
    print(f"\nNothing was written beside the inputs: {sorted(p.name for p in root.iterdir())}")
