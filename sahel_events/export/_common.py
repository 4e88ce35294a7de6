"""What every export shares: choosing columns, writing a file or standard output atomically."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sahel_events import vocabulary
from sahel_events.exc import UsageError

if TYPE_CHECKING:
    import pandas as pd

#: ``out`` value meaning standard output.
STDOUT = "-"


def event_columns(df: pd.DataFrame, *, with_provenance: bool) -> list[str]:
    """ACLED's 31 columns in order, then the provenance columns present if asked for.

    Raises:
        UsageError: The frame lacks some of ACLED's columns.
    """
    missing = [name for name in vocabulary.COLUMN_NAMES if name not in df.columns]
    if missing:
        raise UsageError(
            f"the frame lacks {len(missing)} of ACLED's current columns: {', '.join(missing)}"
        )
    columns = list(vocabulary.COLUMN_NAMES)
    if with_provenance:
        columns += [name for name in vocabulary.PROVENANCE_COLUMNS if name in df.columns]
    return columns


def select(df: pd.DataFrame, *, with_provenance: bool) -> pd.DataFrame:
    """The frame restricted to :func:`event_columns`, without copying the data."""
    return df.loc[:, event_columns(df, with_provenance=with_provenance)]


def is_stdout(out: object) -> bool:
    """Whether ``out`` asks for standard output (``"-"``)."""
    return isinstance(out, str) and out == STDOUT


@contextlib.contextmanager
def binary_sink(out: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file to write one export into: standard output, or ``out`` atomically.

    For a path, the bytes go to a temporary file beside it which replaces ``out``
    only when the block ends without error (see :func:`sahel_events._io.atomic_path`).
    """
    if is_stdout(out):
        stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        if stream is None:  # pragma: no cover - a text-only stdout replaced by a test harness
            raise UsageError("standard output does not accept bytes here; give --out a path")
        yield stream
        stream.flush()
        return
    from sahel_events._io import atomic_path

    with atomic_path(Path(out)) as temporary, open(temporary, "wb") as handle:
        yield handle


def date_text(series: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` text (missing stays missing), vectorised."""
    return series.dt.strftime("%Y-%m-%d")
