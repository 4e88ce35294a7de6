"""UCDP GED-style CSV through a documented crosswalk from ACLED's columns.

UCDP's Georeferenced Event Dataset (GED) counts lethal organised violence in three
types (state-based, non-state, one-sided); ACLED also records protests, riots and
strategic developments, and uses coarser precision scales. The crosswalk fills the
GED columns that ACLED's fields determine and leaves the others empty (UCDP's own
conflict, dyad and actor ids, ``active_year``, ``event_clarity``...). Every rule is
in docs/exports.md; the tables are :data:`WHERE_PREC`, :data:`DATE_PREC`,
``gleditsch_ward.csv`` beside this module, and :func:`type_of_violence`.

After GED's 49 columns come a few ``acled_*`` columns that keep what GED has no
place for (event and sub-event type, the precision codes, the notes), so that
:func:`read_ucdp` can bring most of an event back.
"""

from __future__ import annotations

import csv
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events.exc import UnreadableFileError
from sahel_events.export._common import ExportFormat, binary_sink, event_columns, is_stdout

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACLED_COLUMNS",
    "DATE_PREC",
    "FORMAT",
    "GED_COLUMNS",
    "WHERE_PREC",
    "gleditsch_ward",
    "read_ucdp",
    "to_ucdp",
    "to_ucdp_frame",
    "type_of_violence",
]

#: UCDP GED's 49 columns, in GED's order (acled-format.md §8).
GED_COLUMNS: tuple[str, ...] = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)

#: ACLED fields GED has no column for, kept after GED's columns.
ACLED_COLUMNS: tuple[str, ...] = (
    "acled_event_type",
    "acled_sub_event_type",
    "acled_time_precision",
    "acled_geo_precision",
    "acled_notes",
)

#: ACLED geo_precision -> GED where_prec. ACLED 1 is a named town (GED 1, exact
#: place); 2 is "near a town" or a small part of a region (GED 2, within about
#: 25 km of a known point); 3 is a larger part of a region represented by a
#: natural location or provincial capital (GED 4, first-order division).
WHERE_PREC: dict[int, int] = {1: 1, 2: 2, 3: 4}

#: ACLED time_precision -> GED date_prec. ACLED 2 is "sometime during a week or a
#: similar period" (GED 3, known to the week); ACLED 3 is "sometime during a month"
#: (GED 4, known to the month).
DATE_PREC: dict[int, int] = {1: 1, 2: 3, 3: 4}

#: Days either side of event_date that time_precision 2 stands for: ACLED records
#: the middle of the week as the date.
WEEK_HALF_SPAN = 3

_ARMED = ("State forces", "Rebel group", "Political militia", "Identity militia")
_STATE_LIKE = ("State forces", "External/Other forces")
_ORGANISED = ("Rebel group", "Political militia", "Identity militia")
# "Military Forces of Mali (2021-)", "Police Forces of the United States (2017-) ...".
_STATE_ACTOR = r"^(?:Mutiny of |Former )?(?:Military|Police) Forces of (?:the )?(.+?) \(|^Government of (?:the )?(.+?) \("


@cache
def gleditsch_ward() -> dict[str, tuple[int, str]]:
    """ACLED country name -> (Gleditsch-Ward number, UCDP region), from ``gleditsch_ward.csv``."""
    text = resources.files(__package__).joinpath("gleditsch_ward.csv").read_text(encoding="utf-8")
    return {
        row["country"]: (int(row["gwno"]), row["ucdp_region"])
        for row in csv.DictReader(text.splitlines())
    }


def type_of_violence(df: pd.DataFrame) -> pd.Series:
    """GED's type_of_violence (1 state-based, 2 non-state, 3 one-sided) or <NA>.

    - 3, one-sided: Violence against civilians by an armed actor1 (state forces,
      rebels, militias, external forces), or Excessive force against protesters
      with an armed actor on either side.
    - 1, state-based: a Battle or Explosion/Remote violence between state or external
      forces and another armed actor.
    - 2, non-state: a Battle or Explosion/Remote violence between two organised
      non-state groups (rebels, political or identity militias).
    - <NA> otherwise: protests, riots, strategic developments and one-sided strikes
      with no named target are outside GED's three types.
    """
    import numpy as np
    import pandas as pd

    event_type = df["event_type"].astype("object")
    sub_event_type = df["sub_event_type"].astype("object")
    inter1 = df["inter1"].astype("object")
    inter2 = df["inter2"].astype("object")
    armed = (*_ARMED, "External/Other forces")
    armed1, armed2 = inter1.isin(armed), inter2.isin(armed)
    fighting = event_type.isin(("Battles", "Explosions/Remote violence"))
    # ACLED's target of violence against civilians is always actor2; in excessive
    # force against protesters the protesters may come first.
    one_sided = ((event_type == "Violence against civilians") & armed1) | (
        (sub_event_type == "Excessive force against protesters") & (armed1 | armed2)
    )
    state_based = fighting & (
        (inter1.isin(_STATE_LIKE) & inter2.isin(_ARMED + _STATE_LIKE))
        | (inter2.isin(_STATE_LIKE) & inter1.isin(_ARMED + _STATE_LIKE))
    )
    non_state = fighting & inter1.isin(_ORGANISED) & inter2.isin(_ORGANISED)
    codes = np.select(
        [one_sided.to_numpy(bool), state_based.to_numpy(bool), non_state.to_numpy(bool)],
        [3, 1, 2],
        default=0,
    )
    return pd.Series(pd.array(codes, dtype="Int64"), index=df.index).where(codes > 0)


def _ged_datetime(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m-%d 00:00:00.000")


def to_ucdp_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The events in GED's 49 columns (then :data:`ACLED_COLUMNS`), by the crosswalk.

    Args:
        df: Events with ACLED's 31 current columns.

    Returns:
        One row per event, in the input's order; columns GED needs but ACLED cannot
        fill are empty (<NA>). ``date_start``/``date_end`` are text in GED's CSV form
        ``YYYY-MM-DD 00:00:00.000``.
    """
    import numpy as np
    import pandas as pd

    event_columns(df, with_provenance=False)  # refuses frames without ACLED's columns
    n = len(df)
    empty_text = pd.Series(pd.array([pd.NA] * n, dtype="str"), index=df.index)
    empty_int = pd.Series(pd.array([pd.NA] * n, dtype="Int64"), index=df.index)
    violence = type_of_violence(df)

    actor1 = df["actor1"].astype("str")
    actor2 = df["actor2"].astype("str")
    inter2 = df["inter2"].astype("object")
    # GED puts the government on side A of state-based violence and the perpetrator
    # on side A of one-sided violence; ACLED's actor order carries no such meaning.
    inter1 = df["inter1"].astype("object")
    armed = (*_ARMED, "External/Other forces")
    state_second = (
        (violence == 1) & inter2.isin(("State forces",)) & ~inter1.isin(("State forces",))
    )
    victim_first = (violence == 3) & ~inter1.isin(armed) & inter2.isin(armed)
    swap = (state_second | victim_first).fillna(False).to_numpy(bool)
    side_a = actor1.where(~swap, actor2)
    side_b = actor2.where(~swap, actor1)
    side_b = side_b.where(~(violence == 3).fillna(False).to_numpy(bool), side_b.fillna("Civilians"))

    table = gleditsch_ward()
    gwno = {name: code for name, (code, _) in table.items()}
    region = {name: ucdp_region for name, (_, ucdp_region) in table.items()}
    country = df["country"].astype("str")

    def side_gwno(side: pd.Series) -> pd.Series:
        extracted = side.str.extract(_STATE_ACTOR)
        name = extracted[0].fillna(extracted[1])
        return name.map(gwno).astype("Int64")

    time_precision = df["time_precision"].astype("Int64")
    event_date = df["event_date"]
    week = (time_precision == 2).fillna(False).to_numpy(bool)
    month = (time_precision == 3).fillna(False).to_numpy(bool)
    half = pd.Timedelta(days=WEEK_HALF_SPAN)
    start = event_date.where(~week, event_date - half)
    end = event_date.where(~week, event_date + half)
    start = start.where(~month, event_date.dt.to_period("M").dt.start_time)
    end = end.where(~month, event_date.dt.to_period("M").dt.end_time.dt.normalize())

    latitude = df["latitude"].astype("float64")
    longitude = df["longitude"].astype("float64")
    lat, lon = latitude.to_numpy(), longitude.to_numpy()
    # A cell only for a point on the globe: an infinite or out-of-range coordinate
    # (which validation reports) gets none, not the edge cell clipping would give.
    with np.errstate(all="ignore"):
        finite = np.isfinite(lat) & np.isfinite(lon)
        located = finite & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        row = np.clip(np.floor((lat + 90) * 2), 0, 359)
        col = np.clip(np.floor((lon + 180) * 2), 0, 719)
    gid = np.where(located, row * 720 + col + 1, np.nan)
    wkt = "POINT (" + longitude.astype("str") + " " + latitude.astype("str") + ")"

    source = df["source"].astype("str")
    fatalities = df["fatalities"].astype("Int64")
    out = {
        "id": empty_int,
        "relid": df["event_id_cnty"].astype("str"),
        "year": df["year"].astype("Int64"),
        "active_year": empty_int,
        "code_status": empty_text,
        "type_of_violence": violence,
        "conflict_dset_id": empty_int,
        "conflict_new_id": empty_int,
        "conflict_name": empty_text,
        "dyad_dset_id": empty_int,
        "dyad_new_id": empty_int,
        "dyad_name": empty_text,
        "side_a_dset_id": empty_int,
        "side_a_new_id": empty_int,
        "side_a": side_a,
        "side_b_dset_id": empty_int,
        "side_b_new_id": empty_int,
        "side_b": side_b,
        "number_of_sources": (source.str.count("; ") + 1).astype("Int64"),
        "source_article": source,
        "source_office": empty_text,
        "source_date": empty_text,
        "source_headline": empty_text,
        "source_original": empty_text,
        "where_prec": df["geo_precision"].astype("Int64").map(WHERE_PREC).astype("Int64"),
        "where_coordinates": df["location"].astype("str"),
        "where_description": df["location"].astype("str"),
        "adm_1": df["admin1"].astype("str"),
        "adm_2": df["admin2"].astype("str"),
        "latitude": latitude,
        "longitude": longitude,
        "geom_wkt": wkt.where(finite),
        "priogrid_gid": pd.Series(gid, index=df.index).astype("Int64"),
        "country": country,
        "country_id": country.map(gwno).astype("Int64"),
        "region": country.map(region).astype("str"),
        "event_clarity": empty_int,
        "date_prec": time_precision.map(DATE_PREC).astype("Int64"),
        "date_start": _ged_datetime(start),
        "date_end": _ged_datetime(end),
        "deaths_a": empty_int,
        "deaths_b": empty_int,
        "deaths_civilians": empty_int,
        # ACLED does not split fatalities by side: all are of unknown affiliation.
        "deaths_unknown": fatalities,
        "best": fatalities,
        # ACLED records the lowest, most conservative figure: a low estimate; the
        # high estimate is unknown.
        "high": empty_int,
        "low": fatalities,
        "gwnoa": side_gwno(side_a),
        "gwnob": side_gwno(side_b),
        "acled_event_type": df["event_type"].astype("str"),
        "acled_sub_event_type": df["sub_event_type"].astype("str"),
        "acled_time_precision": time_precision,
        "acled_geo_precision": df["geo_precision"].astype("Int64"),
        "acled_notes": df["notes"].astype("str"),
    }
    return pd.DataFrame(out, index=df.index)[list(GED_COLUMNS + ACLED_COLUMNS)]


def to_ucdp(
    df: pd.DataFrame, out: str | os.PathLike[str] = "-", *, ucdp_scope: bool = False
) -> Path | None:
    """Write events as UCDP GED-style CSV (GED's columns, then :data:`ACLED_COLUMNS`).

    Args:
        df: Events with ACLED's 31 current columns.
        out: The file to write (atomically), or ``"-"`` for standard output.
        ucdp_scope: Keep only events GED would count: a type of violence and at
            least one death.

    Returns:
        The path written, or None for standard output.
    """
    import pyarrow as pa

    from sahel_events._io import write_csv_table

    frame = to_ucdp_frame(df)
    if ucdp_scope:
        frame = frame[(frame["type_of_violence"].notna() & (frame["best"] > 0)).to_numpy(bool)]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with binary_sink(out) as handle:
        write_csv_table(table, handle)
    return None if is_stdout(out) else Path(out)


def read_ucdp(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Bring a file written by :func:`to_ucdp` back to ACLED's columns, as far as it can.

    Restored: event_id_cnty (from relid), event_date (start date for exact dates,
    the middle of the span for weeks; for months the start cannot say which day
    ACLED chose, so the 15th is used), year, time_precision and geo_precision (from
    the ``acled_*`` columns, else inverted from date_prec/where_prec), event and
    sub-event type, actor1/actor2 (in side order: a swapped state-based pair stays
    swapped), country, admin1, admin2, location, latitude, longitude, source,
    notes, fatalities. Everything else is absent or empty.

    Raises:
        UnreadableFileError: The file cannot be read or is not GED-style.
    """
    import pandas as pd

    from sahel_events._findings import FindingsCollector
    from sahel_events.read._headerless import ged_index_columns, ged_note

    source = Path(path)
    notes = FindingsCollector()
    try:
        first = _first_record(source)
        # Some GED Candidate releases come without their header row: read in GED's
        # order only when the first row's values show that order.
        skip = None if set(first) & set(GED_COLUMNS) else ged_index_columns(first)
        if skip is None:
            ged = pd.read_csv(source, dtype="str", keep_default_na=False, na_values=[""])
            first_line = 2
        else:
            names = ["row_number"] * skip + list(GED_COLUMNS)
            ged = pd.read_csv(
                source,
                header=None,
                names=names,
                dtype="str",
                keep_default_na=False,
                na_values=[""],
                encoding="utf-8-sig",
            ).drop(columns=["row_number"] * skip)
            notes.add_file("no_header_row", None, ged_note(first, skip))
            first_line = 1
    except (OSError, UnicodeDecodeError, csv.Error, pd.errors.ParserError) as error:
        raise UnreadableFileError(f"cannot read the GED-style file: {error}", path=source) from None
    missing = [name for name in ("relid", "date_start", "date_prec", "best") if name not in ged]
    if missing:
        raise UnreadableFileError(
            f"not a GED-style file: no {', '.join(missing)} column (and the first row is not"
            " a row of GED's 49 values, as in a file without its header row)",
            path=source,
        )
    start = pd.to_datetime(ged["date_start"].str.slice(0, 10), format="%Y-%m-%d")
    end = pd.to_datetime(ged["date_end"].str.slice(0, 10), format="%Y-%m-%d")
    if "acled_time_precision" in ged:
        time_precision = pd.to_numeric(ged["acled_time_precision"]).astype("Int64")
    else:
        inverse = {ged_code: acled for acled, ged_code in DATE_PREC.items()}
        time_precision = (
            pd.to_numeric(ged["date_prec"]).astype("Int64").map(inverse).astype("Int64")
        )
    if "acled_geo_precision" in ged:
        geo_precision = pd.to_numeric(ged["acled_geo_precision"]).astype("Int64")
    else:
        inverse = {ged_code: acled for acled, ged_code in WHERE_PREC.items()}
        geo_precision = (
            pd.to_numeric(ged["where_prec"]).astype("Int64").map(inverse).astype("Int64")
        )
    middle = start + (end - start) / 2
    event_date = start.where(time_precision.fillna(1).to_numpy() == 1, middle.dt.normalize())
    months = (time_precision == 3).fillna(False).to_numpy(bool)
    event_date = event_date.where(~months, start + pd.Timedelta(days=14))
    frame = pd.DataFrame(
        {
            "event_id_cnty": ged["relid"],
            "event_date": event_date.astype("datetime64[ns]"),
            "year": pd.to_numeric(ged["year"]).astype("Int64"),
            "time_precision": time_precision,
            "event_type": ged.get("acled_event_type"),
            "sub_event_type": ged.get("acled_sub_event_type"),
            "actor1": ged["side_a"],
            "actor2": ged["side_b"],
            "country": ged["country"],
            "admin1": ged["adm_1"],
            "admin2": ged["adm_2"],
            "location": ged["where_coordinates"],
            "latitude": pd.to_numeric(ged["latitude"]),
            "longitude": pd.to_numeric(ged["longitude"]),
            "geo_precision": geo_precision,
            "source": ged["source_article"],
            "notes": ged.get("acled_notes"),
            "fatalities": pd.to_numeric(ged["best"]).astype("Int64"),
        }
    )
    frame.index = pd.RangeIndex(first_line, first_line + len(frame), name="source_row")
    frame.attrs.update({"source_path": str(source), "file_format": "ucdp-ged"})
    if skip is not None:
        frame.attrs["reader_issues"] = notes.frame()
    return frame


def _first_record(path: Path) -> list[str]:
    """The first record of a CSV file (its header, or its first row when it has none)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


FORMAT = ExportFormat(
    name="ucdp",
    description="UCDP GED-style CSV through the crosswalk in docs/exports.md.",
    extension=".ucdp.csv",
    write=to_ucdp,
    read=read_ucdp,
    options=frozenset({"ucdp_scope"}),
)
