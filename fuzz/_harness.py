"""Shared plumbing of the atheris harnesses: a scratch folder, and the run loop.

Every harness treats the library's own refusals (:class:`SahelEventsError`,
and :class:`DateExpressionError` for the date resolver) as the expected outcome
of bad input; any other exception escapes and atheris records it as a crash.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

try:
    import atheris
except ImportError:  # the harnesses' logic is also run by tests/hostile, without atheris
    atheris = None

# Reader warnings (a cp1252 fallback, say) are expected on random bytes.
warnings.simplefilter("ignore")

_SCRATCH = Path(
    tempfile.mkdtemp(prefix="sahel-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
)


def instrument(*packages: str) -> None:
    """Import every module of ``packages`` under atheris's coverage instrumentation.

    The library imports most modules lazily inside functions; imported later,
    outside ``instrument_imports``, they would run uninstrumented and the
    fuzzer would be blind to their branches.
    """
    import importlib
    import pkgutil

    if atheris is None:
        return
    with atheris.instrument_imports(include=["sahel_events"]):
        for name in packages:
            package = importlib.import_module(name)
            for module in pkgutil.walk_packages(package.__path__, name + "."):
                importlib.import_module(module.name)


def scratch_file(name: str, data: bytes) -> Path:
    """Write ``data`` to ``name`` in this process's scratch folder (in memory when possible)."""
    path = _SCRATCH / name
    path.write_bytes(data)
    return path


def main(test_one_input: Callable[[bytes], None]) -> None:
    """Run ``test_one_input`` under atheris with the command line's libFuzzer options."""
    if atheris is None:
        raise SystemExit("atheris is not installed: pip install -e '.[fuzz]'")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
