"""What every command shares: turning errors into a message and an exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sahel_events.exc import SahelEventsError, UsageError

if TYPE_CHECKING:
    import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

DEBUG_ENV = "SAHEL_EVENTS_DEBUG"


def report_errors(function: F) -> F:
    """Run a command body; print our errors as one line on stderr and exit with their code.

    Unexpected exceptions are bugs: they are reported as such, with exit code 2,
    and their traceback is shown only when ``SAHEL_EVENTS_DEBUG=1``.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except SahelEventsError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader of our output (``| head``) has gone: end quietly, as cat does.
            _silence_stdout()
            sys.exit(0)
        except MemoryError:
            click.echo(
                "error: out of memory; validate reads in chunks: try a smaller --chunk-rows"
                " (default 500,000)",
                err=True,
            )
            sys.exit(2)
        except Exception as error:
            if os.environ.get(DEBUG_ENV) == "1":
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error} "
                f"(a bug in sahel_events; set {DEBUG_ENV}=1 for the traceback)",
                err=True,
            )
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def events_from_file_or_dataset(file: str | None, dataset: str | None) -> tuple[pd.DataFrame, Path]:
    """The events of FILE (any format ``read_events`` reads) or of a packaged ``--dataset``.

    Returns the events and the path to name in messages and default output names.
    Exactly one of the two must be given.
    """
    if (file is None) == (dataset is None):
        raise UsageError("give either FILE or --dataset NAME")
    if dataset is not None:
        from sahel_events.datasets import dataset_path, load

        return load(dataset), Path.cwd() / dataset_path(dataset).name
    from sahel_events.read import read_events

    assert file is not None  # exactly one of the two, checked above
    return read_events(file), Path(file)
