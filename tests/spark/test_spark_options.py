"""``validate --engine spark`` honours the reader's options it can, and refuses the others.

``--na-values``, ``--dayfirst``/``--monthfirst`` and ``--chunk-rows`` reach the
executors and give the in-process report; ``--sheet`` (Parquet has no sheets) and
``--from ucdp`` (the crosswalk reads whole CSV/Excel/GeoJSON files in process) are
usage errors, exit 2, before any Spark session starts. No option is silently ignored.
Rows made up here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.exc import UsageError
from sahel_events.testing import synthetic_events

TODAY = "2030-01-01"
BATCH = "spark.sql.execution.arrow.maxRecordsPerBatch"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _text_dates(path: Path, *, proven_from: int | None = None) -> Path:
    """Parquet whose event_date is month-first text that no value proves (3/4/2024...).

    From row ``proven_from`` on, the dates are day-first with days over 12, which prove
    the order. Ten ``assoc_actor_1`` cells hold ``NA``.
    """
    frame = synthetic_events(120, seed=61)
    days = pd.to_datetime([f"2024-{i % 12 + 1:02d}-{i % 11 + 1:02d}" for i in range(120)])
    text = pd.Series(days.strftime("%m/%d/%Y"), index=frame.index)
    if proven_from is not None:
        late = pd.to_datetime([f"2024-{i % 12 + 1:02d}-{i % 15 + 13:02d}" for i in range(120)])
        text.iloc[proven_from:] = late[proven_from:].strftime("%d/%m/%Y")
    frame["event_date"] = text
    frame["year"] = 2024
    frame["timestamp"] = 1_767_225_600  # 2026-01-01: after every event
    frame.loc[frame.index[:10], "assoc_actor_1"] = "NA"
    frame.to_parquet(path)
    return path


def _file_checks(report: dict[str, Any]) -> list[str]:
    return sorted(entry["check"] for entry in report["entries"] if entry["row"] is None)


@pytest.mark.parametrize(
    ("options", "valid", "file_checks"),
    [
        ((), False, ["date_order_ambiguous", "missing_marker"]),
        (("--monthfirst",), True, ["missing_marker"]),
        (("--monthfirst", "--na-values", "nan"), True, []),
        (("--dayfirst", "--na-values", ""), True, []),
    ],
)
def test_na_values_and_date_order_give_the_in_process_report(
    spark: Any,
    tmp_path: Path,
    options: tuple[str, ...],
    valid: bool,
    file_checks: list[str],
) -> None:
    path = str(_text_dates(tmp_path / "text-dates.parquet"))
    args = ["validate", "--today", TODAY, "--format", "json", "-q", *options, path]
    local = run(*args)
    code, out, err = run(*args[:1], "--engine", "spark", *args[1:])
    assert code == local[0] == (0 if valid else 1), err
    report = json.loads(out)
    assert report == json.loads(local[1])
    assert _file_checks(report) == file_checks
    if "--na-values" in options:  # NA kept as written: the cells are not blank
        assert not any(e["check"] == "missing_marker" for e in report["entries"])


def test_chunk_rows_reaches_the_executors(spark: Any, tmp_path: Path) -> None:
    # Rows 1-60 do not show the date order, rows 61-120 prove it day first: checked as
    # one chunk the file is read day first; in chunks of 60, the first chunk cannot be.
    path = str(_text_dates(tmp_path / "proven-late.parquet", proven_from=60))
    previous = spark.conf.get(BATCH, None)
    spark.conf.set(BATCH, "60")  # Spark hands over 60-row batches, so chunks can be 60
    try:
        whole = run("validate", "--engine", "spark", "--today", TODAY, "--format", "json", path)
        chunked = run(
            "validate", "--engine", "spark", "--chunk-rows", "60", "--today", TODAY,
            "--format", "json", path,
        )  # fmt: skip
    finally:
        if previous is None:
            spark.conf.unset(BATCH)
        else:
            spark.conf.set(BATCH, previous)
    assert whole[0] == 0, whole[2]
    assert "date_order_ambiguous" not in _file_checks(json.loads(whole[1]))
    assert chunked[0] == 1, chunked[2]
    assert "date_order_ambiguous" in _file_checks(json.loads(chunked[1]))


@pytest.mark.parametrize(
    ("options", "named", "why"),
    [
        (("--sheet", "Data"), "--sheet", "which have no sheets"),
        (("--sheet", "0"), "--sheet", "which have no sheets"),
        (("--from", "ucdp"), "--from ucdp", "crosswalk reads whole files in process"),
    ],
)
def test_options_spark_cannot_honour_are_usage_errors(
    tmp_path: Path, options: tuple[str, ...], named: str, why: str
) -> None:
    # No Spark session needed: the combination is refused before one starts.
    path = tmp_path / "events.parquet"
    synthetic_events(3, seed=62).to_parquet(path)
    code, out, err = run("validate", "--engine", "spark", *options, str(path))
    assert code == 2 and out == ""
    assert named in err and "--engine spark" in err and why in err
    assert "Traceback" not in err


def test_the_python_api_checks_the_reader_options_before_starting_spark() -> None:
    from sahel_events import spark as sahel_spark

    with pytest.raises(UsageError, match="date_order must be"):
        sahel_spark.validate("events.parquet", date_order="yearfirst")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="na_values must be a collection"):
        sahel_spark.validate("events.parquet", na_values="NA")  # type: ignore[arg-type]
