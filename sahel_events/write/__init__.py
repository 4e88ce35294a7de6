"""Writing event tables: typed GeoParquet files, hive-partitioned datasets, CSV and XLSX.

Every writer is atomic: the output is written to a temporary file (or folder) beside
its target, flushed to disk, and renamed into place, so a reader never sees half a
file and a failed or interrupted write leaves the previous output as it was. The same
frame always gives the same bytes.

>>> from sahel_events.write import write_events, write_dataset
>>> write_events(events, "out/events.parquet")            # doctest: +SKIP
PosixPath('out/events.parquet')
>>> write_dataset(events, "out/events")                   # doctest: +SKIP
PosixPath('out/events')

Partition folder names come from data, so they pass through :func:`safe_child_path`,
which refuses any path that could leave its output folder.
"""

from sahel_events._io import FORMULA_TRIGGERS, neutralize_formulas, safe_child_path
from sahel_events.vocabulary import SCHEMA_VERSION
from sahel_events.write._csv import write_csv
from sahel_events.write._dataset import HIVE_NULL_PARTITION, partition_segment, write_dataset
from sahel_events.write._parquet import GEOPARQUET_VERSION, sources_metadata, write_events
from sahel_events.write._xlsx import write_xlsx

__all__ = [
    "FORMULA_TRIGGERS",
    "GEOPARQUET_VERSION",
    "HIVE_NULL_PARTITION",
    "SCHEMA_VERSION",
    "neutralize_formulas",
    "partition_segment",
    "safe_child_path",
    "sources_metadata",
    "write_csv",
    "write_dataset",
    "write_events",
    "write_xlsx",
]
