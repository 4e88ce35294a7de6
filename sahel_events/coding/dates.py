"""Date expressions: a source's own words for "when", resolved by ACLED's rules.

News reports date events relative to themselves: «أمس», «حتى يوم غد (السبت)»,
«الأسبوع الماضي», «منذ أغسطس الماضي», "earlier this week", « le mois dernier ».
A coding sheet may keep those words (``date.expression``); :func:`resolve_date`
turns them into an event date and ACLED's ``time_precision`` against the
source's publication date, following the ACLED codebook's time-precision rules:

* **1**, a day: the date itself;
* **2**, a week or a similar span: the middle of the span. For "last week"
  ACLED allows Wednesday or Thursday; this library always uses **Wednesday**
  (the middle of a Sunday-to-Saturday week and of the Monday-to-Friday working
  week), so that every "last week" is dated the same weekday. For other spans
  with an even number of days the *earlier* middle day is used, so the date
  never drifts towards the publication date;
* **3**, a month: the 15th; the 1st when the source says the beginning of the
  month and the last day when it says the end. For the month of publication
  the 15th is replaced by the publication date when the 15th is still to come
  (an event is not reported before it happens).

Weeks run from **Monday** to Sunday (ISO 8601, and the administrative week
of the Sahel states). Less than a month is not a date in ACLED: an expression
giving only a year (« عام 2020 ») raises :class:`DateExpressionError`; the
sheet must then give ``on`` with a ``precision`` taken from other reports.

The rules are the table :data:`RULES`, tried in order on the expression after
folding (see :func:`sahel_events.coding.evidence.fold`: Arabic diacritics,
tatweel, hamza/alef forms, ى/ي, ة/ه, Arabic-Indic digits, case and accents)
and after dropping leading particles such as «في», «حتى», «منذ», «يوم»,
"on", "since", « depuis », « le ».
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sahel_events.coding.evidence import fold
from sahel_events.exc import DateExpressionError

if TYPE_CHECKING:
    from sahel_events.coding.sheet import DateSpec

__all__ = [
    "MAX_EXPRESSION_LENGTH",
    "MONTH_NAMES",
    "MONTH_PARTS",
    "NUMBER_WORDS",
    "PARTICLES",
    "RULES",
    "WEEKDAY_NAMES",
    "DateExpressionError",
    "DateRule",
    "ResolvedDate",
    "resolve_date",
]


_Day = date  # the field named `date` below shadows the type inside the class


@dataclass(frozen=True)
class ResolvedDate:
    """An event date with ACLED's time precision and the span it stands for.

    Attributes:
        date: The event date to record.
        precision: ACLED ``time_precision``: 1 day, 2 week or similar, 3 month.
        start: First day the expression can mean.
        end: Last day the expression can mean.
        rule: Name of the rule of :data:`RULES` that applied (or ``"on"``).
    """

    date: _Day
    precision: int
    start: _Day
    end: _Day
    rule: str


# --- Vocabulary (written plainly; folded when the patterns are built) -----------

#: Month names by month number: Arabic (Egyptian/Gulf, Levantine/Iraqi,
#: Algerian/Tunisian and Moroccan series), French and English.
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "January", "Jan", "janvier", "janv"),
    2: ("فبراير", "شباط", "فيفري", "February", "Feb", "février", "févr", "fevr"),
    3: ("مارس", "آذار", "March", "Mar", "mars"),
    4: ("أبريل", "إبريل", "نيسان", "أفريل", "April", "Apr", "avril"),
    5: ("مايو", "أيار", "ماي", "May", "mai"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "June", "Jun", "juin"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز", "July", "Jul", "juillet", "juil"),
    8: ("أغسطس", "آب", "أوت", "غشت", "August", "Aug", "août"),
    9: ("سبتمبر", "أيلول", "شتنبر", "September", "Sept", "Sep", "septembre"),
    10: ("أكتوبر", "تشرين الأول", "October", "Oct", "octobre"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر", "November", "Nov", "novembre"),
    12: ("ديسمبر", "كانون الأول", "دجنبر", "December", "Dec", "décembre"),
}

#: Weekday names by Python weekday number (Monday is 0).
WEEKDAY_NAMES: dict[int, tuple[str, ...]] = {
    0: ("الاثنين", "الإثنين", "اثنين", "Monday", "lundi"),
    1: ("الثلاثاء", "ثلاثاء", "Tuesday", "mardi"),
    2: ("الأربعاء", "أربعاء", "Wednesday", "mercredi"),
    3: ("الخميس", "خميس", "Thursday", "jeudi"),
    4: ("الجمعة", "جمعة", "Friday", "vendredi"),
    5: ("السبت", "سبت", "Saturday", "samedi"),
    6: ("الأحد", "أحد", "Sunday", "dimanche"),
}

#: Small counts written as words, for "two days ago", «قبل ثلاثة أيام».
NUMBER_WORDS: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6,
}  # fmt: skip

#: Words that introduce a date without changing it ("on", "since", "until"...),
#: dropped from the start of an expression before the rules are tried.
#: "Since August" dates the moment something began, which is August itself.
PARTICLES: tuple[str, ...] = (
    "في",
    "وفي",
    "حتى",
    "وحتى",
    "منذ",
    "ومنذ",
    "خلال",
    "يوم",
    "اعتبارا من",
    "ابتداء من",
    "on",
    "in",
    "since",
    "until",
    "till",
    "by",
    "during",
    "as of",
    "depuis",
    "jusqu'à",
    "jusqu'au",
    "le",
    "en",
    "dans",
    "pendant",
    "au cours de",
    "à partir de",
    "dès",
)

#: Phrases placing a date in its month: beginning (1st), middle (15th), end (last day).
MONTH_PARTS: dict[str, str] = {
    "مطلع ": "beginning",
    "أوائل ": "beginning",
    "بداية ": "beginning",
    "مستهل ": "beginning",
    "منتصف ": "middle",
    "أواسط ": "middle",
    "أواخر ": "end",
    "نهاية ": "end",
    "آخر ": "end",
    "début ": "beginning",
    "début du ": "beginning",
    "au début du ": "beginning",
    "début du mois de ": "beginning",
    "début du mois d'": "beginning",
    "mi-": "middle",
    "mi ": "middle",
    "à la mi-": "middle",
    "fin ": "end",
    "fin du ": "end",
    "à la fin du ": "end",
    "fin du mois de ": "end",
    "fin du mois d'": "end",
    "early ": "beginning",
    "early in ": "beginning",
    "beginning of ": "beginning",
    "the beginning of ": "beginning",
    "at the beginning of ": "beginning",
    "mid-": "middle",
    "mid ": "middle",
    "the middle of ": "middle",
    "in the middle of ": "middle",
    "late ": "end",
    "late in ": "end",
    "end of ": "end",
    "the end of ": "end",
    "at the end of ": "end",
}


def _alternation(phrases: Iterable[str]) -> str:
    # Longest first, so "كانون الثاني" wins over a shorter name it contains.
    folded = sorted({fold(phrase) for phrase in phrases}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(phrase) for phrase in folded)


def _index(names: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {fold(name): number for number, group in names.items() for name in group}


_MONTH_OF = _index(MONTH_NAMES)
_WEEKDAY_OF = _index(WEEKDAY_NAMES)
_NUMBER_OF = {fold(word).strip(): number for word, number in NUMBER_WORDS.items()}
_NUMBER = "|".join(re.escape(word) for word in sorted(_NUMBER_OF, key=lambda w: (-len(w), w)))
_PART_OF = {fold(phrase).rstrip(): part for phrase, part in MONTH_PARTS.items()}
_PARTICLE_RE = re.compile(rf"^(?:(?:{_alternation(PARTICLES)}) )+")

_MONTH = _alternation(_MONTH_OF)
_WEEKDAY = _alternation(_WEEKDAY_OF)
_PARTS = "|".join(
    re.escape(phrase)
    for phrase in sorted({fold(p) for p in MONTH_PARTS}, key=lambda p: (-len(p), p))
)
_FRAGMENTS = {
    # A month, possibly written twice as in Levantine «أيلول/سبتمبر».
    "month": rf"(?:شهر )?(?P<month>{_MONTH})(?: ?/ ?(?P<month2>{_MONTH}))?",
    "part": rf"(?:(?P<part>{_PARTS}) ?)?",
    "day": r"(?P<day>[0-9]{1,2})(?:er|st|nd|rd|th)?",
    "year": r"(?P<year>[0-9]{4})",
    # An optional weekday that must agree with the date: «يوم غد (السبت)».
    "check": rf"(?: ?\(? ?(?P<check>{_WEEKDAY}) ?\)?)?",
    "check_before": rf"(?:(?P<check_before>{_WEEKDAY}) )?",
    "weekday": rf"(?P<weekday>{_WEEKDAY})",
    "weekday2": rf"(?P<weekday2>{_WEEKDAY})",
    "count": rf"(?:(?P<n>[0-9]{{1,2}})|(?P<word>{_NUMBER}))",
}


# --- Resolvers ------------------------------------------------------------------

Span = tuple[date, int, date, date]  # (date, precision, start, end)


def _day(day: date) -> Span:
    return day, 1, day, day


def _middle(start: date, end: date) -> Span:
    return start + timedelta(days=(end - start).days // 2), 2, start, end


def _month(year: int, month: int, part: str | None, published: date) -> Span:
    last = calendar.monthrange(year, month)[1]
    start, end = date(year, month, 1), date(year, month, last)
    if part == "beginning":
        return start, 3, start, end
    if part == "end":
        return end, 3, start, end
    middle = date(year, month, 15)
    if start <= published < middle:
        middle = published
    return middle, 3, start, end


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _months_back(published: date, months: int) -> tuple[int, int]:
    index = published.year * 12 + published.month - 1 - months
    return index // 12, index % 12 + 1


def _month_number(match: re.Match[str], expression: str) -> int:
    month = _MONTH_OF[match["month"]]
    if match["month2"] is not None and _MONTH_OF[match["month2"]] != month:
        raise DateExpressionError(
            f"{expression!r} names two different months ({match['month']} and {match['month2']})",
            expression,
        )
    return month


def _part(match: re.Match[str]) -> str | None:
    return _PART_OF[match["part"].rstrip()] if match["part"] else None


Resolver = Callable[[re.Match[str], date, str], Span]


def _offset(days: int) -> Resolver:
    def resolve(match: re.Match[str], published: date, expression: str) -> Span:
        return _day(published + timedelta(days=days))

    return resolve


def _weekday(direction: str) -> Resolver:
    def resolve(match: re.Match[str], published: date, expression: str) -> Span:
        wanted = _WEEKDAY_OF[match["weekday"]]
        back = (published.weekday() - wanted) % 7
        if direction == "past":
            return _day(published - timedelta(days=back or 7))
        if direction == "next":
            return _day(published + timedelta(days=(wanted - published.weekday()) % 7 or 7))
        return _day(published - timedelta(days=back))

    return resolve


def _night_between(match: re.Match[str], published: date, expression: str) -> Span:
    first, second = _WEEKDAY_OF[match["weekday"]], _WEEKDAY_OF[match["weekday2"]]
    if (first + 1) % 7 != second:
        raise DateExpressionError(
            f"{expression!r} names a night between {calendar.day_name[first]} and "
            f"{calendar.day_name[second]}, which do not follow each other",
            expression,
        )
    # A night is dated by the day it began on (ACLED codes the first day).
    return _day(published - timedelta(days=(published.weekday() - first) % 7))


def _arabic_eve(match: re.Match[str], published: date, expression: str) -> Span:
    # «ليلة الجمعة» is, by Arabic custom, the night before Friday: Thursday night.
    wanted = _WEEKDAY_OF[match["weekday"]]
    day = published - timedelta(days=(published.weekday() - wanted) % 7)
    return _day(day - timedelta(days=1))


def _last_week(match: re.Match[str], published: date, expression: str) -> Span:
    start = _monday(published) - timedelta(days=7)
    return start + timedelta(days=2), 2, start, start + timedelta(days=6)


def _this_week(match: re.Match[str], published: date, expression: str) -> Span:
    return _middle(_monday(published), published)


def _earlier_this_week(match: re.Match[str], published: date, expression: str) -> Span:
    start = _monday(published)
    if published == start:
        raise DateExpressionError(
            f"{expression!r} in a source published on a Monday leaves no earlier day in "
            "the week (weeks start on Monday); give the date with 'on'",
            expression,
        )
    return _middle(start, published - timedelta(days=1))


def _days_ago(match: re.Match[str], published: date, expression: str) -> Span:
    groups = match.groupdict()
    if groups.get("n"):
        count = int(groups["n"])
    elif groups.get("word"):
        count = _NUMBER_OF[groups["word"]]
    else:
        count = 2  # the Arabic dual «يومين», "two days"
    return _day(published - timedelta(days=count))


def _weekend(match: re.Match[str], published: date, expression: str) -> Span:
    saturday = published - timedelta(days=(published.weekday() - 5) % 7 or 7)
    return saturday, 2, saturday, min(saturday + timedelta(days=1), published)


def _relative_month(months_back: int) -> Resolver:
    def resolve(match: re.Match[str], published: date, expression: str) -> Span:
        year, month = _months_back(published, months_back)
        return _month(year, month, _part(match), published)

    return resolve


def _named_month(strictly_past: bool) -> Resolver:
    def resolve(match: re.Match[str], published: date, expression: str) -> Span:
        month = _month_number(match, expression)
        year = published.year
        if month > published.month or (strictly_past and month == published.month):
            year -= 1
        return _month(year, month, _part(match), published)

    return resolve


def _month_year(match: re.Match[str], published: date, expression: str) -> Span:
    return _month(int(match["year"]), _month_number(match, expression), _part(match), published)


def _full_date(match: re.Match[str], published: date, expression: str) -> Span:
    groups = match.groupdict()
    month = _month_number(match, expression) if groups.get("month") else int(groups["mon"])
    return _day(date(int(match["year"]), month, int(match["day"])))


def _day_month(match: re.Match[str], published: date, expression: str) -> Span:
    month = _month_number(match, expression)
    day = int(match["day"])
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise DateExpressionError(f"{expression!r} is not a date in any year", expression)
    # Without a year, the report means the occurrence nearest to it.
    nearest = min(candidates, key=lambda day: (abs((day - published).days), day))
    return _day(nearest)


def _year_only(match: re.Match[str], published: date, expression: str) -> Span:
    raise DateExpressionError(
        f"{expression!r} gives only a year ({match['year']}); ACLED records no event known "
        "less precisely than its month: give the date with 'on' and 'precision' from other reports",
        expression,
    )


# --- The rule table -----------------------------------------------------------------


@dataclass(frozen=True)
class DateRule:
    """One way of writing a date, with how it resolves.

    Attributes:
        name: Short name, reported as :attr:`ResolvedDate.rule`.
        patterns: Regular expressions over the *folded* expression (so written
            folded themselves: lower case, ه for ة, ي for ى, bare alef); ``{month}``,
            ``{day}``, ``{year}``, ``{part}``, ``{weekday}`` and ``{check}``
            are filled in from the vocabulary tables.
        resolve: Computes (date, precision, start, end) from the match.
        meaning: How the date is chosen, for people.
        examples: Expressions the rule understands.
    """

    name: str
    patterns: tuple[str, ...]
    resolve: Resolver
    meaning: str
    examples: tuple[str, ...]

    def match(self, folded: str) -> re.Match[str] | None:
        """The match of the first pattern that covers all of ``folded``, if any."""
        for pattern in _compiled(self):
            found = pattern.fullmatch(folded)
            if found is not None:
                return found
        return None


_COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {}


def _compiled(rule: DateRule) -> tuple[re.Pattern[str], ...]:
    if rule.name not in _COMPILED:
        _COMPILED[rule.name] = tuple(
            re.compile(pattern.format(**_FRAGMENTS)) for pattern in rule.patterns
        )
    return _COMPILED[rule.name]


_TIME_OF_DAY = r"(?:(?:صباح|مساء|ليله|ظهر|فجر|عصر) )?"

#: The date rules, tried in order; the first whose pattern matches the whole
#: folded expression applies.
RULES: tuple[DateRule, ...] = (
    DateRule(
        "iso date",
        (r"(?P<year>[0-9]{{4}})-(?P<mon>[0-9]{{2}})-(?P<day>[0-9]{{2}})",),
        _full_date,
        "that day, precision 1",
        ("2025-09-19",),
    ),
    DateRule(
        "date",
        (
            r"{check_before}{day} {month},? {year}{check}",
            r"{check_before}{month} {day},? {year}{check}",
            r"{check_before}(?P<day>[0-9]{{1,2}})/(?P<mon>[0-9]{{1,2}})/{year}{check}",
        ),
        _full_date,
        "that day, precision 1 (numeric dates are day/month/year)",
        (
            "19 سبتمبر 2025",
            "الجمعة 19 أيلول/سبتمبر 2025",
            "19 septembre 2025",
            "September 19, 2025",
        ),
    ),
    DateRule(
        "day and month",
        (r"{check_before}{day} {month}{check}", r"{check_before}{month} {day}{check}"),
        _day_month,
        "that day in the year that puts it nearest the publication date, precision 1",
        ("19 سبتمبر", "le 14 août", "August 14"),
    ),
    DateRule(
        "today",
        (
            _TIME_OF_DAY + r"(?:اليوم|هذا اليوم){check}",
            r"(?:aujourd'hui|ce jour|ce matin|ce soir){check}",
            r"(?:today|this morning|this afternoon|this evening|tonight){check}",
        ),
        _offset(0),
        "the publication date, precision 1",
        ("اليوم", "aujourd'hui", "today"),
    ),
    DateRule(
        "night between two days",
        (
            r"(?:the )?night (?:of|from|between) {weekday} (?:to|into|and) {weekday2}",
            r"overnight (?:from )?{weekday} (?:to|into) {weekday2}",
            r"(?:la )?nuit (?:de|du|entre) {weekday} (?:a|au|et) {weekday2}",
            r"(?:ليل|ليله) {weekday}(?: ?(?:-|/|الي|و) ?| ){weekday2}",
        ),
        _night_between,
        "the day the night began (the first weekday), precision 1; the two weekdays "
        "must follow each other",
        (
            "the night of Sunday to Monday",
            "dans la nuit de lundi à mardi",
            "ليل الأحد-الإثنين",
            "ليلة السبت إلى الأحد",
        ),
    ),
    DateRule(
        "weekday evening or night",
        (
            r"(?:on )?{weekday} (?:night|evening|morning|afternoon)",
            r"(?:on )?the (?:night|evening|morning) of {weekday}",
            r"{weekday} (?:soir|matin|apres-midi|dans la soiree|dans la nuit|dans la matinee)",
            r"(?:la )?(?:soiree|nuit|matinee|journee) (?:de|du) {weekday}",
            r"(?:مساء|صباح|ظهر|عصر|فجر|ليل|مساء يوم|صباح يوم|فجر يوم|ليل يوم) {weekday}",
        ),
        _weekday("latest"),
        "the latest such weekday on or before publication, precision 1 (an evening or "
        "night is dated by the day it belongs to)",
        ("lundi soir", "on Tuesday night", "مساء الاثنين", "la soirée de mardi"),
    ),
    DateRule(
        "Arabic eve of a weekday",
        (r"ليله {weekday}",),
        _arabic_eve,
        "the day before the latest such weekday on or before publication, precision 1: "
        "«ليلة الجمعة» is, by Arabic custom, the night before Friday",
        ("ليلة الجمعة",),
    ),
    DateRule(
        "the day before (la veille)",
        (
            r"(?:la )?veille(?: au soir)?",
            r"(?:اليوم السابق|الليله السابقه|عشيه ذلك)",
            r"the (?:previous|preceding) (?:day|night|evening)",
            r"(?:la )?nuit derniere",
            r"(?:الليله الماضيه|ليل امس|ليله امس)",
        ),
        _offset(-1),
        "the day before publication, precision 1 (la veille in a report means the day "
        "before the report)",
        ("la veille", "الليلة الماضية", "اليوم السابق", "the previous day"),
    ),
    DateRule(
        "two days before (l'avant-veille)",
        (r"(?:l')?avant-veille", r"(?:قبل اليوم السابق|اول من امس الاول)"),
        _offset(-2),
        "two days before publication, precision 1",
        ("l'avant-veille",),
    ),
    DateRule(
        "day before yesterday",
        (
            r"(?:اول امس|اول من امس){check}",
            r"avant-hier{check}",
            r"the day before yesterday{check}",
        ),
        _offset(-2),
        "two days before publication, precision 1",
        ("أول أمس", "avant-hier"),
    ),
    DateRule(
        "yesterday",
        (
            _TIME_OF_DAY + r"(?:امس|البارحه){check}",
            r"hier(?: matin| soir| apres-midi)?{check}",
            r"(?:yesterday(?: morning| afternoon| evening)?|last night){check}",
        ),
        _offset(-1),
        "the day before publication, precision 1",
        ("أمس", "مساء أمس (الخميس)", "hier", "yesterday"),
    ),
    DateRule(
        "day after tomorrow",
        (r"بعد (?:غد|غدا){check}", r"apres-demain{check}", r"the day after tomorrow{check}"),
        _offset(2),
        "two days after publication, precision 1",
        ("بعد غد", "après-demain"),
    ),
    DateRule(
        "tomorrow",
        (
            _TIME_OF_DAY + r"(?:غد|غدا|الغد){check}",
            r"demain(?: matin| soir)?{check}",
            r"tomorrow(?: morning| evening)?{check}",
        ),
        _offset(1),
        "the day after publication, precision 1 (a weekday in brackets must agree)",
        ("غداً", "يوم غد (السبت)", "حتى يوم غد (السبت)", "demain", "tomorrow"),
    ),
    DateRule(
        "days ago",
        (
            r"قبل (?:يومين|{count} (?:ايام|يوما|يوم))",
            r"il y a {count} jours",
            r"{count} days ago",
        ),
        _days_ago,
        "that many days before publication, precision 1 (not «منذ يومين»: «منذ» may mean "
        "'for', so it is left to the coder)",
        ("قبل يومين", "قبل ثلاثة أيام", "il y a 3 jours", "two days ago"),
    ),
    DateRule(
        "last weekday",
        (
            r"{weekday} (?:الماضي|الماضيه|المنصرم|الفائت)",
            r"{weekday} (?:dernier|passe)",
            r"(?:last|past) {weekday}",
        ),
        _weekday("past"),
        "the latest such weekday before publication, precision 1",
        ("الجمعة الماضي", "vendredi dernier", "last Friday"),
    ),
    DateRule(
        "next weekday",
        (
            r"{weekday} (?:المقبل|المقبله|القادم|القادمه)",
            r"{weekday} prochain",
            r"(?:next|coming|this coming) {weekday}",
        ),
        _weekday("next"),
        "the first such weekday after publication, precision 1",
        ("السبت المقبل", "samedi prochain", "next Saturday"),
    ),
    DateRule(
        "weekday",
        (r"{weekday}",),
        _weekday("latest"),
        "the latest such weekday on or before publication (the publication day itself "
        "when it is that weekday), precision 1",
        ("السبت", "vendredi", "Thursday"),
    ),
    DateRule(
        "earlier this week",
        (
            r"(?:وقت سابق|فتره سابقه) (?:من|في|خلال) (?:الاسبوع الجاري|الاسبوع الحالي|هذا الاسبوع)",
            r"(?:وقت سابق|فتره سابقه) هذا الاسبوع",
            r"(?:plus tot|au debut de) (?:cette semaine|dans la semaine)",
            r"earlier (?:this week|in the week)",
        ),
        _earlier_this_week,
        "middle of Monday to the day before publication (the earlier middle day "
        "when two), precision 2",
        ("في وقت سابق من الأسبوع الجاري", "plus tôt cette semaine", "earlier this week"),
    ),
    DateRule(
        "last weekend",
        (
            r"(?:عطله )?نهايه الاسبوع(?: الماضي| المنصرم)?",
            r"(?:ce |le )?week-?end(?: dernier)?",
            r"(?:last |over the |the |this past )?weekend",
        ),
        _weekend,
        "the Saturday of the latest weekend before publication, precision 2",
        ("نهاية الأسبوع الماضي", "le week-end dernier", "over the weekend"),
    ),
    DateRule(
        "last week",
        (
            r"الاسبوع (?:الماضي|المنصرم|الفائت)",
            r"(?:la )?semaine (?:derniere|passee)",
            r"(?:last|the previous|previous|the past) week",
        ),
        _last_week,
        "Wednesday of the previous Monday-to-Sunday week, precision 2",
        ("الأسبوع الماضي", "la semaine dernière", "last week"),
    ),
    DateRule(
        "this week",
        (
            r"(?:الاسبوع الجاري|الاسبوع الحالي|هذا الاسبوع)",
            r"cette semaine",
            r"this week",
        ),
        _this_week,
        "middle of Monday to the publication date (the earlier middle day when two), precision 2",
        ("الأسبوع الجاري", "هذا الأسبوع", "cette semaine", "this week"),
    ),
    DateRule(
        "last month",
        (
            r"{part}الشهر (?:الماضي|المنصرم|الفائت)",
            r"{part}(?:le )?mois (?:dernier|passe|precedent)",
            r"{part}(?:last|the previous|previous) month",
        ),
        _relative_month(1),
        "15th of the previous month (1st at its beginning, last day at its end), precision 3",
        ("الشهر الماضي", "مطلع الشهر الماضي", "أواخر الشهر الماضي", "le mois dernier"),
    ),
    DateRule(
        "this month",
        (
            r"{part}(?:الشهر الجاري|الشهر الحالي|هذا الشهر)",
            r"{part}(?:ce mois-ci|ce mois)",
            r"{part}this month",
        ),
        _relative_month(0),
        "15th of the publication month, or the publication date if earlier "
        "(1st at its beginning, last day at its end), precision 3",
        ("الشهر الجاري", "ce mois-ci", "this month"),
    ),
    DateRule(
        "last named month",
        (
            r"{part}{month} (?:الماضي|المنصرم|الفائت)",
            r"{part}{month} (?:dernier|passe)",
            r"{part}last {month}",
        ),
        _named_month(strictly_past=True),
        "that month, in the latest year it is before the publication month; 15th "
        "(1st/last day at its beginning/end), precision 3",
        ("أغسطس الماضي", "منذ أغسطس الماضي", "آب الماضي", "août dernier", "last August"),
    ),
    DateRule(
        "month and year",
        (r"{part}{month},? {year}",),
        _month_year,
        "15th of that month (1st/last day at its beginning/end), precision 3",
        ("أغسطس 2025", "أواخر آب 2025", "fin août 2025", "August 2025"),
    ),
    DateRule(
        "named month",
        (r"{part}{month}",),
        _named_month(strictly_past=False),
        "that month, in the latest year it is not after the publication month; 15th "
        "(1st/last day at its beginning/end), precision 3",
        ("أغسطس", "en août", "in August", "mi-août"),
    ),
    DateRule(
        "year only",
        (
            r"(?:(?:عام|العام|سنه|السنه|l'annee|annee|the year|year) )?{year}",
            r"(?:مطلع|اوائل|منتصف|اواخر|نهايه|بدايه) (?:عام |العام )?{year}",
        ),
        _year_only,
        "refused: ACLED does not record events known only to the year",
        ("عام 2020", "في عام 2022", "en 2022"),
    ),
)

_PUNCTUATION = re.compile(r"[,;:!?؟«»\"“”]|\.(?=\s|$)")


def _prepare(expression: str) -> str:
    folded = fold(expression)
    folded = " ".join(_PUNCTUATION.sub(" ", folded).split())
    # A particle may be all there is ("يوم"): keep the text rather than nothing.
    return _PARTICLE_RE.sub("", folded + " ").strip() or folded


#: Longer text is not a date expression but a pasted sentence; refused unread.
MAX_EXPRESSION_LENGTH = 200


def _resolve_expression(expression: str, published: date) -> ResolvedDate:
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise DateExpressionError(
            f"{expression[:40]!r}... is {len(expression)} characters long, too long for a date "
            f"expression (at most {MAX_EXPRESSION_LENGTH}): quote only the words that date the event",
            expression,
        )
    folded = _prepare(expression)
    if not folded:
        raise DateExpressionError("the date expression is empty", expression)
    for rule in RULES:
        found = rule.match(folded)
        if found is None:
            continue
        try:
            day, precision, start, end = rule.resolve(found, published, expression)
        except (ValueError, OverflowError) as error:
            if isinstance(error, DateExpressionError):
                raise
            raise DateExpressionError(
                f"{expression!r} is not a valid date ({error})", expression
            ) from None
        _check_weekdays(found, day, expression)
        return ResolvedDate(day, precision, start, end, rule.name)
    raise DateExpressionError(
        f"cannot resolve the date expression {expression!r}: no rule understands it "
        "(see RULES in sahel_events.coding.dates); give the date with 'on' and 'precision'",
        expression,
    )


def _check_weekdays(found: re.Match[str], day: date, expression: str) -> None:
    for group in ("check", "check_before"):
        named = found.groupdict().get(group)
        if named is None:
            continue
        if _WEEKDAY_OF[named] != day.weekday():
            raise DateExpressionError(
                f"{expression!r} names {calendar.day_name[_WEEKDAY_OF[named]]}, but it resolves "
                f"to {day.isoformat()}, a {calendar.day_name[day.weekday()]}",
                expression,
            )


def resolve_date(spec_or_expression: str | DateSpec, published: date) -> ResolvedDate:
    """Resolve a coding sheet's date against the source's publication date.

    Args:
        spec_or_expression: A date expression (Arabic, French or English), or a sheet's
            :class:`~sahel_events.coding.sheet.DateSpec`. A spec with ``on`` gives
            that date at its stated precision; a spec with ``expression`` is
            resolved, and its ``precision``, when given, overrides the rule's.
        published: The source's publication date.

    Returns:
        The date, its precision, the span it stands for and the rule used.
        For an explicit ``on`` the span is the day (precision 1), the
        Monday-to-Sunday week (2) or the month (3) containing it.

    Raises:
        DateExpressionError: The expression is not understood, gives only a year, or contradicts
            itself (a weekday that does not match the date).

    Examples:
        >>> from datetime import date
        >>> resolve_date("حتى يوم غد (السبت)", date(2025, 9, 19))
        ResolvedDate(date=datetime.date(2025, 9, 20), precision=1, start=datetime.date(2025, 9, 20), end=datetime.date(2025, 9, 20), rule='tomorrow')
        >>> resolve_date("الشهر الماضي", date(2025, 9, 19)).date
        datetime.date(2025, 8, 15)
    """
    if isinstance(spec_or_expression, str):
        return _resolve_expression(spec_or_expression, published)
    spec = spec_or_expression
    if spec.on is not None:
        return _explicit(spec.on, spec.precision or 1)
    if spec.expression is None:
        raise DateExpressionError("the date has neither 'on' nor 'expression'", "")
    resolved = _resolve_expression(spec.expression, published)
    if spec.precision is not None and spec.precision != resolved.precision:
        return ResolvedDate(
            resolved.date, spec.precision, resolved.start, resolved.end, resolved.rule
        )
    return resolved


def _explicit(on: date, precision: int) -> ResolvedDate:
    if precision == 2:
        start = _monday(on)
        return ResolvedDate(on, 2, start, start + timedelta(days=6), "on")
    if precision == 3:
        last = calendar.monthrange(on.year, on.month)[1]
        return ResolvedDate(on, 3, on.replace(day=1), on.replace(day=last), "on")
    return ResolvedDate(on, 1, on, on, "on")
