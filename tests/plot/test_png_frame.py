"""The PNG map fills its picture: no blank band beside the map, whatever the picture's shape.

Measured on the rendered image: the figure's background is white and the map
has a dark frame (its spines), so a column or row of the picture that is white
from the edge inwards is blank margin. Tick labels and the constrained
layout's padding account for a few pixels; a map drawn at its own aspect ratio
in a frame of another shape left 15 to 35 pixels blank on one side.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

import sahel_events  # noqa: E402
from sahel_events import plot  # noqa: E402

#: The constrained layout's padding (about 4 pixels at 100 dpi) and anti-aliasing.
MAX_BLANK_PX = 8


def _blank_edges(path) -> dict[str, int]:
    """How many columns (left, right) and rows (top, bottom) are all white from each edge."""
    pixels = np.asarray(Image.open(path).convert("RGB"))
    white = (pixels >= 250).all(axis=-1)
    columns, rows = white.all(axis=0), white.all(axis=1)

    def run(flags: np.ndarray) -> int:
        return int(np.argmin(flags)) if not flags.all() else len(flags)

    return {
        "left": run(columns),
        "right": run(columns[::-1]),
        "top": run(rows),
        "bottom": run(rows[::-1]),
    }


@pytest.mark.parametrize(("width", "height"), [(1000, 800), (600, 900), (1000, 400)])
def test_cli_map_of_the_first_dataset_fills_its_frame(tmp_path, width, height):
    out = tmp_path / "map.png"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "sahel_events", "map", "--dataset", "france_mali_2025"),
            *("-q", "-o", str(out), "--width", str(width), "--height", str(height)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    blank = _blank_edges(out)
    assert max(blank.values()) <= MAX_BLANK_PX, blank
    assert Image.open(out).size == (width, height)


def test_titled_map_fills_the_layout_box_and_keeps_the_extent(tmp_path):
    """As scripts/docs_images.py draws the README's picture: titled, 10 x 8 inches."""
    events = sahel_events.load()
    figure = plt.figure(figsize=(10, 8), dpi=100, layout="constrained")
    ax = plot.map_events(events, ax=figure.add_subplot(), title="france_mali_2025: 12 events")
    path = plot.save_png(figure, tmp_path / "map.png")
    blank = _blank_edges(path)
    assert max(blank.values()) <= MAX_BLANK_PX, blank
    # The axes take the whole box the layout gave them (a fixed aspect would shrink them).
    assert np.allclose(ax.get_position().bounds, ax.get_position(original=True).bounds)
    # The events' extent is still in view with its margin, and a degree of
    # latitude is 1/cos(middle latitude) degrees of longitude on the page, to 2%.
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    assert west < -7.9752 - 2 and east > 2.3488 + 2 and south < 12.6091 - 2 and north > 48.8534 + 2
    box = ax.get_window_extent()
    page_ratio = (box.height / (north - south)) / (box.width / (east - west))
    true_ratio = 1 / np.cos(np.radians((south + north) / 2))
    assert abs(page_ratio / true_ratio - 1) < 0.02
    plt.close(figure)
