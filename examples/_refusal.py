"""What the hostile_*.py examples share: run an action that must be refused, print the refusal.

Not an example itself (tests/test_docs.py runs the examples and leaves out the
files whose names start with ``_``); the examples import it from their own folder.
"""

from __future__ import annotations

from collections.abc import Callable

from sahel_events.exc import SahelEventsError


def refused(what: str, action: Callable[[], object]) -> None:
    """Run ``action`` and print the library's one-line refusal and its exit code."""
    try:
        action()
    except SahelEventsError as error:
        print(f"{what}:\n  exit {error.exit_code}: {error}\n")
    else:
        raise SystemExit(f"{what}: was not refused")
