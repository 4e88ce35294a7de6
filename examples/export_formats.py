"""Export the packaged dataset to every format and show a few lines of each.

Runs offline in a few seconds:

    python examples/export_formats.py

The events are the project's own first dataset (``sahel_events.load()``, coded from
an AFP story); the files land in a temporary folder removed at the end.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import sahel_events
from sahel_events.export import FORMATS, export, read_export


def head(path: Path, lines: int = 3, width: int = 110) -> str:
    text = path.read_text(encoding="utf-8").splitlines()[:lines]
    return "\n".join(line if len(line) <= width else line[: width - 3] + "..." for line in text)


def main() -> None:
    events = sahel_events.load()
    print(events.events.summary(), end="\n\n")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        outputs = {
            "csv": root / "france_mali.acled.csv",
            "hxl": root / "france_mali.hxl.csv",
            "geojson": root / "france_mali.geojson",
            "ucdp": root / "france_mali.ucdp.csv",
            "datapackage": root / "france_mali.datapackage",
        }
        for to, target in outputs.items():
            options = {"license": "CC-BY-4.0", "title": "France-Mali crisis, 2025"}
            written = export(events, to, target, **(options if to == "datapackage" else {}))
            print(f"== {to}: {FORMATS[to]}\n   {written.relative_to(root)}")
            if to == "geojson":
                first = json.loads(written.read_text(encoding="utf-8"))["features"][0]
                print("  ", first["geometry"], first["properties"]["location"])
            elif to == "datapackage":
                descriptor = json.loads(written.read_text(encoding="utf-8"))
                fields = descriptor["resources"][0]["schema"]["fields"]
                print(f"   licence {descriptor['licenses'][0]['name']}, {len(fields)} fields,")
                print("   sources:", "; ".join(s["title"] for s in descriptor["sources"]))
            else:
                print(head(written))
            back = read_export(written.parent if to == "datapackage" else written, to)
            print(f"   read back: {len(back)} events, {back.shape[1]} columns\n")


if __name__ == "__main__":
    main()
