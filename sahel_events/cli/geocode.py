"""``sahel-events geocode``: place names to coordinates, offline.

Exit codes: 0 found (or, for ``--file``, the output was written), 1 not found,
2 misuse (empty or over-long query, unknown country, unreadable file).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from sahel_events.cli._common import report_errors

#: Columns the batch mode appends to every row, in this order.
BATCH_COLUMNS: tuple[str, ...] = (
    "latitude",
    "longitude",
    "geo_precision",
    "matched_name",
    "country",
    "iso",
    "admin1",
    "feature_kind",
    "geonames_id",
    "matched_alias",
    "alternatives",
    "status",
)


@click.command(name="geocode")
@click.argument("query", required=False)
@click.option(
    "--country", "-c", help="Country hint: ISO alpha-2, alpha-3 or a name (ML, MLI, Mali)."
)
@click.option(
    "--all", "show_all", is_flag=True, help="Show every match, ranked, not only the best."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the Location's raw fields).")
@click.option(
    "--file",
    "input_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Geocode a column of a CSV file (UTF-8).",
)
@click.option("--column", help="With --file: the column holding the place names.")
@click.option("--country-column", help="With --file: a column holding each row's country hint.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --file: write the CSV here (default: standard output).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@report_errors
def command(
    query: str | None,
    country: str | None,
    show_all: bool,
    as_json: bool,
    input_file: Path | None,
    column: str | None,
    country_column: str | None,
    out: Path | None,
    quiet: bool,
) -> None:
    """Geocode QUERY (a place, country or border area, in Latin or Arabic script).

    \b
    Examples:
      sahel-events geocode Gao
      sahel-events geocode Gao --country BF --json
      sahel-events geocode "باماكو"
      sahel-events geocode "Mali-Niger border"
      sahel-events geocode --file places.csv --column location --out geocoded.csv
    """
    from sahel_events.exc import UsageError

    if input_file is not None:
        if query is not None:
            raise UsageError("give either a QUERY or --file, not both")
        if not column:
            raise UsageError("--file needs --column, the column of place names")
        _batch(input_file, column, country, country_column, out, quiet)
        return
    if query is None:
        raise UsageError("give a QUERY to geocode, or --file with --column")
    for name, value in (("--column", column), ("--country-column", country_column), ("--out", out)):
        if value is not None:
            raise UsageError(f"{name} only applies with --file")
    _single(query, country, show_all, as_json)


def _single(query: str, country: str | None, show_all: bool, as_json: bool) -> None:
    from sahel_events.geo import geocode_all

    result = geocode_all(query, country)
    locations = result if show_all else result[:1]
    if as_json:
        payload = [_json_record(location) for location in locations]
        click.echo(json.dumps(payload if show_all else payload[0], ensure_ascii=False, indent=2))
        return
    for rank, location in enumerate(locations, start=1):
        raw = location.raw
        prefix = f"{rank}. " if show_all else ""
        click.echo(
            f"{prefix}{location.address}\t{location.latitude:.4f}, {location.longitude:.4f}"
            f"\t{raw['feature_kind']}, geo_precision {raw['geo_precision']}"
        )
    if not show_all and locations[0].raw["alternatives"]:
        others = len(locations[0].raw["alternatives"])
        click.echo(f"({others} other place(s) share this name; --all lists them)", err=True)


def _json_record(location: Any) -> dict[str, Any]:
    return {
        "address": location.address,
        "latitude": location.latitude,
        "longitude": location.longitude,
        **location.raw,
    }


def _batch(
    path: Path,
    column: str,
    country: str | None,
    country_column: str | None,
    out: Path | None,
    quiet: bool,
) -> None:
    from sahel_events.exc import PlaceNotFound, UsageError
    from sahel_events.geo import geocode_all, resolve_country

    header, rows = _read_csv(path)
    for needed, option in ((column, "--column"), (country_column, "--country-column")):
        if needed is not None and needed not in header:
            raise UsageError(
                f"no column {needed!r} ({option}); the columns are {', '.join(header)}",
                path=path,
            )
    clash = [name for name in BATCH_COLUMNS if name in header and name != column]
    if clash:
        raise UsageError(
            f"the file already has column(s) {', '.join(clash)} that the output would overwrite",
            path=path,
        )
    default_hints = [resolve_country(country).alpha2] if country else []
    output_rows = []
    not_found = 0
    from sahel_events.cli._progress import progress_bar

    with progress_bar("geocoding", total=len(rows), quiet=quiet) as advance:
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            hints = default_hints
            if country_column and row.get(country_column, "").strip():
                try:
                    hints = [resolve_country(row[country_column]).alpha2, *default_hints]
                except UsageError as error:
                    raise UsageError(
                        error.message, path=path, row=number, column=country_column
                    ) from None
            try:
                fields = _batch_fields(geocode_all(row.get(column) or "", hints)[0])
            except (PlaceNotFound, UsageError) as error:
                # A bad cell is a finding about that row, not a reason to stop.
                not_found += 1
                fields = dict.fromkeys(BATCH_COLUMNS, "")
                fields["status"] = f"not found: {error.message}"
            output_rows.append({**row, **fields})
            advance(1)
    _write_csv(out, [*header, *BATCH_COLUMNS], output_rows)
    if not quiet:
        click.echo(
            f"{len(rows) - not_found} of {len(rows)} row(s) geocoded, {not_found} not found",
            err=True,
        )


def _batch_fields(location: Any) -> dict[str, Any]:
    raw = location.raw
    return {
        "latitude": f"{location.latitude:.4f}",
        "longitude": f"{location.longitude:.4f}",
        "geo_precision": raw["geo_precision"],
        "matched_name": raw["name"],
        "country": raw["acled_country"],
        "iso": raw["iso_numeric"],
        "admin1": raw["admin1"] or "",
        "feature_kind": raw["feature_kind"],
        "geonames_id": raw["geonames_id"] if raw["geonames_id"] is not None else "",
        "matched_alias": raw["matched_alias"],
        "alternatives": len(raw["alternatives"]),
        "status": "found",
    }


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    from sahel_events.exc import UnreadableFileError

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise UnreadableFileError("empty file: no header row", path=path)
            rows = []
            for row in reader:
                if None in row:  # more cells than header names
                    raise UnreadableFileError(
                        f"{len(header) + len(row[None])} cells for {len(header)} columns",
                        path=path,
                        row=reader.line_num,
                    )
                rows.append(row)
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=path) from None
    except IsADirectoryError:
        raise UnreadableFileError("is a folder, not a file", path=path) from None
    except PermissionError:
        raise UnreadableFileError("permission denied", path=path) from None
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"not UTF-8 text (byte {error.start}); save the file as UTF-8 CSV", path=path
        ) from None
    except csv.Error as error:
        raise UnreadableFileError(f"not a readable CSV: {error}", path=path) from None
    return list(header), rows


def _neutralised(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with text a spreadsheet would run as a formula prefixed by ``'``.

    The rows echo the input file, which may come from anyone; the rule is
    :func:`sahel_events.write.neutralize_formulas`'s. Our coordinates are numbers,
    not text, and keep their sign.
    """
    from sahel_events.write import FORMULA_TRIGGERS

    numeric = {"latitude", "longitude"}
    return [
        {
            name: "'" + value
            if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and name not in numeric
            else value
            for name, value in row.items()
        }
        for row in rows
    ]


def _header_row(header: list[str]) -> dict[str, str]:
    """The header line, its names neutralised like the cells (a column may be named '=...')."""
    from sahel_events.write import FORMULA_TRIGGERS

    return {name: "'" + name if name.startswith(FORMULA_TRIGGERS) else name for name in header}


def _write_csv(out: Path | None, header: list[str], rows: list[dict[str, Any]]) -> None:
    """Write to ``out`` through a temporary file renamed into place, or to stdout."""
    from sahel_events.exc import OutputError

    rows = _neutralised(rows)

    if out is None:
        writer = csv.DictWriter(sys.stdout, fieldnames=header, lineterminator="\n")
        writer.writerow(_header_row(header))
        writer.writerows(rows)
        return
    folder = out.resolve().parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write in {folder}: {error.strerror}", path=out) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
            writer.writerow(_header_row(header))
            writer.writerows(rows)
        os.replace(temporary, out)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", path=out) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
