"""Country polygons: vectorised distance outside a country, point-in-country, shapes."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from sahel_events.exc import UsageError
from sahel_events.geo import country_shapes, distance_outside_country_km, point_in_country
from sahel_events.geo.shapes import haversine_km, resolve_country

MALI, NIGER, BURKINA_FASO, FRANCE = 466, 562, 854, 250


def test_country_shapes_by_alpha3_cover_africa_and_europe() -> None:
    shapes = country_shapes()
    for alpha3 in ("MLI", "NER", "BFA", "DZA", "NGA", "TCD", "FRA", "RUS", "DEU", "XKX"):
        assert shapes[alpha3].geom_type in ("Polygon", "MultiPolygon"), alpha3
        assert shapes[alpha3].is_valid
    # Bamako lies in Mali's polygon, Paris in France's.
    assert shapes["MLI"].contains(shapely.Point(-7.98, 12.65))
    assert shapes["FRA"].contains(shapely.Point(2.35, 48.85))
    assert not shapes["MLI"].contains(shapely.Point(2.35, 48.85))


def test_neighbours_share_their_border_exactly() -> None:
    # coverage_simplify kept shared edges identical: no gap, no overlap.
    shapes = country_shapes()
    overlap = shapes["MLI"].intersection(shapes["NER"]).area
    assert overlap < 1e-6
    assert shapes["MLI"].boundary.intersection(shapes["NER"].boundary).length > 5


def test_distance_is_zero_inside_and_positive_outside() -> None:
    latitude = np.array([12.65, 16.27, 13.51, 48.85, 13.51, np.nan, 12.65, 12.65])
    longitude = np.array([-7.98, -0.04, 2.11, 2.35, 2.11, 1.0, -7.98, -7.98])
    iso = np.array([MALI, MALI, NIGER, FRANCE, MALI, MALI, 999, np.nan])
    distance = distance_outside_country_km(latitude, longitude, iso)
    assert distance[:4].tolist() == [0.0, 0.0, 0.0, 0.0]
    # Niamey is about 200 km beyond the nearest point of Mali.
    assert 150 < distance[4] < 250
    # Missing coordinates, unknown code, missing code: NaN.
    assert np.isnan(distance[5:]).all()


def test_distance_outside_matches_an_independent_computation() -> None:
    rng = np.random.default_rng(7)
    latitude = rng.uniform(5, 25, 500)
    longitude = rng.uniform(-15, 15, 500)
    iso = np.full(500, BURKINA_FASO)
    distance = distance_outside_country_km(latitude, longitude, iso)
    shape = country_shapes()["BFA"]
    points = shapely.points(longitude, latitude)
    inside = shapely.contains(shape, points)
    assert (distance[inside] == 0).all()
    nearest = shapely.get_coordinates(shapely.get_point(shapely.shortest_line(points, shape), 1))
    expected = haversine_km(latitude, longitude, nearest[:, 1], nearest[:, 0])
    np.testing.assert_allclose(distance[~inside], expected[~inside], rtol=1e-9, atol=1e-6)
    assert (distance[~inside] > 0).all()


def test_distance_accepts_lists_and_missing_values() -> None:
    distance = distance_outside_country_km([12.65, None], [-7.98, -7.98], [MALI, None])
    assert distance[0] == 0.0
    assert np.isnan(distance[1])


def test_distance_rejects_arrays_of_different_lengths() -> None:
    with pytest.raises(UsageError, match="equal length"):
        distance_outside_country_km(np.zeros(3), np.zeros(2), np.zeros(3))


def test_out_of_range_coordinates_give_nan() -> None:
    distance = distance_outside_country_km(
        np.array([95.0, 12.0]), np.array([0.0, 200.0]), np.array([MALI, MALI])
    )
    assert np.isnan(distance).all()


def test_point_in_country_with_tolerance() -> None:
    assert point_in_country(12.65, -7.98, "ML")
    assert point_in_country(12.65, -7.98, "Mali", tolerance_km=0)
    assert point_in_country(12.65, -7.98, 466)
    # Niamey: in Niger, not in Mali even with 50 km of slack, in Mali with 300.
    assert point_in_country(13.51, 2.11, "NER")
    assert not point_in_country(13.51, 2.11, "MLI")
    assert point_in_country(13.51, 2.11, "MLI", tolerance_km=300)


def test_point_in_country_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="latitude"):
        point_in_country(100, 0, "ML")
    with pytest.raises(UsageError, match="unknown country"):
        point_in_country(12, 0, "Narnia")


@pytest.mark.parametrize(
    ("value", "alpha2"),
    [
        ("ML", "ML"),
        ("mli", "ML"),
        (466, "ML"),
        ("466", "ML"),
        ("مالي", "ML"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Kosovo", "XK"),
        (0, "XK"),
    ],
)
def test_resolve_country_accepts_codes_and_names(value: object, alpha2: str) -> None:
    assert resolve_country(value).alpha2 == alpha2  # type: ignore[arg-type]
