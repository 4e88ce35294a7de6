"""Code a new article end to end: source add, suggest, edit, review, build.

Runs offline in a temporary folder with a short report written for this
example (no third-party text). What a coder does by hand in an editor is done
here in code, so that every step can be seen:

    python examples/code_an_article.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sahel_events.coding import add_source, suggest, write_review
from sahel_events.coding.build import build
from sahel_events.coding.sheet import load_yaml

ARTICLE = """Niger : une embuscade fait onze morts parmi les soldats près de Téra

Onze soldats nigériens ont été tués dimanche dans une embuscade tendue par des hommes armés près de Téra, dans la région de Tillabéri, a indiqué l'armée.
Le ministère de la Défense a annoncé l'envoi de renforts.
"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="code-an-article-") as scratch:
        run(Path(scratch))


def run(folder: Path) -> None:
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")

    # 1. Register the text: it is copied byte for byte and its SHA-256 recorded.
    source = add_source(
        folder / "article.txt",
        source_id="example-20250922-tera-ambush",
        publisher="Example News",
        published="2025-09-22",
        language="fr",
        url="https://example.org/tera",
        sources_dir=folder / "sources",
    )
    print(f"1. registered {source.id} (sha256 {source.sha256[:12]}...)")

    # 2. Suggest a draft: every value with the words [start:end] it came from.
    draft = suggest(source.id, sources_dir=folder / "sources")
    sheets = folder / "sheets"
    sheets.mkdir()
    sheet_path = sheets / f"{source.id}.yaml"
    sheet_path.write_text(draft.to_yaml(coded_by="Example coder"), encoding="utf-8")
    for event in draft.events:
        print(
            f"2. suggested {event.sub_event_type}: {event.actor1.value if event.actor1 else 'TODO'}"
            f" vs {event.actor2.value if event.actor2 else '-'}, at {event.location.value}, "
            f"{event.date.value!r}, {event.fatalities.value if event.fatalities else 0} killed"
        )

    # 3. Edit: a coder checks each value against its span, fills the TODOs and
    #    removes the draft marks (until then `build` refuses the sheet).
    sheet = load_yaml(sheet_path)
    del sheet["draft"]
    for event in sheet["events"]:
        del event["draft"]
        event["notes"] = (
            "On 21 September 2025, armed men ambushed Nigerien soldiers near Tera "
            "(Tillaberi); 11 soldiers were killed."
        )
    import yaml

    sheet_path.write_text(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False), "utf-8")
    print("3. edited: notes written, draft marks removed")

    # 4. Review: one offline page, the article with every evidence span highlighted.
    page = write_review(sheet_path, folder / "review.html", sources_dir=folder / "sources")
    print(f"4. review page: {page.name} ({page.stat().st_size:,} bytes)")

    # 5. Build: evidence found, date resolved, place geocoded, event validated.
    result = build(folder / "sources", sheets, folder / "build")
    row = result.frame.iloc[0]
    print(
        f"5. built {row['event_id_cnty']}: {row['event_date']:%Y-%m-%d} {row['sub_event_type']}, "
        f"{row['actor1']} / {row['actor2']}, {row['location']} ({row['admin1']}), "
        f"{row['fatalities']} fatalities, evidence at {row['evidence_offsets']}"
    )


if __name__ == "__main__":
    main()
