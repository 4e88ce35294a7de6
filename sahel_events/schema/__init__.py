"""The ACLED event schema as pandera models.

:class:`EventSchema` describes ACLED's current 31-column format: dtypes,
required columns, vocabularies and the cross-field rules, each a named check
from :mod:`sahel_events.schema.checks`. :class:`CodedEventSchema` adds the provenance
columns of datasets coded by this project.

Use the models as any pandera model::

    EventSchema.validate(df, lazy=True)

or, for a report that names each failing row once and reads every ACLED export
variant, :func:`sahel_events.validate`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from sahel_events.schema import checks as _checks  # noqa: F401 - registers the named checks
from sahel_events.vocabulary import COLUMNS, PROVENANCE_COLUMNS, SCHEMA_VERSION

__all__ = ["PROVENANCE_COLUMNS", "SCHEMA_VERSION", "CodedEventSchema", "EventSchema"]

_DESCRIPTIONS = {column.name: column.description for column in COLUMNS}


def _field(name: str, *, required: bool = True, **checks: Any) -> Any:
    return pa.Field(nullable=not required, description=_DESCRIPTIONS[name], **checks)


class EventSchema(pa.DataFrameModel):
    """ACLED's current event format: 31 columns in ACLED's order.

    Errors are rows that break ACLED's rules; checks marked as warnings
    (``raise_warning``) report suspicious rows without failing them.
    """

    event_id_cnty: Series[str] = _field("event_id_cnty", is_event_id=())
    event_date: Series[pa.DateTime] = _field("event_date")
    year: Series[pd.Int64Dtype] = _field("year")
    time_precision: Series[pd.Int64Dtype] = _field("time_precision", is_precision_code=())
    disorder_type: Series[pd.CategoricalDtype] = _field("disorder_type", known_disorder_type=())
    event_type: Series[pd.CategoricalDtype] = _field("event_type", known_event_type=())
    sub_event_type: Series[pd.CategoricalDtype] = _field("sub_event_type", known_sub_event_type=())
    actor1: Series[str] = _field("actor1")
    assoc_actor_1: Series[str] = _field("assoc_actor_1", required=False)
    inter1: Series[pd.CategoricalDtype] = _field("inter1", known_actor_type=())
    actor2: Series[str] = _field("actor2", required=False)
    assoc_actor_2: Series[str] = _field("assoc_actor_2", required=False)
    inter2: Series[pd.CategoricalDtype] = _field("inter2", required=False, known_actor_type=())
    interaction: Series[pd.CategoricalDtype] = _field("interaction", known_interaction=())
    civilian_targeting: Series[pd.CategoricalDtype] = _field(
        "civilian_targeting",
        required=False,
        known_civilian_targeting=(),
    )
    iso: Series[pd.Int64Dtype] = _field("iso")
    region: Series[pd.CategoricalDtype] = _field("region", known_region=())
    country: Series[pd.CategoricalDtype] = _field("country", known_country=(), raise_warning=True)
    admin1: Series[str] = _field("admin1")
    admin2: Series[str] = _field("admin2", required=False)
    admin3: Series[str] = _field("admin3", required=False)
    location: Series[str] = _field("location")
    latitude: Series[float] = _field("latitude", is_latitude=())
    longitude: Series[float] = _field("longitude", is_longitude=())
    geo_precision: Series[pd.Int64Dtype] = _field("geo_precision", is_precision_code=())
    source: Series[str] = _field("source")
    source_scale: Series[pd.CategoricalDtype] = _field(
        "source_scale", is_source_scale=(), raise_warning=True
    )
    notes: Series[str] = _field("notes")
    fatalities: Series[pd.Int64Dtype] = _field("fatalities", is_non_negative=())
    tags: Series[str] = _field("tags", required=False)
    timestamp: Series[pd.Int64Dtype] = _field("timestamp")

    class Config:
        name = "acled_event"
        title = "ACLED-style event"
        description = (
            "ACLED's current (post-2023) 31-column event format, as sahel_events checks it."
        )
        ordered = True
        strict = False
        sub_event_type_matches_event_type = ()
        disorder_type_matches_sub_event_type = ()
        interaction_matches_actor_types = ()
        inter2_matches_actor2 = ()
        year_matches_event_date = ()
        iso_matches_country = ()
        region_matches_country = ()
        unique_event_id = ()
        civilian_targeting_spelling = {"raise_warning": True}  # noqa: RUF012
        event_id_prefix_matches_country = {"raise_warning": True}  # noqa: RUF012
        no_civilian_targeting_in_battles = {"raise_warning": True}  # noqa: RUF012
        coordinates_in_country = {"tolerance_km": 50.0, "raise_warning": True}  # noqa: RUF012
        no_fatalities_in_peaceful_protest = {"raise_warning": True}  # noqa: RUF012
        protests_by_protesters = {"raise_warning": True}  # noqa: RUF012
        civilian_targeting_has_civilians = {"raise_warning": True}  # noqa: RUF012
        violence_against_civilians_targets_civilians = {"raise_warning": True}  # noqa: RUF012
        event_date_not_after_timestamp = {"raise_warning": True}  # noqa: RUF012
        event_date_not_in_future = {"raise_warning": True}  # noqa: RUF012


class CodedEventSchema(EventSchema):
    """An event coded by this project: ACLED's columns plus provenance.

    Every event names its source and quotes, verbatim, the words of the source
    that support it, with their character offsets in the source text.
    """

    source_id: Series[str] = pa.Field(description="Id of the source text the event was coded from.")
    evidence: Series[str] = pa.Field(
        description="Verbatim quotes from the source supporting the event, joined by newlines."
    )
    evidence_offsets: Series[str] = pa.Field(
        is_offset_list=(),
        description="start-end code-point offsets of each quote in the source text, joined by ';'.",
    )
    background: Series[bool] = pa.Field(
        description="True for past events the source recounts as context, not as news."
    )

    class Config:
        name = "coded_event"
        title = "Event coded by sahel_events"
        description = "ACLED's 31 columns plus the provenance of each event."
