"""What every benchmark shares: the machine it ran on, and best-of-N timing."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version


def machine(*packages: str) -> dict[str, str]:
    """Platform, processor, CPU count, Python, and the versions of sahel_events and ``packages``."""
    info = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
    }
    for name in ("sahel_events", *packages):
        try:
            info[name] = version(name)
        except PackageNotFoundError:
            info[name] = "not installed"
    return info


def best_of(function: Callable[[], object], repeats: int = 3) -> float:
    """The shortest wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)
