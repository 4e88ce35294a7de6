"""Slow workbooks inside the limits (issue 15): time and peak memory of validating each.

The cases are the ones the red-team pass found slow, built as large as the
limits let through (``sahel_events/read/_xlsx.py``: parts may expand to 2 GiB in
all; a part over 16 MiB may not be compressed more than 200 to 1; a part under
16 MiB may be compressed any amount):

* a sheet declaring the dimension ``A1:XFD1048576`` and holding one event;
* 20,000 events, each row with one more cell in column XFD;
* one event, then 1,000,000 empty rows (``<row r="..."/>``, Excel's last row);
* a shared-strings part of just under 16 MiB (about 1.3 million strings) behind one event;
* a genuine workbook of 100,000 events (31 ACLED columns).

Each workbook is written as raw SpreadsheetML with zipfile (in a second, where
openpyxl would take minutes), then validated by ``sahel_events.validate`` in a
fresh Python process (after one small validation, so that the imports are not
timed): the call's wall time and the process's peak resident memory
(``ru_maxrss``), with in brackets the peak before the call (pandas, pyarrow,
pandera and openpyxl loaded, about 200 MiB).

    python benchmarks/bench_hostile_inputs.py                  # every case, this checkout
    python benchmarks/bench_hostile_inputs.py --code DIR       # the package found in DIR instead
    python benchmarks/bench_hostile_inputs.py --case xfd-cells # one case
    python benchmarks/bench_hostile_inputs.py --small          # a tenth of each size, a quick check

``--code`` times another version of the package: export it with
``git archive COMMIT sahel_events | tar -x -C DIR`` (the commit before the
streaming reader is ``ce5cf3a^``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine

_REPO = Path(__file__).resolve().parent.parent
_MAIN = "xl/worksheets/sheet1.xml"
_SHARED = "xl/sharedStrings.xml"
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column_letter(number: int) -> str:
    """1 -> A, 16384 -> XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cells(values: Iterable[object], row: int) -> str:
    parts = []
    for column, value in enumerate(values, start=1):
        ref = f"{_column_letter(column)}{row}"
        if value is None or value == "":
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            parts.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return "".join(parts)


def _events(n: int) -> tuple[list[str], Iterator[list[object]]]:
    from sahel_events.testing import synthetic_events

    frame = synthetic_events(n, seed=15)
    frame["event_date"] = frame["event_date"].astype(str).str.slice(0, 10)
    header = [str(name) for name in frame.columns]
    rows = (
        [None if value != value else value for value in record]  # NaN -> empty cell
        for record in frame.itertuples(index=False, name=None)
    )
    return header, rows


def _write_workbook(
    path: Path,
    dimension: str,
    rows: Iterable[str],
    shared_strings: Iterable[str] | None = None,
) -> None:
    """A one-sheet .xlsx: ``rows`` are ``<row>`` elements, ``shared_strings`` ``<si>`` ones."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared_strings is not None
            else ""
        )
        + "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<workbook xmlns="{_NS}" xmlns:r="{_REL}">'
        '<sheets><sheet name="events" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            if shared_strings is not None
            else ""
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        with archive.open(_MAIN, "w", force_zip64=True) as part:
            part.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">'
                f'<dimension ref="{dimension}"/><sheetData>'.encode()
            )
            for row in rows:
                part.write(row.encode())
            part.write(b"</sheetData></worksheet>")
        if shared_strings is not None:
            with archive.open(_SHARED, "w", force_zip64=True) as part:
                part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}">'.encode())
                for item in shared_strings:
                    part.write(item.encode())
                part.write(b"</sst>")


def _event_rows(n: int, extra: Callable[[int], str] = lambda row: "") -> Iterator[str]:
    header, rows = _events(n)
    yield f'<row r="1">{_cells(header, 1)}</row>'
    for number, values in enumerate(rows, start=2):
        yield f'<row r="{number}">{_cells(values, number)}{extra(number)}</row>'


def declared_dimension(path: Path, scale: float) -> str:
    _write_workbook(path, "A1:XFD1048576", _event_rows(1))
    return "1 event, dimension A1:XFD1048576 declared"


def xfd_cells(path: Path, scale: float) -> str:
    n = int(20_000 * scale)
    _write_workbook(
        path,
        f"A1:XFD{n + 1}",
        _event_rows(n, lambda row: f'<c r="XFD{row}" t="inlineStr"><is><t>x</t></is></c>'),
    )
    return f"{n:,} events, each row with a cell in column XFD"


def empty_rows(path: Path, scale: float) -> str:
    last = int(1_048_576 * scale)

    def rows() -> Iterator[str]:
        yield from _event_rows(1)
        for number in range(3, last + 1):
            yield f'<row r="{number}"/>'

    _write_workbook(path, f"A1:AE{last}", rows())
    return f"1 event, then {last - 2:,} empty rows"


def shared_strings(path: Path, scale: float) -> str:
    budget = int((16 * 2**20 - 512) * scale)  # with its XML head, under the 16 MiB floor
    item = "<si><t>x</t></si>"
    count = budget // len(item)
    header, rows = _events(1)
    # The event's cells are inline; the sheet's strings table is what is huge.
    first = [f'<row r="1">{_cells(header, 1)}</row>', f'<row r="2">{_cells(next(rows), 2)}</row>']
    _write_workbook(path, "A1:AE2", first, (item for _ in range(count)))
    return f"1 event, {count:,} shared strings ({count * len(item) / 2**20:,.1f} MiB)"


def genuine(path: Path, scale: float) -> str:
    n = int(100_000 * scale)
    _write_workbook(path, f"A1:AE{n + 1}", _event_rows(n))
    return f"{n:,} events, 31 columns"


CASES: dict[str, Callable[[Path, float], str]] = {
    "declared-dimension": declared_dimension,
    "xfd-cells": xfd_cells,
    "empty-rows": empty_rows,
    "shared-strings": shared_strings,
    "genuine-100000": genuine,
}

_CHILD = """
import json, resource, sys, time
import openpyxl, sahel_events
from sahel_events.testing import synthetic_events
sahel_events.validate(synthetic_events(10, seed=1))  # the imports validation makes, done
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
try:
    report = sahel_events.validate(sys.argv[1])
    outcome = f"{report.n_rows:,} rows, {'valid' if report.valid else 'invalid'}, {report.n_errors:,} errors"
except Exception as error:  # a refusal is an outcome too
    outcome = f"{type(error).__name__}: {str(error)[:90]}"
print(json.dumps({
    "seconds": time.perf_counter() - start,
    "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "baseline_mib": baseline,
    "outcome": outcome,
    "package": sahel_events.__file__,
}))
"""


def _run(path: Path, code: Path, timeout: float) -> dict[str, object]:
    nan = float("nan")
    try:
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(code)},
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {
            "seconds": nan,
            "max_rss_mib": nan,
            "baseline_mib": nan,
            "outcome": f"stopped after {timeout:,.0f} s",
        }
    if result.returncode != 0:
        return {
            "seconds": nan,
            "max_rss_mib": nan,
            "baseline_mib": nan,
            "outcome": result.stderr[-200:],
        }
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=_REPO, help="folder holding sahel_events/")
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--small", action="store_true", help="a tenth of each size")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per case (default 600)")
    options = parser.parse_args()
    scale = 0.1 if options.small else 1.0
    print("machine:", machine("pandas", "pyarrow", "openpyxl"))
    print("code:", options.code.resolve())
    print("| case | workbook | file | validate | peak RSS (imports) | outcome |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for name in options.case or list(CASES):
            path = Path(folder) / f"{name}.xlsx"
            sys.path.insert(0, str(_REPO))  # the generator uses this checkout's synthetic_events
            what = CASES[name](path, scale)
            result = _run(path, options.code, options.timeout)
            print(
                f"| {name} | {what} | {path.stat().st_size / 1024:,.0f} KiB | "
                f"{result['seconds']:,.2f} s | {result['max_rss_mib']:,.0f} MiB "
                f"({result['baseline_mib']:,.0f}) | "
                f"{result['outcome']} |",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
