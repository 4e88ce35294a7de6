"""Bring a local copy of ACLED-style events up to date with a newer export and deletions.

ACLED's advice for keeping a dataset current (what acledR's ``acled_update`` does):
download the events added or modified since the newest ``timestamp`` of the local
copy, replace the local version of each by the downloaded one, add the new ones,
and drop the events ACLED has deleted since, which its deletions API lists as
``event_id_cnty`` and ``deleted_timestamp``. :func:`update` does this offline, on
files the user has: a local copy, a newer export and optionally a deletions file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sahel_events.exc import InvalidDataError, UnreadableFileError, UsageError
from sahel_events.transform._diff import KEY, changed_fields, check_unique, match

__all__ = ["CHANGE_KINDS", "UpdateResult", "read_deletions", "update"]

#: Kinds of change in :attr:`UpdateResult.changes`, and what each means.
CHANGE_KINDS: dict[str, str] = {
    "added": "in the newer export only: added",
    "updated": "in both, the newer export's version has a later (or the same) timestamp "
    "and other values: it replaces the local one",
    "kept_local": "in both, the local version has a later timestamp: the export's older "
    "version is ignored",
    "deleted": "listed in the deletions, deleted at or after the version's timestamp: removed",
    "deletion_superseded": "listed in the deletions, but the version kept is newer than "
    "the deletion: kept",
}

_LOG_COLUMNS = (KEY, "change", "old_timestamp", "new_timestamp", "deleted_timestamp", "fields")


@dataclass(frozen=True)
class UpdateResult:
    """What :func:`update` returns: the merged events and a log of what changed."""

    #: The merged events: the local copy's order, then added events in the export's order.
    events: pd.DataFrame
    #: One row per event touched: ``event_id_cnty``, ``change`` (a key of
    #: :data:`CHANGE_KINDS`), ``old_timestamp``, ``new_timestamp``,
    #: ``deleted_timestamp`` and ``fields`` (the changed columns, ``;``-joined).
    changes: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Number of events per kind of change, every kind listed."""
        tally = self.changes["change"].value_counts()
        return {kind: int(tally.get(kind, 0)) for kind in CHANGE_KINDS}

    def summary(self) -> str:
        """One line: how many events, and how many of each change."""
        counts = ", ".join(f"{number} {kind}" for kind, number in self.counts().items() if number)
        return f"{len(self.events)} events ({counts or 'no changes'})"

    def __iter__(self) -> Iterator[pd.DataFrame]:
        # `events, changes = update(...)` reads naturally.
        return iter((self.events, self.changes))


def _timestamps(values: pd.Series) -> np.ndarray:
    """Unix timestamps as float (NaN for missing), so that missing compares as unknown."""
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()


def read_deletions(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a deletions list as ACLED publishes it: ``event_id_cnty``, ``deleted_timestamp``.

    CSV (as ACLED's deletions endpoint ``deleted/read.csv`` returns it), or the JSON
    of ``deleted/read`` (``{"data": [...]}``) or a JSON list. ``deleted_timestamp`` is
    a Unix timestamp or a ``YYYY-MM-DD`` date (read as midnight UTC); column names
    are matched without regard to case.

    Returns:
        ``event_id_cnty`` (str) and ``deleted_timestamp`` (Int64, Unix seconds).

    Raises:
        UnreadableFileError: The file cannot be read or lacks ``event_id_cnty``.
        InvalidDataError: A ``deleted_timestamp`` cell is neither a timestamp nor a date
            (the message names its row).
    """
    source = Path(path)
    try:
        if source.suffix.lower() == ".json":
            import json

            document = json.loads(source.read_text(encoding="utf-8-sig"))
            records = document.get("data", document) if isinstance(document, dict) else document
            if not isinstance(records, list):
                raise UnreadableFileError("expected a JSON list of deletions", path=source)
            raw = pd.DataFrame.from_records(records).astype("str")
            first_row = 1
        else:
            raw = pd.read_csv(source, dtype="str", keep_default_na=False, encoding="utf-8-sig")
            first_row = 2
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as error:
        raise UnreadableFileError(f"cannot read the deletions: {error}", path=source) from None
    raw.columns = [str(name).strip().lower() for name in raw.columns]
    if KEY not in raw.columns:
        raise UnreadableFileError(
            "a deletions file needs an event_id_cnty column (and deleted_timestamp)", path=source
        )
    ids = raw[KEY].str.strip()
    if "deleted_timestamp" in raw.columns:
        text = raw["deleted_timestamp"].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        dates = pd.to_datetime(text.where(numbers.isna()), format="%Y-%m-%d", errors="coerce")
        seconds = numbers.where(
            numbers.notna(), (dates - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
        )
        seconds = seconds.where(numbers.notna() | dates.notna())
        bad = (text != "") & seconds.isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + first_row
            raise InvalidDataError(
                f"{text[bad].iloc[0]!r} is neither a Unix timestamp nor a YYYY-MM-DD date",
                path=source,
                row=row,
                column="deleted_timestamp",
            )
        stamps = seconds.round().astype("Int64")
    else:
        stamps = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    out = pd.DataFrame({KEY: ids.astype("str"), "deleted_timestamp": stamps})
    return out[out[KEY] != ""].reset_index(drop=True)


def _align(old: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    columns = [*old.columns, *[name for name in new.columns if name not in old.columns]]
    return old.reindex(columns=columns), new.reindex(columns=columns), columns


def _combine(pieces: list[pd.DataFrame], old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Concatenate rows of ``old`` and ``new``, keeping their dtypes where they agree.

    Categorical columns get the union of both sides' categories (sorted) before the
    concatenation, which then keeps them categorical without converting the values.
    """
    pieces = [piece.copy(deep=False) for piece in pieces]
    for name in pieces[0].columns:
        dtypes = [df[name].dtype for df in (old, new) if name in df.columns]
        if any(isinstance(dtype, pd.CategoricalDtype) for dtype in dtypes):
            labels: set[object] = set()
            for piece in pieces:
                column = piece[name]
                if isinstance(column.dtype, pd.CategoricalDtype):
                    labels |= set(column.cat.categories)
                else:
                    labels |= set(column.dropna().unique())
            common = pd.CategoricalDtype(sorted(labels, key=str))
            for piece in pieces:
                piece[name] = piece[name].astype(common)
        elif dtypes and all(dtype == dtypes[0] for dtype in dtypes):
            for piece in pieces:
                if piece[name].dtype != dtypes[0]:
                    piece[name] = piece[name].astype(dtypes[0])
    return pd.concat(pieces, ignore_index=True)


def _joined_fields(long: pd.DataFrame) -> pd.Series:
    """``field`` values joined with ``;`` per event (rows of an event are contiguous)."""
    ids = long[KEY].to_numpy(dtype=object)
    names = long["field"].to_numpy(dtype=object)
    if not len(ids):
        return pd.Series([], dtype="object")
    bounds = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(ids)]])
    joined = [";".join(names[start:end]) for start, end in zip(starts, ends, strict=True)]
    return pd.Series(joined, index=ids[starts], dtype="object")


def update(
    old: pd.DataFrame,
    new: pd.DataFrame,
    *,
    deletions: pd.DataFrame | str | os.PathLike[str] | None = None,
) -> UpdateResult:
    """Merge a newer export into a local copy by ``event_id_cnty`` and ``timestamp``.

    An event in both keeps the version with the later ``timestamp`` (the export's on
    a tie, as ACLED re-issues an event when it modifies it; a missing timestamp
    counts as older than any). Events only in the export are added; events only in
    the local copy stay (an update export holds only what changed). Then each id in
    ``deletions`` is removed unless the version kept is newer than its
    ``deleted_timestamp``, so an export downloaded before a deletion cannot bring
    the deleted event back.

    Args:
        old: The local copy (dyadic: one row per event).
        new: The newer export, in any ACLED vintage :func:`sahel_events.read_events` reads.
        deletions: A frame of ``event_id_cnty`` and ``deleted_timestamp``, or a file
            for :func:`read_deletions`.

    Returns:
        An :class:`UpdateResult` (``events, changes = update(...)`` also works).

    Raises:
        UsageError: A frame lacks ``event_id_cnty`` or ``timestamp``.
        InvalidDataError: An id repeats or is missing in ``old`` or ``new``.
    """
    for name, frame in (("the local copy", old), ("the newer export", new)):
        check_unique(frame, name)
        if "timestamp" not in frame.columns:
            raise UsageError(
                f"{name} has no timestamp column: update needs it to tell newer versions"
            )
    if deletions is not None and not isinstance(deletions, pd.DataFrame):
        deletions = read_deletions(deletions)
    old, new = old.copy(deep=False), new.copy(deep=False)
    old.attrs, new.attrs = {}, {}
    old_aligned, new_aligned, columns = _align(old, new)
    old_ids = old_aligned[KEY].astype("object").to_numpy()
    new_ids = new_aligned[KEY].astype("object").to_numpy()
    in_new = match(old_aligned[KEY], new_aligned[KEY])
    both = in_new >= 0
    old_ts = _timestamps(old_aligned["timestamp"])
    new_ts = _timestamps(new_aligned["timestamp"])
    matched_new_ts = np.where(both, new_ts[np.where(both, in_new, 0)], np.nan)
    # The export wins unless the local version is known to be newer.
    local_newer = both & (
        np.nan_to_num(old_ts, nan=-np.inf) > np.nan_to_num(matched_new_ts, nan=-np.inf)
    )
    replaced = both & ~local_newer

    compared = [name for name in columns if name != KEY]
    pairs_old = old_aligned[both]
    pairs_new = new_aligned.iloc[in_new[both]]
    changes_long = changed_fields(pairs_old, pairs_new, compared)
    fields = _joined_fields(changes_long)

    added_mask = match(new_aligned[KEY], old_aligned[KEY]) < 0
    # One concatenation and one take: each local row, or its replacement, then the added.
    source_rows = np.arange(len(old_aligned))
    source_rows[replaced] = len(old_aligned) + in_new[replaced]
    source_rows = np.concatenate([source_rows, len(old_aligned) + np.flatnonzero(added_mask)])
    merged = _combine([old_aligned, new_aligned], old, new)
    merged = merged.take(source_rows).reset_index(drop=True)

    log: list[pd.DataFrame] = []
    both_ids = old_ids[both]
    touched = match(pd.Series(both_ids), pd.Series(fields.index.to_numpy(dtype=object))) >= 0
    kinds = np.where(local_newer[both], "kept_local", "updated")
    log.append(
        pd.DataFrame(
            {
                KEY: both_ids[touched],
                "change": kinds[touched],
                "old_timestamp": old_ts[both][touched],
                "new_timestamp": matched_new_ts[both][touched],
                "deleted_timestamp": np.nan,
                "fields": fields.to_numpy(dtype=object)[
                    match(
                        pd.Series(both_ids[touched]), pd.Series(fields.index.to_numpy(dtype=object))
                    )
                ],
            }
        )
    )
    log.append(
        pd.DataFrame(
            {
                KEY: new_ids[added_mask],
                "change": "added",
                "old_timestamp": np.nan,
                "new_timestamp": new_ts[added_mask],
                "deleted_timestamp": np.nan,
                "fields": None,
            }
        )
    )

    if deletions is not None and len(deletions):
        if KEY not in deletions.columns:
            raise UsageError("deletions need an event_id_cnty column")
        stamps = (
            _timestamps(deletions["deleted_timestamp"])
            if "deleted_timestamp" in deletions.columns
            else np.full(len(deletions), np.nan)
        )
        # An id deleted twice: the latest deletion counts.
        latest = (
            pd.Series(stamps, index=deletions[KEY].astype("object").to_numpy())
            .groupby(level=0, sort=False)
            .max()
        )
        merged_ids = merged[KEY].astype("object")
        at_deletion = match(merged_ids, pd.Series(latest.index.to_numpy(dtype=object)))
        listed = at_deletion >= 0
        deleted_at = latest.to_numpy(dtype="float64")[at_deletion[listed]]
        version = _timestamps(merged["timestamp"])[listed]
        # No deletion time: delete. Otherwise delete unless the version postdates it.
        superseded = ~np.isnan(deleted_at) & ~np.isnan(version) & (version > deleted_at)
        drop = np.flatnonzero(listed)[~superseded]
        ids_listed = merged_ids[listed].to_numpy(dtype=object)
        in_old = match(pd.Series(ids_listed, dtype=object), old_aligned[KEY])
        log.append(
            pd.DataFrame(
                {
                    KEY: ids_listed,
                    "change": np.where(superseded, "deletion_superseded", "deleted"),
                    "old_timestamp": np.where(
                        in_old >= 0,
                        old_ts[np.maximum(in_old, 0)] if len(old_ts) else np.nan,
                        np.nan,
                    ),
                    "new_timestamp": version,
                    "deleted_timestamp": deleted_at,
                    "fields": None,
                }
            )
        )
        keep = np.ones(len(merged), dtype=bool)
        keep[drop] = False
        merged = merged[keep].reset_index(drop=True)

    changes = (
        pd.concat([part for part in log if len(part)], ignore_index=True)
        if any(len(part) for part in log)
        else pd.DataFrame({name: [] for name in _LOG_COLUMNS})
    )
    for name in ("old_timestamp", "new_timestamp", "deleted_timestamp"):
        changes[name] = pd.array(changes[name].to_numpy(dtype="float64"), dtype="Float64").astype(
            "Int64"
        )
    changes[KEY] = changes[KEY].astype("str")
    changes["change"] = changes["change"].astype("str")
    changes["fields"] = changes["fields"].astype("object")
    # An added or updated event that is then deleted is logged once, as deleted.
    changes = changes.drop_duplicates(KEY, keep="last").reset_index(drop=True)
    merged.attrs = {"dyadic": True}
    return UpdateResult(events=merged, changes=changes.loc[:, list(_LOG_COLUMNS)])
