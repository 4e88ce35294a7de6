"""Benchmark reading + validating event files.

Prints, for seeded synthetic rows (never ACLED's):

- rows per second for read + validate, Parquet and CSV;
- the ratio of read + validate to ``pyarrow.parquet.read_table`` alone on the same file,
  each in a fresh process, and again with the two taken in turns in one process (the
  machine's speed drifts between processes; in turns, both see the same moment);
- peak RSS of each measurement (each runs in its own process, so peaks don't mix);
- the same with 1% of rows broken in varied ways;
- a 10,000,000-row Parquet file validated in chunks: time, peak RSS, and whether the
  report counts exactly the broken rows;
- how long ``sahel-events --help`` takes to answer;
- cold ``sahel-events validate`` (a fresh process each time) of a 500-row file spanning
  35 countries against a 500-row file in one country: the coordinates check must not
  cost more for more countries;
- with ``--xlsx``: read + validate of a 100,000-row workbook, and of one whose
  shared-strings part is large (every note a distinct long text), both written
  with openpyxl: seconds, rows/s, peak RSS, and the size of each part. Both are
  read by python-calamine (``read/_xlsx.py``); ``--xlsx-rows 600000`` passes the
  16-million-cell grid limit and times openpyxl's streaming instead.

Usage::

    python benchmarks/bench_validate.py                 # 1M rows, then 10M rows
    python benchmarks/bench_validate.py --big-rows 0    # skip the 10M-row run
    python benchmarks/bench_validate.py --cold-only     # only the cold small files
    python benchmarks/bench_validate.py --xlsx          # only the two workbooks
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import machine  # benchmarks/_machine.py, beside this script

REPEATS = 5


# --- measurements, each run in a fresh process ------------------------------------------


def measure(kind: str, path: str, chunk_rows: int) -> dict[str, float]:
    """Best-of-REPEATS seconds and the process's peak RSS for one kind of work."""
    import pyarrow.parquet as pq

    from sahel_events.validation import validate

    if kind == "paired":
        return measure_paired(path, chunk_rows)
    best = float("inf")
    result: dict[str, float] = {}
    for _ in range(REPEATS if kind not in ("validate-big", "validate-once", "read-once") else 1):
        start = time.perf_counter()
        if kind == "read_table":
            pq.read_table(path)
        elif kind == "read-once":
            from sahel_events.read import read_events

            result["n_rows"] = len(read_events(path))
        else:
            report = validate(path, chunk_rows=chunk_rows)
            result["n_errors"] = report.n_errors
            result["n_rows"] = report.n_rows
        best = min(best, time.perf_counter() - start)
    result["seconds"] = best
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def measure_paired(path: str, chunk_rows: int, pairs: int = 7) -> dict[str, float]:
    """``read_table`` and read + validate taken in turns in one process, best of each.

    The machine's speed drifts by a fifth from minute to minute, and the two figures
    of the separate-process lines are taken a minute apart: here each validation has
    a ``read_table`` beside it, so the ratio compares the two at the same moment.
    """
    import pyarrow.parquet as pq

    from sahel_events.validation import validate

    validate(path, chunk_rows=chunk_rows)  # imports and lazy tables, as the other lines
    read_best = validate_best = float("inf")
    for _ in range(pairs):
        start = time.perf_counter()
        pq.read_table(path)
        read_best = min(read_best, time.perf_counter() - start)
        start = time.perf_counter()
        validate(path, chunk_rows=chunk_rows)
        validate_best = min(validate_best, time.perf_counter() - start)
    return {"read_table": read_best, "validate": validate_best, "pairs": pairs}


def run_measure(kind: str, path: Path, chunk_rows: int = 500_000) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path), "--chunk-rows", str(chunk_rows)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- data ------------------------------------------------------------------------------------


def write_files(
    directory: Path, rows: int, broken_fraction: float, *, csv: bool
) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sahel_events.testing import break_rows, synthetic_events

    chunk = 1_000_000
    name = f"events_{rows}_{broken_fraction:g}"
    parquet_path = directory / f"{name}.parquet"
    csv_path = directory / f"{name}.csv"
    writer = None
    for number, start in enumerate(range(0, rows, chunk)):
        size = min(chunk, rows - start)
        frame = synthetic_events(size, seed=number, start_id=start + 1)
        if broken_fraction:
            frame = break_rows(frame, broken_fraction, seed=1000 + number)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(parquet_path, table.schema)
        writer.write_table(table.cast(writer.schema))
        if csv:
            frame.to_csv(csv_path, index=False, mode="a" if start else "w", header=not start)
    assert writer is not None
    writer.close()
    files = {"parquet": parquet_path}
    if csv:
        files["csv"] = csv_path
    return files


def expected_errors(rows: int, fraction: float) -> int:
    return sum(
        round(min(1_000_000, rows - start) * fraction) for start in range(0, rows, 1_000_000)
    )


# --- the report ----------------------------------------------------------------------------


def small_file(directory: Path, countries: int) -> Path:
    """500 synthetic events spread over ``countries`` countries, each at its centroid."""
    import numpy as np

    from sahel_events import vocabulary
    from sahel_events.geo import _data
    from sahel_events.testing import synthetic_events

    frame = synthetic_events(500, seed=7)
    table = _data.countries()
    geometries = _data.country_geometries()
    chosen = [
        country
        for country in vocabulary.countries()
        if country.alpha2 in geometries and country.alpha2 in table.by_alpha2
    ]
    step = max(1, len(chosen) // countries)
    chosen = chosen[::step][:countries]
    which = np.arange(len(frame)) % len(chosen)
    frame["country"] = [chosen[i].name for i in which]
    frame["iso"] = [chosen[i].iso for i in which]
    frame["region"] = [chosen[i].region for i in which]
    frame["event_id_cnty"] = [f"{chosen[i].prefix}{n + 1}" for n, i in enumerate(which)]
    frame["latitude"] = [table.by_alpha2[chosen[i].alpha2].latitude for i in which]
    frame["longitude"] = [table.by_alpha2[chosen[i].alpha2].longitude for i in which]
    path = directory / f"small_{countries}.csv"
    frame.to_csv(path, index=False)
    return path


def cold_validate_seconds(path: Path, repeats: int = 3) -> float:
    """Best wall time of ``sahel-events validate -q`` in a fresh process."""
    executable = shutil.which("sahel-events") or str(Path(sys.executable).with_name("sahel-events"))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([executable, "validate", "-q", str(path)], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def cold_small_files(directory: Path) -> None:
    one = cold_validate_seconds(small_file(directory, 1))
    many = cold_validate_seconds(small_file(directory, 35))
    print(
        f"cold     500 rows: 1 country {one:.3f}s, 35 countries {many:.3f}s,"
        f" ratio {many / one:.2f}x (best of 3 fresh processes)",
        flush=True,
    )


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}


def write_workbook(path: Path, rows: int, note_chars: int) -> dict[str, int]:
    """``rows`` synthetic events in a workbook; notes of ``note_chars`` distinct characters.

    Written as Excel writes workbooks, every text in the shared-strings part
    (openpyxl 3.1's writer writes inline strings, which few real files have), so
    the parts are laid out by hand here; openpyxl reads them back as it reads
    Excel's. Long distinct notes make the shared-strings part large, as in
    workbooks of full ACLED notes. Returns the size of each part.
    """
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    from sahel_events.testing import synthetic_events

    frame = synthetic_events(rows, seed=11)
    if note_chars:
        filler = "x" * max(0, note_chars - 24)
        frame["notes"] = [f"Event {number:>12,} {filler}" for number in range(rows)]
    frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
    letters = [get_column_letter(index + 1) for index in range(frame.shape[1])]
    strings: dict[str, int] = {}
    # The dimension element, as Excel writes it: without it openpyxl parses the whole
    # sheet once more only to size it.
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[-1]}{rows + 1}"/><sheetData>'
    ]
    records = [list(frame.columns)]
    records += frame.astype(object).where(frame.notna(), None).values.tolist()
    for number, record in enumerate(records, start=1):
        cells = []
        for letter, value in zip(letters, record, strict=True):
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    lines.append("</sheetData></worksheet>")
    shared = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        f' count="{len(strings)}" uniqueCount="{len(strings)}">'
    ]
    shared += [f"<si><t>{escape(text)}</t></si>" for text in strings]
    shared.append("</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(lines))
        archive.writestr("xl/sharedStrings.xml", "".join(shared))
    with zipfile.ZipFile(path) as archive:
        return {part.filename: part.file_size for part in archive.infolist()}


def workbooks(directory: Path, rows: int, strings_rows: int, note_chars: int) -> None:
    cases = (
        (f"{rows:,}-row workbook", rows, 0),
        (f"{strings_rows:,} rows, {note_chars:,}-character notes", strings_rows, note_chars),
    )
    for label, count, chars in cases:
        path = directory / f"book_{count}_{chars}.xlsx"
        start = time.perf_counter()
        parts = write_workbook(path, count, chars)
        written = time.perf_counter() - start
        result = run_measure("validate-once", path)
        read = run_measure("read-once", path)
        print(
            f"xlsx     {label}: file={path.stat().st_size / 2**20:.1f}MiB"
            f" sheet_xml={parts.get('xl/worksheets/sheet1.xml', 0) / 2**20:.1f}MiB"
            f" shared_strings={parts.get('xl/sharedStrings.xml', 0) / 2**20:.1f}MiB"
            f" (written in {written:.1f}s) read={read['seconds']:.2f}s"
            f" read+validate={result['seconds']:.2f}s"
            f" rows/s={count / result['seconds']:,.0f} peak_rss={result['peak_rss_mib']:.0f}MiB"
            f" errors={result['n_errors']:,.0f}",
            flush=True,
        )
        path.unlink()


def help_seconds() -> float:
    executable = shutil.which("sahel-events") or str(Path(sys.executable).with_name("sahel-events"))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([executable, "--help"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=10_000_000, help="0 skips the chunked run")
    parser.add_argument("--chunk-rows", type=int, default=500_000)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--cold-only", action="store_true", help="only the cold small files")
    parser.add_argument("--xlsx", action="store_true", help="only the two workbooks")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument(
        "--xlsx-strings-rows", type=int, default=20_000, help="rows of the shared-strings book"
    )
    parser.add_argument(
        "--xlsx-note-chars", type=int, default=1_000, help="characters of each distinct note"
    )
    arguments = parser.parse_args()
    if arguments.measure:
        kind, path = arguments.measure
        print(json.dumps(measure(kind, path, arguments.chunk_rows)))
        return

    packages = ("pandas", "pyarrow", "pandera", "shapely", "python-calamine", "openpyxl")
    print("machine:", json.dumps(machine(*packages)))
    print("load average (1, 5, 15 min):", " ".join(f"{load:.1f}" for load in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="bench_validate_") as temporary:
        directory = Path(temporary)
        if arguments.xlsx:
            workbooks(
                directory,
                arguments.xlsx_rows,
                arguments.xlsx_strings_rows,
                arguments.xlsx_note_chars,
            )
            return
        cold_small_files(directory)
        if arguments.cold_only:
            return
        rows = arguments.rows
        for fraction in (0.0, 0.01):
            files = write_files(directory, rows, fraction, csv=True)
            base = run_measure("read_table", files["parquet"])
            label = "valid" if not fraction else "1% broken"
            for file_format, path in files.items():
                result = run_measure("validate", path, arguments.chunk_rows)
                line = (
                    f"{file_format:8} {label:10} rows={rows:,} read+validate={result['seconds']:.3f}s "
                    f"rows/s={rows / result['seconds']:,.0f} peak_rss={result['peak_rss_mib']:.0f}MiB "
                    f"errors={result['n_errors']:,.0f} (expected {expected_errors(rows, fraction):,})"
                )
                if file_format == "parquet":
                    line += (
                        f" read_table={base['seconds']:.3f}s"
                        f" ratio={result['seconds'] / base['seconds']:.2f}x"
                    )
                print(line, flush=True)
                if file_format == "parquet":
                    paired = run_measure("paired", path, arguments.chunk_rows)
                    print(
                        f"parquet  {label:10} taken in turns in one process, best of"
                        f" {paired['pairs']:.0f}: read+validate={paired['validate']:.3f}s"
                        f" read_table={paired['read_table']:.3f}s"
                        f" ratio={paired['validate'] / paired['read_table']:.2f}x",
                        flush=True,
                    )
                    if fraction == 0:
                        valid_seconds = result["seconds"]
                    else:
                        print(
                            f"parquet  1% broken vs valid: {result['seconds'] / valid_seconds:.2f}x"
                        )
            for path in files.values():
                path.unlink()

        if arguments.big_rows:
            files = write_files(directory, arguments.big_rows, 0.01, csv=False)
            result = run_measure("validate-big", files["parquet"], arguments.chunk_rows)
            expected = expected_errors(arguments.big_rows, 0.01)
            print(
                f"parquet  chunked    rows={arguments.big_rows:,} read+validate={result['seconds']:.1f}s "
                f"rows/s={arguments.big_rows / result['seconds']:,.0f} "
                f"peak_rss={result['peak_rss_mib']:.0f}MiB errors={result['n_errors']:,.0f} "
                f"(expected {expected:,}; {'same' if result['n_errors'] == expected else 'DIFFERENT'})"
            )
    print(f"cli      sahel-events --help: {help_seconds():.3f}s (best of 5)")


if __name__ == "__main__":
    main()
