"""One row per actor (monadic) and back to one row per event (dyadic).

A dyadic event names two sides: ``actor1`` / ``assoc_actor_1`` / ``inter1`` and
``actor2`` / ``assoc_actor_2`` / ``inter2``. Its monadic form has one row per named
side, each carrying the side (``actor``, ``assoc_actor``, ``inter``), which side it
was (``actor_role``) and the other side (``other_actor``, ``other_assoc_actor``,
``other_inter``), so that either row alone rebuilds the event. One-sided events
(no ``actor2``) give one row. With ``include_associates=True`` every associated
actor (``assoc_actor_*`` split on ``;``) gets a row of its own too, as acledR's
``acled_transform_longer(type = "full_actors")`` does.

:func:`to_dyadic` also reads ACLED's own monadic exports (``export_type=monadic``,
the 2019-2023 monadic files read by :func:`sahel_events.read_events`): there each
row holds one actor in ``actor1`` and the event id repeats. Rows pair up by
``event_id_cnty``; events that cannot be paired are kept as they are and listed
in ``attrs["unpaired_events"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sahel_events import vocabulary
from sahel_events.exc import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ACTOR_COLUMNS", "MONADIC_COLUMNS", "to_dyadic", "to_monadic"]

#: The dyadic actor columns, in ACLED's order.
ACTOR_COLUMNS: tuple[str, ...] = (
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
)

#: The columns that replace :data:`ACTOR_COLUMNS` in a monadic frame, in order.
MONADIC_COLUMNS: tuple[str, ...] = (
    "actor_role",
    "actor",
    "assoc_actor",
    "inter",
    "other_actor",
    "other_assoc_actor",
    "other_inter",
)

#: ``actor_role`` values, in the order rows of one event are listed.
ROLES: tuple[str, ...] = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")

# Where to_monadic keeps the dyadic dtypes, so that to_dyadic restores them exactly.
_ATTR = "sahel_events.dyadic_dtypes"
_UNPAIRED_COLUMNS = ("event_id_cnty", "rows", "reason")


def _side(df: pd.DataFrame, number: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    suffix = "1" if number == 1 else "2"
    return df[f"actor{suffix}"], df[f"assoc_actor_{suffix}"], df[f"inter{suffix}"]


def to_monadic(df: pd.DataFrame, *, include_associates: bool = False) -> pd.DataFrame:
    """One row per actor of each event: the long form researchers count actors with.

    Args:
        df: Dyadic events (any frame with the six actor columns ``actor1`` ...
            ``inter2``; other columns are repeated on each of an event's rows).
        include_associates: Also give each associated actor (``assoc_actor_1`` and
            ``assoc_actor_2``, split on ``;``) a row, with role ``assoc_actor_1`` or
            ``assoc_actor_2``, no ``inter`` and the main actor it is associated with in
            ``other_actor``. :func:`to_dyadic` ignores these rows.

    Returns:
        The events with :data:`ACTOR_COLUMNS` replaced by :data:`MONADIC_COLUMNS`
        (at ``actor1``'s place). An event's rows follow each other, ``actor1`` first;
        each keeps the event's index label, so ``df.loc[label]`` finds them all.

    Raises:
        UsageError: The frame lacks an actor column.
    """
    attrs = dict(df.attrs)
    df = _without_attrs(df)
    missing = [name for name in ACTOR_COLUMNS if name not in df.columns]
    if missing:
        raise UsageError(
            f"to_monadic needs the actor columns; the frame lacks {', '.join(missing)}"
        )
    position = df.columns.get_loc("actor1")
    assert isinstance(position, int)
    before = [name for name in df.columns[:position] if name not in ACTOR_COLUMNS]
    after = [name for name in df.columns[position:] if name not in ACTOR_COLUMNS]

    inter_dtype = _common_inter_dtype(df["inter1"], df["inter2"])
    plain = {name: df[name].reset_index(drop=True) for name in ACTOR_COLUMNS}
    for name in ("inter1", "inter2"):
        plain[name] = plain[name].astype(inter_dtype)
    n = len(df)
    order = np.arange(n)
    two_sided = plain["actor2"].notna().to_numpy(dtype=bool)
    rows2 = order[two_sided]
    first = [
        plain[name]
        for name in ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2")
    ]
    second = [
        plain[name].take(rows2)
        for name in ("actor2", "assoc_actor_2", "inter2", "actor1", "assoc_actor_1", "inter1")
    ]
    # (rows of df, role, the six monadic values aligned with those rows)
    parts: list[tuple[np.ndarray, str, list[pd.Series]]] = [
        (order, "actor1", first),
        (rows2, "actor2", second),
    ]
    if include_associates:
        text = df["actor1"].dtype
        for role, suffix in (("assoc_actor_1", "1"), ("assoc_actor_2", "2")):
            associates = plain[f"assoc_actor_{suffix}"].dropna().astype("object")
            split = associates.str.split(";").explode().str.strip()
            split = split[split.str.len() > 0]
            rows = split.index.to_numpy(dtype="int64")
            empty = pd.Series([None] * len(rows), dtype=text)
            no_type = pd.Series([None] * len(rows), dtype=inter_dtype)
            parts.append(
                (
                    rows,
                    role,
                    [
                        split.astype(text),
                        empty,
                        no_type,
                        plain[f"actor{suffix}"].take(rows),
                        empty,
                        no_type,
                    ],
                )
            )

    positions = np.concatenate([rows for rows, _, _ in parts])
    role_rank = np.concatenate(
        [np.full(len(rows), ROLES.index(role), dtype="int8") for rows, role, _ in parts]
    )
    sort = np.lexsort((role_rank, positions))
    positions = positions[sort]
    out = df.drop(columns=list(ACTOR_COLUMNS)).take(positions)
    roles = pd.Categorical.from_codes(
        role_rank[sort].astype("int64"), dtype=pd.CategoricalDtype(list(ROLES))
    )
    monadic = {"actor_role": pd.Series(roles)}
    for slot, name in enumerate(MONADIC_COLUMNS[1:]):
        joined = pd.concat([values[slot] for _, _, values in parts], ignore_index=True)
        monadic[name] = joined.take(sort).reset_index(drop=True)
    for offset, name in enumerate(MONADIC_COLUMNS):
        out.insert(len(before) + offset, name, monadic[name].set_axis(out.index))
    assert list(out.columns) == [*before, *MONADIC_COLUMNS, *after]
    out.attrs = attrs
    out.attrs[_ATTR] = {name: df[name].dtype for name in ACTOR_COLUMNS}
    out.attrs["dyadic"] = False
    return out


def _without_attrs(df: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy without attrs: pandas compares attrs when it concatenates, and
    frames held in attrs (``reader_issues``) cannot be compared."""
    frame = df.copy(deep=False)
    frame.attrs = {}
    return frame


def _common_inter_dtype(first: pd.Series, second: pd.Series) -> Any:
    """One categorical dtype holding both columns' actor types (their union, sorted)."""
    labels = set()
    for values in (first, second):
        if isinstance(values.dtype, pd.CategoricalDtype):
            labels |= {str(label) for label in values.cat.categories}
        else:
            labels |= {str(label) for label in values.dropna().unique()}
    return pd.CategoricalDtype(sorted(labels))


def to_dyadic(df: pd.DataFrame, *, unpaired: str = "keep") -> pd.DataFrame:
    """One row per event again, from a monadic frame: the inverse of :func:`to_monadic`.

    Reads two layouts: :func:`to_monadic`'s (an ``actor_role`` column), and ACLED's
    monadic exports (one actor per row in ``actor1``, the event id repeated; what
    :func:`sahel_events.read_events` returns for them, ``attrs["dyadic"]`` False).
    ``to_dyadic(to_monadic(df))`` equals ``df``: values, dtypes, index and order.

    In ACLED's layout an event's first row becomes ``actor1`` and its second
    ``actor2`` (as acledR's ``acled_transform_wider(type = "api_monadic")``). An event
    is left unpaired when it has more than two rows, when its rows disagree on the
    event's other columns, when its actors' types do not make its ``interaction``,
    or when its interaction names two sides but only one row is present.

    Args:
        df: A monadic frame.
        unpaired: ``"keep"`` (default) keeps an unpaired event's rows as they are,
            one-sided; ``"drop"`` leaves them out; ``"raise"`` refuses the frame.

    Returns:
        Dyadic events with ``attrs["unpaired_events"]``: a frame of
        ``event_id_cnty``, ``rows`` (the index labels of its rows, ``;``-joined) and
        ``reason``, empty when every event paired.

    Raises:
        UsageError: The frame is neither layout, ``unpaired`` is unknown, or
            ``unpaired="raise"`` and some event could not be paired.
    """
    if unpaired not in ("keep", "drop", "raise"):
        raise UsageError(f"unpaired must be 'keep', 'drop' or 'raise', not {unpaired!r}")
    attrs = dict(df.attrs)
    df = _without_attrs(df)
    if _ATTR in attrs:
        df.attrs = {_ATTR: attrs[_ATTR]}
    if "actor_role" in df.columns:
        missing = [name for name in MONADIC_COLUMNS if name not in df.columns]
        if missing:
            raise UsageError(f"a monadic frame needs {', '.join(missing)}")
        out, problems = _from_roles(df)
    elif "actor1" in df.columns and "event_id_cnty" in df.columns:
        out, problems = _from_acled(df)
    else:
        raise UsageError(
            "to_dyadic needs a monadic frame: to_monadic's (actor_role, actor, ...) "
            "or ACLED's monadic export (actor1 per row, event_id_cnty repeated)"
        )
    if len(problems):
        if unpaired == "raise":
            first = problems.iloc[0]
            raise UsageError(
                f"{len(problems)} event(s) could not be paired, first {first['event_id_cnty']} "
                f"(rows {first['rows']}): {first['reason']}"
            )
        if unpaired == "drop":
            out = out[~out["event_id_cnty"].isin(problems["event_id_cnty"])]
    out = _without_attrs(out)
    out.attrs = {key: value for key, value in attrs.items() if key != _ATTR}
    if "missing_columns" in out.attrs:
        # Paired, the second side's columns are filled.
        out.attrs["missing_columns"] = [
            name for name in out.attrs["missing_columns"] if name not in ACTOR_COLUMNS
        ]
    out.attrs["dyadic"] = not (len(problems) and unpaired == "keep")
    out.attrs["unpaired_events"] = problems
    return out


def _problems(ids: pd.Series, labels: pd.Series, reason: str) -> pd.DataFrame:
    rows = (
        pd.Series(labels.astype(str).to_numpy()).groupby(ids.to_numpy(), sort=False).agg(";".join)
    )
    return pd.DataFrame(
        {"event_id_cnty": rows.index.astype(object), "rows": rows.to_numpy(), "reason": reason}
    )


def _restore(
    frame: pd.DataFrame, actors: dict[str, pd.Series], source: pd.DataFrame, at: int
) -> pd.DataFrame:
    """``frame`` with the dyadic actor columns inserted at position ``at``, in their dtypes."""
    dtypes = source.attrs.get(_ATTR) or {}
    canonical = vocabulary.pandas_dtypes()
    out = frame  # a new frame already (a take): filled in place
    for offset, name in enumerate(ACTOR_COLUMNS):
        values = actors[name].set_axis(frame.index)
        dtype = dtypes.get(name)
        if dtype is None:
            dtype = canonical[name]
            if dtype == "category":
                values = values.astype("object").astype("category")
                values = values.cat.reorder_categories(sorted(values.cat.categories))
                dtype = values.dtype
        out.insert(at + offset, name, values.astype(dtype))
    return out


def _same(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Positionwise: equal values, or both missing."""
    left = left.reset_index(drop=True)
    right = right.reset_index(drop=True)
    if isinstance(left.dtype, pd.CategoricalDtype) or isinstance(right.dtype, pd.CategoricalDtype):
        left, right = left.astype("object"), right.astype("object")
    equal = (left == right).fillna(False).to_numpy(dtype=bool)
    return equal | (left.isna().to_numpy() & right.isna().to_numpy())


def _from_roles(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Work on positions and single columns: copying the whole monadic frame is the cost.
    role = df["actor_role"]
    main_at = np.flatnonzero(role.isin(("actor1", "actor2")).to_numpy(dtype=bool))
    is_first = (role.take(main_at) == "actor1").to_numpy(dtype=bool)
    codes, uniques = pd.factorize(df["event_id_cnty"].take(main_at), use_na_sentinel=True)

    def labels(rows: np.ndarray) -> np.ndarray:
        return np.asarray(df.index[main_at[rows]].astype(str), dtype=object)

    problems = []
    if (codes < 0).any():
        problems.append(
            pd.DataFrame(
                {
                    "event_id_cnty": None,
                    "rows": labels(np.flatnonzero(codes < 0)),
                    "reason": "no event_id_cnty",
                }
            )
        )
    n_events = len(uniques)
    at = np.arange(len(main_at))
    pos = {}
    for rank, mask in ((1, is_first), (2, ~is_first)):
        chosen = mask & (codes >= 0)
        found = np.full(n_events, -1, dtype="int64")
        # Reversed, so that the first row of a role wins.
        found[codes[chosen][::-1]] = at[chosen][::-1]
        count = np.bincount(codes[chosen], minlength=n_events)
        if (count > 1).any():
            repeated = np.flatnonzero(chosen & (count[np.maximum(codes, 0)] > 1))
            problems.append(
                _problems(
                    pd.Series(uniques.take(codes[repeated])),
                    pd.Series(labels(repeated)),
                    f"more than one actor{rank} row",
                )
            )
        pos[rank] = found
    swap = pos[1] < 0
    chosen_at = main_at[np.where(swap, pos[2], pos[1])]
    swap_series = pd.Series(swap)

    def column(name: str, rows: np.ndarray) -> pd.Series:
        return df[name].take(rows).reset_index(drop=True)

    def pick(own: str, other: str) -> pd.Series:
        return column(own, chosen_at).where(~swap_series, column(other, chosen_at))

    actors = {
        "actor1": pick("actor", "other_actor"),
        "assoc_actor_1": pick("assoc_actor", "other_assoc_actor"),
        "inter1": pick("inter", "other_inter"),
        "actor2": pick("other_actor", "actor"),
        "assoc_actor_2": pick("other_assoc_actor", "assoc_actor"),
        "inter2": pick("other_inter", "inter"),
    }
    both = (pos[1] >= 0) & (pos[2] >= 0)
    if both.any():
        ones, twos = main_at[pos[1][both]], main_at[pos[2][both]]
        agree = np.ones(len(ones), dtype=bool)
        for own, other in (
            ("actor", "other_actor"),
            ("assoc_actor", "other_assoc_actor"),
            ("inter", "other_inter"),
        ):
            agree &= _same(column(own, ones), column(other, twos))
            agree &= _same(column(other, ones), column(own, twos))
        if not agree.all():
            rows = (
                pd.Series(df.index[ones[~agree]].astype(str))
                + ";"
                + pd.Series(df.index[twos[~agree]].astype(str))
            )
            problems.append(
                pd.DataFrame(
                    {
                        "event_id_cnty": uniques[both][~agree].astype(object),
                        "rows": rows.to_numpy(),
                        "reason": "the actor1 and actor2 rows disagree on the actors",
                    }
                )
            )
    position = df.columns.get_loc("actor_role")
    assert isinstance(position, int)
    frame = df.drop(columns=list(MONADIC_COLUMNS)).take(chosen_at)
    return _restore(frame, actors, df, position), _concat(problems)


def _concat(problems: Sequence[pd.DataFrame]) -> pd.DataFrame:
    if not problems:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in _UNPAIRED_COLUMNS})
    return pd.concat(problems, ignore_index=True).astype("object")


def _from_acled(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pair the rows of ACLED's monadic layout: an event's first row is actor1, its second actor2."""
    codes, uniques = pd.factorize(df["event_id_cnty"], use_na_sentinel=True)
    n = len(df)
    at = np.arange(n)
    known = codes >= 0
    size = np.bincount(codes[known], minlength=len(uniques))
    rank = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    row_size = np.where(known, size[np.maximum(codes, 0)], 0)
    reasons = np.full(n, None, dtype=object)
    reasons[~known] = "no event_id_cnty"
    reasons[known & (row_size > 2)] = "more than two rows share the id"
    one_sided = {label for code, label in vocabulary.INTERACTIONS.items() if code % 10 == 0}
    has_interaction = "interaction" in df.columns
    if has_interaction:
        interaction = df["interaction"].astype("object")
        two_sides = (interaction.notna() & ~interaction.isin(one_sided)).to_numpy(dtype=bool)
        reasons[known & (row_size == 1) & two_sides] = (
            "the interaction names two sides but the file has one row for it"
        )
    pairs = known & (row_size == 2)
    first = at[pairs & (rank == 0)]
    second_at = np.full(len(uniques), -1, dtype="int64")
    second_at[codes[pairs & (rank == 1)]] = at[pairs & (rank == 1)]
    second = second_at[codes[first]]
    event_columns = [
        name
        for name in df.columns
        if name not in ACTOR_COLUMNS and name not in ("data_id", "event_id_no_cnty")
    ]
    agree = np.ones(len(first), dtype=bool)
    for name in event_columns:
        agree &= _same(df[name].iloc[first], df[name].iloc[second])
    consistent = np.ones(len(first), dtype=bool)
    if has_interaction:
        type_code = {label: number for number, label in vocabulary.ACTOR_TYPES.items()}
        inter = df["inter1"].astype("object").map(type_code).to_numpy(dtype="float64")
        a, b = inter[first], inter[second]
        expected = (
            df["interaction"].astype("object").iloc[first].map(vocabulary._INTERACTION_BY_LABEL)
        ).to_numpy(dtype="float64")
        made = 10 * np.fmin(a, b) + np.fmax(a, b)
        consistent = np.isnan(expected) | (made == expected)
    for rows in (first, second):
        reasons[rows[~agree]] = "its rows disagree on the event's other columns"
        reasons[rows[agree & ~consistent]] = "its actors' types do not make its interaction"
    good = agree & consistent
    partner = np.full(n, -1, dtype="int64")
    partner[first[good]] = second[good]
    keep = np.ones(n, dtype=bool)
    keep[second[good]] = False
    out = df.iloc[np.flatnonzero(keep)].copy()
    partners = partner[keep]
    has = partners >= 0
    where = np.flatnonzero(has)
    for own, other in (
        ("actor1", "actor2"),
        ("assoc_actor_1", "assoc_actor_2"),
        ("inter1", "inter2"),
    ):
        values = df[own].iloc[partners[has]]
        current = (
            out[other].astype("object")
            if other in out.columns
            else pd.Series(None, index=out.index, dtype="object")
        )
        filled = current.to_numpy(copy=True)
        filled[where] = values.astype("object").to_numpy()
        column = pd.Series(filled, index=out.index)
        dtype = df[own].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            column = column.astype("category")
            column = column.cat.reorder_categories(sorted(column.cat.categories))
        else:
            column = column.astype(dtype)
        out[other] = column
    flagged = np.flatnonzero(pd.notna(reasons))
    if not len(flagged):
        return out, _concat([])
    report = pd.DataFrame(
        {
            "event_id_cnty": np.where(
                known[flagged], uniques.take(np.maximum(codes[flagged], 0)), None
            ),
            "label": df.index[flagged].astype(str),
            "reason": reasons[flagged],
            "group": np.where(known[flagged], codes[flagged], -1 - flagged),
        }
    )
    grouped = report.groupby("group", sort=False).agg(
        event_id_cnty=("event_id_cnty", "first"),
        rows=("label", ";".join),
        reason=("reason", "first"),
    )
    return out, _concat([grouped.reset_index(drop=True)])
