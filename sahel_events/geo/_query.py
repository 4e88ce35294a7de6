"""The query grammar: what a place query says besides the place's name.

A query may say *how near* (``near Gao``, ``près de Djibo``, ``قرب ميناكا``),
*which kind of unit* (``cercle de Bankass``, ``province du Soum``,
``département de Téra``, ``commune rurale de Mondoro``, ``région de l'Est``,
``Timbuktu region``, ``ولاية غاو``, ``دائرة بنكاس``, ``قرية سولهان``) and *which
country* (``Ménaka, Mali``). :func:`parse` takes these words off and returns the
name with what they said; the gazetteer looks the name up under those terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from sahel_events.geo._normalize import normalize

__all__ = ["ParsedQuery", "parse"]

_NEAR: tuple[tuple[str, ...], ...] = (
    ("aux", "environs", "de"),
    ("dans", "les", "environs", "de"),
    ("a", "proximite", "de"),
    ("pres", "de"),
    ("pres", "du"),
    ("pres", "d"),
    ("near",),
    ("outside",),
    ("بالقرب", "من"),
    ("قريبا", "من"),
    ("قرب",),
    ("نواحي",),
    ("ضواحي",),
)
_ARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "l", "of", "the"})
#: Unit words before the name, and the kinds they ask for.
_UNIT_BEFORE: dict[str, frozenset[str]] = {
    "cercle": frozenset({"admin2"}),
    "province": frozenset({"admin2"}),
    "departement": frozenset({"admin2"}),
    "department": frozenset({"admin2"}),
    "prefecture": frozenset({"admin2"}),
    "commune": frozenset({"admin3"}),
    "region": frozenset({"admin1"}),
    "ولايه": frozenset({"admin1"}),
    "منطقه": frozenset({"admin1"}),
    "اقليم": frozenset({"admin1", "admin2"}),
    "جهه": frozenset({"admin1"}),
    "دائره": frozenset({"admin2"}),
    "مقاطعه": frozenset({"admin2"}),
    "بلديه": frozenset({"admin3"}),
    "بلده": frozenset({"town", "village", "capital"}),
    "قريه": frozenset({"village", "town"}),
    "مدينه": frozenset({"town", "capital", "village"}),
    "village": frozenset({"village", "town"}),
    "ville": frozenset({"town", "capital", "village"}),
}
# Written as a reader would; folded as the query will be (ئ -> ي, ة -> ه).
_NEAR = tuple(tuple(normalize(word) for word in phrase) for phrase in _NEAR)
_UNIT_BEFORE = {normalize(word): kinds for word, kinds in _UNIT_BEFORE.items()}
_COMMUNE_QUALIFIERS = frozenset({"rurale", "urbaine", "rural", "urban"})
#: The kinds of natural features, and the words before a name that ask for one
#: ("forêt du Wagadou", "lac Faguibine", "barrage de la Kompienga", "وادي
#: تيلمسي"): the name is looked up among these features, and as written when
#: none has it (a village may be called "Mare ...").
NATURAL_KINDS = frozenset({"wadi/lake", "water feature", "relief", "area"})
_FEATURE_BEFORE = frozenset(
    normalize(word)
    for word in (
        "lac",
        "lake",
        "mare",
        "barrage",
        "retenue",
        "oued",
        "ouadi",
        "wadi",
        "vallée",
        "valley",
        "mont",
        "monts",
        "mount",
        "massif",
        "plateau",
        "falaise",
        "forêt",
        "forest",
        "parc",
        "park",
        "réserve",
        "بحيرة",
        "غابة",
        "وادي",
        "جبل",
        "جبال",
        "هضبة",
    )
)
_FEATURE_QUALIFIERS = frozenset({"classee", "national", "nationale"})
#: Unit words after the name ("Timbuktu region", "Bankass cercle").
_UNIT_AFTER: dict[str, frozenset[str]] = {
    "region": frozenset({"admin1"}),
    "cercle": frozenset({"admin2"}),
    "province": frozenset({"admin2"}),
    "department": frozenset({"admin2"}),
    "commune": frozenset({"admin3"}),
    "village": frozenset({"village", "town"}),
}


@dataclass(frozen=True)
class ParsedQuery:
    """A query's name (as text) and what the words around it said."""

    name: str
    near: bool = False
    kinds: frozenset[str] | None = None  # feature kinds asked for, None for any
    country: str | None = None  # the text after the last comma, when it names a country


def parse(text: str, is_country: object = None) -> ParsedQuery:
    """Split a cleaned query into its name and what the words around it say.

    ``is_country`` is a callable telling whether a text names a country (the
    part after a comma is taken off only then: ``Ouahigouya, Yatenga`` keeps
    its comma part as a name).
    """
    country = None
    if "," in text and callable(is_country):
        head, _, tail = text.rpartition(",")
        if head.strip() and is_country(tail.strip()):
            text, country = head.strip(), tail.strip()
    # Apostrophes separate words here ("région de l'Est"), unlike in name keys.
    words = normalize(text.replace("'", " ").replace("’", " ")).split(" ")
    near = False
    for phrase in _NEAR:
        if len(words) > len(phrase) and tuple(words[: len(phrase)]) == phrase:
            words, near = words[len(phrase) :], True
            break
    kinds = None
    if len(words) > 1 and words[0] in _UNIT_BEFORE:
        kinds = _UNIT_BEFORE[words[0]]
        words = words[1:]
        while len(words) > 1 and (words[0] in _COMMUNE_QUALIFIERS or words[0] in _ARTICLES):
            words = words[1:]
    elif len(words) > 1 and words[0] in _FEATURE_BEFORE:
        kinds = NATURAL_KINDS
        words = words[1:]
        while len(words) > 1 and (words[0] in _FEATURE_QUALIFIERS or words[0] in _ARTICLES):
            words = words[1:]
    elif len(words) > 1 and words[-1] in _UNIT_AFTER:
        kinds = _UNIT_AFTER[words[-1]]
        words = words[:-1]
    if not near and kinds is None and country is None:
        return ParsedQuery(text)
    return ParsedQuery(" ".join(words), near=near, kinds=kinds, country=country)
