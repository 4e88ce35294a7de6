"""The embedded gazetteer files, read on first use and kept for the process.

``data/`` holds Parquet files written by ``scripts/build_gazetteer.py``. They are
read with ``pyarrow.parquet.ParquetFile`` (not ``read_table``, which would pull
in pandas through ``pyarrow.dataset``) so that the cold load stays short.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DATA_PACKAGE = "sahel_events.geo"
GENERATED_FILES: tuple[str, ...] = (
    "countries.parquet",
    "country_aliases.parquet",
    "places.parquet",
    "place_aliases.parquet",
)


def _read(name: str) -> Any:
    import pyarrow.parquet as pq

    with resources.as_file(resources.files(DATA_PACKAGE).joinpath("data", name)) as path:
        return pq.ParquetFile(path).read()


@dataclass(frozen=True)
class AliasIndex:
    """Sorted alias keys with what each names; ``first[key]`` is the first row of a key."""

    keys: list[str]
    targets: list[Any]
    aliases: list[str]
    first: dict[str, int]

    def lookup(self, key: str) -> list[tuple[Any, str]]:
        """Every (target, alias as written) whose normalised key is ``key``."""
        start = self.first.get(key)
        if start is None:
            return []
        found = []
        keys = self.keys
        for row in range(start, len(keys)):
            if keys[row] != key:
                break
            found.append((self.targets[row], self.aliases[row]))
        return found


def _alias_index(table: Any, target: str) -> AliasIndex:
    keys = table.column("key").to_pylist()
    # Built back to front, so each key keeps the smallest row number: its first row.
    first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    return AliasIndex(
        keys=keys,
        targets=table.column(target).to_pylist(),
        aliases=table.column("alias").to_pylist(),
        first=first,
    )


@dataclass(frozen=True)
class Places:
    """GeoNames populated places, one list per column, and their alias index."""

    geonames_id: list[int]
    name: list[str]
    alpha2: list[str]
    admin1: list[str | None]
    latitude: list[float]
    longitude: list[float]
    population: list[int]
    feature_kind: list[str]
    aliases: AliasIndex

    def __len__(self) -> int:
        return len(self.name)


@cache
def places() -> Places:
    """The populated places of the gazetteer (loaded once)."""
    table = _read("places.parquet")
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    return Places(**columns, aliases=_alias_index(_read("place_aliases.parquet"), "place"))


@cache
def place_coordinates() -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of all places as float arrays (for nearest-place search)."""
    import numpy as np

    table = _read("places.parquet")
    return (
        table.column("latitude").to_numpy().astype(np.float64),
        table.column("longitude").to_numpy().astype(np.float64),
    )


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
    """Country records by alpha-2 and the country alias index."""

    by_alpha2: dict[str, CountryRecord]
    by_alpha3: dict[str, CountryRecord]
    by_numeric: dict[int, CountryRecord]
    aliases: AliasIndex


@cache
def countries() -> Countries:
    """Countries of the gazetteer (loaded once; polygons are loaded separately)."""
    table = _read("countries.parquet").drop_columns(["geometry"])
    records = [CountryRecord(**row) for row in table.to_pylist()]
    return Countries(
        by_alpha2={record.alpha2: record for record in records},
        by_alpha3={record.alpha3: record for record in records},
        by_numeric={record.iso_numeric: record for record in records},
        aliases=_alias_index(_read("country_aliases.parquet"), "alpha2"),
    )


@cache
def country_geometries() -> dict[str, Any]:
    """Shapely (multi)polygons of the countries by ISO alpha-2 (loaded once)."""
    import shapely

    table = _read("countries.parquet").select(["alpha2", "geometry"])
    shapes = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    return dict(zip(table.column("alpha2").to_pylist(), shapes, strict=True))
