"""``sahel-events suggest``: a draft coding sheet for a registered source."""

from __future__ import annotations

from pathlib import Path

import click

from sahel_events.cli._common import report_errors


@click.command(name="suggest")
@click.argument("source_id")
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of source texts, as build takes it. Default: the packaged sources.",
)
@click.option(
    "--actors",
    "actors_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Your own actor registry, as build takes it.",
)
@click.option(
    "--places",
    "places_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Your own places table, as build takes it.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the draft here (refused if it exists). Default: standard output.",
)
@click.option("--coded-by", default="TODO", help="Your name, for the sheet's coded_by.")
@report_errors
def command(
    source_id: str,
    sources_dir: Path | None,
    actors_file: Path | None,
    places_file: Path | None,
    out: Path | None,
    coded_by: str,
) -> None:
    """Suggest a draft coding sheet for SOURCE_ID: every value with the words it came from.

    The draft is marked `draft: true`; edit it, check every value, delete the
    marks, then review and build it.
    """
    from sahel_events._io import write_text
    from sahel_events.coding.suggest import suggest
    from sahel_events.exc import UsageError

    draft = suggest(source_id, sources_dir=sources_dir, actors=actors_file, places=places_file)
    text = draft.to_yaml(coded_by=coded_by)
    if out is None:
        click.echo(text, nl=False)
        return
    if out.exists():
        raise UsageError("refusing to overwrite an existing file (a coder's edits)", path=out)
    write_text(out, text, newline="\n")
    click.echo(f"{len(draft.events)} suggested event(s) written to {out}", err=True)
