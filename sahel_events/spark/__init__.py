"""sahel_events on Spark: validate and read event datasets too big for one machine.

>>> from sahel_events import spark as sahel_spark
>>> report = sahel_spark.validate("s3a://bucket/events/")      # doctest: +SKIP
>>> events = sahel_spark.read_dataset("s3a://bucket/events/")  # doctest: +SKIP

The checks are the registered checks of :mod:`sahel_events.schema`, run on the
executors by the same code as :func:`sahel_events.validate`; the report is the same
:class:`~sahel_events.ValidationReport`. Needs the ``spark`` extra
(``pip install 'sahel_events[spark]'``) and Java 17 or later. See docs/spark.md.
"""

from __future__ import annotations

from sahel_events.spark.read import read_dataset
from sahel_events.spark.session import DEFAULT_MASTER, get_session
from sahel_events.spark.validation import DEFAULT_CHUNK_ROWS, validate

__all__ = ["DEFAULT_CHUNK_ROWS", "DEFAULT_MASTER", "get_session", "read_dataset", "validate"]
