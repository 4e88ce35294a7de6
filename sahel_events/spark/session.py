"""The Spark session sahel_events uses, and Spark's failures as our errors.

A session that exists already (``spark-submit``, Databricks, a notebook's ``spark``)
is used as it is. Otherwise one is started in local mode, quiet, with this Python as
the executors' Python so that they import the same sahel_events.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events.exc import SahelEventsError, UnreadableFileError, UsageError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["DEFAULT_MASTER", "get_session", "spark_errors"]

#: Where a session runs when nothing else says: two local cores.
DEFAULT_MASTER = "local[2]"

_LOG_CONFIG = Path(__file__).with_name("log4j2.properties")
_INSTALL_HINT = (
    "the Spark engine needs pyspark and a Java runtime: pip install 'sahel_events[spark]' "
    "and a JRE 17 or later (Debian: apt-get install default-jre-headless)"
)


def get_session(
    master: str | None = None, *, config: Mapping[str, str] | None = None
) -> SparkSession:
    """The active Spark session, or a new one on ``master`` (default ``local[2]``).

    ``config`` sets Spark properties of a new session (``spark.driver.memory``...).

    Raises:
        UsageError: pyspark is not installed, or no Java runtime can start Spark.
    """
    try:
        from pyspark import SparkConf
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(_INSTALL_HINT) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    # The executors run this Python (and so import this sahel_events) in local mode;
    # a cluster sets its own.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("sahel-events")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG_CONFIG}")
    )
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    try:
        if master is None and not SparkConf().contains("spark.master"):
            master = DEFAULT_MASTER
        if master is not None:
            builder = builder.master(master)
        if master is not None and master.startswith("local"):
            # Spark's 200 shuffle partitions are sized for clusters; a few local cores
            # spend longer scheduling them than aggregating a report.
            builder = builder.config("spark.sql.shuffle.partitions", "8")
        return builder.getOrCreate()
    except Exception as error:  # py4j and pyspark raise many kinds when Java is missing
        raise UsageError(f"cannot start Spark ({_first_line(error)}); {_INSTALL_HINT}") from None


_FILE_IN_MESSAGE = re.compile(
    r"((?:file:|hdfs://|s3a?://|abfss?://|gs://|dbfs:)?/[^\n]*?\.parquet)(?![\w.-])"
)
_JAVA_CLASS = re.compile(r"^(?:[a-z]\w*\.)+[A-Z]\w*(?:Exception|Error): ")


@contextlib.contextmanager
def spark_errors(source: str) -> Iterator[None]:
    """Turn Spark's failures while reading ``source`` into :class:`UnreadableFileError`.

    The message is Spark's own first line, with the file it names, never a Java stack
    trace.
    """
    try:
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException
    except ImportError:
        raise UsageError(_INSTALL_HINT) from None
    try:
        with _quiet_query_context_logs():
            yield
    except SahelEventsError:
        raise
    except (PySparkException, Py4JError) as error:
        text = _message(error)
        found = _FILE_IN_MESSAGE.search(text)
        path = local_path(found.group(1)) if found else source
        raise UnreadableFileError(f"Spark cannot read the data: {text}", path=path) from None


def local_path(uri: str) -> str:
    """A ``file:`` URI as the path on disk (Spark percent-encodes some of its characters)."""
    from urllib.parse import unquote

    if not uri.startswith(("file:", "/")):
        return uri
    path = uri.removeprefix("file://").removeprefix("file:")
    if os.path.exists(path):
        return path
    decoded = unquote(path)
    return decoded if os.path.exists(decoded) else path


def _message(error: BaseException) -> str:
    """Spark's message for a failure: the Java exception's own, else the first line."""
    java = getattr(error, "java_exception", None)
    if java is not None:
        with contextlib.suppress(Exception):
            cause = java
            # The innermost cause says what was wrong with the file.
            while cause.getCause() is not None and cause.getCause() != cause:
                cause = cause.getCause()
            for candidate in (java, cause):
                text = _first_line(Exception(str(candidate.toString())))
                if _FILE_IN_MESSAGE.search(text):
                    return _JAVA_CLASS.sub("", text)
            return _JAVA_CLASS.sub("", _first_line(Exception(str(cause.toString()))))
    return _JAVA_CLASS.sub("", _first_line(error))


@contextlib.contextmanager
def _quiet_query_context_logs() -> Iterator[None]:
    """Keep pyspark from logging each failure it raises (with its stack) to standard error.

    The failures raised inside become our own one-line errors, or are expected (a probe).
    """
    import logging

    loggers = [logging.getLogger(name) for name in _QUERY_CONTEXT_LOGGERS]
    previous = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, previous, strict=True):
            logger.disabled = disabled


_QUERY_CONTEXT_LOGGERS = ("DataFrameQueryContextLogger", "SQLQueryContextLogger")


def _first_line(error: BaseException) -> str:
    """The first line of an error's message, without Spark's error-class prefix noise."""
    text = str(error).strip()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("at ", "Traceback", "JVM stacktrace")):
            return line[:500]
    return type(error).__name__
