"""ACLED's actor name templates, for every country, with regime years from a table.

ACLED names state actors per regime and generic actors per country (the
codebook; see docs/coding.md, "Actor names")::

    Government of {country} ({years})        State forces
    Military Forces of {country} ({years})   State forces
    Police Forces of {country} ({years})     State forces
    Civilians ({country})                    Civilians
    Protesters ({country})                   Protesters
    Rioters ({country})                      Rioters
    Unidentified Armed Group ({country})     Political militia

A coding sheet may write any of these for any country ACLED names
(:func:`sahel_events.vocabulary.country_lookup` forms are accepted and the
ACLED spelling is written). The years may be left out: ``Military Forces of
Niger`` in an event of 2024 becomes ``Military Forces of Niger (2023-)`` from
the regime table ``regimes.yaml``. Years that are written must be one of the
table's periods for that country. Everyday phrases for the state actors of the
Sahel (``armée burkinabè``, ``Nigerien soldiers``, «الجيش التشادي») are
aliases of the templates (:data:`PHRASES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sahel_events.exc import UnknownActorError

if TYPE_CHECKING:
    from sahel_events.coding.actors import Actor

__all__ = ["PHRASES", "Regime", "regimes", "template_actor", "template_for_phrase"]

_STATE_ROLES = {"Government": "State forces", "Military Forces": "State forces"}
_STATE_ROLES["Police Forces"] = "State forces"
_GROUP_ROLES = {
    "Civilians": "Civilians",
    "Protesters": "Protesters",
    "Rioters": "Rioters",
    "Unidentified Armed Group": "Political militia",
}
_STATE = re.compile(
    r"^(?P<role>Government|Military Forces|Police Forces) of (?P<country>[^()]+?)"
    r"(?: ?\( ?(?P<start>[0-9]{4}) ?- ?(?P<end>[0-9]{4})? ?\))?$",
    re.IGNORECASE,
)
_GROUP = re.compile(
    r"^(?P<role>Civilians|Protesters|Rioters|Unidentified Armed Group) ?\( ?(?P<country>[^()]+?) ?\)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Regime:
    """One regime period of a country's state actors.

    Attributes:
        start: First year, as in ``(2021-)``.
        end: Last year, or None while it lasts.
        confirmed: Whether the period's string was seen in ACLED data.
        why: The head of state or event that opens the period.
    """

    start: int
    end: int | None
    confirmed: bool
    why: str

    @property
    def years(self) -> str:
        """The years as ACLED writes them: ``2021-`` or ``2013-2020``."""
        return f"{self.start}-{self.end or ''}"

    def covers(self, year: int) -> bool:
        """Whether an event of ``year`` falls in this period (the start year included)."""
        return self.start <= year and (self.end is None or year <= self.end)


@cache
def regimes() -> dict[str, tuple[Regime, ...]]:
    """The regime table ``regimes.yaml``: alpha-2 code -> periods, oldest first."""
    from sahel_events.coding._yaml import parse_yaml

    resource = resources.files("sahel_events.coding").joinpath("regimes.yaml")
    data = parse_yaml(resource.read_text(encoding="utf-8"), path=str(resource))
    return {
        code: tuple(
            Regime(int(p["from"]), p["to"], bool(p["confirmed"]), str(p["why"])) for p in periods
        )
        for code, periods in data.items()
    }


def _regime_for(alpha2: str, year: int | None, name: str) -> Regime:
    periods = regimes().get(alpha2)
    if not periods:
        raise UnknownActorError(
            f"no regime years are known for the country of {name!r}: write them out, "
            "e.g. 'Military Forces of Kenya (2022-)', or register the actor with --actors"
        )
    if year is None:
        return periods[-1]
    # At a change of regime ACLED's two periods share the year; the later one wins.
    covering = [period for period in periods if period.covers(year)]
    if not covering:
        raise UnknownActorError(
            f"no regime of the table covers {year} for {name!r}; write the years out"
        )
    return covering[-1]


def template_actor(name: str, year: int | None = None) -> Actor | None:
    """The actor a template name stands for, or None when ``name`` is not a template.

    Args:
        name: e.g. ``Military Forces of Niger``, ``Protesters (Burkina Faso)``,
            ``Government of Mali (2013-2020)``.
        year: The event's year, to choose the regime when no years are written.

    Raises:
        UnknownActorError: The country is unknown, or written years are not a
            period of the regime table.

    >>> template_actor("Military Forces of Niger", 2024).name
    'Military Forces of Niger (2023-)'
    >>> template_actor("protesters (burkina faso)").actor_type
    'Protesters'
    """
    from sahel_events.coding.actors import Actor
    from sahel_events.vocabulary import country_lookup

    text = " ".join(name.split())
    state = _STATE.match(text)
    group = None if state else _GROUP.match(text)
    found = state or group
    if found is None:
        return None
    try:
        country = country_lookup(found["country"])
    except LookupError:
        raise UnknownActorError(
            f"{name!r} follows ACLED's pattern, but {found['country']!r} is not a country "
            "ACLED names"
        ) from None
    if group is not None:
        role = next(r for r in _GROUP_ROLES if r.casefold() == found["role"].casefold())
        return Actor(
            id=f"{_slug(role)}-{country.alpha2.lower()}",
            name=f"{role} ({country.name})",
            actor_type=_GROUP_ROLES[role],
            notes="ACLED's generic actor pattern (CONFIRMED in the codebook).",
        )
    role = next(r for r in _STATE_ROLES if r.casefold() == found["role"].casefold())
    if found["start"] is not None:
        start = int(found["start"])
        end = int(found["end"]) if found["end"] else None
        periods = regimes().get(country.alpha2, ())
        if periods and not any(p.start == start and p.end == end for p in periods):
            listed = ", ".join(f"({p.years})" for p in periods)
            raise UnknownActorError(
                f"{name!r}: ({start}-{end or ''}) is not a regime period of {country.name} "
                f"in the regime table; its periods are {listed}"
            )
        years = f"{start}-{end or ''}"
    else:
        regime = _regime_for(country.alpha2, year, name)
        start, end, years = regime.start, regime.end, regime.years
    return Actor(
        id=f"{_slug(role)}-{country.alpha2.lower()}-{start}",
        name=f"{role} of {country.name} ({years})",
        actor_type=_STATE_ROLES[role],
        home_country=country.alpha2,
        active_from=start,
        active_to=end,
        notes="ACLED's regime-year pattern with years from regimes.yaml.",
    )


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


#: Everyday phrases for state actors of the Sahel and its neighbours, by
#: (role, country code). Each is an alias of the template; the explicit
#: registry (actors.yaml, a user's --actors file) is tried first.
_ADJECTIVES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # code: (English adjectives, French (masc. sing., fem. sing., masc. pl., fem. pl.), Arabic m/f)
    "ML": (("Malian",), ("malien", "malienne", "maliens", "maliennes"), ("المالي", "المالية")),
    "BF": (
        ("Burkinabe", "Burkinabè"),
        ("burkinabè", "burkinabè", "burkinabè", "burkinabè"),
        ("البوركيني", "البوركينية"),
    ),
    "NE": (
        ("Nigerien",),
        ("nigérien", "nigérienne", "nigériens", "nigériennes"),
        ("النيجري", "النيجرية"),
    ),
    "TD": (
        ("Chadian",),
        ("tchadien", "tchadienne", "tchadiens", "tchadiennes"),
        ("التشادي", "التشادية"),
    ),
    "GN": (("Guinean",), ("guinéen", "guinéenne", "guinéens", "guinéennes"), ("الغيني", "الغينية")),
    "MR": (
        ("Mauritanian",),
        ("mauritanien", "mauritanienne", "mauritaniens", "mauritaniennes"),
        ("الموريتاني", "الموريتانية"),
    ),
    "NG": (
        ("Nigerian",),
        ("nigérian", "nigériane", "nigérians", "nigérianes"),
        ("النيجيري", "النيجيرية"),
    ),
}


def _phrases() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for code, (english, french, arabic) in _ADJECTIVES.items():
        masc, fem, masc_pl, fem_pl = french
        ar_m, ar_f = arabic
        military = "Military Forces"
        for adjective in english:
            for noun in ("army", "armed forces", "military", "soldiers", "troops", "forces"):
                table[f"{adjective} {noun}"] = (military, code)
            for noun in ("government", "authorities", "junta"):
                table[f"{adjective} {noun}"] = ("Government", code)
            table[f"{adjective} police"] = ("Police Forces", code)
            table[f"{adjective} gendarmerie"] = ("Police Forces", code)
        for phrase in (f"armée {fem}", f"forces armées {fem_pl}", f"soldats {masc_pl}"):
            table[phrase] = (military, code)
        table[f"militaires {masc_pl}"] = (military, code)
        for phrase in (f"gouvernement {masc}", f"autorités {fem_pl}", f"junte {fem}"):
            table[phrase] = ("Government", code)
        for phrase in (f"police {fem}", f"gendarmerie {fem}"):
            table[phrase] = ("Police Forces", code)
        for phrase in (f"الجيش {ar_m}", f"القوات المسلحة {ar_f}", f"القوات {ar_f}"):
            table[phrase] = (military, code)
        for phrase in (f"الحكومة {ar_f}", f"السلطات {ar_f}", f"المجلس العسكري {ar_m}"):
            table[phrase] = ("Government", code)
        for phrase in (f"الشرطة {ar_f}", f"الدرك {ar_m}"):
            table[phrase] = ("Police Forces", code)
    return table


#: phrase -> (template role, alpha-2 code).
PHRASES: dict[str, tuple[str, str]] = _phrases()


@cache
def _phrase_index() -> dict[str, tuple[str, str]]:
    from sahel_events.coding.actors import actor_key

    return {actor_key(phrase): target for phrase, target in PHRASES.items()}


def template_for_phrase(phrase: str, year: int | None = None) -> Actor | None:
    """The template actor an everyday phrase names (``armée nigérienne``), or None."""
    from sahel_events.coding.actors import actor_key
    from sahel_events.vocabulary import country_lookup

    target = _phrase_index().get(actor_key(phrase))
    if target is None:
        return None
    role, code = target
    return template_actor(f"{role} of {country_lookup(code).name}", year)
