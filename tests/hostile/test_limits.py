"""Bounded work and invalid values, second round (issue 15): each input generated here.

A Parquet dictionary bomb, an over-long JSON Lines line, JSON nested a thousand
deep, unsigned fatalities of 2**64-1, UTF-32 text, terminal escapes in a cell,
150,000 identical JSON Lines rows: each is refused cleanly (exit 2, the file
and row named) or reported as the invalid value it is, never an internal error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sahel_events.exc import UnreadableFileError
from sahel_events.read import read_events
from sahel_events.validation import validate
from tests.hostile.corpus import HEADER, NAMES, _csv, _row


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sahel_events", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "default"},
    )


def test_parquet_dictionary_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 3_000
    # One 1 MB note repeated: a few kilobytes stored, 3 GB decoded.
    notes = pa.DictionaryArray.from_arrays(
        pa.array([0] * rows, type=pa.int32()), pa.array(["x" * 1_000_000])
    )
    table = pa.table({"event_id_cnty": [f"MLI{i + 1}" for i in range(rows)], "notes": notes})
    path = tmp_path / "bomb.parquet"
    # Without the stored Arrow schema, readers decode the column as plain text.
    pq.write_table(table, path, store_schema=False)
    assert path.stat().st_size < 100_000
    with pytest.raises(UnreadableFileError, match="would decode to more than") as caught:
        validate(path)
    assert caught.value.row == 1


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> int:
    """A chunk may decode to 20 MB: bombs of a few hundred kilobytes decoded show the rule."""
    import sahel_events.read._parquet as module

    monkeypatch.setattr(module, "MAX_DECODED_BYTES", 20_000_000)
    return 20_000_000


@pytest.mark.parametrize("chunk_rows", [None, 1_500])
def test_parquet_bomb_after_a_row_group_of_distinct_values_is_refused(
    tmp_path: Path, small_budget: int, chunk_rows: int | None
) -> None:
    """Notes that differ in the first row group are read plain (no dictionary is worth
    building); a later row group whose dictionary page holds one long note must still
    be read as a dictionary, and refused, before it is decoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 3_000
    ids = pa.array([f"MLI{i + 1}" for i in range(rows)])
    long_note = "x" * (small_budget // 1_000)  # 3,000 of them: 3 budgets
    distinct = pa.array([f"note {i}" for i in range(rows)]).dictionary_encode()
    bomb = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array([long_note]))
    path = tmp_path / "late-bomb.parquet"
    schema = pa.schema([("event_id_cnty", pa.string()), ("notes", bomb.type)])
    with pq.ParquetWriter(path, schema, store_schema=False) as writer:
        writer.write_table(pa.table({"event_id_cnty": ids, "notes": distinct}, schema=schema))
        writer.write_table(pa.table({"event_id_cnty": ids, "notes": bomb}, schema=schema))
    assert path.stat().st_size < 200_000
    with pytest.raises(UnreadableFileError, match="would decode to more than") as caught:
        validate(path, chunk_rows=chunk_rows or 1_000_000)
    assert caught.value.row == (1 if chunk_rows is None else rows + 1)


def test_parquet_prefix_bomb_is_refused_before_decoding(tmp_path: Path, small_budget: int) -> None:
    """DELTA_BYTE_ARRAY stores each value as a prefix shared with the one before: a long
    note repeated is a few kilobytes stored and many times the budget decoded, with no
    dictionary page to give it away, so its column is read as a dictionary."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 3_000
    table = pa.table(
        {
            "event_id_cnty": [f"MLI{i + 1}" for i in range(rows)],
            "notes": ["x" * (small_budget // 1_000)] * rows,
        }
    )
    path = tmp_path / "prefix-bomb.parquet"
    pq.write_table(
        table,
        path,
        use_dictionary=False,
        column_encoding={"notes": "DELTA_BYTE_ARRAY"},
        compression="zstd",
        store_schema=False,
    )
    assert path.stat().st_size < 200_000
    with pytest.raises(UnreadableFileError, match="would decode to more than"):
        validate(path)


def test_json_lines_line_over_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sahel_events.read._json as module

    monkeypatch.setattr(module, "MAX_LINE_BYTES", 1_000)
    path = tmp_path / "long.jsonl"
    path.write_text(
        json.dumps({"event_id_cnty": "MLI1"}) + "\n" + json.dumps({"notes": "z" * 5_000}) + "\n"
    )
    with pytest.raises(UnreadableFileError, match="longer than") as caught:
        read_events(path)
    assert caught.value.row == 2


@pytest.mark.parametrize("suffix", ["jsonl", "json"])
def test_json_nested_a_thousand_deep_names_the_record(tmp_path: Path, suffix: str) -> None:
    deep = "[" * 1_000 + "]" * 1_000
    record = '{"event_id_cnty": "MLI2", "notes": ' + deep + "}"
    first = '{"event_id_cnty": "MLI1"}'
    path = tmp_path / f"deep.{suffix}"
    text = f"{first}\n{record}\n" if suffix == "jsonl" else f"[{first}, {record}]"
    path.write_text(text)
    with pytest.raises(UnreadableFileError, match="nests deeper than") as caught:
        read_events(path)
    assert caught.value.row == 2
    result = _cli("validate", "-q", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_parquet_uint64_fatalities_are_invalid_values(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {"event_id_cnty": ["MLI1", "MLI2"], "fatalities": pa.array([2**64 - 1, 3], pa.uint64())}
    )
    path = tmp_path / "uint.parquet"
    pq.write_table(table, path)
    report = validate(path)
    bad = report.errors[report.errors["check"] == "not_an_integer"]
    assert bad["row"].tolist() == [1] and bad["value"].tolist() == [str(2**64 - 1)]
    assert read_events(path)["fatalities"].tolist()[1] == 3


def test_utf32_is_reported_as_utf32(tmp_path: Path) -> None:
    path = tmp_path / "utf32.csv"
    path.write_bytes(_csv([_row(1)]).encode("utf-32"))
    with pytest.raises(UnreadableFileError, match="UTF-32"):
        read_events(path)


def test_terminal_escapes_in_stored_text_are_reported_escaped(tmp_path: Path) -> None:
    cells = _row(1, notes="Clashes\x1b]52;c;cm0gLXJmIH4=\x07 near Gao\rVALID")
    path = tmp_path / "escapes.csv"
    path.write_text(_csv([cells]), encoding="utf-8")
    report = validate(path)
    found = report.warnings[report.warnings["check"] == "control_characters"]
    assert found["column"].tolist() == ["notes"]
    assert "\\x1b" in found["value"].iloc[0] and "\x1b" not in found["value"].iloc[0]
    result = _cli("validate", "-q", str(path))
    assert "\x1b" not in result.stdout


def test_identical_json_lines_rows_validate(tmp_path: Path) -> None:
    # 150,000 identical rows once made GEOS raise bad_alloc in the coordinates check.
    record = dict(zip(NAMES, _row(1), strict=True))
    record["latitude"], record["longitude"] = 40.0, 40.0  # far outside Mali: every row checked
    line = json.dumps(record) + "\n"
    path = tmp_path / "same.jsonl"
    path.write_text(line * 150_000)
    report = validate(path)
    assert report.n_rows == 150_000
    counts = report.counts.set_index("check")["count"]
    assert counts["coordinates_in_country"] == 150_000
    assert counts["unique_event_id"] == 149_999


def test_no_numpy_warning_reaches_stderr_under_quiet(tmp_path: Path) -> None:
    cells = _row(1)
    cells[22], cells[23], cells[28] = "inf", "nan", "1e400"
    path = tmp_path / "numbers.csv"
    path.write_text(HEADER + "\n" + ",".join(cells) + "\n")
    result = _cli("validate", "-q", str(path))
    assert result.returncode == 1
    assert "RuntimeWarning" not in result.stderr
