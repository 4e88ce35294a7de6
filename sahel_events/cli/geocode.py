"""``sahel-events geocode``: place names to coordinates, offline.

Exit codes: 0 found (or, for ``--file``, the output was written), 1 not found
(or a bad row in ``--places``), 2 misuse (empty or over-long query, unknown
country, unreadable file). The batch work is :mod:`sahel_events.geo.batch`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from sahel_events.cli._common import report_errors


@click.command(name="geocode")
@click.argument("query", required=False)
@click.option(
    "--country", "-c", help="Country hint, binding: ISO alpha-2, alpha-3 or a name (ML, MLI, Mali)."
)
@click.option(
    "--all", "show_all", is_flag=True, help="Show every match, ranked, not only the best."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the Location's raw fields).")
@click.option(
    "--places",
    "places_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A CSV or YAML file of your own places, answered first (source: user).",
)
@click.option(
    "--file",
    "input_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Geocode a column of a CSV file (UTF-8).",
)
@click.option("--column", help="With --file: the column holding the place names.")
@click.option("--country-column", help="With --file: a column holding each row's country hint.")
@click.option(
    "--prefix",
    default="geo_",
    show_default=True,
    help="With --file: prefix of the columns added to each row.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --file: write the CSV here (default: standard output).",
)
@click.option(
    "--on",
    "on",
    metavar="DATE",
    help="Admin units in force on this ISO date (default today): 'province du Soum' "
    "--on 2024-03-01 is in the Sahel region.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@report_errors
def command(
    query: str | None,
    country: str | None,
    show_all: bool,
    as_json: bool,
    places_file: Path | None,
    input_file: Path | None,
    column: str | None,
    country_column: str | None,
    prefix: str,
    out: Path | None,
    on: str | None,
    quiet: bool,
) -> None:
    """Geocode QUERY (a place, admin unit, country or border area, Latin or Arabic script).

    \b
    Examples:
      sahel-events geocode Gao --country ML
      sahel-events geocode "cercle de Bankass" --json
      sahel-events geocode "province du Soum" --country BF --on 2024-03-01
      sahel-events geocode "قرب ميناكا" --country ML
      sahel-events geocode "Mali-Niger border"
      sahel-events geocode Ogossagou --country ML --places my_places.csv
      sahel-events geocode --file places.csv --column location --out geocoded.csv
    """
    from sahel_events.exc import UsageError
    from sahel_events.geo import Gazetteer
    from sahel_events.geo.gazetteer import _default_gazetteer

    gazetteer = (
        Gazetteer(extra_places=places_file) if places_file is not None else _default_gazetteer()
    )
    if input_file is not None:
        if query is not None:
            raise UsageError("give either a QUERY or --file, not both")
        if not column:
            raise UsageError("--file needs --column, the column of place names")
        _batch(gazetteer, input_file, column, country, country_column, prefix, out, quiet, on)
        return
    if query is None:
        raise UsageError("give a QUERY to geocode, or --file with --column")
    for name, value in (("--column", column), ("--country-column", country_column), ("--out", out)):
        if value is not None:
            raise UsageError(f"{name} only applies with --file")
    _single(gazetteer, query, country, show_all, as_json, on)


def _single(
    gazetteer: Any, query: str, country: str | None, show_all: bool, as_json: bool, on: str | None
) -> None:
    from sahel_events.exc import PlaceNotFound
    from sahel_events.geo.gazetteer import _hints

    result = gazetteer._resolve(query, _hints(country), only_best=not show_all, on=on)
    if isinstance(result, str):
        raise PlaceNotFound(result)
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
            f"\t{raw['match']} {raw['score']:g}, {raw['source']}"
        )
    first = locations[0].raw
    if not show_all and first.get("ambiguous"):
        others = len(first["candidates"])
        click.echo(
            f"(ambiguous: {others} other place(s) of this name more than 50 km away; "
            "--all lists them, --country narrows)",
            err=True,
        )


def _json_record(location: Any) -> dict[str, Any]:
    return {
        "address": location.address,
        "latitude": location.latitude,
        "longitude": location.longitude,
        **location.raw,
    }


def _batch(
    gazetteer: Any,
    path: Path,
    column: str,
    country: str | None,
    country_column: str | None,
    prefix: str,
    out: Path | None,
    quiet: bool,
    on: str | None,
) -> None:
    from sahel_events.cli._progress import progress_bar
    from sahel_events.geo.batch import geocode_file

    with progress_bar("geocoding", quiet=quiet) as advance:
        summary = geocode_file(
            path,
            column,
            out=out,
            country=country,
            country_column=country_column,
            prefix=prefix,
            gazetteer=gazetteer,
            progress=advance,
            on=on,
        )
    if not quiet:
        click.echo(summary.line(), err=True)
