"""Turning raw chunks of any ACLED variant into ACLED's current 31-column format.

Every conversion is vectorised. Mappings that need Python (legacy codes, country
lookups, legacy event types) run on the distinct values of a column only and are
then spread to the rows with numpy, so their cost does not grow with the rows.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events import vocabulary
from sahel_events.exc import UnreadableFileError
from sahel_events.read.dates import parse_event_dates
from sahel_events.read.issues import IssueCollector
from sahel_events.read.variants import Variant, detect_variant, normalise_column_names

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from sahel_events.read.formats import RawChunk, RawSource

__all__ = ["MAX_CELL_CHARS", "Normaliser"]

#: Longer cells are reported as ``cell_too_long`` and replaced by NA.
MAX_CELL_CHARS = 1_000_000

#: Extra columns of older variants and population exports that hold integers.
_INTEGER_EXTRAS = frozenset({"data_id", "event_id_no_cnty", "gwno", *vocabulary.POPULATION_COLUMNS})
#: Flags of the project's own exports (the provenance column ``background``).
_BOOLEAN_EXTRAS = frozenset({"background"})
_BOOLEAN_TEXT = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_KIND = {column.name: column.kind for column in vocabulary.COLUMNS}
_ACTOR_LABELS = frozenset(vocabulary.ACTOR_TYPES.values())


def _whole_number(text: str) -> int | None:
    """``text`` as an int when it is a whole number such as ``7`` or ``7.0``, else None."""
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number != int(number):
        return None
    return int(number)


def _disorder_by_event_type() -> dict[str, str]:
    """Event types all of whose sub-event types share one disorder type."""
    found: dict[str, set[str]] = {}
    for event_type, _sub, disorder in vocabulary.SUB_EVENT_TYPES:
        found.setdefault(event_type, set()).add(disorder)
    return {event: next(iter(kinds)) for event, kinds in found.items() if len(kinds) == 1}


class Normaliser:
    """Maps the chunks of one source to the current format, with the same plan for each chunk."""

    def __init__(self, source: RawSource, first_chunk: RawChunk) -> None:
        self.source = source
        self.path: Path = source.path
        self.names = normalise_column_names(source.header, source.path)
        self.position = {name: index for index, name in enumerate(self.names)}
        present = set(self.names)
        for name, index in self.position.items():
            values = first_chunk.frame[index]
            if name in _KIND and values.dtype == object:
                # Before the plan looks at the codes (found by fuzzing: a binary inter1).
                self._refuse_bytes(values, name, first_chunk.source_row)
        self.numeric_inter = self._codes_are_numeric(first_chunk, "inter1")
        self.numeric_interaction = self._codes_are_numeric(first_chunk, "interaction")
        self.variant: Variant = detect_variant(source.header, self.names, self.numeric_inter)
        self.dyadic = self.variant.dyadic and (
            self.variant.id != "unknown" or bool({"actor2", "inter2"} & present)
        )

        derived: list[str] = []
        self.legacy_event_types = "sub_event_type" not in present and "event_type" in present
        if self.legacy_event_types:
            derived += ["event_type", "sub_event_type"]
        if "disorder_type" not in present and (
            "sub_event_type" in present or "event_type" in present
        ):
            derived.append("disorder_type")
        if "year" not in present and "event_date" in present:
            derived.append("year")
        if "country" in present:
            derived += [name for name in ("iso", "region") if name not in present]
        if "interaction" not in present and "inter1" in present:
            derived.append("interaction")
        if self.numeric_inter:
            derived += [name for name in ("inter1", "inter2") if name in present]
        if self.numeric_interaction:
            derived.append("interaction")
        self.derived = [name for name in vocabulary.COLUMN_NAMES if name in set(derived)]
        self.missing = [
            name
            for name in vocabulary.COLUMN_NAMES
            if name not in present and name not in self.derived
        ]
        self.extras = [name for name in self.names if name not in vocabulary.COLUMN_NAMES]

    def _codes_are_numeric(self, chunk: RawChunk, name: str) -> bool:
        """Whether most distinct values of a code column in the first chunk are numbers."""
        import pandas as pd

        if name not in self.position:
            return False
        values = chunk.frame[self.position[name]]
        if pd.api.types.is_numeric_dtype(values.dtype):
            return True
        uniques = pd.Series(values.dropna().unique(), dtype="str").str.strip()
        uniques = uniques[uniques != ""]
        if uniques.empty:
            return False
        numeric = sum(_whole_number(text) is not None for text in uniques)
        return 2 * numeric > len(uniques)

    def attrs(self) -> dict[str, Any]:
        """The ``df.attrs`` of every chunk, without ``reader_issues``."""
        attrs: dict[str, Any] = {
            "source_path": str(self.path),
            "source_format": self.variant.id,
            "source_format_description": self.variant.description,
            "file_format": self.source.file_format,
        }
        attrs.update(self.source.attrs)
        attrs["missing_columns"] = list(self.missing)
        attrs["derived_columns"] = list(self.derived)
        attrs["dyadic"] = self.dyadic
        return attrs

    # --- the chunk ---------------------------------------------------------------

    def normalise(self, chunk: RawChunk, issues: IssueCollector) -> pd.DataFrame:
        """The chunk in the current format; reader issues are added to ``issues``."""
        import numpy as np
        import pandas as pd

        rows = chunk.source_row
        count = len(rows)
        raw: dict[str, pd.Series] = {
            name: chunk.frame[index].reset_index(drop=True) for name, index in self.position.items()
        }
        for name, values in raw.items():
            if name in _KIND and values.dtype == object:
                self._refuse_bytes(values, name, rows)
        scans = _scan_text_columns(raw)
        for name, values in raw.items():
            if name in scans and not scans[name].too_long:
                continue  # no cell is long enough to look at
            raw[name] = self._drop_long_cells(values, name, rows, issues)

        out: dict[str, pd.Series] = {}
        kinds = _KIND
        for name in vocabulary.COLUMN_NAMES:
            if name not in raw:
                continue
            kind = kinds[name]
            if kind == "int":
                out[name] = self._integers(raw[name], name, rows, issues)
            elif kind == "float":
                out[name] = self._floats(raw[name], name, rows, issues)
            elif kind == "date":
                out[name] = self._dates(raw[name], rows, issues)
            elif name in ("inter1", "inter2"):
                out[name] = self._codes(raw[name], name, rows, issues, self._actor_type)
            elif name == "interaction":
                out[name] = self._codes(raw[name], name, rows, issues, self._interaction)
            else:
                scan = scans.get(name)
                out[name] = _text(
                    raw[name],
                    keep_categorical=name in vocabulary.CATEGORICAL_COLUMNS,
                    blank=scan.blank if scan is not None and not scan.too_long else _UNSCANNED,
                )

        if self.legacy_event_types:
            self._map_legacy_event_types(out, rows, issues)
        if "disorder_type" in self.derived:
            out["disorder_type"] = self._derive_disorder_type(out)
        if "year" in self.derived:
            out["year"] = out["event_date"].dt.year.astype("Int64")
        if "iso" in self.derived or "region" in self.derived:
            self._derive_from_country(out)
        if "interaction" in self.derived and "interaction" not in raw:
            out["interaction"] = self._derive_interaction(out)

        dtypes = vocabulary.pandas_dtypes()
        columns: dict[str, Any] = {}
        for name, dtype in dtypes.items():
            values = out.get(name)
            if values is None:
                values = pd.Series(index=pd.RangeIndex(count), dtype=_na_dtype(dtype))
            if dtype == "category" and not isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype("category")
            if isinstance(values.dtype, pd.CategoricalDtype):
                values = _sorted_categories(values)
            columns[name] = values.reset_index(drop=True)
        for name in self.extras:
            values = raw[name]
            if name in _INTEGER_EXTRAS:
                columns[name] = self._integers(values, name, rows, issues)
            elif name in _BOOLEAN_EXTRAS and _is_text(values):
                columns[name] = self._booleans(values, name, rows, issues)
            elif _is_text(values):
                columns[name] = _text(values)
            else:
                columns[name] = values
        frame = pd.DataFrame(columns, copy=False)
        frame.index = pd.Index(np.asarray(rows, dtype=np.int64), name="source_row")
        return frame

    # --- cells -----------------------------------------------------------------

    def _refuse_bytes(self, values: pd.Series, name: str, rows: np.ndarray) -> None:
        """Refuse an ACLED column of bytes that are not UTF-8 (a Parquet binary column).

        Binary columns of UTF-8 arrive as text already (formats._checked_text).
        """
        import pyarrow as pa

        from sahel_events.read.formats import _first_non_utf8

        try:
            array = pa.array(values, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return  # mixed Python values: the conversions below report them
        if pa.types.is_binary(array.type) or pa.types.is_large_binary(array.type):
            raise UnreadableFileError(
                "the column holds bytes that are not UTF-8 text",
                path=self.path,
                row=int(rows[_first_non_utf8(array)]),
                column=name,
            )

    def _drop_long_cells(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: IssueCollector
    ) -> pd.Series:
        import pyarrow as pa
        import pyarrow.compute as pc

        if not _is_text(values) or len(values) == 0:
            return values
        array = pa.array(values)
        # Byte length bounds the character length and reads offsets only: cheap.
        candidates = pc.fill_null(pc.greater(pc.binary_length(array), MAX_CELL_CHARS), False)
        if not pc.any(candidates).as_py():
            return values
        long = pc.fill_null(pc.greater(pc.utf8_length(array), MAX_CELL_CHARS), False)
        mask = long.to_numpy(zero_copy_only=False)
        if not mask.any():
            return values
        lengths = pc.utf8_length(array).to_numpy(zero_copy_only=False)[mask]
        messages = [
            f"The cell holds {length:,} characters, more than {MAX_CELL_CHARS:,}; it was"
            " replaced by a blank."
            for length in lengths
        ]
        issues.add("cell_too_long", rows[mask], name, values[mask].str.slice(0, 200), messages)
        return values.mask(mask)

    def _booleans(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: IssueCollector
    ) -> pd.Series:
        """``true``/``false`` text (as CSV and JSON exports write flags) as a boolean column."""
        text = _text(values)
        flags = text.str.strip().str.lower().map(_BOOLEAN_TEXT).astype("boolean")
        bad = (flags.isna() & text.notna()).to_numpy()
        if bad.any():
            shown = text[bad]
            issues.add(
                "not_a_boolean",
                rows[bad],
                name,
                shown,
                (_quoted(shown) + " is not true or false; it was left blank.").tolist(),
            )
        return flags

    def _integers(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: IssueCollector
    ) -> pd.Series:
        import numpy as np
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        dtype = values.dtype
        if pd.api.types.is_integer_dtype(dtype):
            return values.astype("Int64")
        if pd.api.types.is_float_dtype(dtype):
            numbers = values.astype("float64")
            text = values.astype("str")
        else:
            text = _text(values)
            if len(text) == 0:
                return pd.Series(pd.array([], dtype="Int64"))
            try:
                # Clean integer text converts in one C call; anything else takes the slow road.
                converted = pc.cast(pa.array(text), pa.int64())
                return pd.Series(pd.array(converted.to_pandas(), dtype="Int64"))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
            numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        finite = np.isfinite(numbers.to_numpy(dtype="float64", na_value=np.nan))
        with np.errstate(invalid="ignore"):
            whole = finite & (np.mod(numbers.fillna(0).to_numpy(), 1) == 0)
            in_range = np.abs(numbers.fillna(0).to_numpy()) < 2**63
        present = text.notna().to_numpy()
        bad = present & ~(whole & in_range)
        if bad.any():
            shown = text[bad]
            issues.add(
                "not_an_integer",
                rows[bad],
                name,
                shown,
                (f"{name} must be a whole number; " + _quoted(shown) + " is not.").tolist(),
            )
        return numbers.where(~pd.Series(bad, index=numbers.index)).astype("Int64")

    def _floats(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: IssueCollector
    ) -> pd.Series:
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype
        ):
            return values.astype("float64")
        text = _text(values)
        if len(text) == 0:
            return pd.Series([], dtype="float64")
        try:
            converted = pc.cast(pa.array(text), pa.float64())
            return pd.Series(converted.to_numpy(zero_copy_only=False), dtype="float64")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        # Semicolon-separated re-exports from French-locale Excel write 14,5 for 14.5.
        cleaned = text.str.strip().str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
        numbers = pd.to_numeric(cleaned, errors="coerce").astype("float64")
        bad = (text.notna() & numbers.isna()).to_numpy()
        if bad.any():
            shown = text[bad]
            issues.add(
                "not_a_number",
                rows[bad],
                name,
                shown,
                (
                    f"{name} must be a number in decimal degrees; " + _quoted(shown) + " is not."
                ).tolist(),
            )
        return numbers

    def _dates(self, values: pd.Series, rows: np.ndarray, issues: IssueCollector) -> pd.Series:
        import pandas as pd

        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)
            dtype = values.dtype
        if pd.api.types.is_datetime64_dtype(dtype):
            try:
                return values.astype("datetime64[ns]").dt.normalize()
            except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError):
                values = values.astype("str")
        text = _text(values)
        parsed, bad = parse_event_dates(text)
        if bad.any():
            mask = bad.to_numpy()
            shown = text[mask]
            issues.add(
                "not_a_date",
                rows[mask],
                "event_date",
                shown,
                (
                    "event_date "
                    + _quoted(shown)
                    + " matches none of the accepted formats (e.g. 2023-02-16, 16 February 2023)."
                ).tolist(),
            )
        return parsed

    # --- codes -----------------------------------------------------------------

    @staticmethod
    def _actor_type(text: str, column: str) -> tuple[str | None, bool]:
        """Today's actor-type label for one distinct value, and whether it is an unknown code."""
        stripped = text.strip()
        number = _whole_number(stripped)
        if number is not None:
            if number in vocabulary.ACTOR_TYPES:
                return vocabulary.ACTOR_TYPES[number], False
            if number == 0 and column == "inter2":
                return None, False
            return text, True
        if stripped not in _ACTOR_LABELS and stripped.lower() in vocabulary.LEGACY_ACTOR_LABELS:
            return vocabulary.ACTOR_TYPES[vocabulary.LEGACY_ACTOR_LABELS[stripped.lower()]], False
        return text, False

    @staticmethod
    def _interaction(text: str, column: str) -> tuple[str | None, bool]:
        number = _whole_number(text.strip())
        if number is None:
            return text, False
        if number in vocabulary.INTERACTIONS:
            return vocabulary.INTERACTIONS[number], False
        return text, True

    def _codes(
        self,
        values: pd.Series,
        name: str,
        rows: np.ndarray,
        issues: IssueCollector,
        mapping: Any,
    ) -> pd.Series:
        import numpy as np
        import pandas as pd

        text = _text(values, keep_categorical=True)
        if isinstance(text.dtype, pd.CategoricalDtype):
            # A Parquet dictionary column: map its few categories, not its rows.
            codes = text.cat.codes.to_numpy()
            uniques = text.cat.categories
        else:
            codes, uniques = pd.factorize(text, use_na_sentinel=True)
        results = [mapping(str(unique), name) for unique in uniques]
        mapped = [label for label, _unknown in results]
        unknown = np.array([flag for _label, flag in results], dtype=bool)
        series = _categorical_from(codes, mapped)
        if unknown.any():
            row_unknown = np.zeros(len(codes), dtype=bool)
            known = codes >= 0
            row_unknown[known] = unknown[codes[known]]
            shown = text[row_unknown].astype("str")
            what = "interaction codes" if name == "interaction" else "actor-type codes (1-8)"
            issues.add(
                "unknown_legacy_code",
                rows[row_unknown],
                name,
                shown,
                (
                    _quoted(shown) + f" is not one of ACLED's numeric {what}; it was kept as it is."
                ).tolist(),
            )
        return series

    # --- derivations -----------------------------------------------------------

    def _map_legacy_event_types(
        self, out: dict[str, pd.Series], rows: np.ndarray, issues: IssueCollector
    ) -> None:
        """Map pre-2019 event types to today's event and sub-event types, reporting gaps."""
        import numpy as np

        text = out["event_type"]
        codes, uniques = _factorize(text)
        by_event = _disorder_by_event_type()
        event_types: list[str | None] = []
        sub_types: list[str | None] = []
        disorders: list[str | None] = []
        determinable: list[bool] = []
        for unique in uniques:
            value = str(unique)
            key = value.strip()
            if key in vocabulary.LEGACY_EVENT_TYPES:
                event_type, sub_type = vocabulary.LEGACY_EVENT_TYPES[key]
                determinable.append(True)
            elif key in vocabulary.EVENT_TYPES:
                event_type, sub_type = key, None
                determinable.append(True)
            else:
                # Not an event type we know: keep it so the validator names it.
                event_type, sub_type = value, None
                determinable.append(False)
            event_types.append(event_type)
            sub_types.append(sub_type)
            if sub_type is not None:
                disorders.append(vocabulary.disorder_type_of(sub_type))
            else:
                disorders.append(by_event.get(event_type) if event_type else None)
        out["event_type"] = _categorical_from(codes, event_types)
        out["sub_event_type"] = _categorical_from(codes, sub_types)
        self._legacy_disorder = _categorical_from(codes, disorders)

        known = codes >= 0
        checked = np.array(determinable, dtype=bool)
        for column, mapped in (
            ("event_type", event_types),
            ("sub_event_type", sub_types),
            ("disorder_type", disorders),
        ):
            if column == "disorder_type" and "disorder_type" not in self.derived:
                continue
            undetermined = checked & np.array([item is None for item in mapped], dtype=bool)
            if not undetermined.any():
                continue
            mask = np.zeros(len(codes), dtype=bool)
            mask[known] = undetermined[codes[known]]
            shown = text.astype("str")[mask]
            label = column.replace("_", " ").replace("sub event", "sub-event")
            issues.add(
                "legacy_event_type_ambiguous",
                rows[mask],
                column,
                shown,
                (
                    "The pre-2019 event type "
                    + _quoted(shown)
                    + f" does not determine today's {label}; it was left blank."
                ).tolist(),
            )

    def _derive_disorder_type(self, out: dict[str, pd.Series]) -> pd.Series:
        """Disorder type from the sub-event type, else from an event type that determines it."""
        if self.legacy_event_types:
            return self._legacy_disorder
        by_event = _disorder_by_event_type()
        sub_types = out.get("sub_event_type")
        event_types = out.get("event_type")
        if sub_types is None:
            return _map_distinct(event_types, by_event.get, "str").astype("category")
        derived = _map_distinct(sub_types, vocabulary.disorder_type_of, "str")
        if event_types is not None:
            derived = derived.fillna(_map_distinct(event_types, by_event.get, "str"))
        return derived.astype("category")

    def _derive_from_country(self, out: dict[str, pd.Series]) -> None:
        def iso_of(name: str) -> int | None:
            try:
                return vocabulary.country_lookup(name).iso
            except LookupError:
                return None

        def region_of(name: str) -> str | None:
            try:
                return vocabulary.country_lookup(name).region
            except LookupError:
                return None

        if "iso" in self.derived:
            out["iso"] = _map_distinct(out["country"], iso_of, "Int64")
        if "region" in self.derived:
            out["region"] = _map_distinct(out["country"], region_of, "str").astype("category")

    def _derive_interaction(self, out: dict[str, pd.Series]) -> pd.Series:
        import pandas as pd

        first = out["inter1"].astype("str")
        second = out["inter2"].astype("str") if "inter2" in out else pd.Series([None] * len(first))
        pairs = first.fillna("") + "\x1f" + second.fillna("").astype("str")

        def label(pair: str) -> str | None:
            one, two = pair.split("\x1f")
            if not one:
                return None
            try:
                return vocabulary.interaction_label(one, two or None)
            except (ValueError, KeyError):
                return None

        return _map_distinct(pairs, label, "str").astype("category")


# --- helpers -----------------------------------------------------------------------


def _factorize(values: pd.Series) -> tuple[np.ndarray, Any]:
    """``pandas.factorize`` with NA as -1."""
    import pandas as pd

    return pd.factorize(values, use_na_sentinel=True)


def _map_distinct(values: pd.Series, function: Any, dtype: str) -> pd.Series:
    """Apply ``function`` to each distinct non-NA value and spread the results to the rows."""
    import numpy as np
    import pandas as pd

    codes, uniques = _factorize(values)
    mapped = [function(str(unique)) for unique in uniques]
    lookup = np.empty(len(mapped) + 1, dtype=object)
    lookup[:-1] = mapped
    lookup[-1] = None
    return pd.Series(lookup[codes]).astype(dtype)  # code -1 picks the trailing None


def _categorical_from(codes: np.ndarray, labels: list[str | None]) -> pd.Series:
    """A categorical from row codes into ``labels`` (which may repeat or be None)."""
    import numpy as np
    import pandas as pd

    label_codes, categories = pd.factorize(pd.Series(labels, dtype="str"), use_na_sentinel=True)
    lookup = np.append(label_codes, -1).astype(np.int64)
    row_codes = lookup[codes]  # code -1 picks the trailing -1
    return _sorted_categories(
        pd.Series(
            pd.Categorical.from_codes(row_codes, categories=pd.Index(categories, dtype="str"))
        )
    )


def _sorted_categories(values: pd.Series) -> pd.Series:
    """The same categorical with its categories sorted, so chunks agree on the order."""
    categories = values.cat.categories
    if categories.is_monotonic_increasing:
        return values
    return values.cat.reorder_categories(sorted(categories))


def _is_text(values: pd.Series) -> bool:
    """Whether the column is pandas ``str`` (object columns of mixed values are not)."""
    import pandas as pd

    return isinstance(values.dtype, pd.StringDtype)


@dataclass(frozen=True)
class _TextScan:
    """What one pass of Arrow kernels found in a text column."""

    too_long: bool  # some cell has more bytes than MAX_CELL_CHARS (a candidate, not a verdict)
    blank: np.ndarray | None  # rows blank or whitespace-only; None when there are none


_UNSCANNED: Any = object()


def _scan_text_columns(raw: dict[str, pd.Series]) -> dict[str, _TextScan]:
    """Scan every text column for over-long and blank cells, on all cores.

    Arrow's kernels do not hold the GIL, so columns are scanned in parallel threads.
    """
    names = [name for name, values in raw.items() if _is_text(values) and len(values)]
    if len(names) < 2:
        return {name: _scan_text(raw[name]) for name in names}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1)) as pool:
        return dict(zip(names, pool.map(_scan_text, [raw[name] for name in names]), strict=True))


def _scan_text(values: pd.Series) -> _TextScan:
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values)
    lengths = pc.binary_length(array)
    too_long = bool(pc.any(pc.greater(lengths, MAX_CELL_CHARS)).as_py())
    shortest = pc.min(lengths).as_py()
    has_empty = shortest is not None and shortest == 0
    spaces = pc.utf8_is_space(array)
    if not has_empty and not pc.any(spaces).as_py():
        return _TextScan(too_long, None)
    blank = pc.fill_null(pc.or_(pc.equal(lengths, 0), spaces), False)
    return _TextScan(too_long, blank.to_numpy(zero_copy_only=False))


def _text(
    values: pd.Series, *, keep_categorical: bool = False, blank: Any = _UNSCANNED
) -> pd.Series:
    """The column as pandas ``str`` with blank and whitespace-only cells as NA.

    A categorical column of text (a Parquet dictionary column) stays categorical when
    ``keep_categorical``: only its few categories are inspected, not its rows.
    ``blank`` is the mask :func:`_scan_text` already computed for this column.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        if pd.api.types.is_string_dtype(categories.dtype) and all(
            isinstance(category, str) for category in categories
        ):
            blank = [category for category in categories if not category.strip()]
            if blank:
                values = values.cat.remove_categories(blank)
            if keep_categorical:
                return values
        return _text(values.astype("str"))
    if blank is not _UNSCANNED and _is_text(values):
        return values if blank is None else values.mask(blank)
    if not _is_text(values):
        values = values.astype("str")
    if len(values) == 0:
        return values
    array = pa.array(values)
    blank = pc.or_(pc.equal(pc.binary_length(array), 0), pc.utf8_is_space(array))
    blank = pc.fill_null(blank, False)
    if not pc.any(blank).as_py():
        return values
    return values.mask(blank.to_numpy(zero_copy_only=False))


def _quoted(values: pd.Series) -> pd.Series:
    """Values as ``'text'`` for messages, cut at 60 characters."""
    short = values.astype("str").str.slice(0, 60)
    longer = values.astype("str").str.len() > 60
    short = short.where(~longer, short + "...")
    return ("'" + short + "'").reset_index(drop=True)


def _na_dtype(dtype: str) -> str:
    return {"category": "str", "datetime64[ns]": "datetime64[ns]"}.get(dtype, dtype)
