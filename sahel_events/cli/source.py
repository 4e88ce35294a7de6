"""``sahel-events source add``: register a text as a source, with its metadata and SHA-256."""

from __future__ import annotations

from pathlib import Path

import click

from sahel_events.cli._common import report_errors


@click.group(name="source")
def command() -> None:
    """Register source texts for coding."""


@command.command(name="add")
@click.argument("text_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--id", "source_id", required=True, help="The new source's id, e.g. lefaso-20250916-djibo."
)
@click.option("--publisher", required=True, help="The outlet that published the text.")
@click.option("--published", required=True, help="Publication date, YYYY-MM-DD.")
@click.option("--language", required=True, help="BCP 47 language tag: ar, fr, en...")
@click.option("--url", default=None, help="Where the text was published.")
@click.option("--title", default=None, help="Headline; default the text's first line.")
@click.option("--agency", default=None, help="News agency behind the text (AFP, Reuters...).")
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("sources"),
    show_default=True,
    help="Folder of sources to register it in (created if missing).",
)
@report_errors
def add(
    text_file: Path,
    source_id: str,
    publisher: str,
    published: str,
    language: str,
    url: str | None,
    title: str | None,
    agency: str | None,
    sources_dir: Path,
) -> None:
    """Copy TEXT_FILE into the sources folder as <id>.txt and write <id>.yaml beside it.

    An id that exists is refused: a registered text never changes under its sheet.
    """
    from sahel_events._terminal import escape
    from sahel_events.coding.sources import add_source

    source = add_source(
        text_file,
        source_id=source_id,
        publisher=publisher,
        published=published,
        language=language,
        url=url,
        title=title,
        agency=agency,
        sources_dir=sources_dir,
    )
    click.echo(f"registered {source.id}: {escape(source.path)} (sha256 {source.sha256})")
