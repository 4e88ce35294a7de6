"""Score the geocoder on real event places: ``benchmarks/geocode_eval.csv``.

For each row, ``sahel_events.geocode(query, country)`` (the row's country as the
hint, as a batch user with a country column gives it) is compared with the
row's truth (an OpenStreetMap node, a point from the row's cited source for a
natural feature, or Natural Earth admin-1 polygons for a region or province).
Prints, by kind and script:

* within 25 km: the answer is within 25 km of the truth (inside the polygon);
* wrong > 50 km: an answer more than 50 km away;
* confidently wrong: wrong > 50 km and the answer does not say it is unsure
  (``raw["ambiguous"]`` false and ``raw["match"]`` exact or alternate name;
  an answer without these keys, as the cities500 gazetteer gave, counts as sure);
* not found.

Run ``python benchmarks/eval_geocode.py`` with the sahel_events to score first
on ``PYTHONPATH``; ``--label`` names the run in the output. The "before" figures
of docs/geocoding.md come from the cities500 gazetteer of the commit before
issue 11 (``git archive <commit> sahel_events | tar -x -C /tmp/before`` and
``PYTHONPATH=/tmp/before python benchmarks/eval_geocode.py --label before``).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from _machine import machine  # benchmarks/_machine.py, beside this script

HERE = Path(__file__).resolve().parent
EVAL = HERE / "geocode_eval.csv"
SHAPES = HERE.parent / "sahel_events" / "geo" / "data" / "admin_shapes.txt.gz"
NEAR_KM, WRONG_KM = 25.0, 50.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _polygons() -> dict[str, object]:
    """The shipped admin polygons, read from the file (the sahel_events being
    scored may be one without them)."""
    import gzip

    import shapely

    header, *sections = gzip.decompress(SHAPES.read_bytes()).decode("utf-8").split("\0")
    columns = dict(zip(header.split("\t"), (s.split("\n") for s in sections), strict=True))
    return dict(zip(columns["code"], shapely.from_wkb(columns["geometry"]), strict=True))


def _distance(row: dict[str, str], lat: float, lon: float, polygons: dict[str, object]) -> float:
    import shapely

    kind, _, codes = row["truth"].partition(":")
    if kind == "polygon":
        area = shapely.union_all([polygons[code] for code in codes.split("|")])
        point = shapely.Point(lon, lat)
        return 0.0 if area.covers(point) else area.distance(point) * 111.0
    return _km(lat, lon, float(row["latitude"]), float(row["longitude"]))


def score(label: str) -> dict[str, dict[str, float]]:
    from sahel_events import geocode
    from sahel_events.exc import SahelEventsError

    polygons = _polygons()
    with EVAL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    details = []
    for row in rows:
        try:
            location = geocode(row["query"], country=row["country"] or None)
        except SahelEventsError:
            outcome = "not found"
        else:
            raw = location.raw
            distance = _distance(row, location.latitude, location.longitude, polygons)
            sure = not raw.get("ambiguous", False) and raw.get("match", "exact") in {
                "exact",
                "alternate name",
            }
            if distance <= NEAR_KM:
                outcome = "within 25 km"
            elif distance > WRONG_KM:
                outcome = "confidently wrong" if sure else "wrong, flagged"
            else:
                outcome = "25-50 km"
            details.append((row["query"], outcome, round(distance), raw.get("match"), raw["name"]))
        kind = {"town": "town", "village": "village", "natural feature": "natural feature"}.get(
            row["kind"], "admin unit"
        )
        for group in ((kind, row["script"]), (kind, "all"), ("all", row["script"]), ("all", "all")):
            groups[group].append(outcome)
    table = {}
    print(f"## {label}: {len(rows)} places, hint = the row's country\n")
    print("| kind | script | n | within 25 km | wrong > 50 km | confidently wrong | not found |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (kind, script), outcomes in sorted(groups.items()):
        n = len(outcomes)
        near = outcomes.count("within 25 km") / n
        wrong = (outcomes.count("confidently wrong") + outcomes.count("wrong, flagged")) / n
        sure_wrong = outcomes.count("confidently wrong") / n
        missing = outcomes.count("not found") / n
        table[f"{kind}/{script}"] = {"n": n, "within_25km": near, "confidently_wrong": sure_wrong}
        print(
            f"| {kind} | {script} | {n} | {near:.0%} | {wrong:.0%} | {sure_wrong:.0%} | {missing:.0%} |"
        )
    print("\nConfidently wrong answers:")
    for query, outcome, distance, match, name in details:
        if outcome == "confidently wrong":
            print(f"  {query} -> {name} ({distance} km, {match})")
    print("\nmachine:", json.dumps(machine("geopy", "rapidfuzz")))
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after")
    args = parser.parse_args(argv)
    score(args.label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
