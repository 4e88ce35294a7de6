"""The embedded gazetteer files, read on first use and kept for the process.

``data/`` holds files written by ``scripts/build_gazetteer.py``: the names as
gzip'd text stored by column, which the standard library reads in a few tens of milliseconds
without importing pyarrow, and the country polygons as Parquet (WKB), read only
when a border, a reverse lookup or a point-in-country test needs them.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DATA_PACKAGE = "sahel_events.geo"
GENERATED_FILES: tuple[str, ...] = (
    "admin_shapes.parquet",
    "countries.txt.gz",
    "country_aliases.txt.gz",
    "country_shapes.parquet",
    "places.txt.gz",
    "place_aliases.txt.gz",
    "place_variants.txt.gz",
    "place_skeletons.txt.gz",
    "osm_places.txt.gz",
    "osm_place_aliases.txt.gz",
    "osm_place_variants.txt.gz",
    "osm_place_skeletons.txt.gz",
    "sources.json",
)
#: The shipped place sources: GeoNames (CC BY 4.0) and OpenStreetMap (ODbL,
#: kept in files of its own). ``user`` places are the caller's ``extra_places``.
SOURCES: tuple[str, ...] = ("geonames", "osm")
_PREFIX = {"geonames": "", "osm": "osm_"}


def _columns(name: str) -> dict[str, list[str]]:
    """A column-stored gzip'd text file (see the build script) as lists of strings."""
    payload = resources.files(DATA_PACKAGE).joinpath("data").joinpath(name).read_bytes()
    header, *sections = gzip.decompress(payload).decode("utf-8").split("\0")
    names = header.split("\t")
    if len(names) != len(sections):
        raise RuntimeError(f"corrupt gazetteer file {name}: reinstall sahel_events")
    return {column: section.split("\n") for column, section in zip(names, sections, strict=True)}


@dataclass(frozen=True, eq=False)
class AliasIndex:
    """Alias keys in sorted order, with what each names and the alias as written.

    A binary search over the sorted keys finds a key's rows: a couple of
    microseconds a query, and no dictionary to build at load time.
    """

    keys: list[str]
    targets: list[str]  # the place row (digits) or the country's alpha-2 of each key
    aliases: list[str]  # empty where the alias is written as its key
    numeric_targets: bool

    def lookup(self, key: str) -> list[tuple[Any, str]]:
        """Every (target, alias as written) whose normalised key is ``key``."""
        keys = self.keys
        row = bisect_left(keys, key)
        found = []
        while row < len(keys) and keys[row] == key:
            # Converted per hit rather than at load: most rows are never looked up.
            target = int(self.targets[row]) if self.numeric_targets else self.targets[row]
            found.append((target, self.aliases[row] or key))
            row += 1
        return found


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per source
class Places:
    """One source's places, one list per column, and their alias index.

    ``ids`` are GeoNames ids, OSM node ids, or row numbers of a user's file;
    ``source`` says which. The variant and skeleton indexes load on first use.
    """

    source: str
    ids: Sequence[int]
    name: list[str]
    alpha2: list[str]
    admin1: list[str | None]
    admin2: list[str | None]
    latitude: Sequence[float]
    longitude: Sequence[float]
    population: Sequence[int]
    feature_kind: list[str]
    aliases: AliasIndex

    def __len__(self) -> int:
        return len(self.name)

    @property
    def geonames_id(self) -> Sequence[int | None]:
        """GeoNames ids (None for places of another source)."""
        return self.ids if self.source == "geonames" else [None] * len(self.ids)


class _Numbers(Sequence[Any]):
    """A column of numbers kept as the text the file holds, converted per access:
    most rows are never looked at, and converting 180,000 of them at load would
    cost most of the load time."""

    __slots__ = ("_cells", "_kind")

    def __init__(self, cells: list[str], kind: type) -> None:
        self._cells = cells
        self._kind = kind

    def __len__(self) -> int:
        return len(self._cells)

    def __getitem__(self, row: Any) -> Any:
        if isinstance(row, slice):
            return [self._kind(cell) for cell in self._cells[row]]
        return self._kind(self._cells[row])

    def texts(self) -> list[str]:
        """The cells as written (what numpy converts in one call)."""
        return self._cells


def _index(name: str, numeric: bool = True) -> AliasIndex:
    table = _columns(name)
    return AliasIndex(
        keys=table["key"],
        targets=table["place"],
        aliases=table.get("alias") or [""] * len(table["key"]),
        numeric_targets=numeric,
    )


@cache
def places(source: str = "geonames") -> Places:
    """The places of one shipped source (loaded once)."""
    prefix = _PREFIX[source]
    table = _columns(f"{prefix}places.txt.gz")
    empty: list[str | None] = [None] * len(table["name"])
    return Places(
        source=source,
        ids=_Numbers(table["geonames_id" if source == "geonames" else "osm_id"], int),
        name=table["name"],
        alpha2=table["alpha2"],
        # Empty cells are "" in the file; the loaders' users treat "" as missing.
        admin1=table.get("admin1", empty),  # type: ignore[arg-type]
        admin2=table.get("admin2", empty),  # type: ignore[arg-type]
        latitude=_Numbers(table["latitude"], float),
        longitude=_Numbers(table["longitude"], float),
        population=_Numbers(table["population"], int),
        feature_kind=table["feature_kind"],
        aliases=_index(f"{prefix}place_aliases.txt.gz"),
    )


@cache
def variants(source: str = "geonames") -> AliasIndex:
    """Spelling-variant keys ``CC:key`` of a source's places (``_normalize.variant_key``)."""
    return _index(f"{_PREFIX[source]}place_variants.txt.gz")


@cache
def skeletons(source: str = "geonames") -> AliasIndex:
    """Consonant-skeleton keys of a source's places (``_normalize.skeleton``)."""
    return _index(f"{_PREFIX[source]}place_skeletons.txt.gz")


@cache
def place_coordinates(source: str = "geonames") -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of a source's places as float arrays."""
    import numpy as np

    table = places(source)
    latitude, longitude = table.latitude, table.longitude
    if isinstance(latitude, _Numbers) and isinstance(longitude, _Numbers):
        return (
            np.array(latitude.texts()).astype(np.float64),
            np.array(longitude.texts()).astype(np.float64),
        )
    return np.array(latitude, dtype=np.float64), np.array(longitude, dtype=np.float64)


@cache
def admin_shapes() -> list[dict[str, Any]]:
    """Natural Earth admin-1 polygons of Mali, Niger (regions) and Burkina Faso
    (provinces): ``alpha2``, ``code``, ``name``, ``level``, ``geometry``."""
    import pyarrow.parquet as pq
    import shapely

    with resources.as_file(
        resources.files(DATA_PACKAGE).joinpath("data").joinpath("admin_shapes.parquet")
    ) as path:
        table = pq.ParquetFile(path).read()
    shapes = shapely.from_wkb(table.column("geometry").to_pylist())
    rows = table.drop(["geometry"]).to_pylist()
    return [{**row, "geometry": shape} for row, shape in zip(rows, shapes, strict=True)]


@dataclass(frozen=True)
class CountryRecord:
    """A country of the gazetteer: codes, names and its representative point."""

    alpha2: str
    alpha3: str
    iso_numeric: int
    name: str
    acled_country: str | None
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Countries:
    """Country records by code and the country alias index."""

    by_alpha2: dict[str, CountryRecord]
    by_alpha3: dict[str, CountryRecord]
    by_numeric: dict[int, CountryRecord]
    aliases: AliasIndex


@cache
def countries() -> Countries:
    """Countries of the gazetteer (loaded once; polygons are loaded separately)."""
    table = _columns("countries.txt.gz")
    records = [
        CountryRecord(
            alpha2=alpha2,
            alpha3=alpha3,
            iso_numeric=int(numeric),
            name=name,
            acled_country=acled or None,
            latitude=float(latitude),
            longitude=float(longitude),
        )
        for alpha2, alpha3, numeric, name, acled, latitude, longitude in zip(
            table["alpha2"],
            table["alpha3"],
            table["iso_numeric"],
            table["name"],
            table["acled_country"],
            table["latitude"],
            table["longitude"],
            strict=True,
        )
    ]
    aliases = _columns("country_aliases.txt.gz")
    return Countries(
        by_alpha2={record.alpha2: record for record in records},
        by_alpha3={record.alpha3: record for record in records},
        by_numeric={record.iso_numeric: record for record in records},
        aliases=AliasIndex(
            keys=aliases["key"],
            targets=aliases["alpha2"],
            aliases=aliases["alias"],
            numeric_targets=False,
        ),
    )


@cache
def country_geometries() -> dict[str, Any]:
    """Shapely (multi)polygons of the countries by ISO alpha-2 (loaded once)."""
    import pyarrow.parquet as pq
    import shapely

    # ParquetFile, not read_table: the latter imports pandas through pyarrow.dataset.
    with resources.as_file(
        resources.files(DATA_PACKAGE).joinpath("data").joinpath("country_shapes.parquet")
    ) as path:
        table = pq.ParquetFile(path).read()
    shapes = shapely.from_wkb(table.column("geometry").to_pylist())
    return dict(zip(table.column("alpha2").to_pylist(), shapes, strict=True))
