"""Maps and timelines: pixels where events are, bars per group, popups per event, CLI errors."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

import sahel_events  # noqa: E402
from sahel_events import plot  # noqa: E402
from sahel_events.exc import InvalidDataError, UsageError  # noqa: E402
from sahel_events.testing import synthetic_events  # noqa: E402

BAMAKO = (-7.9752, 12.6091)
PARIS = (2.3488, 48.8534)


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return sahel_events.load()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _pixel(ax, lon: float, lat: float, height: int) -> tuple[int, int]:
    """(row, column) of a point in the saved PNG (display y grows upwards, rows downwards)."""
    x, y = ax.transData.transform((lon, lat))
    return height - 1 - round(y), round(x)


def _close_to(colour: np.ndarray, hex_colour: str, tolerance: float = 0.06) -> bool:
    return bool(np.all(np.abs(colour[:3] - np.array(to_rgb(hex_colour))) < tolerance))


def test_map_png_size_and_event_colour_at_bamako(events, tmp_path):
    figure = plt.figure(figsize=(10, 8), dpi=100, layout="constrained")
    ax = plot.map_events(events, ax=figure.add_subplot(), title="test")
    path = plot.save_png(figure, tmp_path / "map.png")
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (800, 1000)
    # The transform is the one used when saving: constrained layout ran during savefig.
    row, column = _pixel(ax, *BAMAKO, image.shape[0])
    strategic = plot.EVENT_TYPE_COLOURS["Strategic developments"]
    assert _close_to(image[row, column], strategic)
    row, column = _pixel(ax, *PARIS, image.shape[0])
    assert _close_to(image[row, column], strategic)
    # Land far from any event is the land colour, not an event colour.
    row, column = _pixel(ax, 2.0, 28.0, image.shape[0])  # inside Algeria
    assert not _close_to(image[row, column], strategic)
    assert _close_to(image[row, column], plot._LAND)


def test_background_events_are_hollow(tmp_path):
    frame = synthetic_events(2, seed=3)
    frame["event_type"] = frame["event_type"].astype("object")
    frame["event_type"] = "Battles"
    frame["latitude"] = [14.0, 16.0]
    frame["longitude"] = [-2.0, 2.0]
    frame["location"] = ["current", "past"]
    frame["background"] = [False, True]
    figure = plt.figure(figsize=(6, 6), dpi=100)
    ax = plot.map_events(frame, ax=figure.add_subplot(), extent=(-6, 6, 10, 20), labels=False)
    path = plot.save_png(figure, tmp_path / "hollow.png")
    image = matplotlib.image.imread(path)
    battles = plot.EVENT_TYPE_COLOURS["Battles"]
    row, column = _pixel(ax, -2.0, 14.0, image.shape[0])
    assert _close_to(image[row, column], battles)  # current: a filled disc
    row, column = _pixel(ax, 2.0, 16.0, image.shape[0])
    assert not _close_to(image[row, column], battles)  # background: empty in the middle
    ring = image[row - 12 : row + 13, column - 12 : column + 13]
    assert any(_close_to(pixel, battles, 0.1) for pixel in ring.reshape(-1, ring.shape[-1]))


def test_background_ring_encloses_current_disc_at_the_same_place(tmp_path):
    frame = synthetic_events(3, seed=4)
    frame["event_type"] = frame["event_type"].astype("object")
    frame["event_type"] = "Riots"
    frame["latitude"] = 15.0
    frame["longitude"] = 0.0
    riots = plot.EVENT_TYPE_COLOURS["Riots"]

    def coloured_pixels(background: list[bool], name: str) -> int:
        frame["background"] = background
        figure = plt.figure(figsize=(4, 4), dpi=100)
        ax = plot.map_events(frame, ax=figure.add_subplot(), extent=(-5, 5, 10, 20), labels=False)
        image = matplotlib.image.imread(plot.save_png(figure, tmp_path / name))
        row, column = _pixel(ax, 0.0, 15.0, image.shape[0])
        window = image[row - 40 : row + 41, column - 40 : column + 41, :3]
        return int((np.abs(window - np.array(to_rgb(riots))).max(axis=-1) < 0.1).sum())

    only_current = coloured_pixels([False, False, False], "current.png")
    with_ring = coloured_pixels([False, False, True], "ring.png")
    # Two current events make a smaller disc than three; the ring around it adds more.
    assert with_ring > only_current * 1.2


def test_types_at_one_place_share_a_bullseye(tmp_path):
    """Three battles and a riot at one place: the riot is the centre, the battles a band."""
    frame = synthetic_events(4, seed=6)
    frame["event_type"] = frame["event_type"].astype("object")
    frame["event_type"] = ["Battles", "Battles", "Battles", "Riots"]
    frame["latitude"] = 15.0
    frame["longitude"] = 0.0
    figure = plt.figure(figsize=(4, 4), dpi=100)
    ax = plot.map_events(frame, ax=figure.add_subplot(), extent=(-5, 5, 10, 20), labels=False)
    image = matplotlib.image.imread(plot.save_png(figure, tmp_path / "bullseye.png"))
    row, column = _pixel(ax, 0.0, 15.0, image.shape[0])
    assert _close_to(image[row, column], plot.EVENT_TYPE_COLOURS["Riots"])
    # The whole disc is 50 + 250 log10(4) pt^2 (radius ~9.8 px at 100 dpi); the riot's
    # quarter of it has radius ~4.9 px; in between is the battles' band.
    assert _close_to(image[row, column + 7], plot.EVENT_TYPE_COLOURS["Battles"])
    assert _close_to(image[row + 7, column], plot.EVENT_TYPE_COLOURS["Battles"])


def test_many_events_make_few_markers():
    frame = synthetic_events(200_000, seed=8)
    ax = plot.map_events(frame, labels=False)
    markers = sum(len(collection.get_offsets()) for collection in ax.collections[1:])
    # The synthetic events are jittered around a few dozen towns.
    assert markers < 2_000
    assert markers >= frame["event_type"].nunique()


def test_legend_lists_types_present_and_background(events):
    ax = plot.map_events(events)
    texts = [text.get_text() for text in ax.get_legend().get_texts()]
    assert texts == ["Strategic developments", "background (hollow)"]
    labels = sorted(text.get_text() for text in ax.texts)
    assert labels == [
        "Bamako (8)",
        "Mali-Niger-Burkina Faso tri-border area (1)",
        "Paris (3)",
    ]


def test_arabic_label_shaped(events):
    frame = events.copy()
    frame["location"] = frame["location"].astype("object").replace({"Bamako": "باماكو"})
    ax = plot.map_events(frame)
    label = next(text.get_text() for text in ax.texts if "(8)" in text.get_text())
    assert label == f"{plot.display_text('باماكو')} (8)"
    if not plot._matplotlib_shapes_text():
        # Old matplotlib: presentation forms in visual (reversed) order.
        assert label.startswith("ﻮﻛﺎﻣﺎﺑ")


def test_display_text_fallback_reshapes_and_reorders(monkeypatch):
    pytest.importorskip("arabic_reshaper")
    pytest.importorskip("bidi")
    monkeypatch.setattr(plot, "_matplotlib_shapes_text", lambda: False)
    # Final waw, medial kaf/alif/mim/alif, initial ba, right to left in memory order.
    assert plot.display_text("باماكو") == "ﻮﻛﺎﻣﺎﺑ"
    assert plot.display_text("Gao") == "Gao"


def test_png_is_reproducible(events, tmp_path):
    first = plot.save_png(plot.map_events(events), tmp_path / "a.png")
    plt.close("all")
    second = plot.save_png(plot.map_events(events), tmp_path / "b.png")
    assert first.read_bytes() == second.read_bytes()
    assert b"Software" not in first.read_bytes()


def test_map_without_coordinates_is_invalid(events):
    with pytest.raises(InvalidDataError, match="coordinates"):
        plot.map_events(events.drop(columns=["latitude"]))
    with pytest.raises(UsageError, match="extent"):
        plot.map_events(events, extent=(5, -5, 10, 20))


def test_timeline_one_bar_per_period_type_and_kind(events):
    ax = plot.timeline(events)
    months = events["event_date"].dt.to_period("M")
    expected = events.groupby([months, "background", "event_type"], observed=True).size()
    assert len(ax.patches) == len(expected) == 7
    assert sorted(patch.get_height() for patch in ax.patches) == sorted(expected.tolist())
    # Background segments are hatched; current ones are not.
    hatched = [patch for patch in ax.patches if patch.get_hatch()]
    assert len(hatched) == int(expected[expected.index.get_level_values("background")].shape[0])
    # Stacked: September 2025 has 4 current events then 1 background on top.
    tops = sorted(patch.get_y() + patch.get_height() for patch in ax.patches)
    assert tops[-1] == 5
    assert ax.get_ylabel() == "events per month"


def test_background_read_back_from_csv_text(events, tmp_path):
    """A provenance CSV read back holds "true"/"false" text; "false" is not background."""
    from sahel_events.export import export
    from sahel_events.read import read_events

    path = tmp_path / "events.csv"
    export(events, "csv", path, with_provenance=True)
    read_back = read_events(path)
    assert read_back["background"].dtype != bool  # text, as the reader gives it
    hatched = [patch for patch in plot.timeline(read_back).patches if patch.get_hatch()]
    assert len(hatched) == 5  # one per month with background events (all 12 would make 6)
    ax = plot.map_events(read_back)
    rings = ax.collections[1]  # drawn first: background rings, hollow
    assert len(rings.get_offsets()) == 3  # Bamako, Paris and the tri-border area


def test_timeline_per_day_and_types_in_colour():
    frame = synthetic_events(40, seed=5)
    frame["event_date"] = pd.Timestamp("2024-03-01") + pd.to_timedelta(np.arange(40) % 10, unit="D")
    ax = plot.timeline(frame)
    assert ax.get_ylabel() == "events per day"
    expected = frame.groupby([frame["event_date"], frame["event_type"]], observed=True).size()
    assert len(ax.patches) == len(expected)
    assert sum(patch.get_height() for patch in ax.patches) == 40
    colours = {matplotlib.colors.to_hex(patch.get_facecolor()).upper() for patch in ax.patches}
    assert colours == {
        plot.EVENT_TYPE_COLOURS[name].upper() for name in frame["event_type"].unique()
    }
    with pytest.raises(UsageError, match="freq"):
        plot.timeline(frame, freq="Y")


def _popups(page: str) -> list[str]:
    """The popup HTML of every event, decoded from the GeoJSON embedded in the page."""
    return [json.loads(text) for text in re.findall(r'"popup": ("(?:[^"\\]|\\.)*")', page)]


def test_html_has_escaped_popup_per_event(events, tmp_path):
    pytest.importorskip("folium")
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
        assert f'<p class="notes">{plot._escape(note)}</p>' in popup
        quotes = re.findall(r'<blockquote class="evidence" dir="auto">(.*?)</blockquote>', popup)
        assert quotes == [html.escape(quote) for quote in evidence.splitlines()]
        assert ("background event" in popup) == background
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in popups[0]
    assert "a &#96; backquote, &#36;{alert(2)}, a &#92; backslash, &lt;/script&gt;" in popups[1]
    # Nothing a note holds reaches the page as markup or script.
    assert "<script>alert(1)" not in page
    assert "alert(2)}, a \\ backslash, </script>" not in page
    # One script block per folium element, none from the data.
    assert page.count("</script>") == page.count("<script")
    # A frame with repeated index labels (two files concatenated) still maps each row once.
    doubled = plot.map_html(pd.concat([frame, frame])).get_root().render()
    assert len(_popups(doubled)) == 2 * len(frame)
    # folium's random element ids are renumbered: the same events, the same bytes.
    again = plot.write_html(frame, tmp_path / "again.html")
    assert again.read_bytes() == path.read_bytes()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sahel_events", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_map_dataset_png_size(tmp_path):
    result = _cli(
        "map",
        "--dataset",
        "france_mali_2025",
        "-o",
        "m.png",
        "--width",
        "640",
        "--height",
        "480",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    image = matplotlib.image.imread(tmp_path / "m.png")
    assert image.shape[:2] == (480, 640)
    strategic = np.array(to_rgb(plot.EVENT_TYPE_COLOURS["Strategic developments"]))
    assert (np.abs(image[..., :3] - strategic).max(axis=-1) < 0.05).sum() > 100
    assert "12 of 12 events located" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["m.png"]  # no temporary left


def test_cli_map_file_html(tmp_path):
    pytest.importorskip("folium")
    frame = synthetic_events(20, seed=9)
    frame.to_csv(tmp_path / "events.csv", index=False)
    result = _cli("map", "events.csv", "--html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "events.map.html").read_text(encoding="utf-8")
    popups = _popups(page)
    assert len(popups) == 20
    assert all('<p class="notes">' in popup for popup in popups)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("map", "missing.csv"), 2, "missing.csv: no such file"),
        (("map", "binary.csv"), 2, "binary.csv: not a text file"),
        (("map",), 2, "give either FILE or --dataset"),
        (("map", "--dataset", "nope"), 2, "no dataset named 'nope'"),
        (("map", "nocoords.csv"), 1, "nocoords.csv: none of its 3 events has coordinates"),
    ],
)
def test_cli_map_errors_one_line(tmp_path, args, code, message):
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02 not text \xff" * 20)
    frame = synthetic_events(3, seed=1)
    frame["latitude"] = np.nan
    frame["longitude"] = np.nan
    frame.to_csv(tmp_path / "nocoords.csv", index=False)
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.png"))


@given(st.lists(st.text(), max_size=5))
@settings(max_examples=200, deadline=None)
def test_column_escape_agrees_with_scalar_escape(texts):
    """The vectorised escape of the popups is the scalar one, character for character."""
    escaped = plot._escape_all(pd.Series(texts, dtype="object")).tolist()
    assert escaped == [plot._escape(text) for text in texts]
