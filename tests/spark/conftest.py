"""One local Spark session (local[2]) for every Spark test: starting one takes seconds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (the [spark] extra)")


def _java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is not None or bool(home and os.path.exists(f"{home}/bin/java"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if not _java_available():
        pytest.skip("no Java runtime (make test installs default-jre-headless where apt-get works)")
    from sahel_events.spark import get_session

    session = get_session("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "4")
    yield session
    session.stop()
