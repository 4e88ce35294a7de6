"""Property tests: whatever bytes a file holds, reading gives a DataFrame or a SahelEventsError."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sahel_events.exc import SahelEventsError
from sahel_events.read import ISSUE_COLUMNS, iter_events, read_events
from sahel_events.vocabulary import COLUMN_NAMES

SUFFIXES = (".csv", ".jsonl", ".parquet", ".xlsx")
HEADER = ",".join(COLUMN_NAMES).encode()


def _valid_files() -> dict[str, bytes]:
    """One small valid file per format, for mutation."""
    row = {name: "" for name in COLUMN_NAMES}
    row.update(event_id_cnty="MLI1", event_date="2020-01-05", fatalities="2", inter1="1")
    csv_bytes = HEADER + b"\n" + ",".join(row.values()).encode() + b"\n"
    jsonl_bytes = (pd.DataFrame([row]).to_json(orient="records", lines=True) or "").encode()
    parquet = io.BytesIO()
    pq.write_table(pa.table({name: [value] for name, value in row.items()}), parquet)
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(list(COLUMN_NAMES))
    workbook.active.append(list(row.values()))
    excel = io.BytesIO()
    workbook.save(excel)
    return {
        ".csv": csv_bytes,
        ".jsonl": jsonl_bytes,
        ".parquet": parquet.getvalue(),
        ".xlsx": excel.getvalue(),
    }


VALID = _valid_files()


def _read_never_crashes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            events = read_events(path)
        except SahelEventsError as error:
            assert str(path) in str(error)
            assert error.exit_code in (1, 2)
        else:
            assert isinstance(events, pd.DataFrame)
            assert list(events.columns[:31]) == list(COLUMN_NAMES)
            assert list(events.attrs["reader_issues"].columns) == list(ISSUE_COLUMNS)
        try:
            for chunk in iter_events(path, chunk_rows=1):
                assert isinstance(chunk, pd.DataFrame)
        except SahelEventsError:
            pass
        assert path.read_bytes() == data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_never_crash(data: bytes, suffix: str) -> None:
    _read_never_crashes(data, suffix)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tail=st.binary(max_size=512), suffix=st.sampled_from(SUFFIXES), cut=st.integers(0, 4096))
def test_damaged_valid_files_never_crash(tail: bytes, suffix: str, cut: int) -> None:
    valid = VALID[suffix]
    _read_never_crashes(valid[: cut % (len(valid) + 1)] + tail, suffix)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.text(alphabet=st.sampled_from(list('ab1,;"\n\r \t-é')), max_size=300))
def test_csv_text_after_a_valid_header_is_always_read(body: str) -> None:
    data = HEADER + b"\n" + body.encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_bytes(data)
        events = read_events(path)  # any text under a valid header is readable
        lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        assert events.index.is_monotonic_increasing
        assert events.index.is_unique
        if len(events):
            assert events.index.min() >= 2
            assert events.index.max() <= lines
        issues = events.attrs["reader_issues"]
        assert set(issues["check"]) <= {
            "ragged_row",
            "not_a_date",
            "not_an_integer",
            "not_a_number",
            "unknown_legacy_code",
        }
        chunked = list(iter_events(path, chunk_rows=2))
        assert sum(len(chunk) for chunk in chunked) == len(events)
        assert [row for chunk in chunked for row in chunk.index] == events.index.tolist()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_valid_mutation_seeds_read(suffix: str) -> None:
    """The seeds of the mutation test are themselves readable (else it tests nothing)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"seed{suffix}"
        path.write_bytes(VALID[suffix])
        events = read_events(path)
        assert events["event_id_cnty"].tolist() == ["MLI1"]
        assert events["inter1"].tolist() == ["State forces"]
