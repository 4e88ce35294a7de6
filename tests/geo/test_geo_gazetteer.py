"""The offline gazetteer: matching, ranking, countries, border areas, reverse, bad input."""

from __future__ import annotations

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sahel_events
from sahel_events.exc import PlaceNotFound, UsageError
from sahel_events.geo import GEO_PRECISION, Gazetteer, admin1_units, geocode, geocode_all
from sahel_events.geo._normalize import normalize

RAW_KEYS = {
    "name",
    "acled_country",
    "alpha2",
    "alpha3",
    "iso_numeric",
    "admin1",
    "feature_kind",
    "geonames_id",
    "geo_precision",
    "matched_alias",
    "alternatives",
    "admin2",
    "feature",
    "source",
    "match",
    "score",
    "near",
    "ambiguous",
    "candidates",
}
PLACE_KEYS = RAW_KEYS | {"osm_id"}
BORDER_KEYS = RAW_KEYS | {"countries", "geometry_wkt"}
#: A unit of the admin tables (data/admin1.csv, admin2.csv), answered at its seat.
UNIT_KEYS = PLACE_KEYS | {"seat", "seat_source", "unit_note"}


# --- normalisation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ménaka", "menaka"),
        ("MENAKA", "menaka"),
        ("  Ségou  ", "segou"),
        ("N'Djamena", "ndjamena"),
        ("Niger/Burkina   Faso", "niger burkina faso"),
        ("أغاديز", "اغاديز"),  # hamza on alef
        ("إفريقيا", "افريقيا"),  # hamza under alef
        ("آسيا", "اسيا"),  # madda
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("مدينة", "مدينه"),  # ta marbuta
        ("بَامَاكُو", "باماكو"),  # harakat
        ("بامـــاكو", "باماكو"),  # tatweel
        ("النّيجر", "النيجر"),  # shadda
        ("اگاديز", "اغاديز"),  # Persian gaf as Arabic ghain
        ("موپتی", "موبتي"),  # Persian pe and ya
    ],
)
def test_normalize_folds_latin_and_arabic_variants(text: str, key: str) -> None:
    assert normalize(text) == key


# --- the geopy interface -----------------------------------------------------------


def test_gazetteer_is_a_geopy_geocoder_returning_locations() -> None:
    gazetteer = Gazetteer()
    assert isinstance(gazetteer, Geocoder)
    location = gazetteer.geocode("Bamako")
    assert isinstance(location, Location)
    assert location.raw["name"] == "Bamako"
    assert gazetteer.geocode("Qwzxplorf") is None  # geopy's not-found convention


def test_exactly_one_false_gives_a_ranked_list() -> None:
    locations = Gazetteer().geocode("Gao", exactly_one=False)
    assert [location.raw["alpha2"] for location in locations][:2] == ["ML", "BF"]
    hinted = Gazetteer().geocode("Gao", exactly_one=False, country_codes=["BF"])
    assert hinted[0].raw["alpha2"] == "BF"


def test_raw_has_exactly_the_documented_keys() -> None:
    location = geocode("Bamako", country="ML")
    assert set(location.raw) == PLACE_KEYS
    raw = location.raw
    assert (raw["match"], raw["score"], raw["source"], raw["ambiguous"]) == (
        "exact",
        100.0,
        "geonames",
        False,
    )
    assert raw["acled_country"] == "Mali"
    assert (raw["alpha2"], raw["alpha3"], raw["iso_numeric"]) == ("ML", "MLI", 466)
    assert isinstance(raw["iso_numeric"], int)
    assert raw["feature_kind"] == "capital"
    assert raw["geo_precision"] == 1
    assert raw["geonames_id"] == 2460596
    assert raw["admin1"] == "Bamako"
    assert raw["matched_alias"] == "Bamako"
    assert location.latitude == pytest.approx(12.61, abs=0.05)
    assert location.longitude == pytest.approx(-7.98, abs=0.05)


def test_top_level_shortcut_is_the_geo_function() -> None:
    assert sahel_events.geocode is geocode
    assert sahel_events.Gazetteer is Gazetteer


# --- what the dataset build relies on ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "alpha2", "kind"),
    [
        ("Bamako", "Bamako", "ML", "capital"),
        ("Paris", "Paris", "FR", "capital"),
        ("Kati", "Kati", "ML", "town"),
        ("باماكو", "Bamako", "ML", "capital"),
        ("Mali", "Mali", "ML", "country"),
    ],
)
def test_queries_of_the_dataset_build_with_their_hint(
    query: str, name: str, alpha2: str, kind: str
) -> None:
    raw = geocode(query, country=alpha2).raw
    assert (raw["name"], raw["alpha2"], raw["feature_kind"]) == (name, alpha2, kind)
    assert raw["geo_precision"] == GEO_PRECISION[kind]


def test_arabic_border_phrase_of_the_source_article() -> None:
    location = geocode("المناطق الحدودية مع النيجر وبوركينا فاسو", country="ML")
    assert set(location.raw) == BORDER_KEYS
    assert location.raw["countries"] == ["ML", "NE", "BF"]
    assert location.raw["feature_kind"] == "border area"
    assert location.raw["geo_precision"] == 3
    assert location.latitude == pytest.approx(15.0, abs=0.15)
    assert 0.2 <= location.longitude <= 0.4


# --- Arabic and Latin forms ------------------------------------------------------


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("باماكو", "Bamako"),
        ("نيامي", "Niamey"),
        ("واغادوغو", "Ouagadougou"),
        ("غاو", "Gao"),
        ("كيدال", "Kidal"),
        ("تمبكتو", "Timbuktu"),
        ("كاتي", "Kati"),
        ("باريس", "Paris"),
        ("موبتي", "Mopti"),
        ("سيغو", "Ségou"),
        ("سيكاسو", "Sikasso"),
        ("كايس", "Kayes"),
        ("كوليكورو", "Koulikoro"),
        ("أغاديز", "Agadez"),
        ("تاهوا", "Tahoua"),
        ("زيندر", "Zinder"),
        ("تيلابيري", "Tillabéri"),
        ("دوسو", "Dosso"),
        ("ديفا", "Diffa"),
        ("دوري", "Dori"),
        ("واهيغويا", "Ouahigouya"),
        ("كايا", "Kaya"),
        ("جيبو", "Djibo"),
        ("بوبو ديولاسو", "Bobo-Dioulasso"),
        ("نواكشوط", "Nouakchott"),
        ("نجامينا", "N'Djamena"),
    ],
)
def test_arabic_names_resolve_like_their_latin_forms(arabic: str, latin: str) -> None:
    # With the country hint: without one, ديفا is Deva (Romania), a larger town.
    from_latin = geocode(latin)
    from_arabic = geocode(arabic, country=from_latin.raw["alpha2"])
    assert from_arabic.raw["geonames_id"] == from_latin.raw["geonames_id"]
    assert from_arabic.raw["matched_alias"] != from_latin.raw["matched_alias"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("وغاو", "Gao"),  # and Gao
        ("بتمبكتو", "Timbuktu"),  # in Timbuktu
        ("لكيدال", "Kidal"),  # for Kidal
        ("فباماكو", "Bamako"),
        ("ونيامي", "Niamey"),
        ("بامـاكو", "Bamako"),  # tatweel
        ("بَامَاكُو", "Bamako"),  # diacritics
    ],
)
def test_arabic_proclitics_and_diacritics_are_stripped(query: str, name: str) -> None:
    assert geocode(query).raw["name"] == name


@pytest.mark.parametrize(
    ("query", "alpha2"),
    [("النيجر", "NE"), ("بالنيجر", "NE"), ("والنيجر", "NE"), ("مالي", "ML"), ("بمالي", "ML")],
)
def test_arabic_country_names_with_article_and_prefixes(query: str, alpha2: str) -> None:
    raw = geocode(query).raw
    assert (raw["alpha2"], raw["feature_kind"]) == (alpha2, "country")


def test_prefix_is_not_stripped_from_a_name_that_is_known_whole() -> None:
    # بنين (Benin) starts with ب but is a country name as written.
    assert geocode("بنين").raw["alpha2"] == "BJ"


@pytest.mark.parametrize("query", ["Ménaka", "Menaka", "MENAKA", "ménaka "])
def test_latin_case_and_accents_do_not_matter(query: str) -> None:
    assert geocode(query).raw["name"] == "Ménaka"


# --- disambiguation ------------------------------------------------------------------


def test_paris_is_paris_france_without_a_hint_and_never_with_a_sahel_hint() -> None:
    raw = geocode("Paris").raw
    assert (raw["alpha2"], raw["feature_kind"]) == ("FR", "capital")
    assert raw["alternatives"], "Paris is ambiguous: the others are listed"
    assert {"name", "alpha2", "latitude", "longitude", "population"} <= set(raw["alternatives"][0])
    # The hint binds, as Nominatim's countrycodes: only a Malian guess, and it says so.
    hinted = geocode("Paris", country="ML").raw
    assert hinted["alpha2"] == "ML"
    assert hinted["match"] == "fuzzy"
    assert hinted["score"] < 100


def test_gao_is_mali_unless_the_hint_says_burkina_faso() -> None:
    assert geocode("Gao").raw["alpha2"] == "ML"  # the largest Gao, not a Sahel preference
    for hint in ("BF", "BFA", "Burkina Faso", "بوركينا فاسو"):
        assert geocode("Gao", country=hint).raw["alpha2"] == "BF"
    raw = geocode("Gao").raw
    assert raw["ambiguous"]
    assert "BF" in {candidate["alpha2"] for candidate in raw["candidates"]}
    assert all(candidate["distance_km"] > 50 for candidate in raw["candidates"])


def test_focus_countries_win_before_population() -> None:
    # Kati (Mali) is larger than Kati (Ivory Coast) anyway; the Ivorian one wins
    # only with its hint.
    assert geocode("Kati").raw["alpha2"] == "ML"
    assert geocode("Kati", country="CI").raw["alpha2"] == "CI"


def test_a_stream_named_like_a_town_does_not_make_it_ambiguous() -> None:
    raw = geocode("Ouagadougou").raw
    assert raw["ambiguous"] is False
    assert raw["candidates"] == []
    # ... but it is listed among the alternatives (a stream, an airport).
    assert "wadi/lake" in {alternative["feature_kind"] for alternative in raw["alternatives"]}


# --- countries ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Mali", "mali", "مالي", "Republic of Mali", "MLI"])
def test_country_queries_give_a_point_inside_the_country(query: str) -> None:
    from sahel_events.geo import point_in_country

    if query == "MLI":
        with pytest.raises(PlaceNotFound):
            geocode(query)  # codes are hints, not place names
        return
    location = geocode(query)
    assert location.raw["feature_kind"] == "country"
    assert location.raw["geo_precision"] == 3
    assert location.raw["geonames_id"] is None
    assert point_in_country(location.latitude, location.longitude, "ML", tolerance_km=0)


def test_acled_spelling_of_the_country() -> None:
    assert geocode("Abidjan").raw["acled_country"] == "Ivory Coast"
    assert geocode("Kinshasa").raw["acled_country"] == "Democratic Republic of Congo"
    # Outside ACLED's vocabulary table: the English short name.
    assert geocode("Paris").raw["acled_country"] == "France"


# --- border areas ---------------------------------------------------------------


def test_two_country_border_is_on_the_shared_border_line() -> None:
    import shapely

    location = geocode("Mali-Niger border")
    raw = location.raw
    assert raw["countries"] == ["ML", "NE"]
    assert raw["feature_kind"] == "border area"
    assert raw["geo_precision"] == 3
    border = shapely.from_wkt(raw["geometry_wkt"])
    assert border.geom_type in ("LineString", "MultiLineString")
    point = shapely.Point(location.longitude, location.latitude)
    assert border.distance(point) < 0.001
    from sahel_events.geo import point_in_country

    for country in ("ML", "NE"):
        assert point_in_country(location.latitude, location.longitude, country, tolerance_km=2)


@pytest.mark.parametrize(
    ("query", "hint", "countries"),
    [
        ("frontière entre le Mali et le Burkina Faso", None, ["ML", "BF"]),
        ("Niger/Burkina Faso border", "ML", ["NE", "BF"]),
        ("border with Niger", "ML", ["ML", "NE"]),
        ("الحدود مع النيجر", "ML", ["ML", "NE"]),
        ("la frontière nigérienne", "ML", ["ML", "NE"]),  # an adjective names Niger
        ("frontière nigéro-malienne", None, ["NE", "ML"]),
        ("la frontière burkinabè", "NE", ["NE", "BF"]),
        ("tri-border area", None, ["ML", "NE", "BF"]),
        ("zone des trois frontières", "NE", ["ML", "NE", "BF"]),
        ("المثلث الحدودي", None, ["ML", "NE", "BF"]),
        ("Mali, Niger and Burkina Faso border", None, ["ML", "NE", "BF"]),
    ],
)
def test_border_phrases_in_three_languages(
    query: str, hint: str | None, countries: list[str] | None
) -> None:
    if countries is None:
        with pytest.raises(PlaceNotFound, match="two or three countries"):
            geocode(query, country=hint)
        return
    raw = geocode(query, country=hint).raw
    assert raw["countries"] == countries
    assert raw["geo_precision"] == 3


def test_tri_point_of_mali_niger_burkina_faso() -> None:
    for query in ("tri-border area", "Liptako-Gourma", "Mali Niger Burkina Faso border"):
        location = geocode(query)
        assert location.latitude == pytest.approx(15.0, abs=0.15), query
        assert 0.2 <= location.longitude <= 0.4, query
    assert geocode("Liptako-Gourma").raw["feature_kind"] == "region"


def test_border_of_countries_that_do_not_touch_is_not_found() -> None:
    with pytest.raises(PlaceNotFound, match="share no border"):
        geocode("Mali-Chad border")


def test_border_word_without_countries_or_hint_is_not_found() -> None:
    with pytest.raises(PlaceNotFound, match="two or three countries"):
        geocode("the border")


# --- reverse ---------------------------------------------------------------------


def test_reverse_gives_country_admin1_and_nearest_place() -> None:
    location = Gazetteer().reverse((16.27, -0.04))
    raw = location.raw
    assert raw["name"] == "Gao"
    assert raw["alpha2"] == "ML"
    assert raw["admin1"] == "Gao"
    assert raw["in_country"] == "ML"
    assert raw["distance_km"] < 2


def test_reverse_prefers_a_place_in_the_country_of_the_point() -> None:
    # Just inside Niger, near the Mali border.
    raw = Gazetteer().reverse("14.9, 0.5").raw
    assert raw["in_country"] == "NE"
    assert raw["alpha2"] == "NE"


def test_reverse_at_sea_has_no_country() -> None:
    raw = Gazetteer().reverse((0.0, -20.0)).raw
    assert raw["in_country"] is None


@pytest.mark.parametrize("point", [(91, 0), (-95.5, 10), (0, 181), (0, -200), ("x", 1)])
def test_reverse_rejects_coordinates_out_of_range(point: tuple) -> None:
    with pytest.raises(ValueError, match=r"latitude|longitude|expected"):
        Gazetteer().reverse(point)


# --- bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   \u200f ", "empty"),
        ("a" * 100_000, "100,000 characters"),
        ("Gao\x00", "control character U\\+0000"),
        ("Gao\nKidal", "control character U\\+000A"),
        (None, "must be a string"),
        (12, "must be a string"),
        ("!!! ???", "no letters"),
    ],
)
def test_bad_queries_are_usage_errors_or_not_found(query: object, message: str) -> None:
    with pytest.raises((UsageError, PlaceNotFound), match=message):
        geocode(query)  # type: ignore[arg-type]


def test_usage_errors_have_exit_code_2_and_not_found_1() -> None:
    with pytest.raises(UsageError) as usage:
        geocode("")
    assert usage.value.exit_code == 2
    with pytest.raises(PlaceNotFound) as missing:
        geocode("Qwzxplorf")
    assert missing.value.exit_code == 1
    assert "Qwzxplorf" in str(missing.value)


def test_mixed_scripts_are_not_found_with_a_reason() -> None:
    with pytest.raises(PlaceNotFound, match="mixes Latin and Arabic"):
        geocode("Bamako باماكو")


def test_invisible_direction_marks_from_copied_arabic_are_ignored() -> None:
    assert geocode("\u200fباماكو\u200e").raw["name"] == "Bamako"


def test_unknown_country_hint_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown country"):
        geocode("Gao", country="Atlantis")


def test_geocode_all_lists_every_match() -> None:
    names = [location.raw["alpha2"] for location in geocode_all("Paris")]
    assert names[0] == "FR"
    assert len(names) >= 3


# --- admin1 reference ------------------------------------------------------------


def test_admin1_reference_is_versioned() -> None:
    before = {unit.name for unit in admin1_units("ML", on="2020-06-01")}
    after = {unit.name for unit in admin1_units("Mali", on="2025-01-01")}
    assert "Bandiagara" not in before
    assert {"Bandiagara", "Nioro", "Kita", "Taoudénit", "Ménaka"} <= after
    assert len(after) == 20  # 19 regions and the Bamako district
    assert len(admin1_units("NE", on="2025-01-01")) == 8
    assert len(admin1_units("BF", on="2025-01-01")) == 13
    reformed = {unit.name: unit.seat for unit in admin1_units("BF", on="2025-07-02")}
    assert len(reformed) == 17
    assert {"Liptako", "Yaadga", "Goulmou", "Bankui", "Soum", "Sirba"} <= set(reformed)
    assert reformed["Liptako"] == "Dori"


# --- admin1 regions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "hint", "region", "alpha2"),
    [
        ("Gao region", None, "Gao", "ML"),
        ("région de Tillabéri", None, "Tillabéri", "NE"),
        ("région d'Agadez", None, "Agadez", "NE"),
        ("منطقة غاو", None, "Gao", "ML"),
        ("ولاية كيدال", None, "Kidal", "ML"),
        ("région du Centre-Nord", None, "Kuilsé", "BF"),  # renamed on 2 July 2025
        ("Bandiagara region", None, "Bandiagara", "ML"),
        ("Timbuktu region", None, "Tombouctou", "ML"),
    ],
)
def test_region_queries_give_the_admin1_unit(
    query: str, hint: str | None, region: str, alpha2: str
) -> None:
    location = geocode(query, country=hint)
    raw = location.raw
    assert set(raw) in (PLACE_KEYS, UNIT_KEYS)
    assert (normalize(raw["admin1"]), raw["alpha2"]) == (normalize(region), alpha2)
    assert (raw["feature_kind"], raw["geo_precision"]) == ("admin1", 3)


def test_a_region_without_a_geonames_feature_stands_at_its_seat() -> None:
    # Bandiagara became a region in 2023: the reference table gives its seat.
    region, town = geocode("Bandiagara region"), geocode("Bandiagara", country="ML")
    assert (region.latitude, region.longitude) == (town.latitude, town.longitude)
    assert region.raw["seat"] == "Bandiagara"
    assert town.raw["feature_kind"] in {"town", "village"}  # the bare name is the place
    liptako = geocode("région du Liptako", country="BF")
    assert (liptako.raw["name"], liptako.raw["seat"]) == ("Liptako", "Dori")


def test_unknown_region_is_not_found() -> None:
    with pytest.raises(PlaceNotFound, match="no place named 'Narnia region'"):
        geocode("Narnia region")


# --- any text at all ---------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(),
            st.sampled_from("باماكوالنيجر حدود ةىأإآـَُِّ Ménaka-/' border frontière"),
        ),
        max_size=300,
    ),
    st.sampled_from([None, "ML", "BF", "NE", "FR"]),
)
def test_any_text_gives_a_location_or_one_of_our_errors(query: str, hint: str | None) -> None:
    try:
        location = geocode(query, country=hint)
    except (PlaceNotFound, UsageError) as error:
        assert str(error)
        return
    assert location.raw["feature_kind"] in GEO_PRECISION
    assert -90 <= location.latitude <= 90
    assert -180 <= location.longitude <= 180


def test_nearest_place_within_a_given_country() -> None:
    from sahel_events.geo import nearest_place

    # A point just inside Niger near the tri-border: Niger's nearest place by
    # default, Mali's when the event is coded for Mali.
    assert nearest_place(14.9, 0.5).raw["alpha2"] == "NE"
    malian = nearest_place(14.9, 0.5, country="ML")
    assert malian.raw["alpha2"] == "ML"
    assert malian.raw["in_country"] == "NE"
    assert malian.raw["admin1"] is not None
    assert malian.raw["distance_km"] > nearest_place(14.9, 0.5).raw["distance_km"]
    with pytest.raises(UsageError):
        nearest_place(14.9, 0.5, country="Narnia")


@pytest.mark.parametrize(
    ("query", "alpha2"),
    [
        ("Touba", "SN"),
        ("Kindia", "GN"),
        ("Seguela", "CI"),
        ("Parys", "ZA"),  # a main name beats Paris's alternate spelling
    ],
)
def test_alternate_names_of_focus_places_do_not_hide_neighbouring_towns(
    query: str, alpha2: str
) -> None:
    # Touba and Kindia are main names in Senegal and Guinea, alternate names of
    # Malian or Burkinabe places; Taua and Saba are alternate names of Tahoua and
    # Saaba that are only the main names of towns far away.
    assert geocode(query).raw["alpha2"] == alpha2


def test_the_sahel_is_preferred_only_when_the_caller_says_so() -> None:
    # Taua and Saba are alternate names of Tahoua and Saaba, and the main names
    # of towns in Brazil and Honduras: no silent Sahel bias.
    assert geocode("Taua").raw["alpha2"] == "BR"
    working_in_the_sahel = Gazetteer(region="sahel")
    assert working_in_the_sahel.geocode("Taua").raw["alpha2"] == "NE"
    assert working_in_the_sahel.geocode("Saba").raw["alpha2"] == "BF"
    boxed = Gazetteer(bias=((9.0, -6.0), (15.5, 2.5)))  # Burkina Faso's box
    assert boxed.geocode("Saba").raw["alpha2"] == "BF"
