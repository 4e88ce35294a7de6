"""The ``df.events`` accessor: sahel_events on any pandas DataFrame of events.

>>> import pandas as pd
>>> import sahel_events.accessor  # registers df.events (import sahel_events does too, see below)
>>> events = sahel_events.load()                          # doctest: +SKIP
>>> events.events.validate().valid                         # doctest: +SKIP
True
>>> print(events.events.summary())                         # doctest: +SKIP
>>> events.events.to_geodataframe().explore()              # doctest: +SKIP
>>> events.events.export("geojson", "events.geojson")      # doctest: +SKIP
>>> events.events.aggregate(by="admin1", freq="month")     # doctest: +SKIP
>>> events.events.to_monadic().events.to_dyadic()          # doctest: +SKIP

pandas registers an accessor when the module defining it is imported. So that
``import sahel_events`` stays fast (no pandas), the package imports this module
only when pandas is already loaded, or on first use of any of its lazy
attributes (``sahel_events.load``, ``read_events``...). ``import sahel_events.accessor``
registers it explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sahel_events.exc import UsageError

if TYPE_CHECKING:
    import geopandas

    from sahel_events.transform import EventsDiff, UpdateResult
    from sahel_events.validation.report import ValidationReport

__all__ = ["EventsAccessor", "EventsSummary"]


@dataclass(frozen=True)
class EventsSummary:
    """What a table of events holds, at a glance: :meth:`EventsAccessor.summary`."""

    n_events: int
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    fatalities: int
    #: event_type, sub_event_type, events, fatalities; most events first.
    by_type: pd.DataFrame
    #: country, events, fatalities; most events first.
    by_country: pd.DataFrame

    def to_text(self) -> str:
        """The summary as plain text, for a terminal or a log."""
        first = "-" if self.first_date is None else self.first_date.strftime("%Y-%m-%d")
        last = "-" if self.last_date is None else self.last_date.strftime("%Y-%m-%d")
        lines = [
            f"{self.n_events} events from {first} to {last}, {self.fatalities} reported fatalities",
            "",
            "by type:",
            self.by_type.to_string(index=False) if len(self.by_type) else "  (none)",
            "",
            "by country:",
            self.by_country.to_string(index=False) if len(self.by_country) else "  (none)",
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


@pd.api.extensions.register_dataframe_accessor("events")
class EventsAccessor:
    """sahel_events methods on a DataFrame of ACLED-style events: ``df.events``."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def validate(self, **options: Any) -> ValidationReport:
        """Validate the frame: :func:`sahel_events.validate` with the same options.

        The frame is not modified; text and number columns are converted the way
        the validator converts any user's frame.
        """
        from sahel_events.validation import validate

        return validate(self._frame, **options)

    def to_geodataframe(self) -> geopandas.GeoDataFrame:
        """The events as a GeoDataFrame of points (EPSG:4326), one per event.

        Events without coordinates get an empty geometry. The frame is not copied
        beyond what geopandas needs.

        Raises:
            UsageError: geopandas is not installed, or the frame has no
                ``latitude``/``longitude`` columns.
        """
        try:
            import geopandas
        except ImportError:
            raise UsageError("to_geodataframe needs geopandas: pip install geopandas") from None
        frame = self._frame
        for name in ("latitude", "longitude"):
            if name not in frame.columns:
                raise UsageError("the frame has no such column", column=name)
        longitude = pd.to_numeric(frame["longitude"], errors="coerce").astype("float64")
        latitude = pd.to_numeric(frame["latitude"], errors="coerce").astype("float64")
        points = geopandas.points_from_xy(longitude, latitude, crs="EPSG:4326")
        # points_from_xy makes POINT EMPTY for NaN; None is what geopandas calls missing.
        located = (longitude.notna() & latitude.notna()).to_numpy()
        geometry = geopandas.GeoSeries(points, index=frame.index, crs="EPSG:4326")
        geometry[~located] = None
        return geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")

    def summary(self) -> EventsSummary:
        """Counts by event and sub-event type and by country, the date range, fatalities.

        Columns the frame lacks are left out of the summary rather than refused,
        so that a partial table (say, a filter of a few columns) still summarises.
        """
        frame = self._frame
        n = len(frame)
        dates = (
            pd.to_datetime(frame["event_date"], errors="coerce")
            if "event_date" in frame.columns
            else pd.Series(dtype="datetime64[ns]")
        )
        fatalities = (
            pd.to_numeric(frame["fatalities"], errors="coerce").astype("Int64")
            if "fatalities" in frame.columns
            else pd.Series(pd.array([0] * n, dtype="Int64"), index=frame.index)
        )
        counted = pd.DataFrame({"fatalities": fatalities.fillna(0).to_numpy()}, index=frame.index)

        def tally(keys: list[str]) -> pd.DataFrame:
            present = [key for key in keys if key in frame.columns]
            if not present:
                return pd.DataFrame(columns=[*keys, "events", "fatalities"])
            grouped = counted.assign(
                **{key: frame[key].astype("object").fillna("(blank)") for key in present}
            ).groupby(present, sort=True, observed=True)
            table = grouped.agg(events=("fatalities", "size"), fatalities=("fatalities", "sum"))
            table = table.reset_index().sort_values(
                ["events", *present], ascending=[False, *([True] * len(present))], kind="stable"
            )
            return table.reset_index(drop=True)

        return EventsSummary(
            n_events=n,
            first_date=None if dates.dropna().empty else dates.min(),
            last_date=None if dates.dropna().empty else dates.max(),
            fatalities=int(fatalities.fillna(0).sum()),
            by_type=tally(["event_type", "sub_event_type"]),
            by_country=tally(["country"]),
        )

    def export(self, to: str, out: str | os.PathLike[str], **options: Any) -> Path | None:
        """Write the frame in an export format: :func:`sahel_events.export.export`."""
        from sahel_events.export import export

        return export(self._frame, to, out, **options)

    def to_monadic(self, **options: Any) -> pd.DataFrame:
        """One row per actor: :func:`sahel_events.to_monadic`."""
        from sahel_events.transform import to_monadic

        return to_monadic(self._frame, **options)

    def to_dyadic(self, **options: Any) -> pd.DataFrame:
        """One row per event from a monadic frame: :func:`sahel_events.to_dyadic`."""
        from sahel_events.transform import to_dyadic

        return to_dyadic(self._frame, **options)

    def aggregate(
        self, by: str | Sequence[str] = ("country", "admin1"), freq: str = "month", **options: Any
    ) -> pd.DataFrame:
        """Events and fatalities per unit and period: :func:`sahel_events.aggregate`."""
        from sahel_events.transform import aggregate

        return aggregate(self._frame, by, freq, **options)

    def update(self, new: pd.DataFrame, **options: Any) -> UpdateResult:
        """This frame brought up to date with a newer export: :func:`sahel_events.update`."""
        from sahel_events.transform import update

        return update(self._frame, new, **options)

    def diff(self, other: pd.DataFrame, **options: Any) -> EventsDiff:
        """What changed from this frame to ``other``: :func:`sahel_events.diff`."""
        from sahel_events.transform import diff

        return diff(self._frame, other, **options)
