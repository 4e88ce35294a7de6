"""``sahel-events validate``: check event files and report every failing row and column."""

from __future__ import annotations

import json
import sys
import warnings
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from sahel_events.cli._common import report_errors

if TYPE_CHECKING:
    from sahel_events import ValidationReport


@click.command(name="validate")
@click.argument("files", nargs=-1, required=True, type=click.Path())
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
    "--na-values",
    default=None,
    metavar="LIST",
    help="Comma-separated cell texts read as blank [default: NA,N/A,n/a,NULL,null,None,"
    "nan,NaN,#N/A,.]; give '' to read every text as written.",
)
@click.option(
    "--dayfirst",
    "date_order",
    flag_value="dayfirst",
    default=None,
    help="Read numeric dates whose values do not show the order (3/4/2024) day first.",
)
@click.option(
    "--monthfirst",
    "date_order",
    flag_value="monthfirst",
    help="Read such dates month first (American spreadsheets).",
)
@click.option("--sheet", default=None, help="Excel sheet to read (name, or 0-based index).")
@click.option(
    "--from",
    "source",
    type=click.Choice(["acled", "ucdp"]),
    default="acled",
    show_default=True,
    help="What the files hold: ACLED-style events, or UCDP GED (read through the crosswalk).",
)
@click.option(
    "--today",
    default=None,
    metavar="YYYY-MM-DD",
    help="The day events may not be dated after [default: the date of the run, UTC]; "
    "give it for a report that does not depend on when it runs.",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=500_000,
    show_default=True,
    help="Rows read and checked at a time; smaller uses less memory. With --engine spark:"
    " rows an executor checks at once [default there: 200000].",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar. The report and errors are always written.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="local: in this process, in chunks. spark: on Spark (Parquet files and "
    "hive-partitioned dataset folders; needs the [spark] extra and Java; --sheet and "
    "--from ucdp do not apply).",
)
@click.option(
    "--master",
    default=None,
    help="Spark master for --engine spark, e.g. local[2] or spark://host:7077 "
    "[default: the session's, else local[2]].",
)
@report_errors
def command(
    files: tuple[str, ...],
    output_format: str,
    max_errors: int | None,
    strict: bool,
    tolerance_km: float | None,
    examples: int,
    na_values: str | None,
    date_order: str | None,
    sheet: str | None,
    source: str,
    today: str | None,
    chunk_rows: int,
    quiet: bool,
    engine: str,
    master: str | None,
) -> None:
    """Validate event FILES (CSV, Parquet, JSON Lines or Excel, any ACLED export variant).

    With --engine spark, FILES are Parquet files or hive-partitioned dataset folders
    (what write_dataset writes), validated on Spark with the same checks and report;
    --na-values, --dayfirst/--monthfirst and --chunk-rows apply there too, --sheet and
    --from ucdp are refused (exit 2).

    Exit codes: 0 every file is valid (warnings allowed unless --strict);
    1 a file is invalid; 2 a file cannot be read or the command is misused.
    Files are never modified. A progress bar is drawn on standard error when it
    is a terminal (not with --quiet); the report goes to standard output, free of
    terminal control sequences whatever the files hold.
    """
    from sahel_events._text import escape_json_controls, strip_terminal
    from sahel_events.cli._progress import progress_bar
    from sahel_events.exc import SahelEventsError
    from sahel_events.validation import validate

    if quiet:
        # -q promises the report and errors only: numeric warnings are not for the user.
        warnings.simplefilter("ignore", RuntimeWarning)
    markers = None if na_values is None else [m for m in na_values.split(",") if m]
    sheet_choice: str | int | None = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    if master is not None and engine != "spark":
        raise click.UsageError("--master goes with --engine spark")
    spark_chunk_rows: int | None = None
    if engine == "spark":
        _refuse_what_spark_cannot_do(sheet, source)
        context = click.get_current_context()
        if context.get_parameter_source("chunk_rows") is not ParameterSource.DEFAULT:
            spark_chunk_rows = chunk_rows  # else the Spark engine's own default
    exit_code = 0
    reports = []
    failures: list[dict[str, object]] = []
    for path in files:
        try:
            if engine == "spark":
                report = _validate_on_spark(
                    path,
                    master,
                    strict=strict,
                    max_errors=max_errors,
                    tolerance_km=tolerance_km,
                    today=today,
                    na_values=markers,
                    date_order=date_order,
                    chunk_rows=spark_chunk_rows,
                )
            else:
                with progress_bar(f"validating {path}", quiet=quiet) as advance:
                    report = validate(
                        path,
                        strict=strict,
                        max_errors=max_errors,
                        tolerance_km=tolerance_km,
                        progress=advance,
                        na_values=markers,
                        date_order=date_order,  # type: ignore[arg-type]
                        sheet=sheet_choice,
                        source=source,
                        chunk_rows=chunk_rows,
                        today=today,
                    )
        except SahelEventsError as error:
            click.echo(f"error: {error}", err=True)
            exit_code = max(exit_code, error.exit_code)
            failures.append(
                {"source": path, "valid": False, "error": str(error), "exit_code": error.exit_code}
            )
            continue
        reports.append(report)
        if not report.valid:
            exit_code = max(exit_code, 1)
        if output_format == "text":
            click.echo(strip_terminal(report.summary(examples=examples)))
        elif output_format == "csv":
            # Quoted fields keep their line breaks; the controls a terminal acts on go.
            text = strip_terminal(report.to_csv())
            click.echo(text if len(reports) == 1 else text.split("\n", 1)[1], nl=False)
    if output_format == "json":
        documents = [report.to_dict() for report in reports] + failures
        payload = documents[0] if len(files) == 1 and documents else documents
        text = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
        click.echo(escape_json_controls(text))
    sys.exit(exit_code)


def _refuse_what_spark_cannot_do(sheet: str | None, source: str) -> None:
    """Options of the in-process reader that the Spark engine cannot honour: refused, not ignored.

    The Spark engine reads Parquet through Spark and checks ACLED-format rows on the
    executors; ``--na-values``, ``--dayfirst``/``--monthfirst`` and ``--chunk-rows``
    are passed to it, these two cannot be.
    """
    if sheet is not None:
        raise click.UsageError(
            "--sheet does not go with --engine spark: the Spark engine reads Parquet files"
            " and datasets, which have no sheets; validate the workbook without --engine"
            " spark"
        )
    if source == "ucdp":
        raise click.UsageError(
            "--from ucdp does not go with --engine spark: UCDP GED comes as CSV, Excel or"
            " GeoJSON and its crosswalk reads whole files in process, which Spark does not"
            " run; validate it without --engine spark, or convert it once to ACLED-format"
            " Parquet (write_events(read_events(path, source='ucdp'), 'ged.parquet'))"
            " and validate that on Spark"
        )


def _validate_on_spark(
    path: str,
    master: str | None,
    *,
    strict: bool,
    max_errors: int | None,
    tolerance_km: float | None,
    today: str | None,
    na_values: list[str] | None,
    date_order: str | None,
    chunk_rows: int | None,
) -> ValidationReport:
    from sahel_events.spark import DEFAULT_CHUNK_ROWS, get_session, validate

    return validate(
        path,
        spark=get_session(master),
        strict=strict,
        max_errors=max_errors,
        tolerance_km=tolerance_km,
        today=today,
        na_values=na_values,
        date_order=date_order,  # type: ignore[arg-type]
        chunk_rows=DEFAULT_CHUNK_ROWS if chunk_rows is None else chunk_rows,
    )
