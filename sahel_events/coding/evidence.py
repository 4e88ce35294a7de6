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

The normalisation itself (:class:`NormalizedText`, :func:`normalize_for_evidence`)
and :func:`fold`, the looser one used to *look up* names and date expressions
(actor aliases, month names), where spelling variants must meet, live beside the
library's other folds in :mod:`sahel_events._text` (``fold`` is its
``lookup_fold``) and are re-exported here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from sahel_events._text import NormalizedText, normalize_for_evidence
from sahel_events._text import lookup_fold as fold
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
