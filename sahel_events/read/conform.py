"""The one cell-conversion path: raw chunks of any ACLED variant to ACLED's current format.

The reader conforms every chunk of a file here, and :func:`conform` brings a
user's DataFrame through the same steps, so that a cell converts by the same
rule whichever route it took (``validate(df)``, ``validate(path)``, or
``validate(read_events(path))``).

Every conversion is vectorised. Mappings that need Python (legacy codes, country
lookups, legacy event types) run on the distinct values of a column only and are
then spread to the rows with numpy, so their cost does not grow with the rows.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events import vocabulary
from sahel_events._findings import FindingsCollector
from sahel_events.exc import UnreadableFileError
from sahel_events.read._hxl import read_tag_row
from sahel_events.read.dates import DateOrder, parse_event_dates
from sahel_events.read.variants import Variant, detect_variant, normalize_column_names

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from sahel_events.read.formats import RawChunk, RawSource

__all__ = ["DEFAULT_NA_VALUES", "MAX_CELL_CHARS", "ConformOptions", "Conformer", "conform"]

#: Cell texts read as blank by default: what R, Excel, pandas, SQL and Stata write
#: for a missing value.
DEFAULT_NA_VALUES: frozenset[str] = frozenset(
    {"NA", "N/A", "n/a", "NULL", "null", "None", "nan", "NaN", "#N/A", "."}
)
#: Name columns where stray spaces are reported (and removed with ``strip=True``).
_NAME_COLUMNS = (
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "admin1",
    "admin2",
    "admin3",
    "location",
)
#: Beyond 2**53 a float no longer holds every whole number exactly.
_FLOAT_INTEGER_LIMIT = 2**53


@dataclass(frozen=True)
class ConformOptions:
    """How cells are read: the missing-value markers, the date order, stray spaces."""

    na_values: frozenset[str] = DEFAULT_NA_VALUES
    date_order: DateOrder | None = None
    strip: bool = False
    text_as_categories: bool = False
    """Leave text that arrives as categories (Parquet dictionaries) categorical, with
    the same blanks and findings; for the validator, whose checks read no free text
    row by row. Ignored with ``strip``, which rewrites the text."""


def conform(
    frame: pd.DataFrame,
    *,
    na_values: frozenset[str] | set[str] | list[str] | None = None,
    date_order: DateOrder | None = None,
    strip: bool = False,
) -> pd.DataFrame:
    """A DataFrame brought to ACLED's current format by the reader's own conversion.

    Cells convert exactly as they do when the same table is read from a file:
    the findings are in ``attrs["reader_issues"]``. A frame returned by
    :func:`sahel_events.read_events` (it carries ``attrs["source_format"]``) is
    returned as it is. Rows keep the frame's integer index labels; a frame
    without integer labels is numbered from 1. The input is never modified.
    """
    import numpy as np
    import pandas as pd

    from sahel_events._findings import FindingsCollector as Collector
    from sahel_events.read.formats import RawChunk, RawSource

    if "reader_issues" in frame.attrs and _conforms(frame):
        return frame
    if pd.api.types.is_integer_dtype(frame.index.dtype):
        rows = frame.index.to_numpy(dtype=np.int64)
    else:
        rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    columns = {
        position: frame.iloc[:, position].reset_index(drop=True)
        for position in range(frame.shape[1])
    }
    raw = pd.DataFrame(columns, copy=False) if columns else pd.DataFrame(index=range(len(frame)))
    source_path = Path(str(frame.attrs.get("source_path", "<DataFrame>")))
    chunk = RawChunk(raw, rows)
    source = RawSource(source_path, "dataframe", [str(name) for name in frame.columns], iter([]))
    options = ConformOptions(
        na_values=DEFAULT_NA_VALUES if na_values is None else frozenset(na_values),
        date_order=date_order,
        strip=strip,
    )
    conformer = Conformer(source, chunk, options)
    collector = Collector()
    previous = frame.attrs.get("reader_issues")
    if previous is not None and len(previous):
        collector.extend(previous)
    converted = conformer.conform_chunk(chunk, collector)
    # After the chunk: the conformer learns some file-level findings from it (date order).
    collector.extend(conformer.file_findings.frame())
    attrs = {key: value for key, value in frame.attrs.items() if key != "reader_issues"}
    attrs.update(conformer.attrs())
    if "dyadic" in frame.attrs:  # the caller knows (a monadic export read elsewhere)
        attrs["dyadic"] = bool(frame.attrs["dyadic"])
    if "source_path" not in frame.attrs:
        attrs["source_path"] = "<DataFrame>"
    attrs["file_format"] = frame.attrs.get("file_format", "dataframe")
    attrs["reader_issues"] = collector.frame()
    converted.attrs = attrs
    return converted


#: Longer cells are reported as ``cell_too_long`` and replaced by NA.
MAX_CELL_CHARS = 1_000_000

#: Extra columns of older variants and population exports that hold integers.
_INTEGER_EXTRAS = frozenset({"data_id", "event_id_no_cnty", "gwno", *vocabulary.POPULATION_COLUMNS})
#: Flags of the project's own exports (the provenance column ``background``).
_BOOLEAN_EXTRAS = frozenset({"background"})
_BOOLEAN_TEXT = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_KIND = {column.name: column.kind for column in vocabulary.COLUMNS}
#: File formats whose reader finds and drops an HXL tag row itself (read/_hxl.py).
_READS_OWN_TAG_ROWS = frozenset({"csv", "xlsx"})
_OPTIONAL_COLUMNS = frozenset(column.name for column in vocabulary.COLUMNS if not column.required)
_ACTOR_LABELS = frozenset(vocabulary.ACTOR_TYPES.values())
_INTERACTION_LABELS = frozenset(vocabulary.INTERACTIONS.values())


def _conforms(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` already has the 31 columns in order with the reader's dtypes."""
    import pandas as pd

    expected = vocabulary.pandas_dtypes()
    names = list(expected)
    if list(frame.columns[: len(names)]) != names or not pd.api.types.is_integer_dtype(
        frame.index.dtype
    ):
        return False
    return all(str(frame[name].dtype) == dtype for name, dtype in expected.items())


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


class Conformer:
    """Maps the chunks of one source to the current format, with the same plan for each chunk."""

    def __init__(
        self, source: RawSource, first_chunk: RawChunk, options: ConformOptions | None = None
    ) -> None:
        self.source = source
        self.options = options or ConformOptions()
        self.path: Path = source.path
        self.file_findings = FindingsCollector()
        header = source.header
        # The CSV and Excel readers drop an HXL tag row themselves, knowing its line;
        # in other sources (a frame pandas read from an HXL file) it is the first record.
        self._skip_tag_row = False
        if source.file_format not in _READS_OWN_TAG_ROWS and len(first_chunk.source_row):
            tags = read_tag_row(header, list(first_chunk.frame.iloc[0]))
            if tags is not None:
                tags.report(self.file_findings, int(first_chunk.source_row[0]))
                header = tags.header
                self._skip_tag_row = True
                first_chunk = type(first_chunk)(
                    first_chunk.frame.iloc[1:].reset_index(drop=True),
                    first_chunk.source_row[1:],
                )
        columns = normalize_column_names(header, source.path)
        self.names = columns.names
        self.position = dict(zip(self.names, columns.positions, strict=True))
        if columns.renamed:
            self.file_findings.add_file(
                "column_renamed",
                ", ".join(name for _raw, name in columns.renamed),
                "; ".join(f"{raw!r} read as {name}" for raw, name in columns.renamed),
            )
        if columns.dropped:
            self.file_findings.add_file(
                "column_dropped",
                None,
                "; ".join(repr(raw) for raw in columns.dropped)
                + ": a writer's row index or blank header cells",
            )
        self._date_order_reported = False
        self.unread_dates: Any = None
        present = set(self.names)
        for name, index in self.position.items():
            values = first_chunk.frame[index]
            if name in _KIND and _may_hold_bytes(values):
                # Before the plan looks at the codes (found by fuzzing: a binary inter1).
                self._refuse_bytes(values, name, first_chunk.source_row)
        self.numeric_inter = self._codes_are_numeric(first_chunk, "inter1")
        self.numeric_interaction = self._codes_are_numeric(first_chunk, "interaction")
        self.variant: Variant = detect_variant(header, self.names, self.numeric_inter)
        # ACLED's legacy files write day-first numeric dates (18/04/2001).
        self._date_order_hint: DateOrder | None = (
            "dayfirst" if self.variant.id == "acled-v0-legacy" else None
        )
        self.dyadic = self.variant.dyadic and (
            self.variant.id != "unknown" or bool({"actor2", "inter2"} & present)
        )

        derived: list[str] = []
        # Legacy event types are mapped in files of a legacy variant, and in files of no
        # known variant only when they hold legacy event types: a subset of today's export
        # without sub_event_type is missing the column, not a legacy file.
        self.legacy_event_types = (
            "sub_event_type" not in present
            and "event_type" in present
            and (self.variant.id != "unknown" or self._holds_legacy_event_types(first_chunk))
        )
        if self.legacy_event_types:
            derived += ["event_type", "sub_event_type"]
        # From today's sub-event types, or from legacy event types; a file with neither
        # (a subset without sub_event_type) is missing both, not one row at a time.
        if "disorder_type" not in present and (
            "sub_event_type" in present or self.legacy_event_types
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
        not_given = [
            name
            for name in vocabulary.COLUMN_NAMES
            if name not in present and name not in self.derived
        ]
        # Columns the variant never had are its own; any other absent column is the file's.
        excused = self.variant.never_had | _OPTIONAL_COLUMNS
        self.missing = [name for name in not_given if name in excused]
        self.absent = [name for name in not_given if name not in excused]
        self.extras = [name for name in self.names if name not in vocabulary.COLUMN_NAMES]
        if self.variant.id == "acled-v0-legacy":
            self.file_findings.add_file(
                "legacy_event_ids", "event_id_cnty", "files of about 2013-2016 number events so"
            )

    def _holds_legacy_event_types(self, chunk: RawChunk) -> bool:
        """Whether the first chunk's event types include one only the pre-2019 taxonomy has."""
        import pandas as pd

        values = chunk.frame[self.position["event_type"]]
        uniques = pd.Series(values.dropna().unique()).astype("str").str.strip()
        legacy_only = set(vocabulary.LEGACY_EVENT_TYPES) - set(vocabulary.EVENT_TYPES)
        return bool(set(uniques) & legacy_only)

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
        attrs["absent_columns"] = list(self.absent)
        attrs["derived_columns"] = list(self.derived)
        attrs["dyadic"] = self.dyadic
        return attrs

    # --- the chunk ---------------------------------------------------------------

    def conform_chunk(self, chunk: RawChunk, issues: FindingsCollector) -> pd.DataFrame:
        """The chunk in the current format; findings are added to ``issues``."""
        import numpy as np
        import pandas as pd

        if self._skip_tag_row:
            self._skip_tag_row = False
            chunk = type(chunk)(
                chunk.frame.iloc[1:].reset_index(drop=True),
                chunk.source_row[1:],
                dictionaries={index: column[1:] for index, column in chunk.dictionaries.items()},
            )
        rows = chunk.source_row
        count = len(rows)
        raw: dict[str, pd.Series] = {
            name: chunk.frame[index].reset_index(drop=True) for name, index in self.position.items()
        }
        for name, values in raw.items():
            if name in _KIND and _may_hold_bytes(values):
                self._refuse_bytes(values, name, rows)
        # Text the reader dictionary-encoded: scanned by distinct value, expanded to rows
        # only where the column is not kept categorical. A chunk without rows has
        # nothing to scan (an empty file's one row group): its columns are plain text.
        dictionaries = {
            name: chunk.dictionaries[index]
            for name, index in self.position.items()
            if count
            and index in chunk.dictionaries
            and len(chunk.dictionaries[index]) == count
            and isinstance(raw[name].dtype, pd.CategoricalDtype)
        }
        scans = _scan_text_columns(raw, self.options.na_values, dictionaries)
        categorical_text = self.options.text_as_categories and not self.options.strip
        raw.update(
            _expanded(
                {
                    name: column
                    for name, column in dictionaries.items()
                    if scans[name].too_long
                    or not (categorical_text or name in vocabulary.CATEGORICAL_COLUMNS)
                }
            )
        )
        for name, values in raw.items():
            if name in scans and not scans[name].too_long:
                continue  # no cell is long enough to look at
            raw[name] = self._drop_long_cells(values, name, rows, issues)
        self._report_markers(raw, scans, issues)

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
                out[name] = self._text(
                    raw[name],
                    keep_categorical=name in vocabulary.CATEGORICAL_COLUMNS
                    or (categorical_text and isinstance(raw[name].dtype, pd.CategoricalDtype)),
                    blank=scan.blank if scan is not None and not scan.too_long else _UNSCANNED,
                )
                if scan is not None and scan.controls:
                    self._report_controls(out[name], name, rows, issues)
                if name in _NAME_COLUMNS and (scan is None or scan.spaces):
                    out[name] = self._untrimmed(out[name], name, rows, issues)

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
            present = out.get(name)
            values = (
                present
                if present is not None
                else pd.Series(index=pd.RangeIndex(count), dtype=_na_dtype(dtype))
            )
            if dtype == "category" and not isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype("category")
            if isinstance(values.dtype, pd.CategoricalDtype) and not categorical_text:
                # Sorted, so that chunks agree on the order (the validator reads no order);
                # a slice of a row group: its dictionary holds more than the slice uses.
                values = _sorted_categories(values, drop_unused=name in dictionaries)
            columns[name] = values.reset_index(drop=True)
        for name in self.extras:
            values = raw[name]
            if name in _INTEGER_EXTRAS:
                columns[name] = self._integers(values, name, rows, issues)
            elif name in _BOOLEAN_EXTRAS and _is_text(values):
                columns[name] = self._booleans(values, name, rows, issues)
            elif _is_text(values):
                columns[name] = self._text(values)
                scan = scans.get(name)
                if scan is not None and scan.controls:
                    self._report_controls(columns[name], name, rows, issues)
            else:
                columns[name] = values
        frame = pd.DataFrame(columns, copy=False)
        frame.index = pd.Index(np.asarray(rows, dtype=np.int64), name="source_row")
        return frame

    # --- cells -----------------------------------------------------------------

    def _report_markers(
        self, raw: dict[str, pd.Series], scans: dict[str, _TextScan], issues: FindingsCollector
    ) -> None:
        """One note per column naming the missing-value markers read as blanks."""
        import numpy as np
        import pandas as pd

        for name, values in raw.items():
            found: dict[str, int] = {}
            scan = scans.get(name)
            if scan is not None:
                found = scan.markers
            elif isinstance(values.dtype, pd.CategoricalDtype):
                categories = values.cat.categories
                found = _marker_counts(
                    np.flatnonzero(categories.isin(sorted(self.options.na_values))),
                    values.array.codes,
                    categories,
                )
            if found:
                detail = ", ".join(
                    f"{marker!r} {count:,}" for marker, count in sorted(found.items())
                )
                issues.add_file("missing_marker", name, detail, ", ".join(sorted(found)))

    def _report_controls(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: FindingsCollector
    ) -> None:
        """Warn on cells holding terminal escapes or other control characters."""
        import pyarrow.compute as pc

        mask = _row_mask(values, lambda array: pc.match_substring_regex(array, _CONTROL_PATTERN))
        if mask.any():
            shown = values[mask].astype("str").map(_escape_controls)
            issues.add("control_characters", rows[mask], name, shown)

    def _untrimmed(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: FindingsCollector
    ) -> pd.Series:
        """Warn on names with leading, trailing or doubled spaces; clean them with ``strip``."""
        import pandas as pd
        import pyarrow.compute as pc

        categorical = isinstance(values.dtype, pd.CategoricalDtype)
        if not (_is_text(values) or categorical) or len(values) == 0:
            return values
        mask = _row_mask(
            values,
            lambda array: pc.or_(
                pc.or_(pc.starts_with(array, " "), pc.ends_with(array, " ")),
                pc.match_substring(array, "  "),
            ),
        )
        if not mask.any():
            return values
        shown = _categorical_as_text(values) if categorical else values
        flagged = shown[mask]
        cleaned = flagged.str.replace(r" {2,}", " ", regex=True).str.strip()
        issues.add(
            "untrimmed_text",
            rows[mask],
            name,
            flagged,
            "cleaned: '" + cleaned.reset_index(drop=True) + "'",
        )
        if not self.options.strip:
            return values
        return shown.mask(mask, cleaned.reindex(shown.index))

    def _refuse_bytes(self, values: pd.Series, name: str, rows: np.ndarray) -> None:
        """Refuse an ACLED column of bytes that are not UTF-8 (a Parquet binary column).

        Binary columns of UTF-8 arrive as text already (_parquet._checked_text).
        """
        import pyarrow as pa

        from sahel_events.read._parquet import _first_non_utf8

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
        self, values: pd.Series, name: str, rows: np.ndarray, issues: FindingsCollector
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
        details = [f"{length:,} characters; it was replaced by a blank" for length in lengths]
        issues.add("cell_too_long", rows[mask], name, values[mask].str.slice(0, 200), details)
        return values.mask(mask)

    def _booleans(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: FindingsCollector
    ) -> pd.Series:
        """``true``/``false`` text (as CSV and JSON exports write flags) as a boolean column."""
        text = self._text(values)
        flags = text.str.strip().str.lower().map(_BOOLEAN_TEXT).astype("boolean")
        bad = (flags.isna() & text.notna()).to_numpy()
        if bad.any():
            issues.add("not_a_boolean", rows[bad], name, text[bad])
        return flags

    def _text(self, values: pd.Series, **keywords: Any) -> pd.Series:
        return _text(values, na_values=self.options.na_values, **keywords)

    def _integers(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: FindingsCollector
    ) -> pd.Series:
        """Whole numbers: exact up to int64 when written as integers, up to 2**53 as floats.

        Unsigned integers beyond int64 (a Parquet ``uint64``) are not whole numbers
        ACLED could mean, and are reported like any other bad cell.
        """
        import numpy as np
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        dtype = values.dtype
        if pd.api.types.is_bool_dtype(dtype):
            values = values.astype("str")
            dtype = values.dtype
        if pd.api.types.is_unsigned_integer_dtype(dtype):
            raw = values.to_numpy(dtype="float64", na_value=np.nan)
            too_big = (raw >= 2**63) & ~np.isnan(raw)
            if too_big.any():
                issues.add("not_an_integer", rows[too_big], name, values[too_big].astype("str"))
                kept = values.astype("object").where(~too_big)
                return pd.Series(pd.array(kept.tolist(), dtype="Int64"))
            return values.astype("Int64")
        if pd.api.types.is_integer_dtype(dtype):
            return values.astype("Int64")
        if pd.api.types.is_float_dtype(dtype):
            numbers = values.astype("float64")
            text = values.astype("str").where(values.notna())
        else:
            text = self._text(values)
            if len(text) == 0:
                return pd.Series(pd.array([], dtype="Int64"))
            try:
                # Clean integer text converts in one C call; anything else takes the slow road.
                converted = pc.cast(pa.array(text), pa.int64())
                return pd.Series(pd.array(converted.to_pandas(), dtype="Int64"))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
            numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        as_float = numbers.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            finite = np.isfinite(as_float)
            filled = np.where(finite, as_float, 0.0)
            whole = finite & (np.mod(filled, 1) == 0) & (np.abs(filled) < _FLOAT_INTEGER_LIMIT)
        result = pd.array(np.where(whole, filled, np.nan), dtype="Float64").astype("Int64")
        present = text.notna().to_numpy()
        # Cells written as integers convert exactly, to int64's limits, not a float's.
        digits = (present & text.str.fullmatch(r"\s*[+-]?\d{16,19}\s*").fillna(False)).to_numpy(
            dtype=bool
        )
        if digits.any():
            exact = pd.to_numeric(text[digits].str.strip(), errors="coerce", downcast=None)
            fits = [
                isinstance(value, (int, np.integer)) and -(2**63) <= int(value) < 2**63
                for value in exact.tolist()
            ]
            positions = np.flatnonzero(digits)
            for position, value, ok in zip(positions, exact.tolist(), fits, strict=True):
                if ok:
                    result[int(position)] = int(value)
                    whole[position] = True
        bad = present & ~whole
        if bad.any():
            issues.add("not_an_integer", rows[bad], name, text[bad])
        return pd.Series(result)

    def _floats(
        self, values: pd.Series, name: str, rows: np.ndarray, issues: FindingsCollector
    ) -> pd.Series:
        import numpy as np
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype
        ):
            numbers = values.astype("float64")
            infinite = np.isinf(numbers.to_numpy())
            if infinite.any():
                issues.add("not_a_number", rows[infinite], name, numbers[infinite].astype("str"))
                numbers = numbers.mask(infinite)
            return numbers
        text = self._text(values)
        if len(text) == 0:
            return pd.Series([], dtype="float64")
        try:
            converted = pc.cast(pa.array(text), pa.float64())
            numbers = pd.Series(converted.to_numpy(zero_copy_only=False), dtype="float64")
            if not np.isinf(numbers.to_numpy()).any():
                return numbers
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        # Semicolon-separated re-exports from French-locale Excel write 14,5 for 14.5.
        cleaned = text.str.strip().str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
        numbers = pd.to_numeric(cleaned, errors="coerce").astype("float64")
        numbers = numbers.mask(np.isinf(numbers.to_numpy()))
        bad = (text.notna() & numbers.isna()).to_numpy()
        if bad.any():
            issues.add("not_a_number", rows[bad], name, text[bad])
        return numbers

    def _dates(self, values: pd.Series, rows: np.ndarray, issues: FindingsCollector) -> pd.Series:
        import pandas as pd

        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)
            dtype = values.dtype
        if pd.api.types.is_datetime64_dtype(dtype):
            try:
                return _midnight(values.astype("datetime64[ns]"))
            except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError):
                values = values.astype("str")
        text = self._text(values)
        order = self.options.date_order or self._date_order_hint
        parsed = parse_event_dates(text, order=order)
        if parsed.inferred is not None and not self._date_order_reported:
            self._date_order_reported = True
            self._date_order_hint = parsed.inferred
            self.file_findings.add_file(
                "date_order", "event_date", f"read {parsed.inferred} ({parsed.evidence})"
            )
        if parsed.ambiguous.any() and not self._date_order_reported:
            self._date_order_reported = True
            mask = parsed.ambiguous.to_numpy()
            examples = ", ".join(sorted(set(text[mask].head(50).astype(str)))[:3])
            self.file_findings.add_file(
                "date_order_ambiguous",
                "event_date",
                f"{int(mask.sum()):,} dates such as {examples} were left unread",
                examples,
            )
        self.unread_dates = parsed.ambiguous.to_numpy()
        if parsed.bad.any():
            mask = parsed.bad.to_numpy()
            issues.add("not_a_date", rows[mask], "event_date", text[mask])
        return parsed.dates

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
    def _interaction(text: str, column: str) -> tuple[str | None, bool | str]:
        number = _whole_number(text.strip())
        if number is None:
            canonical = _canonical_interaction(text.strip())
            if canonical is not None and canonical != text:
                return canonical, "reordered"
            return text, False
        if number in vocabulary.INTERACTIONS:
            return vocabulary.INTERACTIONS[number], False
        return text, True

    def _codes(
        self,
        values: pd.Series,
        name: str,
        rows: np.ndarray,
        issues: FindingsCollector,
        mapping: Any,
    ) -> pd.Series:
        import numpy as np
        import pandas as pd

        text = self._text(values, keep_categorical=True)
        if isinstance(text.dtype, pd.CategoricalDtype):
            # A Parquet dictionary column: map its few categories, not its rows.
            codes = text.array.codes
            uniques = text.cat.categories
        else:
            codes, uniques = pd.factorize(text, use_na_sentinel=True)
        results = [mapping(str(unique), name) for unique in uniques]
        mapped = [label for label, _unknown in results]
        unknown = np.array([flag is True for _label, flag in results], dtype=bool)
        series = _categorical_from(codes, mapped)
        if unknown.any():
            row_unknown = np.zeros(len(codes), dtype=bool)
            known = codes >= 0
            row_unknown[known] = unknown[codes[known]]
            issues.add("unknown_legacy_code", rows[row_unknown], name, text[row_unknown])
        reordered = np.array([flag == "reordered" for _label, flag in results], dtype=bool)
        if reordered.any():
            row_reordered = np.zeros(len(codes), dtype=bool)
            known = codes >= 0
            row_reordered[known] = reordered[codes[known]]
            issues.add(
                "interaction_label_order",
                rows[row_reordered],
                name,
                text[row_reordered].astype("str"),
                "ACLED writes " + series[row_reordered].astype("str").reset_index(drop=True),
            )
        return series

    # --- derivations -----------------------------------------------------------

    def _map_legacy_event_types(
        self, out: dict[str, pd.Series], rows: np.ndarray, issues: FindingsCollector
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
        resolved = self._resolve_riots_protests(out, codes, uniques, rows, issues)
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
            if column == "event_type":
                mask &= ~resolved
            if not mask.any():
                continue
            issues.add("legacy_event_type_ambiguous", rows[mask], column, text.astype("str")[mask])

    def _resolve_riots_protests(
        self,
        out: dict[str, pd.Series],
        codes: np.ndarray,
        uniques: Any,
        rows: np.ndarray,
        issues: FindingsCollector,
    ) -> np.ndarray:
        """Today's event type of legacy Riots/Protests rows where ACLED's rule decides it.

        Rioters on either side make a riot; Protesters without Rioters a protest
        (ACLED's codebook on demonstrations). Returns the rows resolved.
        """
        import numpy as np
        import pandas as pd

        positions = [
            index for index, unique in enumerate(uniques) if str(unique).strip() == "Riots/Protests"
        ]
        if not positions:
            return np.zeros(len(codes), dtype=bool)
        legacy = np.isin(codes, positions)

        def has(label: str) -> np.ndarray:
            found = np.zeros(len(codes), dtype=bool)
            for name in ("inter1", "inter2"):
                if name in out:
                    found |= (out[name] == label).fillna(False).to_numpy(dtype=bool)
            return found

        rioters = legacy & has("Rioters")
        protesters = legacy & ~rioters & has("Protesters")
        resolved = rioters | protesters
        if resolved.any():
            event_type = out["event_type"].astype("object").to_numpy().copy()
            event_type[rioters] = "Riots"
            event_type[protesters] = "Protests"
            out["event_type"] = _sorted_categories(
                pd.Series(event_type).astype("str").astype("category")
            )
            issues.add(
                "legacy_event_type_derived",
                rows[resolved],
                "event_type",
                np.where(rioters[resolved], "Riots", "Protests"),
            )
        return resolved

    def _derive_disorder_type(self, out: dict[str, pd.Series]) -> pd.Series:
        """Disorder type from the sub-event type, else from an event type that determines it."""
        if self.legacy_event_types:
            return self._legacy_disorder
        by_event = _disorder_by_event_type()
        sub_types = out.get("sub_event_type")
        event_types = out.get("event_type")
        if sub_types is None:
            # A file has a sub-event type or an event type column: reading checked it.
            assert event_types is not None
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
        import numpy as np
        import pandas as pd

        first = out["inter1"].astype("str").fillna("")
        second = (
            out["inter2"].astype("str").fillna("")
            if "inter2" in out
            else pd.Series([""] * len(first), dtype="str")
        )
        # Each distinct pair once; a pair of columns, not a joined text, since the
        # labels may hold any character.
        codes, pairs = pd.MultiIndex.from_arrays([first, second]).factorize()

        def label(one: str, two: str) -> str | None:
            if not one:
                return None
            try:
                return vocabulary.interaction_label(one, two or None)
            except (ValueError, KeyError):
                return None

        labels = np.array([label(str(one), str(two)) for one, two in pairs] + [None], dtype=object)
        return pd.Series(labels[codes], dtype="str").astype("category")


# --- helpers -----------------------------------------------------------------------


def _escape_controls(text: str) -> str:
    """Control characters as visible escapes (``\\x1b``), so a report never replays them."""
    return "".join(
        f"\\x{ord(char):02x}"
        if (ord(char) < 0x20 and char not in "\t\n") or 0x7F <= ord(char) <= 0x9F
        else char
        for char in text
    )


def _canonical_interaction(label: str) -> str | None:
    """ACLED's interaction label for one written with its actor types the other way round."""
    first, separator, second = label.partition("-")
    if not separator or not {first, second} <= _ACTOR_LABELS:
        return None
    try:
        canonical = vocabulary.interaction_label(second.strip(), first.strip())
    except (ValueError, KeyError):
        return None
    return canonical if canonical in _INTERACTION_LABELS else None


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


def _sorted_categories(values: pd.Series, *, drop_unused: bool = False) -> pd.Series:
    """The same categorical with its categories sorted, so chunks agree on the order,
    and with ``drop_unused`` only those some row uses.

    The codes are counted and remapped in one pass: pandas' own
    ``remove_unused_categories`` sorts every row's code to find the used ones.
    """
    import numpy as np
    import pandas as pd

    categories = values.cat.categories
    codes = values.array.codes
    used = (
        np.bincount(codes + 1, minlength=len(categories) + 1)[1:] > 0
        if drop_unused
        else np.ones(len(categories), dtype=bool)
    )
    if used.all() and categories.is_monotonic_increasing:
        return values
    kept = np.flatnonzero(used)
    order = np.argsort(np.asarray(categories[kept], dtype=object), kind="stable")
    remap = np.full(len(categories) + 1, -1, dtype=np.int64)  # code -1 maps to the last
    remap[kept[order]] = np.arange(len(kept))
    return pd.Series(
        pd.Categorical.from_codes(remap[codes], categories=categories[kept[order]], validate=False),
        index=values.index,
        name=values.name,
    )


def _is_text(values: pd.Series) -> bool:
    """Whether the column is pandas ``str`` (object columns of mixed values are not)."""
    import pandas as pd

    return isinstance(values.dtype, pd.StringDtype)


@dataclass(frozen=True)
class _TextScan:
    """What one pass of Arrow kernels found in a text column."""

    too_long: bool  # some cell has more bytes than MAX_CELL_CHARS (a candidate, not a verdict)
    blank: np.ndarray | None  # rows blank, whitespace-only or a marker; None when there are none
    markers: dict[str, int]  # missing-value markers found, with their counts
    controls: bool  # some cell may hold a control character (a candidate, not a verdict)
    spaces: bool = True  # some cell starts or ends with a space or holds two in a row


_UNSCANNED: Any = object()
#: Control characters that have no business in stored text: C0 but TAB, LF and CR
#: (a CR is checked on its own: only a bare one is reported), and DEL.
_CONTROL_PATTERN = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\x{80}-\\x{9f}]|\\r[^\\n]|\\r$"


def _scan_text_columns(
    raw: dict[str, pd.Series],
    na_values: frozenset[str],
    dictionaries: dict[str, Any] | None = None,
) -> dict[str, _TextScan]:
    """Scan every text column for over-long, blank and marker cells, on all cores.

    A column the reader also holds dictionary-encoded (``dictionaries``) is scanned
    by its distinct values, the rows taking their value's verdict. Arrow's kernels
    and numpy's comparisons do not hold the GIL, so columns are scanned in parallel
    threads.
    """
    encoded = dictionaries or {}
    names = [
        name
        for name, values in raw.items()
        if (_is_text(values) or name in encoded) and len(values)
    ]

    def scan(name: str) -> _TextScan:
        if name in encoded:
            return _scan_dictionary(encoded[name], na_values, names=name in _NAME_COLUMNS)
        return _scan_text(raw[name], na_values, names=name in _NAME_COLUMNS)

    if len(names) < 2:
        return {name: scan(name) for name in names}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1)) as pool:
        scans = pool.map(scan, names)
        return dict(zip(names, scans, strict=True))


def _marker_mask(array: Any, lengths: Any, na_values: frozenset[str]) -> tuple[Any, dict[str, int]]:
    """Cells that are exactly a missing-value marker, and which markers occur how often."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not na_values:
        return None, {}
    longest = max(len(marker.encode()) for marker in na_values)
    # Markers are short: most columns have no cell short enough to be one.
    short = pc.fill_null(pc.and_(pc.less_equal(lengths, longest), pc.greater(lengths, 0)), False)
    if not pc.any(short).as_py():
        return None, {}
    found = pc.fill_null(pc.is_in(array, value_set=pa.array(sorted(na_values))), False)
    if not pc.any(found).as_py():
        return None, {}
    counts = pc.value_counts(array.filter(found)).to_pylist()
    return found, {str(item["values"]): int(item["counts"]) for item in counts}


def _string_buffers(array: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Each chunk's cell offsets and UTF-8 bytes, as numpy views of Arrow's buffers."""
    import numpy as np
    import pyarrow as pa

    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    for chunk in chunks:
        buffers = chunk.buffers()
        if len(chunk) == 0 or len(buffers) < 3 or buffers[1] is None:
            continue
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(buffers[1], dtype=width)[
            chunk.offset : chunk.offset + len(chunk) + 1
        ]
        data = (
            np.frombuffer(buffers[2], dtype=np.uint8)
            if buffers[2] is not None
            else np.empty(0, dtype=np.uint8)
        )
        yield offsets, data[offsets[0] : offsets[-1]]


# Bytes that may belong to a control character: C0 but TAB and LF, DEL, and 0xC2, which
# leads the UTF-8 of C1 controls (and of «, °, so it only calls for a closer look).
_CONTROL_BYTES = bytes(
    1 if (b < 0x20 and b not in (0x09, 0x0A)) or b in (0x7F, 0xC2) else 0 for b in range(256)
)


def _may_hold_controls(array: Any) -> bool:
    """Whether any byte of the column's text is a control byte (numpy over the data buffer)."""
    import numpy as np

    lookup = np.frombuffer(_CONTROL_BYTES, dtype=np.uint8).astype(bool)
    for _offsets, data in _string_buffers(array):
        if not len(data) or (data.min() >= 0x20 and data.max() < 0x7F):
            continue  # printable ASCII only: two reductions, no temporary arrays
        if lookup[data].any():
            return True
    return False


def _may_have_stray_spaces(array: Any) -> bool:
    """Whether some cell may start or end with a space or hold two in a row.

    Read off the bytes: the first and last byte of each cell, and any two spaces in a row
    anywhere (which may straddle two cells, so a hit is confirmed by Arrow's kernels).
    """
    import pyarrow.compute as pc

    for offsets, data in _string_buffers(array):
        if not len(data):
            continue
        starts = offsets[:-1] - offsets[0]
        ends = offsets[1:] - offsets[0]
        filled = ends > starts
        if (data[starts[filled]] == 0x20).any() or (data[ends[filled] - 1] == 0x20).any():
            return True
        if b"  " in data.tobytes():  # one memory search, cheaper than numpy's masks
            return bool(pc.any(pc.match_substring(array, "  ")).as_py())
    return False


def _scan_text(
    values: pd.Series, na_values: frozenset[str] = DEFAULT_NA_VALUES, names: bool = False
) -> _TextScan:
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values)
    lengths = pc.binary_length(array)
    too_long = bool(pc.any(pc.greater(lengths, MAX_CELL_CHARS)).as_py())
    shortest = pc.min(lengths).as_py()
    has_empty = shortest is not None and shortest == 0
    spaces = pc.utf8_is_space(array)
    markers, found = _marker_mask(array, lengths, na_values)
    controls = _may_hold_controls(array)
    stray = names and _may_have_stray_spaces(array)
    if not has_empty and not pc.any(spaces).as_py() and markers is None:
        return _TextScan(too_long, None, found, controls, stray)
    blank = pc.fill_null(pc.or_(pc.equal(lengths, 0), spaces), False)
    if markers is not None:
        blank = pc.or_(blank, markers)
    return _TextScan(too_long, blank.to_numpy(zero_copy_only=False), found, controls, stray)


def _scan_dictionary(
    column: Any, na_values: frozenset[str] = DEFAULT_NA_VALUES, names: bool = False
) -> _TextScan:
    """:func:`_scan_text` of a dictionary-encoded column, done on its distinct values.

    A dictionary may hold values no row of this chunk uses (a slice of a larger row
    group): those can only raise candidates (``too_long``, ``controls``, ``spaces``),
    which are confirmed on the rows; the blank mask and marker counts come from the rows.
    """
    import numpy as np
    import pyarrow.compute as pc

    too_long = controls = stray = False
    found: dict[str, int] = {}
    masks: list[np.ndarray | None] = []
    for chunk in column.chunks:
        dictionary, indices = chunk.dictionary, chunk.indices
        lengths = pc.binary_length(dictionary)
        too_long = too_long or bool(pc.any(pc.greater(lengths, MAX_CELL_CHARS)).as_py())
        controls = controls or _may_hold_controls(dictionary)
        stray = stray or (names and _may_have_stray_spaces(dictionary))
        markers, _ = _marker_mask(dictionary, lengths, na_values)
        blank = pc.or_(pc.equal(lengths, 0), pc.utf8_is_space(dictionary))
        if markers is not None:
            blank = pc.or_(blank, markers)
            counts = _marker_counts(
                np.flatnonzero(markers.to_numpy(zero_copy_only=False)),
                pc.fill_null(indices, -1).to_numpy(zero_copy_only=False),
                dictionary,
            )
            for value, count in counts.items():
                found[value] = found.get(value, 0) + count
        if not pc.any(blank).as_py():
            masks.append(None)
            continue
        rows = pc.fill_null(pc.take(blank, indices), False)
        masks.append(rows.to_numpy(zero_copy_only=False))
    if all(mask is None for mask in masks):
        return _TextScan(too_long, None, found, controls, stray)
    blank_rows = np.concatenate(
        [
            np.zeros(len(chunk), dtype=bool) if mask is None else mask
            for chunk, mask in zip(column.chunks, masks, strict=True)
        ]
    )
    return _TextScan(too_long, blank_rows if blank_rows.any() else None, found, controls, stray)


def _marker_counts(markers: np.ndarray, codes: np.ndarray, labels: Any) -> dict[str, int]:
    """How many rows hold each missing-value marker: ``markers`` are the positions of
    the markers among the distinct values ``labels``, ``codes`` each row's position
    (-1 for a blank); a marker no row holds is left out."""
    import numpy as np

    if not len(markers):  # most columns have no marker among their values: nothing to count
        return {}
    used = np.bincount(codes[codes >= 0], minlength=len(labels))
    return {
        str(labels[int(position)]): int(used[position]) for position in markers if used[position]
    }


def _expanded(dictionaries: dict[str, Any]) -> dict[str, pd.Series]:
    """Dictionary-encoded text columns as pandas ``str``, one row per row, on all cores
    (Arrow expands them without holding the GIL)."""

    def expand(column: Any) -> pd.Series:
        return column.cast(column.type.value_type).to_pandas()

    if len(dictionaries) < 2:
        return {name: expand(column) for name, column in dictionaries.items()}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(dictionaries), os.cpu_count() or 1)) as pool:
        return dict(zip(dictionaries, pool.map(expand, dictionaries.values()), strict=True))


def _midnight(values: pd.Series) -> pd.Series:
    """Datetimes at midnight of their day; most files store dates at midnight already,
    which one pass over the integers shows (pandas' ``normalize`` rebuilds every row)."""
    import numpy as np

    nanoseconds = values.to_numpy(dtype="datetime64[ns]").view(np.int64)
    at_midnight = nanoseconds % 86_400_000_000_000 == 0
    if (at_midnight | (nanoseconds == np.iinfo(np.int64).min)).all():  # min: NaT
        return values
    return values.dt.normalize()


def _row_mask(values: pd.Series, test: Any) -> np.ndarray:
    """Rows whose text passes ``test`` (an Arrow compute function of a text array);
    a categorical's categories are tested, not its rows."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = pa.array(values.cat.categories, type=pa.large_string(), from_pandas=True)
        hits = pc.fill_null(test(categories), False).to_numpy(zero_copy_only=False)
        return np.append(hits, False)[values.array.codes]  # code -1: the last
    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    return np.asarray(pc.fill_null(test(array), False).to_numpy(zero_copy_only=False))


def _categorical_as_text(values: pd.Series) -> pd.Series:
    """A categorical of text as pandas ``str``, one row per row.

    Taking the categories by code stays in Arrow; ``astype("str")`` would build one
    Python string per row (most of a Parquet file's read time).
    """
    import pandas as pd

    codes = values.array.codes
    text = pd.Index(values.cat.categories, dtype="str").array.take(codes, allow_fill=True)
    return pd.Series(text, index=values.index, name=values.name)


def _may_hold_bytes(values: pd.Series) -> bool:
    """Python objects, or Arrow cells (where the readers keep binary columns)."""
    import pandas as pd

    return values.dtype == object or isinstance(values.dtype, pd.ArrowDtype)


def _text(
    values: pd.Series,
    *,
    keep_categorical: bool = False,
    blank: Any = _UNSCANNED,
    na_values: frozenset[str] = DEFAULT_NA_VALUES,
) -> pd.Series:
    """The column as pandas ``str`` with blank, whitespace-only and marker cells as NA.

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
            empty = [
                category for category in categories if not category.strip() or category in na_values
            ]
            if empty:
                values = values.cat.remove_categories(empty)
            if keep_categorical:
                return values
            return _text(_categorical_as_text(values), na_values=na_values)
        return _text(values.astype("str"), na_values=na_values)
    if blank is not _UNSCANNED and _is_text(values):
        return values if blank is None else values.mask(blank)
    if not _is_text(values):
        values = values.astype("str").where(values.notna())
        values = values.astype("str")
    if len(values) == 0:
        return values
    array = pa.array(values)
    lengths = pc.binary_length(array)
    blank = pc.or_(pc.equal(lengths, 0), pc.utf8_is_space(array))
    blank = pc.fill_null(blank, False)
    markers, _found = _marker_mask(array, lengths, na_values)
    if markers is not None:
        blank = pc.or_(blank, markers)
    if not pc.any(blank).as_py():
        return values
    return values.mask(blank.to_numpy(zero_copy_only=False))


def _na_dtype(dtype: str) -> str:
    return {"category": "str", "datetime64[ns]": "datetime64[ns]"}.get(dtype, dtype)
