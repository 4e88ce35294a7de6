"""The verbs' cell of examples/first_dataset.ipynb runs on the dataset and says what it shows."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import sahel_events

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "first_dataset.ipynb"


def test_the_verbs_cell_runs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    (cell,) = [source for source in sources if "to_monadic" in source]
    namespace = {"sahel_events": sahel_events, "events": sahel_events.load()}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(cell, "first_dataset.ipynb", "exec"), namespace)
    assert "actor rows: 19 for 12 events" in printed.getvalue()
    assert namespace["monthly"]["events"].sum() == 12
