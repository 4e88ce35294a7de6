"""The validator's fast paths give what the plain computation gives.

Each shortcut taken for speed (flags instead of hashing for repeated ids, first days
of years instead of calendar fields, one flat lookup in a country's interior grid)
is compared here with the computation it replaces, on inputs that reach both the
shortcut and its fallback.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sahel_events.schema.checks import CHECKS, repeated_keys


@pytest.mark.parametrize("span", [3, 60, 10**9])  # dense, some repeats, too sparse for flags
def test_repeated_keys_agree_with_hashing(span: int) -> None:
    rng = np.random.default_rng(span)
    for _ in range(200):
        size = int(rng.integers(0, 80))
        prefixes = rng.integers(1, 6, size).astype(np.int64)
        keys = (prefixes << 47) | rng.integers(1, span + 1, size)
        expected = pd.Series(keys, dtype="int64").duplicated(keep="first").to_numpy()
        assert repeated_keys(keys).tolist() == expected.tolist()


def test_a_repeat_in_a_second_prefix_is_found_when_the_first_has_none() -> None:
    keys = (np.array([1, 1, 2, 2, 2]) << 47) | np.array([5, 6, 7, 8, 7])
    assert repeated_keys(keys).tolist() == [False, False, False, False, True]


def test_year_check_at_the_edges_of_years() -> None:
    check = CHECKS["year_matches_event_date"].function
    dates = pd.to_datetime(
        ["2020-01-01", "2020-12-31", "2021-01-01", None, "1800-06-01", "2024-02-29", "2024-02-29"]
    )
    frame = pd.DataFrame(
        {
            "event_date": dates,
            "year": pd.array([2020, 2020, 2020, 1999, 1801, None, 0], dtype="Int64"),
        }
    )
    assert check(frame).tolist() == [True, True, False, True, False, True, False]
    # The same verdicts from the calendar fields, on a frame the shortcut does not take.
    as_float = frame.assign(year=frame["year"].astype("float64"))
    assert check(as_float).tolist() == check(frame).tolist()


def test_year_of_an_aware_date_is_the_year_of_its_time_zone() -> None:
    check = CHECKS["year_matches_event_date"].function
    evening = pd.to_datetime(["2020-12-31 23:30"]).tz_localize("Africa/Bamako")
    frame = pd.DataFrame(
        {"event_date": evening.tz_convert("Asia/Tokyo"), "year": pd.array([2021], dtype="Int64")}
    )
    assert check(frame).tolist() == [True]  # 1 January 2021 in Tokyo


def test_interior_grid_accepts_only_points_inside_the_country() -> None:
    import shapely

    from sahel_events.geo import shapes

    grid = shapes._interior_grid("ML")
    rng = np.random.default_rng(7)
    latitude = rng.uniform(8, 27, 50_000)
    longitude = rng.uniform(-14, 6, 50_000)
    latitude[:3] = [np.nan, 90.0, -91.0]
    accepted = grid.contains(latitude, longitude)
    assert accepted.sum() > 10_000  # the grid decides most of the country's points
    inside = shapely.contains_xy(shapes._prepared("ML"), longitude, latitude)
    assert not (accepted & ~inside).any()
