"""``sahel-events map``: a PNG map of events, or an interactive HTML map."""

from __future__ import annotations

from pathlib import Path

import click

from sahel_events.cli._common import events_from_file_or_dataset, report_errors


@click.command(name="map")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--out",
    "out",
    default=None,
    help="Output file. Default: beside FILE, e.g. FILE.map.png (FILE.map.html with --html).",
)
@click.option(
    "--dataset",
    "dataset",
    default=None,
    help="Map a dataset shipped with the package (e.g. france_mali_2025) instead of FILE.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["png", "html"]),
    default=None,
    help="png (the default), or html: an interactive Leaflet map (the same as --html).",
)
@click.option(
    "--html",
    "as_html",
    is_flag=True,
    help="Write an interactive map (one self-contained HTML page that opens offline) "
    "with a popup per event.",
)
@click.option(
    "--width",
    type=click.IntRange(200, 8000),
    default=1000,
    show_default=True,
    help="PNG width in pixels.",
)
@click.option(
    "--height",
    type=click.IntRange(200, 8000),
    default=800,
    show_default=True,
    help="PNG height in pixels.",
)
@click.option(
    "--title", default=None, help="Title drawn above the map (PNG) or of the page (HTML)."
)
@click.option(
    "--flag-suspect",
    is_flag=True,
    help="Draw events more than 50 km outside their country (what the validator warns "
    "about: swapped coordinates, a lost minus sign) apart, as black crosses.",
)
@click.option("--no-labels", is_flag=True, help="Do not label locations (PNG).")
@click.option("--quiet", "-q", is_flag=True, help="No summary line on stderr.")
@report_errors
def command(
    file: str | None,
    out: str | None,
    dataset: str | None,
    output_format: str | None,
    as_html: bool,
    width: int,
    height: int,
    title: str | None,
    flag_suspect: bool,
    no_labels: bool,
    quiet: bool,
) -> None:
    """Draw the events of FILE (any file read_events reads) on a map.

    Events are colored by ACLED event type; background events (past events a
    source recounts) are hollow rings. Both maps are drawn over the package's
    country outlines; the HTML page carries everything it needs (Leaflet
    included) and opens offline. Events lying more than 50 km outside their
    country are counted in a warning on stderr; --flag-suspect draws them apart.

    \b
    Examples:
      sahel-events map events.csv -o map.png
      sahel-events map --dataset france_mali_2025 -o map.png --width 1200 --height 900
      sahel-events map events.parquet --html -o map.html
      sahel-events map events.parquet --format html -o map.html
      sahel-events map contributed.csv --flag-suspect

    Exit codes: 0 written; 1 the file's events cannot be mapped (no coordinates,
    or none on the globe); 2 unreadable input, unwritable output, a missing
    optional dependency or misuse. The output is written atomically.
    """
    from sahel_events._io import check_output
    from sahel_events._text import escape_controls
    from sahel_events.cli._progress import info
    from sahel_events.exc import InvalidDataError, UsageError

    if as_html and output_format == "png":
        raise UsageError("--html and --format png contradict each other; give one")
    as_html = as_html or output_format == "html"
    if as_html and no_labels:
        raise UsageError("--no-labels applies to the PNG map, not --html")
    events, source = events_from_file_or_dataset(file, dataset)
    if "latitude" not in events.columns or "longitude" not in events.columns:
        raise InvalidDataError("no latitude and longitude columns to map", path=source)
    import pandas as pd

    latitude = pd.to_numeric(events["latitude"], errors="coerce")
    longitude = pd.to_numeric(events["longitude"], errors="coerce")
    # What the maps draw (plot._style.located): on the globe, finite.
    located = latitude.between(-90, 90) & longitude.between(-180, 180)
    off_globe = latitude.notna() & longitude.notna() & ~located
    if not located.any():
        if off_globe.any():
            raise InvalidDataError(
                f"none of its {len(events)} events has coordinates on the globe: "
                f"{int(off_globe.sum())} lie beyond latitude -90..90 or longitude -180..180 "
                "(metres of a projected system such as EPSG:3857, not degrees?)",
                path=source,
            )
        raise InvalidDataError(f"none of its {len(events)} events has coordinates", path=source)
    suffix = ".map.html" if as_html else ".map.png"
    target = Path(out) if out is not None else source.with_name(source.stem + suffix)
    # Checked before drawing: never FILE itself, nor a device, FIFO or folder.
    check_output(target, inputs=[] if file is None else [file])

    from sahel_events import plot

    if off_globe.any():
        # Said even with --quiet, as the warning below: a point left out misleads as much.
        click.echo(
            f"warning: {int(off_globe.sum())} of {len(events)} events have coordinates beyond "
            "latitude -90..90 or longitude -180..180 and are not drawn",
            err=True,
        )
    outside = plot.suspect_events(events)
    if outside.any():
        # Always said, even with --quiet: a map of misplaced points misleads.
        click.echo(
            f"warning: {int(outside.sum())} of {len(events)} events lie more than "
            f"{plot.SUSPECT_TOLERANCE_KM:g} km outside their country (swapped latitude and "
            "longitude, or a lost minus sign?); "
            + ("drawn as black crosses" if flag_suspect else "--flag-suspect draws them apart"),
            err=True,
        )
    if as_html:
        page = plot.map_html(events, title=title, flag_suspect=flag_suspect)
        written = plot.write_html(page, target)
    else:
        try:
            import matplotlib
        except ImportError:
            raise UsageError(
                "matplotlib is not installed; install it with: pip install 'sahel_events[plot]'"
            ) from None

        # No display is needed or wanted for a file: Agg draws the same pixels everywhere.
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        dpi = 100
        figure = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="constrained")
        try:
            plot.map_events(
                events,
                ax=figure.add_subplot(),
                labels=not no_labels,
                title=title,
                flag_suspect=flag_suspect,
            )
            written = plot.save_png(figure, target, dpi=dpi)
        finally:
            plt.close(figure)
    info(
        f"wrote {escape_controls(str(written))} "
        f"({int(located.sum())} of {len(events)} events located)",
        quiet=quiet,
    )
