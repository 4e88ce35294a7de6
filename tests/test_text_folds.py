"""The text folds in ``sahel_events._text``: one copy each, and the keys they gave before the move.

Each fold is as loose as its job allows, so the same text gets different keys
from different folds; the table pins every fold's key of the same inputs (the
keys 0.1.0's modules gave), and the shipped gazetteer is checked against the
place key it was built with.
"""

from __future__ import annotations

import pytest

from sahel_events import _text
from sahel_events.coding import actors, evidence
from sahel_events.geo import _data
from sahel_events.geo import _normalize as geo_normalize
from sahel_events.read import variants

# input, place_key, normalize_for_evidence, lookup_fold, actor_key, header_key
KEYS = [
    ("  Ménaka ", "menaka", "Me\u0301naka", "menaka", "menaka", "ménaka"),
    ("N'Djamena", "ndjamena", "N'Djamena", "n'djamena", "n'djamena", "n'djamena"),
    (
        "Tchin-Tabaraden",
        "tchin tabaraden",
        "Tchin-Tabaraden",
        "tchin-tabaraden",
        "tchin-tabaraden",
        "tchin_tabaraden",
    ),
    (
        "ƐƆŊƝƁƊƳ Æ Ø Ł",
        "eonnybdy ae o l",
        "ƐƆŊƝƁƊƳ Æ Ø Ł",
        "ɛɔŋɲɓɗƴ æ ø ł",
        "ɛɔŋɲɓɗƴ æ ø ł",
        "ɛɔŋɲɓɗƴ_æ_ø_ł",
    ),
    (
        "أَنْسُونْغُو",
        "انسونغو",
        "\u0627\u0654\u0646\u0633\u0648\u0646\u063a\u0648",
        "انسونغو",
        "انسونغو",
        "أَنْسُونْغُو",
    ),
    (
        "إنَّ مـــالي",
        "ان مالي",
        "\u0627\u0655\u0646 \u0645\u0627\u0644\u064a",
        "ان مالي",
        "ان مالي",
        "إنَّ_مـــالي",
    ),
    ("گاو", "غاو", "گاو", "كاو", "كاو", "گاو"),
    (
        "Mali ( 2021- )",
        "mali 2021",
        "Mali ( 2021- )",
        "mali ( 2021- )",
        "mali(2021-)",
        "mali_(_2021_)",
    ),
    ("الجيش المالي", "الجيش المالي", "الجيش المالي", "الجيش المالي", "جيش مالي", "الجيش_المالي"),
    (
        "١٩ سبتمبر – ٢٠٢٥",
        "١٩ سبتمبر ٢٠٢٥",
        "١٩ سبتمبر – ٢٠٢٥",
        "19 سبتمبر - 2025",
        "19 سبتمبر - 2025",
        "١٩_سبتمبر_–_٢٠٢٥",
    ),
    ("Event–Date", "event date", "Event–Date", "event-date", "event-date", "event–date"),
    (
        "\ufeff Event Date ",
        "event date",
        "\ufeff Event Date",
        "\ufeff event date",
        "\ufeff event date",
        "event_date",
    ),
    ("\ufee3\ufe8e\ufedf\ufef2", "مالي", "مالي", "مالي", "مالي", "ﻣﺎﻟﻲ"),
    (
        "Août  DERNIER",
        "aout dernier",
        "Aou\u0302t DERNIER",
        "aout dernier",
        "aout dernier",
        "août_dernier",
    ),
]


@pytest.mark.parametrize(("text", "place", "quote", "lookup", "actor", "header"), KEYS)
def test_each_fold_keeps_its_keys(
    text: str, place: str, quote: str, lookup: str, actor: str, header: str
) -> None:
    assert _text.place_key(text) == place
    assert _text.normalize_for_evidence(text) == quote
    assert _text.lookup_fold(text) == lookup
    assert _text.actor_key(text) == actor
    assert _text.header_key(text) == header


def test_the_modules_that_use_a_fold_hold_no_copy_of_it() -> None:
    assert geo_normalize.normalize is _text.place_key
    assert evidence.fold is _text.lookup_fold
    assert evidence.normalize_for_evidence is _text.normalize_for_evidence
    assert evidence.NormalizedText is _text.NormalizedText
    assert actors.actor_key is _text.actor_key
    assert variants.header_key is _text.header_key
    assert not hasattr(variants, "_fold")


def test_the_evidence_fold_maps_back_to_the_original_offsets() -> None:
    original = "قَرَّرت  باريس\nتعليق"
    folded = _text.NormalizedText(original)
    assert folded.normalized == "قررت باريس تعليق"
    start = folded.normalized.index("باريس")
    assert original[slice(*folded.span(start, start + len("باريس")))] == "باريس"


@pytest.mark.parametrize("source", _data.SOURCES)
def test_the_shipped_gazetteer_keys_are_place_keys(source: str) -> None:
    # The build writes place_key(alias) as the key, or the key of the name inside
    # an administrative alias ("Cercle de Gao" also keyed "gao"): a change to the
    # fold without a rebuild fails here.
    index = _data.places(source).aliases
    for key, alias in zip(index.keys, index.aliases, strict=True):
        assert _text.place_key(key) == key
        if alias:
            assert key in _text.place_key(alias), (key, alias)
    exact = sum(
        1
        for key, alias in zip(index.keys, index.aliases, strict=True)
        if alias and _text.place_key(alias) == key
    )
    assert exact > 0.99 * sum(1 for alias in index.aliases if alias)
