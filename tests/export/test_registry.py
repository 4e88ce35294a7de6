"""The export registry is the one list of formats: the CLI, defaults and options read it."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import sahel_events.export as export_package
from sahel_events.exc import UsageError
from sahel_events.export import EXTENSIONS, FORMATS, REGISTRY, ExportFormat, export_format


def test_every_format_module_is_registered_once() -> None:
    modules = [
        importlib.import_module(f"sahel_events.export.{info.name}")
        for info in pkgutil.iter_modules(export_package.__path__)
        if not info.name.startswith("_")
    ]
    formats = [module.FORMAT for module in modules if hasattr(module, "FORMAT")]
    assert len(formats) == len(modules)  # one module per format, each with its FORMAT
    assert all(isinstance(format_, ExportFormat) for format_ in formats)
    assert sorted(format_.name for format_ in formats) == sorted(REGISTRY)
    assert all(REGISTRY[format_.name] is format_ for format_ in formats)


def test_the_listings_are_read_from_the_registry() -> None:
    assert {name: format_.description for name, format_ in REGISTRY.items()} == FORMATS
    assert {name: format_.extension for name, format_ in REGISTRY.items()} == EXTENSIONS


def test_the_command_line_offers_exactly_the_registered_formats() -> None:
    from sahel_events.cli.export import command

    option = next(param for param in command.params if param.name == "to")
    assert list(option.type.choices) == list(REGISTRY)  # type: ignore[attr-defined]
    assert {"--to", "--format"} <= set(option.opts)
    out = next(param for param in command.params if param.name == "out")
    assert {"-o", "--out"} <= set(out.opts)


def test_unknown_formats_and_options_are_refused_by_the_registry() -> None:
    with pytest.raises(UsageError, match="unknown export format 'kml'"):
        export_format("kml")
    with pytest.raises(UsageError, match="takes no option ucdp_scope"):
        REGISTRY["geojson"].check_options({"ucdp_scope": True})


def test_only_folder_formats_refuse_standard_output(tmp_path: Path) -> None:
    from sahel_events.export import export
    from sahel_events.testing import synthetic_events

    events = synthetic_events(2, seed=1)
    for name, format_ in REGISTRY.items():
        assert format_.streamable is not format_.folder, name
    with pytest.raises(UsageError, match="folder of files"):
        export(events, "datapackage", "-")
