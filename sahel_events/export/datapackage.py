"""Frictionless Data Package: the events as CSV with ``datapackage.json`` beside them.

The descriptor holds the Table Schema of :func:`sahel_events.schema.export.table_schema`
(types, required fields, vocabularies, ranges, id pattern), the provenance fields
when they are written, the data file's SHA-256 and size (so a changed file no
longer validates), a licence, and the sources to credit. The ``frictionless``
tool validates the folder: ``frictionless validate datapackage.json``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sahel_events.exc import UnreadableFileError, UsageError
from sahel_events.export._common import event_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DATA_FILE",
    "DESCRIPTOR",
    "GAZETTEER_SOURCES",
    "LICENSES",
    "read_datapackage",
    "to_datapackage",
]

#: File names inside the package folder.
DESCRIPTOR = "datapackage.json"
DATA_FILE = "events.csv"

#: Licences the descriptor can name: SPDX id -> (title, URL).
LICENSES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": (
        "Open Data Commons Attribution License 1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}

#: Sources to credit when coordinates, countries and admin1 came from the embedded gazetteer.
GAZETTEER_SOURCES: tuple[dict[str, str], ...] = (
    {
        "title": "GeoNames (places and coordinates), CC BY 4.0",
        "path": "https://www.geonames.org/",
    },
    {
        "title": "Natural Earth (country polygons), public domain",
        "path": "https://www.naturalearthdata.com/",
    },
)

_PROVENANCE_FIELDS: dict[str, dict[str, Any]] = {
    "source_id": {"type": "string", "constraints": {"required": True}},
    "evidence": {"type": "string"},
    "evidence_offsets": {"type": "string"},
    "background": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
}
_NAME = re.compile(r"^[a-z0-9._-]+$")


def _schema(columns: list[str]) -> dict[str, Any]:
    from sahel_events.schema.arrow import PROVENANCE_DESCRIPTIONS
    from sahel_events.schema.export import table_schema

    schema = copy.deepcopy(table_schema())
    schema.pop("$schema", None)
    for name in columns[len(schema["fields"]) :]:
        field = {"name": name, **copy.deepcopy(_PROVENANCE_FIELDS[name])}
        field["description"] = PROVENANCE_DESCRIPTIONS[name]
        schema["fields"].append(field)
    schema["primaryKey"] = ["event_id_cnty"]
    return schema


def to_datapackage(
    df: pd.DataFrame,
    folder: str | os.PathLike[str],
    *,
    name: str = "sahel-events",
    title: str | None = None,
    license: str | None = None,
    with_provenance: bool = True,
    gazetteer: bool | None = None,
    contributors: list[dict[str, str]] | None = None,
    description: str | None = None,
) -> Path:
    """Write events as a Frictionless Data Package: ``folder/events.csv`` and ``folder/datapackage.json``.

    Both files are written atomically, the data first, so the descriptor never
    names a half-written file; its recorded hash makes a stale pairing fail validation.

    Args:
        df: Events with ACLED's 31 current columns.
        folder: The package folder (created if needed).
        name: The package name: lower-case letters, digits, ``.``, ``_``, ``-``.
        title: A human title.
        license: An SPDX id from :data:`LICENSES`; the licence is the data owner's
            choice, so none is written unless given (the CLI gives ``CC-BY-4.0``
            for the project's own dataset).
        with_provenance: Write the provenance columns when present.
        gazetteer: Credit GeoNames and Natural Earth; by default when the frame has
            provenance columns (events built by ``sahel-events build`` are geocoded
            with the embedded gazetteer).
        contributors: Frictionless contributors, e.g. ``[{"title": "...", "role": "author"}]``.
        description: A description of the data.

    Returns:
        The path of ``datapackage.json``.

    Raises:
        UsageError: Bad name or licence, or a frame without ACLED's columns.
        OutputError: A file cannot be written.
    """
    from sahel_events._io import atomic_path
    from sahel_events.write import write_csv

    if not _NAME.match(name):
        raise UsageError(
            f"package name {name!r}: use lower-case letters, digits, '.', '_' and '-' only"
        )
    if license is not None and license not in LICENSES:
        raise UsageError(f"unknown licence {license!r}; one of: {', '.join(sorted(LICENSES))}")
    columns = event_columns(df, with_provenance=with_provenance)
    root = Path(folder)
    data_path = write_csv(df.loc[:, columns], root / DATA_FILE)
    content = data_path.read_bytes()

    resource: dict[str, Any] = {
        "name": "events",
        "path": DATA_FILE,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
        "bytes": len(content),
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
        "schema": _schema(columns),
    }
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
    }
    if title:
        descriptor["title"] = title
    if description:
        descriptor["description"] = description
    if license is not None:
        license_title, path = LICENSES[license]
        descriptor["licenses"] = [{"name": license, "title": license_title, "path": path}]
    if gazetteer is None:
        gazetteer = "source_id" in df.columns
    if gazetteer:
        descriptor["sources"] = [dict(source) for source in GAZETTEER_SOURCES]
    if contributors:
        descriptor["contributors"] = [dict(person) for person in contributors]
    descriptor["resources"] = [resource]

    target = root / DESCRIPTOR
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return target


def read_datapackage(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read the events of a package written by :func:`to_datapackage`.

    ``path`` is the package folder or its ``datapackage.json``. The data file is
    read with :func:`sahel_events.read_events`, so dtypes are the canonical ones.

    Raises:
        UnreadableFileError: No descriptor, or it names no events resource.
    """
    import pandas as pd

    from sahel_events.read import read_events

    descriptor_path = Path(path)
    if descriptor_path.is_dir():
        descriptor_path = descriptor_path / DESCRIPTOR
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resource = next(item for item in descriptor["resources"] if item.get("name") == "events")
        relative = resource["path"]
    except (OSError, ValueError, KeyError, TypeError, StopIteration) as error:
        raise UnreadableFileError(
            f"not a sahel_events data package ({type(error).__name__}: {error})",
            path=descriptor_path,
        ) from None
    if (
        not isinstance(relative, str)
        or Path(relative).is_absolute()
        or ".." in Path(relative).parts
    ):
        # A descriptor is data: it must not point outside its own folder.
        raise UnreadableFileError(
            f"the events resource path {relative!r} leaves the package folder",
            path=descriptor_path,
        )
    events = read_events(descriptor_path.parent / relative)
    # read_events knows ACLED's columns; the descriptor types the others.
    for field in (resource.get("schema") or {}).get("fields", []):
        name = field.get("name")
        if field.get("type") == "boolean" and name in events.columns:
            true_values = field.get("trueValues", ["true", "True", "TRUE", "1"])
            false_values = field.get("falseValues", ["false", "False", "FALSE", "0"])
            if pd.api.types.is_bool_dtype(events[name].dtype):
                flags = events[name]  # read_events already read the project's own flag
            else:
                text = events[name].astype("str")
                flags = text.isin(true_values).where(text.isin([*true_values, *false_values]))
            events[name] = flags.astype("boolean" if flags.isna().any() else "bool")
    return events
