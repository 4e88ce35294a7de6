"""First-level administrative units as a versioned reference, not a frozen list.

Mali moved from 8 regions and Bamako to 19 regions and Bamako (laws of 2023, in
force 2024); Burkina Faso from 13 to 17 regions (decided 2 July 2025). The table
``data/admin1.csv`` records each unit with the period it is valid for, so that a
2019 event and a 2025 event are each checked against the units of their day.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Admin1Unit", "admin1_units"]


@dataclass(frozen=True)
class Admin1Unit:
    """One admin1 unit and the period it is valid for.

    ``valid_from`` and ``valid_to`` are ISO dates, possibly partial (``"2024"``),
    or None when open-ended; ``valid_to`` is the first day the unit no longer exists.
    """

    country: str
    name: str
    kind: str
    valid_from: str | None
    valid_to: str | None
    source: str
    note: str

    def valid_on(self, date: str) -> bool:
        """Whether the unit exists on an ISO date (``"2025-03-01"``)."""
        # Partial ISO dates compare correctly as text against full dates:
        # "2024" <= "2024-05-01" < "2025".
        starts = self.valid_from is None or self.valid_from <= date
        ends = self.valid_to is None or date < self.valid_to
        return starts and ends


@cache
def _units() -> tuple[Admin1Unit, ...]:
    text = resources.files("sahel_events.geo").joinpath("data", "admin1.csv").read_text("utf-8")
    return tuple(
        Admin1Unit(
            country=row["country"],
            name=row["name"],
            kind=row["kind"],
            valid_from=row["valid_from"] or None,
            valid_to=row["valid_to"] or None,
            source=row["source"],
            note=row["note"],
        )
        for row in csv.DictReader(text.splitlines())
    )


def admin1_units(country: str | None = None, on: str | None = None) -> list[Admin1Unit]:
    """Admin1 units of the reference table, optionally of one country and in force on a date.

    Only Mali, Niger and Burkina Faso are covered; Burkina Faso's 17 regions of
    2025 are missing (no registry package has them), so on a date after
    2 July 2025 Burkina Faso has no units.

    Examples:
        >>> sorted(unit.name for unit in admin1_units("ML", on="2020-01-01"))[:3]
        ['Bamako', 'Gao', 'Kayes']
    """
    alpha2 = None
    if country is not None:
        from sahel_events.geo.shapes import resolve_country

        alpha2 = resolve_country(country).alpha2
    return [
        unit
        for unit in _units()
        if (alpha2 is None or unit.country == alpha2) and (on is None or unit.valid_on(on))
    ]
