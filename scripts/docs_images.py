"""Draw the pictures of the first dataset used by README.md and the docs site.

    python scripts/docs_images.py            # writes docs/img/first_dataset_*.png
    python scripts/docs_images.py OUT_DIR    # somewhere else (the tests do this)

The PNGs are reproducible: the same dataset and matplotlib version give the same
bytes (no timestamps in the files), so rerunning this leaves git clean unless
the dataset or the drawing code changed. `make docs-images` runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display

import matplotlib.pyplot as plt

import sahel_events
from sahel_events import plot

#: Pixel sizes of the pictures (at 100 dpi).
MAP_SIZE = (1000, 800)
TIMELINE_SIZE = (1000, 360)


def main(out_dir: Path) -> list[Path]:
    """Write the map and the timeline of the shipped dataset into ``out_dir``."""
    events = sahel_events.load()
    written = []
    figure = plt.figure(figsize=(MAP_SIZE[0] / 100, MAP_SIZE[1] / 100), layout="constrained")
    plot.map_events(
        events,
        ax=figure.add_subplot(),
        title="france_mali_2025: 12 events coded from an AFP story of 19 September 2025",
    )
    written.append(plot.save_png(figure, out_dir / "first_dataset_map.png"))
    plt.close(figure)

    figure = plt.figure(
        figsize=(TIMELINE_SIZE[0] / 100, TIMELINE_SIZE[1] / 100), layout="constrained"
    )
    plot.timeline(events, ax=figure.add_subplot(), title="france_mali_2025: events per month")
    written.append(plot.save_png(figure, out_dir / "first_dataset_timeline.png"))
    plt.close(figure)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs" / "img"
    for path in main(target):
        print(path)
