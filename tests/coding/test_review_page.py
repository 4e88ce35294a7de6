"""The review page: offline, escaped, and checked in a real browser (headless chromium)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.coding.build import packaged_codings_dir
from sahel_events.coding.evidence import find_quote
from sahel_events.coding.review import review_page, write_review
from sahel_events.coding.sheet import load_yaml
from sahel_events.coding.sources import load_source
from sahel_events.coding.suggest import suggest
from tests._browser import offline_page
from tests.coding._articles import register

SHEET = packaged_codings_dir() / "afp-20250919-france-mali-crisis.yaml"


def test_the_page_is_self_contained_and_escaped(tmp_path: Path) -> None:
    sheet = load_yaml(SHEET)
    sheet["events"][0]["notes"] = "<script>alert('x')</script> & <b>bold</b>"
    path = tmp_path / "afp-20250919-france-mali-crisis.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    page = review_page(path)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)" in page
    for remote in ("src=", "href=", "<link", "<img", "@import", "url("):
        assert remote not in page
    assert "default-src 'none'" in page
    assert page.count('class="card"') == len(sheet["events"])


def test_write_review_never_replaces_the_sheet(tmp_path: Path) -> None:
    from sahel_events.exc import UsageError

    path = tmp_path / "s.html"
    path.write_text(SHEET.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UsageError):
        write_review(path, path)


def test_review_command(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["review", str(SHEET), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _expected_spans(
    sheet_path: Path, sources: Path | None = None
) -> dict[int, set[tuple[int, int]]]:
    sheet = load_yaml(sheet_path)
    text = load_source(sheet["source"], sources_dir=sources).text
    return {
        index: {find_quote(text, quote) for quote in event["evidence"]}
        for index, event in enumerate(sheet["events"])
    }


def test_clicking_a_card_outlines_its_spans_in_chromium(tmp_path: Path) -> None:
    out = write_review(SHEET, tmp_path / "review.html")
    expected = _expected_spans(SHEET)
    with offline_page(out.as_uri()) as (page, requests):
        # Arabic: the article reads right to left.
        assert page.eval_on_selector("#article", "e => getComputedStyle(e).direction") == "rtl"
        for index in (0, 3, len(expected) - 1):
            page.click(f"#card-{index}")
            outlined = page.eval_on_selector_all(
                "mark.outlined", "ms => ms.map(m => [+m.dataset.start, +m.dataset.end])"
            )
            assert outlined, index
            # Every outlined piece lies inside one of the event's quotes, and every
            # quote has an outlined piece.
            spans = expected[index]
            assert all(any(s <= a and b <= e for s, e in spans) for a, b in outlined)
            assert all(any(s <= a and b <= e for a, b in outlined) for s, e in spans)
            assert page.eval_on_selector(f"#card-{index}", "c => c.classList.contains('active')")
        # Clicking a span shows its event's card.
        first = page.query_selector("mark[data-events='2']") or page.query_selector("mark")
        event = first.get_attribute("data-events").split()[0]
        first.click()
        assert page.eval_on_selector(f"#card-{event}", "c => c.classList.contains('active')")
        png = page.screenshot()
        assert requests == []
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1280, 800)
    pixels = list(image.getdata())
    non_white = sum(1 for pixel in pixels if pixel != (255, 255, 255))
    assert non_white > 0.2 * len(pixels)  # text, highlights and cards, not a blank page
    assert len(set(pixels)) > 50  # many colors: highlights in several event colors


def test_a_draft_marks_its_suggested_values(tmp_path: Path) -> None:
    sources = register(tmp_path)
    draft = tmp_path / "test-fr.yaml"
    draft.write_text(suggest("test-fr", sources_dir=sources).to_yaml(), encoding="utf-8")
    out = write_review(draft, tmp_path / "draft.html", sources_dir=sources)
    with offline_page(out.as_uri()) as (page, requests):
        assert page.eval_on_selector("#article", "e => getComputedStyle(e).direction") == "ltr"
        badges = page.eval_on_selector_all(".card .badge", "bs => bs.map(b => b.textContent)")
        assert badges == ["suggested, not confirmed"] * 2
        todos = page.eval_on_selector_all(".card .todo", "ts => ts.length")
        assert todos >= 2  # notes: TODO on each card
        page.click("#card-1")
        outlined = page.eval_on_selector_all("mark.outlined", "ms => ms.map(m => m.textContent)")
        assert "".join(outlined).startswith("Mardi soir, des centaines de manifestants")
        assert requests == []
