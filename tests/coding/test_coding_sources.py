"""Sources: text as stored, metadata checked, SHA-256 verified, ids safe as file names."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from sahel_events.coding.sources import list_sources, load_source
from sahel_events.exc import CodingSheetError, UnreadableFileError, UsageError

ARTICLE = (Path(__file__).parent / "data" / "000_3b1555f81e86889c.txt").read_bytes()
SOURCE_ID = "afp-20250919-france-mali-crisis"


def metadata(sha256: str, **changes: str) -> str:
    fields = {
        "id": SOURCE_ID,
        "title": '"باريس تجمد التعاون الأمني مع مالي"',
        "language": "ar",
        "outlet": "unknown",
        "agency": "AFP",
        "published": "2025-09-19",
        "url": "null",
        "sha256": sha256,
        "licence_note": "quoted for research",
        "notes": "test copy",
        **changes,
    }
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / f"{SOURCE_ID}.txt").write_bytes(ARTICLE)
    sha = hashlib.sha256(ARTICLE).hexdigest()
    (tmp_path / f"{SOURCE_ID}.yaml").write_text(metadata(sha), encoding="utf-8")
    return tmp_path


def test_source_loads_text_exactly_as_stored(folder: Path) -> None:
    source = load_source(SOURCE_ID, sources_dir=folder)
    assert source.text == ARTICLE.decode("utf-8")
    assert source.published == date(2025, 9, 19)
    assert source.language == "ar" and source.agency == "AFP" and source.url is None
    assert source.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert source.path == str(folder / f"{SOURCE_ID}.txt")


def test_crlf_text_is_not_translated(tmp_path: Path) -> None:
    data = ARTICLE.replace(b"\n", b"\r\n")
    (tmp_path / f"{SOURCE_ID}.txt").write_bytes(data)
    (tmp_path / f"{SOURCE_ID}.yaml").write_text(
        metadata(hashlib.sha256(data).hexdigest()), encoding="utf-8"
    )
    assert "\r\n" in load_source(SOURCE_ID, sources_dir=tmp_path).text


def test_edited_text_is_detected(folder: Path) -> None:
    text_file = folder / f"{SOURCE_ID}.txt"
    text_file.write_bytes(ARTICLE.replace("باريس".encode(), "باريز".encode(), 1))
    with pytest.raises(CodingSheetError, match="SHA-256") as raised:
        load_source(SOURCE_ID, sources_dir=folder)
    assert raised.value.path == str(text_file)


@pytest.mark.parametrize(
    "source_id", ["../etc/passwd", "a/b", ".hidden", "", "UPPER", "a b", "/abs"]
)
def test_ids_that_are_not_slugs_are_refused(folder: Path, source_id: str) -> None:
    with pytest.raises(UsageError, match="not a valid source id"):
        load_source(source_id, sources_dir=folder)


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"published": "19/09/2025"}, "published", "not a date"),
        ({"published": "2025-02-30"}, "published", "not a date"),
        ({"id": "another-id"}, "id", "differs from the file name"),
        ({"language": "Arabic!"}, "language", "BCP 47"),
        ({"sha256": "abc"}, "sha256", "64 lower-case"),
        ({"title": '""'}, "title", "missing or empty"),
        ({"editor": "me"}, "editor", "unknown field"),
        ({"outlet": "[a, b]"}, "outlet", "expected text"),
    ],
)
def test_malformed_metadata_names_the_field(
    folder: Path, change: dict[str, str], field: str, fragment: str
) -> None:
    meta = folder / f"{SOURCE_ID}.yaml"
    values = {"sha256": hashlib.sha256(ARTICLE).hexdigest(), **change}
    meta.write_text(metadata(**values), encoding="utf-8")
    with pytest.raises(CodingSheetError, match=fragment) as raised:
        load_source(SOURCE_ID, sources_dir=folder)
    assert raised.value.field == field
    assert raised.value.path == str(meta)


def test_missing_and_undecodable_text(folder: Path) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        load_source("not-there", sources_dir=folder)
    text_file = folder / f"{SOURCE_ID}.txt"
    bad = b"\xff" + ARTICLE
    text_file.write_bytes(bad)
    meta = folder / f"{SOURCE_ID}.yaml"
    meta.write_text(metadata(hashlib.sha256(bad).hexdigest()), encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="not UTF-8"):
        load_source(SOURCE_ID, sources_dir=folder)


def test_list_sources_sorted(folder: Path) -> None:
    other = "aaa-first"
    (folder / f"{other}.txt").write_bytes(b"hello world text")
    (folder / f"{other}.yaml").write_text(
        metadata(hashlib.sha256(b"hello world text").hexdigest(), id=other), encoding="utf-8"
    )
    (folder / "README.md").write_text("not a source", encoding="utf-8")
    assert [source.id for source in list_sources(folder)] == [other, SOURCE_ID]
    assert list_sources(folder / "nowhere") == []


def test_packaged_sources_load() -> None:
    sources = list_sources()
    if not sources:
        pytest.skip("no packaged sources yet")
    for source in sources:
        assert source.text
