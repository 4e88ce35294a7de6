"""docs/security.md and tests/hostile/README.md name tests and cases that exist."""

from __future__ import annotations

import re
from pathlib import Path

from .corpus import CASES

ROOT = Path(__file__).resolve().parents[2]
SECURITY = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
README = (Path(__file__).parent / "README.md").read_text(encoding="utf-8")


def _references(text: str) -> list[tuple[str, str]]:
    """(file, test) pairs of `path::name` references and their `::name` follow-ups."""
    pairs = []
    current = None
    for match in re.finditer(r"`(tests/[\w/]+\.py)?::(\w+)(?:\[[^\]]*\])?`", text):
        current = match[1] or current
        assert current is not None, match[0]
        pairs.append((current, match[2]))
    return pairs


def test_every_test_the_security_page_names_exists() -> None:
    pairs = _references(SECURITY) + _references(README)
    assert len(pairs) > 40
    missing = [
        f"{path}::{name}"
        for path, name in pairs
        if not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)
    ]
    assert not missing


def test_every_case_named_exists_and_every_case_is_listed() -> None:
    names = {case.name for case in CASES}
    named = set(re.findall(r"`\[([a-z0-9-]+)\]`", SECURITY)) - {"case"}
    assert named <= names, named - names
    for case in CASES:
        assert f"`{case.name}`" in README, case.name


def test_every_file_the_pages_name_exists() -> None:
    for path in re.findall(r"`((?:tests|fuzz)/[\w/.]+\.py)", SECURITY + README):
        assert (ROOT / path).is_file(), path
