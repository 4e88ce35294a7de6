"""A review page for a coding sheet: the article with every evidence span in its event's color.

``sahel-events review SHEET`` writes one self-contained HTML file (no remote
assets, no network): the source text with each evidence quote highlighted in
the color of its event, and one card per event (type, actors, place, date and
precision, fatalities, notes). Clicking a card scrolls to its first span and
outlines all of its spans; clicking a span shows (and outlines) its event's
card. Events of a draft that no person confirmed (``draft: true``) are marked
"suggested", and ``TODO`` values stand out. Right-to-left sources (Arabic) are
laid out right to left.

The page reads drafts too: the sheet is parsed with the safe loader but not
checked against the schema, so that a coder can review a draft before it is
valid. A quote that is not found in the source is listed on its card.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

__all__ = ["COLORS", "review_page", "write_review"]

#: Event colors (light enough to read text on), cycled when there are more events.
COLORS = (
    "#ffd54f", "#81d4fa", "#a5d6a7", "#f48fb1", "#ce93d8", "#ffab91",
    "#80cbc4", "#e6ee9c", "#b39ddb", "#ffcc80", "#90caf9", "#bcaaa4",
)  # fmt: skip

_RTL = ("ar", "fa", "ur", "he", "ps")

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;display:flex;height:100vh}
#article{flex:3;overflow:auto;padding:1.5em;line-height:1.9;font-size:17px;white-space:pre-wrap}
#cards{flex:2;overflow:auto;padding:1em;background:#f5f5f5;border-left:1px solid #ccc}
mark{border-radius:3px;padding:0 1px;cursor:pointer;color:inherit}
mark.outlined{outline:3px solid #c62828;outline-offset:1px}
.card{background:#fff;border-left:8px solid;margin:0 0 .8em;padding:.6em .8em;cursor:pointer;
border-radius:4px;box-shadow:0 1px 2px rgba(0,0,0,.2)}
.card.active{box-shadow:0 0 0 3px #c62828}
.card h2{font-size:1em;margin:0 0 .3em}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em .6em;margin:0;font-size:.9em}
.card dt{color:#555}.card dd{margin:0}
.badge{display:inline-block;background:#c62828;color:#fff;font-size:.75em;padding:0 .4em;
border-radius:3px;margin-inline-start:.4em}
.todo{background:#ffebee;color:#b71c1c;font-weight:bold}
.missing{color:#b71c1c;font-size:.85em}
header{font-size:.85em;color:#444;margin-bottom:1em;white-space:normal}
"""

_SCRIPT = """
function outline(i){
  document.querySelectorAll('mark.outlined').forEach(m=>m.classList.remove('outlined'));
  document.querySelectorAll('.card.active').forEach(c=>c.classList.remove('active'));
  const marks=[...document.querySelectorAll('mark')].filter(
    m=>m.dataset.events.split(' ').includes(String(i)));
  marks.forEach(m=>m.classList.add('outlined'));
  const card=document.getElementById('card-'+i);
  if(card){card.classList.add('active');}
  return marks;
}
document.querySelectorAll('.card').forEach(card=>card.addEventListener('click',()=>{
  const marks=outline(card.dataset.event);
  if(marks.length){marks[0].scrollIntoView({block:'center'});}
}));
document.querySelectorAll('mark').forEach(m=>m.addEventListener('click',e=>{
  const i=m.dataset.events.split(' ')[0];
  outline(i);
  document.getElementById('card-'+i).scrollIntoView({block:'nearest'});
  e.stopPropagation();
}));
"""


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(item) for item in value) or "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def _cell(value: Any) -> str:
    shown = _text(value)
    escaped = html.escape(shown)
    return f'<span class="todo">{escaped}</span>' if "TODO" in shown else escaped


def review_page(
    sheet_path: str | PathLike[str], *, sources_dir: str | PathLike[str] | None = None
) -> str:
    """The review page of a coding sheet (or draft) as one HTML document.

    Raises:
        UnreadableFileError, CodingSheetError: The sheet or its source cannot be read.
    """
    from sahel_events.coding._yaml import load_yaml
    from sahel_events.coding.evidence import find_quote
    from sahel_events.coding.sources import load_source
    from sahel_events.exc import CodingSheetError, SahelEventsError

    data = load_yaml(sheet_path)
    if not isinstance(data, Mapping) or not isinstance(data.get("source"), str):
        raise CodingSheetError("a sheet is a mapping with a 'source' id", path=sheet_path)
    source = load_source(data["source"], sources_dir=sources_dir)
    events = [event for event in data.get("events") or [] if isinstance(event, Mapping)]
    text = source.text
    spans: list[tuple[int, int, int]] = []
    missing: dict[int, list[str]] = {}
    for index, event in enumerate(events):
        for quote in event.get("evidence") or []:
            try:
                start, end = find_quote(text, str(quote))
            except SahelEventsError as error:
                missing.setdefault(index, []).append(error.message)
                continue
            spans.append((start, end, index))

    # Cut the text at every span boundary; each piece knows the events covering it.
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [i for s, e, i in spans if s <= start and end <= e]
        chunk = html.escape(text[start:end])
        if covering:
            color = COLORS[covering[0] % len(COLORS)]
            ids = " ".join(str(i) for i in covering)
            pieces.append(
                f'<mark data-events="{ids}" data-start="{start}" data-end="{end}" '
                f'style="background:{color}">{chunk}</mark>'
            )
        else:
            pieces.append(chunk)

    cards = []
    for index, event in enumerate(events):
        color = COLORS[index % len(COLORS)]
        draft = event.get("draft") is True or data.get("draft") is True
        badge = '<span class="badge">suggested, not confirmed</span>' if draft else ""
        raw_date = event.get("date")
        when: Mapping[str, Any] = raw_date if isinstance(raw_date, Mapping) else {}
        date_text = when.get("on") or when.get("expression")
        precision = when.get("precision")
        rows = [
            ("type", f"{_cell(event.get('event_type'))} / {_cell(event.get('sub_event_type'))}"),
            ("actor 1", _cell(event.get("actor1"))),
            ("actor 2", _cell(event.get("actor2"))),
            ("place", _cell(event.get("location"))),
            ("date", f"{_cell(date_text)} (precision {_cell(precision)})"),
            ("fatalities", _cell(event.get("fatalities", 0))),
            ("notes", _cell(event.get("notes"))),
        ]
        lost = "".join(
            f'<p class="missing">quote not found: {html.escape(message)}</p>'
            for message in missing.get(index, [])
        )
        listed = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
        cards.append(
            f'<div class="card{" unconfirmed" if draft else ""}" id="card-{index}" '
            f'data-event="{index}" style="border-color:{color}" dir="auto">'
            f"<h2>{html.escape(str(event.get('key', f'#{index + 1}')))}{badge}</h2>"
            f"<dl>{listed}</dl>{lost}</div>"
        )
    direction = "rtl" if source.language.split("-")[0].lower() in _RTL else "ltr"
    title = html.escape(f"Review: {source.id}")
    header = html.escape(
        f"{source.title} — {source.outlet}, {source.published.isoformat()} "
        f"({len(events)} events, {len(spans)} evidence spans)"
    )
    meta = json.dumps({"source": source.id, "events": len(events), "spans": len(spans)})
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(source.language)}"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        # No remote assets: the policy forbids every fetch, so the page works offline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<style>{_STYLE}</style></head><body>"
        f'<main id="article" dir="{direction}" lang="{html.escape(source.language)}">'
        f'<header dir="auto">{header}</header>{"".join(pieces)}</main>'
        f'<aside id="cards">{"".join(cards)}</aside>'
        f'<script type="application/json" id="review-meta">{html.escape(meta)}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def write_review(
    sheet_path: str | PathLike[str],
    out: str | PathLike[str] | None = None,
    *,
    sources_dir: str | PathLike[str] | None = None,
) -> Path:
    """Write the review page of a sheet (default ``<sheet>.html`` beside it), atomically."""
    from sahel_events._io import write_text

    target = Path(out) if out is not None else Path(sheet_path).with_suffix(".html")
    if target.resolve() == Path(sheet_path).resolve():
        from sahel_events.exc import UsageError

        raise UsageError("the review page would replace the sheet itself", path=target)
    return write_text(target, review_page(sheet_path, sources_dir=sources_dir), newline="\n")
