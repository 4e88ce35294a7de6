"""Date expressions resolve by ACLED's time-precision rules."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahel_events.coding.dates import RULES, DateExpressionError, ResolvedDate, resolve_date
from sahel_events.coding.sheet import DateSpec

FRIDAY = date(2025, 9, 19)  # the source article's publication date

CASES = [
    # The article's own expressions.
    ("حتى يوم غد (السبت)", FRIDAY, date(2025, 9, 20), 1),
    # Earlier this week: Monday 15 to Thursday 18; the earlier middle day.
    ("في وقت سابق من الأسبوع الجاري", FRIDAY, date(2025, 9, 16), 2),
    ("الشهر الماضي", FRIDAY, date(2025, 8, 15), 3),
    ("منذ أغسطس الماضي", FRIDAY, date(2025, 8, 15), 3),
    # Days.
    ("اليوم", FRIDAY, date(2025, 9, 19), 1),
    ("أمس", FRIDAY, date(2025, 9, 18), 1),
    ("مساء أمس (الخميس)", FRIDAY, date(2025, 9, 18), 1),
    ("أول أمس", FRIDAY, date(2025, 9, 17), 1),
    ("يوم غد", FRIDAY, date(2025, 9, 20), 1),
    ("غداً", FRIDAY, date(2025, 9, 20), 1),
    ("غدا", FRIDAY, date(2025, 9, 20), 1),
    ("غـــداً", FRIDAY, date(2025, 9, 20), 1),  # tatweel
    ("بعد غد", FRIDAY, date(2025, 9, 21), 1),
    ("aujourd’hui", FRIDAY, date(2025, 9, 19), 1),
    ("hier", FRIDAY, date(2025, 9, 18), 1),
    ("demain (samedi)", FRIDAY, date(2025, 9, 20), 1),
    ("yesterday", FRIDAY, date(2025, 9, 18), 1),
    ("tomorrow", FRIDAY, date(2025, 9, 20), 1),
    ("قبل يومين", FRIDAY, date(2025, 9, 17), 1),
    ("قبل ثلاثة أيام", FRIDAY, date(2025, 9, 16), 1),
    ("قبل ٥ أيام", FRIDAY, date(2025, 9, 14), 1),
    ("il y a deux jours", FRIDAY, date(2025, 9, 17), 1),
    ("three days ago", FRIDAY, date(2025, 9, 16), 1),
    # Weekdays: latest on or before publication; "last" strictly before.
    ("السبت", FRIDAY, date(2025, 9, 13), 1),
    ("يوم الخميس", FRIDAY, date(2025, 9, 18), 1),
    ("الجمعة", FRIDAY, date(2025, 9, 19), 1),
    ("الجمعة الماضي", FRIDAY, date(2025, 9, 12), 1),
    ("الجمعة الماضية", FRIDAY, date(2025, 9, 12), 1),
    ("الأربعاء الماضي", FRIDAY, date(2025, 9, 17), 1),
    ("السبت المقبل", FRIDAY, date(2025, 9, 20), 1),
    ("vendredi dernier", FRIDAY, date(2025, 9, 12), 1),
    ("last Monday", FRIDAY, date(2025, 9, 15), 1),
    ("next Friday", FRIDAY, date(2025, 9, 26), 1),
    # Weeks: last week is the Wednesday of the previous Monday-Sunday week.
    ("الأسبوع الماضي", FRIDAY, date(2025, 9, 10), 2),
    ("la semaine dernière", FRIDAY, date(2025, 9, 10), 2),
    ("last week", FRIDAY, date(2025, 9, 10), 2),
    ("الأسبوع الجاري", FRIDAY, date(2025, 9, 17), 2),
    ("هذا الأسبوع", FRIDAY, date(2025, 9, 17), 2),
    ("cette semaine", FRIDAY, date(2025, 9, 17), 2),
    ("earlier this week", FRIDAY, date(2025, 9, 16), 2),
    ("plus tôt cette semaine", FRIDAY, date(2025, 9, 16), 2),
    ("نهاية الأسبوع الماضي", FRIDAY, date(2025, 9, 13), 2),
    ("over the weekend", date(2025, 9, 22), date(2025, 9, 20), 2),
    # Months.
    ("الشهر الجاري", FRIDAY, date(2025, 9, 15), 3),
    ("الشهر الجاري", date(2025, 9, 10), date(2025, 9, 10), 3),  # the 15th is still to come
    ("مطلع الشهر الماضي", FRIDAY, date(2025, 8, 1), 3),
    ("أوائل الشهر الماضي", FRIDAY, date(2025, 8, 1), 3),
    ("أواخر الشهر الماضي", FRIDAY, date(2025, 8, 31), 3),
    ("نهاية الشهر الماضي", FRIDAY, date(2025, 8, 31), 3),
    ("منتصف الشهر الماضي", FRIDAY, date(2025, 8, 15), 3),
    ("الشهر الماضي", date(2025, 3, 5), date(2025, 2, 15), 3),
    ("أواخر الشهر الماضي", date(2024, 3, 5), date(2024, 2, 29), 3),  # leap year
    ("الشهر الماضي", date(2025, 1, 10), date(2024, 12, 15), 3),
    ("le mois dernier", FRIDAY, date(2025, 8, 15), 3),
    ("fin du mois dernier", FRIDAY, date(2025, 8, 31), 3),
    ("early last month", FRIDAY, date(2025, 8, 1), 3),
    ("أغسطس الماضي", FRIDAY, date(2025, 8, 15), 3),
    ("آب الماضي", FRIDAY, date(2025, 8, 15), 3),  # Levantine name
    ("غشت الماضي", FRIDAY, date(2025, 8, 15), 3),  # Moroccan name
    ("أوت الماضي", FRIDAY, date(2025, 8, 15), 3),  # Algerian/Tunisian name
    ("سبتمبر الماضي", FRIDAY, date(2024, 9, 15), 3),  # "last September" in September
    ("أواخر أغسطس الماضي", FRIDAY, date(2025, 8, 31), 3),
    ("août dernier", FRIDAY, date(2025, 8, 15), 3),
    ("depuis août dernier", FRIDAY, date(2025, 8, 15), 3),
    ("since last August", FRIDAY, date(2025, 8, 15), 3),
    ("أغسطس 2025", FRIDAY, date(2025, 8, 15), 3),
    ("كانون الثاني 2013", FRIDAY, date(2013, 1, 15), 3),
    ("fin août 2025", FRIDAY, date(2025, 8, 31), 3),
    ("mi-août", FRIDAY, date(2025, 8, 15), 3),
    ("في أغسطس", FRIDAY, date(2025, 8, 15), 3),
    # Explicit dates.
    ("19 سبتمبر 2025", FRIDAY, date(2025, 9, 19), 1),
    ("١٩ سبتمبر ٢٠٢٥", FRIDAY, date(2025, 9, 19), 1),  # Arabic-Indic digits
    ("19 أيلول/سبتمبر 2025", FRIDAY, date(2025, 9, 19), 1),
    ("الجمعة 19 سبتمبر 2025", FRIDAY, date(2025, 9, 19), 1),
    ("11 كانون الثاني 2013", FRIDAY, date(2013, 1, 11), 1),
    ("17 شباط/فبراير 2022", FRIDAY, date(2022, 2, 17), 1),
    ("15 أوت 2022", FRIDAY, date(2022, 8, 15), 1),
    ("19 septembre 2025", FRIDAY, date(2025, 9, 19), 1),
    ("le 1er août 2025", FRIDAY, date(2025, 8, 1), 1),
    ("19 September 2025", FRIDAY, date(2025, 9, 19), 1),
    ("September 19, 2025", FRIDAY, date(2025, 9, 19), 1),
    ("2025-09-19", FRIDAY, date(2025, 9, 19), 1),
    ("19/09/2025", FRIDAY, date(2025, 9, 19), 1),
    ("14 أغسطس", FRIDAY, date(2025, 8, 14), 1),
    ("le 14 août", FRIDAY, date(2025, 8, 14), 1),
    ("2 janvier", date(2025, 12, 30), date(2026, 1, 2), 1),  # nearest occurrence
]


@pytest.mark.parametrize(("expression", "published", "expected", "precision"), CASES)
def test_expression_resolves(
    expression: str, published: date, expected: date, precision: int
) -> None:
    resolved = resolve_date(expression, published)
    assert (resolved.date, resolved.precision) == (expected, precision)
    assert resolved.start <= resolved.date <= resolved.end


def test_resolution_names_rule_and_span() -> None:
    resolved = resolve_date("في وقت سابق من الأسبوع الجاري", FRIDAY)
    assert resolved.rule == "earlier this week"
    assert (resolved.start, resolved.end) == (date(2025, 9, 15), date(2025, 9, 18))
    last_week = resolve_date("الأسبوع الماضي", FRIDAY)
    assert (last_week.start, last_week.end) == (date(2025, 9, 8), date(2025, 9, 14))
    assert last_week.date.weekday() == 2  # Wednesday
    month = resolve_date("الشهر الماضي", FRIDAY)
    assert (month.start, month.end) == (date(2025, 8, 1), date(2025, 8, 31))


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("يوم غد (الأحد)", "Sunday"),  # tomorrow is Saturday
        ("أمس (الأربعاء)", "Wednesday"),
        ("الخميس 19 سبتمبر 2025", "Thursday"),
        ("عام 2020", "only a year"),
        ("في عام 2022", "only a year"),
        ("منذ عام 2013", "only a year"),
        ("en 2022", "only a year"),
        ("31 فبراير 2025", "not a valid date"),
        ("2025-13-01", "not a valid date"),
        ("19 أيلول/أكتوبر 2025", "two different months"),
        ("مؤخراً", "no rule"),
        ("منذ يومين", "no rule"),  # "for two days" or "two days ago": the coder decides
        ("", "empty"),
        ("   ", "empty"),
        ("قريباً جداً", "no rule"),
    ],
)
def test_bad_expression_raises_with_the_expression(expression: str, fragment: str) -> None:
    with pytest.raises(DateExpressionError) as raised:
        resolve_date(expression, FRIDAY)
    assert fragment in str(raised.value)
    assert raised.value.expression == expression
    if expression.strip():
        assert repr(expression) in str(raised.value)


def test_overlong_expression_is_refused() -> None:
    with pytest.raises(DateExpressionError, match="too long"):
        resolve_date("أمس " * 100, FRIDAY)


def test_earlier_this_week_on_a_monday_is_refused() -> None:
    with pytest.raises(DateExpressionError, match="Monday"):
        resolve_date("earlier this week", date(2025, 9, 15))


def test_spec_with_explicit_date_keeps_its_precision() -> None:
    resolved = resolve_date(DateSpec(on=date(2025, 8, 14), precision=3), FRIDAY)
    assert (resolved.date, resolved.precision, resolved.rule) == (date(2025, 8, 14), 3, "on")
    assert (resolved.start, resolved.end) == (date(2025, 8, 1), date(2025, 8, 31))
    week = resolve_date(DateSpec(on=date(2025, 8, 14), precision=2), FRIDAY)
    assert (week.start, week.end) == (date(2025, 8, 11), date(2025, 8, 17))


def test_spec_precision_overrides_the_rule() -> None:
    resolved = resolve_date(DateSpec(expression="الشهر الماضي", precision=2), FRIDAY)
    assert (resolved.date, resolved.precision) == (date(2025, 8, 15), 2)
    plain = resolve_date(DateSpec(expression="الشهر الماضي"), FRIDAY)
    assert plain.precision == 3


def test_every_rule_example_resolves_or_is_refused_as_documented() -> None:
    for rule in RULES:
        for example in rule.examples:
            if rule.name == "year only":
                with pytest.raises(DateExpressionError):
                    resolve_date(example, FRIDAY)
            else:
                assert resolve_date(example, FRIDAY).rule == rule.name, example


# Rules for the past never resolve after the report. Others may: tomorrow,
# next Friday, an explicit date, "the end of September" written on 19 September.
_PAST_RULES = {
    "today",
    "days ago",
    "yesterday",
    "day before yesterday",
    "last weekday",
    "weekday",
    "earlier this week",
    "last weekend",
    "last week",
    "this week",
    "last month",
    "last named month",
}
_WORDS = [
    "غد",
    "السبت",
    "الماضي",
    "الأسبوع",
    "الشهر",
    "أغسطس",
    "آب",
    "(",
    ")",
    "في",
    "منذ",
    "19",
    "2025",
    "le",
    "dernier",
    "last",
    "week",
    "août",
    "مطلع",
    "أواخر",
    "الجاري",
    "يوم",
    "وقت سابق من",
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.lists(st.sampled_from(_WORDS), max_size=6).map(" ".join),
    ),
    published=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
def test_any_text_resolves_or_raises_date_expression_error(text: str, published: date) -> None:
    try:
        resolved = resolve_date(text, published)
    except DateExpressionError:
        return
    assert isinstance(resolved, ResolvedDate)
    assert resolved.precision in {1, 2, 3}
    assert resolved.start <= resolved.date <= resolved.end
    if resolved.rule in _PAST_RULES:
        assert resolved.date <= published


@settings(max_examples=100, deadline=None)
@given(published=st.dates(min_value=date(1900, 1, 8), max_value=date(2100, 12, 1)))
def test_relative_days_keep_their_distance(published: date) -> None:
    assert resolve_date("أمس", published).date == published - timedelta(days=1)
    assert resolve_date("غداً", published).date == published + timedelta(days=1)
    last_week = resolve_date("الأسبوع الماضي", published)
    assert last_week.end < published
    assert (published - last_week.date).days in range(5, 12)  # Monday: 5, Sunday: 11


def test_reference_documents_every_rule() -> None:
    reference = Path(__file__).parents[2] / "docs" / "coding-reference.md"
    text = reference.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule.name}` |" in text, rule.name


def test_example_script_runs_offline() -> None:
    import subprocess
    import sys

    script = Path(__file__).parents[2] / "examples" / "resolve_dates.py"
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True
    )
    assert "حتى يوم غد (السبت)" in result.stdout
    assert "2025-09-20" in result.stdout and "2025-09-16" in result.stdout
    assert "gives only a year" in result.stdout
