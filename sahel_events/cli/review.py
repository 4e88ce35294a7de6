"""``sahel-events review``: one offline HTML page to check a coding sheet against its source."""

from __future__ import annotations

from pathlib import Path

import click

from sahel_events.cli._common import report_errors


@click.command(name="review")
@click.argument("sheet", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of source texts. Default: the packaged sources.",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The page to write. Default: SHEET with .html.",
)
@report_errors
def command(sheet: Path, sources_dir: Path | None, out: Path | None) -> None:
    """Write a review page for SHEET: the article with every evidence span in its event's color."""
    from sahel_events.coding.review import write_review

    path = write_review(sheet, out, sources_dir=sources_dir)
    click.echo(f"written: {path}")
