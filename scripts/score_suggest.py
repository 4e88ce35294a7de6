"""Score `suggest` against a development set coded by hand (kept outside the repository).

    python scripts/score_suggest.py DEVSET_DIR

DEVSET_DIR holds, per article, ``<id>.txt`` (the text as received) and
``<id>.json``: ``language``, ``published`` (YYYY-MM-DD or null), ``url`` and
``events``, each with ``sub`` (ACLED sub-event type), ``location`` (accepted
names), ``actor1``, ``fatalities``, ``date`` (YYYY-MM-DD or null when the text
does not say) and ``evidence`` (substrings of the text the event rests on).
Third-party texts stay in that folder; only the figures go into docs.

Scores, per language and overall:

* event-level precision and recall: a suggested event matches a reference
  event when one of its evidence sentences overlaps one of the reference's
  evidence spans; matching is one-to-one (largest overlaps first);
* field accuracy on matched events: sub-event type, actor1, location,
  fatalities, and the date where the reference gives one;
* coder effort: fields a coder changes or types per reference event (a
  missed event: all of them; a wrong suggestion: 1, deleting it), against an
  empty sheet where every field is typed.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIELDS = ("sub", "actor1", "location", "fatalities", "date")


def _norm(text: str) -> str:
    from sahel_events.geo._normalize import normalize

    return normalize(text)


def _reference_spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    spans = []
    for quote in quotes:
        start = text.find(quote)
        if start < 0:
            raise SystemExit(f"reference quote not in text: {quote!r}")
        spans.append((start, start + len(quote)))
    return spans


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _field_checks(suggested, reference: dict, published: date | None) -> dict[str, bool | None]:
    from sahel_events.coding.dates import resolve_date
    from sahel_events.exc import SahelEventsError

    location = suggested.location.value if suggested.location else None
    checks: dict[str, bool | None] = {
        "sub": suggested.sub_event_type == reference["sub"],
        "actor1": bool(suggested.actor1) and suggested.actor1.value == reference["actor1"],
        "location": location is not None
        and _norm(str(location)) in {_norm(name) for name in reference["location"]},
        "fatalities": (suggested.fatalities.value if suggested.fatalities else 0)
        == reference["fatalities"],
        "date": None,
    }
    if reference.get("date") and published is not None:
        resolved = None
        if suggested.date is not None:
            try:
                resolved = resolve_date(suggested.date.value, published).date.isoformat()
            except SahelEventsError:
                resolved = None
        checks["date"] = resolved == reference["date"]
    return checks


def main(folder: Path) -> None:
    from sahel_events.coding.sources import add_source
    from sahel_events.coding.suggest import suggest

    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with tempfile.TemporaryDirectory() as scratch:
        sources = Path(scratch) / "sources"
        for meta_path in sorted(folder.glob("*.json")):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            text_path = meta_path.with_suffix(".txt")
            text = text_path.read_text(encoding="utf-8")
            published = date.fromisoformat(meta["published"]) if meta["published"] else None
            source_id = meta_path.stem
            add_source(
                text_path,
                source_id=source_id,
                publisher="devset",
                published=(published or date(2024, 1, 1)).isoformat(),
                language=meta["language"],
                sources_dir=sources,
            )
            draft = suggest(source_id, sources_dir=sources)
            references = meta["events"]
            ref_spans = [_reference_spans(text, event["evidence"]) for event in references]
            sug_spans = [[(s.start, s.end) for s in event.sentences] for event in draft.events]
            pairs = sorted(
                (
                    (_overlap(sug, ref), i, j)
                    for i, sug in enumerate(sug_spans)
                    for j, ref in enumerate(ref_spans)
                ),
                reverse=True,
            )
            used_s: set[int] = set()
            used_r: set[int] = set()
            matches = []
            for amount, i, j in pairs:
                if amount > 0 and i not in used_s and j not in used_r:
                    used_s.add(i)
                    used_r.add(j)
                    matches.append((i, j))
            for bucket in (meta["language"], "all"):
                t = totals[bucket]
                t["articles"] += 1
                t["reference"] += len(references)
                t["suggested"] += len(draft.events)
                t["matched"] += len(matches)
                for j, reference in enumerate(references):
                    scored = [
                        f for f in FIELDS if f != "date" or (reference.get("date") and published)
                    ]
                    t["empty_sheet_fields"] += len(scored)
                    if j not in used_r:
                        t["effort"] += len(scored)
                for i, j in matches:
                    checks = _field_checks(draft.events[i], references[j], published)
                    for name, ok in checks.items():
                        if ok is None:
                            continue
                        t[f"{name}_scored"] += 1
                        t[f"{name}_right"] += bool(ok)
                        t["effort"] += not ok
                t["effort"] += len(draft.events) - len(matches)  # deleting wrong suggestions
    for bucket, t in sorted(totals.items()):
        precision = t["matched"] / t["suggested"] if t["suggested"] else 0.0
        recall = t["matched"] / t["reference"] if t["reference"] else 0.0
        print(
            f"{bucket}: {int(t['articles'])} articles, {int(t['reference'])} reference events, "
            f"{int(t['suggested'])} suggested, {int(t['matched'])} matched; "
            f"precision {precision:.2f}, recall {recall:.2f}"
        )
        accuracy = ", ".join(
            f"{name} {int(t[f'{name}_right'])}/{int(t[f'{name}_scored'])}"
            for name in FIELDS
            if t[f"{name}_scored"]
        )
        print(f"  field accuracy on matched events: {accuracy}")
        per_event = t["effort"] / t["reference"] if t["reference"] else 0.0
        empty = t["empty_sheet_fields"] / t["reference"] if t["reference"] else 0.0
        print(
            f"  coder effort: {per_event:.1f} fields to change per event "
            f"(an empty sheet: {empty:.1f}; plus the notes, always typed)"
        )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
