"""The interactive map's page, read as a file: self-contained, escaped, reproducible, licensed.

What the page does when it runs is tested in a real browser (test_browser.py).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sahel_events
from sahel_events import plot
from sahel_events.exc import UsageError
from sahel_events.plot import interactive
from sahel_events.testing import synthetic_events

REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return sahel_events.load()


class _Page(HTMLParser):
    """Every element's attributes, and the text of each <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = tag
            self._attrs = dict(attrs)
            self._text = []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == self._open == "script":
            self.scripts.append((self._attrs, "".join(self._text)))
        elif tag == self._open == "style":
            self.styles.append("".join(self._text))
        if tag == self._open:
            self._open = None


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _data(page: str) -> dict:
    parsed = _parse(page)
    (text,) = [text for attrs, text in parsed.scripts if attrs.get("id") == "map-data"]
    return json.loads(text)


def _popups(page: str) -> list[str]:
    return [event[5] for event in _data(page)["events"]]


def test_page_requests_nothing_remote(events, tmp_path):
    page = plot.write_html(events, tmp_path / "map.html").read_text(encoding="utf-8")
    parsed = _parse(page)
    # Nothing is loaded by reference: no src on a script, no stylesheet link, no frame or image.
    for tag, attrs in parsed.elements:
        for name in ("src", "href", "srcset", "data", "poster", "action"):
            value = attrs.get(name)
            assert value is None or not REMOTE.match(value), (tag, name, value)
        assert not (tag == "script" and "src" in attrs)
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
    assert {tag for tag, _ in parsed.elements} & {"iframe", "img", "link"} == set()
    # The inlined styles refer to no file at all: Leaflet's images are data: URIs.
    for css in parsed.styles:
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
            assert target.startswith(("data:", "#default#VML")), target
    # No tile layer: the base map is the package's outlines, named.
    data = _data(page)
    assert data["tiles"] is None
    names = {feature["properties"]["name"] for feature in data["countries"]["features"]}
    assert {"Mali", "France", "Niger", "Burkina Faso"} <= names
    assert {entry[2] for entry in data["countryNames"]} == names
    # Our own script never names a server; Leaflet and markercluster are inlined with their licences.
    assert not re.search(r"https?://", interactive._asset("map.js"))
    assert "Leaflet 1.9.4" in page and "Copyright 2012 David Leaver" in page
    assert "Copyright (c) 2010-2023, Volodymyr Agafonkin" in page
    assert page.count("<script") == 4  # the data, Leaflet, markercluster, the page's own


def test_tiles_only_when_asked(events):
    url = "https://tile.example.org/{z}/{x}/{y}.png"
    page = plot.map_html(events, tiles=url, tiles_attribution="© example").html
    assert _data(page)["tiles"] == {"url": url, "attribution": "© example"}
    with pytest.raises(UsageError, match="URL template"):
        plot.map_html(events, tiles="OpenStreetMap")
    with pytest.raises(UsageError, match="tiles_attribution"):
        plot.map_html(events, tiles=url)


def test_html_has_escaped_popup_per_event(events, tmp_path):
    frame = events.copy()
    frame["notes"] = frame["notes"].astype("object")
    frame.loc[frame.index[0], "notes"] = "<script>alert(1)</script> & more"
    frame.loc[frame.index[1], "notes"] = "a ` backquote, ${alert(2)}, a \\ backslash, </script>"
    path = plot.write_html(frame, tmp_path / "map.html")
    page = path.read_text(encoding="utf-8")
    popups = _popups(page)
    assert len(popups) == len(frame)
    for popup, note, evidence, background in zip(
        popups, frame["notes"], frame["evidence"], frame["background"], strict=True
    ):
        assert f'<p class="notes" dir="auto">{html.escape(note)}</p>' in popup
        quotes = re.findall(r'<blockquote class="evidence" dir="auto">(.*?)</blockquote>', popup)
        assert quotes == [html.escape(quote) for quote in evidence.splitlines()]
        assert ("background event" in popup) == background
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in popups[0]
    # Nothing a note holds reaches the page as markup or ends the data's <script>.
    assert "<script>alert(1)" not in page
    assert "</script> & more" not in page
    assert page.count("</script>") == page.count("<script") == 4
    # A frame with repeated index labels (two files concatenated) still maps each row once.
    doubled = plot.map_html(pd.concat([frame, frame]))
    assert len(_popups(doubled.html)) == doubled.events == 2 * len(frame)
    # The same events, the same bytes.
    again = plot.write_html(frame, tmp_path / "again.html")
    assert again.read_bytes() == path.read_bytes()
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["again.html", "map.html"]


def test_suspect_events_carry_their_distance(events):
    swapped = events.assign(latitude=events["longitude"], longitude=events["latitude"])
    data = _data(plot.map_html(swapped, flag_suspect=True).html)
    assert [event[4] for event in data["events"]] == [1] * 12
    assert "km outside Mali (swapped latitude and longitude" in data["events"][0][5]
    # Unflagged, the same events are ordinary: the warning is the command line's.
    assert [event[4] for event in _data(plot.map_html(swapped).html)["events"]] == [0] * 12
    assert [
        event[4] for event in _data(plot.map_html(events, flag_suspect=True).html)["events"]
    ] == [0] * 12


def test_notebook_shows_the_page_in_a_sandboxed_frame(events):
    shown = plot.map_html(events)._repr_html_()
    assert shown.startswith(
        '<iframe style="width:100%;height:520px;border:0" sandbox="allow-scripts"'
    )
    assert html.unescape(re.search(r'srcdoc="([^"]*)"', shown)[1]) == plot.map_html(events).html


def test_bundled_files_are_the_registry_files():
    """The committed JavaScript and CSS are byte for byte what scripts/bundle_js.py fetched."""
    folder = resources.files("sahel_events.plot").joinpath("_js")
    record = json.loads(folder.joinpath("VERSIONS.json").read_text(encoding="utf-8"))
    assert record["leaflet"]["version"] == "1.9.4"
    assert record["leaflet"]["license"] == "BSD-2-Clause"
    assert record["leaflet.markercluster"]["license"] == "MIT"
    files = set()
    for entry in record.values():
        for name, digest in entry["sha256"].items():
            assert hashlib.sha256(folder.joinpath(name).read_bytes()).hexdigest() == digest, name
            files.add(name)
    on_disk = {item.name for item in folder.iterdir()} - {"VERSIONS.json"}
    assert on_disk == files
    assert {"LICENSE-leaflet.txt", "LICENSE-leaflet.markercluster.txt"} <= files


def test_cli_map_file_html(tmp_path):
    frame = synthetic_events(20, seed=9)
    frame.to_csv(tmp_path / "events.csv", index=False)
    result = subprocess.run(
        [sys.executable, "-m", "sahel_events", "map", "events.csv", "--html", "--title", "Mine"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "events.map.html").read_text(encoding="utf-8")
    assert "<title>Mine</title>" in page
    popups = _popups(page)
    assert len(popups) == 20
    assert all('<p class="notes" dir="auto">' in popup for popup in popups)
    misuse = subprocess.run(
        [sys.executable, "-m", "sahel_events", "map", "events.csv", "--html", "--no-labels"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert misuse.returncode == 2
    assert "--no-labels applies to the PNG map" in misuse.stderr


@given(st.lists(st.text(), max_size=5))
@settings(max_examples=200, deadline=None)
def test_column_escape_agrees_with_scalar_escape(texts):
    """The vectorised escape of the popups is the scalar one, character for character."""
    escaped = interactive._escape_all(pd.Series(texts, dtype="object")).tolist()
    assert escaped == [interactive._escape(text) for text in texts]


def test_page_assets_are_package_data():
    """The template, script and style ship beside the module that reads them."""
    for name in ("map.html", "map.js", "map.css", "_js/leaflet.js"):
        assert (Path(interactive.__file__).parent / name).is_file()


def _unit_edges(alpha2: str, day: str | None):
    """The source polygons' shared edges, grouped into the units drawn (Burkina Faso's
    provinces into the regions of ``day``), as (unit, unit, edge) triples."""
    import shapely

    from sahel_events.geo import admin2_units
    from sahel_events.geo._data import admin_shapes

    region = {unit.name: unit.admin1 for unit in admin2_units("BF", on=day)}
    shapes = [shape for shape in admin_shapes() if shape["alpha2"] == alpha2]
    units = [region.get(s["name"], s["name"]) if alpha2 == "BF" else s["name"] for s in shapes]
    edges = []
    for i, first in enumerate(shapes):
        for j in range(i + 1, len(shapes)):
            if units[i] == units[j]:
                continue
            # The polygons were simplified apart: their shared edge is where they nearly touch.
            edge = shapely.intersection(
                shapely.boundary(first["geometry"]), shapely.buffer(shapes[j]["geometry"], 0.02)
            )
            if edge.length > 0.02:
                edges.append((units[i], units[j], edge))
    return len(set(units)), edges


@pytest.mark.parametrize(("day", "burkina_regions"), [("2025-09-19", 17), ("2020-03-01", 13)])
def test_region_lines_are_the_shared_boundaries_drawn_once(events, day, burkina_regions):
    """The base map draws the lines between admin-1 units of Mali, Niger and Burkina Faso."""
    import shapely
    from shapely.geometry import shape

    from sahel_events.geo import country_shapes

    frame = events.assign(event_date=pd.Timestamp(day))
    data = _data(plot.map_html(frame).html)
    features = {f["properties"]["iso"]: f for f in data["regions"]["features"]}
    assert sorted(features) == ["BFA", "MLI", "NER"]
    assert {iso: f["properties"]["units"] for iso, f in features.items()} == {
        "BFA": burkina_regions,
        "MLI": 9,  # Natural Earth's: Mali's regions before 2016
        "NER": 8,
    }
    for iso, alpha2 in (("BFA", "BF"), ("MLI", "ML"), ("NER", "NE")):
        lines = shape(features[iso]["geometry"])
        assert lines.geom_type == "MultiLineString"
        country = country_shapes()[iso]
        # Inside the country, and not along its outline (drawn above, darker).
        assert shapely.buffer(country, 0.01).contains(lines)
        # A line may end at the border, not run along it (pieces within 3 km are short).
        along = shapely.intersection(lines, shapely.buffer(country.boundary, 0.03))
        assert max((piece.length for piece in shapely.get_parts(along)), default=0) < 0.2
        # Each boundary once: no two lines lie on each other.
        parts = list(shapely.get_parts(lines))
        assert shapely.union_all(parts).length == pytest.approx(lines.length, rel=1e-6)
        units, edges = _unit_edges(alpha2, day)
        assert units == features[iso]["properties"]["units"]
        # Every shared edge of two units, away from the border, is drawn (to 5 km).
        inland = shapely.buffer(country, -0.2)
        for first, second, edge in edges:
            for piece in shapely.get_parts(shapely.intersection(edge, inland)):
                if piece.geom_type != "LineString" or piece.length < 0.01:
                    continue
                for fraction in np.linspace(0, 1, 5):
                    point = shapely.line_interpolate_point(piece, fraction, normalized=True)
                    assert lines.distance(point) < 0.05, (iso, first, second, point)
        # And nothing else: every drawn point is on some unit's edge (to 10 km:
        # a gap between two simplified provinces goes to one of them, and the
        # line runs along the other side of it).
        everything = shapely.union_all([edge for _, _, edge in edges])
        for point in shapely.get_coordinates(lines)[::5]:
            assert everything.distance(shapely.Point(point)) < 0.1, (iso, point)


def test_region_lines_only_near_the_events(events):
    paris = events[events["location"] == "Paris"]
    data = _data(plot.map_html(paris).html)
    assert data["regions"] == {"type": "FeatureCollection", "features": []}
    assert {f["properties"]["name"] for f in data["countries"]["features"]} >= {"France"}
    # Without any date, the newest units: Burkina Faso's 17 regions of 2025.
    undated = _data(plot.map_html(events.drop(columns="event_date")).html)
    burkina = [f for f in undated["regions"]["features"] if f["properties"]["iso"] == "BFA"]
    assert burkina[0]["properties"]["units"] == 17
