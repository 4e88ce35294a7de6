"""Progress bars and quiet output for long commands, shared by the command line.

A bar is drawn with rich on standard error, and only when standard error is a
terminal and the user did not ask for ``--quiet``: piped or redirected output,
CI logs and test runners see nothing. Library functions never draw bars; they
take a ``progress`` callback (see :func:`sahel_events.validate`) that a command
connects to :func:`progress_bar`.

>>> from sahel_events.cli._progress import progress_bar
>>> with progress_bar("validating", total=None, quiet=False) as advance:   # doctest: +SKIP
...     for chunk in chunks:
...         advance(len(chunk))
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

import click

__all__ = ["info", "progress_bar", "shows_progress"]


def shows_progress(quiet: bool) -> bool:
    """Whether a progress bar would be drawn: not quiet, and standard error is a terminal."""
    if quiet:
        return False
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


@contextlib.contextmanager
def progress_bar(
    description: str, *, total: int | None = None, quiet: bool = False, unit: str = "rows"
) -> Iterator[Callable[[int], None]]:
    """A context yielding ``advance(n)``, which moves a bar on standard error by ``n``.

    Args:
        description: What is being done, shown left of the bar.
        total: The amount of work when known (rows, files); None draws a
            counter without a bar.
        quiet: Never draw.
        unit: What ``n`` counts, shown after the count.

    The bar is transient: it disappears when the block ends, leaving the
    terminal to the command's own output. When no bar is drawn, ``advance``
    does nothing.
    """
    if not shows_progress(quiet):
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
        if total is not None
        else [SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,}")]
    )
    columns += [TextColumn(unit), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


def _ignore(_n: int) -> None:
    return None


def info(message: str, *, quiet: bool = False) -> None:
    """An informational line on standard error (never mixed with data on stdout), unless quiet."""
    if not quiet:
        click.echo(message, err=True)
