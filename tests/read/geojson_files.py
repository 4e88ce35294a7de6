"""GeoJSON event files the GeoJSON tests write: made-up events as Point features."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sahel_events.testing import synthetic_events


def point_features(n: int = 4, *, seed: int) -> list[dict[str, Any]]:
    """Features of made-up events: ACLED's other columns as properties, a Point geometry."""
    frame = synthetic_events(n, seed=seed)
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    features = []
    for record in records:
        record["event_date"] = record["event_date"][:10]
        point = [record.pop("longitude"), record.pop("latitude")]
        features.append(
            {
                "type": "Feature",
                "properties": record,
                "geometry": {"type": "Point", "coordinates": point},
            }
        )
    return features


def write_collection(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path
