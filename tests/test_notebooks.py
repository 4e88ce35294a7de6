"""examples/validate_contributions.ipynb runs top to bottom and says what a reviewer needs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "validate_contributions.ipynb"


def _run(path: Path, workdir: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    ).execute()
    return notebook


def test_validate_contributions_notebook(tmp_path: Path) -> None:
    notebook = _run(NOTEBOOK, tmp_path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [output for cell in code for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")

    # The first validation finds every broken row, by check, with row numbers.
    assert "contribution.csv: INVALID" in printed
    assert "rows: 500; errors: 10 in 10 rows" in printed
    assert "year_matches_event_date [year, event_date]: 1" in printed
    assert "- row 199: year=2025; event_date=2024-08-26" in printed
    # The fix and the second validation.
    assert "years fixed from the dates: 1 (lines 199)" in printed
    assert "returned 9 rows to the contributor" in printed
    assert "accepted 491 rows: valid=True, errors=0" in printed

    # The error table is shown as a table: 10 rows, one per broken line.
    table = next(
        output["data"]["text/html"]
        for output in code[2].outputs
        if "text/html" in output.get("data", {})
    )
    assert table.split("<tbody>")[1].count("<tr>") == 10
    assert "is_event_id" in table
    assert "XMLI138" in table

    # The notebook generated its contribution and wrote the feedback file in its folder.
    assert (
        (tmp_path / "contribution.csv")
        .read_text(encoding="utf-8")
        .startswith("event_id_cnty;event_date;")
    )
    feedback = pd.read_csv(tmp_path / "returned_to_contributor.csv")
    assert len(feedback) == 9
    assert "year_matches_event_date" not in set(feedback["check"])
    assert set(feedback["event_id_cnty"]) >= {"XMLI138"}
    assert (
        feedback.loc[feedback["event_id_cnty"] == "XMLI138", "message"]
        .str.contains("three capital letters")
        .all()
    )
