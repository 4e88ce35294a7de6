"""First-level administrative units as a versioned reference, not a frozen list.

Mali moved from 8 regions and Bamako to 19 regions and Bamako (laws of 2023, in
force 2024); Burkina Faso from 13 to 17 regions and from 45 to 47 provinces
(decided 2 July 2025). The table ``data/admin1.csv`` records each unit with the
period it is valid for and its seat, so that a 2019 event and a 2025 event are
each checked against the units of their day; ``data/admin2_bf_2025.csv`` gives
Burkina Faso's provinces and the region each belongs to before and after 2025.
Mali's cercles and Niger's départements are GeoNames' admin2 features (Mali's
dump of 2023, Niger's of 2014): :func:`admin2_units` lists them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Admin1Unit", "Admin2Unit", "admin1_units", "admin2_units"]

#: The day Burkina Faso's 17 regions and 47 provinces took effect.
BF_REFORM = "2025-07-02"


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
    seat: str = ""

    def valid_on(self, date: str) -> bool:
        """Whether the unit exists on an ISO date (``"2025-03-01"``)."""
        # Partial ISO dates compare correctly as text against full dates:
        # "2024" <= "2024-05-01" < "2025".
        starts = self.valid_from is None or self.valid_from <= date
        ends = self.valid_to is None or date < self.valid_to
        return starts and ends


@cache
def _units() -> tuple[Admin1Unit, ...]:
    text = (
        resources.files("sahel_events.geo")
        .joinpath("data")
        .joinpath("admin1.csv")
        .read_text("utf-8")
    )
    return tuple(
        Admin1Unit(
            country=row["country"],
            name=row["name"],
            kind=row["kind"],
            valid_from=row["valid_from"] or None,
            valid_to=row["valid_to"] or None,
            source=row["source"],
            note=row["note"],
            seat=row.get("seat") or "",
        )
        for row in csv.DictReader(text.splitlines())
    )


def admin1_units(country: str | None = None, on: str | None = None) -> list[Admin1Unit]:
    """Admin1 units of the reference table, optionally of one country and in force on a date.

    Only Mali, Niger and Burkina Faso are covered, each with its reforms (Mali
    2016 and 2023, Burkina Faso 2 July 2025).

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


@dataclass(frozen=True)
class Admin2Unit:
    """A second-level unit: a cercle (Mali), province (Burkina Faso) or
    département (Niger), its seat and its admin1 on the day asked for."""

    country: str
    name: str
    admin1: str | None
    seat: str | None
    valid_from: str | None
    source: str


@cache
def _bf_provinces() -> tuple[dict[str, str], ...]:
    text = resources.files("sahel_events.geo").joinpath("data").joinpath("admin2_bf_2025.csv")
    return tuple(csv.DictReader(text.read_text("utf-8").splitlines()))


def admin2_units(country: str, on: str | None = None) -> list[Admin2Unit]:
    """Admin2 units of Mali, Niger or Burkina Faso in force on a date (default today).

    Burkina Faso: the 45 provinces before 2 July 2025 (with their 2001 region),
    47 from then on (with their 2025 region). Mali and Niger: GeoNames' admin2
    features with their admin1, as of the GeoNames dump (no date versioning).

    Examples:
        >>> len(admin2_units("BF", on="2025-08-01")), len(admin2_units("BF", on="2020-01-01"))
        (47, 45)
    """
    from sahel_events.geo import _data
    from sahel_events.geo.shapes import resolve_country

    alpha2 = resolve_country(country).alpha2
    if alpha2 == "BF":
        after = on is None or on >= BF_REFORM
        return [
            Admin2Unit(
                "BF",
                row["province"],
                row["region_2025"] if after else row["region_2001"],
                row["seat"],
                BF_REFORM if not row["region_2001"] else None,
                "admin2_bf_2025.csv",
            )
            for row in _bf_provinces()
            if after or row["region_2001"]
        ]
    from sahel_events.geo.admin import bare_unit_name

    places = _data.places()
    units: dict[str, Admin2Unit] = {}
    for row in range(len(places)):
        if places.alpha2[row] == alpha2 and places.feature_kind[row] == "admin2":
            name = bare_unit_name(places.admin2[row] or places.name[row])
            units.setdefault(
                name, Admin2Unit(alpha2, name, places.admin1[row] or None, None, None, "GeoNames")
            )
    return [units[name] for name in sorted(units)]
