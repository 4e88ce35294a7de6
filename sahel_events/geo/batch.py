"""Batch geocoding of a CSV column: the work behind ``sahel-events geocode --file``.

Each row keeps its cells and gains the answer in prefixed columns
(``geo_latitude``, ``geo_match`` ...; the prefix is ``--prefix``), so that an
input column named ``country`` or ``latitude`` never collides with ours. A row
the gazetteer cannot place is a finding about that row (``geo_status``), not a
reason to stop.

The output is a CSV as every CSV the library writes: UTF-8, CRLF line ends,
fields with a comma, quote, CR or LF quoted, text a spreadsheet would run as a
formula prefixed with ``'`` (numbers, such as the user's negative longitudes,
are left alone), written to a temporary file renamed into place with the mode
a new file gets (0644 less the umask).
"""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sahel_events._io import CSV_LINE_END
from sahel_events._text import quote
from sahel_events.exc import OutputError, PlaceNotFound, UnreadableFileError, UsageError

__all__ = [
    "BATCH_COLUMNS",
    "DEFAULT_PREFIX",
    "MAX_BATCH_COLUMNS",
    "BatchSummary",
    "geocode_file",
    "geocode_rows",
    "neutralize_cell",
]

#: Columns each row gains (after the prefix), in this order.
BATCH_COLUMNS: tuple[str, ...] = (
    "latitude",
    "longitude",
    "geo_precision",
    "matched_name",
    "country",
    "iso",
    "admin1",
    "admin2",
    "feature_kind",
    "source",
    "match",
    "score",
    "ambiguous",
    "geonames_id",
    "matched_alias",
    "alternatives",
    "status",
)
DEFAULT_PREFIX = "geo_"
#: As :data:`sahel_events.read.MAX_COLUMNS`: a header wider than this is refused
#: before any row is read (a 100,000-column header would exhaust memory).
MAX_BATCH_COLUMNS = 2_000
#: One CSV field may hold at most this many characters (csv's own limit is 128 KiB).
MAX_FIELD_CHARS = 1_000_000


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did: rows read, found, ambiguous among the found, not found."""

    rows: int
    found: int
    ambiguous: int
    not_found: int

    def line(self) -> str:
        """The one-line summary the command prints."""
        return (
            f"{self.rows:,} row(s): {self.found:,} found ({self.ambiguous:,} ambiguous), "
            f"{self.not_found:,} not found"
        )


def neutralize_cell(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would run as a formula; numbers stay
    numbers (``-8.00`` is a longitude, not a formula)."""
    from sahel_events._io import FORMULA_TRIGGERS

    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def _open_input(path: Path) -> IO[str]:
    """Open a regular file as UTF-8 text (``_io.open_input``: FIFOs, devices and
    folders are refused before they can block or mislead)."""
    from sahel_events._io import open_input

    return io.TextIOWrapper(open_input(path), encoding="utf-8-sig", newline="")


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        with _open_input(path) as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader)
            except StopIteration:
                raise UnreadableFileError("empty file: no header row", path=path) from None
            if len(header) > MAX_BATCH_COLUMNS:
                raise UnreadableFileError(
                    f"the header has {len(header):,} columns; the limit is {MAX_BATCH_COLUMNS:,}",
                    path=path,
                    row=1,
                )
            seen: dict[str, int] = {}
            for position, name in enumerate(header, start=1):
                if name in seen:
                    raise UnreadableFileError(
                        f"two header columns are named {name[:80]!r} (columns "
                        f"{seen[name]} and {position}); rename one",
                        path=path,
                        row=1,
                    )
                seen[name] = position
            rows = []
            for cells in reader:
                if len(cells) > len(header):
                    raise UnreadableFileError(
                        f"{len(cells)} cells for {len(header)} columns",
                        path=path,
                        row=reader.line_num,
                    )
                if not any(cells):
                    continue
                padded = [*cells, *[""] * (len(header) - len(cells))]
                rows.append(dict(zip(header, padded, strict=True)))
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"not UTF-8 text (byte {error.start}); save the file as UTF-8 CSV", path=path
        ) from None
    except csv.Error as error:
        raise UnreadableFileError(f"not a readable CSV: {str(error)[:120]}", path=path) from None
    return header, rows


def geocode_rows(
    rows: Iterable[Mapping[str, str]],
    column: str,
    *,
    country: str | None = None,
    country_column: str | None = None,
    prefix: str = DEFAULT_PREFIX,
    gazetteer: Any = None,
    path: Path | None = None,
    on: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Each row with the answer in ``prefix``-ed columns (see :data:`BATCH_COLUMNS`);
    admin units named in a query are those in force ``on`` an ISO date (default today).

    Raises:
        UsageError: an unknown country in ``country`` or in a row's hint column
            (naming the row and column).
    """
    from sahel_events.geo.admin1 import checked_day
    from sahel_events.geo.gazetteer import _default_gazetteer, _hints

    geocoder = gazetteer if gazetteer is not None else _default_gazetteer()
    on = checked_day(on)  # once, before any row: a bad date is misuse, not a miss per row
    default_hints = _hints(country) if country else ()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        hints = default_hints
        if country_column and (row.get(country_column) or "").strip():
            try:
                hints = (*_hints(row[country_column].strip()), *default_hints)
            except UsageError as error:
                raise UsageError(
                    error.message, path=path, row=number, column=country_column
                ) from None
        try:
            fields = _fields(geocoder.find(row.get(column) or "", hints, on=on))
        except (PlaceNotFound, UsageError) as error:
            fields = dict.fromkeys(BATCH_COLUMNS, "")
            fields["status"] = f"not found: {error.message[:200]}"
        yield {**row, **{prefix + name: value for name, value in fields.items()}}


def _fields(location: Any) -> dict[str, Any]:
    raw = location.raw
    return {
        "latitude": f"{location.latitude:.4f}",
        "longitude": f"{location.longitude:.4f}",
        "geo_precision": raw["geo_precision"],
        "matched_name": raw["name"],
        "country": raw["acled_country"],
        "iso": raw["iso_numeric"],
        "admin1": raw.get("admin1") or "",
        "admin2": raw.get("admin2") or "",
        "feature_kind": raw["feature_kind"],
        "source": raw.get("source") or "",
        "match": raw.get("match") or "",
        "score": raw.get("score", ""),
        "ambiguous": "yes" if raw.get("ambiguous") else "no",
        "geonames_id": raw["geonames_id"] if raw.get("geonames_id") is not None else "",
        "matched_alias": raw["matched_alias"],
        "alternatives": len(raw.get("alternatives") or ()),
        "status": "found",
    }


def _csv_text(header: list[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """CSV lines: CRLF, minimal quoting (commas, quotes, CR, LF), formulas neutralised
    in the header and the cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CSV_LINE_END, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralize_cell(name) for name in header])
    for row in rows:
        writer.writerow([neutralize_cell(row.get(name, "")) for name in header])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def geocode_file(
    path: str | os.PathLike[str],
    column: str,
    *,
    out: str | os.PathLike[str] | None = None,
    stream: IO[str] | None = None,
    country: str | None = None,
    country_column: str | None = None,
    prefix: str = DEFAULT_PREFIX,
    gazetteer: Any = None,
    progress: Callable[[int], None] | None = None,
    on: str | None = None,
) -> BatchSummary:
    """Geocode ``column`` of a UTF-8 CSV file; write the result to ``out``
    (atomically) or ``stream`` (default standard output). ``on`` is as
    :func:`geocode_rows`'.

    Raises:
        UnreadableFileError: the file is missing, not a regular file, not UTF-8,
            a header wider than :data:`MAX_BATCH_COLUMNS`, two header columns
            with the same name.
        UsageError: no such column, output columns that would overwrite input
            columns, ``out`` naming the input itself.
        OutputError: the output cannot be written (nothing is left half-written).
    """
    source = Path(path)
    header, rows = _read_csv(source)
    for needed, option in ((column, "--column"), (country_column, "--country-column")):
        if needed is not None and needed not in header:
            raise UsageError(
                f"no column {quote(needed)} ({option}); the columns are "
                + ", ".join(name[:40] for name in header[:50]),
                path=source,
            )
    added = [prefix + name for name in BATCH_COLUMNS]
    clash = [name for name in added if name in header]
    if clash:
        raise UsageError(
            f"the file already has column(s) {', '.join(clash)} that the output would "
            "overwrite; choose another --prefix",
            path=source,
        )
    target = Path(out) if out is not None else None
    if target is not None:
        _check_target(source, target)
    found = ambiguous = not_found = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal found, ambiguous, not_found
        for row in geocode_rows(
            rows,
            column,
            country=country,
            country_column=country_column,
            prefix=prefix,
            gazetteer=gazetteer,
            path=source,
            on=on,
        ):
            if row[prefix + "status"] == "found":
                found += 1
                ambiguous += row[prefix + "ambiguous"] == "yes"
            else:
                not_found += 1
            if progress is not None:
                progress(1)
            yield row

    lines = _csv_text([*header, *added], counted())
    if target is None:
        output = stream if stream is not None else sys.stdout
        for text in lines:
            output.write(text)
    else:
        from sahel_events._io import atomic_path

        with (
            atomic_path(target) as temporary,
            open(temporary, "w", encoding="utf-8", newline="") as handle,
        ):
            for text in lines:
                handle.write(text)
    return BatchSummary(len(rows), found, ambiguous, not_found)


def _check_target(source: Path, target: Path) -> None:
    """Refuse an output that is the input, or a path that is not a regular file."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", path=target) from None
    if stat.S_ISDIR(mode):
        raise OutputError("cannot write: the path is a folder", path=target)
    if not stat.S_ISREG(mode):
        raise OutputError(
            "cannot write: not a regular file (a device, FIFO or socket); nothing was written",
            path=target,
        )
    if os.path.samefile(source, target):
        raise UsageError("--out is the input file itself; give another path", path=target)
