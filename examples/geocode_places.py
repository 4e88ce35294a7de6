"""Geocode place names from Arabic, French and English reports, offline.

Run: python examples/geocode_places.py   (no network; a few seconds)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sahel_events.exc import PlaceNotFound
from sahel_events.geo import (
    Gazetteer,
    admin1_units,
    admin2_units,
    admin_units_at,
    distance_outside_country_km,
    geocode,
    point_in_country,
)

# Place names as they appear in reports, with the country the report is about
# (binding: nothing outside it is returned).
REPORTED = [
    ("باماكو", "ML"),  # Bamako, in Arabic
    ("وبباريس", "FR"),  # "and in Paris": stacked proclitics
    ("Hombori", "ML"),  # a village cities500 lacked
    ("Boni", "ML"),  # ambiguous: another Boni in Mali, far away
    ("Solhan", "BF"),  # GeoNames spells it Solna
    ("ميناكا", "ML"),  # Ménaka, matched through its consonant skeleton
    ("Boulikessi", "ML"),  # a fuzzy match, with its score
    ("Talataye", "ML"),  # only in OpenStreetMap
    ("near Gao", "ML"),  # geo_precision 2
    ("cercle de Bankass", None),  # an admin2 unit, at its seat (admin table)
    ("cercle de Sokoura", "ML"),  # a cercle of 2024, not the village Sokoura near Niafunké
    ("Sokoura", "ML"),  # the bare name: the village
    ("province du Soum", "BF"),  # at its seat, Djibo
    ("région du Nord", "BF"),  # a former name: Yaadga since July 2025
    ("cercle de Ména", "ML"),  # a seat the table could not place: flagged, score 50
    ("région du Liptako", "BF"),  # a 2025 region, at its seat
    ("frontière nigéro-malienne", None),
    ("Qwzxplorf", "ML"),  # not in the gazetteer
]

print(f"{'query':<28} {'place':<34} {'lat':>8} {'lon':>9}  prec  match (score), source")
for query, country in REPORTED:
    try:
        location = geocode(query, country=country)
    except PlaceNotFound as error:
        print(f"{query:<28} not found: {error}")
        continue
    raw = location.raw
    flag = "  AMBIGUOUS" if raw["ambiguous"] else ""
    print(
        f"{query:<28} {location.address[:34]:<34} {location.latitude:8.4f} "
        f"{location.longitude:9.4f}  {raw['geo_precision']:>4}  "
        f"{raw['match']} ({raw['score']:g}), {raw['source']}{flag}"
    )

# No silent Sahel bias: say where you work.
print("\nTaua without a region:", geocode("Taua").raw["acled_country"])
print("Taua, region='sahel':", Gazetteer(region="sahel").geocode("Taua").raw["acled_country"])

# Your own places win over the shipped data and say source: user.
with tempfile.TemporaryDirectory() as folder:
    places = Path(folder) / "places.csv"
    places.write_text(
        "name,alternate_names,latitude,longitude,country,kind\n"
        "Ogossagou,Ogossagou Peul,13.97,-3.63,ML,village\n",
        encoding="utf-8",
    )
    mine = Gazetteer(extra_places=places).geocode("Ogossagou", country_codes="ML")
    print("Ogossagou from my places:", mine.raw["source"], mine.latitude, mine.longitude)

# Admin units by date, and the units a point lies in (and how they were found).
print("Burkina Faso regions on 2025-08-01:", len(admin1_units("BF", on="2025-08-01")))
print("Djibo's units in 2025:", admin_units_at(14.10, -1.63, "BF", on="2025-08-01"))
# Mali's cercles: 49 before the 2023 reform, 159 from 2024 (Sokoura was carved from Bankass).
print(
    "Mali cercles 2023/2025:",
    len(admin2_units("ML", on="2023-06-01")),
    len(admin2_units("ML", on="2025-01-01")),
)
for day in ("2023-01-01", "2025-01-01"):
    print(f"Sokoura's surroundings on {day}:", admin_units_at(13.51, -3.76, "ML", on=day))

# The geopy interface: any code that takes a geopy geocoder takes this one.
nearest = Gazetteer().reverse((14.35, 0.0), timeout=5)
print(
    f"reverse (14.35, 0.0) -> {nearest.raw['name']}, {nearest.raw['admin1']} "
    f"({nearest.raw['admin1_method']}), {nearest.raw['acled_country']} "
    f"({nearest.raw['distance_km']:.0f} km away)"
)

# Coordinates against country polygons: is a coded event where its country says?
print("Niamey in Mali (50 km tolerance)?", point_in_country(13.51, 2.11, "ML"))
km = distance_outside_country_km([13.51, 12.65], [2.11, -7.98], [466, 466])
print("distance outside Mali, km:", [round(float(value), 1) for value in km])
