"""Geocode place names from Arabic, French and English reports, offline.

Run: python examples/geocode_places.py   (no network; a second or two)
"""

from __future__ import annotations

from sahel_events.exc import PlaceNotFound
from sahel_events.geo import Gazetteer, distance_outside_country_km, geocode, point_in_country

# Place names as they appear in reports, with the country the report is about.
REPORTED = [
    ("باماكو", "ML"),  # Bamako, in Arabic
    ("وغاو", "ML"),  # "and Gao": the proclitic و is stripped
    ("Ménaka", "ML"),
    ("Gao", "BF"),  # the other Gao, in Burkina Faso
    ("Tillabéri", "NE"),
    ("Mali", None),  # a country: a point inside it, geo_precision 3
    ("frontière entre le Mali et le Burkina Faso", None),
    ("المناطق الحدودية مع النيجر وبوركينا فاسو", "ML"),  # with Mali: the tri-point
    ("Qwzxplorf", None),  # not in the gazetteer
]

print(f"{'query':<45} {'place':<38} {'lat':>8} {'lon':>9}  prec  kind")
for query, country in REPORTED:
    try:
        location = geocode(query, country=country)
    except PlaceNotFound as error:
        print(f"{query:<45} not found: {error}")
        continue
    raw = location.raw
    print(
        f"{query:<45} {location.address[:38]:<38} {location.latitude:8.4f} "
        f"{location.longitude:9.4f}  {raw['geo_precision']:>4}  {raw['feature_kind']}"
    )

# Ambiguous names list their alternatives.
gao = geocode("Gao")
print(
    "\nGao ->", gao.raw["acled_country"], "; also:", [a["alpha2"] for a in gao.raw["alternatives"]]
)

# The geopy interface: any code that takes a geopy geocoder takes this one.
gazetteer = Gazetteer()
nearest = gazetteer.reverse((14.35, 0.0))
print(
    f"reverse (14.35, 0.0) -> {nearest.raw['name']}, {nearest.raw['admin1']}, "
    f"{nearest.raw['acled_country']} ({nearest.raw['distance_km']:.0f} km away)"
)

# Coordinates against country polygons: is a coded event where its country says?
print("Niamey in Mali (50 km tolerance)?", point_in_country(13.51, 2.11, "ML"))
km = distance_outside_country_km([13.51, 12.65], [2.11, -7.98], [466, 466])
print("distance outside Mali, km:", [round(float(value), 1) for value in km])
