"""What every command shares: turning errors into a message and an exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from sahel_events.exc import SahelEventsError

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
        except MemoryError:
            click.echo("error: out of memory; try a smaller file or --chunk-size", err=True)
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
