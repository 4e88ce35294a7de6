"""Draw the pictures of the first dataset used by README.md and the docs site.

    python scripts/docs_images.py            # writes docs/img/first_dataset_*.png
    python scripts/docs_images.py OUT_DIR    # somewhere else (the tests do this)

The PNGs are reproducible: the same dataset and matplotlib version give the same
bytes (no timestamps in the files), so rerunning this leaves git clean unless
the dataset or the drawing code changed. `make docs-images` runs it.

The interactive map's picture (``first_dataset_html_map.png``) is a screenshot
of ``plot.write_html``'s page in headless Chromium (Debian's, driven by
playwright, network off), with Bamako's cluster spiderfied and one popup open.
It is taken only when playwright and /usr/bin/chromium are installed (``make
test`` installs both) and depends on Chromium's version and fonts.
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
    screenshot = _html_screenshot(events, out_dir / "first_dataset_html_map.png")
    if screenshot is not None:
        written.append(screenshot)
    return written


def _html_screenshot(events: object, target: Path) -> Path | None:
    """The HTML map in Chromium, Bamako's events spread out, one popup open; None without a browser."""
    import tempfile

    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("skipped the HTML map's screenshot: playwright is not installed", file=sys.stderr)
        return None
    if not chromium.is_file():
        print(f"skipped the HTML map's screenshot: no {chromium}", file=sys.stderr)
        return None
    from sahel_events._io import atomic_path

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        page_file = plot.write_html(events, Path(folder) / "map.html")  # type: ignore[arg-type]
        browser = driver.chromium.launch(
            executable_path=str(chromium),
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
            ],
        )
        context = browser.new_context(offline=True, viewport={"width": 1000, "height": 700})
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.goto(page_file.resolve().as_uri())
        page.wait_for_selector("#map[data-ready=true]")
        page.locator(".event-cluster", has_text="8").click()
        page.locator('.event-marker[title="Bamako"]').nth(5).click()
        page.locator(".leaflet-popup-content").wait_for(state="visible")
        page.wait_for_timeout(600)  # the popup's fade-in and the map's pan to show it
        with atomic_path(target) as temporary:
            temporary.write_bytes(page.screenshot())
        browser.close()
    return target


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs" / "img"
    for path in main(target):
        print(path)
