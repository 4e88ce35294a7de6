"""``sahel-events aggregate``: events and fatalities per area and period, as HDX publishes them."""

from __future__ import annotations

import click

from sahel_events.cli._common import report_errors

#: HDX's three ACLED aggregates -> the measures they hold.
HDX_FILES = {
    "political-violence": ("political_violence_events", "political_violence_fatalities"),
    "civilian-targeting": ("civilian_targeting_events", "civilian_targeting_fatalities"),
    "demonstrations": ("demonstration_events",),
}


@click.command(name="aggregate")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--dataset", default=None, help="Aggregate a packaged dataset instead of FILE.")
@click.option(
    "--by",
    default="country,admin1",
    show_default=True,
    help="Comma-separated columns that make a unit ('' for one series).",
)
@click.option(
    "--freq",
    type=click.Choice(["day", "week", "month", "quarter", "year"]),
    default="month",
    show_default=True,
    help="Period length (weeks run Saturday to Friday, as ACLED's).",
)
@click.option(
    "--measures",
    default="events,fatalities",
    show_default=True,
    help="Comma-separated measures (see docs/transform.md).",
)
@click.option(
    "--hdx",
    type=click.Choice(sorted(HDX_FILES)),
    default=None,
    help="The measures of one of HDX's ACLED files instead of --measures.",
)
@click.option(
    "--event-type", "event_types", multiple=True, help="Count only this event type (repeatable)."
)
@click.option("--fill-zeros", is_flag=True, help="A row for every unit and period, 0 when empty.")
@click.option("--start", default=None, help="First period (a date in it), e.g. 2024-01.")
@click.option("--end", default=None, help="Last period (a date in it).")
@click.option(
    "--to",
    "to",
    type=click.Choice(["csv", "hxl"]),
    default=None,
    help="csv, or hxl (HDX's tag row) [default: hxl for an --out ending .hxl.csv, else csv].",
)
@click.option(
    "-o", "--out", "out", default="-", show_default=True, help="Output file ('-': stdout)."
)
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
@report_errors
def command(
    file: str | None,
    dataset: str | None,
    by: str,
    freq: str,
    measures: str,
    hdx: str | None,
    event_types: tuple[str, ...],
    fill_zeros: bool,
    start: str | None,
    end: str | None,
    to: str | None,
    out: str,
    quiet: bool,
) -> None:
    """Count the events (and fatalities) of FILE per unit and period, in HDX's layout.

    \b
    Examples:
      sahel-events aggregate events.csv --by country,admin1 --freq month -o monthly.csv
      sahel-events aggregate events.parquet --hdx political-violence --fill-zeros -o pv.hxl.csv
      sahel-events aggregate --dataset france_mali_2025 --by country --freq week

    Exit codes: 0 written; 2 unreadable input, unwritable output or misuse.
    """
    from sahel_events.cli._common import events_from_file_or_dataset
    from sahel_events.cli._progress import info
    from sahel_events.exc import UsageError
    from sahel_events.export import export
    from sahel_events.transform import aggregate

    if (file is None) == (dataset is None):
        raise UsageError("give either FILE or --dataset NAME")
    if file is not None:
        from sahel_events.cli._transform import read_dyadic

        events = read_dyadic(file, quiet=quiet)
    else:
        events, _ = events_from_file_or_dataset(None, dataset)
    chosen = (
        HDX_FILES[hdx]
        if hdx
        else tuple(name.strip() for name in measures.split(",") if name.strip())
    )
    table = aggregate(
        events,
        by=tuple(name.strip() for name in by.split(",") if name.strip()),
        freq=freq,
        measures=chosen,
        event_types=list(event_types) or None,
        fill_zeros=fill_zeros,
        start=start,
        end=end,
    )
    target_format = to or ("hxl" if out.lower().endswith(".hxl.csv") else "csv")
    written = export(table, target_format, out)
    undated = table.attrs.get("undated_events", 0)
    if undated:
        info(f"warning: {undated} event(s) without a date are in no period", quiet=quiet)
    if written is not None:
        info(f"wrote {written} ({len(table)} rows, {target_format})", quiet=quiet)
