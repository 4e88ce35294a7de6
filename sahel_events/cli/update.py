"""``sahel-events update``: merge a newer export into a local copy, honouring deletions."""

from __future__ import annotations

import click

from sahel_events.cli._common import report_errors


@click.command(name="update")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--deletions",
    type=click.Path(dir_okay=False),
    default=None,
    help="ACLED's deletions list: CSV or JSON of event_id_cnty and deleted_timestamp.",
)
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    help="The merged events: a .parquet, .csv or .xlsx file, written atomically.",
)
@click.option(
    "--log",
    "log",
    default=None,
    help="Also write the change log (one row per event touched) as CSV to this file.",
)
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
@report_errors
def command(
    old: str, new: str, deletions: str | None, out: str, log: str | None, quiet: bool
) -> None:
    """Bring OLD (a local copy) up to date with NEW (a newer ACLED export).

    Events are matched by event_id_cnty; of two versions the one with the later
    timestamp wins (NEW's on a tie). Events only in NEW are added; events only in
    OLD stay. Ids in --deletions are removed unless the version kept is newer than
    the deletion, so an export downloaded before a deletion cannot bring it back.

    \b
    Examples:
      sahel-events update mali.parquet mali_since_june.csv -o mali.parquet
      sahel-events update local.csv new.csv --deletions deleted.csv -o merged.parquet --log changes.csv

    Exit codes: 0 written; 1 a file's content cannot be merged (repeated ids, an
    unreadable deletion date); 2 unreadable input, unwritable output or misuse.
    """
    from sahel_events.cli._progress import info
    from sahel_events.cli._transform import read_dyadic, write_by_suffix, write_text
    from sahel_events.transform import read_deletions, update

    local = read_dyadic(old, quiet=quiet)
    newer = read_dyadic(new, quiet=quiet)
    listed = read_deletions(deletions) if deletions is not None else None
    result = update(local, newer, deletions=listed)
    written = write_by_suffix(result.events, out)
    if log is not None:
        write_text(result.changes.to_csv(index=False, lineterminator="\r\n"), log)
    info(f"wrote {written}: {result.summary()}", quiet=quiet)
