"""A vectorised byte scan of a CSV file: where each record starts, and how many fields it has.

pyarrow parses CSV fast but does not say on which physical line a record starts,
and a quoted cell may span several lines. This scan walks the raw bytes in blocks
with numpy (no per-row Python): a newline or delimiter ends a record or a field
only when an even number of quote characters precede it. Alongside it checks
what pyarrow needs to know in advance (the longest record, for its block size)
and whether the file is plain RFC 4180 quoting, for which the scan and pyarrow
agree record for record. Files it cannot vouch for are read with Python's csv
module instead.

Its three exceptions are private signals to the CSV reader, which turns each
into an :class:`~sahel_events.exc.UnreadableFileError` naming the file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sahel_events._io import open_input

_NEWLINE = 0x0A
_CARRIAGE_RETURN = 0x0D
_QUOTE = 0x22
_BLOCK_BYTES = 16 * 1024 * 1024


@dataclass
class CsvLayout:
    """What the scan learnt about a CSV file."""

    encoding: str
    """``utf-8`` (with or without BOM) or ``cp1252``."""
    header_line: int
    """Physical line (1-based) of the header record."""
    header_fields: int
    """Number of fields in the header."""
    record_lines: np.ndarray
    """Start line of every well-formed data record, in file order (int64)."""
    ragged_lines: np.ndarray
    """Start line of every data record whose field count differs from the header's."""
    ragged_offsets: np.ndarray
    """Byte offset of each ragged record."""
    ragged_lengths: np.ndarray
    """Byte length of each ragged record."""
    ragged_fields: np.ndarray
    """Field count of each ragged record."""
    ragged_order: np.ndarray
    """For each ragged record, how many well-formed data records precede it."""
    longest_record: int
    """Length in bytes of the longest record."""
    plain_quoting: bool
    """Whether every quote opens or closes a quoted field as RFC 4180 says."""
    notes: list[str] = field(default_factory=list)


class _BinaryContent(ValueError):
    """The bytes are not text: they contain NUL bytes or decode as neither UTF-8 nor cp1252."""


def scan_csv(
    path: Path, delimiter: str, *, detect_encoding: bool = True, skip_records: int = 0
) -> CsvLayout:
    """Scan ``path`` once, in blocks, and describe its records.

    The first ``skip_records`` non-empty records (title rows above the header) are
    left out: the record after them is the header.

    Raises :class:`_BinaryContent` when the file holds NUL bytes or, with
    ``detect_encoding``, is neither UTF-8 nor cp1252 text.
    """
    delimiter_byte = ord(delimiter)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252_ok = True
    is_utf8 = True
    other_line = 0  # first line with a byte that is not UTF-8

    quotes_before = 0  # quote characters seen before the current block
    newlines_before = 0  # newline characters seen before the current block
    delimiters_outside = 0  # field delimiters outside quotes before the current block
    record_start = 0  # byte offset where the current record starts
    record_start_line = 1
    record_start_delims = 0
    previous_byte = -1  # last byte of the previous block (-1: start of file)
    plain = True
    longest = 0

    records = _RecordSink(skip_records)

    offset = 0
    with open_input(path) as handle:
        while True:
            block = handle.read(_BLOCK_BYTES)
            if not block:
                break
            data = np.frombuffer(block, dtype=np.uint8)
            if (data == 0).any():
                raise _BinaryContent("the file contains NUL bytes")
            if is_utf8 and detect_encoding:
                try:
                    utf8.decode(block, final=False)
                except UnicodeDecodeError as error:
                    is_utf8 = False
                    position = min(max(error.start, 0), len(data))
                    other_line = newlines_before + int((data[:position] == _NEWLINE).sum()) + 1
            if not is_utf8 and cp1252_ok and detect_encoding:
                # The five bytes cp1252 leaves undefined mean the text is not cp1252 either.
                cp1252_ok = not np.isin(data, (0x81, 0x8D, 0x8F, 0x90, 0x9D)).any()
                if not cp1252_ok:
                    raise _BinaryContent("the bytes are neither UTF-8 nor Windows-1252 text")

            quote_pos = np.flatnonzero(data == _QUOTE)
            newline_pos = np.flatnonzero(data == _NEWLINE)
            delim_pos = np.flatnonzero(data == delimiter_byte)

            def outside(
                positions: np.ndarray, quote_pos: np.ndarray = quote_pos, base: int = quotes_before
            ) -> np.ndarray:
                """Whether each position lies outside quotes (an even number of quotes before)."""
                return (base + np.searchsorted(quote_pos, positions)) % 2 == 0

            def byte_before(
                positions: np.ndarray, data: np.ndarray = data, first: int = previous_byte
            ) -> np.ndarray:
                """The byte before each position (-1 at the start of the file)."""
                found = np.full(len(positions), first, dtype=np.int16)
                inner = positions > 0
                found[inner] = data[positions[inner] - 1]
                return found

            opening = (quotes_before + np.arange(len(quote_pos))) % 2 == 0
            if len(quote_pos):
                open_pos = quote_pos[opening]
                before_open = byte_before(open_pos)
                allowed = np.isin(before_open, (delimiter_byte, _NEWLINE, _QUOTE, -1))
                # A UTF-8 BOM right before the first quote of the file is fine too.
                if offset == 0 and block.startswith(codecs.BOM_UTF8):
                    allowed |= open_pos == 3
                if not allowed.all():
                    plain = False
                closing_pos = quote_pos[~opening]
                following = np.full(len(closing_pos), -1, dtype=np.int16)
                inside = closing_pos + 1 < len(data)
                following[inside] = data[closing_pos[inside] + 1]
                # A closing quote at the block's end is followed by the next block's first
                # byte, which we cannot see yet; such quotes are rare enough to trust.
                good_follow = np.isin(
                    following, (delimiter_byte, _NEWLINE, _CARRIAGE_RETURN, _QUOTE, -1)
                )
                if not good_follow.all():
                    plain = False

            carriage = np.flatnonzero(data == _CARRIAGE_RETURN)
            if len(carriage):
                bare = carriage[(carriage + 1 < len(data))]
                bare = bare[data[bare + 1] != _NEWLINE]
                if len(bare) and outside(bare).any():
                    # Old Mac line endings: pyarrow splits there, the scan does not.
                    plain = False

            # Quoted stretches of this block, as [start, end) intervals; delimiters inside
            # them are text. Counting them per interval costs one search per quote, not
            # one per delimiter.
            interval_starts = quote_pos[opening]
            interval_ends = quote_pos[~opening]
            if quotes_before % 2:
                interval_starts = np.concatenate(([0], interval_starts))
            if (quotes_before + len(quote_pos)) % 2:
                interval_ends = np.concatenate((interval_ends, [len(data)]))
            quoted_delims = np.searchsorted(delim_pos, interval_ends) - np.searchsorted(
                delim_pos, interval_starts
            )
            quoted_before = np.concatenate(([0], np.cumsum(quoted_delims)))

            ends = newline_pos[outside(newline_pos)]
            # Line on which each record-ending newline sits, 1-based.
            end_lines = newlines_before + np.searchsorted(newline_pos, ends) + 1
            end_delims = (
                delimiters_outside
                + np.searchsorted(delim_pos, ends)
                - quoted_before[np.searchsorted(interval_ends, ends)]
            )

            record_starts = np.empty(len(ends), dtype=np.int64)
            start_lines = np.empty(len(ends), dtype=np.int64)
            start_delims = np.empty(len(ends), dtype=np.int64)
            if len(ends):
                record_starts[0] = record_start
                record_starts[1:] = ends[:-1] + offset + 1
                start_lines[0] = record_start_line
                start_lines[1:] = end_lines[:-1] + 1
                start_delims[0] = record_start_delims
                start_delims[1:] = end_delims[:-1]
                record_lengths = ends + offset - record_starts
                # A record made of a lone "\r" is an empty line with a Windows ending.
                cr_before = byte_before(ends) == _CARRIAGE_RETURN
                empty = (record_lengths == 0) | ((record_lengths == 1) & cr_before)
                keep = ~empty
                records.add(
                    record_starts[keep],
                    record_lengths[keep],
                    start_lines[keep],
                    (end_delims - start_delims + 1)[keep],
                )
                if len(record_lengths):
                    longest = max(longest, int(record_lengths.max()))
                record_start = int(ends[-1]) + offset + 1
                record_start_line = int(end_lines[-1]) + 1
                record_start_delims = int(end_delims[-1])

            quotes_before += len(quote_pos)
            newlines_before += len(newline_pos)
            delimiters_outside += len(delim_pos) - int(quoted_before[-1])
            previous_byte = int(data[-1])
            offset += len(data)

    if is_utf8 and detect_encoding:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
            other_line = newlines_before + 1
    if not is_utf8 and detect_encoding:
        # Only files that are not UTF-8 pay for this second pass.
        utf8_line = _first_utf8_line(path)
        if utf8_line is not None:
            raise _MixedEncoding(utf8_line, other_line)
    if quotes_before % 2:
        plain = False  # a quote that never closes: pyarrow and the scan would disagree
    # The last record, when the file does not end with a newline.
    last_length = offset - record_start
    if last_length > 0 and not (last_length == 1 and previous_byte == _CARRIAGE_RETURN):
        records.add(
            np.array([record_start], dtype=np.int64),
            np.array([last_length], dtype=np.int64),
            np.array([record_start_line], dtype=np.int64),
            np.array([delimiters_outside - record_start_delims + 1], dtype=np.int64),
        )
        longest = max(longest, last_length)

    if records.header_fields is None:
        raise _EmptyFile("the file holds no records")
    return CsvLayout(
        encoding="utf-8" if is_utf8 else "cp1252",
        header_line=records.header_line,
        header_fields=records.header_fields,
        record_lines=_concat(records.good_lines),
        ragged_lines=_concat(records.ragged_lines),
        ragged_offsets=_concat(records.ragged_offsets),
        ragged_lengths=_concat(records.ragged_lengths),
        ragged_fields=_concat(records.ragged_fields),
        ragged_order=_concat(records.ragged_order),
        longest_record=longest,
        plain_quoting=plain,
    )


class _RecordSink:
    """Keeps the start line of well-formed records and the details of ragged ones only.

    Memory is 8 bytes per well-formed record, whatever the file's size.
    """

    def __init__(self, skip: int = 0) -> None:
        self.skip = skip  # title records before the header, still to leave out
        self.header_line = 0
        self.header_fields: int | None = None
        self.good_count = 0
        self.good_lines: list[np.ndarray] = []
        self.ragged_lines: list[np.ndarray] = []
        self.ragged_offsets: list[np.ndarray] = []
        self.ragged_lengths: list[np.ndarray] = []
        self.ragged_fields: list[np.ndarray] = []
        self.ragged_order: list[np.ndarray] = []

    def add(
        self, starts: np.ndarray, lengths: np.ndarray, lines: np.ndarray, fields: np.ndarray
    ) -> None:
        if self.skip and len(lines):
            dropped = min(self.skip, len(lines))
            self.skip -= dropped
            starts, lengths, lines, fields = (
                starts[dropped:],
                lengths[dropped:],
                lines[dropped:],
                fields[dropped:],
            )
        if len(lines) == 0:
            return
        if self.header_fields is None:
            # The first non-empty record is the header.
            self.header_line = int(lines[0])
            self.header_fields = int(fields[0])
            starts, lengths, lines, fields = starts[1:], lengths[1:], lines[1:], fields[1:]
        good = fields == self.header_fields
        self.good_lines.append(lines[good])
        if not good.all():
            ragged = ~good
            good_before = np.cumsum(good) - good
            self.ragged_lines.append(lines[ragged])
            self.ragged_offsets.append(starts[ragged])
            self.ragged_lengths.append(lengths[ragged])
            self.ragged_fields.append(fields[ragged])
            self.ragged_order.append(self.good_count + good_before[ragged])
        self.good_count += int(good.sum())


class _MixedEncoding(ValueError):
    """The file holds UTF-8 text and bytes that are not UTF-8: two encodings in one file."""

    def __init__(self, utf8_line: int, other_line: int) -> None:
        super().__init__(f"line {utf8_line} is UTF-8, line {other_line} is not")
        self.utf8_line = utf8_line
        self.other_line = other_line


def _utf8_pairs(data: np.ndarray) -> np.ndarray:
    """Positions of two-byte UTF-8 sequences (a lead byte, one continuation byte, then no more).

    In Windows-1252 text such pairs are mojibake ("Ã©"); real cp1252 text hardly
    ever has an accented capital followed by a symbol.
    """
    lead = (data >= 0xC2) & (data <= 0xDF)
    continuation = (data >= 0x80) & (data <= 0xBF)
    pair = lead[:-1] & continuation[1:]
    pair[:-1] &= ~continuation[2:]
    return np.flatnonzero(pair)


def _first_utf8_line(path: Path) -> int | None:
    """The first line holding a two-byte UTF-8 sequence, or None."""
    newlines_before = 0
    with open_input(path) as handle:
        while block := handle.read(_BLOCK_BYTES):
            data = np.frombuffer(block, dtype=np.uint8)
            pairs = _utf8_pairs(data)
            if len(pairs):
                return newlines_before + int((data[: pairs[0]] == _NEWLINE).sum()) + 1
            newlines_before += int((data == _NEWLINE).sum())
    return None


class _EmptyFile(ValueError):
    """The file has no non-empty line."""


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.concatenate(parts).astype(np.int64, copy=False)
