"""Place-name keys beyond the lookup key: spelling variants, transliteration, script.

The lookup key itself, :func:`normalize`, is :func:`sahel_events._text.place_key`,
beside the library's other folds. It turns the gazetteer's aliases into keys at
build time (``scripts/build_gazetteer.py``) and a user's query into a key at run
time, and so do the variant, skeleton and shape keys here: rebuild the gazetteer
after editing either module.
"""

from __future__ import annotations

import re

from sahel_events._text import place_key as normalize

__all__ = [
    "ARABIC_PREFIXES",
    "has_arabic",
    "has_latin",
    "normalize",
    "shape",
    "skeleton",
    "variant_key",
]

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")

#: One-letter Arabic proclitics (and, with/in, for, then, like) that attach to the
#: next word and are stripped when what remains is a known name.
ARABIC_PREFIXES: tuple[str, ...] = ("و", "ب", "ل", "ف", "ك")


def has_arabic(text: str) -> bool:
    """Whether ``text`` contains at least one Arabic-script character."""
    return _ARABIC.search(text) is not None


def has_latin(text: str) -> bool:
    """Whether ``text`` contains at least one Latin letter."""
    return _LATIN.search(text) is not None


# --- spelling variants and transliteration ----------------------------------------

# French and English transcriptions of the same Sahel name differ in a handful of
# regular ways (Boulkessi/Boulikessi, Tchin-Tabarade/Tchintabaraden,
# Tongo Tongo/Tongotongo): the variant key folds them. Applied in this order.
_VARIANT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\s+", ""),  # Tongo Tongo = Tongotongo, In-Ates = Inates
        (r"ou", "u"),  # French ou = English u (Ouagadougou, Wagadugu)
        (r"w", "u"),
        (r"dj|dy", "j"),
        (r"tch|tsh|ch|sh", "c"),
        (r"kh|gh|q", "k"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"y", "i"),
        (r"h", ""),
        (r"(.)\1+", r"\1"),  # doubled letters: Tessalit = Tesalit
        (r"e$", ""),  # silent final e
    )
)

#: Latin letters to consonant classes shared with Arabic script; vowels (and the
#: semivowels w/y, which Arabic writes with the long vowels و/ي) vanish.
_LATIN_SKELETON: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^a-z]", ""),
        (r"tch|tsh|ch|sh", "C"),  # upper case until the end: c is also a k
        (r"dj|dy|j", "j"),
        (r"kh|gh|q|g|c|k|x", "k"),
        (r"ph|v|f", "f"),
        (r"th|t", "t"),
        (r"dh|d", "d"),
        (r"[sz]", "s"),
        (r"p|b", "b"),
        (r"[aeiouyhw]", ""),
        (r"(.)\1+", r"\1"),
    )
)
_ARABIC_SKELETON = str.maketrans(
    {
        "ب": "b",
        "ت": "t",
        "ط": "t",
        "ث": "s",
        "ج": "j",
        "ح": "",
        "خ": "k",
        "د": "d",
        "ذ": "d",
        "ض": "d",
        "ر": "r",
        "ز": "s",
        "س": "s",
        "ش": "c",
        "ص": "s",
        "ظ": "s",
        "ع": "",
        "غ": "k",
        "ف": "f",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ه": "",
        "و": "",
        "ي": "",
        "ا": "",
        "ء": "",
        "ئ": "",
        "ؤ": "",
        " ": "",
    }
)
_DOUBLED = re.compile(r"(.)\1+")
_NOT_SKELETON = re.compile(r"[^a-z]")


def variant_key(key: str) -> str:
    """The spelling-variant key of a Latin lookup key (see :func:`normalize`).

    >>> variant_key("tchin tabaraden") == variant_key("tchintabaraden")
    True
    >>> variant_key("boulkessi")
    'bulkesi'
    """
    for pattern, replacement in _VARIANT_RULES:
        key = pattern.sub(replacement, key)
    return key


def skeleton(key: str) -> str:
    """The consonant skeleton of a lookup key in either script.

    Arabic and Latin spellings of one name share it: ``ميناكا`` and ``menaka``
    are both ``mnk``; ``تساليت`` and ``tessalit`` both ``tslt``. Skeletons are
    lossy by design, so the gazetteer uses them only within a country hint.

    >>> skeleton(normalize("أنسونغو")), skeleton("ansongo")
    ('nsnk', 'nsnk')
    """
    if has_arabic(key):
        text = key.replace("تش", "ش").translate(_ARABIC_SKELETON)
        text = _NOT_SKELETON.sub("", text)
        return _DOUBLED.sub(r"\1", text)
    for pattern, replacement in _LATIN_SKELETON:
        key = pattern.sub(replacement, key)
    return key.lower()


_ARABIC_VOWELS = str.maketrans({"ا": "a", "و": "u", "ي": "i", "ى": "a", "ز": "z", "ظ": "z"})
_LATIN_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_VOWEL_RUNS = re.compile(r"[aiu]+")
_VOWEL_CLASS = {"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u"}


def shape(key: str) -> str:
    """The skeleton with its vowels kept as three classes (``a``; ``i`` for e, i,
    y and ي; ``u`` for o, u, ou and و) and z apart from s: what a
    transliteration match is scored on. ``هومبوري`` and ``hombori`` are both
    ``umburi``; ``ميناكا`` and ``menaka`` are ``minaka``; ``سيتنغا`` is nearer
    Seytenga than Zitenga."""
    if has_arabic(key):
        text = key.replace("تش", "ش").translate(_ARABIC_VOWELS).translate(_ARABIC_SKELETON)
    else:
        text = re.sub(r"[^a-z]", "", key).replace("ou", "u")
        text = _LATIN_VOWEL_RUNS.sub(lambda run: _VOWEL_CLASS[run.group()[0]], text)
        text = text.replace("z", "Z")  # kept apart from s through the skeleton rules
        for pattern, replacement in _LATIN_SKELETON[1:-2]:
            text = pattern.sub(replacement, text)
        text = re.sub(r"[hw]", "", text).replace("Z", "z").lower()
    text = re.sub(r"[^a-z]", "", text)
    text = _VOWEL_RUNS.sub(lambda run: run.group()[0], text)  # Arabic يو, واي ...
    return _DOUBLED.sub(r"\1", text)
