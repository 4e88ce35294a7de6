"""Villages where well-known events happened, spelled as the press spells them.

Coordinates are rounded to 0.01 degree (about 1 km): the places' positions as
OpenStreetMap and the press agree on them, written here as plain facts.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sahel_events.geo import Gazetteer


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize(
    ("query", "country", "latitude", "longitude"),
    [
        ("Ogossagou", "ML", 13.96, -3.57),  # the massacre of 23 March 2019
        ("Sobane Da", "ML", 14.47, -3.15),
        ("Boulkessi", "ML", 14.80, -1.30),
        ("Diafarabé", "ML", 14.14, -5.02),
        ("Solhan", "BF", 13.38, 0.45),
        ("Seytenga", "BF", 13.97, 0.31),
        ("Djibo", "BF", 14.10, -1.63),
        ("Arbinda", "BF", 14.23, -0.87),
        ("Inates", "NE", 15.23, 1.31),  # the camp near the Mali border (GeoNames I-n-Atès)
        ("Tongo Tongo", "NE", 15.05, 1.83),
        ("Banibangou", "NE", 15.04, 2.70),
        ("Ayorou", "NE", 14.73, 0.92),
        ("Chinagodrar", "NE", 15.23, 3.00),
        ("Birni N'Konni", "NE", 13.80, 5.25),
        ("Ingall", "NE", 16.79, 6.93),
    ],
)
def test_event_villages_are_found_where_they_are(
    gazetteer: Gazetteer, query: str, country: str, latitude: float, longitude: float
) -> None:
    location = gazetteer.geocode(query, country_codes=country)
    assert location is not None, query
    assert _km(location.latitude, location.longitude, latitude, longitude) < 10, location.raw
    # A village or town; Inatès is GeoNames' well of that name, where the camp is.
    assert location.raw["feature_kind"] in {"village", "town", "well"}
    assert location.raw["geo_precision"] == 1


def test_a_village_known_by_its_quarters_is_found_by_its_own_name(gazetteer: Gazetteer) -> None:
    """GeoNames has Ogossagou only as its two quarters, Ogassagou-Peulh and
    Ogassagou-Dogon (also spelled Ogossagoum-...): the village's name is a
    spelling guess of each, so it answers within the hint, and says how."""
    location = gazetteer.geocode("Ogossagou", country_codes="ML")
    assert location is not None
    assert location.raw["name"].startswith("Ogassagou-")
    assert location.raw["match"] in {"variant", "fuzzy"}  # never "exact"
    assert location.raw["score"] < 100
    assert not location.raw["ambiguous"]  # the two quarters are 500 m apart
    # Spelling guesses only where the caller said where.
    assert gazetteer.geocode("Ogossagou") is None


def test_a_one_letter_word_is_written_both_ways(gazetteer: Gazetteer) -> None:
    """GeoNames writes "Birni N Konni" and the press "Birni N'Konni": the town,
    not the département named after it, answers both."""
    for query in ("Birni N'Konni", "Birni N Konni", "Birni-N'Konni"):
        location = gazetteer.geocode(query, country_codes="NE")
        assert location is not None, query
        assert location.raw["feature_kind"] == "town", (query, location.raw["name"])


@pytest.mark.parametrize(
    ("query", "country", "latitude", "longitude", "within_km"),
    [
        ("lac Faguibine", "ML", 16.76, -3.93, 25),
        ("Lac Débo", "ML", 15.31, -4.10, 10),
        ("barrage de la Kompienga", "BF", 11.18, 0.62, 10),
        ("mare d'Oursi", "BF", 14.63, -0.45, 10),
        ("Mont Hombori", "ML", 15.26, -1.67, 10),
    ],
)
def test_natural_features_by_the_words_the_press_puts_before_them(
    gazetteer: Gazetteer,
    query: str,
    country: str,
    latitude: float,
    longitude: float,
    within_km: float,
) -> None:
    location = gazetteer.geocode(query, country_codes=country)
    assert location is not None, query
    assert location.raw["feature_kind"] in {"wadi/lake", "water feature", "relief", "area"}
    assert _km(location.latitude, location.longitude, latitude, longitude) < within_km
    assert location.raw["geo_precision"] >= 2


def test_a_feature_word_does_not_hide_a_village_named_so(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text(
        "name,latitude,longitude,country,kind\nMare Tiwalan,14.5,-1.5,ML,village\n",
        encoding="utf-8",
    )
    location = Gazetteer(extra_places=places).geocode("Mare Tiwalan", country_codes="ML")
    assert location is not None
    assert (location.raw["name"], location.raw["source"]) == ("Mare Tiwalan", "user")
    # A feature word before an unknown name finds nothing rather than a town.
    assert Gazetteer().geocode("forêt de Qwzxplorf", country_codes="ML") is None
