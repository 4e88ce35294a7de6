"""The embedded gazetteer files, read on first use and kept for the process.

``data/`` holds files written by ``scripts/build_gazetteer.py``: the place
tables as column files (``*.cols.gz``: binary numbers and coded repeated text,
see :func:`decode_table`), which load with the standard library in tens of
milliseconds; the countries and the polygons (WKB as hex) as gzip'd text by
column, the polygons decoded only when a border, a reverse lookup or a
point-in-country test needs them. The spelling indexes load on the first
spelling guess, OpenStreetMap's places on the first name GeoNames lacks.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

DATA_PACKAGE = "sahel_events.geo"
GENERATED_FILES: tuple[str, ...] = (
    "admin_shapes.txt.gz",
    "countries.txt.gz",
    "country_aliases.txt.gz",
    "country_shapes.txt.gz",
    "places.cols.gz",
    "place_aliases.cols.gz",
    "place_variants.cols.gz",
    "place_skeletons.cols.gz",
    "osm_places.cols.gz",
    "osm_place_aliases.cols.gz",
    "osm_place_variants.cols.gz",
    "osm_place_skeletons.cols.gz",
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
    each is decoded, split and converted (``convert[column]``) before the next, so
    that the whole file never exists as Python strings at once (Arabic text makes
    a decoded str two bytes a character). Used for the small tables (countries,
    polygons); the place tables are column files (:func:`read_table`)."""
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


# --- column files ------------------------------------------------------------------
#
# The place tables are "column files": gzip'd, a magic line, a JSON header line
# naming each column's type and byte length, then the columns one after the
# other. Numbers are little-endian binary (read with ``array.frombytes``: no
# parsing), coordinates integers of 1e-4 degree, repeated text (country codes,
# admin names, feature kinds) a code into the header's list of values, and other
# text UTF-8 lines. Loading a table is one decompression, one ``str.split`` per
# text column and a memory copy per numeric column: no per-row Python, and no
# Python object per row for numbers or repeated text.

COLUMN_FILE_MAGIC = b"sahel_events column file 1\n"
#: Binary column types and their ``array`` typecodes (fixed sizes, checked below).
_BINARY_TYPES: dict[str, str] = {"int32": "i", "int64": "q", "uint32": "I", "uint16": "H"}
for _type, _code in _BINARY_TYPES.items():
    if array(_code).itemsize != {"int32": 4, "int64": 8, "uint32": 4, "uint16": 2}[_type]:
        raise ImportError(f"array typecode {_code!r} has an unexpected size on this platform")
#: Coordinates are stored as integers of 1/COORDINATE_SCALE degree (about 10 m).
COORDINATE_SCALE = 10_000
_SCALE = float(COORDINATE_SCALE)


def _binary(values: Sequence[int], typecode: str) -> bytes:
    data = array(typecode, values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def encode_table(rows: list[dict[str, Any]], types: Mapping[str, str]) -> bytes:
    """A table as a column file (uncompressed): the build script's writer.

    ``types`` maps a column to ``int32``, ``int64``, ``uint32``, ``uint16``,
    ``coordinate`` (decimal degrees, at most 4 decimals) or ``category``
    (repeated text); other columns are text. None is stored as an empty cell
    (0 for numbers).
    """
    columns = list(rows[0]) if rows else []
    header: dict[str, Any] = {"rows": len(rows), "columns": []}
    sections = []
    for column in columns:
        kind = types.get(column, "text")
        cells = [row[column] for row in rows]
        entry: dict[str, Any] = {"name": column, "type": kind}
        if kind == "coordinate":
            scaled = [round(float(cell) * COORDINATE_SCALE) for cell in cells]
            pairs = zip(scaled, cells, strict=True)
            if any(value / COORDINATE_SCALE != float(cell) for value, cell in pairs):
                raise ValueError(f"column {column}: a coordinate with more than 4 decimals")
            section = _binary(scaled, "i")
        elif kind in _BINARY_TYPES:
            section = _binary([int(cell or 0) for cell in cells], _BINARY_TYPES[kind])
        elif kind == "category":
            texts = ["" if cell is None else str(cell) for cell in cells]
            values = sorted(set(texts))
            if len(values) > 65_535:
                raise ValueError(f"column {column}: too many distinct values for a category")
            code = {value: index for index, value in enumerate(values)}
            entry["values"] = values
            section = _binary([code[text] for text in texts], "H")
        elif kind == "sorted lines":
            lines = [str(cell).encode("utf-8") for cell in cells]
            if any(b"\n" in line or b"\t" not in line for line in lines):
                raise ValueError(f"column {column}: a line without a tab, or with a newline")
            keys = [line[: line.index(b"\t")] for line in lines]
            if keys != sorted(keys):
                raise ValueError(f"column {column}: lines not in the byte order of their keys")
            section = b"\n" + b"".join(line + b"\n" for line in lines)
        elif kind == "text":
            encoded = [b"" if cell is None else str(cell).encode("utf-8") for cell in cells]
            if any(len(cell) > 65_535 for cell in encoded):
                raise ValueError(f"column {column}: a cell longer than 65,535 bytes")
            section = _binary([len(cell) for cell in encoded], "H") + b"".join(encoded)
        else:
            raise ValueError(f"column {column}: unknown column type {kind!r}")
        entry["bytes"] = len(section)
        header["columns"].append(entry)
        sections.append(section)
    line = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"".join([COLUMN_FILE_MAGIC, line, b"\n", *sections])


class Lines(Sequence[str]):
    """A text column kept as one UTF-8 buffer and the offset of each cell: no
    Python string a row until a row is read (a 400,000-key index costs its bytes,
    not 30 MB of str objects, and loads without splitting)."""

    __slots__ = ("blob", "offsets")

    def __init__(self, blob: bytes, offsets: array[int]) -> None:
        self.blob, self.offsets = blob, offsets

    def __getitem__(self, row: Any) -> Any:
        if isinstance(row, slice):
            return [self[index] for index in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self.blob[self.offsets[row] : self.offsets[row + 1]].decode("utf-8")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def bisect_left(self, key: str, low: int = 0) -> int:
        """The first row whose text is >= ``key``, for sorted cells. Compares the
        UTF-8 bytes (their order is the code points' order), decoding nothing."""
        wanted, blob, offsets = key.encode("utf-8"), self.blob, self.offsets
        high = len(offsets) - 1
        while low < high:
            middle = (low + high) // 2
            if blob[offsets[middle] : offsets[middle + 1]] < wanted:
                low = middle + 1
            else:
                high = middle
        return low


def bisect_keys(keys: Sequence[str], key: str, low: int = 0) -> int:
    if isinstance(keys, Lines):
        return keys.bisect_left(key, low)
    return bisect_left(keys, key, lo=low)


#: Bytes of a name index searched by ``bytes.find`` after the binary search.
_FIND_WINDOW = 8_192


class LineIndex:
    """A name index kept as the bytes of its sorted lines, ``key<TAB>place<TAB>alias``
    (alias empty where it is the key), and searched in place: a binary search
    over byte positions, each probe reading the line around it. Loading it is
    one decompression, with no split, no offsets and no Python object a key;
    a lookup costs a few tens of microseconds and the answers are cached above.
    """

    __slots__ = ("blob", "numeric_targets")

    def __init__(self, blob: bytes, numeric_targets: bool = True) -> None:
        if not (blob.startswith(b"\n") and blob.endswith(b"\n")):
            raise RuntimeError("corrupt gazetteer index: reinstall sahel_events")
        self.blob, self.numeric_targets = blob, numeric_targets

    def count(self) -> int:
        """How many lines (keys) the index holds."""
        return self.blob.count(b"\n") - 1

    # The columns of an AliasIndex, for code that walks a whole index (a user's
    # table is an AliasIndex; walking the shipped one decodes all its lines).
    @property
    def keys(self) -> list[str]:
        return [key for key, _, _ in self._rows(0, len(self.blob) - 1)]

    @property
    def targets(self) -> list[Any]:
        return [target for _, target, _ in self._rows(0, len(self.blob) - 1)]

    @property
    def aliases(self) -> list[str]:
        """Empty where the alias is written as its key, as AliasIndex's."""
        return [alias for _, _, alias in self._rows(0, len(self.blob) - 1)]

    def _first(self, wanted: bytes, window: int = 0) -> int:
        """The position of the newline before the first line whose key is >= ``wanted``
        (the final newline if none): keys compared as UTF-8 bytes, whose order is
        the code points' order, in which the build sorted them. With a ``window``,
        stops once the answer is known to lie within that many bytes after the
        position returned (a lower bound), for ``bytes.find`` to finish in C."""
        blob = self.blob
        low, high = 0, len(blob) - 1  # both newline positions; the answer is in [low, high]
        while high - low > window:
            start = blob.rfind(b"\n", low, (low + high) // 2 + 1)
            tab = blob.index(b"\t", start + 1)
            if blob[start + 1 : tab] >= wanted:
                high = start
            else:
                low = blob.index(b"\n", tab)
        return low

    def _rows(self, start: int, stop: int) -> list[tuple[str, Any, str]]:
        text = self.blob[start + 1 : stop].decode("utf-8")
        rows = []
        for line in text.split("\n") if text else ():
            key, target, alias = line.split("\t")
            rows.append((key, int(target) if self.numeric_targets else target, alias))
        return rows

    def lookup(self, key: str) -> list[tuple[Any, str]]:
        """Every (target, alias as written) whose normalised key is ``key``."""
        wanted = key.encode("utf-8")
        # Halve the file down to a few kilobytes, then let bytes.find locate the
        # first line of the key (a newline begins only a line: the marker cannot
        # match inside one).
        low = self._first(wanted, window=_FIND_WINDOW)
        marker = b"\n" + wanted + b"\t"
        start = self.blob.find(marker, low, low + _FIND_WINDOW + len(marker) + 1)
        if start < 0:
            return []
        stop = start
        while self.blob.startswith(marker, stop):
            stop = self.blob.index(b"\n", stop + 1)
        return [(target, alias or key) for key, target, alias in self._rows(start, stop)]

    def prefixed(self, prefix: str) -> tuple[list[str], list[Any]]:
        """The keys starting with ``prefix`` and their targets, in key order."""
        start = self._first(prefix.encode("utf-8"))
        stop = self._first((prefix + "\U0010ffff").encode("utf-8"))
        rows = self._rows(start, stop)
        return [key for key, _, _ in rows], [target for _, target, _ in rows]


class Category(Sequence[str]):
    """A repeated-text column: one code (2 bytes) a row into a list of values."""

    __slots__ = ("codes", "values")

    def __init__(self, codes: array[int], values: list[str]) -> None:
        self.codes, self.values = codes, values

    def __getitem__(self, row: Any) -> Any:
        if isinstance(row, slice):
            return [self.values[code] for code in self.codes[row]]
        return self.values[self.codes[row]]

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[str]:
        return map(self.values.__getitem__, self.codes)

    def mask(self, wanted: Iterable[str]) -> np.ndarray:
        """A boolean array: which rows hold one of the wanted values (vectorised)."""
        import numpy as np

        codes = [code for code, value in enumerate(self.values) if value in set(wanted)]
        return np.isin(np.frombuffer(self.codes, dtype=np.uint16), codes)


def decode_table(payload: bytes, name: str = "column file") -> dict[str, Any]:
    """The columns of an (uncompressed) column file: :class:`Lines` for text,
    :class:`LineIndex` for sorted lines, :class:`Category` for repeated text,
    ``array`` for numbers (``"d"`` for coordinates)."""
    if not payload.startswith(COLUMN_FILE_MAGIC):
        raise RuntimeError(f"corrupt gazetteer file {name}: reinstall sahel_events")
    start = len(COLUMN_FILE_MAGIC)
    end = payload.index(b"\n", start)
    header = json.loads(payload[start:end])
    rows = header["rows"]
    if end + 1 + sum(entry["bytes"] for entry in header["columns"]) != len(payload):
        raise RuntimeError(f"corrupt gazetteer file {name}: reinstall sahel_events")
    view = memoryview(payload)
    position = end + 1
    columns: dict[str, Any] = {}
    for entry in header["columns"]:
        section = view[position : position + entry["bytes"]]
        position += entry["bytes"]
        kind = entry["type"]
        if kind == "sorted lines":
            # Not counted at load (a pass over 10 MB); the build checks the count.
            columns[entry["name"]] = LineIndex(bytes(section))
            continue
        if kind == "text":
            lengths = array("H")
            lengths.frombytes(section[: 2 * rows])
            if sys.byteorder == "big":
                lengths.byteswap()
            column: Any = Lines(
                bytes(section[2 * rows :]), array("I", accumulate(lengths, initial=0))
            )
        else:
            numbers = array(_BINARY_TYPES.get(kind, "i" if kind == "coordinate" else "H"))
            numbers.frombytes(section)
            if sys.byteorder == "big":
                numbers.byteswap()
            if kind == "coordinate":
                # Exact integers over a power of ten, divided in C: each the
                # double nearest its decimal, the float of float("14.4938").
                column = array("d", map(_SCALE.__rtruediv__, numbers))
            elif kind == "category":
                column = Category(numbers, entry["values"])
            else:
                column = numbers
        if len(column) != rows:
            raise RuntimeError(f"corrupt gazetteer file {name}: reinstall sahel_events")
        columns[entry["name"]] = column
    view.release()
    return columns


def read_table(name: str) -> dict[str, Any]:
    """A column file of the package data, decompressed and decoded."""
    payload = resources.files(DATA_PACKAGE).joinpath("data").joinpath(name).read_bytes()
    try:
        # zlib checks the gzip trailer's CRC as it inflates: no second pass.
        raw = zlib.decompress(payload, wbits=31)
    except zlib.error:
        raise RuntimeError(f"corrupt gazetteer file {name}: reinstall sahel_events") from None
    return decode_table(raw, name)


@dataclass(frozen=True, eq=False)
class AliasIndex:
    """Alias keys in sorted order, with what each names and the alias as written.

    A binary search over the sorted keys finds a key's rows: a couple of
    microseconds a query, and no dictionary to build at load time.
    """

    keys: Sequence[str]
    # The place row (a number, or its digits) or the country's alpha-2 of each key.
    targets: Sequence[Any]
    aliases: Sequence[str]  # empty where the alias is written as its key
    numeric_targets: bool

    def lookup(self, key: str) -> list[tuple[Any, str]]:
        """Every (target, alias as written) whose normalised key is ``key``."""
        keys = self.keys
        row = bisect_keys(keys, key)
        found = []
        while row < len(keys) and keys[row] == key:
            # Converted per hit rather than at load: most rows are never looked up.
            target = int(self.targets[row]) if self.numeric_targets else self.targets[row]
            found.append((target, self.aliases[row] or key))
            row += 1
        return found

    def prefixed(self, prefix: str) -> tuple[list[str], list[Any]]:
        """The keys starting with ``prefix`` and their targets, in key order."""
        start = bisect_keys(self.keys, prefix)
        stop = bisect_keys(self.keys, prefix + "\U0010ffff", start)
        targets = [
            int(target) if self.numeric_targets else target for target in self.targets[start:stop]
        ]
        return list(self.keys[start:stop]), targets


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per source
class Places:
    """One source's places, one list per column, and their alias index.

    ``ids`` are GeoNames ids, OSM node ids, or row numbers of a user's file;
    ``source`` says which. The variant and skeleton indexes load on first use.
    """

    source: str
    ids: Sequence[int]
    name: Sequence[str]
    alpha2: Sequence[str]
    admin1: Sequence[str | None]
    admin2: Sequence[str | None]
    latitude: Sequence[float]
    longitude: Sequence[float]
    population: Sequence[int]
    feature_kind: Sequence[str]
    aliases: AliasIndex | LineIndex
    #: GeoNames feature class and code (``P.PPLA2``) where the source has them.
    feature_code: Sequence[str] | None = None

    def __len__(self) -> int:
        return len(self.name)

    @property
    def geonames_id(self) -> Sequence[int | None]:
        """GeoNames ids (None for places of another source)."""
        return self.ids if self.source == "geonames" else [None] * len(self.ids)


def _index(name: str) -> LineIndex:
    index = read_table(name)["line"]
    assert isinstance(index, LineIndex)
    return index


@_by_source
def places(source: str = "geonames") -> Places:
    """The places of one shipped source (loaded once)."""
    table = read_table(f"{_PREFIX[source]}places.cols.gz")
    # The columns read per candidate (country, kind, admin names) as lists: a
    # list's item is read in C, a Category's in Python (5 MB for 180,000 rows).
    for column in ("alpha2", "feature_kind", "admin1", "admin2"):
        if column in table:
            table[column] = list(table[column])
    empty = [""] * len(table["name"])
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
        aliases=_index(f"{_PREFIX[source]}place_aliases.cols.gz"),
        feature_code=table.get("feature_code"),
    )


@_by_source
def variants(source: str = "geonames") -> LineIndex:
    """Spelling-variant keys ``CC:key`` of a source's places (``_normalize.variant_key``)."""
    return _index(f"{_PREFIX[source]}place_variants.cols.gz")


@_by_source
def skeletons(source: str = "geonames") -> LineIndex:
    """Consonant-skeleton keys of a source's places (``_normalize.skeleton``)."""
    return _index(f"{_PREFIX[source]}place_skeletons.cols.gz")


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
