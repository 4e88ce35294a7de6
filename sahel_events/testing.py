"""Seeded synthetic events in ACLED's current format, for tests, benchmarks and demos.

The rows are invented: plausible vocabularies, actors and places in Mali,
Burkina Faso and Niger, but no event here happened and none comes from ACLED
(whose terms forbid redistributing its rows). The same seed gives the same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sahel_events import vocabulary

__all__ = ["BREAKAGES", "break_rows", "synthetic_events"]

# (country, admin1, location, latitude, longitude): real towns, so that coordinates
# fall inside their country.
_PLACES: tuple[tuple[str, str, str, float, float], ...] = (
    ("Mali", "Bamako", "Bamako", 12.6392, -8.0029),
    ("Mali", "Gao", "Gao", 16.2717, -0.0447),
    ("Mali", "Mopti", "Mopti", 14.4843, -4.1830),
    ("Mali", "Tombouctou", "Timbuktu", 16.7735, -3.0074),
    ("Mali", "Menaka", "Menaka", 15.9182, 2.4022),
    ("Mali", "Segou", "Segou", 13.4317, -6.2157),
    ("Burkina Faso", "Centre", "Ouagadougou", 12.3714, -1.5197),
    ("Burkina Faso", "Sahel", "Djibo", 14.1022, -1.6306),
    ("Burkina Faso", "Est", "Fada N'gourma", 12.0616, 0.3585),
    ("Niger", "Niamey", "Niamey", 13.5116, 2.1254),
    ("Niger", "Tillaberi", "Tillaberi", 14.2117, 1.4531),
    ("Niger", "Tahoua", "Tahoua", 14.8888, 5.2692),
)

# (actor, actor type) pairs used to draw actor1/actor2.
_ACTORS: tuple[tuple[str, str], ...] = (
    ("Military Forces of Mali (2021-)", "State forces"),
    ("Military Forces of Burkina Faso (2022-)", "State forces"),
    ("Military Forces of Niger (2023-)", "State forces"),
    ("JNIM: Group for Support of Islam and Muslims", "Rebel group"),
    ("Islamic State (Sahel)", "Rebel group"),
    ("Unidentified Armed Group (Mali)", "Political militia"),
    ("Dozo Communal Militia (Mali)", "Identity militia"),
    ("Rioters (Mali)", "Rioters"),
    ("Protesters (Mali)", "Protesters"),
    ("Civilians (Mali)", "Civilians"),
    ("Wagner Group", "External/Other forces"),
)

_SOURCE_SCALES = ("National", "Regional", "International", "Local partner-National", "New media")
_SOURCES = ("Studio Tamani", "AFP", "RFI", "Le Monde", "Xinhua", "Mali Web")


def synthetic_events(n: int, *, seed: int = 0, start_id: int = 1) -> pd.DataFrame:
    """``n`` valid events in the current format, with read_events' dtypes.

    Vectorised: a million rows take about a second.
    """
    rng = np.random.default_rng(seed)
    subs = vocabulary.SUB_EVENT_TYPES
    sub_choice = rng.integers(0, len(subs), n)
    event_type = np.array([row[0] for row in subs], dtype=object)[sub_choice]
    sub_event_type = np.array([row[1] for row in subs], dtype=object)[sub_choice]
    disorder_type = np.array([row[2] for row in subs], dtype=object)[sub_choice]

    place = rng.integers(0, len(_PLACES), n)
    places = np.array(_PLACES, dtype=object)
    country = places[place, 0]
    jitter = rng.uniform(-0.05, 0.05, (2, n))
    latitude = np.round(places[place, 3].astype(float) + jitter[0], 4)
    longitude = np.round(places[place, 4].astype(float) + jitter[1], 4)

    actors = np.array(_ACTORS, dtype=object)
    first = rng.integers(0, len(_ACTORS), n)
    second = rng.integers(0, len(_ACTORS), n)
    one_sided = rng.random(n) < 0.25
    # ACLED's plausibility rules: demonstrators come first in Protests and Riots, and the
    # civilians are actor2 in Violence against civilians.
    labels = [label for _name, label in _ACTORS]
    first = np.where(event_type == "Protests", labels.index("Protesters"), first)
    first = np.where(event_type == "Riots", labels.index("Rioters"), first)
    against_civilians = event_type == "Violence against civilians"
    second = np.where(against_civilians, labels.index("Civilians"), second)
    first = np.where(against_civilians & (first == labels.index("Civilians")), 0, first)
    one_sided &= ~against_civilians
    actor2 = np.where(one_sided, None, actors[second, 0])
    inter2 = np.where(one_sided, None, actors[second, 1])
    codes = {label: number for number, label in vocabulary.ACTOR_TYPES.items()}
    a = np.array([codes[label] for label in actors[:, 1]])[first]
    b = np.where(one_sided, 0, np.array([codes[label] for label in actors[:, 1]])[second])
    interaction_code = np.where(b == 0, 10 * a, 10 * np.minimum(a, b) + np.maximum(a, b))
    interaction = pd.Series(interaction_code).map(vocabulary.INTERACTIONS).to_numpy()

    days = rng.integers(0, 365 * 6, n)
    event_date = pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")
    targets_civilians = (event_type == "Violence against civilians") & (rng.random(n) < 0.8)
    prefix = pd.Series(country).map({c.name: c.prefix for c in vocabulary.countries()})
    ids = prefix + pd.Series(np.arange(start_id, start_id + n)).astype(str)
    country_table = {c.name: c for c in vocabulary.countries()}

    frame = pd.DataFrame(
        {
            "event_id_cnty": ids.to_numpy(),
            "event_date": event_date.to_numpy(dtype="datetime64[ns]"),
            "year": event_date.year.to_numpy(),
            "time_precision": rng.choice([1, 1, 1, 2, 3], n),
            "disorder_type": disorder_type,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actor1": actors[first, 0],
            "assoc_actor_1": np.where(  # type: ignore[call-overload]  # numpy stubs reject None
                rng.random(n) < 0.1, "Civilians (Mali)", None
            ),
            "inter1": actors[first, 1],
            "actor2": actor2,
            "assoc_actor_2": None,
            "inter2": inter2,
            "interaction": interaction,
            "civilian_targeting": np.where(  # type: ignore[call-overload]  # numpy stubs reject None
                targets_civilians, vocabulary.CIVILIAN_TARGETING, None
            ),
            "iso": pd.Series(country).map({k: v.iso for k, v in country_table.items()}).to_numpy(),
            "region": pd.Series(country)
            .map({k: v.region for k, v in country_table.items()})
            .to_numpy(),
            "country": country,
            "admin1": places[place, 1],
            "admin2": None,
            "admin3": None,
            "location": places[place, 2],
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": rng.choice([1, 1, 2, 3], n),
            "source": np.array(_SOURCES, dtype=object)[rng.integers(0, len(_SOURCES), n)],
            "source_scale": np.array(_SOURCE_SCALES, dtype=object)[
                rng.integers(0, len(_SOURCE_SCALES), n)
            ],
            "notes": "Synthetic event generated for testing; it describes nothing that happened.",
            "fatalities": np.where(
                np.isin(sub_event_type, ["Peaceful protest", "Protest with intervention"]),
                0,
                rng.poisson(1.5, n),
            ),
            "tags": None,
            # Uploaded one to thirty days after the event, as ACLED uploads weekly.
            "timestamp": event_date.to_numpy(dtype="datetime64[s]").astype(np.int64)
            + rng.integers(86_400, 30 * 86_400, n),
        }
    )
    frame = frame.astype(vocabulary.pandas_dtypes())
    frame.index = pd.RangeIndex(1, n + 1, name="source_row")
    return frame


#: How :func:`break_rows` breaks a row, by the check that should catch it.
BREAKAGES: tuple[str, ...] = (
    "known_event_type",
    "sub_event_type_matches_event_type",
    "interaction_matches_actor_types",
    "year_matches_event_date",
    "is_precision_code",
    "is_non_negative",
    "is_latitude",
    "iso_matches_country",
    "missing_value",
    "is_event_id",
)


def break_rows(frame: pd.DataFrame, fraction: float, *, seed: int = 1) -> pd.DataFrame:
    """A copy of ``frame`` with ``fraction`` of its rows broken, each in one of :data:`BREAKAGES`' ways.

    Each broken row breaks exactly one rule, so a validator should report each once.
    """
    rng = np.random.default_rng(seed)
    broken = frame.copy()
    n_broken = round(len(frame) * fraction)
    rows = np.sort(rng.choice(len(frame), n_broken, replace=False))
    kind = rng.integers(0, len(BREAKAGES), n_broken)
    for number, name in enumerate(BREAKAGES):
        positions = rows[kind == number]
        if not len(positions):
            continue
        labels = broken.index[positions]
        if name == "known_event_type":
            broken["event_type"] = broken["event_type"].cat.add_categories(["Battle"])
            broken.loc[labels, "event_type"] = "Battle"
        elif name == "sub_event_type_matches_event_type":
            # Arrests belongs to Strategic developments; make the event a Battle instead
            # (a Riot would also break protests_by_protesters).
            broken.loc[labels, ["event_type", "sub_event_type", "disorder_type"]] = [
                "Battles",
                "Arrests",
                "Strategic developments",
            ]
            broken.loc[labels, "civilian_targeting"] = None
        elif name == "interaction_matches_actor_types":
            # The interaction names Rebel group where actor2 is Civilians. The event becomes a
            # battle: a protest by State forces would also break protests_by_protesters.
            broken.loc[labels, ["event_type", "sub_event_type", "disorder_type"]] = [
                "Battles",
                "Armed clash",
                "Political violence",
            ]
            broken.loc[labels, "civilian_targeting"] = None
            broken.loc[labels, ["inter1", "inter2", "actor2", "interaction"]] = [
                "State forces",
                "Civilians",
                "Civilians (Mali)",
                "State forces-Rebel group",
            ]
        elif name == "year_matches_event_date":
            broken.loc[labels, "year"] = broken.loc[labels, "year"] + 1
        elif name == "is_precision_code":
            broken.loc[labels, "geo_precision"] = 4
        elif name == "is_non_negative":
            broken.loc[labels, "fatalities"] = -1
        elif name == "is_latitude":
            # Out of range; keep it far from any country so only this rule fires.
            broken.loc[labels, "latitude"] = 123.0
        elif name == "iso_matches_country":
            broken.loc[labels, "iso"] = 999
        elif name == "missing_value":
            broken.loc[labels, "actor1"] = None
        elif name == "is_event_id":
            broken.loc[labels, "event_id_cnty"] = "X" + broken.loc[labels, "event_id_cnty"]
    return broken
