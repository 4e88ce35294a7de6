"""Property tests: whatever DataFrame or bytes come in, validate() reports or raises our error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames, range_indexes

from sahel_events import vocabulary
from sahel_events.exc import SahelEventsError
from sahel_events.validation import validate
from sahel_events.validation.report import ENTRY_COLUMNS, ValidationReport

# Cells drawn from what contributed files really hold: the right values, near misses,
# numbers as text, blanks, and junk.
_VOCABULARY = [*vocabulary.EVENT_TYPES, *vocabulary.INTERACTIONS.values(), "Mali", "Western Africa"]
cells = st.one_of(
    st.none(),
    st.sampled_from(_VOCABULARY),
    st.integers(-5, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2025-08-14", "14 August 2025", "14-Aug-25", "14/08/2025", "MLI12", ""]),
)


@st.composite
def event_frames(draw: st.DrawFn) -> pd.DataFrame:
    names = draw(
        st.lists(st.sampled_from(vocabulary.COLUMN_NAMES), min_size=0, max_size=31, unique=True)
    )
    if draw(st.booleans()):
        names = list(vocabulary.COLUMN_NAMES)
    return draw(
        data_frames(
            [column(name, elements=cells, dtype=object) for name in names],
            index=range_indexes(0, 12),
        )
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_frames())
def test_any_frame_gives_a_report(frame: pd.DataFrame) -> None:
    snapshot = frame.copy()
    try:
        report = validate(frame)
    except SahelEventsError:
        return
    assert isinstance(report, ValidationReport)
    assert list(report.entries.columns) == list(ENTRY_COLUMNS)
    assert report.n_rows == len(frame)
    assert set(report.entries["severity"]) <= {"error", "warning", "note"}
    assert report.valid == (report.n_errors == 0)
    report.summary()
    report.to_json()
    pd.testing.assert_frame_equal(frame, snapshot)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.lists(st.sampled_from(vocabulary.COLUMN_NAMES), min_size=1, max_size=8).map(
            lambda names: (",".join(names) + "\n" + ",".join("x" for _ in names) + "\n").encode()
        ),
    ),
    suffix=st.sampled_from([".csv", ".parquet", ".jsonl", ".xlsx", ".txt"]),
)
def test_any_bytes_give_a_report_or_our_error(tmp_path: Path, payload: bytes, suffix: str) -> None:
    path = tmp_path / f"contribution{suffix}"
    path.write_bytes(payload)
    try:
        report = validate(path)
    except SahelEventsError as error:
        assert str(path) in str(error)
        return
    finally:
        assert path.read_bytes() == payload
    assert isinstance(report, ValidationReport)
