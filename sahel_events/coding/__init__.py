"""Coding events from sources, ACLED-style, with evidence.

The pieces a coder and the build use:

* :mod:`~sahel_events.coding.sources`: source texts and their metadata
  (:func:`load_source`, :func:`list_sources`);
* :mod:`~sahel_events.coding.sheet`: coding sheets, one YAML file per source
  (:func:`load_sheet`, :func:`sheet_json_schema`);
* :mod:`~sahel_events.coding.actors`: the actor registry, ACLED names with
  English, French and Arabic aliases (:func:`load_registry`, :func:`inter_label`);
* :mod:`~sahel_events.coding.dates`: the source's own words for a date,
  resolved by ACLED's time-precision rules (:func:`resolve_date`);
* :mod:`~sahel_events.coding.evidence`: verbatim quotes located in the source
  text (:func:`find_quote`, :func:`match_evidence`);
* :mod:`~sahel_events.coding.suggest`: a draft coding of a new source, every
  value tied to its words (:func:`suggest`);
* :mod:`~sahel_events.coding.review`: an offline HTML page to check a sheet
  against its source (:func:`review_page`, :func:`write_review`).

Names are imported on first use, so importing this package stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sahel_events.coding.actors import (
        Actor,
        ActorRegistry,
        UnknownActorError,
        inter_label,
        load_registry,
    )
    from sahel_events.coding.dates import DateExpressionError, ResolvedDate, resolve_date
    from sahel_events.coding.evidence import find_quote, fold, match_evidence
    from sahel_events.coding.review import review_page, write_review
    from sahel_events.coding.sheet import (
        CodedEvent,
        CodingSheet,
        DateSpec,
        LocationSpec,
        SheetValidationError,
        load_sheet,
        sheet_json_schema,
    )
    from sahel_events.coding.sources import Source, add_source, list_sources, load_source
    from sahel_events.coding.suggest import Draft, suggest

_LAZY = {
    "Actor": "sahel_events.coding.actors",
    "ActorRegistry": "sahel_events.coding.actors",
    "UnknownActorError": "sahel_events.exc",
    "inter_label": "sahel_events.coding.actors",
    "load_registry": "sahel_events.coding.actors",
    "DateExpressionError": "sahel_events.exc",
    "ResolvedDate": "sahel_events.coding.dates",
    "resolve_date": "sahel_events.coding.dates",
    "find_quote": "sahel_events.coding.evidence",
    "fold": "sahel_events.coding.evidence",
    "match_evidence": "sahel_events.coding.evidence",
    "CodedEvent": "sahel_events.coding.sheet",
    "CodingSheet": "sahel_events.coding.sheet",
    "DateSpec": "sahel_events.coding.sheet",
    "LocationSpec": "sahel_events.coding.sheet",
    "SheetValidationError": "sahel_events.exc",
    "sheet_json_schema": "sahel_events.coding.sheet",
    "load_sheet": "sahel_events.coding.sheet",
    "Source": "sahel_events.coding.sources",
    "add_source": "sahel_events.coding.sources",
    "Draft": "sahel_events.coding.suggest",
    "suggest": "sahel_events.coding.suggest",
    "review_page": "sahel_events.coding.review",
    "write_review": "sahel_events.coding.review",
    "list_sources": "sahel_events.coding.sources",
    "load_source": "sahel_events.coding.sources",
}

__all__ = [
    "Actor",
    "ActorRegistry",
    "CodedEvent",
    "CodingSheet",
    "DateExpressionError",
    "DateSpec",
    "Draft",
    "LocationSpec",
    "ResolvedDate",
    "SheetValidationError",
    "Source",
    "UnknownActorError",
    "add_source",
    "find_quote",
    "fold",
    "inter_label",
    "list_sources",
    "load_registry",
    "load_sheet",
    "load_source",
    "match_evidence",
    "resolve_date",
    "review_page",
    "sheet_json_schema",
    "suggest",
    "write_review",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sahel_events.coding' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
