"""Every file the library writes: one mode, CRLF for CSV, nothing left beside it.

All writers go through ``sahel_events._io``; these tests hold each public writer to
that contract, so a writer that bypasses it (a mode of 0600 from ``mkstemp``, LF line
ends in one CSV) fails here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from sahel_events import _io
from sahel_events.exc import OutputError, UnreadableFileError
from sahel_events.export import export
from sahel_events.schema.export import export_schemas
from sahel_events.testing import synthetic_events
from sahel_events.write import write_csv, write_dataset, write_events, write_xlsx


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return synthetic_events(30, seed=11)


def _expected_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


WRITERS: dict[str, Callable[[pd.DataFrame, Path], object]] = {
    "write_events": lambda df, path: write_events(df, path / "events.parquet"),
    "write_csv": lambda df, path: write_csv(df, path / "events.csv"),
    "write_xlsx": lambda df, path: write_xlsx(df, path / "events.xlsx"),
    "write_dataset": lambda df, path: write_dataset(df, path / "dataset"),
    "export csv": lambda df, path: export(df, "csv", path / "events.acled.csv"),
    "export hxl": lambda df, path: export(df, "hxl", path / "events.hxl.csv"),
    "export geojson": lambda df, path: export(df, "geojson", path / "events.geojson"),
    "export ucdp": lambda df, path: export(df, "ucdp", path / "events.ucdp.csv"),
    "export datapackage": lambda df, path: export(df, "datapackage", path / "pkg"),
    "schema export": lambda df, path: export_schemas(path / "schemas"),
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_written_file_has_the_mode_a_new_file_gets(
    writer: str, events: pd.DataFrame, tmp_path: Path
) -> None:
    WRITERS[writer](events, tmp_path)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == _expected_mode(), path
        assert not path.name.startswith("."), f"a temporary file was left behind: {path}"


@pytest.mark.parametrize("writer", [name for name in sorted(WRITERS) if "csv" in name])
def test_every_csv_ends_its_lines_with_crlf(
    writer: str, events: pd.DataFrame, tmp_path: Path
) -> None:
    WRITERS[writer](events, tmp_path)
    (path,) = [path for path in tmp_path.rglob("*.csv")]
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") > 1


def test_the_validation_report_csv_ends_its_lines_with_crlf(tmp_path: Path) -> None:
    from sahel_events import validate

    broken = synthetic_events(5, seed=2).assign(latitude=95.0)
    text = validate(broken).to_csv()
    assert text.count("\n") == text.count("\r\n") > 1


def test_write_text_and_bytes_are_atomic_and_get_the_new_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "note.txt"
    _io.write_text(target, "one\ntwo\n")
    assert target.read_text(encoding="utf-8") == "one\ntwo\n"
    assert stat.S_IMODE(target.stat().st_mode) == _expected_mode()
    _io.write_bytes(target, b"three")
    assert target.read_bytes() == b"three"
    assert sorted(path.name for path in target.parent.iterdir()) == ["note.txt"]


def test_a_failing_writer_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "kept.txt"
    target.write_text("previous")
    with pytest.raises(RuntimeError), _io.atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "previous"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kept.txt"]


def test_a_folder_as_target_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="folder"), _io.atomic_path(tmp_path):
        pass


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_as_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    # Opening a FIFO for reading blocks until a writer comes; open_input must not.
    with pytest.raises(UnreadableFileError, match="FIFO"):
        _io.open_input(fifo)


def test_a_folder_and_a_missing_file_as_input_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="folder"):
        _io.open_input(tmp_path)
    with pytest.raises(UnreadableFileError, match="no such file"):
        _io.open_input(tmp_path / "absent.csv")


def test_a_link_leaving_its_folder_is_refused_only_when_the_folder_is_given(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("private")
    folder = tmp_path / "sheets"
    folder.mkdir()
    link = folder / "sheet.yaml"
    link.symlink_to(outside)
    with pytest.raises(UnreadableFileError, match="outside its folder"):
        _io.open_input(link, within=folder)
    with _io.open_input(link) as handle:
        assert handle.read() == b"private"


def test_read_limited_refuses_a_larger_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    assert _io.read_limited(path, 11) == b"x" * 11
    with pytest.raises(UnreadableFileError, match="larger than 10 bytes"):
        _io.read_limited(path, 10)
