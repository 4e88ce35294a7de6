"""The examples in the coding modules' docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "sahel_events._text",  # the evidence, look-up and actor folds the coding modules use
    "sahel_events.coding.actors",
    "sahel_events.coding.dates",
    "sahel_events.coding.evidence",
    "sahel_events.coding.sheet",
    "sahel_events.coding.sources",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_there_are_examples_to_run() -> None:
    attempted = sum(doctest.testmod(importlib.import_module(name)).attempted for name in MODULES)
    assert attempted >= 8


def test_package_exports_resolve_lazily() -> None:
    import sahel_events.coding as coding

    for name in coding.__all__:
        assert getattr(coding, name) is not None
    with pytest.raises(AttributeError):
        coding.no_such_name  # noqa: B018
