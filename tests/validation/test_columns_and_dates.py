"""Required columns by every route, and events dated in the future.

A required column no variant excuses (``actor1``) is a ``missing_column`` error
whichever way the table reaches the validator; a column the detected variant never
had is a note. Future events are judged against ``today=`` (default: the run's date).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.exc import UsageError
from sahel_events.read import read_events
from sahel_events.validation import validate
from tests.hostile.corpus import NAMES, _csv_line, _row


def _frame(
    drop: set[str], extra: dict[str, str] | None = None, upper: bool = False
) -> pd.DataFrame:
    keep = [index for index, name in enumerate(NAMES) if name not in drop]
    rows = [[_row(number)[index] for index in keep] for number in (1, 2, 3)]
    frame = pd.DataFrame(rows, columns=[NAMES[index] for index in keep])
    for name, value in (extra or {}).items():
        frame[name] = value
    if upper:
        frame.columns = [name.upper() for name in frame.columns]
    return frame


def _write(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        path.write_text(
            ",".join(frame.columns)
            + "\n"
            + "\n".join(_csv_line(list(row)) for row in frame.itertuples(index=False))
            + "\n"
        )
    elif path.suffix == ".parquet":
        frame.to_parquet(path)
    elif path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    elif path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    return path


#: (label, columns dropped, columns added, upper-case names) of files without actor1.
WITHOUT_ACTOR1 = [
    ("current", {"actor1"}, None, False),
    ("pre-2019", {"actor1", "sub_event_type", "disorder_type", "civilian_targeting"}, None, False),
    ("legacy", {"actor1", "source_scale", "timestamp"}, {"gwno": "432"}, False),
    ("upper-case", {"actor1"}, None, True),
    (
        "monadic",
        {"actor1", "actor2", "assoc_actor_2", "inter2", "disorder_type", "civilian_targeting"},
        {"data_id": "1"},
        False,
    ),
]

ROUTES: dict[str, Callable[[Path], object]] = {
    "path": lambda path: validate(path),
    "path in chunks of one row": lambda path: validate(path, chunk_rows=1),
    "read_events result": lambda path: validate(read_events(path)),
}


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl", ".xlsx"])
@pytest.mark.parametrize(("label", "drop", "extra", "upper"), WITHOUT_ACTOR1)
def test_actor1_absent_is_a_missing_column_error_by_every_route(
    tmp_path: Path,
    suffix: str,
    label: str,
    drop: set[str],
    extra: dict[str, str] | None,
    upper: bool,
) -> None:
    frame = _frame(drop, extra, upper)
    path = _write(frame, tmp_path / f"events{suffix}")
    reports = {name: route(path) for name, route in ROUTES.items()}
    reports["pandas frame"] = validate(frame)
    for route, report in reports.items():
        errors = report.errors  # type: ignore[attr-defined]
        missing = errors[errors["check"] == "missing_column"]["column"].tolist()
        assert "actor1" in missing, (label, route, report.summary())  # type: ignore[attr-defined]
        assert not report.valid  # type: ignore[attr-defined]


def test_a_column_the_variant_never_had_is_a_note_not_an_error(tmp_path: Path) -> None:
    # A legacy file (GWNO) has no source_scale and no timestamp: ACLED's files of the time.
    frame = _frame({"source_scale", "timestamp"}, {"gwno": "432"})
    path = _write(frame, tmp_path / "legacy.csv")
    for report in (validate(path), validate(read_events(path)), validate(frame)):
        assert report.source_format == "acled-v0-legacy"
        assert "missing_column" not in set(report.errors["check"]), report.summary()
        note = report.notes[report.notes["check"] == "absent_in_variant"]
        assert note["column"].tolist() == ["source_scale, timestamp"]


def test_attrs_cannot_excuse_a_column_the_variant_had(tmp_path: Path) -> None:
    # attrs claiming actor1 as the variant's own (put together by hand, or merged across
    # files) do not hide its absence.
    events = read_events(_write(_frame({"actor1"}), tmp_path / "events.csv"))
    events.attrs["source_format"] = "acled-v3-text"
    events.attrs["missing_columns"] = ["actor1"]
    events.attrs["absent_columns"] = []
    report = validate(events)
    assert report.errors["column"][report.errors["check"] == "missing_column"].tolist() == [
        "actor1"
    ]


# --- events in the future ------------------------------------------------------------------


def _dated(path: Path, dates: list[str], stamps: list[str] | None = None) -> Path:
    rows = []
    for number, day in enumerate(dates, start=1):
        cells = _row(number)
        cells[1], cells[2] = day, day[:4]
        if stamps is not None:
            cells[-1] = stamps[number - 1]
        rows.append(cells)
    path.write_text(",".join(NAMES) + "\n" + "\n".join(map(_csv_line, rows)) + "\n")
    return path


def test_an_event_after_today_is_a_warning_judged_against_today(tmp_path: Path) -> None:
    # Upload timestamps after the dates, as in ACLED's exports: only the future rule fires.
    late = str(int(pd.Timestamp("2024-12-31").timestamp()))
    path = _dated(tmp_path / "events.csv", ["2024-03-01", "2024-06-10"], [late, late])
    report = validate(path, today="2024-05-01")
    future = report.warnings[report.warnings["check"] == "event_date_not_in_future"]
    assert future["row"].tolist() == [3] and future["value"].tolist() == ["2024-06-10"]
    assert report.valid and not validate(path, today="2024-05-01", strict=True).valid
    # The day after today is not yet the future anywhere on Earth.
    assert validate(path, today=dt.date(2024, 6, 9)).warnings.empty
    # A DataFrame's rows are its index labels: the second row is label 1.
    assert validate(pd.read_csv(path), today="2024-05-01").warnings["row"].tolist() == [1]


def test_by_default_the_run_date_is_today(tmp_path: Path) -> None:
    path = _dated(tmp_path / "events.csv", ["2024-03-01", "2199-01-01"])
    warnings = validate(path).warnings
    future = warnings[warnings["check"] == "event_date_not_in_future"]
    assert future["row"].tolist() == [3]


def test_today_must_be_a_date(tmp_path: Path) -> None:
    path = _dated(tmp_path / "events.csv", ["2024-03-01"])
    with pytest.raises(UsageError, match="today must be a date"):
        validate(path, today="next week")


def test_cli_today_option(tmp_path: Path) -> None:
    path = _dated(tmp_path / "events.csv", ["2024-03-01", "2024-06-10"])
    result = CliRunner().invoke(
        main, ["validate", "--today", "2024-05-01", "--format", "json", str(path)]
    )
    assert result.exit_code == 0, result.output
    checks = [entry["check"] for entry in json.loads(result.output)["entries"]]
    assert "event_date_not_in_future" in checks
    wrong = CliRunner().invoke(main, ["validate", "--today", "soon", str(path)])
    assert wrong.exit_code == 2 and "today must be a date" in wrong.output
