"""The value objects of a coding sheet: what a coder wrote, before the build resolves it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

__all__ = ["CodedEvent", "CodingSheet", "DateSpec", "LocationSpec"]


@dataclass(frozen=True)
class LocationSpec:
    """Where an event happened, as a query for the gazetteer.

    Attributes:
        query: A place name in any script, e.g. ``"باماكو"``.
        country: Optional ISO 3166-1 alpha-2 hint, e.g. ``"ML"``.
        name: The ``location`` column; None means the gazetteer's name.
        geo_precision: Optional override of the gazetteer's precision (1-3).
        latitude: Coordinates given by the coder (with ``longitude`` and
            ``reason``) for a place the gazetteer lacks; then the gazetteer is
            not asked and ``country`` is required.
        longitude: See ``latitude``.
        reason: Why these coordinates (the map or report they come from).
    """

    query: str
    country: str | None = None
    name: str | None = None
    geo_precision: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    reason: str | None = None

    @property
    def has_coordinates(self) -> bool:
        """Whether the coder gave the coordinates (the gazetteer is then not asked)."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class DateSpec:
    """When an event happened: an explicit date, or the source's own words.

    Exactly one of ``on`` and ``expression`` is set. ``precision`` is required
    with ``on`` and, with ``expression``, overrides the resolver's precision.

    Attributes:
        on: An explicit date.
        expression: A date expression relative to the source's publication
            date, e.g. ``"حتى يوم غد (السبت)"``; see :mod:`sahel_events.coding.dates`.
        precision: ACLED's time precision, 1 (day), 2 (week or similar), 3 (month).
        basis: Why this date, e.g. the other reports it comes from.
    """

    on: date | None = None
    expression: str | None = None
    precision: int | None = None
    basis: str | None = None


@dataclass(frozen=True)
class CodedEvent:
    """One event as coded in a sheet, before the build resolves it.

    Attributes:
        key: Stable slug, unique in its sheet; the event number derives from it.
        index: Position of the event in the sheet, from 0.
        event_type: One of ACLED's 6 event types.
        sub_event_type: One of the sub-event types of ``event_type``.
        actor1: An actor registry name, id or alias.
        assoc_actor_1: Associated actors of ``actor1``.
        actor2: The second actor, or None for a one-sided event.
        assoc_actor_2: Associated actors of ``actor2``.
        location: Where it happened.
        date: When it happened.
        fatalities: Reported fatalities (0 when unknown).
        civilian_targeting: Whether civilians were the main or only target.
        tags: ACLED-style structured tags.
        background: True for a past event the source recounts as context.
        notes: Short English description in ACLED's style.
        evidence: Verbatim quotes from the source.
        draft: True for an event suggested by :func:`sahel_events.coding.suggest`
            that no person has confirmed yet; the build refuses it.
    """

    key: str
    index: int
    event_type: str
    sub_event_type: str
    actor1: str
    location: LocationSpec
    date: DateSpec
    notes: str
    evidence: tuple[str, ...]
    assoc_actor_1: tuple[str, ...] = ()
    actor2: str | None = None
    assoc_actor_2: tuple[str, ...] = ()
    fatalities: int = 0
    civilian_targeting: bool = False
    tags: tuple[str, ...] = ()
    background: bool = False
    draft: bool = False


@dataclass(frozen=True)
class CodingSheet:
    """A loaded, schema-checked coding sheet.

    Attributes:
        path: The file it was read from.
        sheet_version: Format version (always :data:`SHEET_VERSION`).
        source: Id of the source it codes.
        coded_by: Who coded it.
        coded_on: When it was coded; gives the events' ``timestamp``.
        events: The coded events, in sheet order.
        draft: True while the sheet is a suggested draft (see
            :mod:`sahel_events.coding.suggest`); the build refuses it.
    """

    path: str
    sheet_version: int
    source: str
    coded_by: str
    coded_on: date
    events: tuple[CodedEvent, ...]
    draft: bool = False

    @property
    def timestamp(self) -> int:
        """``coded_on`` at 00:00 UTC as Unix seconds: the events' ``timestamp`` column."""
        midnight = datetime(
            self.coded_on.year, self.coded_on.month, self.coded_on.day, tzinfo=timezone.utc
        )
        return int(midnight.timestamp())
