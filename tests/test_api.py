"""The public API: what ``sahel_events.__all__`` promises is there and documented.

A name added to ``__all__`` without an API page, or a page naming a module that no
longer exists after a move, fails here before the docs site build does.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import sahel_events

ROOT = Path(__file__).resolve().parents[1]
API_PAGES = sorted((ROOT / "docs" / "api").glob("*.md"))
_DIRECTIVE = re.compile(r"^::: ([\w.]+)\n((?:    .*\n)*)", re.MULTILINE)
_MEMBERS = re.compile(r"members:\s*(\[[^\]]*\]|false|true)")

PUBLIC = [name for name in sahel_events.__all__ if name != "__version__"]


def _documented() -> dict[str, list[str] | None]:
    """Module documented by a ``:::`` directive -> its members filter (None: all)."""
    documented: dict[str, list[str] | None] = {}
    for page in API_PAGES:
        for module, options in _DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            found = _MEMBERS.search(options)
            if found is None or found.group(1) == "true":
                documented[module] = None
            elif found.group(1) == "false":
                documented[module] = []
            else:
                documented[module] = [
                    part.strip() for part in found.group(1).strip("[]").split(",") if part.strip()
                ]
    return documented


def test_dir_lists_exactly_the_public_names() -> None:
    assert dir(sahel_events) == sorted(sahel_events.__all__)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(sahel_events, name) is not None


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_an_api_page(name: str) -> None:
    value = getattr(sahel_events, name)
    home = sahel_events._LAZY[name]
    documented = _documented()
    # The name counts as documented on the page of the module it comes from or of
    # any package above it that re-exports it.
    parts = home.split(".")
    candidates = [".".join(parts[:length]) for length in range(len(parts), 1, -1)]
    for module in candidates:
        members = documented.get(module, [])
        if members is None or name in members:
            assert getattr(importlib.import_module(module), name) is value
            return
    pytest.fail(f"{name} ({home}) is on no page of docs/api/")


def test_every_documented_module_exists() -> None:
    for module, members in _documented().items():
        imported = importlib.import_module(module)
        for member in members or []:
            assert hasattr(imported, member), f"{module}.{member} is documented but absent"
