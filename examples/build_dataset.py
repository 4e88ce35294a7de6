"""Build the first dataset from its Arabic source and check an event against its evidence.

Run it with ``python examples/build_dataset.py``: it works offline and takes a
few seconds. It builds the packaged source and coding sheet into a temporary
folder (as ``sahel-events build`` does), prints the build summary, then shows
one event with the exact words of the article it rests on, found again from the
recorded character offsets.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sahel_events import build, load
from sahel_events.coding.sources import load_source


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = build(out_dir=Path(folder))
        print(result.summary.to_text())
        print()

        # The shipped dataset is this build, made earlier: the bytes are the same.
        events = load()
        same = list(events["event_id_cnty"]) == list(result.frame["event_id_cnty"])
        print(f"the shipped dataset matches this build: {same}")
        print()

    current = events[~events["background"]]
    print(f"{len(current)} events of the story itself, {len(events) - len(current)} background")
    columns = ["event_id_cnty", "event_date", "sub_event_type", "actor1", "location"]
    print(current[columns].to_string(index=False))
    print()

    # Each event carries its quotes and where they are in the stored text.
    event = current[current["sub_event_type"] == "Arrests"].iloc[0]
    text = load_source(event["source_id"]).text
    print(f"{event['event_id_cnty']}: {event['notes']}")
    for pair in event["evidence_offsets"].split(";"):
        start, end = (int(value) for value in pair.split("-"))
        print(f"  [{start}:{end}] {text[start:end]}")


if __name__ == "__main__":
    main()
