"""``sahel-events build``: code the sources into one validated Parquet file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sahel_events.cli._common import report_errors

if TYPE_CHECKING:
    from sahel_events.coding.build import BuildSummary


@click.command(name="build")
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of source texts (<id>.txt with <id>.yaml metadata). Default: the packaged sources.",
)
@click.option(
    "--codings",
    "codings_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of coding sheets (<source_id>.yaml). Default: the packaged coding sheets.",
)
@click.option(
    "--out",
    "out_dir",
    # Not file_okay=False: the library's check_output_folder refuses a file,
    # a device, a FIFO or a dangling link in the one-line form of every output.
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder to write events.parquet into.",
)
@click.option(
    "--actors",
    "actors_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Your own actor registry (YAML, as actors.yaml): extends and may override the shipped one.",
)
@click.option(
    "--places",
    "places_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Your own places (CSV or YAML: name, alternate_names, latitude, longitude, country, kind),"
    " looked up before the gazetteer.",
)
@click.option(
    "--package",
    "to_package",
    is_flag=True,
    help="Regenerate the dataset shipped inside the package (maintainers only).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@report_errors
def command(
    sources_dir: Path | None,
    codings_dir: Path | None,
    out_dir: Path,
    actors_file: Path | None,
    places_file: Path | None,
    to_package: bool,
    quiet: bool,
) -> None:
    """Build the event dataset from sources and coding sheets.

    Every evidence quote is found in its source, every date resolved, every place
    geocoded offline and every event validated; any problem is reported with its
    coding sheet, event and field, and then nothing is written.
    """
    from sahel_events.coding.build import build
    from sahel_events.exc import BuildError, UsageError

    filename = "events.parquet"
    if to_package:
        from sahel_events.datasets import DEFAULT_DATASET, dataset_path

        if sources_dir is not None or codings_dir is not None:
            raise UsageError("--package builds the packaged sources only; drop --sources/--codings")
        target = dataset_path(DEFAULT_DATASET)
        out_dir, filename = target.parent, target.name
    from sahel_events.cli._progress import progress_bar

    try:
        with progress_bar("coding sheets", quiet=quiet, unit="sheets") as advance:
            result = build(
                sources_dir,
                codings_dir,
                out_dir,
                filename=filename,
                actors=actors_file,
                places=places_file,
                progress=advance,
            )
    except BuildError as error:
        problems = error.problems
        if not problems or len(problems) == 1:
            raise
        # Every problem on its own line, so that a coder can fix them all at once.
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"error: {len(problems)} problems; nothing was written", err=True)
        sys.exit(error.exit_code)
    _print_summary(result.summary)


def _print_summary(summary: BuildSummary) -> None:
    if not sys.stdout.isatty():
        click.echo(summary.to_text())
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from sahel_events._text import strip_terminal

    def cell(value: object) -> Text:
        # Text, not markup: "[bold]" in a place name stays text; controls are stripped.
        return Text(strip_terminal(str(value)))

    console = Console(highlight=False)
    console.print(
        f"[bold]{summary.events}[/bold] events "
        f"({summary.events - summary.background_events} current, "
        f"{summary.background_events} background) from {summary.sources} source(s); "
        f"dates {summary.first_date} to {summary.last_date}"
    )
    types = Table("event type", "sub-event type", "events", title="Events by type")
    for event_type, sub_event_type, count in summary.by_type:
        types.add_row(cell(event_type), cell(sub_event_type), str(count))
    console.print(types)
    places = Table("location", "country", "events", title="Places")
    for place, country, count in summary.places:
        places.add_row(cell(place), cell(country), str(count))
    console.print(places)
    console.print(
        f"evidence: {summary.evidence_quotes} quotes covering "
        f"{summary.evidence_coverage:.1%} of the source text"
    )
    console.print(cell(f"written: {summary.path}\nsha256: {summary.sha256}"))
