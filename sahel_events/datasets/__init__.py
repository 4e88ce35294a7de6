"""Datasets built by this project and shipped with the package.

>>> import sahel_events
>>> events = sahel_events.load()                     # doctest: +SKIP
>>> events.loc[~events["background"], ["event_date", "event_type", "location"]]  # doctest: +SKIP

Each dataset is a folder beside this module that holds everything it is made of::

    datasets/france_mali_2025/
        france_mali_2025.parquet   the events, as load() returns them
        sources/                   the source texts, <id>.txt with <id>.yaml metadata
        sheets/                    the coding sheets, <source_id>.yaml
        ATTRIBUTION.md             who wrote what, under which licence

``sahel-events build --package`` rebuilds the Parquet file from that folder's
sources and sheets; a test rebuilds it and fails when the shipped file no longer
matches its coding sheets.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sahel_events.exc import UnreadableFileError, UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATASETS",
    "DEFAULT_DATASET",
    "dataset_folder",
    "dataset_path",
    "load",
    "sheets_dir",
    "sources_dir",
]

#: Dataset name -> what it holds.
DATASETS: dict[str, str] = {
    "france_mali_2025": (
        "The France-Mali crisis of August-September 2025, coded from an AFP story of "
        "19 September 2025 (Arabic), with the background events the story recounts."
    ),
}
DEFAULT_DATASET = "france_mali_2025"


def dataset_folder(name: str = DEFAULT_DATASET) -> Path:
    """The folder of a shipped dataset: its Parquet file, sources, sheets and attribution.

    Args:
        name: A key of :data:`DATASETS`.

    Raises:
        UsageError: The name is not a shipped dataset.
    """
    if name not in DATASETS:
        known = ", ".join(sorted(DATASETS))
        raise UsageError(f"no dataset named {name!r}; the package ships: {known}")
    return Path(str(resources.files(__name__).joinpath(name)))


def dataset_path(name: str = DEFAULT_DATASET) -> Path:
    """The path of a shipped dataset's Parquet file, ``<name>/<name>.parquet``.

    Args:
        name: A key of :data:`DATASETS`.

    Raises:
        UsageError: The name is not a shipped dataset.
    """
    return dataset_folder(name) / f"{name}.parquet"


def sources_dir(name: str = DEFAULT_DATASET) -> Path:
    """The folder of a shipped dataset's source texts (``<id>.txt`` and ``<id>.yaml``); see :func:`dataset_folder`."""
    return dataset_folder(name) / "sources"


def sheets_dir(name: str = DEFAULT_DATASET) -> Path:
    """The folder of a shipped dataset's coding sheets (``<source_id>.yaml``); see :func:`dataset_folder`."""
    return dataset_folder(name) / "sheets"


def load(name: str = DEFAULT_DATASET) -> pd.DataFrame:
    """Load a shipped dataset as a validated DataFrame in the canonical dtypes.

    The columns are ACLED's 31 (strings ``str``, vocabularies ``category``,
    integers ``Int64``, ``event_date`` ``datetime64[ns]``) followed by the
    provenance columns ``source_id``, ``evidence``, ``evidence_offsets`` and
    ``background``. Filter ``~df["background"]`` to drop the past events a
    source recounts as context.

    Args:
        name: A key of :data:`DATASETS`; default ``"france_mali_2025"``.

    Returns:
        The events, one row each, validated against
        :class:`sahel_events.schema.CodedEventSchema`.

    Raises:
        UsageError: The name is not a shipped dataset.
        UnreadableFileError: The shipped file is missing or damaged.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sahel_events.schema import CodedEventSchema
    from sahel_events.schema.arrow import to_dataframe

    path = dataset_path(name)
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise UnreadableFileError(
            f"cannot read the shipped dataset ({error}); reinstall sahel_events or run "
            "`sahel-events build --package`",
            path=path,
        ) from None
    frame = to_dataframe(table)
    return CodedEventSchema.validate(frame)
