"""Benchmark the offline gazetteer.

Prints:

- the cold load of the gazetteer: a fresh interpreter imports ``sahel_events.geo``
  and loads the place and country indexes (best of 5 processes), and the first
  query after that;
- what the package data weighs, and the peak resident memory of a process that
  ran every query of the mix (all indexes loaded);
- warm queries per second over a fixed mix of 10,000 queries (villages and
  towns with hints, Arabic spellings and transliterations, spelling variants,
  admin units, border areas, and misses with and without a hint), best of 3;
  and the same mix with no answer cached (each query once on a fresh geocoder);
- ``distance_outside_country_km`` on 1,000,000 points, 98% inside Mali, Niger or
  Burkina Faso and 2% given a wrong neighbour's code (first call, then best of 3);
- the machine: platform, CPU count, Python and library versions.

Usage::

    python benchmarks/bench_geocode.py
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

from _machine import machine  # benchmarks/_machine.py, beside this script

REPEATS = 3
COLD_RUNS = 5

#: The query mix: (query, country hint). Repeated to 10,000 queries. Weighted as
#: a batch of event places is: mostly villages and towns with a country hint,
#: Arabic spellings, spelling variants, admin units, border phrases, and misses.
MIX: tuple[tuple[str, str | None], ...] = (
    # villages and towns, Latin script, with the row's country
    ("Hombori", "ML"),
    ("Boni", "ML"),
    ("Sévaré", "ML"),
    ("Diabaly", "ML"),
    ("Tessit", "ML"),
    ("Ménaka", "ML"),
    ("Djibo", "BF"),
    ("Arbinda", "BF"),
    ("Solhan", "BF"),
    ("Seytenga", "BF"),
    ("Barsalogho", "BF"),
    ("Ayorou", "NE"),
    ("Tillabéri", "NE"),
    ("Tongo Tongo", "NE"),
    ("Bamako", None),
    ("Niamey", None),
    ("Ouagadougou", None),
    ("Ouaga", None),
    ("Gao", None),
    ("Kidal", None),
    # Arabic script: names GeoNames has, proclitics, and transliterations
    ("باماكو", None),
    ("نيامي", "NE"),
    ("واغادوغو", "BF"),
    ("وغاو", "ML"),
    ("بتمبكتو", "ML"),
    ("وبباريس", "FR"),
    ("ميناكا", "ML"),
    ("سيقو", "ML"),
    ("تساليت", "ML"),
    ("أنسونغو", "ML"),
    ("بوني", "ML"),
    ("جيبو", "BF"),
    # spelling variants and fuzzy matches within the hint
    ("Boulikessi", "ML"),
    ("Tchin-Tabarade", "NE"),
    ("Inates", "NE"),
    # the grammar: admin units, near, a country after a comma
    ("cercle de Bankass", None),
    ("province du Soum", None),
    ("région de Mopti", None),
    ("near Gao", "ML"),
    ("Ménaka, Mali", None),
    # border areas
    ("Mali-Niger border", None),
    ("frontière nigéro-malienne", None),
    ("المثلث الحدودي", None),
    # misses: unknown names, with and without a hint (the slowest path)
    ("Qwzxplorf", None),
    ("Qwzxplorf", "ML"),
    ("Nowhere Town", "BF"),
    ("مكان مجهول", "ML"),
    ("Ogossagou", "ML"),
)
QUERIES = 10_000

COLD_SCRIPT = """
import json, time
start = time.perf_counter()
import sahel_events.geo as geo
from sahel_events.geo import _data
imported = time.perf_counter()
_data.places(); _data.countries()
loaded = time.perf_counter()
geo.geocode("Gao")
first = time.perf_counter()
print(json.dumps({"import": imported - start, "load": loaded - imported,
                  "first_query": first - loaded}))
"""


RSS_SCRIPT = """
import json, resource
from sahel_events.geo import geocode
for query, hint in json.loads(input()):
    try:
        geocode(query, hint)
    except Exception:
        pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mb() -> float:
    """Peak resident memory of a process that ran every query of the mix once."""
    output = subprocess.run(
        [sys.executable, "-c", RSS_SCRIPT],
        input=json.dumps(MIX),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.strip()) / 1024


def data_size_mb() -> float:
    """What the package data weighs on disk (sahel_events/geo/data/)."""
    from importlib import resources

    folder = resources.files("sahel_events.geo").joinpath("data")
    return sum(entry.stat().st_size for entry in Path(str(folder)).iterdir()) / 1e6


def cold_load() -> dict[str, float]:
    """Best of COLD_RUNS fresh processes, per phase."""
    runs = []
    for _ in range(COLD_RUNS):
        output = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT], capture_output=True, text=True, check=True
        ).stdout
        runs.append(json.loads(output))
    best = min(runs, key=lambda run: run["import"] + run["load"])
    return best


def warm_queries() -> tuple[float, dict[str, int]]:
    from sahel_events.exc import PlaceNotFound
    from sahel_events.geo import geocode

    queries = [MIX[index % len(MIX)] for index in range(QUERIES)]
    outcomes = {"found": 0, "not found": 0}
    for query, hint in MIX:  # warm: load data, compute the border geometries once
        with contextlib.suppress(PlaceNotFound):
            geocode(query, hint)
    best = float("inf")
    for _ in range(REPEATS):
        outcomes = {"found": 0, "not found": 0}
        start = time.perf_counter()
        for query, hint in queries:
            try:
                geocode(query, hint)
                outcomes["found"] += 1
            except PlaceNotFound:
                outcomes["not found"] += 1
        best = min(best, time.perf_counter() - start)
    return QUERIES / best, outcomes


def uncached_queries() -> float:
    """Queries/s when no answer is cached: each query of the mix once, on a fresh
    Gazetteer (its result cache empty; the data and indexes loaded), best of 3."""
    from sahel_events.geo import Gazetteer

    Gazetteer().geocode("Gao")  # load the data once
    for query, hint in MIX:  # load every index the mix needs
        Gazetteer().geocode(query, country_codes=hint)
    best = float("inf")
    for _ in range(REPEATS):
        gazetteer = Gazetteer()
        start = time.perf_counter()
        for query, hint in MIX:
            gazetteer.geocode(query, country_codes=hint)
        best = min(best, time.perf_counter() - start)
    return len(MIX) / best


def sahel_points(count: int, seed: int = 20240101):
    """Seeded points inside Mali, Niger and Burkina Faso; 2% with a wrong code."""
    import numpy as np
    import shapely

    from sahel_events.geo import country_shapes

    rng = np.random.default_rng(seed)
    shapes = country_shapes()
    latitude, longitude, iso = np.empty(count), np.empty(count), np.empty(count)
    codes = {466: "MLI", 562: "NER", 854: "BFA"}
    for (code, alpha3), positions in zip(
        codes.items(), np.array_split(np.arange(count), 3), strict=True
    ):
        west, south, east, north = shapes[alpha3].bounds
        filled = 0
        while filled < len(positions):
            x = rng.uniform(west, east, len(positions))
            y = rng.uniform(south, north, len(positions))
            inside = shapely.contains_xy(shapes[alpha3], x, y)
            take = min(int(inside.sum()), len(positions) - filled)
            target = positions[filled : filled + take]
            longitude[target], latitude[target] = x[inside][:take], y[inside][:take]
            iso[target] = code
            filled += take
    wrong = rng.choice(count, count // 50, replace=False)
    iso[wrong] = rng.choice(list(codes), len(wrong))
    return latitude, longitude, iso


def distances(count: int = 1_000_000) -> dict[str, float]:
    import numpy as np

    from sahel_events.geo import distance_outside_country_km

    latitude, longitude, iso = sahel_points(count)
    start = time.perf_counter()
    result = distance_outside_country_km(latitude, longitude, iso)
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        distance_outside_country_km(latitude, longitude, iso)
        best = min(best, time.perf_counter() - start)
    return {
        "points": count,
        "first_call_s": first,
        "warm_s": best,
        "outside_share": float(np.mean(result > 0)),
    }


def main() -> None:
    print("machine:")
    for key, value in machine("geopy", "shapely", "pyarrow", "numpy").items():
        print(f"  {key}: {value}")
    cold = cold_load()
    print(f"cold load (best of {COLD_RUNS} fresh processes):")
    print(f"  import sahel_events.geo: {cold['import']:.3f} s")
    print(f"  load places and countries: {cold['load']:.3f} s  (floor: < 0.5 s)")
    print(f"  first query after load: {cold['first_query'] * 1000:.1f} ms")
    print(f"package data: {data_size_mb():.1f} MB on disk (sahel_events/geo/data/)")
    print(f"peak RSS after every query of the mix: {peak_rss_mb():.0f} MB (floor: < 300 MB)")
    rate, outcomes = warm_queries()
    print(
        f"warm geocode: {rate:,.0f} queries/s over {QUERIES:,} queries "
        f"({outcomes['found']:,} found, {outcomes['not found']:,} not found; "
        f"floor: >= 20,000/s)"
    )
    print(
        f"uncached geocode: {uncached_queries():,.0f} queries/s "
        f"(each of the {len(MIX)} queries of the mix once, no answer cached)"
    )
    figures = distances()
    print(
        f"distance_outside_country_km, {figures['points']:,} points "
        f"({figures['outside_share']:.1%} outside their country): "
        f"first call {figures['first_call_s']:.3f} s, warm {figures['warm_s']:.3f} s "
        f"(floor: < 0.3 s)"
    )


if __name__ == "__main__":
    main()
