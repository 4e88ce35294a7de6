"""What changed between two versions of a table of events: added, removed, changed fields.

Events are matched by ``event_id_cnty``. For two builds of a project dataset the
changed fields are the coding changes (an actor renamed, a fatality count revised,
an evidence quote moved), listed event by event.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sahel_events.exc import InvalidDataError, UsageError

__all__ = ["CHANGE_COLUMNS", "EventsDiff", "changed_fields", "diff"]

KEY = "event_id_cnty"
#: Columns of :meth:`EventsDiff.to_frame`.
CHANGE_COLUMNS: tuple[str, ...] = (KEY, "change", "field", "before", "after")
_SHOWN_CHARACTERS = 80


def _objects(values: pd.Series) -> np.ndarray:
    array = values.astype("object").to_numpy(copy=True)
    array[pd.isna(array)] = None
    return array


def _differs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Elementwise: the two values differ (two missing values are equal)."""
    missing_left = pd.isna(left)
    missing_right = pd.isna(right)
    with np.errstate(invalid="ignore"):
        equal = np.asarray(left == right, dtype=bool)
    return ~(equal | (missing_left & missing_right))


def match(left: pd.Series, right: pd.Series) -> np.ndarray:
    """For each value of ``left``, its position in ``right`` (values unique there), or -1."""
    codes, uniques = pd.factorize(
        pd.concat([left.astype("object"), right.astype("object")], ignore_index=True)
    )
    where = np.full(len(uniques) + 1, -1, dtype="int64")
    right_codes = codes[len(left) :]
    where[right_codes] = np.arange(len(right), dtype="int64")
    return where[codes[: len(left)]]


def check_unique(df: pd.DataFrame, name: str) -> None:
    """Refuse a frame whose event ids repeat or are missing: events are matched by id.

    Raises:
        UsageError: ``df`` lacks ``event_id_cnty``.
        InvalidDataError: An id is missing or repeats (a monadic file: see ``to_dyadic``).
    """
    if KEY not in df.columns:
        raise UsageError(f"{name} has no event_id_cnty column to match events by")
    ids = df[KEY]
    if ids.isna().any():
        label = ids.index[ids.isna().to_numpy()][0]
        raise InvalidDataError(f"{name}: an event has no event_id_cnty (index {label})", column=KEY)
    repeated = ids.duplicated(keep=False).to_numpy()
    if repeated.any():
        first = ids[repeated].iloc[0]
        hint = " (a monadic file? sahel_events.to_dyadic pairs its rows)"
        raise InvalidDataError(
            f"{name}: {int(repeated.sum())} rows share event ids, first {first!r}{hint}",
            column=KEY,
        )


def changed_fields(
    before: pd.DataFrame, after: pd.DataFrame, columns: Sequence[str]
) -> pd.DataFrame:
    """Long frame of ``event_id_cnty, field, before, after`` for two aligned frames.

    ``before`` and ``after`` hold the same events in the same order. Rows come out
    event by event (in that order), fields in the order of ``columns``.
    """
    ids = _objects(before[KEY])
    pieces = []
    for rank, name in enumerate(columns):
        left, right = _objects(before[name]), _objects(after[name])
        differs = _differs(left, right)
        if differs.any():
            where = np.flatnonzero(differs)
            pieces.append(
                pd.DataFrame(
                    {
                        "_event": where,
                        "_field": rank,
                        KEY: ids[where],
                        "field": name,
                        "before": left[where],
                        "after": right[where],
                    }
                )
            )
    if not pieces:
        return pd.DataFrame(
            {name: pd.Series(dtype="object") for name in (KEY, "field", "before", "after")}
        )
    long = pd.concat(pieces, ignore_index=True).sort_values(["_event", "_field"], kind="stable")
    return long.drop(columns=["_event", "_field"]).reset_index(drop=True).astype("object")


def _missing(value: object) -> bool:
    """A scalar missing value (None, NaN, NA, NaT); containers are never missing."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict, np.ndarray)):
        return False
    return bool(pd.isna(value))  # type: ignore[call-overload]


def _shown(value: object) -> str:
    if _missing(value):
        return "(empty)"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) > _SHOWN_CHARACTERS:
        text = text[: _SHOWN_CHARACTERS - 3] + "..."
    return text


def _jsonable(value: object) -> object:
    if _missing(value):
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    return str(value)


@dataclass(frozen=True)
class EventsDiff:
    """The differences between two event tables ``a`` (before) and ``b`` (after)."""

    #: Events of ``b`` whose id is not in ``a``, in ``b``'s order.
    added: pd.DataFrame
    #: Events of ``a`` whose id is not in ``b``, in ``a``'s order.
    removed: pd.DataFrame
    #: ``event_id_cnty, field, before, after``: one row per changed field of an event in both.
    changes: pd.DataFrame
    #: Columns only one of the two tables has (not compared).
    only_in_a: tuple[str, ...] = ()
    only_in_b: tuple[str, ...] = ()
    #: Names of the two tables in the text summary.
    names: tuple[str, str] = ("a", "b")
    #: Columns left out of the comparison.
    ignored: tuple[str, ...] = field(default=())

    @property
    def changed_ids(self) -> list[str]:
        """Ids of the events in both tables with at least one changed field, in ``a``'s order."""
        return list(dict.fromkeys(self.changes[KEY].tolist()))

    @property
    def empty(self) -> bool:
        """True when the tables hold the same events with the same values."""
        return not (len(self.added) or len(self.removed) or len(self.changes))

    def to_frame(self) -> pd.DataFrame:
        """All differences as one frame of :data:`CHANGE_COLUMNS`.

        ``change`` is ``added``, ``removed`` or ``changed``; added and removed events
        have one row each with an empty ``field``.
        """
        parts = [
            pd.DataFrame({KEY: _objects(self.removed[KEY]), "change": "removed"}),
            pd.DataFrame({KEY: _objects(self.added[KEY]), "change": "added"}),
            self.changes.assign(change="changed"),
        ]
        frame = pd.concat(parts, ignore_index=True)
        for name in CHANGE_COLUMNS:
            if name not in frame.columns:
                frame[name] = None
        return frame.loc[:, list(CHANGE_COLUMNS)].astype("object")

    def to_json(self) -> str:
        """The differences as JSON: ``summary`` counts and ``changes`` (one object per row)."""
        records = [
            {name: _jsonable(value) for name, value in row.items()}
            for row in self.to_frame().to_dict(orient="records")
        ]
        document = {
            "a": self.names[0],
            "b": self.names[1],
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed_ids),
                "changed_fields": len(self.changes),
            },
            "only_in_a": list(self.only_in_a),
            "only_in_b": list(self.only_in_b),
            "changes": records,
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def to_text(self) -> str:
        """A readable summary: the counts, then each added, removed and changed event."""
        a, b = self.names
        lines = [
            f"{a} -> {b}: {len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.changed_ids)} changed ({len(self.changes)} "
            f"field{'' if len(self.changes) == 1 else 's'})"
        ]
        if self.only_in_a or self.only_in_b:
            if self.only_in_a:
                lines.append(f"columns only in {a} (not compared): {', '.join(self.only_in_a)}")
            if self.only_in_b:
                lines.append(f"columns only in {b} (not compared): {', '.join(self.only_in_b)}")

        def brief(frame: pd.DataFrame) -> list[str]:
            shown = []
            for _, row in frame.iterrows():
                parts = [str(row[KEY])]
                for name in ("event_date", "event_type", "location", "country"):
                    if name in frame.columns and not pd.isna(row[name]):
                        value = row[name]
                        parts.append(value if isinstance(value, str) else _shown(value))
                shown.append("  " + "  ".join(parts))
            return shown

        if len(self.added):
            lines += ["", "added:", *brief(self.added)]
        if len(self.removed):
            lines += ["", "removed:", *brief(self.removed)]
        if len(self.changes):
            lines += ["", "changed:"]
            for event, rows in self.changes.groupby(KEY, sort=False):
                lines.append(f"  {event}")
                for _, row in rows.iterrows():
                    lines.append(
                        f"    {row['field']}: {_shown(row['before'])} -> {_shown(row['after'])}"
                    )
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.to_text()


def diff(
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    ignore: Sequence[str] = (),
    names: tuple[str, str] = ("a", "b"),
) -> EventsDiff:
    """Added, removed and changed events between ``a`` (before) and ``b`` (after).

    Events are matched by ``event_id_cnty``; the columns both tables have are
    compared value by value (two missing values are equal; text, numbers and dates
    exactly). Categories and text compare by value, so a CSV and a Parquet copy
    of the same events have no differences.

    Args:
        a: The earlier table.
        b: The later table.
        ignore: Columns not to compare (``timestamp``, say, to see only coding changes).
        names: What to call ``a`` and ``b`` in :meth:`EventsDiff.to_text`.

    Raises:
        UsageError: A table has no ``event_id_cnty``.
        InvalidDataError: An id repeats or is missing in a table.
    """
    check_unique(a, names[0])
    check_unique(b, names[1])
    a, b = a.copy(deep=False), b.copy(deep=False)
    a.attrs, b.attrs = {}, {}
    positions = match(a[KEY], b[KEY])
    in_b = positions >= 0
    in_a = match(b[KEY], a[KEY]) >= 0
    compared = [
        name for name in a.columns if name in b.columns and name != KEY and name not in ignore
    ]
    common_a = a[in_b]
    common_b = b.iloc[positions[in_b]]
    changes = changed_fields(common_a, common_b, compared)
    return EventsDiff(
        added=b[~in_a],
        removed=a[~in_b],
        changes=changes,
        only_in_a=tuple(name for name in a.columns if name not in b.columns),
        only_in_b=tuple(name for name in b.columns if name not in a.columns),
        names=names,
        ignored=tuple(ignore),
    )
