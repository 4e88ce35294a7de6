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
"""

from __future__ import annotations

import re

__all__ = [
    "MESSAGE_VALUE_LIMIT",
    "escape_controls",
    "escape_json_controls",
    "find_control",
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
