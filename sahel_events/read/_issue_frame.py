"""The ``reader_issues`` frame: a DataFrame that is shared, not copied, with its events.

pandas deep-copies ``df.attrs`` into every frame or column derived from ``df``
(``df["x"]``, ``df.astype(...)``), and ``pd.concat`` compares the attrs of its
inputs with ``==``. A plain DataFrame stored in attrs makes both costly (a copy
of every issue per column access) and fragile (``DataFrame == DataFrame`` has no
truth value, so ``df.astype({...})`` raises). This subclass is read-only by
convention: a deep copy returns the same object, and ``==`` between two of them
answers whether they hold the same issues.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


class ReaderIssues(pd.DataFrame):
    """Reader issues of one read; treat as read-only (copies share the same object)."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        # Anything derived (a filter, a sort) is an ordinary DataFrame.
        return pd.DataFrame

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> ReaderIssues:
        return self

    def __eq__(self, other: object) -> Any:
        if isinstance(other, ReaderIssues):
            return other is self or pd.DataFrame(self).equals(pd.DataFrame(other))
        return super().__eq__(other)

    def __ne__(self, other: object) -> Any:
        if isinstance(other, ReaderIssues):
            return not self.__eq__(other)
        return super().__ne__(other)

    __hash__ = None
