"""Write the seed corpus of every harness into fuzz/corpus/ (generated, not committed).

Seeds are small valid inputs made by the project itself (never ACLED rows):
synthetic events in each file format, the packaged coding sheet, the date
rules' own examples and gazetteer names. Run: ``python fuzz/make_seeds.py``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def _save(harness: str, name: str, data: bytes) -> None:
    folder = CORPUS / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def main() -> None:
    import tempfile

    from sahel_events.coding.build import packaged_codings_dir
    from sahel_events.coding.dates import RULES
    from sahel_events.testing import synthetic_events
    from sahel_events.write import write_csv, write_events, write_xlsx

    events = synthetic_events(3, seed=7)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        csv_bytes = write_csv(events, root / "e.csv").read_bytes()
        parquet_bytes = write_events(events, root / "e.parquet").read_bytes()
        xlsx_bytes = write_xlsx(events, root / "e.xlsx").read_bytes()
    records = json.loads(events.astype(str).to_json(orient="records"))
    jsonl = "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()
    # The first byte picks the format (see each harness's _FORMATS).
    _save("read_csv", "csv", b"\x00" + csv_bytes)
    _save("read_csv", "semicolon", b"\x00" + csv_bytes.replace(b",", b";"))
    _save("read_csv", "jsonl", b"\x01" + jsonl)
    _save("read_csv", "json", b"\x02" + json.dumps({"data": records}).encode())
    _save("read_binary", "parquet", b"\x00" + parquet_bytes)
    _save("read_binary", "xlsx", b"\x01" + xlsx_bytes)

    for sheet in sorted(packaged_codings_dir().glob("*.yaml")):
        _save("coding_sheet", sheet.name, sheet.read_bytes())

    for rule in RULES:
        for number, example in enumerate(rule.examples):
            # Three bytes of publication date (2025-09-19), then the expression.
            published = (date(2025, 9, 19) - date.min).days.to_bytes(3, "little")
            _save("dates", f"{rule.name}-{number}", published + example.encode())
    for number, name in enumerate(
        ("Gao", "باماكو", "Mali-Niger border", "Tombouctou", "Ménaka", "نيامي", "Ouagadougou")
    ):
        _save("geocode", f"name-{number}", b"\x00" + name.encode())


if __name__ == "__main__":
    main()
