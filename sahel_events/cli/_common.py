"""What every command shares: turning errors into a message and an exit code."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sahel_events.exc import SahelEventsError, UsageError, bounded_message

if TYPE_CHECKING:
    import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])

DEBUG_ENV = "SAHEL_EVENTS_DEBUG"


#: Exit code of a command whose reader closed the pipe (128 + SIGPIPE), as a shell reports it.
EXIT_BROKEN_PIPE = 141

# numpy's floating-point warnings ("invalid value encountered in ...") say nothing
# a user can act on: the values concerned are reported by the checks themselves.
_NUMPY_FLOAT_WARNINGS = r"(invalid value|overflow|divide by zero|underflow) encountered"


def _broken_pipe() -> None:
    """End quietly after the reader of stdout went away (``export ... | head``).

    Standard output is pointed at /dev/null so that the interpreter's final flush
    does not fail again and print "Exception ignored ... BrokenPipeError".
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    sys.exit(EXIT_BROKEN_PIPE)


def report_errors(function: F) -> F:
    """Run a command body; print our errors as one line on stderr and exit with their code.

    Unexpected exceptions are bugs: they are reported as such, with exit code 2,
    and their traceback is shown only when ``SAHEL_EVENTS_DEBUG=1``. A closed
    standard output (the reader of a pipe stopped) ends the command quietly with
    exit code 141. numpy's floating-point RuntimeWarnings are never printed.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings(
                    "ignore", message=_NUMPY_FLOAT_WARNINGS, category=RuntimeWarning
                )
                return function(*args, **kwargs)
        except BrokenPipeError:
            _broken_pipe()
        except SahelEventsError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
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
                f"internal error: {type(error).__name__}: {bounded_message(str(error))} "
                f"(a bug in sahel_events; set {DEBUG_ENV}=1 for the traceback)",
                err=True,
            )
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


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
