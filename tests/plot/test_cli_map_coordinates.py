"""`sahel-events map` on coordinates no map can draw: said, never "N of N events located".

Old GDAL and QGIS exports carry a GeoJSON ``crs`` member (RFC 7946 dropped it)
and coordinates in metres of Web Mercator (EPSG:3857): read as degrees they lie
far off the globe. The maps leave such points out; the command used to count
them as located and write an empty map without a word.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sahel_events.testing import synthetic_events

pytest.importorskip("matplotlib")


def _geojson(path: Path, points: list[tuple[float, float]]) -> Path:
    """A FeatureCollection as GDAL wrote them before RFC 7946: a named crs, metres."""
    frame = synthetic_events(len(points), seed=4).drop(columns=["latitude", "longitude"])
    frame["country"] = "Mali"  # where the points in degrees lie: none is suspect
    features = [
        {
            "type": "Feature",
            "properties": properties,
            "geometry": {"type": "Point", "coordinates": [x, y]},
        }
        for properties, (x, y) in zip(
            json.loads(frame.to_json(orient="records", date_format="iso")), points, strict=True
        )
    ]
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": features,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _map(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sahel_events", "map", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def test_projected_coordinates_only_are_refused_not_drawn_blank(tmp_path):
    # Bamako and Niamey in Web Mercator metres.
    path = _geojson(
        tmp_path / "mercator.geojson", [(-887_800.0, 1_415_500.0), (235_500.0, 1_525_000.0)]
    )
    result = _map(path.name, "-o", "map.png", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {path.name}: none of its 2 events has coordinates on the globe: 2 lie beyond "
        "latitude -90..90 or longitude -180..180 (metres of a projected system such as "
        "EPSG:3857, not degrees?)"
    ]
    assert not (tmp_path / "map.png").exists()


@pytest.mark.parametrize("as_html", [False, True])
def test_points_off_the_globe_are_counted_apart_and_said(tmp_path, as_html):
    path = _geojson(
        tmp_path / "mixed.geojson", [(-7.98, 12.65), (-0.04, 16.27), (235_500.0, 1_525_000.0)]
    )
    out = "map.html" if as_html else "map.png"
    result = _map(path.name, "-o", out, *(["--html"] if as_html else []), "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # Said even under -q; the summary line (not under -q) counts only what is drawn.
    assert result.stderr.splitlines() == [
        "warning: 1 of 3 events have coordinates beyond latitude -90..90 or longitude "
        "-180..180 and are not drawn"
    ]
    loud = _map(path.name, "-o", out, *(["--html"] if as_html else []), cwd=tmp_path)
    assert loud.stderr.splitlines()[-1] == f"wrote {out} (2 of 3 events located)"
    if as_html:
        page = (tmp_path / out).read_text(encoding="utf-8")
        data = page.split('<script type="application/json" id="map-data">', 1)[1]
        assert len(json.loads(data.split("</script>", 1)[0])["events"]) == 2
