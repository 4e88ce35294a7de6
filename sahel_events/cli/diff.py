"""``sahel-events diff``: added, removed and changed events between two files."""

from __future__ import annotations

import click

from sahel_events.cli._common import report_errors


@click.command(name="diff")
@click.argument("a", type=click.Path(dir_okay=False))
@click.argument("b", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: a readable summary; json or csv: one record per change.",
)
@click.option(
    "--ignore",
    default="",
    help="Comma-separated columns not to compare (e.g. timestamp).",
)
@click.option(
    "-o", "--out", "out", default="-", show_default=True, help="Where to write ('-': stdout)."
)
@click.option("--quiet", "-q", is_flag=True, help="No warnings on stderr.")
@report_errors
def command(a: str, b: str, output_format: str, ignore: str, out: str, quiet: bool) -> None:
    """What changed from A to B (any two files read_events reads), event by event.

    Events are matched by event_id_cnty. For two builds of a dataset the changed
    fields are the coding changes.

    \b
    Examples:
      sahel-events diff build_old/events.parquet build/events.parquet
      sahel-events diff june.csv july.csv --ignore timestamp --format csv -o changes.csv

    Exit codes: 0 compared (whether or not anything changed); 1 a file's event ids
    repeat or are missing; 2 unreadable input or misuse.
    """
    from sahel_events.cli._transform import read_dyadic, write_text
    from sahel_events.transform import diff

    before = read_dyadic(a, quiet=quiet)
    after = read_dyadic(b, quiet=quiet)
    columns = tuple(name.strip() for name in ignore.split(",") if name.strip())
    result = diff(before, after, ignore=columns, names=(a, b))
    if output_format == "text":
        text = result.to_text()
    elif output_format == "json":
        text = result.to_json()
    else:
        text = result.to_frame().to_csv(index=False, lineterminator="\r\n")
    write_text(text, out)
