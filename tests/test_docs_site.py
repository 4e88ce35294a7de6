"""The docs site builds offline with --strict, and its pages hold what they should."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("mkdocstrings_handlers.python")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert result.returncode == 0, "\n".join(warnings) or result.stderr[-3000:]
    return out


def _page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("schema", "The event schema"),
        ("validate", "Validating contributed event files"),
        ("variants", "Reading ACLED files of every vintage"),
        ("geocoding", "Geocoding place names offline"),
        ("coding", "Coding an article into events"),
        ("coding-reference", "Coding reference"),
        ("dataset", "france_mali_2025"),
        ("parquet", "GeoParquet"),
        ("exports", "HXL"),
        ("plots", "Maps and timelines"),
        ("performance", "Performance"),
        ("security", "ecurity"),
        ("changelog", "0.1.0 (unreleased)"),
    ],
)
def test_guides_are_built(site: Path, page: str, expected: str) -> None:
    assert expected in _page(site, page)


def test_home_has_quick_start_and_the_map(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="quick-start"' in home
    assert 'src="img/first_dataset_map.png"' in home
    assert (site / "img" / "first_dataset_map.png").read_bytes() == (
        ROOT / "docs" / "img" / "first_dataset_map.png"
    ).read_bytes()


@pytest.mark.parametrize(
    ("page", "anchors"),
    [
        ("api/validation", ["sahel_events.validation.validate"]),
        ("api/report", ["sahel_events.validation.report.ValidationReport"]),
        ("api/read", ["sahel_events.read.read_events", "sahel_events.read.iter_events"]),
        ("api/geo", ["sahel_events.geo.geocode", "sahel_events.geo.country_shapes"]),
        ("api/write", ["sahel_events.write.write_events", "sahel_events.write.write_csv"]),
        ("api/plot", ["sahel_events.plot.map_events", "sahel_events.plot.timeline"]),
        ("api/exc", ["sahel_events.exc.SahelEventsError", "sahel_events.exc.UsageError"]),
        ("api/coding", ["sahel_events.coding.dates", "sahel_events.coding.evidence"]),
        ("api/datasets", ["sahel_events.datasets.load"]),
        ("api/schema", ["sahel_events.schema"]),
        ("api/export", ["sahel_events.export"]),
        ("api/vocabulary", ["sahel_events.vocabulary"]),
    ],
)
def test_api_pages_come_from_docstrings(site: Path, page: str, anchors: list[str]) -> None:
    html = _page(site, page)
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor


def test_api_page_renders_the_docstring_text(site: Path) -> None:
    html = _page(site, "api/plot")
    # From map_events' docstring, its Args section rendered as a table of parameters.
    assert "background events" in html
    assert "<code>extent</code>" in html


def test_sphinx_roles_do_not_show(site: Path) -> None:
    """Docstrings say :func:`name`; the site shows just the name, as code."""
    for page in (site / "api").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r":(func|class|mod|data|meth|attr|exc):<code>", text), page
    assert "<code>load_source</code>" in _page(site, "api/coding")


def test_site_fetches_nothing(site: Path) -> None:
    """No web fonts or other remote assets: the site is readable offline."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text, page
        assert "fonts.gstatic.com" not in text, page
        remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', text)
        assert not remote, (page, remote)


def test_links_to_repository_files_point_at_the_repository(site: Path) -> None:
    html = _page(site, "plots")
    assert (
        "https://github.com/sahel-events/sahel_events/blob/main/examples/first_dataset.ipynb"
        in (html)
    )
    assert 'href="../examples/' not in html


def test_docs_images_script_draws_the_committed_pictures(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.image

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "docs_images.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name, size in [
        ("first_dataset_map.png", (800, 1000)),
        ("first_dataset_timeline.png", (360, 1000)),
    ]:
        drawn = matplotlib.image.imread(tmp_path / name)
        committed = matplotlib.image.imread(ROOT / "docs" / "img" / name)
        assert drawn.shape[:2] == committed.shape[:2] == size
        # Fonts and anti-aliasing may differ between matplotlib versions; the picture may not.
        assert (abs(drawn - committed).max(axis=-1) > 0.1).mean() < 0.02, name
