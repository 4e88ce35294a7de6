"""Mali's 159 cercles of the 2023 reform and where their seats are."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sahel_events.geo import admin2_units, admin_units_at
from sahel_events.geo.admin import table_seat_point

ROOT = Path(__file__).resolve().parents[2]
GEODATA = Path(os.environ.get("SAHEL_EVENTS_GEODATA") or ROOT.parent / "shared" / "geodata")

#: Cercles per region (Law 2023-006; maliweb.net's counts per region).
COUNTS_2025 = {
    "Kayes": 10, "Koulikoro": 8, "Sikasso": 8, "Ségou": 11, "Mopti": 8, "Tombouctou": 13,
    "Gao": 16, "Kidal": 9, "Taoudénit": 6, "Ménaka": 6, "Nioro": 6, "Kita": 6, "Dioïla": 6,
    "Nara": 6, "Bougouni": 10, "Koutiala": 8, "San": 7, "Douentza": 6, "Bandiagara": 9,
}  # fmt: skip
#: The region before 2016 (a Natural Earth polygon) each region of 2023 was carved from.
OLD_REGION = {
    "Nioro": "Kayes", "Kita": "Kayes", "Dioïla": "Koulikoro", "Nara": "Koulikoro",
    "Bougouni": "Sikasso", "Koutiala": "Sikasso", "San": "Ségou", "Douentza": "Mopti",
    "Bandiagara": "Mopti", "Taoudénit": "Tombouctou", "Ménaka": "Gao",
}  # fmt: skip
#: Seats of a new region that lay in another old region (Ouélessébougou: Kati cercle).
OLD_REGION_OF_CERCLE = {"Ouélessébougou": "Koulikoro"}
#: A seat may lie this far (degrees) outside its polygon (simplified to ~1 km).
TOLERANCE = 0.03


def test_159_cercles_in_force_from_2024_with_the_counts_per_region() -> None:
    after = admin2_units("ML", on="2025-01-01")
    assert len(after) == 159
    assert Counter(unit.admin1 for unit in after) == COUNTS_2025
    before = admin2_units("ML", on="2023-06-01")
    assert len(before) == 49
    # The 49 still exist, smaller; 110 are new.
    assert {unit.name for unit in before} < {unit.name for unit in after}
    new = {unit.name: unit for unit in after}
    assert {"Sokoura", "Boni", "Hombori", "Taoudenni", "Kadiana"} <= set(new)
    assert all(unit.source and unit.kind == "cercle" for unit in after)


def test_keniéba_stays_in_kayes_region() -> None:
    for day in ("2020-01-01", "2025-01-01"):
        assert {u.name: u.admin1 for u in admin2_units("ML", on=day)}["Kéniéba"] == "Kayes"


def _old_region(unit) -> str:  # type: ignore[no-untyped-def]
    return OLD_REGION_OF_CERCLE.get(unit.name) or OLD_REGION.get(unit.admin1, unit.admin1)


def test_every_seat_lies_in_mali_and_in_its_old_region() -> None:
    import shapely

    from sahel_events.geo import _data
    from sahel_events.geo.shapes import country_shapes

    mali = country_shapes()["MLI"]
    shapes = {s["name"]: s["geometry"] for s in _data.admin_shapes() if s["alpha2"] == "ML"}
    placed, outside = 0, []
    for unit in admin2_units("ML", on="2025-01-01"):
        point = table_seat_point(unit)
        if point is None:
            assert "seat not placed" in unit.note, unit.name
            continue
        placed += 1
        latitude, longitude = point
        region = shapes[_old_region(unit)]
        seat = shapely.Point(longitude, latitude)
        if shapely.distance(mali, seat) > TOLERANCE or shapely.distance(region, seat) > TOLERANCE:
            outside.append(unit.name)
    assert outside == []
    assert placed >= 140


def test_a_seat_moved_out_of_its_region_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import sahel_events.geo.admin1 as admin1

    rows = admin1._admin2_rows()
    # Sokoura's seat put at a wrong namesake, in the old Sikasso region.
    moved = tuple(
        dataclasses.replace(row, seat_latitude=11.35, seat_longitude=-5.70)
        if row.name == "Sokoura"
        else row
        for row in rows
    )
    monkeypatch.setattr(admin1, "_admin2_rows", lambda: moved)
    with pytest.raises(AssertionError):
        test_every_seat_lies_in_mali_and_in_its_old_region()


@pytest.mark.parametrize(
    ("point", "new", "old"),
    [
        ((13.51, -3.76), "Sokoura", "Bankass"),
        ((15.07, -2.21), "Boni", "Douentza"),
        ((15.71, -4.90), "Léré", "Youwarou"),
        ((15.28, -1.69), "Hombori", "Douentza"),
    ],
)
def test_a_point_near_a_new_seat_takes_the_new_cercle_from_2024(
    point: tuple[float, float], new: str, old: str
) -> None:
    from sahel_events.geo.admin import _admin2_seats

    _admin2_seats.cache_clear()
    assert admin_units_at(*point, "ML", on="2025-01-01")["admin2"] == new
    assert admin_units_at(*point, "ML", on="2023-01-01")["admin2"] == old


def test_from_2024_a_point_s_region_is_its_cercle_s() -> None:
    from sahel_events.geo.admin import _polygon_at

    regions = {unit.name: unit.admin1 for unit in admin2_units("ML", on="2025-01-01")}
    checked = 0
    for latitude in range(11, 25):
        for longitude in range(-12, 5):
            if _polygon_at(latitude, longitude, "ML") is None:
                continue
            units = admin_units_at(latitude, longitude, "ML", on="2025-01-01")
            assert units["admin1"] == regions[units["admin2"]], (latitude, longitude)
            assert units["admin1_method"] == "nearest admin2 seat"
            checked += 1
    assert checked > 80
    # Kéniéba's surroundings are in Kayes region, not Kita's.
    assert admin_units_at(12.84, -11.24, "ML", on="2025-01-01")["admin1"] == "Kayes"


def test_a_bamako_point_is_in_the_district_which_has_no_cercles() -> None:
    units = admin_units_at(12.64, -8.0, "ML", on="2025-01-01")
    assert units == {
        "admin1": "Bamako",
        "admin1_method": "polygon",
        "admin2": None,
        "admin2_method": "polygon",
    }


def test_an_unplaced_seat_is_not_used() -> None:
    from sahel_events.geo.admin import _admin2_seats

    names = {name for name, _, _ in _admin2_seats("ML", "2025-01-01")}
    unplaced = {u.name for u in admin2_units("ML", on="2025-01-01") if "seat not placed" in u.note}
    assert unplaced and not names & unplaced
    assert len(names) + len(unplaced) == 159


@pytest.mark.skipif(not (GEODATA / "MANIFEST.json").exists(), reason=f"no geodata at {GEODATA}")
def test_the_table_is_what_the_locating_script_writes() -> None:
    script = ROOT / "scripts" / "locate_cercle_seats.py"
    result = subprocess.run(
        [sys.executable, str(script), "--geodata", str(GEODATA), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # It names what it could not place.
    assert "NOT FOUND" in result.stdout and "AMBIGUOUS" in result.stdout


@pytest.mark.parametrize(
    ("point", "cercle"),
    [((13.96, -5.36), "Macina"), ((12.84, -11.24), "Kéniéba")],
)
def test_old_cercles_whose_namesake_seat_was_the_wrong_village(
    point: tuple[float, float], cercle: str
) -> None:
    # The name lookup put Macina's seat near Kayes (620 km off) and Kéniéba's
    # near Bamako (350 km off); the table's seats are the towns.
    for day in ("2010-01-01", "2020-01-01", "2025-01-01"):
        assert admin_units_at(*point, "ML", on=day)["admin2"] == cercle, day
