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
* :func:`read_places` reads a file of your own places
  (``Gazetteer(extra_places=...)``); :func:`geocode_file` geocodes a CSV column.
* :func:`admin1_units` / :func:`admin2_units` give the admin units in force on
  a date; :func:`admin_units_at` the units a point lies in.
"""

from __future__ import annotations

from sahel_events.geo.admin import admin_units_at
from sahel_events.geo.admin1 import Admin1Unit, Admin2Unit, admin1_units, admin2_units
from sahel_events.geo.batch import BatchSummary, geocode_file, geocode_rows
from sahel_events.geo.gazetteer import (
    FEATURE_KINDS,
    GEO_PRECISION,
    MATCH_KINDS,
    REGIONS,
    Gazetteer,
    geocode,
    geocode_all,
    nearest_place,
)
from sahel_events.geo.online import online
from sahel_events.geo.places import read_places
from sahel_events.geo.shapes import (
    country_shapes,
    distance_outside_country_km,
    point_in_country,
    resolve_country,
)

__all__ = [
    "FEATURE_KINDS",
    "GEO_PRECISION",
    "MATCH_KINDS",
    "REGIONS",
    "Admin1Unit",
    "Admin2Unit",
    "BatchSummary",
    "Gazetteer",
    "admin1_units",
    "admin2_units",
    "admin_units_at",
    "country_shapes",
    "distance_outside_country_km",
    "geocode",
    "geocode_all",
    "geocode_file",
    "geocode_rows",
    "nearest_place",
    "online",
    "point_in_country",
    "read_places",
    "resolve_country",
]
