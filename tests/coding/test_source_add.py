"""`sahel-events source add`: the text copied byte for byte, its metadata and SHA-256 beside it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.coding.sheet import load_yaml
from sahel_events.coding.sources import load_source

ARGS = ["--publisher", "Le Faso", "--published", "2025-09-16", "--language", "fr"]


def test_source_add_registers_the_text(tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    data = "Titre de l'article\r\n\r\nCorps\u00a0du texte.\n".encode()
    text.write_bytes(data)
    sources = tmp_path / "sources"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "source",
            "add",
            str(text),
            "--id",
            "lefaso-1",
            *ARGS,
            "--url",
            "https://example.org/a",
            "--sources",
            str(sources),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (sources / "lefaso-1.txt").read_bytes() == data  # CRLF and NBSP kept
    metadata = load_yaml(sources / "lefaso-1.yaml")
    assert metadata["sha256"] == hashlib.sha256(data).hexdigest()
    assert metadata["title"] == "Titre de l'article" and metadata["outlet"] == "Le Faso"
    assert metadata["published"] == "2025-09-16" and metadata["url"] == "https://example.org/a"
    source = load_source("lefaso-1", sources_dir=sources)
    assert source.text == data.decode()


def test_source_add_refuses_an_existing_id_and_bad_values(tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("Un texte.\n", encoding="utf-8")
    sources = tmp_path / "sources"
    runner = CliRunner()
    base = ["source", "add", str(text), "--sources", str(sources)]
    assert runner.invoke(main, [*base, "--id", "a", *ARGS]).exit_code == 0
    before = (sources / "a.yaml").read_bytes()
    again = runner.invoke(main, [*base, "--id", "a", *ARGS])
    assert again.exit_code == 2 and "exists already" in again.output
    assert (sources / "a.yaml").read_bytes() == before
    bad_date = runner.invoke(
        main,
        [*base, "--id", "b", "--publisher", "X", "--published", "2025-02-30", "--language", "fr"],
    )
    assert bad_date.exit_code == 1 and "'2025-02-30' is not a date" in bad_date.output
    assert not (sources / "b.txt").exists() and not (sources / "b.yaml").exists()
    bad_id = runner.invoke(main, [*base, "--id", "../escape", *ARGS])
    assert bad_id.exit_code == 2 and "not a valid source id" in bad_id.output
