"""Coding sheets: safe YAML, schema checks, messages naming file, event and field."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from sahel_events.coding.sheet import (
    MAX_SHEET_BYTES,
    CodingSheet,
    SheetValidationError,
    load_sheet,
    parse_yaml,
    sheet_json_schema,
)
from sahel_events.datasets import sheets_dir
from sahel_events.exc import CodingSheetError, UnreadableFileError
from sahel_events.vocabulary import EVENT_TYPES, SUB_EVENT_TYPES

VALID = """\
sheet_version: 1
source: afp-20250919-france-mali-crisis
coded_by: sahel_events maintainers
coded_on: 2026-11-29
events:
  - key: france-suspends-counterterrorism-cooperation
    event_type: Strategic developments
    sub_event_type: Other
    actor1: Government of France (2017-)
    assoc_actor_1: []
    actor2: Government of Mali (2021-)
    location:
      query: Paris
      country: FR
      name: Paris
      geo_precision: 1
    date:
      expression: "حتى يوم غد (السبت)"
      basis: "Deadline reported by AFP on Friday 19 September 2025."
    fatalities: 0
    civilian_targeting: false
    tags: []
    background: false
    notes: "On 19 September 2025, France suspended counter-terrorism cooperation with Mali."
    evidence:
      - "قررت باريس تعليق تعاونها الأمني مع باماكو في مجال مكافحة الإرهاب"
  - key: coup-of-august-2020
    event_type: Strategic developments
    sub_event_type: Other
    actor1: Mutiny of Military Forces of Mali (2013-2020)
    location: {query: باماكو}
    date:
      on: 2020-08-18
      precision: 1
      basis: "Reported widely; the article says only «انقلاب عام 2020»."
    background: true
    notes: "Coup/military takeover: on 18 August 2020, soldiers overthrew President Keita."
    evidence: ["منذ انقلاب عام 2020، الذي أتى بالمجلس العسكري إلى السلطة"]
"""


def write(tmp_path: Path, text: str, name: str = "sheet.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> SheetValidationError:
    with pytest.raises(SheetValidationError) as raised:
        load_sheet(path)
    assert raised.value.path == str(path)
    return raised.value


def test_valid_sheet_loads_with_defaults(tmp_path: Path) -> None:
    sheet = load_sheet(write(tmp_path, VALID))
    assert isinstance(sheet, CodingSheet)
    assert sheet.source == "afp-20250919-france-mali-crisis"
    assert sheet.coded_on == date(2026, 11, 29)
    assert sheet.timestamp == 1795910400  # 2026-11-29T00:00:00Z
    first, second = sheet.events
    assert first.date.expression == "حتى يوم غد (السبت)"
    assert first.date.on is None and first.date.precision is None
    assert first.location.country == "FR" and first.location.geo_precision == 1
    assert second.date.on == date(2020, 8, 18) and second.date.precision == 1
    assert second.background is True
    assert (second.fatalities, second.civilian_targeting, second.tags) == (0, False, ())
    assert second.actor2 is None and second.assoc_actor_2 == ()
    assert second.index == 1


def test_the_field_named_on_and_country_no_are_not_booleans(tmp_path: Path) -> None:
    # YAML 1.1 would read the key `on` as true and NO (Norway) as false.
    text = VALID.replace("country: FR", "country: NO")
    sheet = load_sheet(write(tmp_path, text))
    assert sheet.events[0].location.country == "NO"
    assert sheet.events[1].date.on == date(2020, 8, 18)


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "event", "field", "fragment"),
    [
        (
            "event_type: Strategic developments",
            "event_type: Strategic development",
            "france-suspends-counterterrorism-cooperation",
            "event_type",
            "not an ACLED event type",
        ),
        (
            "sub_event_type: Other",
            "sub_event_type: Armed clash",
            "france-suspends-counterterrorism-cooperation",
            "sub_event_type",
            "not a sub-event type of 'Strategic developments'",
        ),
        (
            "sub_event_type: Other",
            "sub_event_type: Skirmish",
            "france-suspends-counterterrorism-cooperation",
            "sub_event_type",
            "not an ACLED sub-event type",
        ),
        (
            '    evidence:\n      - "قررت',
            '    evidence: []\n    unused:\n      - "قررت',
            "france-suspends-counterterrorism-cooperation",
            "evidence",
            "at least one evidence quote",
        ),
        (
            '      expression: "حتى يوم غد (السبت)"',
            '      expression: "حتى يوم غد (السبت)"\n      on: 2025-09-20\n      precision: 1',
            "france-suspends-counterterrorism-cooperation",
            "date",
            "not both",
        ),
        (
            "      on: 2020-08-18",
            "      on: 2020-13-18",
            "coup-of-august-2020",
            "date.on",
            "'2020-13-18' is not a date",
        ),
        (
            "      on: 2020-08-18\n      precision: 1",
            "      on: 2020-08-18",
            "coup-of-august-2020",
            "date.precision",
            "needs its 'precision'",
        ),
        (
            "    fatalities: 0",
            "    fatalities: many",
            "france-suspends-counterterrorism-cooperation",
            "fatalities",
            "expected a whole number, got 'many'",
        ),
        (
            "    fatalities: 0",
            "    fatalities: -3",
            "france-suspends-counterterrorism-cooperation",
            "fatalities",
            "must be >= 0",
        ),
        (
            "    fatalities: 0",
            "    fatalities: 99999999999999999999999",
            "france-suspends-counterterrorism-cooperation",
            "fatalities",
            "must be <= 1,000,000",
        ),
        (
            "    background: true",
            "    background: yes",
            "coup-of-august-2020",
            "background",
            "expected true or false, got 'yes'",
        ),
        (
            "    tags: []",
            "    tags: [a; b]",
            "france-suspends-counterterrorism-cooperation",
            "tags[0]",
            "contains ';'",
        ),
        (
            "    location: {query: باماكو}",
            "    location: {query: باماكو, town: Bamako}",
            "coup-of-august-2020",
            "location.town",
            "unknown field 'town'",
        ),
        (
            "    location: {query: باماكو}",
            "    location: {country: ML}",
            "coup-of-august-2020",
            "location.query",
            "required field 'query' is missing",
        ),
        (
            "  - key: coup-of-august-2020",
            "  - key: Coup_of_2020",
            "#2",
            "key",
            "not a valid key",
        ),
        (
            "  - key: coup-of-august-2020",
            "  - key: france-suspends-counterterrorism-cooperation",
            "france-suspends-counterterrorism-cooperation",
            "key",
            "already used by event #1",
        ),
    ],
)
def test_each_malformed_field_is_named(
    tmp_path: Path, old: str, new: str, event: str, field: str, fragment: str
) -> None:
    error = problems_of(write(tmp_path, replace_once(VALID, old, new)))
    matching = [p for p in error.problems if p.field == field and fragment in p.message]
    assert matching, [str(p) for p in error.problems]
    assert matching[0].event == event
    assert error.exit_code == 1
    assert str(tmp_path / "sheet.yaml") in str(error)


def test_a_single_problem_is_the_error_itself(tmp_path: Path) -> None:
    error = problems_of(write(tmp_path, replace_once(VALID, "fatalities: 0", "fatalities: -1")))
    assert len(error.problems) == 1
    assert error.event == "france-suspends-counterterrorism-cooperation"
    assert error.field == "fatalities"
    assert str(error).startswith(
        f"{tmp_path / 'sheet.yaml'}, event 'france-suspends-counterterrorism-cooperation', "
        "field 'fatalities': must be >= 0"
    )


def test_all_problems_are_collected_in_sheet_order(tmp_path: Path) -> None:
    text = replace_once(VALID, "fatalities: 0", "fatalities: -1")
    text = replace_once(text, "      on: 2020-08-18", "      on: 18/08/2020")
    text = replace_once(text, "coded_on: 2026-11-29", "coded_on: yesterday")
    error = problems_of(write(tmp_path, text))
    assert [(p.event, p.field) for p in error.problems] == [
        (None, "coded_on"),
        ("france-suspends-counterterrorism-cooperation", "fatalities"),
        ("coup-of-august-2020", "date.on"),
    ]
    assert str(error).count("\n") == 0  # one line for the command line
    assert "3 problems" in str(error)


def test_top_level_problems(tmp_path: Path) -> None:
    text = replace_once(VALID, "sheet_version: 1", "sheet_version: 2\nreviewer: me")
    text = replace_once(text, "source: afp-20250919-france-mali-crisis", "source: ../etc/passwd")
    error = problems_of(write(tmp_path, text))
    fields = {p.field: p.message for p in error.problems}
    assert "sheet_version 1" in fields["sheet_version"]
    assert "unknown field 'reviewer'" in fields["reviewer"]
    assert "not a valid source id" in fields["source"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- just\n- a list\n", "a sheet is a mapping"),
        ("", "not empty (null)"),
    ],
)
def test_a_sheet_must_be_a_mapping(tmp_path: Path, text: str, fragment: str) -> None:
    error = problems_of(write(tmp_path, text))
    assert "a sheet is a mapping" in str(error)


def test_duplicate_key_names_key_and_line(tmp_path: Path) -> None:
    text = replace_once(VALID, "    fatalities: 0\n", "    fatalities: 0\n    fatalities: 2\n")
    line = text.splitlines().index("    fatalities: 2") + 1
    with pytest.raises(CodingSheetError) as raised:
        load_sheet(write(tmp_path, text))
    message = str(raised.value)
    assert f"line {line}: duplicate key 'fatalities'" in message
    assert f"first given on line {line - 1}" in message
    assert raised.value.path == str(tmp_path / "sheet.yaml")


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['echo owned']",
        "!!python/name:os.system",
        "!!python/object:collections.OrderedDict {}",
    ],
)
def test_python_tags_are_refused(tmp_path: Path, payload: str) -> None:
    text = replace_once(VALID, "coded_by: sahel_events maintainers", f"coded_by: {payload}")
    with pytest.raises(CodingSheetError) as raised:
        load_sheet(write(tmp_path, text))
    assert "!!python/object" in str(raised.value)
    assert "line 3" in str(raised.value)


def test_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    text = VALID.replace(
        "    location:\n      query: Paris", "    location: &paris\n      query: Paris"
    )
    with pytest.raises(CodingSheetError, match="anchors"):
        load_sheet(write(tmp_path, text))


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 12):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    started = time.perf_counter()
    with pytest.raises(CodingSheetError, match="not allowed"):
        load_sheet(path)
    # Not a benchmark: a generous bound that only an expanding parser would break.
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("depth", [40, 5000])
def test_deep_nesting_is_refused(tmp_path: Path, depth: int) -> None:
    path = write(tmp_path, "events: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(CodingSheetError, match="nesting") as raised:
        load_sheet(path)
    assert "line 1" in str(raised.value)


def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(VALID)
        handle.write("# " + "x" * (MAX_SHEET_BYTES) + "\n")
    with pytest.raises(CodingSheetError, match="limit") as raised:
        load_sheet(path)
    assert raised.value.path == str(path)
    assert raised.value.exit_code == 1


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        load_sheet(tmp_path / "missing.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(VALID.replace("Paris", "Paris é").encode("utf-8")[:20] + b"\xe9\n")
    with pytest.raises(UnreadableFileError, match="not UTF-8"):
        load_sheet(latin1)


@pytest.mark.parametrize("text", ["!!float", "!!float ''", "a: !!float", "- !!int ''"])
def test_a_tag_without_a_value_is_a_sheet_error(text: str) -> None:
    # Found by the property test: PyYAML's float constructor indexes an empty value.
    with pytest.raises(CodingSheetError, match="cannot read a value") as raised:
        parse_yaml(text, path="sheet.yaml")
    assert "sheet.yaml" in str(raised.value)


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    text = replace_once(VALID, "    fatalities: 0", "    fatalities: [0")
    with pytest.raises(CodingSheetError, match=r"line \d+: not valid YAML"):
        load_sheet(write(tmp_path, text))


def test_json_schema_is_draft_2020_12_and_built_from_the_vocabulary() -> None:
    schema = sheet_json_schema()
    Draft202012Validator.check_schema(schema)
    event = schema["properties"]["events"]["items"]
    assert event["properties"]["event_type"]["enum"] == list(EVENT_TYPES)
    assert len(event["properties"]["sub_event_type"]["enum"]) == len(SUB_EVENT_TYPES)
    assert event["properties"]["evidence"]["minItems"] == 1
    assert event["additionalProperties"] is False
    # Deterministic: the same schema serialises to the same bytes.
    assert json.dumps(schema, ensure_ascii=False) == json.dumps(
        sheet_json_schema(), ensure_ascii=False
    )
    schema["title"] = "changed"
    assert sheet_json_schema()["title"] != "changed"


def test_json_schema_alone_accepts_the_valid_sheet_and_rejects_a_wrong_pair() -> None:
    validator = Draft202012Validator(
        sheet_json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    # What an editor with YAML 1.2 (JSON) semantics sees: `on` a key, dates as text.
    data = parse_yaml(VALID, path="sheet.yaml")
    assert data["events"][1]["date"]["on"] == "2020-08-18"
    assert list(validator.iter_errors(data)) == []
    data["events"][0]["sub_event_type"] = "Grenade"
    assert list(validator.iter_errors(data))


def test_packaged_sheets_load() -> None:
    folder = sheets_dir()
    sheets = sorted(folder.glob("*.yaml"))
    if not sheets:
        pytest.skip("no packaged sheets yet")
    for path in sheets:
        assert load_sheet(path).events


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: &x 1\nb: *x\n", "anchors"),
        ("a: 1\na: 2\n", "line 2: duplicate key 'a'"),
        ("a: !!python/object:os.system {}\n", "!!python/object"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "nesting deeper"),
    ],
)
def test_pure_python_parser_is_as_strict(
    monkeypatch: pytest.MonkeyPatch, text: str, fragment: str
) -> None:
    # Without libyaml the pure-Python parser is used; the same rules apply.
    from sahel_events.coding import _yaml as yaml_module

    monkeypatch.setattr(yaml_module, "_LOADER", yaml_module._StrictLoader)
    with pytest.raises(CodingSheetError, match=fragment):
        parse_yaml(text, path="x.yaml")
    assert parse_yaml("on: 2025-01-01\nx: NO\n", path="x.yaml") == {"on": "2025-01-01", "x": "NO"}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("!!int abc", "line 3: cannot read int value 'abc'"),
        ("!!float x", "line 3: cannot read float value 'x'"),
        ("!!timestamp 2025-13-01", "line 3: cannot read timestamp value"),
        ("!custom thing", "line 3: unsupported tag '!custom'"),
    ],
)
def test_explicit_tags_that_cannot_convert_are_errors(
    tmp_path: Path, value: str, fragment: str
) -> None:
    text = replace_once(VALID, "coded_by: sahel_events maintainers", f"coded_by: {value}")
    with pytest.raises(CodingSheetError, match=fragment):
        load_sheet(write(tmp_path, text))


def test_control_characters_give_a_one_line_error(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("coded_by: sahel", "coded_by: \x00sahel"))
    with pytest.raises(CodingSheetError, match="not valid YAML") as raised:
        load_sheet(path)
    assert "\n" not in str(raised.value)


def test_packaged_sheets_resolve_against_registry_sources_and_dates() -> None:
    from sahel_events.coding.actors import load_registry
    from sahel_events.coding.dates import resolve_date
    from sahel_events.coding.evidence import match_evidence, normalize_for_evidence
    from sahel_events.coding.sources import load_source

    folder = sheets_dir()
    sheets = sorted(folder.glob("*.yaml"))
    if not sheets:
        pytest.skip("no packaged sheets yet")
    registry = load_registry()
    for path in sheets:
        sheet = load_sheet(path)
        source = load_source(sheet.source)
        for event in sheet.events:
            for name in (event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2):
                if name is not None:
                    registry.lookup(name)
            resolved = resolve_date(event.date, source.published)
            assert resolved.precision in {1, 2, 3}
            for (start, end), quote in zip(
                match_evidence(source.text, event.evidence), event.evidence, strict=True
            ):
                assert normalize_for_evidence(source.text[start:end]) == (
                    normalize_for_evidence(quote)
                )
