"""Locate the seats of Mali's cercles in the vendored dumps and write their coordinates
into ``sahel_events/geo/data/admin2.csv``.

A seat's name alone does not say where it is: Bamba, Ber, Sy, Kani, Dogo, Boni,
Banco, Ména, Farako or Sarro name several villages of Mali, and the gazetteer's
name lookup (``admin.seat_row``) takes the most populous one anywhere in the
country. Here each seat is looked for among the populated places of the GeoNames
Mali dump (CC BY 4.0) and the OpenStreetMap Mali extract (ODbL) that lie in the
cercle's parent region before the 2023 reform (Natural Earth's polygon, as the
package ships it, widened by :data:`REGION_TOLERANCE_DEGREES`). Candidates
closer than :data:`SAME_PLACE_KM` are one place; a place named so outranks one
that has the name only among its alternate names; a GeoNames seat of a cercle
or region (PPLA2, PPLA) outranks villages of the name; when several remain,
the one nearest the seat of the old cercle it was carved from
(:data:`OLD_CERCLE`; nearer it than any other old cercle's seat) wins, if only
one is. Then:

* one place: its GeoNames coordinates are written (the best-ranked entry: a
  higher feature code, then the larger population, then the lower id) with
  ``seat_source`` ``geonames:ID``;
* a place only OpenStreetMap knows: no coordinates are written (admin2.csv is
  not an ODbL file), only ``seat_source`` ``osm:ID``, a node of the package's
  OSM file that the library reads at run time; the seat is reported;
* several places more than :data:`SAME_PLACE_KM` apart: ambiguous, nothing is
  written unless :data:`RESOLVED` chooses one by hand, with a reason;
* none: reported, nothing written.

Every seat it could not place, or placed ambiguously, is printed. A Malian
cercle left without coordinates is not used for a point's nearest-seat admin2
(``sahel_events/geo/admin.py``). Run ``python scripts/locate_cercle_seats.py
[--geodata DIR]`` after editing the Malian rows; ``--check`` writes nothing
and exits 1 when the table is not what the run would write
(``tests/geo/test_geo_cercle_seats.py``). The output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import io
import sqlite3
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_gazetteer import (
    DATA_DIR,
    DEFAULT_GEODATA,
    _code_names,
    _read_manifest,
    _replace,
    _verified,
)

from sahel_events.geo import _data
from sahel_events.geo._normalize import normalize

TABLE = DATA_DIR / "admin2.csv"
CORRECTIONS = Path(__file__).resolve().parent / "gazetteer" / "corrections.csv"
#: The columns this script owns in ``admin2.csv``.
SEAT_COLUMNS = ("seat_latitude", "seat_longitude", "seat_source")
#: Places of the same name closer than this are one place (GeoNames and OSM, or
#: two GeoNames entries, often place one village a few km apart).
SAME_PLACE_KM = 20.0
#: Natural Earth's polygons are simplified (~1 km) and a seat can sit on a
#: region's edge: a candidate may lie this far outside its parent region.
REGION_TOLERANCE_DEGREES = 0.03
COORDINATE_DECIMALS = 4

#: The region before the 2023 reform (Natural Earth's polygon) of each region of
#: 2023 carved from an older one (laws 2012-017 and 2023-006).
OLD_REGION = {
    "Nioro": "Kayes",
    "Kita": "Kayes",
    "Dioïla": "Koulikoro",
    "Nara": "Koulikoro",
    "Bougouni": "Sikasso",
    "Koutiala": "Sikasso",
    "San": "Ségou",
    "Douentza": "Mopti",
    "Bandiagara": "Mopti",
    "Taoudénit": "Tombouctou",
    "Ménaka": "Gao",
}
#: Cercles whose seat lay in another old region than its 2023 region's parent.
OLD_REGION_OF_CERCLE = {
    # A commune of the Kati cercle (fr.wikipedia 'Cercle de Kati'), now in Bougouni region.
    "Ouélessébougou": "Koulikoro",
}
#: The cercle before 2023 each new cercle was carved from (the communes of the
#: 2009 census by cercle, fr.wikipedia 'Cercle de X'). When a seat's name leaves
#: several places, only those nearer that cercle's seat than any other old
#: cercle's seat are kept (an approximation of the old cercle: no cercle
#: polygons are at hand).
OLD_CERCLE = {
    **dict.fromkeys(["Ambidédi", "Aourou", "Diamou", "Sadiola", "Ségala"], "Kayes"),
    "Oussoubidiagna": "Bafoulabé",
    "Nyamina": "Koulikoro",
    **dict.fromkeys(["Siby", "Néguéla", "Ouélessébougou"], "Kati"),
    **dict.fromkeys(["Dandéresso", "Kignan", "Kléla", "Lobougoula", "Niéna"], "Sikasso"),
    "Loulouni": "Kadiolo",
    **dict.fromkeys(["Dioro", "Farako", "Markala", "Sarro"], "Ségou"),
    **dict.fromkeys(["Nampala", "Sokolo"], "Niono"),
    **dict.fromkeys(["Konna", "Korientzé"], "Mopti"),
    "Sofara": "Djenné",
    "Toguéré-Coumbé": "Ténenkou",
    **dict.fromkeys(["Bambara-Maoudé", "Gossi"], "Gourma-Rharous"),
    **dict.fromkeys(["Bintagoungou", "Gargando", "Tonka"], "Goundam"),
    **dict.fromkeys(["Léré", "Saraféré"], "Niafunké"),
    "Ber": "Tombouctou",
    **dict.fromkeys(["Almoustrat", "Bamba", "Tabankort"], "Bourem"),
    **dict.fromkeys(["Djebock", "Gabéro", "N'Tillit", "Soni Aliber", "Tin-Aouker"], "Gao"),
    **dict.fromkeys(["Ouattagouna", "Talataye", "Tessit"], "Ansongo"),
    "Anéfif": "Kidal",
    **dict.fromkeys(["Aguel-Hoc", "Timétrine"], "Tessalit"),
    **dict.fromkeys(
        ["Achouratt", "Al-Ourche", "Araouane", "Boû-Djebeha", "Foum-Elba", "Taoudenni"],
        "Tombouctou",
    ),
    **dict.fromkeys(
        ["Andéramboukane", "Anouzagrène", "Inékar", "Inlamawane", "Tidermène"], "Ménaka"
    ),
    **dict.fromkeys(["Béma", "Diangounté"], "Diéma"),
    **dict.fromkeys(["Sandaré", "Troungoumbé"], "Nioro"),
    **dict.fromkeys(["Sagabari", "Sébékoro", "Séféto", "Sirakoro", "Toukoto"], "Kita"),
    **dict.fromkeys(["Banco", "Béléko", "Fana", "Massigui", "Ména"], "Dioïla"),
    **dict.fromkeys(["Ballé", "Dilly", "Fallou", "Guiré", "Mourdiah"], "Nara"),
    **dict.fromkeys(["Dogo", "Garalo", "Koumantou"], "Bougouni"),
    **dict.fromkeys(["Fakola", "Kadiana"], "Kolondiéba"),
    "Sélingué": "Yanfolila",
    **dict.fromkeys(["Konséguéla", "Kouniana", "M'Péssoba", "Molobala", "Zangasso"], "Koutiala"),
    "Koury": "Yorosso",
    **dict.fromkeys(["Fangasso", "Mandiakuy"], "Tominian"),
    **dict.fromkeys(["Kimparana", "Sy"], "San"),
    "Yangasso": "Bla",
    **dict.fromkeys(["Boni", "Boré", "Hombori", "Mondoro", "N'Gouma"], "Douentza"),
    **dict.fromkeys(["Dialassagou", "Kani", "Sokoura"], "Bankass"),
    **dict.fromkeys(["Kendié", "Ningari", "Sangha"], "Bandiagara"),
}
#: Seat names to look for besides the table's ``seat`` (other spellings in the dumps).
OTHER_FORMS = {
    "Aguel-Hoc": ("Aguelhok", "Aguel'hoc", "Aguel Hoc", "Aguelhoc"),
    "Anéfif": ("Anefis", "Anéfis", "Anefif"),
    "Boû-Djebeha": (
        "Bou Djebbeha",
        "Boujbeha",
        "Bou Djebeha",
        "Boudje-Béha",
        "Bou-Djebeha",
        "Boujebeha",
    ),
    "Foum-Elba": ("Foum Alba", "Foum-Alba", "Foum el Alba"),
    "Macina": ("Ké-Macina", "Ke Macina"),
    "Taoudenni": ("Taoudéni", "Taoudeni", "Taoudenit", "Taoudénit"),
    "Achouratt": ("Achourat", "Achouratt", "Achorat"),
    "Al-Ourche": ("Al Ourche", "Alourche", "El Ourche"),
    "Araouane": ("Araouan", "Arawan"),
    "Nioro du Sahel": ("Nioro",),
    "Diangounté Camara": ("Diangounte Kamara", "Diangounté", "Djangounté Camara"),
    "Kani": ("Kani-Bonzon", "Kani Bonzon", "Kanibonzon"),
    "Tin-Aouker": ("Tin Aouker", "Tinaouker", "Tin-Aoukar"),
    "Soni Aliber": ("Sony Aliber", "Soni Ali Ber", "Sonni Ali Ber"),
    "Toguéré-Coumbé": ("Toguéré Koumbé", "Toguere Koumbe", "Toguéré-Koumbé", "Togueré Koumbé"),
    "N'Tillit": ("Tilit", "Ntillit", "N'Tilit"),
    "Ersane": ("Ersan",),
    "Tabankort": ("Tabankor", "Tabankorte"),
    "M'Péssoba": ("Mpessoba", "M'Pessoba"),
    "N'Gouma": ("Ngouma", "N'Gouma"),
    "Anouzagrène": ("Anuzagren", "Anouzagren", "Anouzaghrene"),
    "Andéramboukane": ("Anderamboukane", "Andéraboukane"),
    "Inékar": ("Inekar", "Inékar"),
    "Tidermène": ("Tidermene", "Tidarmène"),
    "Takalote": ("Takalot",),
    "Timétrine": ("Timetrine", "Timtrine"),
    "Achibogho": ("Achibogo",),
    "Bambara-Maoudé": ("Bambara Maoudé", "Bambara-Maounde"),
    "Dialassagou": ("Diallassagou",),
    "Ouélessébougou": ("Ouéléssébougou", "Ouelessebougou"),
    "Kadiana": ("Kadiala",),
    "Niéna": ("Niéma",),
    "Gabéro": ("Gabero",),
    "Mandiakuy": ("Mandiakui",),
    "Kendié": ("Kendie",),
}


@dataclass(frozen=True)
class Resolution:
    """A seat chosen by hand: ``geonames:ID`` (any GeoNames feature) or ``osm:ID``
    (a place of the shipped OSM file), or None to leave it unplaced; and why."""

    choice: str | None
    reason: str


#: Seats resolved by hand where the dumps alone are ambiguous, name the seat
#: otherwise than as a populated place, or do not settle it.
RESOLVED: dict[str, Resolution] = {
    "Abeïbara": Resolution(
        "geonames:2596472",
        "the only GeoNames populated place of the name, the town the gazetteer already "
        "used; the two OSM nodes 25-60 km off are not the town",
    ),
    "Kéniéba": Resolution(
        "geonames:2455427",
        "the town (GeoNames and OSM agree) near the Senegal border, 249 km south of Kayes "
        "(fr.wikipedia 'Kéniéba'); the three others are villages of the Kita and Kayes cercles",
    ),
    "Almoustrat": Resolution(
        "geonames:2596476",
        "GeoNames' locality Almoustarast (Bourem cercle, on the Gao-Kidal road), the "
        "only place of the name; GeoNames has no populated place for it",
    ),
    "Fana": Resolution(
        "geonames:2457763",
        "Fana, the town on the Bamako-Ségou road 40 km north-west of Dioïla in the old "
        "Dioïla cercle; the other Fana is a village 90 km off, north of Koulikoro",
    ),
    "Kani": Resolution(
        "geonames:2455716",
        "Kani-Bonzon, chef-lieu of the commune of that name in the Bankass cercle; "
        "Kani-Kombolé, the other Kani of the group, is 4 km off",
    ),
    "Zangasso": Resolution(
        "geonames:2448359",
        "GeoNames' Sangasso (alternate name Zangasso), 30 km south-west of Koutiala in the "
        "old Koutiala cercle; the entry named Zangasso lies 90 km away, nearer Sikasso",
    ),
    "Inlamawane": Resolution(
        "geonames:12509479",
        "GeoNames' camp In-Lamawane, in its Ménaka region: the only place of the name; "
        "Fanfi, the other name the list gives, is in neither dump",
    ),
}

_POPULATED = {"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLL", "PPLX", "PPLS"}
_CODE_RANK = {"PPLC": 5, "PPLA": 4, "PPLA2": 3, "PPLA3": 2, "PPLA4": 1}
_OSM_PLACES = {"city", "town", "village", "hamlet"}


@dataclass(frozen=True)
class Place:
    source: str  # "geonames" or "osm"
    ident: int
    name: str
    latitude: float
    longitude: float
    rank: tuple[int, int]  # (feature-code rank, population)
    old_cercle: str | None  # GeoNames' admin2 name; None for OSM
    primary: frozenset[str]  # the keys of its main names (not its alternate names)


def _corrections() -> dict[int, dict[str, float]]:
    """The coordinate corrections the gazetteer build applies (``corrections.csv``)."""
    corrections: dict[int, dict[str, float]] = {}
    with open(CORRECTIONS, encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["field"] in {"latitude", "longitude"}:
                corrections.setdefault(int(row["geonames_id"]), {})[row["field"]] = float(
                    row["value"]
                )
    return corrections


def _geonames_places(geodata: Path, manifest: dict) -> dict[str, list[Place]]:
    admin2 = _code_names(_verified(geodata, manifest, "geonames/admin2Codes.txt.gz"))
    corrections = _corrections()
    text = _verified(geodata, manifest, "geonames/ML.txt.gz").decode("utf-8")
    by_key: dict[str, list[Place]] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 19 or fields[6] != "P" or fields[7] not in _POPULATED:
            continue
        old = admin2.get(f"ML.{fields[10]}.{fields[11]}") if fields[11] else None
        fixed = corrections.get(int(fields[0]), {})
        place = Place(
            "geonames",
            int(fields[0]),
            fields[1],
            fixed.get("latitude", float(fields[4])),
            fixed.get("longitude", float(fields[5])),
            (_CODE_RANK.get(fields[7], 0), int(fields[14] or 0)),
            _bare(old),
            frozenset(normalize(name) for name in fields[1:3] if name.strip()),
        )
        names = {fields[1], fields[2], *fields[3].split(",")}
        for key in {normalize(name) for name in names if name.strip()}:
            by_key.setdefault(key, []).append(place)
    return by_key


def _bare(admin2_name: str | None) -> str | None:
    if not admin2_name:
        return None
    for suffix in (" Cercle", " cercle"):
        if admin2_name.endswith(suffix):
            return admin2_name[: -len(suffix)]
    return admin2_name


def _osm_places(geodata: Path, manifest: dict) -> dict[str, list[Place]]:
    archive = zipfile.ZipFile(io.BytesIO(_verified(geodata, manifest, "osm/ML.sqlite.zip")))
    by_key: dict[str, list[Place]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ML.sqlite"
        path.write_bytes(archive.read(archive.namelist()[0]))
        connection = sqlite3.connect(path)
        try:
            found = connection.execute(
                "SELECT ID, LAT, LON, NAME, NAME_EN, VALUE FROM NODE "
                "WHERE TAG = 'place' AND NAME IS NOT NULL ORDER BY ID"
            ).fetchall()
        finally:
            connection.close()
    for node_id, lat, lon, local, english, value in found:
        if value not in _OSM_PLACES:
            continue
        keys = frozenset(normalize(name) for name in (local, english) if name and name.strip())
        place = Place("osm", int(node_id), local, float(lat), float(lon), (0, 0), None, keys)
        for key in keys:
            by_key.setdefault(key, []).append(place)
    return by_key


def _old_region_shapes() -> dict[str, object]:
    import shapely

    return {
        shape["name"]: shapely.buffer(shape["geometry"], REGION_TOLERANCE_DEGREES)
        for shape in _data.admin_shapes()
        if shape["alpha2"] == "ML"
    }


def old_region(row: dict[str, str]) -> str:
    """The region before 2023 (a Natural Earth polygon) the cercle's seat lay in."""
    return OLD_REGION_OF_CERCLE.get(row["name"]) or OLD_REGION.get(row["admin1"], row["admin1"])


def _clusters(places: list[Place]) -> list[list[Place]]:
    """Places grouped so that any two closer than SAME_PLACE_KM share a group."""
    from sahel_events.geo.shapes import haversine_km

    groups: list[list[Place]] = []
    for place in places:
        near = [
            group
            for group in groups
            if any(
                float(haversine_km(place.latitude, place.longitude, p.latitude, p.longitude))
                < SAME_PLACE_KM
                for p in group
            )
        ]
        merged = [place] + [p for group in near for p in group]
        groups = [group for group in groups if group not in near] + [merged]
    return groups


def _best(group: list[Place]) -> Place | None:
    geonames = [p for p in group if p.source == "geonames"]
    if not geonames:
        return None
    return sorted(geonames, key=lambda p: (-p.rank[0], -p.rank[1], p.ident))[0]


def locate(rows: list[dict[str, str]], geodata: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The rows with the Malian seats' columns filled, and the report lines."""
    manifest = _read_manifest(geodata)
    ml = [row for row in rows if row["country"] == "ML"]
    new_names = {row["name"] for row in ml if row["valid_from"] == "2024"} - {
        row["name"] for row in ml if row["valid_from"] != "2024"
    }
    finder = _Finder(
        _geonames_places(geodata, manifest),
        _osm_places(geodata, manifest),
        _geonames_features(geodata, manifest),
        _old_region_shapes(),
        frozenset(new_names),
    )
    located: dict[str, tuple[str, str, str]] = {}
    # The old cercles first: their seats stand for them when a new seat's name is ambiguous.
    for row in sorted(ml, key=lambda row: (row["name"] in new_names, row["name"])):
        if row["name"] not in located:
            located[row["name"]] = finder.locate(row, located)
    out = []
    for row in rows:
        row = dict(row)
        for column in SEAT_COLUMNS:
            row.setdefault(column, "")
        if row["country"] == "ML":
            row["seat_latitude"], row["seat_longitude"], row["seat_source"] = located[row["name"]]
        out.append(row)
    return out, finder.report


@dataclass
class _Finder:
    geonames: dict[str, list[Place]]
    osm: dict[str, list[Place]]
    features: dict[int, Place]
    regions: dict[str, object]
    #: The cercles created in 2023 (the others' seats approximate the old cercles).
    new_names: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.report: list[str] = []

    def locate(
        self, row: dict[str, str], located: dict[str, tuple[str, str, str]]
    ) -> tuple[str, str, str]:
        import shapely

        name, seat = row["name"], row["seat"] or row["name"]
        region = old_region(row)
        label = f"{name} (seat {seat}, old region {region})"
        if name in RESOLVED:
            return self._resolved(name, label)
        polygon = self.regions[region]
        forms = (seat, *OTHER_FORMS.get(seat, ()), *OTHER_FORMS.get(name, ()))
        keys = list(dict.fromkeys(normalize(form) for form in forms))
        found: dict[tuple[str, int], Place] = {}
        for key in keys:
            for place in (*self.geonames.get(key, ()), *self.osm.get(key, ())):
                if shapely.contains_xy(polygon, place.longitude, place.latitude):
                    found[(place.source, place.ident)] = place
        groups = _clusters(sorted(found.values(), key=lambda p: (p.source, p.ident)))
        # A place named so outranks one that only has the name among its alternate
        # names (Blan, also "Bla"; Ngoro, also "Koro"); GeoNames' entry of a place
        # OSM names so counts as named so (Timbuktu and OSM's Tombouctou).
        groups = [g for g in groups if any(p.primary & set(keys) for p in g)] or groups
        # GeoNames marks the seats of cercles and regions (PPLA2, PPLA): one such
        # place among villages of the name is the seat (Ké-Macina, not the
        # village Macina 40 km west).
        seats = [g for g in groups if any(p.rank[0] >= _CODE_RANK["PPLA2"] for p in g)]
        if len(groups) > 1 and len(seats) == 1:
            groups = seats
        old = OLD_CERCLE.get(name)
        if len(groups) > 1 and old is not None:
            groups = [g for g in groups if self._in_old_cercle(g, old, located)] or groups
            label += f", old cercle {old}"
        if not groups:
            self.report.append(f"NOT FOUND         {label}")
            return "", "", ""
        if len(groups) > 1:
            described = "; ".join(_describe(g) for g in sorted(groups, key=_group_order))
            self.report.append(f"AMBIGUOUS         {label}: {len(groups)} places: {described}")
            return "", "", ""
        if old is not None and not self._in_old_cercle(groups[0], old, located):
            self.report.append(
                f"NOTE              {label}: the one place found is nearer another old "
                f"cercle's seat (cercles differ in size): {_describe(groups[0])}"
            )
        best = _best(groups[0])
        if best is None:
            osm = sorted(groups[0], key=lambda p: p.ident)[0]
            self.report.append(f"OSM ONLY          {label}: {_describe(groups[0])}")
            return "", "", f"osm:{osm.ident}"
        return _written(best)

    def _in_old_cercle(
        self, group: list[Place], old: str, located: dict[str, tuple[str, str, str]]
    ) -> bool:
        """Whether the group's place is nearer the old cercle's seat than any other's."""
        from sahel_events.geo.shapes import haversine_km

        seats = {
            cercle: (float(lat), float(lon))
            for cercle, (lat, lon, _) in located.items()
            if lat and cercle not in self.new_names
        }
        if old not in seats:
            return True
        place = _best(group) or group[0]
        nearest = min(
            seats,
            key=lambda cercle: (
                float(haversine_km(place.latitude, place.longitude, *seats[cercle])),
                cercle,
            ),
        )
        return nearest == old

    def _resolved(self, name: str, label: str) -> tuple[str, str, str]:
        chosen = RESOLVED[name]
        if chosen.choice is None:
            self.report.append(f"UNPLACED by hand  {label}: {chosen.reason}")
            return "", "", ""
        source, _, ident = chosen.choice.partition(":")
        self.report.append(f"RESOLVED by hand  {label}: {chosen.choice} ({chosen.reason})")
        if source == "osm":
            return "", "", chosen.choice
        place = self.features.get(int(ident))
        if place is None:
            raise SystemExit(f"{label}: GeoNames {ident} is not in the Mali dump")
        return _written(place)


def _geonames_features(geodata: Path, manifest: dict) -> dict[int, Place]:
    """Every feature of the Mali dump by id, for the seats chosen by hand."""
    corrections = _corrections()
    features = {}
    text = _verified(geodata, manifest, "geonames/ML.txt.gz").decode("utf-8")
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 19:
            continue
        fixed = corrections.get(int(fields[0]), {})
        features[int(fields[0])] = Place(
            "geonames",
            int(fields[0]),
            fields[1],
            fixed.get("latitude", float(fields[4])),
            fixed.get("longitude", float(fields[5])),
            (0, 0),
            None,
            frozenset(),
        )
    return features


def _group_order(group: list[Place]) -> tuple:
    best = _best(group)
    return (best is None, -(best.rank[1] if best else 0), min(p.ident for p in group))


def _describe(group: list[Place]) -> str:
    best = _best(group) or group[0]
    sources = "+".join(sorted({p.source for p in group}))
    return (
        f"{best.source} {best.ident} {best.name!r} {best.latitude:.4f},{best.longitude:.4f} "
        f"[{sources}; cercle {best.old_cercle}; pop {best.rank[1]}]"
    )


def _written(place: Place) -> tuple[str, str, str]:
    return (
        f"{place.latitude:.{COORDINATE_DECIMALS}f}",
        f"{place.longitude:.{COORDINATE_DECIMALS}f}",
        f"geonames:{place.ident}",
    )


def _render(rows: list[dict[str, str]], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geodata", type=Path, default=DEFAULT_GEODATA, help="geodata folder")
    parser.add_argument("--table", type=Path, default=TABLE, help="the admin2 table")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the table would change"
    )
    args = parser.parse_args(argv)
    text = args.table.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    fields = list(reader.fieldnames or [])
    fields += [column for column in SEAT_COLUMNS if column not in fields]
    rows, report = locate(list(reader), args.geodata)
    shipped = set(_data.places("osm").ids)
    for row in rows:
        source, _, ident = row.get("seat_source", "").partition(":")
        if source == "osm" and int(ident) not in shipped:
            raise SystemExit(
                f"{row['name']}: OSM node {ident} is not in the package's OSM places; "
                "rebuild the gazetteer first (scripts/build_gazetteer.py)"
            )
    for line in report:
        print(line)
    placed = sum(1 for row in rows if row["country"] == "ML" and row["seat_source"])
    total = sum(1 for row in rows if row["country"] == "ML")
    print(f"{placed} of {total} Malian rows have a placed seat", file=sys.stderr)
    rendered = _render(rows, fields)
    if args.check:
        if rendered != text:
            print(f"{args.table}: not what this script writes; run it", file=sys.stderr)
            return 1
        return 0
    if rendered != text:
        _replace(args.table, rendered.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
