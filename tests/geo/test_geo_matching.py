"""How a query finds its place: the binding hint, match tiers, grammar, honest answers.

The places are real event locations of central Mali, Burkina Faso and western
Niger, spelled as the French, English and Arabic press spells them; each case
is one a new user hit with the cities500 gazetteer (issue 11).
"""

from __future__ import annotations

import pytest

from sahel_events.exc import PlaceNotFound
from sahel_events.geo import GEO_PRECISION, MATCH_KINDS, Gazetteer, geocode, geocode_all


@pytest.mark.parametrize(
    ("query", "hint", "alpha2", "near"),
    [
        # Confidently wrong before: Bonn, Türkiye, Japan, Nigeria, Angola.
        ("Boni", "ML", "ML", (15.08, -2.22)),
        ("Solhan", "BF", "BF", (13.38, 0.45)),
        ("Léré", "ML", "ML", (15.71, -4.91)),
        ("سومبي", "ML", "ML", None),
    ],
)
def test_a_country_hint_binds(
    query: str, hint: str, alpha2: str, near: tuple[float, float] | None
) -> None:
    for location in geocode_all(query, hint):
        assert location.raw["alpha2"] == alpha2
    best = geocode(query, hint)
    if near is not None:
        assert (best.latitude, best.longitude) == pytest.approx(near, abs=0.02)


def test_nothing_outside_the_hint_is_ever_returned() -> None:
    gazetteer = Gazetteer()
    assert gazetteer.geocode("Bonn", country_codes="ML") is None or (
        gazetteer.geocode("Bonn", country_codes="ML").raw["alpha2"] == "ML"
    )
    assert gazetteer.geocode("Qwzxplorf", country_codes=["ML", "NE"]) is None
    with pytest.raises(PlaceNotFound, match="in ML"):
        geocode("Qwzxplorf", "ML")


@pytest.mark.parametrize(
    ("query", "hint", "name"),
    [
        ("Sévaré", None, "Sévaré"),
        ("Hombori", None, "Hombori"),
        ("Barsalogho", None, "Barsalogo"),  # GeoNames' main name; the press's is an alternate
        ("Tongo Tongo", "NE", "Tongo Tongo"),
        ("Seytenga", "BF", "Sitenga"),
        ("Tessit", "ML", "Tessit"),
        ("Ouaga", None, "Ouagadougou"),  # a nickname (scripts/gazetteer/nicknames.csv)
    ],
)
def test_villages_the_cities500_gazetteer_lacked(query: str, hint: str | None, name: str) -> None:
    raw = geocode(query, hint).raw
    assert raw["name"] == name
    assert raw["feature_kind"] in {"village", "town", "capital"}
    assert raw["geo_precision"] == 1


def test_tessit_longitude_is_corrected() -> None:
    # GeoNames has -0.30; the build's corrections table puts it east of Greenwich.
    assert geocode("Tessit", "ML").longitude == pytest.approx(0.30, abs=0.01)


@pytest.mark.parametrize(
    ("query", "hint", "name", "match"),
    [
        ("Boulikessi", "ML", "Boulkessi", "fuzzy"),
        ("Tchin-Tabarade", "NE", "Tchintabaraden", "fuzzy"),
        ("Hombory", "ML", "Hombori", "variant"),
        ("ميناكا", "ML", "Ménaka", "transliteration"),
        ("سيقو", "ML", "Ségou", "transliteration"),
        ("أنسونغو", "ML", "Ansongo", "transliteration"),
        ("تساليت", "ML", "Tessalit", "transliteration"),
    ],
)
def test_spelling_guesses_say_what_they_are(query: str, hint: str, name: str, match: str) -> None:
    raw = geocode(query, hint).raw
    assert (raw["name"], raw["match"]) == (name, match)
    assert 0 < raw["score"] <= 100
    assert raw["match"] in MATCH_KINDS


def test_spelling_guesses_only_within_a_hint_or_region() -> None:
    with pytest.raises(PlaceNotFound):
        geocode("Tchin-Tabarade")  # no hint, no region: no guess
    with pytest.raises(PlaceNotFound):
        geocode("ميناكا")
    assert Gazetteer(region="sahel").geocode("ميناكا").raw["name"] == "Ménaka"


def test_exact_names_rank_before_guesses_and_score_100() -> None:
    raw = geocode("Ménaka", "ML").raw
    assert (raw["match"], raw["score"]) == ("exact", 100.0)
    assert geocode("باماكو", "ML").raw["match"] == "alternate name"


@pytest.mark.parametrize(
    "query",
    ["وبباريس", "فبباريس", "ولباريس", "بباريس"],  # stacked and single proclitics
)
def test_arabic_proclitics_stack(query: str) -> None:
    assert geocode(query, "FR").raw["name"] == "Paris"


def test_ambiguity_lists_the_far_candidates() -> None:
    raw = geocode("Boni", "ML").raw
    assert raw["ambiguous"] is True
    assert raw["candidates"] and all(c["distance_km"] > 50 for c in raw["candidates"])
    assert {c["alpha2"] for c in raw["candidates"]} == {"ML"}
    assert geocode("Hombori", "ML").raw["ambiguous"] is False


def test_exactly_one_false_gives_ranked_candidates() -> None:
    locations = Gazetteer().geocode("Boni", exactly_one=False, country_codes="ML")
    assert isinstance(locations, list) and len(locations) >= 2
    assert locations[0].raw["name"] == "Boni"
    assert all(location.raw["alpha2"] == "ML" for location in locations)


# --- the query grammar --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "hint", "feature", "precision"),
    [
        ("Ménaka, Mali", None, "town", 1),
        ("cercle de Bankass", None, "admin2", 2),
        ("province du Soum", None, "admin2", 2),
        ("département de Téra", None, "admin2", 2),
        ("région de l'Est", "BF", "admin1", 3),
        ("région de la Boucle du Mouhoun", None, "admin1", 3),
        ("Timbuktu region", None, "admin1", 3),
        ("ولاية غاو", "ML", "admin1", 3),
        ("منطقة موبتي", None, "admin1", 3),
        ("دائرة بانكاس", "ML", "admin2", 2),
        ("قرية هومبوري", "ML", "village", 1),
    ],
)
def test_unit_words_ask_for_a_kind_of_unit(
    query: str, hint: str | None, feature: str, precision: int
) -> None:
    raw = geocode(query, hint).raw
    assert raw["feature"] == feature, raw["name"]
    assert raw["geo_precision"] == precision == GEO_PRECISION[feature]


def test_a_commune_without_its_own_feature_stands_at_its_seat() -> None:
    raw = geocode("commune rurale de Mondoro", "ML").raw
    assert raw["name"] == "Mondoro"
    assert (raw["stands_for"], raw["geo_precision"]) == ("admin3", 2)


@pytest.mark.parametrize("query", ["near Gao", "près de Gao", "قرب غاو", "بالقرب من غاو"])
def test_near_gives_geo_precision_2(query: str) -> None:
    location = geocode(query, "ML")
    assert location.raw["name"] == "Gao"
    assert (location.raw["near"], location.raw["geo_precision"]) == (True, 2)
    assert location.address.startswith("near ")


def test_a_country_after_a_comma_binds_like_a_hint() -> None:
    assert geocode("Gao, Burkina Faso").raw["alpha2"] == "BF"
    with pytest.raises(PlaceNotFound, match="outside the country hint"):
        geocode("Gao, Burkina Faso", "ML")


@pytest.mark.parametrize(
    ("query", "countries"),
    [
        ("frontière nigéro-malienne", ["NE", "ML"]),
        ("la zone des trois frontières", ["ML", "NE", "BF"]),
        ("المثلث الحدودي", ["ML", "NE", "BF"]),
    ],
)
def test_adjectival_and_named_borders(query: str, countries: list[str]) -> None:
    raw = geocode(query).raw
    assert raw["countries"] == countries
    assert (raw["feature"], raw["geo_precision"]) == ("border area", 3)


# --- sources ----------------------------------------------------------------------------


def test_osm_answers_only_where_geonames_has_no_entry() -> None:
    # Talataye (Ménaka region) is in OpenStreetMap only.
    raw = geocode("Talataye", "ML").raw
    assert (raw["source"], raw["match"]) == ("osm", "exact")
    assert raw["geonames_id"] is None and raw["osm_id"] > 0
    assert Gazetteer(sources=["geonames"]).geocode("Talataye", country_codes="ML") is None
    # Diabaly: GeoNames spells it Diabali. OSM's exact name answers before a
    # GeoNames spelling guess; without OSM, the guess says it is one.
    assert geocode("Diabaly", "ML").raw["source"] == "osm"
    guessed = Gazetteer(sources=["geonames"]).geocode("Diabaly", country_codes="ML").raw
    assert (guessed["name"], guessed["match"]) == ("Diabali", "variant")
    assert geocode("Hombori", "ML").raw["source"] == "geonames"


def test_unknown_source_is_a_usage_error() -> None:
    from sahel_events.exc import UsageError

    with pytest.raises(UsageError, match="unknown gazetteer source 'wikipedia'"):
        Gazetteer(sources=["wikipedia"])
