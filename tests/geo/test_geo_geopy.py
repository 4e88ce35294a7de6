"""The gazetteer honours geopy's contract: timeout, GeopyError, RateLimiter, geopandas."""

from __future__ import annotations

import pytest
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter

from sahel_events.exc import GazetteerQueryError, PlaceNotFound, SahelEventsError, UsageError
from sahel_events.geo import Gazetteer, geocode


def test_geocode_and_reverse_accept_geopys_timeout() -> None:
    gazetteer = Gazetteer()
    assert gazetteer.geocode("Gao", timeout=3, country_codes="ML").raw["name"] == "Gao"
    assert gazetteer.reverse((16.27, -0.04), timeout=3).raw["alpha2"] == "ML"


def test_query_errors_are_geopy_errors_and_ours() -> None:
    for bad in ("", "a" * 1000, "Gao\x07", 42):
        with pytest.raises(GeopyError) as caught:
            Gazetteer().geocode(bad)  # type: ignore[arg-type]
        assert isinstance(caught.value, UsageError)
        assert isinstance(caught.value, GazetteerQueryError)
        assert caught.value.exit_code == 2
    with pytest.raises(GeopyError):
        Gazetteer().geocode("Gao", country_codes="Atlantis")
    with pytest.raises(GeopyError):
        geocode("Qwzxplorf")  # PlaceNotFound
    assert issubclass(PlaceNotFound, SahelEventsError)


def test_works_under_geopys_rate_limiter() -> None:
    gazetteer = Gazetteer()
    limited = RateLimiter(gazetteer.geocode, min_delay_seconds=0)
    location = limited("Ménaka", timeout=3, country_codes="ML")
    assert location.raw["name"] == "Ménaka"
    reverse = RateLimiter(gazetteer.reverse, min_delay_seconds=0)
    assert reverse((15.92, 2.40), timeout=3).raw["alpha2"] == "ML"


def test_works_as_a_geopandas_provider() -> None:
    geopandas = pytest.importorskip("geopandas")
    from geopandas.tools import geocode as gpd_geocode

    # geopandas makes the geocoder from the class and keyword arguments.
    frame = gpd_geocode(["Ménaka", "Hombori", "Qwzxplorf", ""], provider=Gazetteer, region="sahel")
    assert list(frame["address"][:2]) == ["Ménaka, Ménaka, Mali", "Hombori, Mopti, Mali"]
    assert frame.geometry[0].x == pytest.approx(2.3961, abs=0.01)
    # Not found and a bad query (geopy's GeocoderQueryError) both give an empty row.
    assert all(geometry is None or geometry.is_empty for geometry in frame.geometry[2:])
    assert isinstance(frame, geopandas.GeoDataFrame)
