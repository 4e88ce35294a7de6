"""Frictionless Data Package export: the frictionless tool validates it, and catches a broken row."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from sahel_events import vocabulary
from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.export import export
from sahel_events.export.datapackage import read_datapackage

frictionless = pytest.importorskip("frictionless")


@pytest.fixture(scope="module")
def dataset() -> pd.DataFrame:
    import sahel_events

    return sahel_events.load()


@pytest.fixture
def package(dataset: pd.DataFrame, tmp_path: Path) -> Path:
    return export(
        dataset, "datapackage", tmp_path / "pkg", license="CC-BY-4.0", title="France-Mali 2025"
    )


def _validate(descriptor: Path) -> frictionless.Report:
    return frictionless.validate(str(descriptor))


def test_the_package_validates(package: Path, dataset: pd.DataFrame) -> None:
    report = _validate(package)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == len(dataset)


def test_descriptor_content(package: Path) -> None:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    assert package.name == "datapackage.json"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["title"] == "France-Mali 2025"
    assert any("GeoNames" in source["title"] for source in descriptor["sources"])
    assert any("Natural Earth" in source["title"] for source in descriptor["sources"])
    resource = descriptor["resources"][0]
    data = (package.parent / resource["path"]).read_bytes()
    assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert resource["bytes"] == len(data)
    names = [field["name"] for field in resource["schema"]["fields"]]
    assert names == [
        *vocabulary.COLUMN_NAMES,
        "source_id",
        "evidence",
        "evidence_offsets",
        "background",
    ]
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    assert fields["event_type"]["constraints"]["enum"] == list(vocabulary.EVENT_TYPES)
    assert fields["background"]["type"] == "boolean"


def _break(package: Path, old: str, new: str) -> None:
    """Change the data and re-record its hash, so that only the schema can object."""
    data_path = package.parent / "events.csv"
    data = data_path.read_bytes()
    assert old.encode() in data
    data = data.replace(old.encode(), new.encode(), 1)
    data_path.write_bytes(data)
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"][0]["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    descriptor["resources"][0]["bytes"] = len(data)
    package.write_text(json.dumps(descriptor), encoding="utf-8")


def test_a_row_outside_the_vocabulary_is_invalid(package: Path) -> None:
    _break(package, '"Strategic developments","Other"', '"Strategic developments","Riot"')
    report = _validate(package)
    assert not report.valid
    errors = report.flatten(["rowNumber", "fieldName", "type"])
    assert [2, "sub_event_type", "constraint-error"] in errors


def test_a_negative_fatality_count_is_invalid(package: Path) -> None:
    # The first event's fatalities cell is the ",0," before its tags and timestamp.
    _break(package, ",0,,1795910400", ",-4,,1795910400")
    errors = _validate(package).flatten(["rowNumber", "fieldName", "type"])
    assert [2, "fatalities", "constraint-error"] in errors


def test_a_changed_data_file_no_longer_matches_the_descriptor(package: Path) -> None:
    data_path = package.parent / "events.csv"
    data_path.write_bytes(data_path.read_bytes().replace(b"Bamako", b"Bamak0", 1))
    report = _validate(package)
    assert not report.valid
    assert "hash-count" in {error.type for error in report.tasks[0].errors}


def test_reads_back(package: Path, dataset: pd.DataFrame) -> None:
    back = read_datapackage(package.parent)
    columns = list(dataset.columns)
    pd.testing.assert_frame_equal(
        back[columns].reset_index(drop=True),
        dataset.reset_index(drop=True),
        check_categorical=False,
    )


def test_no_licence_unless_given_and_no_credits_without_gazetteer(tmp_path: Path) -> None:
    from sahel_events.testing import synthetic_events

    path = export(synthetic_events(20, seed=91), "datapackage", tmp_path / "user")
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert "licenses" not in descriptor and "sources" not in descriptor
    assert _validate(path).valid
    with pytest.raises(UsageError, match="unknown licence"):
        export(synthetic_events(2), "datapackage", tmp_path / "x", license="MIT-ish")
    with pytest.raises(UsageError, match="package name"):
        export(synthetic_events(2), "datapackage", tmp_path / "y", name="Bad Name")
    with pytest.raises(UsageError, match="folder of files"):
        export(synthetic_events(2), "datapackage", "-")


def test_a_descriptor_pointing_outside_its_folder_is_refused(package: Path) -> None:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../../etc/passwd"
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="leaves the package folder"):
        read_datapackage(package)
