"""Write synthetic events as GeoParquet and query them with DuckDB.

Runs offline in a couple of seconds:

    python examples/write_and_query.py

The events are invented by ``sahel_events.testing`` (ACLED's terms forbid
redistributing its rows); the files land in a temporary folder removed at the end.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from sahel_events.testing import synthetic_events
from sahel_events.write import sources_metadata, write_dataset, write_events


def main() -> None:
    events = synthetic_events(2_000, seed=42)
    # The build records the sources an event file was coded from; invent one here.
    source_text = b"Synthetic source text: nothing here happened."
    metadata = sources_metadata({"synthetic-001": hashlib.sha256(source_text).hexdigest()})

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        single = write_events(events, out / "events.parquet", metadata=metadata)
        dataset = write_dataset(events, out / "events", metadata=metadata)

        print(f"wrote {single.name}: {single.stat().st_size:,} bytes, {len(events):,} events")
        file_metadata = pq.read_metadata(single).metadata
        print("schema version:", file_metadata[b"sahel_events.schema_version"].decode())
        print("sources:", json.loads(file_metadata[b"sahel_events.sources"]))
        print("geo bbox:", json.loads(file_metadata[b"geo"])["columns"]["geometry"]["bbox"])

        partitions = sorted(
            str(path.parent.relative_to(dataset)) for path in dataset.rglob("*.parquet")
        )
        print(f"\nwrote {len(partitions)} partitions, e.g. {partitions[0]}")

        print("\nFatalities by country and event type (one file):")
        duckdb.sql(
            f"""
            select country, event_type, count(*) as events, sum(fatalities) as fatalities
            from '{single}'
            group by all
            order by country, fatalities desc
            limit 8
            """
        ).show()

        print("Events per year in Burkina Faso (partitioned dataset, pruned by folder):")
        duckdb.sql(
            f"""
            select year, count(*) as events, min(event_date) as first, max(event_date) as last
            from read_parquet('{dataset}/**/*.parquet', hive_partitioning = true)
            where country = 'Burkina Faso'
            group by year
            order by year
            """
        ).show()

        print("Deadliest events with their point geometry (GeoParquet):")
        try:
            # DuckDB >= 1.5 reads GeoParquet geometry natively; older versions need
            # the spatial extension, which is a download.
            duckdb.sql(
                f"""
                select event_id_cnty, location, fatalities, ST_AsText(geometry) as point
                from '{single}'
                order by fatalities desc, event_id_cnty
                limit 3
                """
            ).show()
        except duckdb.Error as error:
            print(f"  (this DuckDB cannot read geometry without the spatial extension: {error})")


if __name__ == "__main__":
    main()
