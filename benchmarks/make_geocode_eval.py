"""Build ``benchmarks/geocode_eval.csv``: real event places with coordinates from
a source independent of GeoNames.

``geocode_eval_places.csv`` lists real event locations (villages, towns,
cercles, provinces, départements, communes and regions of central Mali,
Burkina Faso and western Niger where violence was reported), as the French,
English and Arabic press spells them, with what stands for the truth:

* ``osm:Name|Other name`` -- the OpenStreetMap place node of that name in the
  row's country (the 2019 extracts of ``../shared/geodata/osm``, ODbL). A name
  with several nodes more than 10 km apart is left out: its truth is unclear.
* ``point:LAT,LON`` -- a point given by the row's ``source`` (a Wikipedia
  infobox, a Ramsar site sheet), for natural features OSM's place nodes lack;
* ``polygon:ISO|ISO`` -- the Natural Earth admin-1 polygons of those ISO 3166-2
  codes (shipped in ``sahel_events/geo/data/admin_shapes.txt.gz``); an answer
  inside them is at distance 0.

Run ``python benchmarks/make_geocode_eval.py [--geodata ../shared/geodata]``.
The output is deterministic. Coordinates from OSM are © OpenStreetMap
contributors (ODbL); each row names its node.
"""

from __future__ import annotations

import argparse
import csv
import io
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sahel_events.geo._normalize import normalize  # noqa: E402
from sahel_events.geo.shapes import haversine_km  # noqa: E402

PLACES = HERE / "geocode_eval_places.csv"
OUT = HERE / "geocode_eval.csv"
#: Same-name OSM nodes further apart than this make the truth unclear.
SPREAD_KM = 10.0


def _osm_nodes(geodata: Path, country: str) -> list[tuple[int, float, float, str, str]]:
    archive = zipfile.ZipFile(geodata / "osm" / f"{country}.sqlite.zip")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extract.sqlite"
        path.write_bytes(archive.read(archive.namelist()[0]))
        connection = sqlite3.connect(path)
        try:
            return connection.execute(
                "SELECT ID, LAT, LON, COALESCE(NAME, ''), COALESCE(NAME_EN, '') FROM NODE "
                "WHERE TAG = 'place' AND VALUE IN ('city','town','village','hamlet','locality') "
                "ORDER BY ID"
            ).fetchall()
        finally:
            connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geodata", type=Path, default=ROOT.parent / "shared" / "geodata")
    args = parser.parse_args(argv)
    nodes: dict[str, dict[str, list[tuple[int, float, float]]]] = {}
    rows, dropped = [], []
    with PLACES.open(encoding="utf-8", newline="") as handle:
        places = list(csv.DictReader(handle))
    for place in places:
        kind, _, names = place["truth"].partition(":")
        country = place["country"] or "ML"
        if kind == "polygon":
            rows.append({**place, "latitude": "", "longitude": "", "source": place["truth"]})
            continue
        if kind == "point":
            if not place.get("source"):
                raise SystemExit(
                    f"{PLACES.name}: {place['query']!r} gives a point without a source"
                )
            latitude, _, longitude = names.partition(",")
            rows.append(
                {
                    **place,
                    "latitude": f"{float(latitude):.5f}",
                    "longitude": f"{float(longitude):.5f}",
                }
            )
            continue
        if country not in nodes:
            index: dict[str, list[tuple[int, float, float]]] = {}
            for node_id, lat, lon, name, english in _osm_nodes(args.geodata, country):
                for label in {name, english}:
                    if label:
                        index.setdefault(normalize(label), []).append((node_id, lat, lon))
            nodes[country] = index
        found = sorted(
            {hit for name in names.split("|") for hit in nodes[country].get(normalize(name), [])}
        )
        spread = max(
            (float(haversine_km(a[1], a[2], b[1], b[2])) for a in found for b in found),
            default=0.0,
        )
        if not found or spread > SPREAD_KM:
            dropped.append((place["query"], len(found), round(spread)))
            continue
        node_id, lat, lon = found[0]
        rows.append(
            {
                **place,
                "latitude": f"{lat:.5f}",
                "longitude": f"{lon:.5f}",
                "source": f"OpenStreetMap node {node_id} (© OpenStreetMap contributors, ODbL)",
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=[
            "query",
            "script",
            "kind",
            "country",
            "truth",
            "latitude",
            "longitude",
            "source",
        ],
        lineterminator="\n",
    )
    writer.writeheader()
    writer.writerows(rows)
    OUT.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{OUT}: {len(rows)} rows; left out (no or scattered OSM node): {len(dropped)}")
    for query, count, spread in dropped:
        print(f"  {query}: {count} node(s), spread {spread} km")
    return 0


if __name__ == "__main__":
    sys.exit(main())
