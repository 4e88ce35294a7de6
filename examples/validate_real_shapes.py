"""Files shaped like the ones people really send: what the validator says about each.

Writes, into a temporary folder, small files with rows invented here (never
ACLED's) in the shapes real contributions take: an R ``write.csv`` export with
row names and ``NA``, a subset of ACLED's columns, US month-first dates, a
2016-style legacy file, a UCDP GED file (with its header, and without it as some
GED Candidate releases came), an HDX HAPI aggregate, a file with a title above its
header, ACLED rows without their header, GeoJSON features without geometry (with and
without latitude/longitude properties), GeoJSON features that are not points (GDAL's
MultiPoint of one point, an admin-area Polygon), an HXL-tagged file and an event dated after "today"
(pinned with ``today=`` so that the output is the same whenever it runs). Prints
one line per file: the verdict and the findings. Runs offline in a few seconds.

    python examples/validate_real_shapes.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import sahel_events
from sahel_events.exc import SahelEventsError
from sahel_events.export.hxl import HXL_TAGS
from sahel_events.export.ucdp import GED_COLUMNS

HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "source,source_scale,notes,fatalities,tags,timestamp"
)


def row(number: int, date: str, blank: str = "") -> str:
    cells = [
        f"MLI{number}",
        date,
        "2024",
        "1",
        "Political violence",
        "Battles",
        "Armed clash",
        "Military Forces of Mali (2021-)",
        blank,
        "State forces",
        "JNIM: Group for Support of Islam and Muslims",
        blank,
        "Rebel group",
        "State forces-Rebel group",
        blank,
        "466",
        "Western Africa",
        "Mali",
        "Gao",
        "Gao",
        blank,
        "Gao",
        "16.2666",
        "-0.0400",
        "1",
        "Studio Tamani",
        "National",
        "An invented clash.",
        "3",
        blank,
        "1712000000",
    ]
    return ",".join(cells)


FILES = {
    "r_write_csv.csv": '"",'
    + HEADER
    + "\n"
    + "\n".join(f'"{n}",' + row(n, f"2024-03-0{n}T00:00:00Z", "NA") for n in (1, 2))
    + "\n",
    "subset.csv": "event_date,location,latitude,longitude,fatalities\n2024-03-01,Gao,16.27,-0.04,3\n",
    "month_first.csv": HEADER + "\n" + row(1, "3/12/2024") + "\n" + row(2, "3/1/2024") + "\n",
    "month_first_proven.csv": HEADER
    + "\n"
    + row(1, "3/13/2024")
    + "\n"
    + row(2, "3/1/2024")
    + "\n",
    "ucdp_ged.csv": "id,relid,year,side_a,side_b,where_prec,date_prec,date_start,best\n"
    "1,MLI-2024-1,2024,Government of Mali,JNIM,1,1,2024-03-01 00:00:00.000,3\n",
    "hapi_aggregates.csv": "location_code,admin1_name,event_type,events,fatalities,"
    "reference_period_start,reference_period_end\nMLI,Gao,political_violence,12,30,2024-01-01,"
    "2024-01-31\n",
    "titled.csv": "Incidents, région de Gao\nExtrait du 2024-03-15\n\n"
    + HEADER
    + "\n"
    + row(1, "2024-03-01")
    + "\n",
    "hxl_tagged.csv": HEADER
    + "\n"
    + ",".join(HXL_TAGS[name] for name in HEADER.split(","))
    + "\n"
    + row(1, "2024-03-01")
    + "\n",
    "future.csv": HEADER + "\n" + row(1, "2024-09-01") + "\n",
    "no_header.csv": row(1, "2024-03-01") + "\n" + row(2, "2024-03-02") + "\n",
}


def geojson_without_geometry(keep_coordinates: bool) -> str:
    """A FeatureCollection whose feature has ``"geometry": null``, as RFC 7946 allows."""
    properties = dict(zip(HEADER.split(","), row(1, "2024-03-01").split(","), strict=True))
    if not keep_coordinates:
        del properties["latitude"], properties["longitude"]
    feature = {"type": "Feature", "geometry": None, "properties": properties}
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


def geojson_of(geometry: dict[str, object]) -> str:
    """A FeatureCollection of one event whose geometry is ``geometry``."""
    properties = dict(zip(HEADER.split(","), row(1, "2024-03-01").split(","), strict=True))
    del properties["latitude"], properties["longitude"]
    feature = {"type": "Feature", "geometry": geometry, "properties": properties}
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


FILES["no_geometry_with_coordinates.geojson"] = geojson_without_geometry(True)
FILES["no_geometry.geojson"] = geojson_without_geometry(False)
# As GDAL (ogr2ogr, geopandas) writes a shapefile's multipoint layer: read as the point.
FILES["multipoint_of_one.geojson"] = geojson_of(
    {"type": "MultiPoint", "coordinates": [[-0.04, 16.27]]}
)
# An event joined to its admin area: no point is made up from the shape.
FILES["admin_polygon.geojson"] = geojson_of(
    {"type": "Polygon", "coordinates": [[[-1, 16], [1, 16], [1, 17], [-1, 17], [-1, 16]]]}
)

# A GED Candidate-style file: GED's 49 values, every one quoted, and no header row.
GED_VALUES = dict.fromkeys(GED_COLUMNS, "") | {
    "id": "1",
    "relid": "MLI-2024-1-1-1",
    "year": "2024",
    "active_year": "1",
    "code_status": "Clear",
    "type_of_violence": "1",
    "side_a": "Government of Mali",
    "side_b": "JNIM",
    "where_prec": "1",
    "where_coordinates": "Gao town",
    "latitude": "16.27",
    "longitude": "-0.04",
    "country": "Mali",
    "date_prec": "1",
    "date_start": "2024-03-01 00:00:00.000",
    "date_end": "2024-03-01 00:00:00.000",
    "best": "3",
}
GED_WITHOUT_HEADER = ",".join(f'"{GED_VALUES[name]}"' for name in GED_COLUMNS) + "\n"

with tempfile.TemporaryDirectory() as folder:
    for name, text in FILES.items():
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            report = sahel_events.validate(path, today="2024-06-01")
        except SahelEventsError as error:
            print(f"{name}: refused (exit {error.exit_code}): {error.message}")
            continue
        verdict = "VALID" if report.valid else "INVALID"
        findings = ", ".join(
            f"{check} ({severity})"
            for check, severity in report.entries[["check", "severity"]].drop_duplicates().values
        )
        print(f"{name}: {verdict}; {findings or 'no findings'}")

    path = Path(folder) / "ged_candidate_without_header.csv"
    path.write_text(GED_WITHOUT_HEADER, encoding="utf-8")
    try:
        sahel_events.validate(path)
    except SahelEventsError as error:
        print(f"{path.name}: refused (exit {error.exit_code}): {error.message}")
    # Said to be UCDP GED, it is read in GED's order, which its values show.
    events = sahel_events.read_events(path, source="ucdp")
    note = events.attrs["reader_issues"].query("check == 'no_header_row'")["message"].iloc[0]
    print(f"{path.name} with source='ucdp': {len(events)} event; {note}")
