"""Evidence quotes: find a coder's verbatim quote in its source text.

Every coded event carries one or more quotes copied from its source. The build
records where each quote is, as code-point offsets into the source text *as
stored*, so that anyone can check the coding against the words it rests on.

Matching is deliberately strict. Both the text and the quote are compared after
only these normalisations:

* Unicode compatibility normalisation (NFKD, so precomposed and decomposed
  letters and Arabic presentation forms compare equal);
* every run of whitespace (spaces, tabs, newlines, no-break spaces) counts as
  one space, and a quote's leading and trailing whitespace is ignored;
* Arabic diacritics (harakat, tanween, shadda, sukun, superscript alef, Quranic
  marks) and the tatweel are ignored.

Nothing else is forgiven: not typographic against straight quotes, not alef or
hamza forms, not letter case, and not a quote cut between a letter and one of
its (non-Arabic) combining marks. A quote that is not in the text is a coding error
that a reader of the dataset would otherwise never see.

The module also holds :func:`fold`, the looser normalisation used to *look up*
names and date expressions (actor aliases, month names), where spelling
variants must meet.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Iterable
from functools import lru_cache
from unicodedata import combining

from sahel_events.exc import CodingSheetError, EvidenceNotFoundError

__all__ = [
    "MIN_QUOTE_LENGTH",
    "NormalizedText",
    "find_quote",
    "fold",
    "match_evidence",
    "normalize_for_evidence",
]

#: A quote shorter than this (in normalised characters) could match almost
#: anywhere, so it proves nothing and is refused.
MIN_QUOTE_LENGTH = 8

_TATWEEL = "\u0640"


def _is_arabic_mark(char: str) -> bool:
    """Whether a character is an Arabic diacritic or Quranic annotation mark."""
    code = ord(char)
    return (
        0x0610 <= code <= 0x061A  # honorific and Quranic signs above letters
        or 0x064B <= code <= 0x0652  # harakat, tanween, shadda, sukun
        # 0653-0655 (madda, hamza above/below) are left alone: they make alef
        # into آ أ إ, and NFKD splits those letters into alef plus that mark.
        or 0x0656 <= code <= 0x065F  # subscript alef, other vowel signs
        or code == 0x0670  # superscript (dagger) alef
        or 0x06D6 <= code <= 0x06DC  # Quranic annotation signs
        or 0x06DF <= code <= 0x06E4
        or 0x06E7 <= code <= 0x06E8
        or 0x06EA <= code <= 0x06ED
        or 0x08D3 <= code <= 0x08FF  # Arabic Extended-A marks
    )


def _ignorable(char: str) -> bool:
    return char == _TATWEEL or _is_arabic_mark(char)


class NormalizedText:
    """A text normalised for evidence matching, with a map back to the original.

    ``normalized[i]`` came from ``original[origin[i]]``; characters the
    normalisation drops (diacritics, tatweel, extra whitespace) have no entry.
    ``origin`` is an array of 32-bit offsets, built chunk by chunk, so a long
    text costs a few bytes per character rather than a Python object per
    character (a 19 MB text once needed 2.2 GB).

    Args:
        original: The text exactly as stored.
    """

    __slots__ = ("normalized", "origin", "original")

    def __init__(self, original: str) -> None:
        if len(original) >= 2**32:
            raise CodingSheetError("the source text is too long to index (4 G characters)")
        pieces: list[str] = []
        origin = array("I")
        chars: list[str] = []
        offsets: list[int] = []
        marks = False  # whether the chunk holds combining marks to reorder
        pending_space = False
        for index, char in enumerate(original):
            parts = _parts(char)
            if len(chars) >= _CHUNK and parts and not combining(parts[0]):
                # Flush between two base characters: no run of marks is cut.
                _flush(chars, offsets, marks, pieces, origin)
                chars, offsets, marks = [], [], False
            for part in parts:
                if part == " ":
                    pending_space = bool(chars) or bool(pieces)
                    continue
                if pending_space:
                    chars.append(" ")
                    offsets.append(index)
                    pending_space = False
                chars.append(part)
                offsets.append(index)
                if not marks and combining(part):
                    marks = True
        _flush(chars, offsets, marks, pieces, origin)
        self.original = original
        self.normalized = "".join(pieces)
        self.origin = origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised slice ``[start, end)``.

        The end is extended over characters the normalisation ignores (a final
        diacritic, a tatweel), so that the original slice never cuts a letter
        from its marks.
        """
        # min/max rather than the ends: canonical reordering of combining
        # marks can put a later original character before an earlier one.
        covered = self.origin[start:end]
        original_start = min(covered)
        original_end = max(covered) + 1
        text = self.original
        while original_end < len(text) and _ignorable(text[original_end]):
            original_end += 1
        return original_start, original_end


@lru_cache(maxsize=8192)
def _parts(char: str) -> tuple[str, ...]:
    """What one character contributes to the normalised text; " " marks whitespace.

    Texts draw on a small alphabet, so caching per character makes
    normalisation several times faster than decomposing every character.
    """
    if char.isspace():
        return (" ",)
    # NFKD turns a few compatibility characters into (or into text with) spaces.
    return tuple(
        " " if part.isspace() else part
        for part in unicodedata.normalize("NFKD", char)
        if not _ignorable(part)
    )


#: Characters normalised per chunk before joining (bounds the per-character lists).
_CHUNK = 1 << 16


def _flush(
    chars: list[str], offsets: list[int], marks: bool, pieces: list[str], origin: array[int]
) -> None:
    if marks:
        _reorder_combining_marks(chars, offsets)
    pieces.append("".join(chars))
    origin.extend(offsets)


def _reorder_combining_marks(chars: list[str], offsets: list[int]) -> None:
    """Put runs of combining marks in canonical order, as full NFKD would.

    Decomposing one character at a time skips Unicode's canonical reordering,
    so two spellings of the same letter-with-marks could differ in mark order.
    """
    start = 0
    while start < len(chars):
        if combining(chars[start]) == 0:
            start += 1
            continue
        end = start
        while end < len(chars) and combining(chars[end]) != 0:
            end += 1
        run = sorted(
            zip(chars[start:end], offsets[start:end], strict=True), key=lambda p: combining(p[0])
        )
        chars[start:end] = [char for char, _ in run]
        offsets[start:end] = [offset for _, offset in run]
        start = end


def normalize_for_evidence(text: str) -> str:
    """The form in which quotes and source texts are compared (see the module docstring).

    >>> normalize_for_evidence("قَرَّرت  باريس\\nتعليق")
    'قررت باريس تعليق'
    """
    return NormalizedText(text).normalized


@lru_cache(maxsize=32)
def _normalized(text: str) -> NormalizedText:
    # Sheets quote the same source many times; normalise each text once.
    return NormalizedText(text)


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """Find a verbatim quote in a source text.

    Args:
        text: The source text exactly as stored.
        quote: The quote as copied by the coder. Whitespace, Unicode normalisation,
            Arabic diacritics and tatweel may differ from the text; nothing else.

    Returns:
        ``(start, end)`` code-point offsets into ``text`` such that
        ``text[start:end]`` is the quoted passage. When the quote occurs more
        than once, the first occurrence is returned: the offsets locate the
        words, and the first place a reader meets them is the natural anchor.

    Raises:
        CodingSheetError: When the quote is shorter than :data:`MIN_QUOTE_LENGTH` characters
            after normalisation: too short to prove anything.
        EvidenceNotFoundError: When the quote does not occur in the text. The
            message shows the longest beginning (or end) of the quote that does
            occur, and where quote and text part.
    """
    wanted = normalize_for_evidence(quote)
    if len(wanted) < MIN_QUOTE_LENGTH:
        raise CodingSheetError(
            f"evidence quote {quote!r} is too short to prove anything: quote at least "
            f"{MIN_QUOTE_LENGTH} characters of the source"
        )
    haystack = _normalized(text)
    position = haystack.normalized.find(wanted)
    if position < 0:
        raise EvidenceNotFoundError(_not_found_message(haystack, wanted, quote))
    return haystack.span(position, position + len(wanted))


def match_evidence(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    """Offsets of every quote in ``text``, in the order given (see :func:`find_quote`)."""
    return [find_quote(text, quote) for quote in quotes]


def _not_found_message(haystack: NormalizedText, wanted: str, quote: str) -> str:
    message = f"evidence quote {_shorten(quote)!r} does not occur in the source text"
    text = haystack.normalized
    head = _longest_matching(text, wanted, from_end=False)
    tail = _longest_matching(text, wanted, from_end=True)
    if max(head, tail) < MIN_QUOTE_LENGTH:
        return message + " (neither its first nor its last words do)"
    if head >= tail:
        position = text.find(wanted[:head])
        start, _ = haystack.span(position, position + head)
        differs = text[position + head : position + head + 20]
        return (
            f"{message}: its first {head} of {len(wanted)} characters match at offset {start}, "
            f"then the quote has {_readable(wanted[head : head + 20])!r} "
            f"where the text has {_readable(differs)!r}"
        )
    position = text.find(wanted[-tail:])
    _, end = haystack.span(position, position + tail)
    differs = text[max(0, position - 20) : position]
    return (
        f"{message}: its last {tail} of {len(wanted)} characters match, ending at offset {end}; "
        f"before them the quote has {_readable(wanted[-tail - 20 : -tail])!r} "
        f"where the text has {_readable(differs)!r}"
    )


def _longest_matching(text: str, wanted: str, *, from_end: bool) -> int:
    """Length of the longest prefix (or suffix) of ``wanted`` occurring in ``text``.

    If a prefix occurs, so does every shorter one, so a binary search needs
    only a logarithmic number of substring searches; likewise for suffixes.
    """
    low, high = 0, len(wanted)
    while low < high:
        middle = (low + high + 1) // 2
        part = wanted[len(wanted) - middle :] if from_end else wanted[:middle]
        if part in text:
            low = middle
        else:
            high = middle - 1
    return low


def _readable(normalized: str) -> str:
    # Matching works on decomposed text; people read composed letters.
    return unicodedata.normalize("NFC", normalized)


def _shorten(quote: str, limit: int = 60) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


# --- Looser folding for look-ups (actor aliases, date expressions) ---------------

_FOLD_TABLE = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alef maqsura -> yeh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06cc": "\u064a",  # Persian/Urdu yeh -> Arabic yeh
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u06af": "\u0643",  # gaf (written for the g of Wagner, Niger) -> kaf
        **{dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2212"},  # dashes, minus
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u060c": ",",  # Arabic comma
        "\u061b": ";",  # Arabic semicolon
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Eastern Arabic-Indic
    }
)


def fold(text: str) -> str:
    """Fold a name or phrase for look-up, so that spelling variants meet.

    Beyond :func:`normalize_for_evidence` this drops *every* combining mark
    (Latin accents; the hamza on أ إ آ ؤ ئ, which unifies alef forms), maps
    ى to ي, ة to ه, Arabic-Indic digits to ASCII, curly apostrophes to
    straight ones and typographic dashes to hyphens, and case-folds.

    >>> fold("أَغُسْطُس الماضي") == fold("اغسطس الماضى")
    True
    >>> fold("Août  DERNIER")
    'aout dernier'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        char for char in decomposed if not unicodedata.combining(char) and char != _TATWEEL
    )
    return " ".join(kept.translate(_FOLD_TABLE).casefold().split())
