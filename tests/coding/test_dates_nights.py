"""Nights, evenings, la veille, l'avant-veille and their Arabic forms (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest

from sahel_events.coding.dates import resolve_date
from sahel_events.exc import CodingSheetError, DateExpressionError

TUESDAY = date(2025, 9, 16)


@pytest.mark.parametrize(
    ("expression", "expected", "rule"),
    [
        ("the night of Sunday to Monday", "2025-09-14", "night between two days"),
        ("overnight Monday to Tuesday", "2025-09-15", "night between two days"),
        ("dans la nuit de lundi à mardi", "2025-09-15", "night between two days"),
        ("la nuit du samedi au dimanche", "2025-09-13", "night between two days"),
        ("ليل الأحد-الإثنين", "2025-09-14", "night between two days"),
        ("ليلة السبت إلى الأحد", "2025-09-13", "night between two days"),
        ("خلال ليل الاثنين الثلاثاء", "2025-09-15", "night between two days"),
        ("lundi soir", "2025-09-15", "weekday evening or night"),
        ("dans la soirée de dimanche", "2025-09-14", "weekday evening or night"),
        ("on Tuesday night", "2025-09-16", "weekday evening or night"),
        ("Monday evening", "2025-09-15", "weekday evening or night"),
        ("مساء الاثنين", "2025-09-15", "weekday evening or night"),
        ("مساء يوم الأحد", "2025-09-14", "weekday evening or night"),
        ("ليلة الجمعة", "2025-09-11", "Arabic eve of a weekday"),
        ("la veille", "2025-09-15", "the day before (la veille)"),
        ("la veille au soir", "2025-09-15", "the day before (la veille)"),
        ("اليوم السابق", "2025-09-15", "the day before (la veille)"),
        ("الليلة الماضية", "2025-09-15", "the day before (la veille)"),
        ("l'avant-veille", "2025-09-14", "two days before (l'avant-veille)"),
        ("avant-hier", "2025-09-14", "day before yesterday"),
        ("أول أمس", "2025-09-14", "day before yesterday"),
    ],
)
def test_resolves(expression: str, expected: str, rule: str) -> None:
    resolved = resolve_date(expression, TUESDAY)
    assert (resolved.date.isoformat(), resolved.precision, resolved.rule) == (expected, 1, rule)


def test_a_night_between_days_that_do_not_follow_is_refused() -> None:
    with pytest.raises(DateExpressionError, match="do not follow each other"):
        resolve_date("dans la nuit de lundi à jeudi", TUESDAY)


def test_date_expression_error_is_a_coding_sheet_error_and_a_value_error() -> None:
    with pytest.raises(CodingSheetError):
        resolve_date("never", TUESDAY)
    with pytest.raises(ValueError):
        resolve_date("never", TUESDAY)
