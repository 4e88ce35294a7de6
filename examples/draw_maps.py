"""Draw maps and timelines: the shipped dataset, and synthetic events of every type.

Writes into ./maps/ (created): PNG maps and timelines, and an interactive HTML
map with a popup per event. Runs offline in a few seconds.

    python examples/draw_maps.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no window

import matplotlib.pyplot as plt

import sahel_events
from sahel_events import plot
from sahel_events.testing import synthetic_events

out = Path("maps")
out.mkdir(exist_ok=True)

# The shipped dataset: current events filled, background events (past events the
# article recounts) hollow; then the current events per day.
events = sahel_events.load()
ax = plot.map_events(events, title="france_mali_2025")
print(plot.save_png(ax, out / "france_mali_2025.png"))
current = events[~events["background"]]
ax = plot.timeline(current, freq="D", title="Current events per day")
print(plot.save_png(ax, out / "france_mali_2025_timeline.png"), f"({len(ax.patches)} bars)")
print(plot.write_html(events, out / "france_mali_2025.html"), f"({len(events)} popups)")
plt.close("all")

# Place names as an Arabic source writes them are drawn joined, right to left.
arabic = events.assign(
    location=events["location"].astype("object").replace({"Bamako": "باماكو", "Paris": "باريس"})
)
ax = plot.map_events(arabic, title="الأحداث حسب المكان")
print(plot.save_png(ax, out / "france_mali_2025_ar.png"))
plt.close("all")

# Ten thousand synthetic events (invented, not ACLED's): every event type in its colour.
many = synthetic_events(10_000, seed=1)
ax = plot.map_events(many, title="10,000 synthetic events")
print(plot.save_png(ax, out / "synthetic.png"))
legend = [text.get_text() for text in ax.get_legend().get_texts()]
print("legend:", ", ".join(legend))
plt.close("all")
