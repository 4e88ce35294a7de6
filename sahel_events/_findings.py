"""The one findings catalogue: every problem the reader or the validator can report.

A finding is what a report entry says: which check, how grave, and one sentence
a user understands. The reader's issues (a cell that is not a date), the
validator's own entries (a required column missing) and the schema's registered
checks (:mod:`sahel_events.schema.checks`) all take their sentence from here, so
each is written once. :class:`FindingsCollector` builds the one findings frame
(``df.attrs["reader_issues"]`` and the validation report's entries share its
columns, :data:`FINDING_COLUMNS`), vectorised: one small frame per check and
column, concatenated once.

Severities: ``error`` makes a file invalid, ``warning`` fails it only under
``strict``, ``note`` never fails it (it says what the reader did: a marker read
as blank, a column renamed, a value derived).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "FINDINGS",
    "FINDING_COLUMNS",
    "FINDING_DTYPES",
    "MAX_VALUE_CHARS",
    "Finding",
    "FindingsCollector",
    "Severity",
    "empty_findings",
]

Severity = Literal["error", "warning", "note"]

#: How much of an offending value a finding keeps.
MAX_VALUE_CHARS = 200

#: Columns of a findings frame (reader issues and report entries), in order.
FINDING_COLUMNS: tuple[str, ...] = ("row", "column", "check", "value", "severity", "message")
#: Their dtypes: the row number as nullable integers, the rest as text.
FINDING_DTYPES: dict[str, str] = {"row": "Int64", **dict.fromkeys(FINDING_COLUMNS[1:], "str")}


@dataclass(frozen=True)
class Finding:
    """One kind of finding: its name, severity and the sentence shown to the user."""

    name: str
    severity: Severity
    message: str


def _catalogue(*findings: Finding) -> dict[str, Finding]:
    return {finding.name: finding for finding in findings}


#: Every finding by name. Schema checks are registered under the same names.
FINDINGS: dict[str, Finding] = _catalogue(
    # --- cells the reader could not convert ------------------------------------------
    Finding("not_a_date", "error", "not a date in any of the accepted formats (e.g. 2023-02-16)"),
    Finding("not_an_integer", "error", "not a whole number"),
    Finding("not_a_number", "error", "not a number in decimal degrees"),
    Finding("not_a_boolean", "error", "not true or false; it was left blank"),
    Finding(
        "ragged_row",
        "error",
        "the record has more or fewer fields than the header; it was left out",
    ),
    Finding("cell_too_long", "error", "the cell holds more than 1,000,000 characters"),
    Finding(
        "unknown_legacy_code",
        "error",
        "not one of ACLED's numeric actor-type (1-8) or interaction codes; kept as it is",
    ),
    Finding(
        "control_characters",
        "warning",
        "the text holds control characters (terminal escapes, bare carriage returns)",
    ),
    Finding(
        "untrimmed_text",
        "warning",
        "leading, trailing or doubled spaces; read_events(strip=True) removes them",
    ),
    # --- what the reader did ------------------------------------------------------------
    Finding(
        "legacy_event_type_ambiguous",
        "warning",
        "the pre-2019 event type does not determine today's value; it was left blank",
    ),
    Finding(
        "legacy_event_type_derived",
        "note",
        "the pre-2019 event type Riots/Protests was resolved from the actor types"
        " (Rioters: Riots; Protesters without Rioters: Protests)",
    ),
    Finding(
        "encoding_fallback",
        "warning",
        "the file is not valid UTF-8; it was read as Windows-1252 (cp1252), check accented names",
    ),
    Finding("missing_marker", "note", "markers of a missing value were read as blanks"),
    Finding("column_renamed", "note", "columns were recognised under another name"),
    Finding("column_dropped", "note", "columns that hold no event data were dropped"),
    Finding("hxl_tags", "note", "an HXL hashtag row was recognised and dropped"),
    Finding(
        "no_geometry",
        "error",
        "the GeoJSON features have no geometry and no latitude/longitude properties:"
        " the events have no coordinates",
    ),
    Finding(
        "feature_without_geometry",
        "error",
        "the GeoJSON feature has no geometry and no latitude/longitude properties",
    ),
    Finding(
        "geometry_absent",
        "note",
        "the GeoJSON features have no geometry; their latitude and longitude properties"
        " were read as the coordinates",
    ),
    Finding(
        "no_point_geometry",
        "error",
        "the GeoJSON features are not points and have no latitude/longitude properties:"
        " an event is a point, and none is made up from a shape (no centroid)",
    ),
    Finding(
        "feature_not_a_point",
        "error",
        "the GeoJSON feature's geometry is not a point and it has no latitude/longitude"
        " properties: an event is a point, and none is made up from a shape (no centroid)",
    ),
    Finding(
        "geometry_not_point",
        "warning",
        "the GeoJSON feature's geometry is not a point and was set aside; its latitude"
        " and longitude properties give the coordinates",
    ),
    Finding(
        "multipoint_as_point",
        "note",
        "GeoJSON MultiPoints of a single point (as GDAL writes a multipoint layer) were"
        " read as that point",
    ),
    Finding(
        "no_header_row",
        "note",
        "the file has no header row; its columns were read in the order of its format",
    ),
    Finding(
        "header_row",
        "note",
        "the header is not the first row: the rows above it (a title) were skipped",
    ),
    Finding("date_order", "note", "the order of day and month was inferred from the values"),
    Finding(
        "date_order_ambiguous",
        "error",
        "numeric dates whose order of day and month cannot be told from the values;"
        " say which with --dayfirst or --monthfirst (date_order= in Python)",
    ),
    Finding(
        "legacy_event_ids",
        "note",
        "legacy event ids (a number and a country suffix, e.g. 1416RTA) are not checked"
        " against today's pattern",
    ),
    Finding(
        "absent_in_variant",
        "note",
        "columns this ACLED variant never had; they are not checked row by row",
    ),
    Finding("derived_columns", "note", "columns derived while reading"),
    # --- the validator's own entries -----------------------------------------------------
    Finding("missing_value", "error", "a required value is missing"),
    Finding("missing_column", "error", "a required column is missing from the file"),
    Finding(
        "admin1_blank_at_sea",
        "warning",
        "admin1 is blank for an event at sea; ACLED leaves it blank off the coast",
    ),
    Finding(
        "old_event_without_notes",
        "warning",
        "notes are blank; ACLED's own exports leave them blank for some events before 2011",
    ),
    # --- registered schema checks (sahel_events.schema.checks) ------------------------
    Finding(
        "is_event_id",
        "error",
        "event_id_cnty must be three capital letters and a number, e.g. MLI2665",
    ),
    Finding("known_event_type", "error", "unknown event_type: not one of ACLED's 6 event types"),
    Finding(
        "known_sub_event_type",
        "error",
        "unknown sub_event_type: not one of ACLED's 25 sub-event types",
    ),
    Finding(
        "known_disorder_type",
        "error",
        "unknown disorder_type: expected Political violence, Demonstrations, Strategic"
        " developments or Political violence; Demonstrations",
    ),
    Finding(
        "known_actor_type",
        "error",
        "unknown actor type: expected one of ACLED's 8 actor types, e.g. State forces",
    ),
    Finding(
        "known_interaction",
        "error",
        "unknown interaction: not one of ACLED's 44 interaction labels",
    ),
    Finding(
        "interaction_label_order",
        "warning",
        "the interaction label names its actor types in another order than ACLED's;"
        " read as ACLED's label",
    ),
    Finding("known_region", "error", "unknown region: not one of ACLED's 17 regions"),
    Finding(
        "known_country",
        "warning",
        "country not in ACLED's list of countries and territories (ACLED spelling expected,"
        " e.g. Ivory Coast); its iso, region and id prefix are not checked",
    ),
    Finding(
        "known_civilian_targeting",
        "error",
        "civilian_targeting must be blank or 'Civilian targeting'",
    ),
    Finding(
        "civilian_targeting_spelling",
        "warning",
        "'Civilians targeted' is the codebook's spelling; ACLED's data writes 'Civilian targeting'",
    ),
    Finding("is_precision_code", "error", "precision codes are 1, 2 or 3"),
    Finding("is_non_negative", "error", "fatalities must be a whole number of 0 or more"),
    Finding("is_latitude", "error", "latitude must be between -90 and 90"),
    Finding("is_longitude", "error", "longitude must be between -180 and 180"),
    Finding(
        "is_source_scale",
        "warning",
        "source_scale is not one to three of Local partner, New media, Local, Subnational,"
        " National, Regional, International, Other joined by '-'",
    ),
    Finding(
        "is_offset_list",
        "error",
        "evidence_offsets must be start-end character offsets joined by ';', e.g. 812-861;1020-1100",
    ),
    Finding(
        "sub_event_type_matches_event_type",
        "error",
        "sub_event_type does not belong to event_type",
    ),
    Finding(
        "disorder_type_matches_sub_event_type",
        "error",
        "disorder_type does not match sub_event_type",
    ),
    Finding(
        "interaction_matches_actor_types",
        "error",
        "interaction does not match the actor types inter1 and inter2",
    ),
    Finding("inter2_matches_actor2", "error", "inter2 must be given exactly when actor2 is"),
    Finding("year_matches_event_date", "error", "year is not the year of event_date"),
    Finding("iso_matches_country", "error", "iso is not the ISO 3166 numeric code of country"),
    Finding("region_matches_country", "error", "region is not ACLED's region of country"),
    Finding(
        "event_id_prefix_matches_country",
        "warning",
        "the event_id_cnty prefix is not ACLED's prefix for country",
    ),
    Finding(
        "no_civilian_targeting_in_battles",
        "warning",
        "civilian_targeting is set on a Battles event; ACLED never sets it for Battles",
    ),
    Finding(
        "coordinates_in_country",
        "warning",
        "coordinates lie outside country by more than the tolerance (swapped latitude and"
        " longitude, or a lost minus sign?)",
    ),
    Finding("unique_event_id", "error", "event_id_cnty repeats an earlier row's id"),
    Finding(
        "no_fatalities_in_peaceful_protest",
        "warning",
        "fatalities on a Peaceful protest or Protest with intervention; ACLED codes deadly"
        " protests as Excessive force against protesters",
    ),
    Finding(
        "protests_by_protesters",
        "warning",
        "a Protests event whose actor1 is not Protesters, or a Riots event whose actor1 is"
        " not Rioters",
    ),
    Finding(
        "civilian_targeting_has_civilians",
        "warning",
        "civilian_targeting is set but neither actor type is Civilians",
    ),
    Finding(
        "violence_against_civilians_targets_civilians",
        "warning",
        "a Violence against civilians event whose actor2 is not Civilians",
    ),
    Finding(
        "event_date_not_after_timestamp",
        "warning",
        "event_date is after the day of the row's own upload timestamp",
    ),
    Finding(
        "event_date_not_in_future",
        "warning",
        "event_date is after the day of validation (validate(today=...) or --today sets"
        " that day, for a report that does not depend on when it runs)",
    ),
)


class FindingsCollector:
    """Collects findings as small frames and builds the findings frame once."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(
        self,
        check: str,
        rows: np.ndarray | pd.Series | Sequence[int | None],
        column: str | None,
        values: pd.Series | list[str] | list[str | None] | np.ndarray,
        details: pd.Series | list[str] | str | None = None,
    ) -> None:
        """Record one finding per entry of ``rows``; ``values`` (and ``details``) align with it.

        The message is the catalogue's sentence, followed by ``details`` in
        parentheses where given (``"has 5 fields, the header 8"``).
        """
        import pandas as pd

        count = len(rows)
        if count == 0:
            return
        finding = FINDINGS[check]
        value_series = pd.Series(values, dtype="str").reset_index(drop=True)
        value_series = value_series.str.slice(0, MAX_VALUE_CHARS)
        if details is None:
            message_series = pd.Series([finding.message] * count, dtype="str")
        else:
            if isinstance(details, str):
                details = [details] * count
            detail_series = pd.Series(details, dtype="str").reset_index(drop=True)
            message_series = finding.message + " (" + detail_series + ")"
        self._parts.append(
            pd.DataFrame(
                {
                    "row": pd.array(  # type: ignore[call-overload]  # pandas-stubs take no Series or ndarray here
                        list(rows) if isinstance(rows, list) else rows, dtype="Int64"
                    ),
                    "column": pd.Series([column] * count, dtype="str"),
                    "check": pd.Series([check] * count, dtype="str"),
                    "value": value_series,
                    "severity": pd.Series([finding.severity] * count, dtype="str"),
                    "message": message_series,
                }
            )
        )

    def add_file(
        self, check: str, column: str | None, detail: str, value: str | None = None
    ) -> None:
        """Record one file-level finding (no row)."""
        self.add(check, [None], column, [value], detail)

    def extend(self, frame: pd.DataFrame) -> None:
        """Add findings already in the findings layout."""
        if len(frame):
            self._parts.append(frame)

    def absorb(self, other: FindingsCollector) -> None:
        """Add the findings ``other`` collected, without building its frame."""
        self._parts.extend(other._parts)

    def frame(self) -> pd.DataFrame:
        """All findings, ordered by row (file-level findings first), then column and check."""
        import pandas as pd

        from sahel_events.read._issue_frame import ReaderIssues

        if not self._parts:
            return empty_findings()
        issues = pd.concat([pd.DataFrame(part) for part in self._parts], ignore_index=True)
        issues = issues.sort_values(
            ["row", "column", "check"], na_position="first", kind="stable"
        ).reset_index(drop=True)
        return ReaderIssues(issues)


def empty_findings() -> pd.DataFrame:
    """A findings frame with no rows and the right dtypes."""
    import pandas as pd

    from sahel_events.read._issue_frame import ReaderIssues

    return ReaderIssues(
        {
            "row": pd.array([], dtype="Int64"),
            **{name: pd.Series([], dtype="str") for name in FINDING_COLUMNS[1:]},
        }
    )
