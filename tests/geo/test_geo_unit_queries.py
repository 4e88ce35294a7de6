"""Queries naming an admin unit answer the admin tables' unit, at its seat.

``data/admin1.csv`` and ``data/admin2.csv`` know Mali's 159 cercles (2023
reform), Burkina Faso's provinces and regions (2025 reform) and Niger's
départements, with their seats: ``cercle de Sokoura`` is the cercle of
Bandiagara region, not the village Sokoura near Niafunké.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sahel_events.exc import PlaceNotFound
from sahel_events.geo import Gazetteer, admin2_units, geocode
from sahel_events.geo.gazetteer import AMBIGUOUS_KM, GEO_PRECISION, UNPLACED_SEAT_SCORE, _km


def _unit(country: str, name: str, on: str = "2026-01-01") -> object:
    return next(unit for unit in admin2_units(country, on=on) if unit.name == name)


def _distance(a: object, b: object) -> float:
    return _km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "hint", "match"),
    [
        ("cercle de Sokoura", "ML", "exact"),
        ("Sokoura cercle", "ML", "exact"),
        ("cercle de Sokoura", None, "exact"),
        ("دائرة سوكورا", "ML", "transliteration"),
    ],
)
def test_a_new_cercle_answers_at_its_seat(query: str, hint: str | None, match: str) -> None:
    location = geocode(query, country=hint)
    raw = location.raw
    sokoura = _unit("ML", "Sokoura")
    assert (location.latitude, location.longitude) == (
        sokoura.seat_latitude,  # type: ignore[attr-defined]
        sokoura.seat_longitude,  # type: ignore[attr-defined]
    )
    assert (raw["name"], raw["feature"], raw["admin1"], raw["admin2"]) == (
        "Sokoura",
        "admin2",
        "Bandiagara",
        "Sokoura",
    )
    assert (raw["source"], raw["seat_source"]) == ("admin table", sokoura.seat_source)  # type: ignore[attr-defined]
    assert raw["match"] == match
    assert raw["geo_precision"] == GEO_PRECISION["admin2"] == 2
    assert raw["unit_note"] is None
    # The village near Niafunké that answered before is only an alternative.
    assert hint is None or any(
        (alt["name"], alt["feature_kind"]) == ("Sokoura", "village") and alt["latitude"] > 15.5
        for alt in raw["alternatives"]
    )


def test_with_a_hint_the_namesake_village_does_not_make_the_cercle_ambiguous() -> None:
    raw = geocode("cercle de Sokoura", country="ML").raw
    assert raw["ambiguous"] is False
    # Without a hint a Sokoura of another country could be meant: flagged, and named.
    unhinted = geocode("cercle de Sokoura").raw
    assert unhinted["ambiguous"] is True
    assert unhinted["name"] == "Sokoura" and unhinted["alpha2"] == "ML"
    assert {c["alpha2"] for c in unhinted["candidates"]} - {"ML", "BF", "NE"}
    assert all(c["distance_km"] > AMBIGUOUS_KM for c in unhinted["candidates"])


def test_the_unit_wins_only_when_the_query_says_cercle() -> None:
    cercle = geocode("cercle de Sokoura", country="ML")
    village = geocode("Sokoura", country="ML")
    assert village.raw["feature"] == "village"
    assert village.raw["source"] != "admin table"
    assert _distance(cercle, village) > 100  # near Niafunké, not in Bandiagara region


def test_a_burkina_province_answers_at_its_seat() -> None:
    soum = geocode("province du Soum")
    djibo = geocode("Djibo", country="BF")
    assert _distance(soum, djibo) < 1
    assert (soum.raw["name"], soum.raw["seat"], soum.raw["feature"]) == ("Soum", "Djibo", "admin2")
    assert soum.raw["source"] == "admin table"
    assert soum.raw["seat_source"].startswith(("geonames:", "osm:"))
    # The province's region is that of the day asked for (the 2025 reform made Soum one).
    assert soum.raw["admin1"] == "Soum"
    assert geocode("province du Soum", on="2025-01-01").raw["admin1"] == "Sahel"


def test_a_niger_departement_answers_at_its_seat() -> None:
    tera = geocode("département de Téra", country="NE")
    assert tera.raw["source"] == "admin table"
    assert _distance(tera, geocode("Téra", country="NE")) < 1
    # A département of 2011 (a former poste administratif), without a hint.
    bankilare = geocode("département de Bankilaré")
    assert (bankilare.raw["alpha2"], bankilare.raw["feature"]) == ("NE", "admin2")
    # Named by its seat, as the press does: the Ayérou département is seated at Ayorou.
    ayerou = geocode("département d'Ayorou", country="NE").raw
    assert (ayerou["name"], ayerou["match"], ayerou["source"]) == (
        "Ayérou",
        "alternate name",
        "admin table",
    )


def test_the_hint_binds() -> None:
    # No province Soum in Mali: never Burkina Faso's (a Malian place of the
    # name stands for the unit, as without the tables).
    raw = Gazetteer().geocode("province du Soum", country_codes="ML", exactly_one=False)
    assert raw and {location.raw["alpha2"] for location in raw} == {"ML"}
    assert {location.raw["source"] for location in raw}.isdisjoint({"admin table"})
    raw = geocode("cercle de Sokoura", country="CI").raw
    assert raw["alpha2"] == "CI" and raw["source"] != "admin table"


@pytest.mark.parametrize(
    ("query", "on", "name", "note"),
    [
        ("région du Nord", None, "Yaadga", "Nord (region, until 2025-07-02) is now Yaadga"),
        ("région du Nord", "2025-01-01", "Nord", None),
        ("région de l'Est", None, "Goulmou", "is now split: Goulmou, Sirba, Tapoa"),
        ("département de Matamèye", None, "Kantché", "is now Kantché"),
        ("département de Matamèye", "2010-01-01", "Matamèye", None),
    ],
)
def test_a_former_name_answers_the_unit_that_replaced_it(
    query: str, on: str | None, name: str, note: str | None
) -> None:
    raw = geocode(query, on=on).raw
    assert (raw["name"], raw["source"]) == (name, "admin table")
    if note is None:
        assert (raw["unit_note"], raw["match"]) == (None, "exact")
    else:
        assert note in raw["unit_note"]
        assert raw["match"] == "alternate name"


def test_a_cercle_whose_seat_is_not_placed_is_never_a_confident_answer() -> None:
    # Two villages named Ména lie in the old Dioïla area; the table places neither.
    raw = geocode("cercle de Ména", country="ML").raw
    assert raw["source"] != "admin table"
    assert raw["ambiguous"] is True
    assert raw["score"] <= UNPLACED_SEAT_SCORE
    assert "not placed" in raw["unit_note"]
    # No place of the name at all: not found, and the reason says why.
    with pytest.raises(PlaceNotFound, match=r"the seat of Gabéro .* is not placed"):
        geocode("cercle de Gabéro", country="ML")


def test_every_match_is_listed_and_a_two_level_name_is_not_ambiguous() -> None:
    # إقليم is a province or a region: Soum is both, seated at Djibo.
    locations = Gazetteer().geocode("إقليم سوم", country_codes="BF", exactly_one=False)
    assert isinstance(locations, list)
    assert [loc.raw["feature"] for loc in locations[:2]] == ["admin2", "admin1"]
    assert locations[0].raw["ambiguous"] is False


def test_batch_geocoding_answers_units_from_the_table(tmp_path: Path) -> None:
    from sahel_events.geo.batch import geocode_rows

    rows = [
        {"place": "cercle de Sokoura", "country": "ML"},
        {"place": "province du Soum", "country": "BF"},
        {"place": "cercle de Gabéro", "country": "ML"},
        {"place": "Sokoura", "country": "ML"},
    ]
    out = list(geocode_rows(rows, "place", country_column="country"))
    assert [row["geo_source"] for row in out] == ["admin table", "admin table", "", "geonames"]
    assert [row["geo_feature_kind"] for row in out] == ["admin2", "admin2", "", "village"]
    assert out[2]["geo_status"].startswith("not found")
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    assert "admin table" in path.read_text(encoding="utf-8")
