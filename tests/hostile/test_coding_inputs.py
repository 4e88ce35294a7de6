"""Hostile inputs to the coding build (issue 15, coding items), all generated here.

Escapes (a sheet or a source's metadata linked out of its folder), hangs (a
FIFO as a sheet or metadata), content leaking into messages, out-of-range
dates, control characters in stored text and in the summary, and the memory
of the evidence matcher.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml

from sahel_events.coding.build import (
    BuildSummary,
    build,
    packaged_codings_dir,
    packaged_sources_dir,
)
from sahel_events.coding.evidence import NormalizedText
from sahel_events.coding.sheet import load_yaml
from sahel_events.exc import BuildError

SOURCE_ID = "afp-20250919-france-mali-crisis"
SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
ROOT = Path(__file__).resolve().parents[2]


def _copy_inputs(tmp_path: Path) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    sheets = tmp_path / "sheets"
    shutil.copytree(packaged_sources_dir(), sources)
    sheets.mkdir()
    shutil.copy(packaged_codings_dir() / f"{SOURCE_ID}.yaml", sheets)
    return sources, sheets


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "sahel_events", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=ROOT,
    )


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_a_sheet_linked_out_of_its_folder_is_refused_unread(tmp_path: Path) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    secret = tmp_path / "id_rsa"
    secret.write_text(SECRET, encoding="utf-8")
    (sheets / "stolen.yaml").symlink_to(secret)
    result = _run(
        "build",
        "--sources",
        str(sources),
        "--codings",
        str(sheets),
        "--out",
        str(tmp_path / "o"),
        "-q",
    )
    assert result.returncode == 2, result.stderr
    assert "symbolic link" in result.stderr and "outside its folder" in result.stderr
    assert "OPENSSH" not in result.stderr + result.stdout and "b3Bl" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    (sheets / f"{SOURCE_ID}.yaml").rename(sheets / "real.yml.txt")
    (sheets / f"{SOURCE_ID}.yaml").symlink_to(sheets / "real.yml.txt")
    assert len(build(sources, sheets, tmp_path / "o").frame) > 5


def test_a_sheet_that_is_not_a_mapping_is_quoted_cut_to_120_characters(tmp_path: Path) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    content = "root:x:0:0:root:/root:/bin/bash " * 400
    (sheets / "passwd.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(sources, sheets, tmp_path / "o")
    message = next(str(p) for p in caught.value.problems if "passwd" in (p.path or ""))
    assert f"({len(content.strip()):,} characters in all)" in message
    assert len(message) < 400 and message.count("root:x") <= 5


def test_control_characters_in_a_sheet_name_are_escaped(tmp_path: Path) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    (sheets / "bad\nname\x1b[2J.yaml").write_text("- a list\n", encoding="utf-8")
    result = _run(
        "build",
        "--sources",
        str(sources),
        "--codings",
        str(sheets),
        "--out",
        str(tmp_path / "o"),
        "-q",
    )
    assert result.returncode == 1, result.stderr
    assert "\x1b" not in result.stderr
    line = next(line for line in _errors(result.stderr) if "bad" in line)
    assert "bad\\nname\\x1b[2J.yaml" in line


def test_source_metadata_linked_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    outside = tmp_path / "elsewhere.yaml"
    (sources / f"{SOURCE_ID}.yaml").rename(outside)
    (sources / f"{SOURCE_ID}.yaml").symlink_to(outside)
    with pytest.raises(BuildError) as caught:
        build(sources, sheets, tmp_path / "o")
    assert caught.value.exit_code == 2
    assert "symbolic link" in str(caught.value) and f"{SOURCE_ID}.yaml" in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("which", ["sheet", "metadata"])
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, which: str) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    if which == "sheet":
        os.mkfifo(sheets / "pipe.yaml")
    else:
        (sources / f"{SOURCE_ID}.yaml").unlink()
        os.mkfifo(sources / f"{SOURCE_ID}.yaml")
    # Nobody writes to the FIFO: a reader that opened it would block until the timeout.
    result = _run(
        "build",
        "--sources",
        str(sources),
        "--codings",
        str(sheets),
        "--out",
        str(tmp_path / "o"),
        "-q",
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "FIFO" in result.stderr and "not a regular file" in result.stderr


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1600-02-29"])
def test_dates_outside_what_a_dataset_holds_are_invalid_values(tmp_path: Path, day: str) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    path = sheets / f"{SOURCE_ID}.yaml"
    sheet = load_yaml(path)
    key = sheet["events"][0]["key"]
    sheet["events"][0]["date"] = {"on": day, "precision": 2}
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    result = _run(
        "build",
        "--sources",
        str(sources),
        "--codings",
        str(sheets),
        "--out",
        str(tmp_path / "o"),
        "-q",
    )
    assert result.returncode == 1, result.stderr
    (line,) = _errors(result.stderr)
    assert str(path) in line and f"event '{key}'" in line and "field 'date.on'" in line
    assert f"'{day}' is outside the dates this library records (1900-01-01 to 2100-12-31)" in line
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("notes", "Attack.\x1b]52;c;ZWNobyBwd25lZA==\x07 Nothing to see."),
        ("notes", "Valid event\rVALID"),
        ("tags", "tag\x1b[2Jwith CSI"),
    ],
)
def test_control_characters_are_refused_in_stored_text(
    tmp_path: Path, field: str, value: str
) -> None:
    sources, sheets = _copy_inputs(tmp_path)
    path = sheets / f"{SOURCE_ID}.yaml"
    sheet = load_yaml(path)
    sheet["events"][0][field] = [value] if field == "tags" else value
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(sources, sheets, tmp_path / "o")
    (problem,) = caught.value.problems
    assert problem.field == field and "control character" in problem.message


def test_a_quote_of_a_source_holding_an_escape_sequence_is_refused(tmp_path: Path) -> None:
    from sahel_events.coding.sources import add_source
    from sahel_events.coding.suggest import suggest

    text = tmp_path / "a.txt"
    text.write_text(
        "Gunmen attacked Djibo on Monday, killing 3 civilians.\x1b[2J\n", encoding="utf-8"
    )
    sources = tmp_path / "sources"
    add_source(
        text,
        source_id="esc",
        publisher="T",
        published="2025-09-16",
        language="en",
        sources_dir=sources,
    )
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    draft = tmp_path / "draft.yaml"
    draft.write_text(suggest("esc", sources_dir=sources).to_yaml(), encoding="utf-8")
    sheet = load_yaml(draft)
    sheet.pop("draft")
    event = sheet["events"][0]
    event.pop("draft")
    event.update(notes="Three civilians killed.", actor1="Unidentified Armed Group (Burkina Faso)")
    event["evidence"] = ["killing 3 civilians.\x1b[2J"]
    (sheets / "esc.yaml").write_text(yaml.safe_dump(sheet), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(sources, sheets, tmp_path / "o")
    assert [p.field for p in caught.value.problems] == ["evidence"]


def test_the_summary_strips_terminal_control_sequences() -> None:
    summary = BuildSummary(
        events=1, background_events=0, by_type=(("Battles", "Armed clash\x1b[31m", 1),),
        first_date="2025-09-16", last_date="2025-09-16", current_first_date=None,
        current_last_date=None, places=(("Gao\x1b]52;c;cGF5bG9hZA==\x07\rVALID", "Mali", 1),),
        sources=1, evidence_quotes=1, evidence_coverage=0.5,
    )  # fmt: skip
    text = summary.to_text()
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "GaoVALID (Mali)" in text and "Armed clash" in text


def test_the_evidence_matcher_keeps_offsets_in_arrays() -> None:
    base = (packaged_sources_dir() / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")
    text = (base * 200)[:300_000]
    tracemalloc.start()
    try:
        normalized = NormalizedText(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A Python tuple per character cost about 100 bytes a character; arrays cost < 20.
    assert peak / len(text) < 30, peak / len(text)
    assert normalized.origin.itemsize == 4
    start = normalized.normalized.find("قررت باريس")
    assert normalized.span(start, start + 10) == (
        text.find("قررت باريس"),
        text.find("قررت باريس") + 10,
    )
