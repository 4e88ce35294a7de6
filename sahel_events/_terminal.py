"""Text that reaches a terminal or a log: escaped, stripped and bounded.

Contributed files and coding sheets are untrusted. Their text is shown in error
messages, reports and summaries, where a raw escape sequence could rewrite the
screen (CSI), write to the clipboard (OSC 52) or redraw a line (a bare carriage
return turning ``INVALID`` into ``VALID``), and where a long value would flood
the log. Three functions, each for one use:

* :func:`escape` for a file name or a short value inside a message: control
  characters become visible escapes (``\\n``, ``\\x1b``), nothing is lost;
* :func:`quote_value` for a value taken from a file: escaped, quoted and cut to
  :data:`MESSAGE_VALUE_LIMIT` characters with the total length, so that a
  message never reproduces a file's content;
* :func:`strip_controls` for text printed as data (summary tables, place
  names): terminal control sequences and control characters are removed,
  whether the output is a terminal or a pipe.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "CONTROL_CHARACTERS",
    "MESSAGE_VALUE_LIMIT",
    "escape",
    "find_control",
    "quote_value",
    "strip_controls",
]

#: Longest value (in characters) a message shows; longer ones are cut.
MESSAGE_VALUE_LIMIT = 120

#: C0 controls but tab and newline, DEL, and the C1 controls (U+0080-U+009F,
#: among them U+009B, a one-character CSI on some terminals).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# ESC [ ... final byte (CSI); ESC ] ... BEL or ESC \ (OSC, e.g. OSC 52 clipboard
# writes); ESC P/X/^/_ ... ESC \ (DCS, SOS, PM, APC); any other two-byte ESC.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def escape(text: str) -> str:
    """``text`` with every control character (newline and tab included) made visible.

    >>> escape("sheet\\n\\x1b[2Jname.yaml")
    'sheet\\\\n\\\\x1b[2Jname.yaml'
    """
    return _ANY_CONTROL.sub(_escape_char, text)


def quote_value(value: Any, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """A value for a message: quoted, escaped, and cut to ``limit`` characters.

    >>> quote_value("root:x:0:0:root:/root:/bin/bash\\n" * 40)[-30:]
    "…' (1,320 characters in all)"
    >>> quote_value(12)
    '12'
    """
    if not isinstance(value, str):
        shown = repr(value)
        if len(shown) <= limit:
            return escape(shown)
        return f"{escape(shown[:limit])}… ({len(shown):,} characters in all)"
    if len(value) <= limit:
        return f"'{escape(value)}'"
    return f"'{escape(value[:limit])}…' ({len(value):,} characters in all)"


def strip_controls(text: str) -> str:
    """``text`` without terminal control sequences or control characters (tab and newline kept).

    >>> strip_controls("Gao\\x1b]52;c;ZWNobyBo\\x07\\rVALID")
    'GaoVALID'
    """
    return CONTROL_CHARACTERS.sub("", _SEQUENCES.sub("", text))


def find_control(text: str) -> int | None:
    """Offset of the first control character other than tab and newline, or None."""
    found = CONTROL_CHARACTERS.search(text)
    return None if found is None else found.start()
