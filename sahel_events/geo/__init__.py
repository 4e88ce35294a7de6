"""Offline geocoding for the Sahel through geopy's interface.

>>> from sahel_events.geo import geocode
>>> geocode("Ménaka").raw["name"]                           # doctest: +SKIP
'Ménaka'

* :class:`Gazetteer` is a geopy ``Geocoder`` over a gazetteer embedded in the
  package (GeoNames places, ISO country names, Natural Earth polygons).
* :func:`geocode` is the one-call shortcut; it raises
  :class:`~sahel_events.exc.PlaceNotFound` when nothing matches.
* :func:`distance_outside_country_km` and :func:`point_in_country` test
  coordinates against country polygons; :func:`country_shapes` gives them.
* :func:`online` opts into a geopy online geocoder, rate-limited and cached.
"""

from __future__ import annotations

from sahel_events.geo.admin1 import Admin1Unit, admin1_units
from sahel_events.geo.gazetteer import (
    FEATURE_KINDS,
    GEO_PRECISION,
    Gazetteer,
    geocode,
    geocode_all,
    nearest_place,
)
from sahel_events.geo.online import online
from sahel_events.geo.shapes import (
    country_shapes,
    distance_outside_country_km,
    point_in_country,
    resolve_country,
)

__all__ = [
    "FEATURE_KINDS",
    "GEO_PRECISION",
    "Admin1Unit",
    "Gazetteer",
    "admin1_units",
    "country_shapes",
    "distance_outside_country_km",
    "geocode",
    "geocode_all",
    "nearest_place",
    "online",
    "point_in_country",
    "resolve_country",
]
