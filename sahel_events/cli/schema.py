"""``sahel-events schema``: export the event schema to standard formats."""

from __future__ import annotations

import sys

import click

from sahel_events.cli._common import report_errors


@click.group(name="schema")
def command() -> None:
    """Export the event schema to schemas/ or check it is current."""


@command.command(name="export")
@click.option(
    "--dir",
    "directory",
    default="schemas",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the schema files into.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if the files differ from the code."
)
@report_errors
def export(directory: str, check: bool) -> None:
    """Write the pandera YAML, Frictionless Table Schema and JSON Schemas.

    Files: acled_event.pandera.yaml, acled_event.table-schema.json,
    acled_event.schema.json and coding_sheet.schema.json.
    """
    from sahel_events.schema.export import check_exports, export_schemas

    if check:
        stale = check_exports(directory)
        if stale:
            click.echo(
                f"error: {directory}: stale or missing: {', '.join(stale)}; "
                "run `sahel-events schema export` and commit the result",
                err=True,
            )
            sys.exit(1)
        click.echo(f"{directory}: up to date")
        return
    for path in export_schemas(directory):
        click.echo(f"wrote {path}")
