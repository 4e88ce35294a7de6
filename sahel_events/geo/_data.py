"""The embedded gazetteer files, read on first use and kept for the process.

``data/`` holds files written by ``scripts/build_gazetteer.py``: the names as
gzip'd text stored by column, which the standard library reads in a few tens of milliseconds
without importing pyarrow, and the country polygons as Parquet (WKB), read only
when a border, a reverse lookup or a point-in-country test needs them.
"""

from __future__ import annotations

import gzip
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DATA_PACKAGE = "sahel_events.geo"
GENERATED_FILES: tuple[str, ...] = (
    "admin_shapes.txt.gz",
    "countries.txt.gz",
    "country_aliases.txt.gz",
    "country_shapes.txt.gz",
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


def _by_source(function: Callable[[str], Any]) -> Any:
    """``functools.cache`` keyed on the source alone: ``places()`` and
    ``places("geonames")`` must be one table, not two copies."""
    cached = cache(function)

    def call(source: str = "geonames") -> Any:
        return cached(source)

    call.__doc__, call.__name__ = function.__doc__, function.__name__
    call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return call


def _columns(
    name: str, convert: dict[str, Callable[[list[str]], Any]] | None = None
) -> dict[str, Any]:
    """A column-stored gzip'd text file (see the build script), column by column:
    each is decoded, split and converted (``convert[column]``, e.g. to a compact
    array) before the next, so that the whole file never exists as Python strings
    at once (Arabic text makes a decoded str two bytes a character)."""
    payload = resources.files(DATA_PACKAGE).joinpath("data").joinpath(name).read_bytes()
    header, *sections = gzip.decompress(payload).split(b"\0")
    del payload
    names = header.decode("utf-8").split("\t")
    if len(names) != len(sections):
        raise RuntimeError(f"corrupt gazetteer file {name}: reinstall sahel_events")
    columns: dict[str, Any] = {}
    converters = convert or {}
    for column in names:
        cells = sections[0].decode("utf-8").split("\n")
        del sections[0]
        columns[column] = converters[column](cells) if column in converters else cells
    return columns


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


def _numbers(cells: list[str], typecode: str) -> array[Any]:
    """A numeric column as a compact array (8 bytes a row, not a 50-byte str)."""
    kind = float if typecode == "d" else int
    return array(typecode, map(kind, cells))


def _shared(cells: list[str]) -> list[str]:
    """A low-cardinality text column with one string object per distinct value
    (``ML``, ``village``): str.split makes one per row."""
    seen: dict[str, str] = {}
    return [seen.setdefault(cell, cell) for cell in cells]


def _index(name: str, numeric: bool = True, compact: bool = False) -> AliasIndex:
    # The name index loads with the first query: its targets stay text, converted
    # per hit (most keys are never looked up). The spelling indexes load later,
    # when a guess is needed, and keep theirs as a compact array (less memory).
    convert: dict[str, Callable[[list[str]], Any]] = {}
    if compact:
        convert["place"] = partial(_numbers, typecode="l")
    table = _columns(name, convert)
    aliases = table.get("alias")
    return AliasIndex(
        keys=table["key"],
        targets=table["place"],
        aliases=aliases if aliases is not None else [""] * len(table["key"]),
        numeric_targets=numeric,
    )


@_by_source
def places(source: str = "geonames") -> Places:
    """The places of one shipped source (loaded once)."""
    prefix = _PREFIX[source]
    numbers = {
        "latitude": "d",
        "longitude": "d",
        "population": "q",
        "geonames_id": "q",
        "osm_id": "q",
    }
    convert: dict[str, Callable[[list[str]], Any]] = {
        column: partial(_numbers, typecode=code) for column, code in numbers.items()
    }
    convert.update(dict.fromkeys(("alpha2", "admin1", "admin2", "feature_kind"), _shared))
    convert["feature_code"] = lambda cells: None  # read by the admin module from the file
    table = _columns(f"{prefix}places.txt.gz", convert)
    empty: list[str | None] = [None] * len(table["name"])
    return Places(
        source=source,
        ids=table["geonames_id" if source == "geonames" else "osm_id"],
        name=table["name"],
        alpha2=table["alpha2"],
        # Empty cells are "" in the file; the loaders' users treat "" as missing.
        admin1=table.get("admin1", empty),
        admin2=table.get("admin2", empty),
        latitude=table["latitude"],
        longitude=table["longitude"],
        population=table["population"],
        feature_kind=table["feature_kind"],
        aliases=_index(f"{prefix}place_aliases.txt.gz"),
    )


@_by_source
def variants(source: str = "geonames") -> AliasIndex:
    """Spelling-variant keys ``CC:key`` of a source's places (``_normalize.variant_key``)."""
    return _index(f"{_PREFIX[source]}place_variants.txt.gz", compact=True)


@_by_source
def skeletons(source: str = "geonames") -> AliasIndex:
    """Consonant-skeleton keys of a source's places (``_normalize.skeleton``)."""
    return _index(f"{_PREFIX[source]}place_skeletons.txt.gz", compact=True)


@_by_source
def place_coordinates(source: str = "geonames") -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of a source's places as float arrays."""
    import numpy as np

    table = places(source)
    latitude, longitude = table.latitude, table.longitude
    if isinstance(latitude, array) and isinstance(longitude, array):
        return np.frombuffer(latitude, dtype=np.float64), np.frombuffer(longitude, dtype=np.float64)
    return np.array(latitude, dtype=np.float64), np.array(longitude, dtype=np.float64)


@cache
def admin_shapes() -> list[dict[str, Any]]:
    """Natural Earth admin-1 polygons of Mali, Niger (regions) and Burkina Faso
    (provinces): ``alpha2``, ``code``, ``name``, ``level``, ``geometry``."""
    import shapely

    table = _columns("admin_shapes.txt.gz")
    shapes = shapely.from_wkb(table.pop("geometry"))
    rows = [dict(zip(table, values, strict=True)) for values in zip(*table.values(), strict=True)]
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


class _Geometries(Mapping[str, Any]):
    """Country polygons by alpha-2, each decoded from WKB when first asked for: a
    border query needs two or three countries, not the 239 (about 100 MB decoded)."""

    def __init__(self, wkb: dict[str, bytes]) -> None:
        self._wkb = wkb
        self._decoded: dict[str, Any] = {}

    def __getitem__(self, alpha2: str) -> Any:
        shape = self._decoded.get(alpha2)
        if shape is None:
            import shapely

            shape = self._decoded[alpha2] = shapely.from_wkb(self._wkb[alpha2])
        return shape

    def __iter__(self) -> Iterator[str]:
        return iter(self._wkb)

    def __len__(self) -> int:
        return len(self._wkb)


@cache
def country_geometries() -> Mapping[str, Any]:
    """Shapely (multi)polygons of the countries by ISO alpha-2 (loaded once,
    decoded per country on first use; WKB as hex text, so no pyarrow import)."""
    table = _columns("country_shapes.txt.gz")
    return _Geometries(dict(zip(table["alpha2"], table["geometry"], strict=True)))
