"""The hostile corpus: one generator per case, each writing its input into a folder.

Nothing here is committed as a file: every input is made by the tests, in the
test's own temporary folder, from rows the project generates (never ACLED's).
A :class:`Case` says which command reads the input and what must come out:
the exit code, the words the one-line error must contain, and where the
error must point (file, row, column, event, field).

Three kinds of input, by the command that meets them:

* ``validate``: an event file given to ``sahel-events validate FILE`` and to
  :func:`sahel_events.validation.validate`;
* ``build``: a folder of coding sheets given to ``sahel-events build --codings
  DIR`` and to :func:`sahel_events.coding.sheet.load_sheet`;
* ``geocode``: a query given to ``sahel-events geocode QUERY`` and to
  :func:`sahel_events.geo.geocode`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: The packaged coding sheet's source: a sheet must be named after its source.
SOURCE_ID = "afp-20250919-france-mali-crisis"


@dataclass(frozen=True)
class Case:
    """One hostile input and the outcome the library promises for it."""

    name: str
    command: str
    """``validate``, ``build`` or ``geocode``."""
    make: Callable[[Path], str]
    """Writes the input into the folder; returns the file, sheet folder or query."""
    exit_code: int
    """The command line's exit code (1 invalid, 2 unreadable or misused)."""
    needles: tuple[str, ...]
    """Words the error line must contain (besides the file name, always checked)."""
    threat: str
    """What the case stands for, for the README table."""
    stdout_needles: tuple[str, ...] = ()
    """For a case that gives a report rather than an error: words the report holds."""
    where: dict[str, object] = field(default_factory=dict)
    """Attributes the API's exception must carry (row, column, event, field)."""


# --- Event rows the project makes ----------------------------------------------------

HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "source,source_scale,notes,fatalities,tags,timestamp"
)
NAMES = HEADER.split(",")


def _row(
    number: int,
    *,
    notes: str = "Clashes near Gao.",
    actor1: str = "Military Forces of Mali (2021-)",
) -> list[str]:
    """One valid current-format event (a made-up clash in Gao), as CSV cells."""
    return [
        f"MLI{number}",
        "2024-03-0" + str(1 + number % 9),
        "2024",
        "1",
        "Political violence",
        "Battles",
        "Armed clash",
        actor1,
        "",
        "State forces",
        "JNIM: Group for Support of Islam and Muslims",
        "",
        "Rebel group",
        "State forces-Rebel group",
        "",
        "466",
        "Western Africa",
        "Mali",
        "Gao",
        "Gao",
        "",
        "Gao",
        "16.2666",
        "-0.0400",
        "1",
        "Studio Tamani",
        "National",
        notes,
        "3",
        "",
        "1710000000",
    ]


def _csv_line(cells: list[str]) -> str:
    out = []
    for cell in cells:
        if any(char in cell for char in ',"\n\r'):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return ",".join(out)


def _csv(rows: list[list[str]]) -> str:
    return "\n".join([HEADER, *(_csv_line(row) for row in rows)]) + "\n"


# --- CSV ---------------------------------------------------------------------------------


def csv_ragged_rows(folder: Path) -> str:
    """Rows with a cell too many and a cell too few among valid ones."""
    rows = [_row(1), [*_row(2), "extra"], _row(3)[:-2], _row(4)]
    path = folder / "ragged.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return str(path)


def csv_nul_bytes(folder: Path) -> str:
    """NUL bytes inside a text file: the mark of a binary file or a broken export."""
    text = _csv([_row(1), _row(2)])
    data = text.encode().replace(b"Clashes near", b"Clashes\x00\x00near")
    path = folder / "nul.csv"
    path.write_bytes(data)
    return str(path)


def csv_mixed_encodings(folder: Path) -> str:
    """A UTF-8 file with one row saved as cp1252 (é as 0xE9), as a merge of two exports makes."""
    utf8 = _csv([_row(1, notes="Attaque à Ménaka")]).encode("utf-8")
    cp1252 = (_csv_line(_row(2, notes="Attaque à Ménaka")) + "\n").encode("cp1252")
    path = folder / "mixed.csv"
    path.write_bytes(utf8 + cp1252)
    return str(path)


def csv_bom_in_the_middle(folder: Path) -> str:
    """Two UTF-8 files concatenated: the second file's BOM and header land mid-file."""
    text = _csv([_row(1)])
    data = b"\xef\xbb\xbf" + text.encode() + b"\xef\xbb\xbf" + _csv([_row(2)]).encode()
    path = folder / "bom.csv"
    path.write_bytes(data)
    return str(path)


def csv_ten_million_character_cell(folder: Path) -> str:
    """One notes cell of 10,000,000 characters."""
    path = folder / "huge-cell.csv"
    path.write_text(_csv([_row(1, notes="x" * 10_000_000)]), encoding="utf-8")
    return str(path)


def csv_hundred_thousand_columns(folder: Path) -> str:
    """ACLED's 31 columns followed by 100,000 more."""
    extra = [f"c{number}" for number in range(100_000)]
    header = HEADER + "," + ",".join(extra)
    row = _csv_line(_row(1)) + "," + ",".join(["0"] * len(extra))
    path = folder / "wide.csv"
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    return str(path)


#: Text cells a spreadsheet would run as formulas (OWASP's triggers).
FORMULAS = (
    '=HYPERLINK("http://127.0.0.1/x?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


def csv_formula_cells(folder: Path) -> str:
    """Cells beginning with ``=``, ``+``, ``-`` and ``@`` as event ids and notes.

    The ids are invalid, so validation echoes them in its report: the report
    must not hand them back to a spreadsheet as formulas.
    """
    rows = [_row(number + 1, notes=formula) for number, formula in enumerate(FORMULAS)]
    for row, formula in zip(rows, FORMULAS, strict=True):
        row[0] = formula
    path = folder / "formulas.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return str(path)


# --- Parquet -----------------------------------------------------------------------------


def _parquet_bytes(table: object, **options: object) -> bytes:
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


def _event_table(rows: int = 3) -> object:
    import pyarrow as pa

    cells = [_row(number + 1) for number in range(rows)]
    return pa.table({name: [row[i] for row in cells] for i, name in enumerate(NAMES)})


def parquet_truncated(folder: Path) -> str:
    """A Parquet file cut in half, as an interrupted download leaves it."""
    data = _parquet_bytes(_event_table())
    path = folder / "truncated.parquet"
    path.write_bytes(data[: len(data) // 2])
    return str(path)


def parquet_wrong_magic(folder: Path) -> str:
    """A Parquet file whose footer magic number is not ``PAR1``."""
    data = _parquet_bytes(_event_table())
    path = folder / "magic.parquet"
    path.write_bytes(data[:-4] + b"PAR0")
    return str(path)


def parquet_nested_columns(folder: Path) -> str:
    """ACLED columns holding structs, lists and maps instead of values."""
    import pyarrow as pa

    table = _event_table()
    nested = {
        "actor1": pa.array([{"name": "a", "id": 1}] * 3),
        "fatalities": pa.array([[1, 2], [], None], type=pa.list_(pa.int64())),
        "notes": pa.array([[("k", "v")]] * 3, type=pa.map_(pa.string(), pa.string())),
    }
    for name, values in nested.items():
        table = table.set_column(NAMES.index(name), name, values)
    path = folder / "nested.parquet"
    path.write_bytes(_parquet_bytes(table))
    return str(path)


def parquet_unexpected_types(folder: Path) -> str:
    """Dates as UTF-8 bytes, coordinates as booleans, fatalities as 30-digit decimals."""
    import decimal

    import pyarrow as pa

    table = _event_table()
    odd = {
        "event_date": pa.array([b"2024-03-01", b"2024", None], type=pa.binary()),
        "latitude": pa.array([True, False, None]),
        "fatalities": pa.array(
            [decimal.Decimal("1" * 30), decimal.Decimal("-1"), None], type=pa.decimal128(38, 0)
        ),
    }
    for name, values in odd.items():
        table = table.set_column(NAMES.index(name), name, values)
    path = folder / "types.parquet"
    path.write_bytes(_parquet_bytes(table))
    return str(path)


def parquet_binary_not_utf8(folder: Path) -> str:
    """``event_date`` as a binary column whose second value is not UTF-8."""
    import pyarrow as pa

    table = _event_table()
    dates = pa.array([b"2024-03-01", b"\xff\xfe2024", None], type=pa.binary())
    table = table.set_column(NAMES.index("event_date"), "event_date", dates)
    path = folder / "binary.parquet"
    path.write_bytes(_parquet_bytes(table))
    return str(path)


def parquet_string_not_utf8(folder: Path) -> str:
    """A string column whose third value is not UTF-8 (the writer did not check; the fuzzer found it).

    Written without compression or dictionary so that the bytes can be patched
    in place; the file stays structurally valid.
    """
    table = _event_table()
    import pyarrow as pa

    sources = pa.array(["Studio Tamani", "Studio Tamani", "Studio Tamanj"])
    table = table.set_column(NAMES.index("source"), "source", sources)
    data = _parquet_bytes(table, compression="none", use_dictionary=False, write_statistics=False)
    assert data.count(b"Studio Tamanj") == 1
    path = folder / "string.parquet"
    path.write_bytes(data.replace(b"Studio Tamanj", b"Studio Taman\xff"))
    return str(path)


#: Rows in the one row group of :func:`parquet_huge_row_group`.
HUGE_ROW_GROUP_ROWS = 400_000


def parquet_huge_row_group(folder: Path) -> str:
    """400,000 events in a single row group, each with a negative fatality count.

    The reader must not need the row group whole in memory to stream it, and
    the report must count every bad row.
    """
    import pyarrow as pa

    table = _event_table(1)
    table = pa.concat_tables([table] * 1000).combine_chunks()
    table = pa.concat_tables([table] * (HUGE_ROW_GROUP_ROWS // 1000)).combine_chunks()
    ids = pa.array([f"MLI{number}" for number in range(1, HUGE_ROW_GROUP_ROWS + 1)])
    table = table.set_column(0, "event_id_cnty", ids)
    table = table.set_column(
        NAMES.index("fatalities"), "fatalities", pa.array(["-1"] * HUGE_ROW_GROUP_ROWS)
    )
    path = folder / "huge-row-group.parquet"
    import pyarrow.parquet as pq

    pq.write_table(table, path, row_group_size=HUGE_ROW_GROUP_ROWS)
    return str(path)


# --- JSON Lines --------------------------------------------------------------------------


def jsonl_one_broken_line(folder: Path) -> str:
    """Valid JSON Lines except line 3, cut off mid-object."""
    import json

    lines = [json.dumps(dict(zip(NAMES, _row(number), strict=True))) for number in (1, 2, 3, 4)]
    lines[2] = lines[2][: len(lines[2]) // 2]
    path = folder / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


# --- Excel -------------------------------------------------------------------------------


def xlsx_not_a_zip(folder: Path) -> str:
    """A CSV file renamed to .xlsx."""
    path = folder / "renamed.xlsx"
    path.write_text(_csv([_row(1)]), encoding="utf-8")
    return str(path)


#: What the bomb's sheet expands to: past the tests' 3 GiB address-space limit.
ZIP_BOMB_BYTES = 3 * 1024**3


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive from already deflated parts: (name, raw deflate data, CRC-32, size).

    Written by hand because zipfile can only deflate what it is given, and
    deflating 3 GiB would take the test many seconds.
    """
    import struct

    local, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded = name.encode()
        header = (0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                len(local),
            )
            + encoded
        )
        local += struct.pack("<IHHHHHIIIHH", *header) + encoded + data
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0
    )
    return bytes(local + central + end)


def workbook_around_a_cell() -> tuple[list[tuple[str, bytes, int, int]], bytes, bytes]:
    """A one-event workbook, its parts deflated for :func:`_zip`, but its sheet: that is
    returned split around its notes cell's text (opened with ``xml:space="preserve"``),
    for a caller to fill."""
    import zlib

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(NAMES)
    workbook.active.append(_row(1, notes="BOMB"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    entries = []
    with zipfile.ZipFile(buffer) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                sheet = content
                continue
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = packer.compress(content) + packer.flush()
            entries.append((info.filename, data, zlib.crc32(content), len(content)))
    prefix, suffix = sheet.split(b"<t>BOMB</t>")
    return entries, prefix + b'<t xml:space="preserve">', b"</t>" + suffix


#: What the inflating sheets are filled with: a mebibyte of spaces, repeated.
SPACES = b" " * 1024**2


def deflated_spaces(prefix: bytes, suffix: bytes, count: int) -> bytes:
    """``prefix``, ``count`` times :data:`SPACES`, ``suffix``, as one deflate stream.

    Each part is a fully flushed block (a full flush makes blocks independent), so
    the mebibyte of spaces is compressed once and repeated: the generator holds a few
    megabytes whatever the size it stands for.
    """
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(SPACES) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(suffix) + packer.flush()
    return head + block * count + tail


def xlsx_zip_bomb(folder: Path) -> str:
    """A real workbook whose sheet inflates from 3 MB to 3 GiB.

    The notes cell of its one event holds 3 GiB of spaces: a reader that
    inflates the sheet runs out of memory or time. The generator takes about a second.
    """
    import zlib

    entries, prefix, suffix = workbook_around_a_cell()
    count = (ZIP_BOMB_BYTES - len(prefix) - len(suffix)) // len(SPACES)
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(SPACES, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + count * len(SPACES) + len(suffix)
    entries.append(("xl/worksheets/sheet1.xml", deflated_spaces(prefix, suffix, count), crc, size))
    path = folder / "bomb.xlsx"
    path.write_bytes(_zip(entries))
    return str(path)


# --- Coding sheets -----------------------------------------------------------------------


def _packaged_sheet_text() -> str:
    from sahel_events.coding.build import packaged_codings_dir

    return (packaged_codings_dir() / f"{SOURCE_ID}.yaml").read_text(encoding="utf-8")


def _sheet_folder(folder: Path, text: str | bytes) -> str:
    sheets = folder / "sheets"
    sheets.mkdir()
    path = sheets / f"{SOURCE_ID}.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return str(sheets)


def sheet_python_tag(folder: Path) -> str:
    """A tag that, under ``yaml.load`` with the full loader, would run a shell command."""
    text = _packaged_sheet_text().replace(
        "coded_by: sahel_events maintainers",
        "coded_by: !!python/object/apply:os.system ['touch pwned']",
        1,
    )
    return _sheet_folder(folder, text)


def sheet_alias_bomb(folder: Path) -> str:
    """The 'billion laughs': nine aliases per level, twelve levels, 9**12 strings if expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 13):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return _sheet_folder(folder, "\n".join(lines) + "\n")


def sheet_duplicate_keys(folder: Path) -> str:
    """``coded_by`` twice: a plain loader silently keeps the second one."""
    text = _packaged_sheet_text().replace(
        "coded_by: sahel_events maintainers",
        "coded_by: sahel_events maintainers\ncoded_by: someone else",
        1,
    )
    return _sheet_folder(folder, text)


def sheet_wrong_types(folder: Path) -> str:
    """``fatalities`` as text and ``events`` entries' ``precision`` as a list."""
    text = _packaged_sheet_text().replace("    fatalities: 0\n", "    fatalities: many\n", 1)
    return _sheet_folder(folder, text)


def sheet_fifty_megabytes(folder: Path) -> str:
    """50 MB of YAML text (one notes field): refused unread."""
    text = _packaged_sheet_text() + "# " + "x" * (50 * 1024 * 1024) + "\n"
    return _sheet_folder(folder, text)


# --- Geocoder queries ---------------------------------------------------------------------


def query_control_characters(folder: Path) -> str:
    """An escape sequence that would recolour or clear a terminal if echoed."""
    return "Gao\x1b[2J\x1b[31m"


def query_right_to_left_override(folder: Path) -> str:
    """U+202E makes 'oaG' display as 'Gao': the override is dropped and 'oaG' is not found."""
    return "\u202eoaG"


def query_mixed_scripts(folder: Path) -> str:
    """Latin and Arabic letters in one word, as a spoofed or garbled name."""
    return "Gaoغاو"


def query_hundred_thousand_characters(folder: Path) -> str:
    """100,000 characters: refused before any lookup."""
    return "Gao " * 25_000


CASES: tuple[Case, ...] = (
    # Event files: sahel-events validate FILE.
    Case(
        "csv-ragged-rows",
        "validate",
        csv_ragged_rows,
        1,
        (),
        "contributed CSV with rows of the wrong width",
        stdout_needles=("ragged_row []: 2", "32 fields"),
    ),
    Case("csv-nul-bytes", "validate", csv_nul_bytes, 2, ("NUL bytes",), "NUL bytes in a text file"),
    Case(
        "csv-mixed-encodings",
        "validate",
        csv_mixed_encodings,
        2,
        ("mixes two text encodings", "line 2 is UTF-8", "line 3 is not"),
        "a file mixing UTF-8 and cp1252 rows (garbled either way)",
        where={"row": 3},
    ),
    Case(
        "csv-bom-in-the-middle",
        "validate",
        csv_bom_in_the_middle,
        1,
        (),
        "two exports concatenated (a BOM and a header mid-file)",
        # The invisible BOM is shown as an escape, so the reader sees it.
        stdout_needles=("row 3: \\ufeffevent_id_cnty",),
    ),
    Case(
        "csv-10-million-character-cell",
        "validate",
        csv_ten_million_character_cell,
        1,
        (),
        "a 10-million-character cell",
        stdout_needles=("cell_too_long [notes]", "10,000,000 characters"),
    ),
    Case(
        "csv-100000-columns",
        "validate",
        csv_hundred_thousand_columns,
        2,
        ("100,031 columns", "at most 2,000"),
        "a CSV with 100,000 columns",
    ),
    Case(
        "csv-formula-cells",
        "validate",
        csv_formula_cells,
        1,
        (),
        "cells beginning with =, +, -, @ (formula injection)",
        stdout_needles=("is_event_id [event_id_cnty]: 4",),
    ),
    Case(
        "parquet-truncated",
        "validate",
        parquet_truncated,
        2,
        ("not a readable Parquet file",),
        "a Parquet file cut short",
    ),
    Case(
        "parquet-wrong-magic",
        "validate",
        parquet_wrong_magic,
        2,
        ("not a readable Parquet file", "magic bytes"),
        "a Parquet file with a wrong magic number",
    ),
    Case(
        "parquet-nested-columns",
        "validate",
        parquet_nested_columns,
        1,
        (),
        "ACLED columns holding structs, lists or maps",
        stdout_needles=("not_an_integer [fatalities]", ": [1 2]"),
    ),
    Case(
        "parquet-unexpected-types",
        "validate",
        parquet_unexpected_types,
        1,
        (),
        "ACLED columns as bytes, booleans and 30-digit decimals",
        stdout_needles=("not_a_number [latitude]", ": True", "not_a_date [event_date]"),
    ),
    Case(
        "parquet-binary-not-utf8",
        "validate",
        parquet_binary_not_utf8,
        2,
        ("not UTF-8", "row 2", "'event_date'"),
        "a binary ACLED column that is not text",
        where={"row": 2, "column": "event_date"},
    ),
    Case(
        "parquet-string-not-utf8",
        "validate",
        parquet_string_not_utf8,
        2,
        ("not UTF-8", "row 3", "'source'"),
        "a Parquet string column holding bytes that are not UTF-8 (found by fuzzing)",
        where={"row": 3, "column": "source"},
    ),
    Case(
        "parquet-huge-row-group",
        "validate",
        parquet_huge_row_group,
        1,
        (),
        "400,000 rows in one row group",
        stdout_needles=("rows: 400,000", "is_non_negative [fatalities]: 400,000"),
    ),
    Case(
        "jsonl-one-broken-line",
        "validate",
        jsonl_one_broken_line,
        2,
        ("row 3", "not valid JSON"),
        "JSON Lines with one broken line",
        where={"row": 3},
    ),
    Case(
        "xlsx-not-a-zip",
        "validate",
        xlsx_not_a_zip,
        2,
        ("not a zip archive",),
        "an .xlsx file that is not a zip archive",
    ),
    Case(
        "xlsx-zip-bomb",
        "validate",
        xlsx_zip_bomb,
        2,
        ("would expand", "zip bomb"),
        "an .xlsx whose sheet expands to 3 GiB",
    ),
    # Coding sheets: sahel-events build --codings DIR.
    Case(
        "sheet-python-tag",
        "build",
        sheet_python_tag,
        1,
        ("line 6", "python/object/apply:os.system", "refused"),
        "a coding sheet with a Python tag (code execution under yaml.load)",
    ),
    Case(
        "sheet-alias-bomb",
        "build",
        sheet_alias_bomb,
        1,
        ("line 1", "anchors", "not allowed"),
        "a coding sheet with an alias-expansion bomb (billion laughs)",
    ),
    Case(
        "sheet-duplicate-keys",
        "build",
        sheet_duplicate_keys,
        1,
        ("line 7", "duplicate key 'coded_by'"),
        "a coding sheet with a key given twice",
    ),
    Case(
        "sheet-wrong-types",
        "build",
        sheet_wrong_types,
        1,
        ("expected a whole number", "'many'"),
        "a coding sheet with a field of the wrong type",
        where={"event": "france-suspends-counterterrorism-cooperation", "field": "fatalities"},
    ),
    Case(
        "sheet-50-megabytes",
        "build",
        sheet_fifty_megabytes,
        1,
        ("larger than the 5,242,880-byte limit",),
        "a 50 MB coding sheet",
    ),
    # Geocoder queries: sahel-events geocode QUERY.
    Case(
        "query-control-characters",
        "geocode",
        query_control_characters,
        2,
        ("control character U+001B",),
        "a geocoder query with terminal escape sequences",
    ),
    Case(
        "query-right-to-left-override",
        "geocode",
        query_right_to_left_override,
        1,
        ("no place named 'oaG'",),
        "a geocoder query with a right-to-left override",
    ),
    Case(
        "query-mixed-scripts",
        "geocode",
        query_mixed_scripts,
        1,
        ("mixes Latin and Arabic script",),
        "a geocoder query mixing Latin and Arabic letters",
    ),
    Case(
        "query-100000-characters",
        "geocode",
        query_hundred_thousand_characters,
        2,
        ("100,000 characters", "limit is 256"),
        "a 100,000-character geocoder query",
    ),
)
