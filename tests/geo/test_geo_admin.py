"""Admin units versioned by date, and the units a point lies in."""

from __future__ import annotations

import pytest

from sahel_events.geo import Gazetteer, admin1_units, admin2_units, admin_units_at


def test_burkina_faso_2025_provinces_and_regions() -> None:
    after = {unit.name: unit for unit in admin2_units("BF", on="2025-08-01")}
    before = {unit.name: unit for unit in admin2_units("BF", on="2024-01-01")}
    assert (len(after), len(before)) == (47, 45)
    assert {"Dyamongou", "Karo-Peli"} == set(after) - set(before)
    assert (after["Soum"].admin1, before["Soum"].admin1) == ("Soum", "Sahel")
    assert after["Séno"].admin1 == "Liptako"
    regions = {unit.name for unit in admin1_units("BF", on="2025-08-01")}
    assert {unit.admin1 for unit in after.values()} == regions


def test_mali_2023_regions_and_niger() -> None:
    assert len(admin1_units("ML", on="2025-01-01")) == 20
    assert len(admin1_units("NE", on="2025-01-01")) == 8
    cercles = {unit.name for unit in admin2_units("ML")}
    assert {"Bankass", "Koro", "Douentza"} <= cercles
    assert len(admin2_units("NE")) >= 30


def test_a_burkina_point_takes_its_province_from_the_polygon() -> None:
    djibo = (14.10, -1.63)
    units = admin_units_at(*djibo, "BF", on="2025-08-01")
    assert units == {
        "admin1": "Soum",
        "admin1_method": "polygon",
        "admin2": "Soum",
        "admin2_method": "polygon",
    }
    assert admin_units_at(*djibo, "BF", on="2020-01-01")["admin1"] == "Sahel"


def test_a_niger_point_takes_its_region_from_the_polygon_and_its_departement_from_a_seat() -> None:
    units = admin_units_at(14.73, 0.92, "NE")  # Ayorou
    assert (units["admin1"], units["admin1_method"]) == ("Tillabéri", "polygon")
    assert units["admin2_method"] in {"nearest seat", "nearest unit point"}
    assert units["admin2"]


def test_mali_regions_after_2023_come_from_the_nearest_seat() -> None:
    bandiagara = (14.35, -3.61)
    old = admin_units_at(*bandiagara, "ML", on="2010-01-01")
    new = admin_units_at(*bandiagara, "ML", on="2025-01-01")
    assert (old["admin1"], old["admin1_method"]) == ("Mopti", "polygon")
    assert (new["admin1"], new["admin1_method"]) == ("Bandiagara", "nearest seat")


def test_reverse_reports_the_admin_units_and_how() -> None:
    raw = Gazetteer().reverse((14.10, -1.63), on="2025-08-01").raw
    assert (raw["admin1"], raw["admin2"], raw["admin1_method"]) == ("Soum", "Soum", "polygon")
    assert raw["feature_kind"] in {"town", "village", "capital"}
    paris = Gazetteer().reverse((48.85, 2.35)).raw
    assert paris["admin1_method"] == "nearest place"


def test_other_countries_have_no_admin_reference() -> None:
    assert admin_units_at(48.85, 2.35, "FR") is None
    with pytest.raises(Exception, match="unknown country"):
        admin2_units("Atlantis")
