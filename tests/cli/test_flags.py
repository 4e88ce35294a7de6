"""Flags are spelled the same across commands: positional FILE, -o/--out, --format."""

from __future__ import annotations

import click
import pytest

from sahel_events.cli import COMMANDS, LazyGroup, main


def _command(name: str) -> click.Command:
    found = LazyGroup.get_command(main, click.Context(main), name)  # type: ignore[arg-type]
    assert found is not None
    return found


def _options(command: click.Command) -> dict[str, set[str]]:
    return {
        param.name or "": set(param.opts)
        for param in command.params
        if isinstance(param, click.Option)
    }


@pytest.mark.parametrize("name", ["export", "map"])
def test_commands_that_write_a_file_take_file_and_dash_o(name: str) -> None:
    command = _command(name)
    arguments = [param.name for param in command.params if isinstance(param, click.Argument)]
    assert arguments == ["file"]
    assert {"-o", "--out"} <= _options(command)["out"]


@pytest.mark.parametrize("name", ["export", "map", "validate"])
def test_commands_with_a_choice_of_format_call_it_format(name: str) -> None:
    options = _options(_command(name))
    assert any("--format" in opts for opts in options.values()), options


def test_every_command_has_quiet_where_it_prints_progress() -> None:
    for name in ("export", "map", "validate", "build", "geocode"):
        options = _options(_command(name))
        assert options.get("quiet") == {"-q", "--quiet"}, (name, options.get("quiet"))
    assert set(COMMANDS) >= {"export", "map", "validate", "build", "geocode", "schema"}


def test_map_format_and_html_cannot_contradict(tmp_path: object) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["map", "x.csv", "--html", "--format", "png"])
    assert result.exit_code == 2
    assert "contradict" in result.output
