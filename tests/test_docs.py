"""Docs move with code: pages name what the code has, links resolve, examples run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sahel_events.schema.checks import CHECKS

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
# A file whose name starts with "_" is a module the examples share, not an example.
EXAMPLES = sorted(
    path for path in (ROOT / "examples").glob("*.py") if not path.name.startswith("_")
)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_schema_page_documents_every_check() -> None:
    page = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    missing = [name for name in CHECKS if f"`{name}`" not in page]
    assert not missing, f"docs/schema.md does not document: {missing}"


def test_readme_quick_start_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


@pytest.mark.parametrize("page", [ROOT / "README.md", *DOCS], ids=lambda path: path.name)
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in LINK.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        if not (page.parent / target).exists():
            broken.append(target)
    assert not broken, f"{page.name} links to missing files: {broken}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_example_runs(example: Path, tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, str(example)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    assert process.stdout.strip(), "an example should show the reader something"
    assert "Traceback" not in process.stderr


#: transform.md's update and diff examples run on the files examples/transform_verbs.py
#: makes (and that example runs them, above); every other page's examples stand alone.
PAGES_WITH_EXAMPLES = [
    page
    for page in DOCS
    if ">>> " in page.read_text(encoding="utf-8") and page.name != "transform.md"
]


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda path: path.name)
def test_page_examples_give_what_the_page_says(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``>>>`` examples of a page, run as doctests; a code fence ends an output."""
    import doctest

    text = re.sub(r"\n```", "\n\n```", page.read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT)
    test = doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output: list[str] = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)[-3000:]
    assert runner.tries > 0
