"""The interactive map in a real browser: Debian's headless Chromium, driven by playwright, offline.

`make test` installs chromium when /usr/bin/chromium is missing; these tests
skip (saying why) only when no Chromium can be found at all. The browser's
network is off and every request but the page's own file is refused and
recorded: the page must draw, cluster, spiderfy and open every popup with
nothing from outside.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import sahel_events
from sahel_events import plot
from tests._browser import launch_chromium

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
)

VIEWPORT = {"width": 1100, "height": 800}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        launched = launch_chromium(driver)
        yield launched
        launched.close()


class OfflinePage:
    """A page with the network off; any request other than the file itself is refused and kept."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(offline=True, viewport=VIEWPORT)
        # Generous: the test machine is shared and Chromium may wait for a core.
        self.context.set_default_timeout(60_000)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("#map[data-ready=true]", timeout=15_000)

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()


@pytest.fixture
def first_dataset_page(browser, tmp_path) -> Iterator[OfflinePage]:
    path = plot.write_html(sahel_events.load(), tmp_path / "map.html")
    page = OfflinePage(browser, path)
    yield page
    page.context.close()


def _open_every_popup(page: Any, selector: str) -> dict[str, dict[str, Any]]:
    """Click each marker matching ``selector``; per event id, what its popup showed."""
    seen: dict[str, dict[str, Any]] = {}
    markers = page.locator(selector)
    for number in range(markers.count()):
        markers.nth(number).click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(state="visible")
        text = popup.inner_text()
        directions = popup.locator("blockquote.evidence").evaluate_all(
            "quotes => quotes.map(q => getComputedStyle(q).direction)"
        )
        event_id = text.split("(", 1)[1].split(")", 1)[0]
        seen[event_id] = {"text": text, "directions": directions}
        page.locator(".leaflet-popup-close-button").click()
        popup.wait_for(state="detached")
    return seen


def test_every_event_of_the_first_dataset_opens_offline(first_dataset_page):
    page = first_dataset_page.page
    events = sahel_events.load()
    # The base map is drawn: country outlines as SVG paths, their names as labels.
    assert page.locator(".leaflet-overlay-pane svg path").count() > 20
    names = page.locator(".country-name").all_inner_texts()
    assert {"Mali", "France", "Niger"} <= set(names)
    # Bamako's 8 events share one point: one cluster, which a click spiderfies.
    clusters = {text: None for text in page.locator(".event-cluster").all_inner_texts()}
    assert set(clusters) == {"8", "3"}
    bamako = page.locator('.event-marker[title="Bamako"]')
    assert bamako.count() == 0  # stacked in the cluster until it is clicked
    page.locator(".event-cluster", has_text="8").click()
    bamako.first.wait_for(state="visible")
    assert bamako.count() == 8
    seen = _open_every_popup(page, '.event-marker[title="Bamako"]')
    page.locator(".event-cluster", has_text="3").click()
    page.locator('.event-marker[title="Paris"]').first.wait_for(state="visible")
    seen |= _open_every_popup(page, '.event-marker[title="Paris"]')
    seen |= _open_every_popup(page, '.event-marker[title^="Mali-Niger"]')
    assert sorted(seen) == sorted(events["event_id_cnty"])
    for event in events.itertuples():
        shown = seen[event.event_id_cnty]
        assert event.location in shown["text"]
        assert event.notes.strip()[:40] in shown["text"]
        # The evidence is Arabic: each quote is set right to left.
        assert shown["directions"] == ["rtl"] * len(event.evidence.strip().splitlines())
        assert ("background event" in shown["text"]) == event.background
    assert first_dataset_page.refused == []
    assert first_dataset_page.errors == []


def test_legend_layer_control_and_screenshot(first_dataset_page):
    page = first_dataset_page.page
    legend = page.locator(".legend").inner_text()
    assert "Strategic developments" in legend
    assert "(12)" in legend
    assert "background event (hollow ring)" in legend
    swatch = page.locator(".legend .swatch").first.evaluate(
        "s => getComputedStyle(s).backgroundColor"
    )
    assert swatch == "rgb(0, 114, 178)"  # #0072B2, the Strategic developments color
    # The layer control hides the 5 background events: Bamako keeps its 5 current ones, Paris 2.
    page.get_by_label("Background events (5)").uncheck()
    assert sorted(page.locator(".event-cluster").all_inner_texts()) == ["2", "5"]
    assert page.locator(".event-marker").count() == 0  # the tri-border event is a background one
    page.get_by_label("Background events (5)").check()
    assert sorted(page.locator(".event-cluster").all_inner_texts()) == ["3", "8"]

    from PIL import Image

    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    assert shot.size == (VIEWPORT["width"], VIEWPORT["height"])
    pixels = np.asarray(shot).reshape(-1, 3)
    land = np.array([0xED, 0xEA, 0xE2])
    blue = np.array([0x00, 0x72, 0xB2])
    # Not a blank page: land, sea and event colors all cover real areas.
    assert (np.abs(pixels.astype(int) - land).max(axis=1) <= 3).mean() > 0.2
    assert (np.abs(pixels.astype(int) - blue).max(axis=1) <= 8).sum() > 200
    assert len(np.unique(pixels, axis=0)) > 50
    assert first_dataset_page.refused == []


def test_region_lines_are_drawn_under_the_borders(first_dataset_page):
    """Mali's, Niger's and Burkina Faso's admin-1 lines: one light path each, between land and borders."""
    from PIL import Image

    from sahel_events.plot import _style

    page = first_dataset_page.page
    paths = page.locator(".leaflet-regions-pane svg path")
    assert paths.count() == 3
    strokes = paths.evaluate_all(
        "ps => ps.map(p => [p.getAttribute('stroke'), p.getAttribute('fill')])"
    )
    assert strokes == [[_style.REGION_BORDER, "none"]] * 3
    # Each path is a real drawing: many segments, inside the map's window.
    assert min(len(d) for d in paths.evaluate_all("ps => ps.map(p => p.getAttribute('d'))")) > 200
    z = page.evaluate(
        "() => ['land', 'regions', 'overlay'].map("
        "n => Number(getComputedStyle(document.querySelector('.leaflet-' + n + '-pane')).zIndex))"
    )
    assert z[0] < z[1] < z[2]  # over the land, under the country borders (and the names, markers)
    # Drawn on screen: switching them off changes pixels, and only where the lines are.
    shown = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).astype(int)
    boxes = [paths.nth(i).bounding_box() for i in range(3)]
    page.get_by_label("Regions (admin-1)").uncheck()
    assert paths.count() == 0
    hidden = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).astype(int)
    changed = np.abs(shown - hidden).max(axis=-1) > 8
    control = page.locator(".leaflet-control-layers").bounding_box()  # its own checkbox changed
    changed[
        int(control["y"]) : int(control["y"] + control["height"]) + 1,
        int(control["x"]) : int(control["x"] + control["width"]) + 1,
    ] = False
    assert changed.sum() > 100
    rows, columns = np.nonzero(changed)
    inside = np.zeros(len(rows), dtype=bool)
    for box in boxes:
        inside |= (
            (columns >= box["x"] - 2)
            & (columns <= box["x"] + box["width"] + 2)
            & (rows >= box["y"] - 2)
            & (rows <= box["y"] + box["height"] + 2)
        )
    assert inside.all()
    page.get_by_label("Regions (admin-1)").check()
    assert paths.count() == 3
    assert first_dataset_page.refused == [] and first_dataset_page.errors == []


def test_suspect_events_and_hostile_notes_in_the_browser(browser, tmp_path):
    events = sahel_events.load()
    swapped = events.assign(latitude=events["longitude"], longitude=events["latitude"])
    swapped["notes"] = swapped["notes"].astype("object")
    swapped.loc[swapped.index[11], "notes"] = '<img src=x onerror="window.pwned=1"> & <b>bold</b>'
    path = plot.write_html(plot.map_html(swapped, flag_suspect=True), tmp_path / "s.html")
    offline = OfflinePage(browser, path)
    page = offline.page
    assert "over 50 km outside its country" in page.locator(".legend").inner_text()
    marker = page.locator('.event-marker.suspect[title^="Mali-Niger"]')
    marker.click()
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "km outside Mali" in text
    # The note is shown as text, never run as markup.
    assert '<img src=x onerror="window.pwned=1"> & <b>bold</b>' in text
    assert page.evaluate("window.pwned") is None
    assert page.locator(".leaflet-popup-content img").count() == 0
    assert offline.refused == []
    assert offline.errors == []
    offline.context.close()


def test_many_events_cluster_and_all_stay_reachable(browser, tmp_path):
    """2,000 synthetic events around a few dozen towns: the clusters hold every one of them."""
    from sahel_events.testing import synthetic_events

    frame = synthetic_events(2_000, seed=11)
    offline = OfflinePage(browser, plot.write_html(frame, tmp_path / "many.html"))
    page = offline.page
    counts = page.locator(".event-cluster").all_inner_texts()
    singles = page.locator(".event-marker").count()
    assert sum(int(count) for count in counts) + singles == 2_000
    assert len(counts) < 100  # clustered, not 2,000 markers
    assert offline.refused == [] and offline.errors == []
    offline.context.close()


def test_a_town_with_many_events_spiderfies_them_all(browser, tmp_path):
    """ACLED codes a town's events to one point: a real 2017-2020 Mali export has 240 rows at
    Bamako's. Here 60 invented events share Menaka's point; one click spreads all 60 out."""
    from sahel_events.testing import synthetic_events

    frame = synthetic_events(60, seed=12)
    frame["latitude"] = 15.9182
    frame["longitude"] = 2.4022
    frame["location"] = "Menaka"
    frame["country"] = "Mali"
    frame["background"] = False
    offline = OfflinePage(browser, plot.write_html(frame, tmp_path / "menaka.html"))
    page = offline.page
    assert page.locator(".event-cluster").all_inner_texts() == ["60"]
    markers = page.locator('.event-marker[title="Menaka"]')
    assert markers.count() == 0
    page.locator(".event-cluster").click()
    markers.first.wait_for(state="visible")
    assert markers.count() == 60
    # Each on its own spot: no two of the 60 markers stacked.
    spots = {
        (round(box["x"]), round(box["y"])) for box in (m.bounding_box() for m in markers.all())
    }
    assert len(spots) == 60
    # The last leg of the spiral opens its popup too.
    markers.nth(59).click()
    assert "Menaka" in page.locator(".leaflet-popup-content").inner_text()
    assert offline.refused == [] and offline.errors == []
    offline.context.close()
