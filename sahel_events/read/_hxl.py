"""HXL hashtag rows: the second header row of files published on HDX.

An HXL file (https://hxlstandard.org) has its column names on the first row and
a row of hashtags (``#event+code``, ``#date+occurred``) right under them. The CSV
and Excel readers ask :func:`read_tag_row` about the row after the header: a tag
row is dropped (it is no event), columns whose header does not name one of
ACLED's columns are named by their tag, and one ``hxl_tags`` note says so.
Attributes are matched in any order (``#group+first+name`` is ``#group+name+first``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sahel_events._findings import FindingsCollector

__all__ = ["TagRow", "is_tag_row", "read_tag_row"]


@dataclass(frozen=True)
class TagRow:
    """What a tag row says about the columns above it."""

    header: list[str]
    """The header, with columns named by their tag where the header did not name them."""
    mapped: list[tuple[str, str]]
    """(tag, column) of each column named by its tag."""

    def report(self, issues: FindingsCollector, row: int) -> None:
        """Add the file-level ``hxl_tags`` note for a tag row on ``row``."""
        detail = f"row {row}"
        if self.mapped:
            detail += "; columns mapped by tag: " + ", ".join(
                f"{tag} as {name}" for tag, name in self.mapped
            )
        issues.add_file("hxl_tags", None, detail)


def is_tag_row(cells: Sequence[object]) -> bool:
    """Whether every non-blank cell is a hashtag (and at least one is)."""
    texts = [cell.strip() for cell in cells if isinstance(cell, str) and cell.strip()]
    return bool(texts) and all(text.startswith("#") for text in texts)


def _key(tag: str) -> str:
    parts = tag.strip().lower().split("+")
    return parts[0] + "".join(sorted(part.strip() for part in parts[1:]))


@cache
def _columns_by_tag() -> dict[str, str]:
    from sahel_events.export.hxl import HXL_TAGS  # the one table of tags, shared with the export

    return {_key(tag): name for name, tag in HXL_TAGS.items()}


def read_tag_row(header: Sequence[str], cells: Sequence[object]) -> TagRow | None:
    """The tag row's reading of ``header``, or None when ``cells`` is not a tag row."""
    from sahel_events.read.variants import canonical_column_name
    from sahel_events.vocabulary import COLUMN_NAMES

    if not is_tag_row(cells):
        return None
    by_tag = _columns_by_tag()
    names = [canonical_column_name(cell) for cell in header]
    present = set(names)
    mapped_header = list(header)
    mapped: list[tuple[str, str]] = []
    for position, cell in enumerate(cells):
        if position >= len(header) or not isinstance(cell, str) or not cell.strip():
            continue
        target = by_tag.get(_key(cell))
        if target is None or names[position] in COLUMN_NAMES or target in present:
            continue
        mapped_header[position] = target
        present.add(target)
        mapped.append((cell.strip(), target))
    return TagRow(mapped_header, mapped)
