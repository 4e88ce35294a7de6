"""The exported schema files are generated from the code, current, and usable by other tools."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pandas as pd
import pandera.errors
import pandera.pandas as pa
import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.schema.export import EXPORTS, event_json_schema, pandera_yaml, table_schema
from sahel_events.testing import break_rows, synthetic_events

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def test_committed_schemas_are_current() -> None:
    result = CliRunner().invoke(main, ["schema", "export", "--check", "--dir", str(SCHEMAS)])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_check_names_the_stale_file_and_exits_1(tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, target)
    (target / "acled_event.schema.json").write_text("{}", encoding="utf-8")
    (target / "coding_sheet.schema.json").unlink()
    result = CliRunner().invoke(main, ["schema", "export", "--check", "--dir", str(target)])
    assert result.exit_code == 1
    assert "acled_event.schema.json" in result.output
    assert "coding_sheet.schema.json" in result.output
    assert "acled_event.pandera.yaml" not in result.output


def test_export_writes_every_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "export", "--dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(EXPORTS)
    assert not list((tmp_path / "out").glob(".*")), "temporary files left behind"


def test_pandera_yaml_loads_back_and_finds_the_same_failures() -> None:
    from sahel_events.schema import EventSchema

    loaded = pa.DataFrameSchema.from_yaml(pandera_yaml())
    assert list(loaded.columns) == list(EventSchema.to_schema().columns)
    broken = break_rows(synthetic_events(500, seed=2), 0.1, seed=3)

    def failures(schema: pa.DataFrameSchema) -> set[tuple[object, str]]:
        with pytest.raises(pandera.errors.SchemaErrors) as caught:
            schema.validate(broken, lazy=True)
        cases = caught.value.failure_cases
        return set(zip(cases["index"], cases["check"], strict=True))

    assert failures(loaded) == failures(EventSchema.to_schema())


def _record(row: pd.Series) -> dict[str, object]:
    record = {}
    for key, value in row.items():
        if pd.isna(value):
            record[key] = None
        elif isinstance(value, pd.Timestamp):
            record[key] = value.strftime("%Y-%m-%d")
        elif hasattr(value, "item"):
            record[key] = value.item()
        else:
            record[key] = value
    return record


def test_json_schema_accepts_valid_records_and_rejects_mismatched_sub_event_types() -> None:
    schema = event_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    frame = synthetic_events(50, seed=5)
    for _, row in frame.iterrows():
        validator.validate(_record(row))
    bad = _record(frame.iloc[0])
    bad.update(event_type="Riots", sub_event_type="Arrests", disorder_type="Strategic developments")
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)
    bad = _record(frame.iloc[0])
    bad["geo_precision"] = 4
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)


def test_table_schema_lists_acled_columns_with_vocabularies() -> None:
    schema = table_schema()
    names = [field["name"] for field in schema["fields"]]
    assert len(names) == 31 and names[0] == "event_id_cnty" and names[-1] == "timestamp"
    by_name = {field["name"]: field for field in schema["fields"]}
    assert len(by_name["event_type"]["constraints"]["enum"]) == 6
    assert len(by_name["sub_event_type"]["constraints"]["enum"]) == 25
    assert len(by_name["interaction"]["constraints"]["enum"]) == 44
    assert by_name["event_date"]["type"] == "date"
    assert by_name["actor2"]["constraints"]["required"] is False
    json.dumps(schema)


def test_each_json_schema_function_has_one_name_and_one_meaning() -> None:
    import sahel_events.coding as coding
    from sahel_events.coding import sheet, sheet_schema
    from sahel_events.schema import export

    # An event record's schema and a coding sheet's schema were both `json_schema`.
    assert event_json_schema()["$id"].endswith("acled_event.schema.json")
    assert coding.sheet_json_schema is sheet.sheet_json_schema is sheet_schema.sheet_json_schema
    assert coding.sheet_json_schema()["title"] != event_json_schema()["title"]
    for module in (export, coding, sheet, sheet_schema):
        assert not hasattr(module, "json_schema"), module.__name__
    exported = {name: json.loads(EXPORTS[name]()) for name in EXPORTS if name.endswith(".json")}
    assert exported["acled_event.schema.json"] == event_json_schema()
    assert exported["coding_sheet.schema.json"] == coding.sheet_json_schema()
