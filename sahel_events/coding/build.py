"""Build the event dataset from source texts and their coding sheets.

The build reads every coding sheet (``<source_id>.yaml``) of a folder, finds
the source text each sheet names, and turns each coded event into one row of
ACLED's current format plus the project's provenance columns:

* each evidence quote must occur in the source text (after Unicode and
  whitespace normalisation); its code-point offsets are recorded;
* the date is resolved by ACLED's rules (``sahel_events.coding.dates``);
* the place is geocoded offline (``sahel_events.geo``): coordinates, country,
  admin1 and spatial precision;
* year, iso, region, inter codes and interaction are derived, never typed in;
* ``event_id_cnty`` is ACLED's country prefix and a number derived from the
  source id and the event key only, so adding events never renumbers others;
* ``timestamp`` is the sheet's ``coded_on`` date, never the clock.

Every problem of every sheet is collected before the build fails, each naming
the sheet, the event and the field; nothing is written unless all events pass
:class:`sahel_events.schema.CodedEventSchema`. The same inputs always give the
same bytes.

>>> from sahel_events import build
>>> result = build(out_dir="build")          # doctest: +SKIP
>>> result.path, len(result.frame)           # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events import vocabulary
from sahel_events.exc import (
    BuildError,
    CodingSheetError,
    OutputError,
    SahelEventsError,
    UsageError,
)

if TYPE_CHECKING:
    import pandas as pd

    from sahel_events.coding.actors import Actor, ActorRegistry
    from sahel_events.coding.dates import ResolvedDate
    from sahel_events.coding.models import CodedEvent, CodingSheet
    from sahel_events.coding.places import UserPlaces
    from sahel_events.coding.sources import Source

__all__ = [
    "DEFAULT_FILENAME",
    "BuildResult",
    "BuildSummary",
    "build",
    "build_frame",
    "event_number",
    "evidence_coverage",
    "packaged_codings_dir",
    "packaged_sources_dir",
]

#: Name of the built file inside the output folder.
DEFAULT_FILENAME = "events.parquet"

#: Event numbers have exactly this many digits. ACLED's own numbers for the
#: Sahel's countries are far below ten million, so an id of ours is never
#: mistaken for one of ACLED's.
EVENT_NUMBER_DIGITS = 8

#: Wire agencies whose reporting ACLED's ``source_scale`` calls International.
INTERNATIONAL_AGENCIES = frozenset({"AFP", "AP", "Reuters", "Anadolu", "Xinhua", "EFE", "DPA"})

_SHEET_SUFFIXES = (".yaml", ".yml")


# --- Results -----------------------------------------------------------------------


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced, for people: counts, dates, places and evidence.

    Attributes:
        events: Number of events (rows).
        background_events: Events flagged as background (past context).
        by_type: ``(event_type, sub_event_type, count)``, most frequent first.
        first_date: Earliest event date, ISO format.
        last_date: Latest event date, ISO format.
        current_first_date: Earliest date of the non-background events (or None).
        current_last_date: Latest date of the non-background events (or None).
        places: ``(location, country, count)``, most frequent first.
        sources: Number of source texts coded.
        evidence_quotes: Number of evidence quotes across all events.
        evidence_coverage: Share of the source texts' characters (code points)
            covered by at least one evidence quote, between 0 and 1.
        path: The written file (None before writing).
        sha256: SHA-256 of the written file (None before writing).
    """

    events: int
    background_events: int
    by_type: tuple[tuple[str, str, int], ...]
    first_date: str | None
    last_date: str | None
    current_first_date: str | None
    current_last_date: str | None
    places: tuple[tuple[str, str, int], ...]
    sources: int
    evidence_quotes: int
    evidence_coverage: float
    path: str | None = None
    sha256: str | None = None

    def to_text(self) -> str:
        """The summary as plain text, one fact per line, without terminal control sequences.

        Place names and types come from contributed sheets: an escape sequence
        in one must not reach the terminal, piped or not.
        """
        from sahel_events._text import strip_terminal

        lines = [
            f"events: {self.events} ({self.events - self.background_events} current, "
            f"{self.background_events} background) from {self.sources} source(s)",
            f"dates: {self.first_date} to {self.last_date}"
            + (
                f" (current events {self.current_first_date} to {self.current_last_date})"
                if self.current_first_date
                else ""
            ),
            "by type:",
            *(f"  {count:>4}  {event} / {sub}" for event, sub, count in self.by_type),
            "places:",
            *(f"  {count:>4}  {place} ({country})" for place, country, count in self.places),
            f"evidence: {self.evidence_quotes} quotes covering "
            f"{self.evidence_coverage:.1%} of the source text",
        ]
        if self.path is not None:
            lines.append(f"written: {self.path}")
            lines.append(f"sha256: {self.sha256}")
        return "\n".join(strip_terminal(line) for line in lines)


@dataclass(frozen=True)
class BuildResult:
    """The outcome of :func:`build`.

    Attributes:
        frame: The events, validated, in canonical dtypes.
        path: The written Parquet file.
        summary: Counts and checks for people (see :class:`BuildSummary`).
    """

    frame: pd.DataFrame
    path: Path
    summary: BuildSummary


@dataclass
class _Problems:
    """Errors collected across sheets, so that a user sees all of them at once."""

    errors: list[SahelEventsError] = field(default_factory=list)

    def add(self, error: SahelEventsError, *, path: Path, event: str | None, field: str) -> None:
        # Keep the most precise location: a lower layer may already know the field.
        error.path = error.path or str(path)
        error.event = error.event if error.event is not None else event
        error.field = error.field or field or None
        self.errors.append(error)


# --- Packaged inputs -----------------------------------------------------------------


def packaged_sources_dir() -> Path:
    """The source texts of the default shipped dataset (``sahel_events.datasets.sources_dir``)."""
    from sahel_events.datasets import sources_dir

    return sources_dir()


def packaged_codings_dir() -> Path:
    """The coding sheets of the default shipped dataset (``sahel_events.datasets.sheets_dir``)."""
    from sahel_events.datasets import sheets_dir

    return sheets_dir()


# --- Derived values --------------------------------------------------------------------


def event_number(source_id: str, key: str) -> int:
    """The number of an event's ``event_id_cnty``, derived from its source and key only.

    The first eight bytes of ``sha256("<source_id>/<key>")`` are reduced to an
    eight-digit number without a leading zero. Nothing else enters the hash, so
    adding, removing or reordering other events never changes an id.

    >>> event_number("afp-20250919-france-mali-crisis", "coup-of-august-2020")
    98023517
    """
    digest = hashlib.sha256(f"{source_id}/{key}".encode()).digest()
    low = 10 ** (EVENT_NUMBER_DIGITS - 1)
    return low + int.from_bytes(digest[:8], "big") % (9 * low)


def evidence_coverage(text_length: int, spans: Iterable[tuple[int, int]]) -> float:
    """Share of a text's code points inside at least one ``(start, end)`` span."""
    if text_length <= 0:
        return 0.0
    covered = 0
    reach = 0
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return covered / text_length


def _source_column(source: Source) -> tuple[str, str]:
    """ACLED's ``source`` and ``source_scale`` for a source's agency and outlet."""
    agency = source.agency
    outlet: str | None = source.outlet
    # Metadata must name the outlet even when it is not known ("unknown ...");
    # ACLED's source column lists named publishers only.
    if outlet and outlet.casefold().startswith("unknown"):
        outlet = None
    names = [name for name in (agency, outlet) if name]
    if not names:
        return "Unknown", "Other"
    scale = "International" if agency in INTERNATIONAL_AGENCIES else "Other"
    return "; ".join(names), scale


# --- Adapters to the coding library ------------------------------------------------------


def _sheet_paths(codings_dir: Path) -> list[Path]:
    if not codings_dir.is_dir():
        raise UsageError("the coding sheet folder does not exist", path=codings_dir)
    paths = sorted(
        # Not only regular files: a FIFO or device named *.yaml is refused by the
        # loader with a message, not skipped in silence.
        path
        for path in codings_dir.iterdir()
        if path.suffix in _SHEET_SUFFIXES and not path.is_dir()
    )
    if not paths:
        raise UsageError("no coding sheets (*.yaml) in this folder", path=codings_dir)
    return paths


def _load_source(source_id: str, sources_dir: Path, sheet_path: Path) -> Source:
    from sahel_events._io import safe_child_path
    from sahel_events.coding.sheet import SOURCE_ID_PATTERN
    from sahel_events.coding.sources import load_source

    if not isinstance(source_id, str) or not re.match(SOURCE_ID_PATTERN, source_id):
        raise CodingSheetError(
            f"source id {source_id!r} is not a slug of a-z, 0-9, '.', '_' and '-'",
            path=sheet_path,
            field="source",
        )
    # The id comes from the sheet: the file it names must stay inside the folder.
    text_path = safe_child_path(sources_dir, f"{source_id}.txt", column="source")
    if not text_path.is_file():
        raise CodingSheetError(
            f"the sheet names source {source_id!r}, but there is no {text_path}",
            path=sheet_path,
            field="source",
        )
    return load_source(source_id, sources_dir=sources_dir)


# --- Coding one event ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """Where an event happened, from the sheet's coordinates, a user's places or the gazetteer."""

    latitude: float
    longitude: float
    alpha2: str
    admin1: str | None
    name: str
    geo_precision: int


@dataclass
class _EventCoder:
    """Codes one event in steps, each recording its problems with the event's field.

    Every step runs even when an earlier one failed, so that a coder sees all
    of an event's problems at once; :meth:`row` returns None if any was found.
    """

    event: CodedEvent
    sheet: CodingSheet
    sheet_path: Path
    source: Source
    registry: ActorRegistry
    places: UserPlaces | None
    problems: _Problems

    def fail(self, error: SahelEventsError, field: str) -> None:
        self.problems.add(error, path=self.sheet_path, event=self.event.key, field=field)

    def row(self) -> dict[str, Any] | None:
        """The event as a row of the dataset, or None after recording its problems."""
        before = len(self.problems.errors)
        offsets = self.evidence()  # an event not supported by its source is not an event
        resolved = self.when()
        place = self.where(resolved.date.isoformat() if resolved is not None else None)
        year = resolved.date.year if resolved is not None else None
        actors, associated = self.actors(year)
        self.check_types()
        country = self.country(place) if place is not None else None
        self.check_stored_text(place)
        if len(self.problems.errors) > before or None in (place, resolved, country):
            return None
        assert place is not None and resolved is not None and country is not None
        return self.assemble(offsets, resolved, place, country, actors, associated)

    def evidence(self) -> list[tuple[int, int]]:
        from sahel_events.coding.evidence import match_evidence

        try:
            return [
                (start, end) for start, end in match_evidence(self.source.text, self.event.evidence)
            ]
        except SahelEventsError as error:
            self.fail(error, "evidence")
            return []

    def when(self) -> ResolvedDate | None:
        from sahel_events.coding.dates import resolve_date

        try:
            return resolve_date(self.event.date, self.source.published)
        except SahelEventsError as error:
            self.fail(error, "date")
            return None

    def where(self, on: str | None = None) -> _Place | None:
        """Where the event happened; admin units named in the query are those in force
        ``on`` the event's date."""
        location = self.event.location
        try:
            if location.has_coordinates:
                return self._given_place()
            if self.places is not None:
                user = self.places.lookup(location.query, location.country)
                if user is not None:
                    return _Place(
                        user.latitude,
                        user.longitude,
                        user.alpha2,
                        user.admin1,
                        location.name or user.name,
                        location.geo_precision or user.geo_precision,
                    )
            return self._gazetteer_place(on)
        except SahelEventsError as error:
            self.fail(error, "location")
            return None

    def _given_place(self) -> _Place:
        location = self.event.location
        assert location.latitude is not None and location.longitude is not None
        alpha2 = _alpha2(location.country or "")
        return _Place(
            location.latitude,
            location.longitude,
            alpha2,
            None,
            location.name or location.query,
            location.geo_precision or 1,
        )

    def _gazetteer_place(self, on: str | None) -> _Place:
        from sahel_events.geo import geocode

        location = self.event.location
        found = geocode(location.query, country=location.country, on=on)
        raw = found.raw
        return _Place(
            float(found.latitude),
            float(found.longitude),
            _alpha2(location.country or raw["alpha2"]),
            raw.get("admin1"),
            location.name or raw["name"],
            location.geo_precision or raw["geo_precision"],
        )

    def actors(self, year: int | None) -> tuple[dict[str, Actor], dict[str, list[str]]]:
        actors: dict[str, Actor] = {}
        for role in ("actor1", "actor2"):
            name = getattr(self.event, role)
            if name:
                try:
                    actors[role] = self.registry.lookup(name, year)
                except SahelEventsError as error:
                    self.fail(error, role)
        associated: dict[str, list[str]] = {}
        for role in ("assoc_actor_1", "assoc_actor_2"):
            names = []
            for name in getattr(self.event, role) or ():
                try:
                    names.append(self.registry.lookup(name, year).name)
                except SahelEventsError as error:
                    self.fail(error, role)
            associated[role] = names
        return actors, associated

    def check_types(self) -> None:
        event = self.event
        event_type = vocabulary.event_type_of(event.sub_event_type)
        if event_type is None or event_type != event.event_type:
            self.fail(
                CodingSheetError(
                    f"{event.sub_event_type!r} is not a sub-event type of {event.event_type!r}"
                ),
                "sub_event_type",
            )

    def country(self, place: _Place) -> tuple[vocabulary.Country, str] | None:
        """The event's country and admin1, or None after recording why not."""
        try:
            country = vocabulary.country_lookup(place.alpha2)
        except LookupError:
            self.fail(CodingSheetError(f"unknown country {place.alpha2!r}"), "location")
            return None
        admin1 = place.admin1 or _nearest_admin1(place.latitude, place.longitude, country.alpha2)
        if not admin1:
            self.fail(
                CodingSheetError(
                    f"the gazetteer gives no admin1 for {self.event.location.query!r}; "
                    "choose a place inside a first-level administrative unit"
                ),
                "location",
            )
            return None
        return country, admin1

    def check_stored_text(self, place: _Place | None) -> None:
        """Refuse control characters in every text the dataset stores.

        The build refuses rather than strips: the text is a coder's or a
        source's words, and silently changing them would break the evidence;
        a dataset is read in terminals and spreadsheets by people who never
        see the sheet, where an escape sequence (CSI, OSC 52) could act.
        """
        from sahel_events._text import find_control

        event = self.event
        texts: list[tuple[str, str | None]] = [
            ("notes", event.notes),
            ("location", place.name if place is not None else None),
            ("location.name", event.location.name),
            ("location.query", event.location.query),
            *(("evidence", quote) for quote in event.evidence),
            *(("tags", tag) for tag in event.tags),
        ]
        for field_name, text in texts:
            if text is None:
                continue
            # Evidence quotes may span lines; everything else is folded to one line.
            offset = find_control(text.replace("\r\n", "\n") if field_name == "evidence" else text)
            if offset is not None:
                self.fail(
                    CodingSheetError(
                        f"holds the control character U+{ord(text[offset]):04X} at character "
                        f"{offset}: stored text must not carry terminal control codes "
                        "(copy the words without it)"
                    ),
                    field_name,
                )

    def assemble(
        self,
        offsets: list[tuple[int, int]],
        resolved: ResolvedDate,
        place: _Place,
        country_admin1: tuple[vocabulary.Country, str],
        actors: dict[str, Actor],
        associated: dict[str, list[str]],
    ) -> dict[str, Any]:
        from sahel_events.coding.actors import inter_label

        event, source = self.event, self.source
        country, admin1 = country_admin1
        inter1 = inter_label(actors["actor1"], country.alpha2)
        inter2 = inter_label(actors["actor2"], country.alpha2) if "actor2" in actors else None
        source_name, source_scale = _source_column(source)
        return {
            "key": event.key,
            "sheet": str(self.sheet_path),
            "event_id_cnty": f"{country.prefix}{event_number(source.id, event.key)}",
            "event_date": dt.datetime.combine(resolved.date, dt.time()),
            "year": resolved.date.year,
            "time_precision": event.date.precision or resolved.precision,
            "disorder_type": vocabulary.disorder_type_of(event.sub_event_type),
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "actor1": actors["actor1"].name,
            "assoc_actor_1": "; ".join(associated["assoc_actor_1"]) or None,
            "inter1": inter1,
            "actor2": actors["actor2"].name if "actor2" in actors else None,
            "assoc_actor_2": "; ".join(associated["assoc_actor_2"]) or None,
            "inter2": inter2,
            "interaction": vocabulary.interaction_label(inter1, inter2),
            "civilian_targeting": vocabulary.CIVILIAN_TARGETING
            if event.civilian_targeting
            else None,
            "iso": country.iso,
            "region": country.region,
            "country": country.name,
            "admin1": admin1,
            "admin2": None,
            "admin3": None,
            "location": place.name,
            # ACLED publishes four decimals; more would claim a precision we lack.
            "latitude": round(place.latitude, 4),
            "longitude": round(place.longitude, 4),
            "geo_precision": place.geo_precision,
            "source": source_name,
            "source_scale": source_scale,
            "notes": " ".join(event.notes.split()),
            "fatalities": event.fatalities,
            "tags": "; ".join(event.tags) or None,
            "timestamp": self.sheet.timestamp,
            "source_id": source.id,
            "evidence": "\n".join(event.evidence),
            "evidence_offsets": ";".join(f"{start}-{end}" for start, end in offsets),
            "background": bool(event.background),
            "_spans": offsets,
        }


def _alpha2(country: str) -> str:
    try:
        return vocabulary.country_lookup(country).alpha2
    except LookupError:
        raise CodingSheetError(f"unknown country {country!r}") from None


def _draft_problems(sheet: CodingSheet) -> list[SahelEventsError]:
    """One problem per event a person has not confirmed, in a sheet still marked draft."""
    from sahel_events.exc import DraftSheetError

    marked = [event for event in sheet.events if event.draft]
    problems: list[SahelEventsError] = [
        DraftSheetError(
            "suggested by `sahel-events suggest` and not confirmed: check every value against "
            "its evidence, fill the TODOs, then delete `draft: true` (or delete the event)",
            event=event.key,
            field="draft",
        )
        for event in marked
    ]
    if sheet.draft and not problems:
        problems.append(
            DraftSheetError(
                "the sheet is still marked as a suggested draft: once every event is "
                "checked, delete the top-level `draft: true`",
                field="draft",
            )
        )
    return problems


@cache
def _nearest_admin1(latitude: float, longitude: float, alpha2: str) -> str | None:
    """Admin1 of the gazetteer place nearest to a point, among the event country's places.

    Border areas have no admin1 of their own, yet ACLED requires one: like an
    ACLED coder choosing the nearest town to stand for a region, the build takes
    the admin1 of the nearest place on the event country's side of the border.
    """
    from sahel_events.geo import nearest_place

    return nearest_place(latitude, longitude, country=alpha2).raw["admin1"]


# --- The frame -----------------------------------------------------------------------------


def _frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame in the canonical column order and dtypes."""
    import pandas as pd

    from sahel_events.schema import PROVENANCE_COLUMNS

    dtypes = {**vocabulary.pandas_dtypes(), "source_id": "str", "evidence": "str"}
    dtypes |= {"evidence_offsets": "str", "background": "bool"}
    columns = [*vocabulary.COLUMN_NAMES, *PROVENANCE_COLUMNS]
    data = {name: [row[name] for row in rows] for name in columns}
    frame = pd.DataFrame(
        {
            name: pd.Series(
                data[name], dtype="object" if dtypes[name] == "category" else dtypes[name]
            )
            for name in columns
        }
    )
    for name in columns:
        if dtypes[name] == "category":
            # Sorted categories: the dtype never depends on the order rows arrive in.
            values = sorted({value for value in data[name] if value is not None})
            frame[name] = pd.Categorical(data[name], categories=values)
    return frame


def _validate(frame: pd.DataFrame, rows: Sequence[dict[str, Any]], problems: _Problems) -> None:
    """Check the frame with CodedEventSchema; report failures by sheet, event and field."""
    import pandera.errors

    from sahel_events.schema import CodedEventSchema

    try:
        CodedEventSchema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as failures:
        cases = failures.failure_cases
        for case in cases.itertuples(index=False):
            index = case.index
            row = rows[int(index)] if index is not None and str(index).isdigit() else None
            column = case.column if isinstance(case.column, str) else None
            problems.add(
                BuildError(
                    f"fails the event schema's check {case.check!r} (value {case.failure_case!r})"
                ),
                path=Path(row["sheet"]) if row else Path("<dataset>"),
                event=row["key"] if row else None,
                field=column or "",
            )


def _check_unique_ids(rows: Sequence[dict[str, Any]], problems: _Problems) -> None:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        other = seen.setdefault(row["event_id_cnty"], row)
        if other is row:
            continue
        if other["source_id"] == row["source_id"] and other["key"] == row["key"]:
            message = f"event key {row['key']!r} is used twice for source {row['source_id']!r}"
        else:
            message = (
                f"event_id_cnty {row['event_id_cnty']} collides with event {other['key']!r} "
                f"of {other['sheet']}; rename one of the two keys"
            )
        problems.add(BuildError(message), path=Path(row["sheet"]), event=row["key"], field="key")


def build_frame(
    sources_dir: str | os.PathLike[str] | None = None,
    codings_dir: str | os.PathLike[str] | None = None,
    *,
    actors: str | os.PathLike[str] | None = None,
    places: str | os.PathLike[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[pd.DataFrame, BuildSummary, list[dict[str, str]]]:
    """Code every sheet of a folder into a validated DataFrame, without writing anything.

    Args:
        sources_dir: Folder of source texts (``<id>.txt`` + ``<id>.yaml``);
            default the sources shipped with the package.
        codings_dir: Folder of coding sheets (``<source_id>.yaml``); default the
            sheets shipped with the package.
        actors: A user's actor registry (YAML, the schema of ``actors.yaml``);
            its actors extend the shipped ones and replace those with the same
            id or name.
        places: A user's places table (CSV or YAML; see
            :mod:`sahel_events.coding.places`), looked up before the gazetteer.
        progress: Called with 1 after each coding sheet, for a progress bar.

    Returns:
        The events sorted by date and id; a summary without a path; and the
        sources used, as ``{"id", "sha256"}`` dicts sorted by id.

    Raises:
        BuildError: Any event of any sheet failed (a draft no person confirmed
            included); ``error.problems`` lists every problem, each naming its
            coding sheet, event and field.
        UsageError: A folder does not exist or holds no sheets.
    """
    from sahel_events.coding.actors import extended_registry
    from sahel_events.coding.sheet import SheetValidationError, load_sheet

    sources_path = Path(sources_dir) if sources_dir is not None else packaged_sources_dir()
    codings_path = Path(codings_dir) if codings_dir is not None else packaged_codings_dir()
    if not sources_path.is_dir():
        raise UsageError("the source folder does not exist", path=sources_path)

    from sahel_events.coding.places import load_places

    registry = extended_registry(actors)
    user_places = load_places(places) if places is not None else None
    problems = _Problems()
    rows: list[dict[str, Any]] = []
    texts: dict[str, int] = {}
    used_sources: dict[str, str] = {}
    for sheet_path in _sheet_paths(codings_path):
        if progress is not None:
            progress(1)
        try:
            sheet = load_sheet(sheet_path, folder=codings_path)
        except SheetValidationError as error:
            for problem in error.problems:
                problems.add(problem, path=sheet_path, event=problem.event, field="")
            continue
        except SahelEventsError as error:
            problems.add(error, path=sheet_path, event=None, field="")
            continue
        try:
            source = _load_source(sheet.source, sources_path, sheet_path)
        except SahelEventsError as error:
            problems.add(error, path=sheet_path, event=None, field="source")
            continue
        if source.id in used_sources:
            problems.add(
                CodingSheetError(f"a second sheet codes source {source.id!r}"),
                path=sheet_path,
                event=None,
                field="source",
            )
            continue
        used_sources[source.id] = source.sha256
        texts[source.id] = len(source.text)
        for draft in _draft_problems(sheet):
            problems.add(draft, path=sheet_path, event=draft.event, field="draft")
        for event in sheet.events:
            row = _EventCoder(
                event, sheet, sheet_path, source, registry, user_places, problems
            ).row()
            if row is not None:
                rows.append(row)

    _check_unique_ids(rows, problems)
    _raise_if_any(problems)
    rows.sort(key=lambda row: (row["event_date"], row["event_id_cnty"]))
    frame = _frame(rows)
    _validate(frame, rows, problems)
    _raise_if_any(problems)

    summary = _summarise(frame, rows, texts)
    sources = [{"id": key, "sha256": used_sources[key]} for key in sorted(used_sources)]
    return frame, summary, sources


def _raise_if_any(problems: _Problems) -> None:
    if not problems.errors:
        return
    first = problems.errors[0]
    count = len(problems.errors)
    error = BuildError(
        f"{first.message}"
        + (f" (and {count - 1} more problem(s))" if count > 1 else "")
        + "; nothing was written",
        path=first.path,
        row=first.row,
        column=first.column,
        event=first.event,
        field=first.field or None,
    )
    error.problems = tuple(problems.errors)
    # Unreadable inputs outrank invalid ones: exit 2 if any error is of that kind.
    error.exit_code = max(problem.exit_code for problem in problems.errors)
    raise error


def _summarise(
    frame: pd.DataFrame, rows: Sequence[dict[str, Any]], texts: dict[str, int]
) -> BuildSummary:
    by_type = (
        frame.groupby(["event_type", "sub_event_type"], observed=True)
        .size()
        .reset_index(name="count")
        .sort_values(["count", "event_type", "sub_event_type"], ascending=[False, True, True])
    )
    places = (
        frame.groupby(["location", "country"], observed=True)
        .size()
        .reset_index(name="count")
        .sort_values(["count", "location"], ascending=[False, True])
    )
    current = frame.loc[~frame["background"], "event_date"]
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        spans.setdefault(row["source_id"], []).extend(row["_spans"])
    total = sum(texts.values())
    covered = sum(evidence_coverage(texts[key], spans.get(key, [])) * texts[key] for key in texts)

    def day(value: Any) -> str | None:
        return None if value is None or value != value else value.date().isoformat()

    return BuildSummary(
        events=len(frame),
        background_events=int(frame["background"].sum()),
        by_type=tuple(
            (str(event), str(sub), int(count))
            for event, sub, count in by_type.itertuples(index=False)
        ),
        first_date=day(frame["event_date"].min()) if len(frame) else None,
        last_date=day(frame["event_date"].max()) if len(frame) else None,
        current_first_date=day(current.min()) if len(current) else None,
        current_last_date=day(current.max()) if len(current) else None,
        places=tuple(
            (str(place), str(country), int(count))
            for place, country, count in places.itertuples(index=False)
        ),
        sources=len(texts),
        evidence_quotes=sum(len(row["_spans"]) for row in rows),
        evidence_coverage=covered / total if total else 0.0,
    )


# --- Writing -------------------------------------------------------------------------------


def _check_writable(out_dir: Path) -> None:
    """Create the output folder if missing; fail if it cannot be created or written.

    The path goes through :func:`sahel_events._io.check_output_folder` like
    every output folder: a file, a device, a FIFO or a link to nothing is refused
    with what it is, never "File exists".
    """
    from sahel_events._io import check_output_folder

    check_output_folder(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the output folder: {error.strerror}", path=out_dir
        ) from None
    if not out_dir.is_dir():
        raise OutputError("the output path exists and is not a folder", path=out_dir)
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError("the output folder is not writable", path=out_dir)


def build(
    sources_dir: str | os.PathLike[str] | None = None,
    codings_dir: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = "build",
    *,
    filename: str = DEFAULT_FILENAME,
    actors: str | os.PathLike[str] | None = None,
    places: str | os.PathLike[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Code every sheet, validate every event and write one Parquet file.

    Args:
        sources_dir: Folder of source texts; default the packaged sources.
        codings_dir: Folder of coding sheets; default the packaged sheets.
        out_dir: Folder to write into; created if missing.
        filename: Name of the file inside ``out_dir``.
        actors: A user's actor registry extending the shipped one (see :func:`build_frame`).
        places: A user's places table, looked up before the gazetteer.
        progress: Called with 1 after each coding sheet, for a progress bar.

    Returns:
        The frame, the written path and a summary (with the file's SHA-256).

    Raises:
        BuildError: Some event failed (nothing is written); ``error.problems``
            lists each problem with its coding sheet, event and field.
        OutputError: The output folder cannot be created or written.
        UsageError: A folder does not exist or holds no sheets.
    """
    from sahel_events._io import check_output_folder
    from sahel_events.write import safe_child_path, sources_metadata, write_events

    out_path = Path(out_dir)
    # Refuse an impossible output at once (nothing is created yet), then code
    # and validate: a failed build must not even leave an empty folder.
    check_output_folder(out_path)
    frame, summary, sources = build_frame(
        sources_dir, codings_dir, actors=actors, places=places, progress=progress
    )
    _check_writable(out_path)
    target = safe_child_path(out_path, filename)
    metadata = sources_metadata({source["id"]: source["sha256"] for source in sources})
    written = write_events(frame, target, metadata=metadata)
    path = Path(written) if written is not None else Path(target)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    summary = BuildSummary(**{**summary.__dict__, "path": str(path), "sha256": digest})
    return BuildResult(frame=frame, path=path, summary=summary)
