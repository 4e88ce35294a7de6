"""The ``sahel-events`` command line.

Each command lives in its own module and is imported only when it runs, so
``sahel-events --help`` answers without loading pandas.
"""

from __future__ import annotations

from importlib import import_module

import click

from sahel_events._version import __version__

#: command name -> "module:attribute" of its click command.
COMMANDS: dict[str, tuple[str, str]] = {
    "aggregate": (
        "sahel_events.cli.aggregate:command",
        "Count events and fatalities per area and month, as ACLED's files on HDX.",
    ),
    "build": (
        "sahel_events.cli.build:command",
        "Build the event dataset from sources and coding sheets.",
    ),
    "diff": (
        "sahel_events.cli.diff:command",
        "Show the events added, removed and changed between two files.",
    ),
    "export": (
        "sahel_events.cli.export:command",
        "Export events to ACLED CSV, HXL, GeoJSON, UCDP GED-style or a Data Package.",
    ),
    "geocode": (
        "sahel_events.cli.geocode:command",
        "Geocode place names offline with the embedded gazetteer.",
    ),
    "map": (
        "sahel_events.cli.map:command",
        "Draw events on a map: a PNG, or an interactive HTML map with --html.",
    ),
    "review": (
        "sahel_events.cli.review:command",
        "Write an offline HTML page to review a coding sheet against its source.",
    ),
    "schema": (
        "sahel_events.cli.schema:command",
        "Export the event schema to schemas/ or check it is current.",
    ),
    "source": (
        "sahel_events.cli.source:command",
        "Register a source text for coding (source add).",
    ),
    "suggest": (
        "sahel_events.cli.suggest:command",
        "Suggest a draft coding sheet for a registered source.",
    ),
    "update": (
        "sahel_events.cli.update:command",
        "Merge a newer ACLED export into a local copy, honouring deletions.",
    ),
    "validate": (
        "sahel_events.cli.validate:command",
        "Validate event files (CSV, Parquet, JSON Lines, Excel).",
    ),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute = entry[0].split(":")
        return getattr(import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="sahel-events")
def main() -> None:
    """ACLED-style event data for the Sahel: validate, geocode, build."""
