"""The column files the gazetteer ships: written by the build, read without parsing."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

from sahel_events.geo import _data


def _rows() -> list[dict]:
    return [
        {"id": 7, "name": "Ménaka", "kind": "town", "latitude": 15.9182, "longitude": 2.4022},
        {
            "id": 12_000_000_000,
            "name": "",
            "kind": "village",
            "latitude": -0.0001,
            "longitude": -180.0,
        },
        {"id": 3, "name": "ميناكا", "kind": "town", "latitude": 90.0, "longitude": 0.3},
    ]


TYPES = {"id": "int64", "kind": "category", "latitude": "coordinate", "longitude": "coordinate"}


def test_a_table_reads_back_as_written() -> None:
    table = _data.decode_table(_data.encode_table(_rows(), TYPES))
    for column in ("id", "name", "kind", "latitude", "longitude"):
        assert list(table[column]) == [row[column] for row in _rows()], column
    # Coordinates come back as the floats their decimals name, not near them.
    assert table["latitude"][0] == float("15.9182")
    assert table["name"][2] == "ميناكا" and table["name"][-1] == "ميناكا"
    assert isinstance(table["kind"], _data.Category)
    assert list(table["kind"].mask({"town"})) == [True, False, True]
    assert table["longitude"].typecode == "d"


def test_the_encoder_refuses_what_it_cannot_store_exactly() -> None:
    with pytest.raises(ValueError, match="more than 4 decimals"):
        _data.encode_table([{"latitude": 14.123456}], {"latitude": "coordinate"})
    with pytest.raises(ValueError, match="byte order"):
        _data.encode_table([{"line": "b\t1\t"}, {"line": "a\t2\t"}], {"line": "sorted lines"})
    with pytest.raises(ValueError, match="unknown column type"):
        _data.encode_table([{"x": 1}], {"x": "float16"})


def test_a_damaged_file_is_refused_with_a_message() -> None:
    payload = _data.encode_table(_rows(), TYPES)
    with pytest.raises(RuntimeError, match="corrupt gazetteer file"):
        _data.decode_table(b"not a column file" + payload)
    with pytest.raises(RuntimeError, match="corrupt gazetteer file"):
        _data.decode_table(payload[:-3])


def _index(lines: list[str]) -> _data.LineIndex:
    table = _data.decode_table(
        _data.encode_table([{"line": line} for line in lines], {"line": "sorted lines"})
    )
    return table["line"]


def test_the_line_index_finds_every_key_and_only_it() -> None:
    lines = ["ab\t1\t", "ab\t5\tAb", "ab c\t2\t", "abc\t3\t", "b\t4\t", "ميناكا\t9\t"]
    index = _index(lines)
    assert index.lookup("ab") == [(1, "ab"), (5, "Ab")]
    assert index.lookup("ab c") == [(2, "ab c")]
    assert index.lookup("abc") == [(3, "abc")]
    assert index.lookup("ميناكا") == [(9, "ميناكا")]
    for missing in ("", "a", "aa", "abd", "c", "zz", "ي"):
        assert index.lookup(missing) == []
    assert index.prefixed("ab") == (["ab", "ab", "ab c", "abc"], [1, 5, 2, 3])
    assert index.prefixed("x") == ([], [])
    assert index.count() == len(lines)
    assert index.keys == ["ab", "ab", "ab c", "abc", "b", "ميناكا"]
    assert index.targets == [1, 5, 2, 3, 4, 9]
    assert index.aliases[:2] == ["", "Ab"]


def test_the_shipped_name_index_agrees_with_a_linear_scan() -> None:
    """Every 997th key of the real index, looked up by binary search, finds all
    and only the lines a scan of the file finds."""
    payload = resources.files(_data.DATA_PACKAGE).joinpath("data/place_aliases.cols.gz")
    index = _data.decode_table(gzip.decompress(payload.read_bytes()))["line"]
    lines = index.blob.decode("utf-8").strip("\n").split("\n")
    expected: dict[str, list[int]] = {}
    for line in lines:
        key, target, _ = line.split("\t")
        expected.setdefault(key, []).append(int(target))
    for key in list(expected)[::997]:
        assert [target for target, _ in index.lookup(key)] == expected[key], key
