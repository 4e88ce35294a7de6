"""JSON Lines and JSON: one object per line, or an array of objects (the API's ``data``).

Work is bounded: a line longer than :data:`MAX_LINE_BYTES` and nesting deeper
than :data:`MAX_DEPTH` are refused naming the line (or record), before the
parser could exhaust memory or recursion.
"""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sahel_events._io import open_input
from sahel_events.exc import UnreadableFileError
from sahel_events.read.formats import RawChunk, RawSource, ReadOptions

#: Longest JSON Lines line: the CSV reader's record limit.
MAX_LINE_BYTES = 256 * 1024 * 1024
#: Deepest nesting of arrays and objects in a record; an event is two levels deep.
MAX_DEPTH = 64


class JsonLinesReader:
    """JSON Lines (one JSON object per line)."""

    name = "jsonl"
    description = "JSON Lines (one JSON object per line)"

    def open(self, path: Path, options: ReadOptions) -> RawSource:
        return _open_jsonl(path, chunk_rows=options.chunk_rows, encoding=options.encoding)


class JsonReader:
    """A JSON array of objects, or the ACLED API's ``{"data": [...]}`` response."""

    name = "json"
    description = "a JSON array of objects, or the ACLED API's {'data': [...]} response"

    def open(self, path: Path, options: ReadOptions) -> RawSource:
        return _open_json(path, encoding=options.encoding)


READERS = {"jsonl": JsonLinesReader(), "json": JsonReader()}


def _to_text(value: Any) -> str | None:
    """A JSON value as the text a CSV cell would hold (numbers as the API writes them)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _records_to_chunk(
    records: list[dict[str, Any]], header: list[str], rows: list[int]
) -> RawChunk:
    import numpy as np
    import pandas as pd

    columns = {
        index: pd.Series([_to_text(record.get(name)) for record in records], dtype="str")
        for index, name in enumerate(header)
    }
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(len(records)))
    return RawChunk(frame, np.asarray(rows, dtype=np.int64))


def _depth(raw: bytes) -> Any:
    """Nesting depth after each byte of a JSON text, strings left out (numpy; error paths only)."""
    import re

    import numpy as np

    # Replace each string by an empty one, so brackets inside strings do not count.
    bare = re.sub(rb'"(?:[^"\\]|\\.)*"', b'""', raw)
    data = np.frombuffer(bare, dtype=np.uint8)
    opens = (data == ord("[")) | (data == ord("{"))
    closes = (data == ord("]")) | (data == ord("}"))
    return data, np.cumsum(opens.astype(np.int64) - closes.astype(np.int64))


def _too_deep(raw: bytes) -> bool:
    # Counting brackets is a cheap bound: an event line has one or two.
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return False
    _data, depth = _depth(raw)
    return bool(len(depth) and depth.max() > MAX_DEPTH)


def _deep_record(raw: bytes) -> int | None:
    """The 1-based number of the record of a JSON document that nests too deep."""
    import numpy as np

    data, depth = _depth(raw)
    deep = np.flatnonzero(depth > MAX_DEPTH)
    if not len(deep):
        return None
    first = int(deep[0])
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    level = 1 if stripped.startswith(b"[") else 2
    separators = (data[:first] == ord(",")) & (depth[:first] == level)
    return int(separators.sum()) + 1


def _numbered_lines(handle: Any, path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each line, refusing a line over :data:`MAX_LINE_BYTES`."""
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise UnreadableFileError(
                f"the line is longer than {MAX_LINE_BYTES // 2**20} MiB, more than the reader"
                " accepts; is this an event file?",
                path=path,
                row=number,
            )
        yield number, raw


def load_document(path: Path, encoding: str | None) -> Any:
    """A whole JSON document, refused cleanly when it is not text, not JSON or nested too deep."""
    with open_input(path) as handle:
        raw = handle.read()
    try:
        text = raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFileError("not UTF-8 text", path=path) from None
    except LookupError:
        raise UnreadableFileError(f"unknown encoding {encoding!r}", path=path) from None
    if _too_deep(raw):
        raise UnreadableFileError(
            f"the JSON nests deeper than {MAX_DEPTH} levels; an event record is two deep",
            path=path,
            row=_deep_record(raw),
        )
    try:
        return json.loads(text)
    except ValueError as error:
        raise UnreadableFileError(f"not valid JSON: {error}", path=path) from None
    except RecursionError:  # pragma: no cover - the depth check above comes first
        raise UnreadableFileError("the JSON nests too deep", path=path) from None


def _open_jsonl(path: Path, *, chunk_rows: int | None, encoding: str | None) -> RawSource:
    handle = open_input(path)
    text_encoding = encoding or "utf-8-sig"
    first_records: list[dict[str, Any]] = []
    first_rows: list[int] = []
    limit = chunk_rows or math.inf

    def parse(raw: bytes, number: int) -> dict[str, Any] | None:
        if b"\x00" in raw:
            raise UnreadableFileError(
                "not a text file (NUL bytes); expected JSON Lines", path=path, row=number
            )
        try:
            text = raw.decode(text_encoding if number == 1 else text_encoding.replace("-sig", ""))
        except UnicodeDecodeError:
            raise UnreadableFileError("line is not UTF-8 text", path=path, row=number) from None
        if not text.strip():
            return None
        if _too_deep(raw):
            raise UnreadableFileError(
                f"the line nests deeper than {MAX_DEPTH} levels; an event record is two deep",
                path=path,
                row=number,
            )
        try:
            value = json.loads(text)
        except ValueError as error:
            raise UnreadableFileError(
                f"line is not valid JSON ({error.args[0].split(':')[0]})", path=path, row=number
            ) from None
        if not isinstance(value, dict):
            raise UnreadableFileError(
                f"line holds a JSON {type(value).__name__}, expected an object",
                path=path,
                row=number,
            )
        return value

    def numbered_records() -> Iterator[tuple[int, dict[str, Any]]]:
        """(line number, record) for each non-blank line; blank lines are skipped."""
        for number, raw in _numbered_lines(handle, path):
            record = parse(raw, number)
            if record is not None:
                yield number, record

    records_stream = numbered_records()
    try:
        # The header is the union of the first chunk's keys, so read that chunk first;
        # the rest streams from the same generator.
        for number, record in records_stream:
            first_records.append(record)
            first_rows.append(number)
            if len(first_records) >= limit:
                break
    except BaseException:
        handle.close()
        raise
    if not first_records:
        handle.close()
        raise UnreadableFileError("the file holds no JSON records", path=path)
    header = list(dict.fromkeys(key for record in first_records for key in record))

    def chunks() -> Iterator[RawChunk]:
        try:
            chunk = _records_to_chunk(first_records, header, first_rows)
            first_records.clear()  # the records now live in the chunk only
            first_rows.clear()
            yield chunk
            del chunk
            records: list[dict[str, Any]] = []
            rows: list[int] = []
            for number, record in records_stream:
                records.append(record)
                rows.append(number)
                if len(records) >= limit:
                    yield _records_to_chunk(records, header, rows)
                    records, rows = [], []
            if records:
                yield _records_to_chunk(records, header, rows)
        finally:
            handle.close()

    return RawSource(
        path, "jsonl", header, chunks(), {"encoding": codecs.lookup(encoding or "utf-8").name}
    )


def _open_json(path: Path, *, encoding: str | None) -> RawSource:
    document = load_document(path, encoding)
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        from sahel_events.read._geojson import features_source

        return features_source(path, document)
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        document = document["data"]
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise UnreadableFileError(
            "expected a JSON array of event objects or the API's {'data': [...]} response",
            path=path,
        )
    if not document:
        raise UnreadableFileError("the file holds no JSON records", path=path)
    header = list(dict.fromkeys(key for record in document for key in record))
    rows = list(range(1, len(document) + 1))
    return RawSource(path, "json", header, iter([_records_to_chunk(document, header, rows)]))
