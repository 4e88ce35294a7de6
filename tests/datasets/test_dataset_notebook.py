"""The example notebook runs top to bottom and draws the maps and the timeline."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "first_dataset.ipynb"


def test_notebook_loads_filters_and_maps(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        # jupyter_client starts the python3 kernel with this interpreter (sys.executable).
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [output for output in outputs if output.output_type == "error"]
    printed = "".join(
        output.get("text", "") for output in outputs if output.output_type == "stream"
    )
    assert "12 events, 5 of them background" in printed
    assert "non-background events: 7" in printed
    pngs = [output for output in outputs if "image/png" in output.get("data", {})]
    # The hand-drawn Sahel map, then plot.map_events and plot.timeline.
    assert len(pngs) == 3
    assert "timeline: 7 bar segments" in printed
    # Real figures, not empty canvases: PNGs of some size.
    assert all(len(png["data"]["image/png"]) > 10_000 for png in pngs)
