"""Maps and timelines: pixels where events are, bars per group, popups per event, CLI errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

import sahel_events  # noqa: E402
from sahel_events import plot  # noqa: E402
from sahel_events.exc import InvalidDataError, UsageError  # noqa: E402
from sahel_events.plot import _style  # noqa: E402
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


def _markers(ax) -> list:
    """The marker collections (scatter plots), without the country outlines."""
    return [collection for collection in ax.collections if collection.get_gid() != "countries"]


def _close_to(color: np.ndarray, hex_color: str, tolerance: float = 0.06) -> bool:
    return bool(np.all(np.abs(color[:3] - np.array(to_rgb(hex_color))) < tolerance))


def test_map_png_size_and_event_color_at_bamako(events, tmp_path):
    figure = plt.figure(figsize=(10, 8), dpi=100, layout="constrained")
    ax = plot.map_events(events, ax=figure.add_subplot(), title="test")
    path = plot.save_png(figure, tmp_path / "map.png")
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (800, 1000)
    # The transform is the one used when saving: constrained layout ran during savefig.
    row, column = _pixel(ax, *BAMAKO, image.shape[0])
    strategic = plot.EVENT_TYPE_COLORS["Strategic developments"]
    assert _close_to(image[row, column], strategic)
    row, column = _pixel(ax, *PARIS, image.shape[0])
    assert _close_to(image[row, column], strategic)
    # Land far from any event is the land color, not an event color.
    row, column = _pixel(ax, 2.0, 28.0, image.shape[0])  # inside Algeria
    assert not _close_to(image[row, column], strategic)
    assert _close_to(image[row, column], _style.LAND)


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
    battles = plot.EVENT_TYPE_COLORS["Battles"]
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
    riots = plot.EVENT_TYPE_COLORS["Riots"]

    def colored_pixels(background: list[bool], name: str) -> int:
        frame["background"] = background
        figure = plt.figure(figsize=(4, 4), dpi=100)
        ax = plot.map_events(frame, ax=figure.add_subplot(), extent=(-5, 5, 10, 20), labels=False)
        image = matplotlib.image.imread(plot.save_png(figure, tmp_path / name))
        row, column = _pixel(ax, 0.0, 15.0, image.shape[0])
        window = image[row - 40 : row + 41, column - 40 : column + 41, :3]
        return int((np.abs(window - np.array(to_rgb(riots))).max(axis=-1) < 0.1).sum())

    only_current = colored_pixels([False, False, False], "current.png")
    with_ring = colored_pixels([False, False, True], "ring.png")
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
    assert _close_to(image[row, column], plot.EVENT_TYPE_COLORS["Riots"])
    # The whole disc is 50 + 250 log10(4) pt^2 (radius ~9.8 px at 100 dpi); the riot's
    # quarter of it has radius ~4.9 px; in between is the battles' band.
    assert _close_to(image[row, column + 7], plot.EVENT_TYPE_COLORS["Battles"])
    assert _close_to(image[row + 7, column], plot.EVENT_TYPE_COLORS["Battles"])


def test_many_events_make_few_markers():
    frame = synthetic_events(200_000, seed=8)
    ax = plot.map_events(frame, labels=False)
    markers = sum(len(collection.get_offsets()) for collection in _markers(ax))
    # The synthetic events are jittered around a few dozen towns.
    assert markers < 2_000
    assert markers >= frame["event_type"].nunique()


def test_legend_lists_types_present_and_background(events):
    ax = plot.map_events(events)
    texts = [text.get_text() for text in ax.get_legend().get_texts()]
    assert texts == ["Strategic developments", "background (hollow)"]
    labels = sorted(text.get_text() for text in ax.texts if text.get_gid() != "country-name")
    # A single event's place carries no count.
    assert labels == ["Bamako (8)", "Mali-Niger-Burkina Faso tri-border area", "Paris (3)"]


def test_arabic_label_shaped(events):
    frame = events.copy()
    frame["location"] = frame["location"].astype("object").replace({"Bamako": "باماكو"})
    ax = plot.map_events(frame)
    label = next(text.get_text() for text in ax.texts if "(8)" in text.get_text())
    assert label == f"{plot.display_text('باماكو')} (8)"
    if not _style._matplotlib_shapes_text():
        # Old matplotlib: presentation forms in visual (reversed) order.
        assert label.startswith("ﻮﻛﺎﻣﺎﺑ")


def test_display_text_fallback_reshapes_and_reorders(monkeypatch):
    pytest.importorskip("arabic_reshaper")
    pytest.importorskip("bidi")
    monkeypatch.setattr(_style, "_matplotlib_shapes_text", lambda: False)
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
    rings = _markers(ax)[0]  # drawn first: background rings, hollow
    assert len(rings.get_offsets()) == 3  # Bamako, Paris and the tri-border area


def test_timeline_per_day_and_types_in_color():
    frame = synthetic_events(40, seed=5)
    frame["event_date"] = pd.Timestamp("2024-03-01") + pd.to_timedelta(np.arange(40) % 10, unit="D")
    ax = plot.timeline(frame)
    assert ax.get_ylabel() == "events per day"
    expected = frame.groupby([frame["event_date"], frame["event_type"]], observed=True).size()
    assert len(ax.patches) == len(expected)
    assert sum(patch.get_height() for patch in ax.patches) == 40
    colors = {matplotlib.colors.to_hex(patch.get_facecolor()).upper() for patch in ax.patches}
    assert colors == {plot.EVENT_TYPE_COLORS[name].upper() for name in frame["event_type"].unique()}
    with pytest.raises(UsageError, match="freq"):
        plot.timeline(frame, freq="Y")


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
    strategic = np.array(to_rgb(plot.EVENT_TYPE_COLORS["Strategic developments"]))
    assert (np.abs(image[..., :3] - strategic).max(axis=-1) < 0.05).sum() > 100
    assert "12 of 12 events located" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["m.png"]  # no temporary left


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


def _label_boxes(ax, renderer) -> list:
    return [
        text.get_window_extent(renderer)
        for text in ax.texts
        if text.get_visible() and text.get_text()
    ]


def test_map_fills_its_frame_and_names_the_countries(events, tmp_path):
    """The first dataset spans Bamako to Paris: tall and narrow, drawn into a wide frame."""
    figure = plt.figure(figsize=(10, 8), dpi=100, layout="constrained")
    ax = plot.map_events(events, ax=figure.add_subplot())
    image = matplotlib.image.imread(plot.save_png(figure, tmp_path / "map.png"))
    position = ax.get_position()
    # The axes take (almost) the whole figure: no blank half beside the map.
    assert position.width > 0.9 and position.height > 0.9
    # Every column of the picture's middle row is map (land or sea), not figure background.
    row = image[image.shape[0] // 2, int(0.08 * image.shape[1]) : int(0.97 * image.shape[1]), :3]
    land = np.array(to_rgb(_style.LAND))
    assert (np.abs(row - land).max(axis=-1) < 0.02).mean() > 0.4
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    # The events' extent is inside the view, with a margin.
    assert west < -7.9752 - 2 and east > 2.3488 + 2 and south < 12.6091 - 2 and north > 48.8534 + 2
    countries = {text.get_text() for text in ax.texts if text.get_gid() == "country-name"}
    assert {"Mali", "France", "Niger", "Algeria"} <= countries


def test_labels_never_overlap_and_stay_in_the_frame(tmp_path):
    """Places a few dozen km apart on a map as wide as Bamako-Paris: labels must make room."""
    frame = synthetic_events(7, seed=2)
    frame["location"] = [
        "Barsalogho",
        "Kaya",
        "Niamey",
        "Ouagadougou",
        "Tillaberi",
        "Paris",
        "Mali-Niger-Burkina Faso tri-border area",
    ]
    frame["latitude"] = [13.4167, 13.0917, 13.5137, 12.3714, 14.2117, 48.8534, 14.9110]
    frame["longitude"] = [-1.0644, -1.0844, 2.1098, -1.5197, 1.4531, 2.3488, 0.2185]
    frame["country"] = [
        "Burkina Faso",
        "Burkina Faso",
        "Niger",
        "Burkina Faso",
        "Niger",
        "France",
        "Mali",
    ]
    figure = plt.figure(figsize=(10, 8), dpi=100, layout="constrained")
    ax = plot.map_events(frame, ax=figure.add_subplot())
    plot.save_png(figure, tmp_path / "crowded.png")
    renderer = figure.canvas.get_renderer()
    boxes = _label_boxes(ax, renderer)
    frame_box = ax.get_window_extent(renderer)
    for number, box in enumerate(boxes):
        assert frame_box.x0 <= box.x0 and box.x1 <= frame_box.x1, ax.texts[number].get_text()
        assert frame_box.y0 <= box.y0 and box.y1 <= frame_box.y1
        for other in boxes[number + 1 :]:
            assert not box.overlaps(other)
    places = {text.get_text() for text in ax.texts if text.get_gid() != "country-name"}
    assert {"Paris", "Mali-Niger-Burkina Faso tri-border area", "Niamey"} <= places
    assert len(places) >= 6
    # The legend is no place for a label either.
    legend = ax.get_legend().get_window_extent(renderer)
    assert not any(box.overlaps(legend) for box in boxes)


def test_scale_bar_measures_the_middle_latitude():
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    frame = synthetic_events(2, seed=3)
    frame["latitude"] = [15.0, 15.0]
    frame["longitude"] = [-5.0, 5.0]
    ax = plot.map_events(frame, labels=False)
    bars = [artist for artist in ax.artists if isinstance(artist, AnchoredSizeBar)]
    assert len(bars) == 1
    label = bars[0].txt_label.get_text()
    km = float(label.removesuffix(" km").replace(",", ""))
    assert str(int(km))[0] in "125" and set(str(int(km))[1:]) <= {"0"}
    width_km = (
        (ax.get_xlim()[1] - ax.get_xlim()[0]) * 111.195 * np.cos(np.radians(np.mean(ax.get_ylim())))
    )
    assert 0.1 * width_km <= km <= 0.2 * width_km


def test_flag_suspect_draws_swapped_coordinates_apart(events, tmp_path):
    swapped = events.assign(latitude=events["longitude"], longitude=events["latitude"])
    assert plot.suspect_events(swapped).tolist() == [True] * 12
    assert not plot.suspect_events(events).any()
    figure = plt.figure(figsize=(8, 8), dpi=100, layout="constrained")
    ax = plot.map_events(swapped, ax=figure.add_subplot(), flag_suspect=True)
    image = matplotlib.image.imread(plot.save_png(figure, tmp_path / "suspect.png"))
    row, column = _pixel(ax, BAMAKO[1], BAMAKO[0], image.shape[0])  # Bamako, swapped
    assert _close_to(image[row, column], plot.SUSPECT_COLOR, 0.1)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["over 50 km outside its country"]
    # Without the flag they are drawn as any event: in their type's color.
    figure = plt.figure(figsize=(8, 8), dpi=100, layout="constrained")
    ax = plot.map_events(swapped, ax=figure.add_subplot())
    image = matplotlib.image.imread(plot.save_png(figure, tmp_path / "plain.png"))
    row, column = _pixel(ax, BAMAKO[1], BAMAKO[0], image.shape[0])
    assert _close_to(image[row, column], plot.EVENT_TYPE_COLORS["Strategic developments"])


def test_cli_warns_about_events_outside_their_country(events, tmp_path):
    swapped = events.assign(latitude=events["longitude"], longitude=events["latitude"])
    swapped.to_csv(tmp_path / "swapped.csv", index=False)
    events.to_csv(tmp_path / "fine.csv", index=False)
    result = _cli("map", "swapped.csv", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "warning: 12 of 12 events lie more than 50 km outside their country (swapped latitude "
        "and longitude, or a lost minus sign?); --flag-suspect draws them apart"
    ]
    result = _cli("map", "swapped.csv", "--flag-suspect", "-o", "flagged.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "drawn as black crosses" in result.stderr
    image = matplotlib.image.imread(tmp_path / "flagged.png")
    assert (image[..., :3].max(axis=-1) < 0.05).sum() > 50  # black crosses
    result = _cli("map", "fine.csv", cwd=tmp_path)
    assert "warning" not in result.stderr
