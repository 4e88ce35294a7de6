"""What the update, diff and aggregate commands share: reading event files, writing by suffix."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events.exc import InvalidDataError, UsageError

if TYPE_CHECKING:
    import pandas as pd

#: Output suffixes the update command writes, and the writer of each.
EVENT_SUFFIXES = (".parquet", ".csv", ".xlsx")


def read_dyadic(path: str, *, quiet: bool) -> pd.DataFrame:
    """The events of ``path`` (any file ``read_events`` reads), one row per event.

    An ACLED monadic export is paired into events first; if some rows cannot be
    paired the file is refused with the first such event named.
    """
    from sahel_events.cli._progress import info
    from sahel_events.read import read_events

    events = read_events(path)
    if "geometry" in events.columns:
        # GeoParquet's point column, derived from the coordinates: compared and written as those.
        events = events.drop(columns=["geometry"])
    issues = events.attrs.get("reader_issues")
    if issues is not None and len(issues):
        info(
            f"warning: {len(issues)} cell(s) of {path} could not be read and are left empty; "
            f"`sahel-events validate {path}` lists them",
            quiet=quiet,
        )
    if events.attrs.get("dyadic") is False:
        from sahel_events.transform import to_dyadic

        paired = to_dyadic(events)
        unpaired = paired.attrs["unpaired_events"]
        if len(unpaired):
            first = unpaired.iloc[0]
            raise InvalidDataError(
                f"a monadic file whose rows do not all pair into events: {len(unpaired)} "
                f"event(s), first {first['event_id_cnty']} (rows {first['rows']}): {first['reason']}",
                path=path,
            )
        info(f"{path}: monadic rows paired into {len(paired)} events", quiet=quiet)
        events = paired
    return events


def write_by_suffix(events: pd.DataFrame, out: str) -> Path:
    """Write events atomically in the format of ``out``'s suffix: Parquet, CSV or XLSX."""
    target = Path(out)
    suffix = target.suffix.lower()
    if "geometry" in events.columns:
        # GeoParquet's point column, read back from a Parquet input: rebuilt from the coordinates.
        events = events.drop(columns=["geometry"])
    if suffix == ".parquet":
        from sahel_events.write import write_events

        return write_events(events, target)
    if suffix == ".csv":
        from sahel_events.write import write_csv

        return write_csv(events, target)
    if suffix == ".xlsx":
        from sahel_events.write import write_xlsx

        return write_xlsx(events, target)
    raise UsageError(f"--out must end in {', '.join(EVENT_SUFFIXES)}, not {out!r}")


def write_text(text: str, out: str) -> Path | None:
    """Write text to standard output (``"-"``) or atomically to a file."""
    from sahel_events.export._common import binary_sink, is_stdout

    with binary_sink(out) as handle:
        handle.write(text.encode("utf-8"))
    return None if is_stdout(out) else Path(out)
