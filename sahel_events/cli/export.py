"""``sahel-events export``: events to ACLED CSV, HXL, GeoJSON, UCDP GED-style or a Data Package."""

from __future__ import annotations

from pathlib import Path

import click

from sahel_events.cli._common import events_from_file_or_dataset, report_errors
from sahel_events.export import REGISTRY


@click.command(name="export")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--to",
    "--format",
    "to",
    type=click.Choice(list(REGISTRY)),
    required=True,
    help="Output format (see docs/exports.md).",
)
@click.option(
    "-o",
    "--out",
    "out",
    default=None,
    help="Output file (a folder for datapackage), or '-' for standard output "
    "(csv, hxl, geojson, ucdp). Default: beside FILE, e.g. FILE.hxl.csv.",
)
@click.option(
    "--dataset",
    "dataset",
    default=None,
    help="Export a dataset shipped with the package (e.g. france_mali_2025) instead of FILE.",
)
@click.option(
    "--with-provenance",
    is_flag=True,
    help="Also write source_id, evidence, evidence_offsets and background (csv, hxl, geojson).",
)
@click.option(
    "--ucdp-scope",
    is_flag=True,
    help="ucdp: keep only events UCDP GED would count (a type of violence, at least one death).",
)
@click.option(
    "--license",
    "license_id",
    default=None,
    help="datapackage: the data's licence as an SPDX id "
    "[default: CC-BY-4.0 for --dataset, none otherwise].",
)
@click.option("--title", default=None, help="datapackage: a title for the package.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary line on stderr.")
@report_errors
def command(
    file: str | None,
    to: str,
    out: str | None,
    dataset: str | None,
    with_provenance: bool,
    ucdp_scope: bool,
    license_id: str | None,
    title: str | None,
    quiet: bool,
) -> None:
    """Export the events of FILE (any file read_events reads) to another format.

    \b
    Examples:
      sahel-events export events.csv --to hxl
      sahel-events export build/events.parquet --to geojson --out - | jq .features[0]
      sahel-events export --dataset france_mali_2025 --to datapackage --out package/

    Exit codes: 0 written; 1 the file's content cannot be exported (an infinite
    coordinate in GeoJSON); 2 unreadable input, unwritable output or misuse. Files
    are written atomically: an interrupted export leaves any previous output as it
    was. The output is never FILE itself, nor a device, FIFO or other special file.
    With --out -, a reader that stops early (| head) ends the export quietly, with
    exit code 141 as for any command killed by SIGPIPE.
    """
    from sahel_events._text import escape_controls
    from sahel_events.cli._progress import info, progress_bar
    from sahel_events.exc import UsageError
    from sahel_events.export import default_output, export

    if (file is None) == (dataset is None):
        raise UsageError("give either FILE or --dataset NAME")
    if to == "datapackage" and out == "-":
        raise UsageError("a datapackage is a folder of files; give --out a folder, not '-'")
    if ucdp_scope and to != "ucdp":
        raise UsageError("--ucdp-scope applies to --to ucdp only")
    if (license_id or title) and to != "datapackage":
        raise UsageError("--license and --title apply to --to datapackage only")
    if with_provenance and to == "ucdp":
        raise UsageError("--with-provenance does not apply to --to ucdp")

    with progress_bar(f"reading {file or dataset}", quiet=quiet) as advance:
        events, source = events_from_file_or_dataset(file, dataset)
        advance(len(events))
    issues = events.attrs.get("reader_issues")
    if issues is not None and len(issues):
        # Cells, not notes about the file (a marker read as blank, a renamed column).
        cells = issues[issues["row"].notna() & (issues["severity"] != "note")]
        for message in issues.loc[
            issues["row"].isna() & (issues["severity"] == "error"), "message"
        ]:
            # About the whole file: a GeoJSON whose features have no coordinates at all.
            info(f"warning: {escape_controls(source.name)}: {message}", quiet=quiet)
        if to == "geojson":  # said below, as the events without coordinates
            cells = cells[cells["check"] != "feature_without_geometry"]
        if len(cells):
            info(
                f"warning: {len(cells)} cell(s) of {escape_controls(source.name)} could not be"
                " read and are exported empty; `sahel-events validate"
                f" {escape_controls(str(source))}` lists them",
                quiet=quiet,
            )
    if to == "geojson" and len(events):
        unlocated = int((events["latitude"].isna() | events["longitude"].isna()).sum())
        if 0 < unlocated < len(events):  # none located at all is refused by the export
            info(
                f"warning: {unlocated} of {len(events)} events of"
                f" {escape_controls(source.name)} have no coordinates: their features get a"
                " null geometry",
                quiet=quiet,
            )

    chosen = REGISTRY[to]
    # Flags left unset are not passed, so each format keeps its own default
    # (a data package carries provenance unless told otherwise).
    offered: dict[str, object] = {
        "license": license_id or ("CC-BY-4.0" if dataset is not None else None),
        "title": title,
    }
    if with_provenance:
        offered["with_provenance"] = True
    if ucdp_scope:
        offered["ucdp_scope"] = True
    if dataset is not None:
        offered["name"] = dataset.replace("_", "-")
        offered["contributors"] = [{"title": "sahel_events contributors", "role": "author"}]
    options = {name: value for name, value in offered.items() if name in chosen.options}
    target: str | Path = out if out is not None else default_output(source, to)
    if out is not None and out != "-":
        target = Path(out)
    with progress_bar(f"writing {to}", quiet=quiet):
        written = export(events, to, target, inputs=[] if file is None else [file], **options)
    if written is not None:
        info(f"wrote {escape_controls(str(written))} ({len(events)} events, {to})", quiet=quiet)
