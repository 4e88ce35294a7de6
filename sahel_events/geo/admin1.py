"""Administrative units as a versioned reference, not a frozen list.

Mali moved from 8 regions and Bamako to 10 (Ménaka and Taoudénit, operational
2016), then to 19 regions and Bamako (reform of 2023, operational 2024); Burkina
Faso from 13 to 17 regions and from 45 to 47 provinces (2 July 2025); Niger from
36 to 63 départements (law of 8 August 2011), in the same 7 regions and Niamey.
``data/admin1.csv`` records each region with the period it is valid for and its
seat; ``data/admin2.csv`` each cercle (Mali), province (Burkina Faso) and
département (Niger) with its seat, and its region, one row per period where the
region changed. Each row cites its source and says what changed, so that a 2019
event and a 2025 event are each checked against the units of their day.

Mali's 2023 reform also split its 49 cercles into 159: the table holds the 49
(each with its region of every period; they still exist, smaller, from 2024) and
the 110 new cercles from 2024 (Law 2023-006, per two public lists of the 159
cercles). A Malian cercle's seat has its coordinates (``seat_latitude``,
``seat_longitude``, ``seat_source`` ``geonames:ID``) or an OpenStreetMap node
(``osm:ID``), located by ``scripts/locate_cercle_seats.py`` within the region
it lay in before the reform; 25 seats could not be placed and say why in
``note``.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Admin1Unit", "Admin2Unit", "admin1_units", "admin2_units", "checked_day"]


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
        return _in_period(self.valid_from, self.valid_to, date)


def _in_period(valid_from: str | None, valid_to: str | None, date: str) -> bool:
    """Whether ``date`` falls in [valid_from, valid_to), either end open when None."""
    # Partial ISO dates compare correctly as text against full dates:
    # "2024" <= "2024-05-01" < "2025".
    starts = valid_from is None or valid_from <= date
    ends = valid_to is None or date < valid_to
    return starts and ends


def checked_day(on: str | None) -> str | None:
    """``on`` as the ISO date (``2024-03-01``, or ``2024-03``, ``2024``) the unit tables
    compare, or :class:`~sahel_events.exc.UsageError`: the tables compare dates as
    text, so anything else would pick units silently."""
    if on is None:
        return None
    text = str(on).strip()
    for form in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            datetime.datetime.strptime(text, form)
        except ValueError:
            continue
        if len(text) in (4, 7, 10):
            return text
    from sahel_events._text import quote
    from sahel_events.exc import UsageError

    raise UsageError(
        f"the date of the admin units (on=, --on) must be an ISO date such as 2024-03-01,"
        f" not {quote(text)}"
    )


def _table(name: str) -> list[dict[str, str]]:
    """The rows of one of the package's unit tables (``data/NAME``)."""
    text = resources.files("sahel_events.geo").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _units() -> tuple[Admin1Unit, ...]:
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
        for row in _table("admin1.csv")
    )


def admin1_units(country: str | None = None, on: str | None = None) -> list[Admin1Unit]:
    """Admin1 units of the reference table, optionally of one country and in force on a date.

    Only Mali, Niger and Burkina Faso are covered, each with its reforms (Mali
    2016 and 2023, Burkina Faso 2 July 2025).

    Examples:
        >>> sorted(unit.name for unit in admin1_units("ML", on="2020-01-01"))[:3]
        ['Bamako', 'Gao', 'Kayes']
    """
    on = checked_day(on)
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
    département (Niger), its seat and its admin1 over the period given.

    ``valid_from`` and ``valid_to`` are as :class:`Admin1Unit`'s: the period
    this row holds (the unit, or its admin1, changed at either end); ``note``
    says what changed.
    """

    country: str
    name: str
    admin1: str | None
    seat: str | None
    valid_from: str | None
    source: str
    kind: str = ""
    valid_to: str | None = None
    note: str = ""
    #: Where the seat is, when the table says (Mali's cercles): GeoNames'
    #: coordinates, with ``seat_source`` ``geonames:ID``; or None, with
    #: ``seat_source`` ``osm:ID`` (the place is in the OSM file) or empty.
    seat_latitude: float | None = None
    seat_longitude: float | None = None
    seat_source: str = ""

    def valid_on(self, date: str) -> bool:
        """Whether the row holds on an ISO date (``"2025-03-01"``)."""
        return _in_period(self.valid_from, self.valid_to, date)


def _number(text: str | None) -> float | None:
    return float(text) if text else None


@cache
def _admin2_rows() -> tuple[Admin2Unit, ...]:
    return tuple(
        Admin2Unit(
            country=row["country"],
            name=row["name"],
            admin1=row["admin1"] or None,
            seat=row["seat"] or None,
            valid_from=row["valid_from"] or None,
            source=row["source"],
            kind=row["kind"],
            valid_to=row["valid_to"] or None,
            note=row["note"],
            seat_latitude=_number(row.get("seat_latitude")),
            seat_longitude=_number(row.get("seat_longitude")),
            seat_source=row.get("seat_source") or "",
        )
        for row in _table("admin2.csv")
    )


def admin2_units(country: str, on: str | None = None) -> list[Admin2Unit]:
    """Admin2 units of Mali, Niger or Burkina Faso in force on a date (default
    today), with their admin1 of that day, by name.

    Burkina Faso: the 45 provinces before 2 July 2025 (in the 13 regions of
    2001), 47 from then on (in the 17 regions of 2025). Niger: 36 départements
    before 8 August 2011, 63 since. Mali: the 49 cercles, in the 8 regions (and
    Bamako) before 2016, 10 from 2016; from 2024 the 159 cercles of the 2023
    reform (the 49, smaller, and 110 new ones) in its 19 regions.

    Examples:
        >>> len(admin2_units("BF", on="2025-08-01")), len(admin2_units("BF", on="2020-01-01"))
        (47, 45)
        >>> len(admin2_units("NE", on="2010-01-01")), len(admin2_units("NE", on="2012-01-01"))
        (36, 63)
        >>> {unit.name: unit.admin1 for unit in admin2_units("ML", on="2025-01-01")}["Bankass"]
        'Bandiagara'
        >>> len(admin2_units("ML", on="2023-06-01")), len(admin2_units("ML", on="2025-01-01"))
        (49, 159)
    """
    from sahel_events.geo.shapes import resolve_country

    alpha2 = resolve_country(country).alpha2
    day = checked_day(on) or datetime.date.today().isoformat()
    return sorted(
        (unit for unit in _admin2_rows() if unit.country == alpha2 and unit.valid_on(day)),
        key=lambda unit: unit.name,
    )
