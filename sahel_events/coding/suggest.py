"""A suggested draft coding for a registered source: every value tied to its words.

:func:`suggest` reads a source (so offsets are those the build checks), splits
it into sentences, finds event cues from a lexicon per ACLED sub-event type in
Arabic, French and English, and proposes for each event its place, actors,
date and fatalities, each with the exact span it came from. The result is a
coding sheet marked ``draft: true`` in which every suggested value carries a
comment quoting its span and offsets, and every field left to the coder is
``TODO``; the build refuses the draft until a person has checked each event
and removed its mark.

How each value is found (docs/coding-suggest.md gives the measured accuracy):

* **Sentences** end at ``. ! ? ؟`` before a space, at line ends and at blank
  lines, never at the Arabic comma ``،``. Page furniture (``عاجل``, ``تم نسخ
  الرابط``, bylines, "Read more") is skipped.
* **Cues** (:data:`CUES`) are tried in ACLED's priority order (a suicide bomb
  before an explosion, an explosion before an armed clash, a clash before an
  attack...). Arabic words match after the clitics و ف ب ل ك and the article
  ال. A sentence that threatens, denies, condemns or sums up (:data:`FILTERS`)
  gives no event.
* **Places** come from the gazetteer (and a user's places table), restricted
  to the countries the article names, nearest the cue; a name after a cue
  word such as ``à X``, ``في X`` or "village of X" that the gazetteer lacks is
  proposed *unresolved* with its span, never replaced by a namesake elsewhere.
* **Actors** come from the actor registry and ACLED's templates (a Civilians,
  Protesters or Unidentified Armed Group of the event's country).
* **Dates** are the longest words around a date anchor that
  :func:`~sahel_events.coding.dates.resolve_date` resolves against the
  publication date.
* **Fatalities**: number + killed patterns with number words in the three
  languages; the most conservative toll is proposed and the others listed.
  "Dozens" counts as 12 and a suicide bomber who died counts (ACLED's rules).
* **Grouping**: a cue sentence that brings no new place, date or toll joins
  the previous event.

Nothing is downloaded and no model is used: rules only, in this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from os import PathLike
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sahel_events.coding.actors import Actor, ActorRegistry
    from sahel_events.coding.places import UserPlaces
    from sahel_events.coding.sources import Source

__all__ = ["CUES", "FILTERS", "Draft", "Span", "SuggestedEvent", "Suggestion", "suggest"]

# --- The lexicon ---------------------------------------------------------------------

_AR_PREFIX = r"(?:[وفبلك]{0,2}(?:ال)?)"


_AR_SUFFIX = r"(?:ت|وا|ا|ها|ه|ون|ان|ين|ات|ية|يه|ي|يا)?"


def _ar(*stems: str) -> str:
    """Arabic words, matched after the clitics و ف ب ل ك and the article ال, with a
    short inflectional suffix, as whole words (so «بتنفيذ» is not «تنفي»)."""
    return (
        r"(?<![\u0621-\u064a])"
        + _AR_PREFIX
        + "(?:"
        + "|".join(stems)
        + ")"
        + _AR_SUFFIX
        + r"(?![\u0621-\u064a])"
    )


#: Event cues by sub-event type, in ACLED's priority order: when a sentence
#: holds several, the first listed wins. Each is (sub-event type, pattern).
CUES: tuple[tuple[str, str], ...] = (
    (
        "Suicide bomb",
        r"suicide (?:bomb(?:er|ing)?|attack(?:er)?|car bomb)|kamikaze|attentat[- ]suicide"
        r"|" + _ar("انتحاري", "انتحارية", "تفجير انتحاري", "هجوم انتحاري"),
    ),
    (
        "Air/drone strike",
        r"(?:air|drone|aerial)[- ]?strikes?|bombarded from the air|frappes? (?:aériennes?|de drones?)"
        r"|bombardements? aériens?|"
        + _ar("غارة جوية", "غارات جوية", "ضربة جوية", "مسيرة", "طائرة مسيرة", "قصف جوي"),
    ),
    (
        "Remote explosive/landmine/IED",
        r"\bIEDs?\b|improvised explosive|roadside bomb|landmines?|\bmines?\b|engin explosif|"
        r"\bEEI\b|explosion d'une mine|"
        + _ar("عبوة ناسفة", "عبوات ناسفة", "لغم", "ألغام", "الغام"),
    ),
    (
        "Armed clash",
        r"\bclash(?:es|ed)?\b|fighting|gunfight|exchange of fire|combats?|affrontements?|"
        r"accrochages?|" + _ar("اشتباك", "اشتباكات", "معارك", "مواجهات", "اشتبك"),
    ),
    (
        "Abduction/forced disappearance",
        r"\babduct(?:ed|ion|s)?\b|\bkidnap(?:ped|ping|s)?\b|taken hostage|enlev(?:é|ée|és|ées|ement)|"
        r"\brapt\b|pris en otage|" + _ar("اختطاف", "اختطف", "خطف", "اختطفوا", "رهائن"),
    ),
    (
        "Attack",
        r"\battack(?:ed|s)?\b|ambush(?:ed)?|gunmen (?:killed|opened fire)|massacre[ds]?|"
        r"\battaqu(?:e|é|ée|ent|és)\b|embuscade|"
        r"tu(?:é|ée|és|ées) (?:\w+ )?par des (?:hommes|individus) armés|"
        r"killed by (?:gunmen|attackers)|\bassault\b|pris d'assaut|"
        + _ar("هجوم", "هاجم", "هجمات", "كمين", "كمينين", "مجزرة", "هاجموا"),
    ),
    (
        "Looting/property destruction",
        r"\bloot(?:ed|ing)?\b|torched|set (?:on )?fire to|burn(?:ed|t) down|pill(?:é|age|ent)|"
        r"incendi(?:é|ée|és|ées)|" + _ar("نهب", "أحرق", "احرق", "إحراق", "احراق", "سلب"),
    ),
    (
        "Arrests",
        r"\barrest(?:ed|s)?\b|\bdetained\b|interpell(?:é|ée|és|ées|ation)|\barrêt(?:é|ée|és|ées)\b|"
        r"" + _ar("اعتقال", "اعتقل", "توقيف", "أوقف", "اوقف", "احتجاز", "احتجز"),
    ),
    (
        "Other",  # a coup, under Strategic developments
        r"\bcoup(?: d'état)?\b|military takeover|putsch|" + _ar("انقلاب", "انقلابي"),
    ),
    (
        "Violent demonstration",
        r"\briot(?:s|ers|ing)?\b|émeutes?|émeutiers|" + _ar("شغب", "أعمال شغب", "اعمال شغب"),
    ),
    (
        "Peaceful protest",
        r"\bprotest(?:s|ers|ed)?\b|demonstrat(?:ion|ors|ed)|\bmarch(?:ed)?\b|sit-in|"
        r"manifest(?:ation|ations|ants|é|ent)|"
        + _ar("مظاهرة", "مظاهرات", "احتجاج", "احتجاجات", "تظاهر", "متظاهرين", "متظاهرون"),
    ),
)

#: Words that make a sentence no event of its own: threats, denials,
#: condemnations, summaries of many events.
FILTERS: dict[str, str] = {
    "threat": r"\bthreat(?:en(?:s|ed)?)?\b|ready to|could attack|warn(?:s|ed)? of|menac(?:e|ent)|"
    r"prêts? à|" + _ar("يهدد", "هدد", "تهدد", "تهديد", "مستعد"),
    "denial": r"\bden(?:y|ies|ied)\b|dément|démenti|nie\b|" + _ar("نفى", "ينفي", "نفت", "تنفي"),
    "condemnation": r"\bcondemn(?:s|ed)?\b|condamn(?:e|é|ent)|dénonc(?:e|é)|"
    + _ar("أدان", "ادان", "يدين", "تدين", "ندد", "استنكر"),
    "summary": r"since the (?:start|beginning) of the year|in total|so far this year|"
    r"since (?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|[0-9]{4})|depuis (?:le début|janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre|[0-9]{4})|منذ (?:عام |مطلع |بداية )?[0-9]{4}|"
    r"depuis le début de l'année|au total|"
    + _ar("منذ بداية العام", "منذ مطلع العام", "في المجموع", "حصيلة إجمالية"),
}

_FURNITURE = re.compile(
    r"^\s*(?:عاجل|تم نسخ الرابط|اقرأ أيضا|اقرأ أيضاً|شارك|Read more|Lire aussi|Advertisement|"
    r"Publicité|(?:by|par|بقلم)\s+\S.{0,60}|\(?(?:AFP|Reuters|AP)\)?|[A-ZÀ-Ý ]{2,30}\s*\((?:AFP|Reuters)\))\s*[.:]?\s*$",
    re.IGNORECASE,
)

# Words after which an unknown capitalised name is a place: "à X", "village of X".
_PLACE_INTRO = re.compile(
    r"(?:\b(?:à|near|in|at|près de|village of|town of|locality of|commune of|"
    r"village de|localité de|commune de|ville de)\s+|"
    r"(?<![\u0621-\u064a])[وبف]?(?:بالقرب من|قرية|قرى|بلدة|مدينة|منطقة):?\s+)"
    r"(?P<name>(?:[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2})|[\u0621-\u064a]{3,}(?:\s+[\u0621-\u064a]{3,})?)",
)

# --- Fatalities -----------------------------------------------------------------------

_NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a dozen": 12, "dozens": 12,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six ": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "cent": 100, "une dizaine": 10,
    "une douzaine": 12, "des dizaines": 12, "une vingtaine": 20, "une trentaine": 30,
    "plusieurs dizaines": 12, "scores": 12, "quatorze": 14, "treize": 13, "seize": 16,
    "dix-huit": 18, "fourteen": 14, "thirteen": 13, "sixteen": 16, "eighteen": 18,
    "sixty": 60, "soixante": 60, "ستين": 60, "سبعين": 70,
    "واحد": 1, "اثنين": 2, "اثنان": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "اربعة": 4,
    "خمسة": 5, "ستة": 6, "سبعة": 7, "ثمانية": 8, "تسعة": 9, "عشرة": 10, "عشرين": 20,
    "عشرون": 20, "ثلاثين": 30, "أربعين": 40, "خمسين": 50, "مئة": 100, "مائة": 100,
    "عشرات": 12,
}  # fmt: skip
_NUMBER = (
    r"(?P<n>[0-9]{1,4}|[٠-٩]{1,4}|"
    + "|".join(re.escape(word.strip()) for word in sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")"
)
_KILLED = (
    r"(?:killed|dead|died|shot dead|lost their lives|tués|tuées|tué|tuée|morts|péri|"
    r"trouvé la mort|perdu la vie|قتلى|قتيلا|قتيل|قتلوا|لقوا حتفهم|مصرعهم)"
)
# Real reports put up to a few words between the number and the verb: "Au moins
# quatorze personnes, dont un supplétif civil, ont été tuées" (a real quirk).
_NUMBER_TOKEN = re.compile(r"(?<![\w])" + _NUMBER + r"(?![\w])", re.IGNORECASE)
_KILLED_WORD = re.compile(r"(?<![\w])" + _KILLED + r"(?![\w])", re.IGNORECASE)
#: At most this many words between a number and the word for killed (a real
#: quirk: "Au moins quatorze personnes, dont un supplétif civil des forces de
#: sécurité, ont été tuées").
_TOLL_WINDOW = 14
#: Tolls written verb first: "killing 14", "tuant 14", «مقتل 5», «لقي 70 عسكرياً مصرعهم».
_VERB_FIRST = (
    re.compile(
        r"(?:killing|killed|kills|tuant|faisant|left)\s+(?:at least\s+|au moins\s+)?" + _NUMBER,
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:مقتل|قتل|قٌتل|سقوط|استشهاد|مصرع|لقي)\s+"
        r"(?:نحو\s+|حوالي\s+|ما لا يقل عن\s+|أكثر من\s+)?" + _NUMBER
    ),
)
_SELF_KILLED = re.compile(
    r"blew (?:himself|themselves) up|s'est fait exploser|se sont fait exploser|فجر نفسه|فجروا أنفسهم",
    re.IGNORECASE,
)

# --- Dates ------------------------------------------------------------------------------

_DATE_ANCHOR = re.compile(
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|avant-hier|veille|"
    r"avant-veille|aujourd'hui|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"yesterday|today|tonight|week|month|weekend|semaine|mois|week-end|"
    r"الشهر|الأسبوع|الاسبوع|"
    r"الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد|أمس|امس|اليوم|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’()-]+")


@dataclass(frozen=True)
class Span:
    """Words of the source: ``text == source.text[start:end]``."""

    start: int
    end: int
    text: str

    def comment(self) -> str:
        words = " ".join(self.text.split())
        return f'"{words}" [{self.start}:{self.end}]'


@dataclass(frozen=True)
class Suggestion:
    """One suggested value with the span it came from and anything a coder should know."""

    value: Any
    span: Span | None
    note: str | None = None


@dataclass
class SuggestedEvent:
    """One event of the draft; unsuggested fields are None (``TODO`` in the sheet)."""

    key: str
    sub_event_type: str
    event_type: str
    cue: Span
    sentences: list[Span]
    location: Suggestion | None = None
    country: str | None = None
    actor1: Suggestion | None = None
    actor2: Suggestion | None = None
    date: Suggestion | None = None
    fatalities: Suggestion | None = None
    other_tolls: list[Suggestion] = field(default_factory=list)
    civilian_targeting: bool = False


@dataclass
class Draft:
    """The suggested events of one source, writable as a draft coding sheet."""

    source: Source
    events: list[SuggestedEvent]

    def to_yaml(self, *, coded_by: str = "TODO", coded_on: date | None = None) -> str:
        """The draft as a coding sheet (``draft: true``), each value commented with its span."""
        return _render(self, coded_by=coded_by, coded_on=coded_on)


# --- Sentences ----------------------------------------------------------------------------

_BOUNDARY = re.compile(r"(?<=[.!?؟])\s+|\n+")


def _sentences(text: str) -> Iterator[Span]:
    start = 0
    for found in _BOUNDARY.finditer(text):
        yield from _trimmed(text, start, found.start())
        start = found.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + piece.index(stripped)
    if _FURNITURE.match(stripped):
        return
    yield Span(offset, offset + len(stripped), stripped)


# --- Look-ups -------------------------------------------------------------------------------


@dataclass
class _Context:
    source: Source
    registry: ActorRegistry
    places: UserPlaces | None
    countries: tuple[str, ...]
    actor_pattern: re.Pattern[str]
    year: int


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_CUE_PATTERNS = tuple((sub, _compile(pattern)) for sub, pattern in CUES)
_FILTER_PATTERNS = tuple((name, _compile(pattern)) for name, pattern in FILTERS.items())


def _cue(sentence: Span) -> tuple[str, Span] | None:
    for sub, pattern in _CUE_PATTERNS:
        found = pattern.search(sentence.text)
        if found:
            start = sentence.start + found.start()
            return sub, Span(start, sentence.start + found.end(), found.group())
    return None


def _filtered(sentence: Span, sub: str) -> str | None:
    for name, pattern in _FILTER_PATTERNS:
        # Protesters denounce and condemn: that is what a protest is.
        if name == "condemnation" and sub in _DEMONSTRATIONS:
            continue
        if pattern.search(sentence.text):
            return name
    return None


_DEMONSTRATIONS = frozenset({"Peaceful protest", "Violent demonstration"})
_VIOLENT = frozenset({"Attack", "Armed clash", "Air/drone strike", "Suicide bomb"})
#: Who a toll without a cue word must name to count as an attack.
_TOLL_VICTIMS = re.compile(
    r"\b(?:civilians|people|villagers|civils|personnes|villageois|habitants)\b|"
    + _ar("مدنيين", "مدنيا", "مدنياً", "أشخاص", "شخصا", "قرويين"),
    re.IGNORECASE,
)
#: Words for armed victims: an attack on them is an armed clash in ACLED, not an
#: Attack (which is violence against civilians).
_ARMED_VICTIMS = re.compile(
    r"\b(?:soldiers|troops|militaires|soldats|gendarmes|policemen|policiers)\b|"
    + _ar("جنود", "جنديا", "عسكريين", "جيش"),
    re.IGNORECASE,
)


def _actor_pattern(registry: ActorRegistry) -> re.Pattern[str]:
    from sahel_events.coding.actor_templates import PHRASES

    labels = {label for actor in registry for label in (actor.name, *actor.aliases)}
    labels |= set(PHRASES)
    labels |= {"civilians", "civils", "مدنيين", "المدنيين", "protesters", "manifestants",
               "متظاهرين", "المتظاهرين", "gunmen", "hommes armés", "individus armés",
               "مسلحين", "مسلحون", "rioters", "émeutiers", "assaillants",
               "attackers", "armed men", "مسلحون مجهولون", "إرهابيون", "الإرهابيين", "إرهابيين",
               "terroristes", "militants", "jihadists", "jihadistes", "المسلحين", "villageois",
               "villagers", "المهاجمين"}  # fmt: skip
    ordered = sorted((label for label in labels if len(label) >= 3), key=len, reverse=True)
    alternation = "|".join(re.escape(label) for label in ordered)
    return re.compile(rf"(?<![\w])(?:[وفبل](?=ال))?(?P<label>{alternation})(?![\w])", re.IGNORECASE)


_GENERIC = {
    "civilians": "Civilians", "civils": "Civilians", "مدنيين": "Civilians", "المدنيين": "Civilians",
    "protesters": "Protesters", "manifestants": "Protesters", "متظاهرين": "Protesters",
    "المتظاهرين": "Protesters", "gunmen": "Unidentified Armed Group",
    "hommes armés": "Unidentified Armed Group", "individus armés": "Unidentified Armed Group",
    "مسلحين": "Unidentified Armed Group", "مسلحون": "Unidentified Armed Group",
    "rioters": "Rioters", "émeutiers": "Rioters",
    "assaillants": "Unidentified Armed Group", "attackers": "Unidentified Armed Group",
    "armed men": "Unidentified Armed Group", "مسلحون مجهولون": "Unidentified Armed Group",
    "إرهابيون": "Unidentified Armed Group", "الإرهابيين": "Unidentified Armed Group",
    "إرهابيين": "Unidentified Armed Group", "terroristes": "Unidentified Armed Group",
    "militants": "Unidentified Armed Group", "jihadists": "Unidentified Armed Group",
    "jihadistes": "Unidentified Armed Group", "المسلحين": "Unidentified Armed Group",
    "المهاجمين": "Unidentified Armed Group", "villageois": "Civilians", "villagers": "Civilians",
}  # fmt: skip


def _actors_in(sentence: Span, context: _Context, country: str | None) -> list[tuple[Actor, Span]]:
    from sahel_events.coding.actor_templates import template_actor
    from sahel_events.vocabulary import country_lookup

    found: list[tuple[Actor, Span]] = []
    for match in context.actor_pattern.finditer(sentence.text):
        label = match["label"]
        span = Span(
            sentence.start + match.start("label"), sentence.start + match.end("label"), label
        )
        generic = _GENERIC.get(label.casefold())
        actor: Actor | None
        if generic is not None:
            if country is None:
                continue
            actor = template_actor(f"{generic} ({country_lookup(country).name})")
        else:
            try:
                actor = context.registry.get(label, context.year)
            except Exception:  # a template phrase for a country without regime years
                actor = None
        if actor is not None and all(actor.name != other.name for other, _ in found):
            found.append((actor, span))
    return found


def _article_countries(text: str) -> tuple[str, ...]:
    """The countries an article names (their gazetteer names and aliases, every script)."""
    from sahel_events.geo import _data
    from sahel_events.geo._normalize import normalize

    found: list[str] = []
    words = [normalize(word) for word in _WORD.findall(text)]
    index = _data.countries().aliases
    for size in (3, 2, 1):
        for position in range(len(words) - size + 1):
            key = " ".join(words[position : position + size])
            forms = [key]
            if key[:1] in "وفبلك" and len(key) > 3:
                forms.append(key[1:])
            forms += [form[2:] for form in list(forms) if form.startswith("ال") and len(form) > 4]
            for form in forms:
                for alpha2, _ in index.lookup(form):
                    if alpha2 not in found:
                        found.append(alpha2)
    return tuple(found)


def _places_in(sentence: Span, context: _Context) -> list[tuple[dict[str, Any], Span]]:
    """Gazetteer (and user) places named in a sentence, in the article's countries."""
    from sahel_events.geo import _data
    from sahel_events.geo._normalize import has_arabic, normalize
    from sahel_events.geo.gazetteer import _candidates

    table = _data.places()
    words = list(_WORD.finditer(sentence.text))
    found: list[tuple[dict[str, Any], Span]] = []
    taken: set[int] = set()
    for size in (3, 2, 1):
        for position in range(len(words) - size + 1):
            if any(i in taken for i in range(position, position + size)):
                continue
            first, last = words[position], words[position + size - 1]
            phrase = sentence.text[first.start() : last.end()]
            arabic = has_arabic(phrase)
            # Latin place names are capitalised; lower-case words are common nouns.
            if not arabic and not phrase[:1].isupper():
                continue
            before = sentence.text[max(0, first.start() - 20) : first.start()]
            # A capitalised Latin word inside a sentence is a name; an Arabic word
            # is a place only after a locative word (or the preposition ب).
            introduced = (
                bool(_LOCATIVE.search(before))
                or (arabic and phrase[:1] == "ب")
                or (not arabic and position > 0)
            )
            key = normalize(re.sub(r"['’]s$", "", phrase).strip("()'’-"))
            if len(key) < 3 or key in _STOPWORDS or _is_country(key):
                continue
            # "dans la province du Soum": the unit around the event, not its place (the
            # village named before it is, known or not).
            if _ADMIN_CONTEXT.search(before):
                continue
            span = Span(sentence.start + first.start(), sentence.start + last.end(), phrase)
            user = context.places.lookup(phrase) if context.places is not None else None
            if user is not None and (not context.countries or user.alpha2 in context.countries):
                found.append(({"name": user.name, "alpha2": user.alpha2, "source": "places"}, span))
                taken.update(range(position, position + size))
                continue
            _, candidates = _candidates(key)
            rows = [int(c.index) for c in candidates if c.kind == "place"]
            rows = [
                row
                for row in rows
                if not context.countries or table.alpha2[row] in context.countries
            ]
            if not rows:
                continue
            best = max(rows, key=lambda row: table.population[row])
            # Unintroduced names must be big places: Arabic words after a clitic
            # («وكان», «وكالة») and capitalised words often read as small towns.
            if not introduced and (table.population[best] < 200_000 or key in _STOPWORDS):
                continue
            found.append(
                (
                    {"name": table.name[best], "alpha2": table.alpha2[best], "source": "gazetteer"},
                    span,
                )
            )
            taken.update(range(position, position + size))
    return found


_ADMIN_CONTEXT = re.compile(
    r"(?:\b(?:province|région|region|cercle|département|department|commune|district|préfecture)"
    r"\s+(?:de\s+la|de\s+l['’]|du|de|des|d['’])?|(?:ولاية|إقليم|اقليم|دائرة|محافظة))\s*$",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"(?:\b(?:à|a|near|in|at|of|de|du|près de|outside|around|autour de)|"
    r"(?:في|قرب|من|بلدة|مدينة|قرية|منطقة|ولاية|إقليم|اقليم|شمال|جنوب|شرق|غرب|وسط|محيط))\s+$",
    re.IGNORECASE,
)
_STOPWORDS = frozenset(
    {"le", "la", "les", "des", "un", "une", "the", "in", "on", "at", "sur", "mali"}
    | {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "janvier", "fevrier", "mars", "avril", "mai", "juin",
        "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "mercredi",
        "jeudi", "vendredi", "samedi", "dimanche", "afp", "reuters", "ong",
    }
)  # fmt: skip


def _is_country(key: str) -> bool:
    from sahel_events.geo import _data

    return bool(_data.countries().aliases.lookup(key))


def _unknown_place(
    sentence: Span, cue: Span, known: list[tuple[dict[str, Any], Span]]
) -> Span | None:
    """A name introduced as a place after the cue that the gazetteer does not know."""
    for match in _PLACE_INTRO.finditer(sentence.text):
        start = sentence.start + match.start("name")
        if start < cue.start:
            continue
        if any(span.start <= start < span.end for _, span in known):
            return None
        return Span(start, sentence.start + match.end("name"), match["name"])
    return None


def _date_in(sentence: Span, published: date) -> Suggestion | None:
    from sahel_events.coding.dates import resolve_date
    from sahel_events.exc import SahelEventsError

    words = list(_WORD.finditer(sentence.text))
    best: tuple[tuple[int, int], Span, Any] | None = None
    for anchor in _DATE_ANCHOR.finditer(sentence.text):
        index = next(
            (i for i, w in enumerate(words) if w.start() <= anchor.start() < w.end()), None
        )
        if index is None:
            continue
        for before in range(0, 5):
            for after in range(0, 5):
                low, high = index - before, index + after
                if low < 0 or high >= len(words):
                    continue
                start, end = words[low].start(), words[high].end()
                phrase = sentence.text[start:end]
                try:
                    resolved = resolve_date(phrase, published)
                except SahelEventsError:
                    continue
                # The most precise reading wins, then the longest: "Le 19 août"
                # (a day) over "août dernier" (a month) in "Le 19 août dernier".
                rank = (-resolved.precision, end - start)
                if best is None or rank > best[0]:
                    best = (
                        rank,
                        Span(sentence.start + start, sentence.start + end, phrase),
                        resolved,
                    )
    if best is None:
        return None
    _, span, resolved = best
    return Suggestion(
        span.text, span, f"resolves to {resolved.date.isoformat()}, precision {resolved.precision}"
    )


def _number(text: str) -> int | None:
    text = text.strip()
    digits = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    if digits.isdigit():
        return int(digits)
    for word, value in _NUMBER_WORDS.items():
        if word.strip().casefold() == text.casefold():
            return value
    return None


_SUBSET = re.compile(r"(?:dont|including|among them|parmi eux|بينهم|منهم)\s*$", re.IGNORECASE)
_ARTICLES = frozenset({"un", "une", "one"})


def _counts(number: re.Match[str], text: str, killed_at: int) -> bool:
    """Whether a number before a word for killed is the toll (a real quirk: "quatorze
    personnes, dont un supplétif civil, ont été tuées" counts fourteen, not one)."""
    if _SUBSET.search(text[max(0, number.start() - 15) : number.start()]):
        return False  # a subset of the victims
    if number["n"].casefold() in _ARTICLES:
        # "un" is also the article: a toll only right before the verb ("un mort").
        return len(text[number.end() : killed_at].split()) <= 1
    return True


def _tolls_in(sentence: Span) -> list[Suggestion]:
    text = sentence.text
    tolls: list[Suggestion] = []

    def add(value: int | None, start: int, end: int) -> None:
        if value is None or any(
            t.span is not None and t.span.start == sentence.start + start for t in tolls
        ):
            return
        tolls.append(
            Suggestion(value, Span(sentence.start + start, sentence.start + end, text[start:end]))
        )

    numbers = [
        found
        for found in _NUMBER_TOKEN.finditer(text)
        # A year is a date, not a toll ("depuis 2015 faisant ... 500 morts").
        if not (found["n"].isdigit() and len(found["n"]) == 4)
    ]
    for killed in _KILLED_WORD.finditer(text):
        before = [
            n for n in numbers if n.end() <= killed.start() and _counts(n, text, killed.start())
        ]
        if not before:
            continue
        nearest = before[-1]
        between = text[nearest.end() : killed.start()]
        if len(between.split()) <= _TOLL_WINDOW and not re.search(r"[.;:!?؟]", between):
            add(_number(nearest["n"]), nearest.start(), killed.end())
    for pattern in _VERB_FIRST:
        for match in pattern.finditer(text):
            add(_number(match["n"]), match.start(), match.end())
    if tolls and _SELF_KILLED.search(sentence.text):
        found = _SELF_KILLED.search(sentence.text)
        assert found is not None
        span = Span(sentence.start + found.start(), sentence.start + found.end(), found.group())
        tolls = [
            Suggestion(
                t.value + 1,
                t.span,
                f"+1 for the suicide bomber ({span.comment()}), as ACLED counts",
            )
            for t in tolls
        ]
    return tolls


# --- The suggester --------------------------------------------------------------------------


def suggest(
    source_id: str,
    *,
    sources_dir: str | PathLike[str] | None = None,
    actors: str | PathLike[str] | None = None,
    places: str | PathLike[str] | None = None,
) -> Draft:
    """Suggest a draft coding of a registered source.

    Args:
        source_id: The source's id (see ``sahel-events source add``).
        sources_dir: Its folder; default the packaged sources.
        actors: A user's actor registry, as the build takes it.
        places: A user's places table, as the build takes it.

    Returns:
        The suggested events; :meth:`Draft.to_yaml` writes them as a draft sheet.

    Raises:
        UsageError, UnreadableFileError, CodingSheetError: As :func:`load_source` does.
    """
    from sahel_events.coding.actors import extended_registry
    from sahel_events.coding.sources import load_source

    source = load_source(source_id, sources_dir=sources_dir)
    from sahel_events.coding.places import load_places

    registry = extended_registry(actors)
    user_places = load_places(places) if places is not None else None
    context = _Context(
        source=source,
        registry=registry,
        places=user_places,
        countries=_article_countries(source.text),
        actor_pattern=_actor_pattern(registry),
        year=source.published.year,
    )
    return Draft(source, list(_events(context)))


def _events(context: _Context) -> list[SuggestedEvent]:
    events = _merge_headline(list(_raw_events(context)), context.source.text)
    used_keys: dict[str, int] = {}
    for event in events:
        place = event.location.value if event.location else "event"
        event.key = _key(event.sub_event_type, place, used_keys)
    return events


def _merge_headline(events: list[SuggestedEvent], text: str) -> list[SuggestedEvent]:
    # The first sentence (furniture skipped) is the headline when it has a cue.
    """A headline retells the lead: join it to the first later event of its type."""
    if len(events) < 2:
        return events
    headline = events[0]
    first = next(_sentences(text), None)
    if first is None or headline.sentences[0] != first:
        return events
    if not _is_headline(first, text):
        return events
    for event in events[1:]:
        if event.sub_event_type == headline.sub_event_type:
            event.sentences.insert(0, headline.sentences[0])
            if headline.fatalities is not None:
                event.other_tolls.append(headline.fatalities)
            if event.fatalities is None and headline.fatalities is not None:
                event.fatalities = headline.fatalities
                event.other_tolls.remove(headline.fatalities)
            return events[1:]
    return events


def _is_headline(sentence: Span, text: str) -> bool:
    """A headline has a line to itself and no final stop; a lead sentence has both."""
    after = text[sentence.end : sentence.end + 1]
    return sentence.text[-1:] not in '.!?؟»"”' and after in ("\n", "")


_YEAR = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2})(?![0-9])")


def _raw_events(context: _Context) -> Iterator[SuggestedEvent]:
    current: SuggestedEvent | None = None
    headline = True  # until the first cue sentence
    for sentence in _sentences(context.source.text):
        years = [int(y) for y in _YEAR.findall(sentence.text)]
        if years and max(years) < context.source.published.year:
            # Background retold with its year ("a 2017 ambush"): not this report's event.
            continue
        cue = _cue(sentence)
        tolls = _tolls_in(sentence)
        if cue is None and tolls and _TOLL_VICTIMS.search(sentence.text):
            # "Au moins quatre personnes ... ont été tuées mardi par des individus
            # armés": a toll of people killed is an attack even without the word.
            found = next(t for t in tolls if t.span is not None)
            assert found.span is not None
            cue = ("Attack", found.span)
        if cue is None:
            if current is not None and current.sentences[-1].end + 3 >= sentence.start:
                # A toll in the next sentence ("the toll could rise to 20") is listed.
                current.other_tolls += tolls
            continue
        sub, cue_span = cue
        if _filtered(sentence, sub):
            continue
        places = _places_in(sentence, context)
        date_value = _date_in(sentence, context.source.published)
        if (
            current is not None
            and not headline
            and _continues(current, sub, places, date_value, tolls, context)
        ):
            _join(current, sentence, places, date_value, tolls, context)
            continue
        if current is not None:
            yield current
        current = _new_event(sentence, sub, cue_span, places, date_value, tolls, context)
        # Nothing joins a headline: it is merged with the lead's event afterwards.
        headline = _is_headline(sentence, context.source.text) and current is not None
    if current is not None:
        yield current


def _resolved(value: Suggestion | None, published: date) -> date | None:
    from sahel_events.coding.dates import resolve_date

    return resolve_date(str(value.value), published).date if value is not None else None


def _continues(
    current: SuggestedEvent,
    sub: str,
    places: list[tuple[dict[str, Any], Span]],
    date_value: Suggestion | None,
    tolls: list[Suggestion],
    context: _Context,
) -> bool:
    """Whether a cue sentence goes on with the current event: it brings no new place,
    date or toll (a value the event lacks fills it in; a second toll of the same kind
    of event is another estimate of the same toll)."""
    known = _norm_place(current.location.value) if current.location is not None else None
    new_place = (
        bool(places)
        and known is not None
        and all(_norm_place(info["name"]) != known for info, _ in places)
    )
    published = context.source.published
    new_date = (
        date_value is not None
        and current.date is not None
        and _resolved(date_value, published) != _resolved(current.date, published)
    )
    known_tolls = {t.value for t in (current.fatalities, *current.other_tolls) if t is not None}
    new_toll = (
        bool(tolls)
        and bool(known_tolls)
        and not {t.value for t in tolls} & known_tolls
        and not _ESTIMATE.search(" ".join(t.span.text for t in tolls if t.span))
        and not _ESTIMATE.search(sentence_text(tolls))
    )
    # Another kind of event is another event ("an attempted coup ... and the arrest of
    # officers"); an Attack cue read as a clash (armed victims) is the same kind.
    # Houses burned during an attack are part of the attack (ACLED codes one event).
    kinds = {current.sub_event_type, sub}
    same_kind = kinds <= {"Attack", "Armed clash"} or (
        sub == "Looting/property destruction" and current.sub_event_type in _VIOLENT
    )
    new_kind = len(kinds) > 1 and not same_kind
    return not (new_place or new_date or new_toll or new_kind)


def sentence_text(tolls: list[Suggestion]) -> str:
    return " ".join(t.span.text for t in tolls if t.span is not None)


#: Words that make a second toll another estimate of the same event's toll.
_ESTIMATE = re.compile(
    r"\b(?:bilan|toll|estimate|according|selon|confirm\w*|autre|another)\b|"
    + _ar("حصيلة", "حصيله", "أولية", "اولية"),
    re.IGNORECASE,
)


def _norm_place(name: Any) -> str:
    from sahel_events.geo._normalize import normalize

    return normalize(str(name))


def _join(
    current: SuggestedEvent,
    sentence: Span,
    places: list[tuple[dict[str, Any], Span]],
    date_value: Suggestion | None,
    tolls: list[Suggestion],
    context: _Context,
) -> None:
    current.sentences.append(sentence)
    if current.location is None:
        current.location, country = _location(sentence, current.cue, places)
        current.country = current.country or country
    if current.date is None:
        current.date = date_value
    if tolls:
        current.other_tolls += tolls
        _choose_toll(current)
    _name_perpetrator(current, _actors_in(sentence, context, current.country))


def _choose_toll(event: SuggestedEvent) -> None:
    """The most conservative toll is proposed; the others are listed."""
    tolls = [t for t in (event.fatalities, *event.other_tolls) if t is not None]
    best = min(tolls, key=lambda toll: int(toll.value))
    event.fatalities = best
    event.other_tolls = [toll for toll in tolls if toll is not best]


def _location(
    sentence: Span, cue: Span, places: list[tuple[dict[str, Any], Span]]
) -> tuple[Suggestion | None, str | None]:
    if places:
        info, span = min(places, key=lambda item: abs(item[1].start - cue.start))
        return Suggestion(info["name"], span, f"from the {info['source']}"), info["alpha2"]
    unknown = _unknown_place(sentence, cue, places)
    if unknown is not None:
        note = "UNRESOLVED: not in the gazetteer; give coordinates"
        return Suggestion(unknown.text, unknown, note), None
    return None, None


def _new_event(
    sentence: Span,
    sub: str,
    cue: Span,
    places: list[tuple[dict[str, Any], Span]],
    date_value: Suggestion | None,
    tolls: list[Suggestion],
    context: _Context,
) -> SuggestedEvent:
    from sahel_events import vocabulary

    location, country = _location(sentence, cue, places)
    if country is None and context.countries:
        country = context.countries[0]  # the country the article names first
    found_actors = _actors_in(sentence, context, country)
    civilians = any(actor.actor_type == "Civilians" for actor, _ in found_actors)
    if sub == "Attack" and _ARMED_VICTIMS.search(sentence.text) and not civilians:
        sub = "Armed clash"  # armed victims: ACLED codes a clash, not violence against civilians
    event_type = vocabulary.event_type_of(sub) or "Strategic developments"
    event = SuggestedEvent(
        key="", sub_event_type=sub, event_type=event_type, cue=cue, sentences=[sentence]
    )
    event.location = location
    event.country = country
    event.date = date_value
    _assign_actors(event, found_actors, country, context.year)
    if tolls:
        event.other_tolls = list(tolls)
        _choose_toll(event)
    return event


def _name_perpetrator(event: SuggestedEvent, found: list[tuple[Actor, Span]]) -> None:
    """A later sentence naming the group behind an event replaces an unidentified one."""
    named = [
        (actor, span)
        for actor, span in found
        if actor.actor_type in ("Rebel group", "Political militia", "Identity militia")
        and not actor.name.startswith("Unidentified")
    ]
    if not named:
        return
    current = event.actor1.value if event.actor1 is not None else None
    if current is None or str(current).startswith("Unidentified Armed Group"):
        actor, span = named[0]
        event.actor1 = Suggestion(actor.name, span, f"named in a later sentence (was {current})")


def _assign_actors(
    event: SuggestedEvent, found: list[tuple[Actor, Span]], country: str | None, year: int
) -> None:
    from sahel_events.coding.actor_templates import template_actor
    from sahel_events.vocabulary import country_lookup

    def template(pattern: str) -> Suggestion | None:
        if not country:
            return None
        try:
            actor = template_actor(pattern.format(country_lookup(country).name), year)
        except LookupError:
            return None
        return Suggestion(actor.name, None, "ACLED's template") if actor else None

    civilians = [(a, s) for a, s in found if a.actor_type == "Civilians"]
    others = [(a, s) for a, s in found if a.actor_type != "Civilians"]
    if event.sub_event_type in _DEMONSTRATIONS:
        crowd = "Protesters" if event.sub_event_type == "Peaceful protest" else "Rioters"
        named = [(a, s) for a, s in found if a.actor_type == crowd]
        event.actor1 = (
            Suggestion(named[0][0].name, named[0][1]) if named else template(crowd + " ({})")
        )
        return
    if event.sub_event_type == "Armed clash":
        # The attackers first, the forces attacked second; unnamed, ACLED's templates.
        state = [(a, s) for a, s in others if a.actor_type == "State forces"]
        armed = [(a, s) for a, s in others if a.actor_type != "State forces"]
        event.actor1 = (
            Suggestion(armed[0][0].name, armed[0][1])
            if armed
            else template("Unidentified Armed Group ({})")
        )
        event.actor2 = (
            Suggestion(state[0][0].name, state[0][1])
            if state
            else template("Military Forces of {}")
        )
        return
    if others:
        event.actor1 = Suggestion(others[0][0].name, others[0][1])
    if event.event_type == "Violence against civilians" or (
        civilians and event.sub_event_type == "Attack"
    ):
        event.civilian_targeting = bool(civilians)
        if civilians:
            event.actor2 = Suggestion(civilians[0][0].name, civilians[0][1])
    elif len(others) > 1:
        event.actor2 = Suggestion(others[1][0].name, others[1][1])


def _key(sub: str, place: str, used: dict[str, int]) -> str:
    from sahel_events.geo._normalize import normalize

    words = re.findall(r"[a-z0-9]+", normalize(f"{sub} {place}"))
    base = "-".join(words)[:60].strip("-") or "event"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", base):
        base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "event"
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}-{used[base]}"


# --- Writing the draft ---------------------------------------------------------------------


def _quoted(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _line(indent: str, name: str, suggestion: Suggestion | None) -> list[str]:
    if suggestion is None or suggestion.value is None:
        return [f"{indent}{name}: TODO"]
    comment = []
    if suggestion.span is not None:
        comment.append(f"from {suggestion.span.comment()}")
    if suggestion.note:
        comment.append(suggestion.note)
    value = (
        suggestion.value if isinstance(suggestion.value, int) else _quoted(str(suggestion.value))
    )
    return [f"{indent}{name}: {value}" + (f"  # {'; '.join(comment)}" if comment else "")]


def _render(draft: Draft, *, coded_by: str, coded_on: date | None) -> str:
    source = draft.source
    lines = [
        f"# DRAFT suggested by `sahel-events suggest {source.id}`.",
        "# Every value is a suggestion: its comment quotes the words [start:end] it came",
        "# from. Check each against the source, replace every TODO, delete what is wrong,",
        "# then delete `draft: true` (here and in each event). The build refuses a draft.",
        "sheet_version: 1",
        f"source: {source.id}",
        f"coded_by: {_quoted(coded_by)}",
        f"coded_on: {(coded_on or source.published).isoformat()}",
        "draft: true",
    ]
    if not draft.events:
        lines.append("events: []  # no event cue was found; code the events by hand")
        return "\n".join(lines) + "\n"
    lines.append("events:")
    for event in draft.events:
        lines += [
            f"  - key: {event.key}",
            "    draft: true",
            f"    event_type: {_quoted(event.event_type)}",
            f"    sub_event_type: {_quoted(event.sub_event_type)}  # cue {event.cue.comment()}",
            *_line("    ", "actor1", event.actor1),
        ]
        if event.actor2 is not None:
            lines += _line("    ", "actor2", event.actor2)
        lines.append("    location:")
        lines += _line("      ", "query", event.location)
        if event.country:
            lines.append(f"      country: {event.country}")
        lines.append("    date:")
        if event.date is not None:
            lines += _line("      ", "expression", event.date)
        else:
            lines += ["      on: TODO", "      precision: TODO"]
        if event.fatalities is not None:
            lines += _line("    ", "fatalities", event.fatalities)
            for other in event.other_tolls:
                span = other.span.comment() if other.span else ""
                lines.append(f"    # other toll: {other.value} from {span}")
        else:
            lines.append("    fatalities: 0  # no toll found: check the source")
        if event.civilian_targeting:
            lines.append("    civilian_targeting: true")
        lines.append("    notes: TODO")
        lines.append("    evidence:")
        for sentence in event.sentences:
            lines.append(f"      - {_quoted(sentence.text)}  # [{sentence.start}:{sentence.end}]")
    return "\n".join(lines) + "\n"
