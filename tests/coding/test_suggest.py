"""suggest(): a draft coding of a registered source, every value tied to its span."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sahel_events.coding.build import build, packaged_sources_dir
from sahel_events.coding.sheet import load_yaml
from sahel_events.coding.suggest import suggest
from sahel_events.exc import BuildError
from tests.coding._articles import register

AFP = "afp-20250919-france-mali-crisis"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return register(tmp_path_factory.mktemp("articles"))


def _by_key(draft):
    return {event.key: event for event in draft.events}


def _spans_are_exact(draft) -> None:
    text = draft.source.text
    for event in draft.events:
        assert text[event.cue.start : event.cue.end] == event.cue.text
        for sentence in event.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
        for value in (event.location, event.actor1, event.actor2, event.date, event.fatalities):
            if value is not None and value.span is not None:
                assert text[value.span.start : value.span.end] == value.span.text


def test_french_article(sources: Path) -> None:
    draft = suggest("test-fr", sources_dir=sources)
    _spans_are_exact(draft)
    events = _by_key(draft)
    # The headline retells the lead: one attack, not two; the denial is no event.
    assert sorted(events) == ["attack-tiguilbe", "peaceful-protest-ouagadougou"]
    attack = events["attack-tiguilbe"]
    assert attack.event_type == "Violence against civilians"
    assert attack.date.value == "dans la nuit de lundi à mardi"  # the night: Monday
    assert attack.date.note == "resolves to 2025-09-15, precision 1"
    # Unknown to the gazetteer: proposed unresolved with its span, not replaced.
    assert attack.location.value == "Tiguilbé"
    assert attack.location.note.startswith("UNRESOLVED")
    assert attack.country == "BF"
    assert attack.actor1.value == "Unidentified Armed Group (Burkina Faso)"
    assert attack.actor2.value == "Civilians (Burkina Faso)"
    assert attack.civilian_targeting
    # The most conservative toll; the others listed with their spans.
    assert attack.fatalities.value == 14
    assert attack.fatalities.span.text == "tuant 14"
    assert sorted(t.value for t in attack.other_tolls) == [14, 20]
    assert [s.text[:20] for s in attack.sentences] == [
        "Burkina Faso : une a",
        "Des hommes armés ont",
    ]
    protest = events["peaceful-protest-ouagadougou"]
    assert protest.actor1.value == "Protesters (Burkina Faso)"
    assert protest.location.value == "Ouagadougou"
    assert protest.date.value == "Mardi soir"


def test_english_article(sources: Path) -> None:
    draft = suggest("test-en", sources_dir=sources)
    _spans_are_exact(draft)
    events = _by_key(draft)
    assert sorted(events) == ["air-drone-strike-tamou", "armed-clash-tillaberi"]
    ambush = events["armed-clash-tillaberi"]
    # An ambush on soldiers is an armed clash in ACLED, not an Attack.
    assert ambush.event_type == "Battles"
    assert ambush.actor1.value == "Unidentified Armed Group (Niger)"
    assert ambush.actor2.value == "Military Forces of Niger (2023-)"
    assert ambush.actor2.span.text == "Nigerien army"
    assert ambush.location.value == "Tillabéri"
    assert ambush.fatalities.value == 7
    assert ambush.date.value == "on Sunday"
    strike = events["air-drone-strike-tamou"]
    assert strike.event_type == "Explosions/Remote violence"
    assert strike.fatalities.value == 12  # "dozens" is 12 (ACLED)
    assert strike.date.value == "On Tuesday night"
    assert strike.location.value == "Tamou" and strike.location.note.startswith("UNRESOLVED")
    # The threat sentence gives no event.
    assert all("threatened" not in s.text for e in draft.events for s in e.sentences)


def test_arabic_article(sources: Path) -> None:
    draft = suggest("test-ar", sources_dir=sources)
    _spans_are_exact(draft)
    events = draft.events
    assert [e.sub_event_type for e in events] == ["Attack", "Arrests"]
    attack, arrest = events
    # «عاجل» is furniture; the headline joins the lead; «بتنفيذ» is not a denial.
    assert attack.sentences[0].text.startswith("مقتل 5 مدنيين")
    assert attack.sentences[-1].text.startswith("واتهمت المصادر")
    assert attack.actor1.value == "JNIM: Group for Support of Islam and Muslims"
    assert attack.actor2.value == "Civilians (Mali)"
    assert attack.location.value == "سوفارا" and attack.location.note.startswith("UNRESOLVED")
    assert attack.date.value == "مساء الأحد"
    assert attack.fatalities.value == 5 and attack.fatalities.span.text == "قتل خمسة"
    assert arrest.actor1.value == "Military Forces of Mali (2021-)"
    assert arrest.location.value == "Gao" and arrest.location.span.text == "غاو"
    assert arrest.date.value == "أمس"


def test_the_shipped_afp_source() -> None:
    draft = suggest(AFP)
    _spans_are_exact(draft)
    subs = [event.sub_event_type for event in draft.events]
    assert subs.count("Arrests") >= 2 and "Other" in subs
    arrest = next(e for e in draft.events if e.date is not None)
    assert arrest.date.value == "منذ أغسطس الماضي"
    assert arrest.location.value == "Bamako" and arrest.location.span.text == "باماكو"
    coup = next(e for e in draft.events if e.sub_event_type == "Other")
    assert coup.cue.text == "انقلابية"
    assert coup.sentences[0].text.startswith("وأوضح المصدر الفرنسي")
    # Never the page furniture.
    assert all("تم نسخ الرابط" not in s.text for e in draft.events for s in e.sentences)


def test_the_draft_is_a_sheet_with_spans_in_comments(sources: Path) -> None:
    draft = suggest("test-fr", sources_dir=sources)
    text = draft.to_yaml(coded_by="A. Coder")
    data = yaml.safe_load(text)
    assert data["draft"] is True and data["source"] == "test-fr"
    event = data["events"][0]
    assert event["draft"] is True and event["notes"] == "TODO"
    assert '# from "tuant 14" [190:198]' in text
    for line in text.splitlines():
        found = re.search(r'from "([^"]+)" \[(\d+):(\d+)\]', line)
        if found and "\n" not in found[1]:
            words, start, end = found[1], int(found[2]), int(found[3])
            assert " ".join(draft.source.text[start:end].split()) == words


def test_build_refuses_a_draft_then_builds_it_once_confirmed(sources: Path, tmp_path: Path) -> None:
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    draft_path = sheets / "test-en.yaml"
    draft_path.write_text(suggest("test-en", sources_dir=sources).to_yaml(), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(sources, sheets, tmp_path / "out")
    drafts = [p for p in caught.value.problems if p.field == "draft"]
    assert [p.event for p in drafts] == ["armed-clash-tillaberi", "air-drone-strike-tamou"]
    assert "not confirmed" in str(drafts[0])
    # A coder confirms: fills the TODOs, gives Tamou's coordinates, removes the marks.
    data = load_yaml(draft_path)
    data.pop("draft")
    data["coded_by"] = "A. Coder"
    for event in data["events"]:
        event.pop("draft")
        event["notes"] = "Written by a coder."
    data["events"][1]["location"] = {
        "query": "Tamou",
        "country": "NE",
        "latitude": 12.77,
        "longitude": 2.17,
        "reason": "test coordinates",
    }
    draft_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = build(sources, sheets, tmp_path / "out")
    frame = result.frame.set_index("location")
    assert frame.loc["Tamou", "fatalities"] == 12
    assert frame.loc["Tamou", "latitude"] == 12.77
    assert frame.loc["Tillabéri", "actor2"] == "Military Forces of Niger (2023-)"
    assert frame.loc["Tillabéri", "event_date"].date().isoformat() == "2025-09-14"


def test_suggest_command_writes_a_draft_and_never_overwrites(sources: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sahel_events.cli import main

    out = tmp_path / "draft.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["suggest", "test-ar", "--sources", str(sources), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_yaml(out)["draft"] is True
    again = runner.invoke(main, ["suggest", "test-ar", "--sources", str(sources), "-o", str(out)])
    assert again.exit_code == 2 and "refusing to overwrite" in again.output
    missing = runner.invoke(main, ["suggest", "no-such-source", "--sources", str(sources)])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_a_packaged_source_is_never_changed_by_suggest() -> None:
    before = (packaged_sources_dir() / f"{AFP}.txt").read_bytes()
    suggest(AFP)
    assert (packaged_sources_dir() / f"{AFP}.txt").read_bytes() == before


# Quirks the development set of real reports revealed, rebuilt in words of our own.
QUIRKS = """Au moins sept personnes, dont un conseiller municipal du village, ont été tuées jeudi par des individus armés dans le village de Nabéré, dans le nord du Burkina Faso.
Les assaillants ont aussi incendié des greniers, selon un habitant.
Un autre habitant évoque un bilan de « neuf morts ».
Le 3 mars dernier, au moins 11 soldats avaient péri dans une embuscade près de Djibo.
Une attaque similaire en 2019 avait fait 20 morts.
"""


def test_quirks_of_real_reports(tmp_path: Path) -> None:
    from sahel_events.coding.sources import add_source

    path = tmp_path / "q.txt"
    path.write_text(QUIRKS, encoding="utf-8")
    sources = tmp_path / "sources"
    add_source(
        path,
        source_id="quirks",
        publisher="T",
        published="2025-09-19",
        language="fr",
        sources_dir=sources,
    )
    events = suggest("quirks", sources_dir=sources).events
    assert [e.sub_event_type for e in events] == ["Attack", "Armed clash"]
    attack, clash = events
    # Ten words between the number and "tuées"; no cue word but a toll of people.
    assert attack.fatalities.value == 7
    assert attack.fatalities.span.text.startswith("sept personnes, dont un conseiller")
    assert attack.location.value == "Nabéré" and attack.location.note.startswith("UNRESOLVED")
    assert attack.actor1.value == "Unidentified Armed Group (Burkina Faso)"
    assert attack.date.value == "jeudi"
    # Burned granaries are part of the attack; a second estimate is listed, not a new event.
    assert len(attack.sentences) == 2 and [t.value for t in attack.other_tolls] == [9]
    # "Le 3 mars dernier": the day, not the month; "péri" is killed; soldiers: a clash.
    assert clash.date.value.startswith("Le 3 mars") and "precision 1" in clash.date.note
    assert clash.fatalities.value == 11 and clash.location.value == "Djibo"
    # Nobody named: ACLED's templates, attackers first.
    assert clash.actor1.value == "Unidentified Armed Group (Burkina Faso)"
    assert clash.actor2.value == "Military Forces of Burkina Faso (2022-)"
    # The 2019 attack is background retold with its year: not suggested.
    assert all("2019" not in s.text for e in events for s in e.sentences)
