"""Properties of the sanitizers in sahel_events._text, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sahel_events._text import (
    MESSAGE_VALUE_LIMIT,
    escape_controls,
    escape_json_controls,
    quote,
    strip_terminal,
)

# Text rich in what terminals act on: ESC, CSI, OSC, BEL, ST, CR, C1 controls.
_PIECES = ["\x1b", "[", "]", "\x07", "\x9b", "\x9c", "\x9d", "\r", "\n", "\t", "\\"]
_PIECES += ["52;c;", "2K", "0;", "31m", "P", "X", "^", "_", ";", "A", "é", "ب"]
hostile_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), max_size=60).map(
    "".join
)


def _terminal_controls(text: str) -> list[str]:
    kept = text.replace("\r\n", "")
    return [c for c in kept if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]


@settings(max_examples=500, deadline=None)
@given(hostile_text)
def test_strip_terminal_leaves_no_control_and_is_idempotent(text: str) -> None:
    stripped = strip_terminal(text)
    assert not _terminal_controls(stripped)
    assert strip_terminal(stripped) == stripped
    # A line feed is never part of a removed sequence (string bodies stop at one).
    assert stripped.count("\n") == text.count("\n")


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_escape_controls_gives_one_visible_line(text: str) -> None:
    escaped = escape_controls(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert not _terminal_controls(escaped)
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in escaped)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2_000))
def test_quote_is_bounded(text: str) -> None:
    quoted = quote(text)
    # Each kept character may become an escape of at most 6 characters.
    assert len(quoted) <= 6 * MESSAGE_VALUE_LIMIT + 40
    assert "\n" not in quoted


def test_escape_json_controls_keeps_the_document() -> None:
    import json

    document = {"value": "a\x9b31m\x85b\u2028c\x7f"}
    text = escape_json_controls(json.dumps(document, ensure_ascii=False))
    assert json.loads(text) == document
    assert not _terminal_controls(text)
