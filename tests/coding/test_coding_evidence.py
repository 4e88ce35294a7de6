"""Evidence quotes are found verbatim in the source text, with offsets into it as stored."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sahel_events.coding.evidence import (
    MIN_QUOTE_LENGTH,
    find_quote,
    fold,
    match_evidence,
    normalize_for_evidence,
)
from sahel_events.exc import CodingSheetError, EvidenceNotFoundError

ARTICLE = (Path(__file__).parent / "data" / "000_3b1555f81e86889c.txt").read_bytes()
TEXT = ARTICLE.decode("utf-8")


def test_quote_offsets_into_the_article() -> None:
    quote = "قررت باريس تعليق تعاونها الأمني مع باماكو في مجال مكافحة الإرهاب"
    start, end = find_quote(TEXT, quote)
    assert TEXT[start:end] == quote
    assert (start, end) == (TEXT.index(quote), TEXT.index(quote) + len(quote))


def test_quote_with_parentheses_and_guillemets() -> None:
    for quote in ("وأمهلتهما حتى يوم غد (السبت) لمغادرة الأراضي الفرنسية", "بأنها «لا أساس لها»"):
        start, end = find_quote(TEXT, quote)
        assert TEXT[start:end] == quote


def test_quote_across_a_paragraph_break_ignores_the_newlines() -> None:
    # The quote runs from the end of one paragraph into the next heading.
    boundary = TEXT.index("مع مالي في مجال محاربة الإرهاب")
    expected_end = TEXT.index("الماضي.", boundary) + len("الماضي.")
    quote = (
        "مع مالي في مجال محاربة الإرهاب، في أعقاب توقيف أحد دبلوماسييها في باماكو منذ أغسطس الماضي."
    )
    start, end = find_quote(TEXT, quote)
    assert (start, end) == (boundary, expected_end)
    spanning = "تتهمه السلطات المالية بالتجسس والمشاركة في محاولة انقلاب فاشلة.\n\nونقلت وكالة"
    start, end = find_quote(TEXT, " ".join(spanning.split()))
    assert "\n" in TEXT[start:end]
    assert normalize_for_evidence(TEXT[start:end]) == normalize_for_evidence(spanning)


def test_whitespace_diacritics_and_tatweel_do_not_matter() -> None:
    plain = "قررت باريس تعليق تعاونها الأمني"
    start, end = find_quote(TEXT, plain)
    for variant in (
        "قرّرت  باريس\tتعليق\u00a0تعاونها\nالأمني",  # shadda, tab, no-break space, newline
        "قَرَّرَتْ بَارِيسُ تَعْلِيقَ تَعَاوُنِهَا الأَمْنِيِّ",  # full vocalisation
        "قـــررت باريـس تعليق تعاونها الأمني",  # tatweel
        "  قررت باريس تعليق تعاونها الأمني \n",  # surrounding whitespace
    ):
        assert find_quote(TEXT, variant) == (start, end), variant


def test_arabic_presentation_forms_match_by_compatibility_normalisation() -> None:
    text = "قال المصدر: \ufef7\ufee3\ufee8\ufef2 الدولة مهدد"  # presentation forms of أمني
    start, end = find_quote(text, "أمني الدولة مهدد")
    assert text[start:end].endswith("مهدد")


def test_decomposed_and_precomposed_letters_match() -> None:
    text = "La junte malienne a de\u0301cide\u0301 l'expulsion."
    start, end = find_quote(text, "a décidé l'expulsion")
    assert text[start:end] == "a de\u0301cide\u0301 l'expulsion"


def test_matching_stays_strict_about_letters() -> None:
    # Hamza forms, straight against typographic quotes and case are not forgiven.
    with pytest.raises(EvidenceNotFoundError):
        find_quote(TEXT, "قررت باريس تعليق تعاونها الامني")
    with pytest.raises(EvidenceNotFoundError):
        find_quote(TEXT, 'بأنها "لا أساس لها"')
    with pytest.raises(EvidenceNotFoundError):
        find_quote("The Malian junta announced", "the malian junta announced")


def test_missing_quote_message_shows_where_it_stops_matching() -> None:
    with pytest.raises(EvidenceNotFoundError) as raised:
        find_quote(TEXT, "قررت باريس تعليق تعاونها العسكري مع باماكو")
    message = str(raised.value)
    assert "does not occur in the source text" in message
    assert f"match at offset {TEXT.index('قررت باريس')}" in message
    assert "عسكري" in message
    assert isinstance(raised.value, CodingSheetError)
    assert raised.value.exit_code == 1


def test_entirely_absent_quote() -> None:
    with pytest.raises(EvidenceNotFoundError, match="neither its first nor its last words"):
        find_quote(TEXT, "The quick brown fox jumps over the lazy dog")


def test_quote_with_a_wrong_beginning_shows_its_matching_end() -> None:
    real = "تعليق تعاونها الأمني مع باماكو في مجال مكافحة الإرهاب"
    with pytest.raises(EvidenceNotFoundError) as raised:
        find_quote(TEXT, "قرر الإليزيه " + real)
    end = TEXT.index(real) + len(real)
    assert f"ending at offset {end}" in str(raised.value)
    assert "الإليزيه" in str(raised.value)


@pytest.mark.parametrize("quote", ["باريس", "  مالي  ", "", "قَرَّرَتْ"])
def test_short_quotes_are_refused_as_too_weak(quote: str) -> None:
    with pytest.raises(CodingSheetError, match="too short") as raised:
        find_quote(TEXT, quote)
    assert not isinstance(raised.value, EvidenceNotFoundError)


def test_repeated_quote_gives_the_first_occurrence() -> None:
    quote = "بين فرنسا ومالي"
    first = TEXT.index(quote)
    assert TEXT.count(quote) > 1
    assert find_quote(TEXT, quote) == (first, first + len(quote))


def test_offsets_count_code_points_of_the_text_as_stored() -> None:
    # A CRLF text keeps its carriage returns: offsets are into that text.
    crlf = TEXT.replace("\n", "\r\n")
    quote = "وطرد اثنين من الدبلوماسيين الماليين"
    start, end = find_quote(crlf, quote)
    assert crlf[start:end] == quote
    assert start > TEXT.index(quote)


def test_trailing_diacritics_stay_with_their_letter() -> None:
    text = "أعلنت الحكومةُ قرارَها"
    start, end = find_quote(text, "أعلنت الحكومة قرارها")
    assert text[start:end] == text


def test_match_evidence_keeps_the_order_of_the_quotes() -> None:
    quotes = ["تم نسخ الرابط", "باريس تجمد التعاون الأمني مع مالي"]
    spans = match_evidence(TEXT, quotes)
    assert [TEXT[start:end] for start, end in spans] == quotes
    assert spans[0][0] > spans[1][0]


def test_fold_unifies_lookup_variants() -> None:
    assert fold("أغسطس") == fold("اغسطس") == fold("أَغُسْطُس")
    assert fold("الجمعة") == fold("الجمعه")
    assert fold("الماضى") == fold("الماضي")
    assert fold("١٩") == "19"
    assert fold("Août") == "aout"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_substring_of_the_article_is_found_where_it_reads_the_same(data) -> None:
    start = data.draw(st.integers(0, len(TEXT) - 1))
    end = data.draw(st.integers(start + 1, min(len(TEXT), start + 300)))
    quote = TEXT[start:end]
    wanted = normalize_for_evidence(quote)
    assume(len(wanted) >= MIN_QUOTE_LENGTH)
    found_start, found_end = find_quote(TEXT, quote)
    assert normalize_for_evidence(TEXT[found_start:found_end]) == wanted
    # The first occurrence: never after the place the quote was cut from,
    # once the leading characters the normalisation drops are skipped.
    skipped = next(i for i, char in enumerate(quote) if normalize_for_evidence(char).strip())
    assert found_start <= start + skipped


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_reflowed_substrings_are_found(data) -> None:
    start = data.draw(st.integers(0, len(TEXT) - 1))
    end = data.draw(st.integers(start + 1, min(len(TEXT), start + 200)))
    words = TEXT[start:end].split()
    separators = data.draw(
        st.lists(
            st.sampled_from([" ", "  ", "\n", "\u00a0", "\t"]),
            min_size=len(words),
            max_size=len(words),
        )
    )
    quote = "".join(word + separator for word, separator in zip(words, separators, strict=True))
    assume(len(normalize_for_evidence(quote)) >= MIN_QUOTE_LENGTH)
    found_start, found_end = find_quote(TEXT, quote)
    assert normalize_for_evidence(TEXT[found_start:found_end]) == normalize_for_evidence(quote)


_TRICKY = list("abc éeُ\u0301\u0323\u0654اأإلمنةى\u0640\u064b\u0651 \n\t\u00a0\ufef7\ufee3ﷺ\u2028x1")


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(_TRICKY), min_size=30, max_size=80).map("".join),
    data=st.data(),
)
def test_offsets_hold_for_marks_presentation_forms_and_odd_spaces(text: str, data) -> None:
    start = data.draw(st.integers(0, len(text) - 24))
    end = data.draw(st.integers(start + 24, len(text)))

    # Quotes are whole letters: a quote cut between a letter and its combining
    # marks is not verbatim (documented), so cut at letter boundaries. A tatweel
    # is ignored, so marks after it still belong to the letter before it.
    def inside_letter(char: str) -> bool:
        return bool(unicodedata.combining(char)) or char == "\u0640"

    while start > 0 and inside_letter(text[start]):
        start -= 1
    while end < len(text) and inside_letter(text[end]):
        end += 1
    quote = text[start:end]
    assume(len(normalize_for_evidence(quote)) >= MIN_QUOTE_LENGTH)
    found_start, found_end = find_quote(text, quote)
    assert 0 <= found_start < found_end <= len(text)
    assert normalize_for_evidence(text[found_start:found_end]) == normalize_for_evidence(quote)


def test_a_quote_cut_inside_a_letter_is_not_verbatim() -> None:
    text = "Le village de Kaya a e\u0301\u0323te\u0301 attaque\u0301."
    cut = text[: text.index("\u0323")]  # keeps the acute, drops the dot below
    assert find_quote(text, text[: text.index("\u0323") + 1])  # the whole letter matches
    with pytest.raises(EvidenceNotFoundError):
        find_quote(text, cut)
