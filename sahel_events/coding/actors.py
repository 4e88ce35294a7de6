"""The actor registry: ACLED-style actor names, their types and their aliases.

Coding sheets name actors the way sources do: «باريس», «المجلس العسكري في
مالي», "FAMa", "JNIM". The registry (``actors.yaml`` beside this module) maps
each of those to one ACLED-style name such as ``Government of France (2017-)``,
with the actor type ACLED gives it at home. :func:`inter_label` then applies
ACLED's rule that state forces acting outside their home state are coded
``External/Other forces``.

Look-ups try, in order, the actor's id, its ACLED name and its aliases. Names
and aliases are compared by :func:`actor_key` (:func:`sahel_events._text.actor_key`,
beside the library's other folds): after :func:`~sahel_events.coding.evidence.fold`
(case, accents, Arabic diacritics, tatweel, hamza and alef forms, ى/ي, ة/ه)
and with the Arabic article ال dropped from each word, so «الجيش المالي»,
«جيش مالي» and «الجَيْش المالي» find the same actor. An unknown name raises
:class:`UnknownActorError`, which is both a
:class:`~sahel_events.exc.CodingSheetError` (so the build reports it with its
sheet, event and field) and a :class:`LookupError` (as ``pycountry`` does).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

from sahel_events._text import actor_key, quote
from sahel_events.coding._yaml import load_yaml, parse_yaml
from sahel_events.exc import CodingSheetError, UnknownActorError
from sahel_events.vocabulary import ACTOR_TYPES

__all__ = [
    "EXTERNAL_FORCES",
    "STATE_FORCES",
    "Actor",
    "ActorRegistry",
    "UnknownActorError",
    "actor_key",
    "extended_registry",
    "inter_label",
    "load_registry",
]

STATE_FORCES = ACTOR_TYPES[1]
EXTERNAL_FORCES = ACTOR_TYPES[8]
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELDS = (
    "id",
    "name",
    "actor_type",
    "home_country",
    "active_from",
    "active_to",
    "aliases",
    "notes",
)


@dataclass(frozen=True)
class Actor:
    """One actor of the registry.

    Attributes:
        id: Slug, e.g. ``government-of-mali-2021``.
        name: ACLED-style name, written into the actor columns.
        actor_type: One of ACLED's 8 actor types, as the actor is coded at home.
        home_country: ISO 3166-1 alpha-2 code for state actors, else None.
        active_from: First year of the actor (of the regime), or None.
        active_to: Last year, or None while it lasts.
        aliases: Other names a sheet may use (English, French, Arabic).
        notes: Sources and doubts about the name.
    """

    id: str
    name: str
    actor_type: str
    home_country: str | None = None
    active_from: int | None = None
    active_to: int | None = None
    aliases: tuple[str, ...] = ()
    notes: str | None = None

    def active_in(self, year: int) -> bool:
        """Whether ``year`` falls within the actor's years (open ends always do)."""
        after_start = self.active_from is None or year >= self.active_from
        before_end = self.active_to is None or year <= self.active_to
        return after_start and before_end


def inter_label(actor: Actor, event_country_alpha2: str | None) -> str:
    """The ``inter1``/``inter2`` label of an actor in an event in a given country.

    ACLED codes state forces active outside their home state as
    ``External/Other forces``: ``Military Forces of France (2017-)`` is
    ``State forces`` in France and ``External/Other forces`` in Mali. Every
    other actor keeps its type.

    >>> france = Actor("fr", "Military Forces of France (2017-)", "State forces", "FR")
    >>> inter_label(france, "ML"), inter_label(france, "FR")
    ('External/Other forces', 'State forces')
    """
    if (
        actor.actor_type == STATE_FORCES
        and actor.home_country is not None
        and event_country_alpha2 is not None
        and actor.home_country.upper() != event_country_alpha2.upper()
    ):
        return EXTERNAL_FORCES
    return actor.actor_type


class ActorRegistry:
    """The actors coding sheets may name, looked up by id, name or alias.

    Args:
        actors: The actors; ids, names and every folded alias must be unambiguous.
        path: Where they were read from, for error messages.

    Raises:
        CodingSheetError: Two actors share an id, a name or an alias.
    """

    def __init__(self, actors: tuple[Actor, ...], *, path: str | None = None) -> None:
        self.actors = actors
        self.path = path
        self._by_id: dict[str, Actor] = {}
        self._by_key: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self._by_id:
                raise CodingSheetError(f"actor id {actor.id!r} is used twice", path=path)
            self._by_id[actor.id] = actor
        for actor in actors:
            for label in (actor.name, *actor.aliases):
                key = actor_key(label)
                other = self._by_key.get(key)
                if other is not None and other is not actor:
                    raise CodingSheetError(
                        f"{label!r} of {actor.name!r} reads the same as a name or alias of "
                        f"{other.name!r}: an alias must belong to one actor",
                        path=path,
                        event=actor.id,
                        field="aliases",
                    )
                self._by_key[key] = actor

    def lookup(self, name_or_alias: str, year: int | None = None) -> Actor:
        """Find an actor by id, ACLED name or alias, else by ACLED's name templates.

        Args:
            name_or_alias: What the sheet wrote.
            year: The event's year: a template without years (``Military
                Forces of Niger``) takes the regime of that year.

        Raises:
            UnknownActorError: Nothing matches; the message suggests close names.
        """
        actor = self.get(name_or_alias, year)
        if actor is not None:
            return actor
        close = difflib.get_close_matches(
            actor_key(name_or_alias), list(self._by_key), n=3, cutoff=0.6
        )
        suggestions = list(dict.fromkeys(self._by_key[key].name for key in close))
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        raise UnknownActorError(
            f"unknown actor {quote(name_or_alias)}: not an id, name or alias in the actor "
            f"registry ({self.path or 'actors.yaml'}) nor an ACLED name template such as "
            f"'Protesters (Burkina Faso)'; add it to a file given with --actors{hint}"
        )

    def get(self, name_or_alias: str, year: int | None = None) -> Actor | None:
        """Like :meth:`lookup`, but None when nothing matches.

        Raises:
            UnknownActorError: A template name whose country or years are wrong.
        """
        from sahel_events.coding.actor_templates import template_actor, template_for_phrase

        if not isinstance(name_or_alias, str):
            return None
        actor = self._by_id.get(name_or_alias.strip())
        if actor is not None:
            return actor
        actor = self._by_key.get(actor_key(name_or_alias))
        if actor is not None:
            return actor
        templated = template_for_phrase(name_or_alias, year) or template_actor(name_or_alias, year)
        if templated is None:
            return None
        # A template naming an actor the registry holds is that actor.
        return self._by_key.get(actor_key(templated.name), templated)

    def extended(self, other: ActorRegistry) -> ActorRegistry:
        """This registry with ``other``'s actors added; an actor of ``other`` with the
        id or the name of one of these replaces it.

        Raises:
            CodingSheetError: An alias of ``other`` reads as a name or alias of a
                different actor that it does not replace.
        """
        replaced_ids = {actor.id for actor in other.actors}
        replaced_names = {actor_key(actor.name) for actor in other.actors}
        kept = tuple(
            actor
            for actor in self.actors
            if actor.id not in replaced_ids and actor_key(actor.name) not in replaced_names
        )
        return ActorRegistry((*kept, *other.actors), path=other.path)

    def keys(self) -> dict[str, Actor]:
        """Every folded name and alias with its actor (for the suggester's look-up)."""
        return dict(self._by_key)

    def __contains__(self, name_or_alias: object) -> bool:
        return isinstance(name_or_alias, str) and self.get(name_or_alias) is not None

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors)

    def __len__(self) -> int:
        return len(self.actors)


def _actor(entry: Any, position: int, path: str) -> Actor:
    where = f"actor #{position + 1}"
    if not isinstance(entry, Mapping):
        raise CodingSheetError(f"{where} is not a mapping of fields", path=path)
    name_of_entry = entry.get("id") if isinstance(entry.get("id"), str) else where

    def problem(field: str, message: str) -> CodingSheetError:
        return CodingSheetError(message, path=path, event=name_of_entry, field=field)

    for field in entry:
        if field not in _FIELDS:
            raise problem(str(field), f"unknown field; allowed: {', '.join(_FIELDS)}")
    for field in ("id", "name", "actor_type"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            raise problem(field, "required text is missing")
    from sahel_events._text import find_control

    for label in (entry["name"], *[a for a in entry.get("aliases") or [] if isinstance(a, str)]):
        if find_control(label) is not None:
            raise problem("name", "holds a control character: names are stored in the dataset")
    if not _ID_PATTERN.match(entry["id"]):
        raise problem("id", f"{entry['id']!r} is not a slug of lower-case words joined by '-'")
    if entry["actor_type"] not in ACTOR_TYPES.values():
        raise problem(
            "actor_type",
            f"{entry['actor_type']!r} is not an ACLED actor type; expected one of: "
            + ", ".join(ACTOR_TYPES.values()),
        )
    home = entry.get("home_country")
    if home is not None and not _known_alpha2(home):
        raise problem("home_country", f"{home!r} is not an ISO 3166-1 alpha-2 country code")
    if entry["actor_type"] == STATE_FORCES and home is None:
        raise problem("home_country", "state forces need their home country")
    for field in ("active_from", "active_to"):
        value = entry.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise problem(field, f"expected a year or null, got {value!r}")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise problem("aliases", "expected a list of non-empty names")
    notes = entry.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise problem("notes", "expected text")
    return Actor(
        id=entry["id"],
        name=entry["name"],
        actor_type=entry["actor_type"],
        home_country=home,
        active_from=entry.get("active_from"),
        active_to=entry.get("active_to"),
        aliases=tuple(aliases),
        notes=notes,
    )


def _known_alpha2(code: Any) -> bool:
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
        return False
    import pycountry

    # XK (Kosovo) is user-assigned in ISO 3166 but used by ACLED.
    return code == "XK" or pycountry.countries.get(alpha_2=code) is not None


def load_registry(path: str | PathLike[str] | None = None) -> ActorRegistry:
    """Load an actor registry; default the package's ``actors.yaml``.

    The result is cached per path: the registry is read once per process.

    Raises:
        UnreadableFileError: The file is missing or unreadable.
        CodingSheetError: An entry is malformed, or two actors are ambiguous.
    """
    return _load(None if path is None else str(Path(path).resolve()))


def extended_registry(user_actors: str | PathLike[str] | None = None) -> ActorRegistry:
    """The shipped registry, extended (and overridden) by a user's own when given.

    What ``build`` and ``suggest`` use for their ``actors`` argument (``--actors FILE``).

    Raises:
        UnreadableFileError, CodingSheetError: As :func:`load_registry` does.
    """
    registry = load_registry()
    return registry if user_actors is None else registry.extended(load_registry(user_actors))


@cache
def _load(path: str | None) -> ActorRegistry:
    if path is None:
        resource = resources.files("sahel_events.coding").joinpath("actors.yaml")
        shown = str(resource)
        data = parse_yaml(resource.read_text(encoding="utf-8"), path=shown)
    else:
        shown = path
        data = load_yaml(path)
    if not isinstance(data, list):
        raise CodingSheetError("an actor registry is a list of actors", path=shown)
    actors = tuple(_actor(entry, position, shown) for position, entry in enumerate(data))
    names: dict[str, str] = {}
    for actor in actors:
        if actor.name in names:
            raise CodingSheetError(
                f"name {actor.name!r} is given to {names[actor.name]!r} and {actor.id!r}",
                path=shown,
            )
        names[actor.name] = actor.id
    return ActorRegistry(actors, path=shown)
