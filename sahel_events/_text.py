"""Text folds and sanitizing: one home for every way the library reshapes text.

Each function says what it is for; use the one whose job matches, never a copy.

Sanitizing, for text that came from a file and is about to be shown to a person:

* :func:`escape_controls` makes every control character visible (``\\n``, ``\\r``,
  ``\\t``, ``\\x1b``, ``\\u202e``...), so a value or a file name in an error line
  can never split that line, move the cursor or reorder the text around it.
* :func:`shorten` cuts a value to a bounded length and says how long it was,
  so an error about a one-megabyte cell is one short line, not the cell.
* :func:`quote` is ``repr`` for messages: :func:`shorten` then :func:`escape_controls`,
  in single quotes. Use it wherever a message names a value, a column or a file.
* :func:`strip_terminal` removes terminal control sequences (CSI, OSC including
  OSC 52 clipboard writes, other escape sequences, a bare carriage return that
  redraws the line, every other C0 and C1 control) from text a report, summary
  or table prints, keeping line breaks and tabs. Applied on a terminal and when
  piped alike: a log file replayed with ``cat`` is a terminal too.
* :func:`find_control` finds the first control character (tab and newline
  allowed) in text that is about to be stored, so that it can be refused.
* :func:`escape_json_controls` escapes the controls JSON leaves raw (DEL and the
  C1 block, U+007F-U+009F) in JSON text printed to a terminal; the document's
  meaning is unchanged.

Folds, the keys under which two spellings of one thing compare equal. They
differ on purpose, each as loose as its job allows, so never use one for
another's job:

* :func:`place_key`, for looking up place names (the gazetteer's aliases at
  build time, a user's query at run time): case, every accent and Arabic mark,
  alef/ya/ta marbuta and Persian letter forms, apostrophes and punctuation
  folded. The shipped gazetteer's keys are made by it: rebuild the gazetteer
  (``scripts/build_gazetteer.py``) after changing it.
* :class:`NormalizedText` and :func:`normalize_for_evidence`, for finding a
  coder's verbatim quote in its source: only NFKD, whitespace runs, Arabic
  diacritics and tatweel are forgiven (not case, not hamza or alef forms), and
  every folded character maps back to its offset in the original text.
* :func:`lookup_fold`, for looking up names and phrases in a coding sheet
  (actor aliases, month names, date expressions): every combining mark, case,
  alef/ya/ta marbuta forms, dashes, apostrophes and Arabic-Indic digits folded;
  punctuation other than those is kept.
* :func:`actor_key`, for comparing actor names and aliases: :func:`lookup_fold`,
  spacing around parentheses and the Arabic article ال dropped.
* :func:`header_key`, for recognizing a header cell as a column name: BOM and
  surrounding space dropped, lower case, spaces and hyphens as ``_``.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache
from unicodedata import combining

__all__ = [
    "MESSAGE_VALUE_LIMIT",
    "NormalizedText",
    "actor_key",
    "escape_controls",
    "escape_json_controls",
    "find_control",
    "header_key",
    "lookup_fold",
    "normalize_for_evidence",
    "place_key",
    "quote",
    "shorten",
    "strip_terminal",
]

#: The most characters of one value a message shows; longer values are cut.
MESSAGE_VALUE_LIMIT = 120

# C0 controls, DEL, C1 controls, and the Unicode format characters that reorder or
# hide text (bidirectional overrides and isolates, zero-width joiners, the BOM,
# line and paragraph separators).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    character = match.group()
    named = _NAMED.get(character)
    if named is not None:
        return named
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control and direction character written as a visible escape.

    For values and file names in one-line messages: ``"a\\nb"`` becomes ``a\\nb``
    (a backslash and an ``n``), ESC becomes ``\\x1b``, U+202E becomes ``\\u202e``.
    Printable text, including every script, is unchanged.
    """
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_visible, text)


def shorten(value: object, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """``str(value)`` cut to ``limit`` characters, saying how long it was when cut.

    ``shorten("x" * 10**6)`` is 120 characters of ``x``, an ellipsis and
    ``(1,000,000 characters)``. The cut is made before escaping, so the work is
    bounded by ``limit`` whatever the size of the value.
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def quote(value: object, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """A value as a message shows it: quoted, cut to ``limit``, controls escaped.

    Used for cell values, column names, file names and anything else a message
    repeats from its input. Text is shown in single quotes; other values (numbers,
    dates, lists from a coding sheet) by their ``repr``, which says their type.
    """
    if not isinstance(value, str):
        shown = repr(value)
        if len(shown) <= limit:
            return escape_controls(shown)
        return f"{escape_controls(shown[:limit])}… ({len(shown):,} characters)"
    if len(value) <= limit:
        return "'" + escape_controls(value) + "'"
    return f"'{escape_controls(value[:limit])}…' ({len(value):,} characters)"


def find_control(text: str) -> int | None:
    """Offset of the first control character other than tab and newline, or None.

    For refusing stored text (notes, evidence, names) that holds control
    characters, naming where the first one is.
    """
    found = _STORED_CONTROL.search(text)
    return None if found is None else found.start()


# C0 controls but tab and newline, DEL, and the C1 controls (U+009B among them, a
# one-character CSI on some terminals): what stored text must not hold.
_STORED_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# ESC-introduced sequences, after ECMA-48: CSI (ESC [ parameters intermediates final),
# OSC, DCS, SOS, PM and APC strings (ended by BEL or ST), and two- or three-byte
# escapes; the 8-bit C1 forms (U+009B CSI, U+009D OSC...) alike. A string with no
# terminator loses its introducer only (the rule for other escapes), so a stray
# ESC ] cannot swallow the rest of a report; string contents exclude every
# introducer, so no match rescans text and the work is linear. Every branch starts
# with a control character, so plain text is skipped by one class search.
_STRING_BODY = r"[^\x07\x1b\x90-\x9f\n]*(?:\x07|\x1b\\|\x9c)"
_TERMINAL_SEQUENCE = re.compile(
    r"\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI
    r"|[\]PX^_]"
    + _STRING_BODY  # OSC (incl. OSC 52), DCS, SOS, PM, APC
    + r"|[\x20-\x2f]*[\x30-\x7e]?)"  # other escapes
    r"|\x9b[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # 8-bit CSI
    r"|[\x90\x98\x9d-\x9f]"
    + _STRING_BODY  # 8-bit string controls
    + r"|\r(?!\n)"  # a bare CR redraws the line
    r"|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]"  # every other control
)
# Any character the sequence pattern would remove; CRLF pairs (every CSV line end)
# stay on the fast path.
# stay on the fast path. Two searches: each is a fast scan on its own.
_ANY_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BARE_CR = re.compile("\r(?!\n)")


def strip_terminal(text: str) -> str:
    """``text`` without terminal control sequences, for every report, summary and table.

    Removes CSI sequences (cursor moves, colors, screen clears), OSC strings
    (window titles, OSC 8 links, OSC 52 clipboard writes) and the other string
    controls, two-byte escapes, a carriage return not followed by a line feed
    (which would let a value redraw its line to say ``VALID``), and every other
    C0 or C1 control character. Keeps line feeds, CRLF pairs and tabs, and all
    printable text. Linear in the length of the text.
    """
    if _ANY_TERMINAL_CONTROL.search(text) is None and _BARE_CR.search(text) is None:
        return text
    return _TERMINAL_SEQUENCE.sub("", text)


_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f\u2028\u2029]")


def escape_json_controls(text: str) -> str:
    """JSON text with DEL, the C1 controls and U+2028/U+2029 written as ``\\uXXXX``.

    ``json.dumps(..., ensure_ascii=False)`` escapes U+0000-U+001F but leaves these
    raw, and a terminal acts on U+009B (CSI) as on ESC ``[``. Inside a JSON string
    the escape means the same character, so the document is unchanged.
    """
    return _JSON_RAW_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# --- Folds -------------------------------------------------------------------------

# The place key (place_key).
# Combining marks left by NFKD (Latin accents; Arabic harakat, shadda, sukun,
# dagger alef, Quranic marks) and the tatweel, which only stretches a word.
# NFKD also splits أ إ آ into ا plus a combining hamza or madda, so dropping the
# marks maps every alef form to bare ا.
_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
)
# Letters NFKD keeps but that writers use interchangeably, and letters with no
# decomposition whose plain Latin form is how names are usually typed.
_LETTERS = str.maketrans(
    {
        "ى": "ي",  # alef maqsura -> ya
        "ة": "ه",  # ta marbuta -> ha
        "ی": "ي",  # Persian/Urdu ya, common in copied text
        "ک": "ك",  # Persian kaf
        "ٱ": "ا",  # alef wasla
        # GeoNames has many Persian and Urdu spellings of Sahel names; Arabic
        # writes their g as غ (واغادوغو، غاو، أغاديز), p as ب, v as ف, zh as ز.
        "گ": "غ",
        "ګ": "غ",
        "ڭ": "غ",
        "پ": "ب",
        "ڤ": "ف",
        "ژ": "ز",
        "ہ": "ه",  # Urdu heh goal
        "ۃ": "ه",
        "ے": "ي",  # Urdu yeh barree
        "ٹ": "ت",
        "ڈ": "د",
        "ڑ": "ر",
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ɔ": "o",
        "ɛ": "e",
        "ŋ": "n",
        "ɲ": "ny",
        "ƴ": "y",
        "ɓ": "b",
        "ɗ": "d",
        # Apostrophes join (N'Djamena = Ndjamena); other punctuation separates.
        "'": "",
        "’": "",
        "ʼ": "",
        "ʻ": "",
        "`": "",
        "´": "",
    }
)
_SEPARATORS = re.compile(r"[\W_]+")


def place_key(text: str) -> str:
    """The lookup key of a place name, for the gazetteer's aliases and the queries.

    Latin script loses case and accents (``Ménaka`` -> ``menaka``); Arabic
    script loses diacritics and tatweel, and folds alef, ya and ta marbuta
    variants (``أ إ آ`` -> ``ا``, ``ى`` -> ``ي``, ``ة`` -> ``ه``). Punctuation and
    runs of spaces become one space; apostrophes disappear.

    >>> place_key("  Ménaka ")
    'menaka'
    >>> place_key("N'Djamena")
    'ndjamena'
    """
    text = unicodedata.normalize("NFKD", text)
    text = _MARKS.sub("", text)
    # Case-folded first: the table maps lower-case letters, and capitals such as
    # Ɛ, Ɔ, Ŋ, Ɲ, Ɓ, Ɗ, Ƴ (Bambara, Fulfulde) and Æ, Ø, Ł must give the same key.
    text = text.casefold().translate(_LETTERS)
    return _SEPARATORS.sub(" ", text).strip()


# The evidence fold (NormalizedText, normalize_for_evidence).

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
            # Imported here: exc builds its messages with this module.
            from sahel_events.exc import CodingSheetError

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


# The look-up fold (lookup_fold), looser than the evidence fold.

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


def lookup_fold(text: str) -> str:
    """Fold a name or phrase for look-up, so that spelling variants meet.

    Beyond :func:`normalize_for_evidence` this drops *every* combining mark
    (Latin accents; the hamza on أ إ آ ؤ ئ, which unifies alef forms), maps
    ى to ي, ة to ه, Arabic-Indic digits to ASCII, curly apostrophes to
    straight ones and typographic dashes to hyphens, and case-folds.

    >>> lookup_fold("أَغُسْطُس الماضي") == lookup_fold("اغسطس الماضى")
    True
    >>> lookup_fold("Août  DERNIER")
    'aout dernier'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        char for char in decomposed if not unicodedata.combining(char) and char != _TATWEEL
    )
    return " ".join(kept.translate(_FOLD_TABLE).casefold().split())


# The actor key (actor_key).

_PAREN_SPACING = re.compile(r"\s*([()])\s*")


def actor_key(name: str) -> str:
    """The form in which actor names and aliases are compared.

    >>> actor_key("الجَيْشُ المالي") == actor_key("جيش مالي")
    True
    """
    # "Mali(2021-)" and "Mali ( 2021- )" are the same name.
    words = _PAREN_SPACING.sub(r"\1", lookup_fold(name)).split()
    # Drop the Arabic article ال, but not from short words that are mostly article.
    return " ".join(word[2:] if word.startswith("ال") and len(word) > 3 else word for word in words)


# The header key (header_key).

_HEADER_SEPARATORS = re.compile(r"[\s\-]+")


def header_key(raw: str) -> str:
    """A header cell as a column name: no BOM, lower case, spaces and hyphens as ``_``."""
    name = raw.replace("\ufeff", "").strip().lower()
    return _HEADER_SEPARATORS.sub("_", name)
