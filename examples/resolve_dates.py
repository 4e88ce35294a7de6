"""Resolve a source's date expressions by ACLED's time-precision rules.

The AFP story coded in this project was published on Friday 19 September 2025
and dates its events in its own words: «حتى يوم غد (السبت)» (until tomorrow,
Saturday), «في وقت سابق من الأسبوع الجاري» (earlier this week), «الشهر الماضي»
(last month)... This script prints how each expression resolves: the event
date, ACLED's time precision (1 day, 2 week, 3 month), the span the
expression covers and the rule applied, then shows expressions that are
refused and why.

Run it with ``python examples/resolve_dates.py``; it works offline.
"""

from __future__ import annotations

from datetime import date

from sahel_events.coding.dates import DateExpressionError, resolve_date

PUBLISHED = date(2025, 9, 19)  # a Friday

EXPRESSIONS = [
    # The article's own words.
    "حتى يوم غد (السبت)",
    "في وقت سابق من الأسبوع الجاري",
    "الشهر الماضي",
    "منذ أغسطس الماضي",
    # Other common forms, in Arabic, French and English.
    "اليوم",
    "أمس",
    "مساء أمس (الخميس)",
    "السبت",
    "الجمعة الماضي",
    "الأسبوع الماضي",
    "هذا الأسبوع",
    "الشهر الجاري",
    "مطلع الشهر الماضي",
    "أواخر الشهر الماضي",
    "آب الماضي",
    "19 أيلول/سبتمبر 2025",
    "١٤ أغسطس ٢٠٢٥",
    "le mois dernier",
    "fin août 2025",
    "vendredi dernier",
    "earlier this week",
    "last week",
    "September 19, 2025",
]

REFUSED = [
    "يوم غد (الأحد)",  # tomorrow is a Saturday, not a Sunday
    "عام 2020",  # a year is less than ACLED records
    "مؤخراً",  # "recently": no rule gives a date
]


def main() -> None:
    print(f"Published: {PUBLISHED:%A %d %B %Y}\n")
    print(f"{'expression':<32} {'date':<10}  prec  {'span':<23}  rule")
    for expression in EXPRESSIONS:
        resolved = resolve_date(expression, PUBLISHED)
        span = f"{resolved.start} – {resolved.end}"
        print(
            f"{expression:<32} {resolved.date:%Y-%m-%d}  {resolved.precision:^4}  "
            f"{span:<23}  {resolved.rule}"
        )
    print("\nRefused:")
    for expression in REFUSED:
        try:
            resolve_date(expression, PUBLISHED)
        except DateExpressionError as error:
            print(f"  {error}")
        else:
            raise SystemExit(f"{expression!r} should have been refused")


if __name__ == "__main__":
    main()
