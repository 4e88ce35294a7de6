"""``sahel-events validate``: check event files and report every failing row and column."""

from __future__ import annotations

import json
import sys

import click

from sahel_events.cli._common import report_errors


@click.command(name="validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Report format, written to standard output.",
)
@click.option(
    "--max-errors",
    type=click.IntRange(min=0),
    default=None,
    help="Keep at most N entries per file (counts per check stay complete).",
)
@click.option("--strict", is_flag=True, help="Warnings fail validation too.")
@click.option(
    "--tolerance-km",
    type=click.FloatRange(min=0),
    default=None,
    help="How far outside its country a point may lie before a warning [default: 50].",
)
@click.option(
    "--examples",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Examples shown per check in the text report.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar. The report and errors are always written.",
)
@report_errors
def command(
    files: tuple[str, ...],
    output_format: str,
    max_errors: int | None,
    strict: bool,
    tolerance_km: float | None,
    examples: int,
    quiet: bool,
) -> None:
    """Validate event FILES (CSV, Parquet, JSON Lines or Excel, any ACLED export variant).

    Exit codes: 0 every file is valid (warnings allowed unless --strict);
    1 a file is invalid; 2 a file cannot be read or the command is misused.
    Files are never modified. A progress bar is drawn on standard error when it
    is a terminal (not with --quiet); the report goes to standard output.
    """
    from sahel_events.cli._progress import progress_bar
    from sahel_events.exc import SahelEventsError
    from sahel_events.validation import validate

    exit_code = 0
    reports = []
    for path in files:
        try:
            with progress_bar(f"validating {path}", quiet=quiet) as advance:
                report = validate(
                    path,
                    strict=strict,
                    max_errors=max_errors,
                    tolerance_km=tolerance_km,
                    progress=advance,
                )
        except SahelEventsError as error:
            click.echo(f"error: {error}", err=True)
            exit_code = max(exit_code, error.exit_code)
            continue
        reports.append(report)
        if not report.valid:
            exit_code = max(exit_code, 1)
        if output_format == "text":
            click.echo(report.summary(examples=examples))
        elif output_format == "csv":
            text = report.to_csv()
            click.echo(text if len(reports) == 1 else text.split("\n", 1)[1], nl=False)
    if output_format == "json":
        documents = [report.to_dict() for report in reports]
        payload = documents[0] if len(files) == 1 and documents else documents
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    sys.exit(exit_code)
