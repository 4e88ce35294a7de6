"""Reading sahel_events Parquet files and hive-partitioned datasets into Spark."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sahel_events.spark.session import get_session, spark_errors

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["canonical_types", "read_dataset", "read_raw"]

_INFER_PARTITION_TYPES = "spark.sql.sources.partitionColumnTypeInference.enabled"


def read_dataset(path: str | os.PathLike[str], *, spark: SparkSession | None = None) -> DataFrame:
    """A Parquet file or hive-partitioned dataset as a Spark DataFrame with canonical types.

    Reads what :func:`sahel_events.write.write_dataset` and
    :func:`~sahel_events.write.write_events` write (any path Spark reaches: local,
    HDFS, S3, DBFS). Dates are ``DateType``, the small integers ``ByteType`` /
    ``ShortType`` / ``IntegerType`` as in :mod:`sahel_events.schema.arrow`,
    vocabularies strings, ``geometry`` the WKB point as ``BinaryType`` (the files'
    GeoParquet metadata describes it). Partition columns come back from the folder
    names with the same types, ACLED's columns first in ACLED's order.

    Raises:
        UnreadableFileError: No such path, or a file Spark cannot read.
        UsageError: pyspark or Java is missing.
    """
    session = spark or get_session()
    return canonical_types(read_raw(path, session))


def read_raw(path: str | os.PathLike[str], spark: SparkSession) -> DataFrame:
    """The file or dataset as Spark reads it, partition values as text (no type guessing).

    Spark would guess the type of a partition column from its folder names (an admin
    code ``007`` would become the number 7); the canonical types are applied after.
    """
    from pyspark.sql import functions as F

    from sahel_events.write import HIVE_NULL_PARTITION

    source = os.fspath(path)
    with spark_errors(source), _partition_types_as_text(spark):
        frame = spark.read.option("mergeSchema", "true").parquet(source)
        partitions = _partition_columns(frame, source)
    if not partitions:
        return frame
    # Spark reads a missing partition value back as null only when it guesses types.
    return frame.select(
        *(
            F.when(F.col(name) == HIVE_NULL_PARTITION, None).otherwise(F.col(name)).alias(name)
            if name in partitions
            else F.col(name)
            for name in frame.columns
        )
    )


def _partition_columns(frame: DataFrame, source: str) -> set[str]:
    """Columns taken from ``name=value`` folders below ``source`` (from one file's path)."""
    from urllib.parse import unquote

    files = frame.inputFiles()
    if not files:
        return set()
    root = unquote(source.rstrip("/").removeprefix("file:"))
    if "://" not in root and not root.startswith("dbfs:"):
        root = os.path.abspath(root)
    path = unquote(files[0].removeprefix("file://").removeprefix("file:"))
    inside = path[len(root) :] if path.startswith(root) else path
    names = {segment.split("=", 1)[0] for segment in inside.split("/")[:-1] if "=" in segment}
    return names & set(frame.columns)


@contextlib.contextmanager
def _partition_types_as_text(spark: SparkSession) -> Iterator[None]:
    previous = spark.conf.get(_INFER_PARTITION_TYPES, None)
    spark.conf.set(_INFER_PARTITION_TYPES, "false")
    try:
        yield
    finally:
        if previous is None:
            spark.conf.unset(_INFER_PARTITION_TYPES)
        else:
            spark.conf.set(_INFER_PARTITION_TYPES, previous)


def canonical_types(df: DataFrame) -> DataFrame:
    """``df`` with each known column cast to its canonical type, in the canonical order."""
    from pyspark.sql import functions as F

    from sahel_events import vocabulary
    from sahel_events.schema.arrow import ARROW_TYPES, GEOMETRY_COLUMN, PROVENANCE_COLUMNS

    order = (*vocabulary.COLUMN_NAMES, *PROVENANCE_COLUMNS)
    known = [name for name in order if name in df.columns]
    others = [name for name in df.columns if name not in order and name != GEOMETRY_COLUMN]
    last = [name for name in (GEOMETRY_COLUMN,) if name in df.columns]
    columns = [F.col(name).cast(spark_type(ARROW_TYPES[name])).alias(name) for name in known + last]
    columns[len(known) : len(known)] = [F.col(name) for name in others]
    return df.select(*columns)


def spark_type(arrow_type: pa.DataType) -> Any:
    """The Spark SQL type of an Arrow type of :mod:`sahel_events.schema.arrow`."""
    import pyarrow as pa
    from pyspark.sql import types as T

    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    simple = {
        pa.int8(): T.ByteType(),
        pa.int16(): T.ShortType(),
        pa.int32(): T.IntegerType(),
        pa.int64(): T.LongType(),
        pa.float32(): T.FloatType(),
        pa.float64(): T.DoubleType(),
        pa.bool_(): T.BooleanType(),
        pa.date32(): T.DateType(),
        pa.string(): T.StringType(),
        pa.large_string(): T.StringType(),
        pa.binary(): T.BinaryType(),
    }
    if arrow_type not in simple:
        raise TypeError(f"no Spark type for the Arrow type {arrow_type}")
    return simple[arrow_type]
