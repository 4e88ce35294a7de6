"""sahel_events: ACLED-style event data for the Sahel.

>>> import sahel_events
>>> report = sahel_events.validate("contributed.csv")     # doctest: +SKIP
>>> sahel_events.geocode("باماكو")                         # doctest: +SKIP
>>> df = sahel_events.load()                               # doctest: +SKIP

Heavy modules (pandas, pandera, shapely) are imported on first use, so that
``import sahel_events`` and the command line start fast.
"""

from __future__ import annotations

import sys
import warnings
from importlib import import_module
from typing import TYPE_CHECKING, Any

from sahel_events._version import __version__

# pandera imports pyspark.pandas whenever pyspark is installed (the [spark] extra), and
# on each import of a pandera module; pyspark then warns about the pandas version at
# every start of every command, although nothing here uses pyspark.pandas.
warnings.filterwarnings("ignore", "PySpark does not yet fully support", FutureWarning)

if TYPE_CHECKING:
    from sahel_events.coding.build import build
    from sahel_events.datasets import load
    from sahel_events.geo import Gazetteer, geocode
    from sahel_events.read import iter_events, read_events
    from sahel_events.schema import CodedEventSchema, EventSchema
    from sahel_events.transform import aggregate, diff, to_dyadic, to_monadic, update
    from sahel_events.validation import validate
    from sahel_events.validation.report import ValidationReport
    from sahel_events.write import write_dataset, write_events

__all__ = [
    "CodedEventSchema",
    "EventSchema",
    "Gazetteer",
    "ValidationReport",
    "__version__",
    "aggregate",
    "build",
    "diff",
    "geocode",
    "iter_events",
    "load",
    "read_events",
    "to_dyadic",
    "to_monadic",
    "update",
    "validate",
    "write_dataset",
    "write_events",
]

_LAZY = {
    "EventSchema": "sahel_events.schema",
    "CodedEventSchema": "sahel_events.schema",
    "read_events": "sahel_events.read",
    "iter_events": "sahel_events.read",
    "validate": "sahel_events.validation",
    "ValidationReport": "sahel_events.validation.report",
    "Gazetteer": "sahel_events.geo",
    "geocode": "sahel_events.geo",
    "load": "sahel_events.datasets",
    "write_events": "sahel_events.write",
    "write_dataset": "sahel_events.write",
    "build": "sahel_events.coding.build",
    "to_monadic": "sahel_events.transform",
    "to_dyadic": "sahel_events.transform",
    "aggregate": "sahel_events.transform",
    "update": "sahel_events.transform",
    "diff": "sahel_events.transform",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sahel_events' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    if name not in _WITHOUT_PANDAS:
        _register_accessor()
    return value


# The geocoder does not need pandas; everything else hands out DataFrames.
_WITHOUT_PANDAS = frozenset({"Gazetteer", "geocode"})


def _register_accessor() -> None:
    # A pandas accessor exists once its module is imported. df.events should work
    # after `import sahel_events` without that import loading pandas: register now
    # if pandas is loaded already, else when a DataFrame API is first used.
    if "sahel_events.accessor" not in sys.modules:
        import_module("sahel_events.accessor")


if "pandas" in sys.modules:
    _register_accessor()


def __dir__() -> list[str]:
    return sorted(__all__)
