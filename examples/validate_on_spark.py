"""Validate a hive-partitioned event dataset on Spark, then query it there.

Runs offline on Spark in local mode (``local[2]``; needs ``pip install 'sahel_events[spark]'``
and Java 17+). The dataset is synthetic events (invented, not ACLED's) written by
``write_dataset``, with a few rows broken and one event id repeated in two countries.
On a cluster, give the dataset's ``s3a://`` / ``hdfs://`` / ``dbfs:/`` path instead.

    python examples/validate_on_spark.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import sahel_events
from sahel_events import spark as sahel_spark
from sahel_events.testing import break_rows, synthetic_events

with tempfile.TemporaryDirectory() as folder:
    events = break_rows(synthetic_events(2_000, seed=7), 0.01, seed=8)
    niger = events.index[events["country"] == "Niger"][0]
    events.loc[niger, "event_id_cnty"] = events["event_id_cnty"].iloc[0]  # a Mali id
    root = sahel_events.write_dataset(events, Path(folder) / "events")

    spark = sahel_spark.get_session("local[2]")
    # today= pins the day events may not be dated after: the report is the same any day.
    report = sahel_spark.validate(root, spark=spark, max_errors=50, today="2025-01-01")
    print(report.summary(examples=2))
    print()
    print("Failures, with the file inside the dataset and the record in that file:")
    print(report.errors[["file", "row", "check", "value"]].head(6).to_string(index=False))

    # The same checks as in process: the counts agree with validating the rows here.
    local = sahel_events.validate(events.reset_index(drop=True), today="2025-01-01")
    assert local.n_errors == report.n_errors, (local.n_errors, report.n_errors)
    print(f"\nin process: {local.n_errors} errors; on Spark: {report.n_errors} errors")

    # A contributed Parquet file with month-first text dates and "-" for blanks: the
    # reader's options reach the executors (sheet= and source="ucdp" are not taken:
    # Parquet has no sheets, and UCDP GED's crosswalk runs in process).
    contributed = events.head(200).copy()
    contributed["event_date"] = contributed["event_date"].dt.strftime("%m/%d/%Y")
    contributed.loc[contributed.index[:5], "assoc_actor_1"] = "-"
    text_dates = Path(folder) / "contributed.parquet"
    contributed.to_parquet(text_dates)
    on_spark = sahel_spark.validate(
        text_dates, spark=spark, date_order="monthfirst", na_values=["-"], today="2025-01-01"
    )
    here = sahel_events.validate(
        text_dates, date_order="monthfirst", na_values=["-"], today="2025-01-01"
    )
    assert on_spark.n_errors == here.n_errors and on_spark.n_warnings == here.n_warnings
    markers = on_spark.entries.query("check == 'missing_marker'")["message"].iloc[0]
    print(f"\ncontributed.parquet, month first: {on_spark.n_errors} errors; {markers}")

    # Canonical types on Spark: dates are dates, years small integers.
    frame = sahel_spark.read_dataset(root, spark=spark)
    print()
    frame.groupBy("country", "year").count().orderBy("country", "year").show()
    spark.stop()
