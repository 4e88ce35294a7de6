"""Validate a contributed event file, read the report, set the failing rows aside, validate again.

Runs offline in a few seconds: the "contribution" is a CSV of synthetic events
(invented, not ACLED's) with a few rows broken the way real contributions are.

    python examples/validate_contributions.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import sahel_events
from sahel_events.testing import break_rows, synthetic_events

with tempfile.TemporaryDirectory() as folder:
    contribution = Path(folder) / "contribution.csv"
    clean = synthetic_events(500, seed=42)
    messy = break_rows(clean, 0.02, seed=43)
    # Excel users often send semicolon-separated files.
    messy.to_csv(contribution, index=False, sep=";", date_format="%d %B %Y")

    report = sahel_events.validate(contribution)
    print(report.summary(examples=2))
    print()
    print("First errors as a table:")
    print(report.errors.head(5).to_string(index=False))

    # The report names the rows. A year that disagrees with its date is fixed from
    # the date (ACLED's year is the date's); the other rows need the contributor:
    # set them aside, accept the rest (as examples/validate_contributions.ipynb does).
    events = sahel_events.read_events(contribution)
    errors = report.errors
    fixable = errors.loc[errors["check"] == "year_matches_event_date", "row"].astype(int)
    events.loc[fixable, "year"] = events.loc[fixable, "event_date"].dt.year.astype("Int64")
    bad_rows = sorted(set(errors["row"].dropna().astype(int)) - set(fixable))
    accepted = events.drop(index=bad_rows)
    returned = events.loc[bad_rows]
    again = sahel_events.validate(accepted)
    print()
    print(f"years fixed from the dates: {len(fixable)}")
    print(
        f"returned {len(returned)} rows to the contributor (lines {', '.join(map(str, bad_rows[:5]))}, ...)"
    )
    print(f"accepted {len(accepted)} rows: valid={again.valid}, errors={again.n_errors}")
