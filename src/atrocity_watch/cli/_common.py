"""What every CLI command shares: JSON output, one-line errors, exit codes.

The CLI is a thin layer over the library (see docs/architecture.md): commands parse arguments,
call the library, and print. Library errors (:class:`AtrocityWatchError`) become one line on
stderr and exit code 2; nothing is swallowed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import typer

from atrocity_watch.errors import AtrocityWatchError

EXIT_BAD_INPUT = 2

JSON_OPTION_HELP = "Print machine-readable JSON instead of a table (for scripts)."


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(data, default=_default, ensure_ascii=False, indent=2) + "\n")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print one line on stderr and exit."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into one line on stderr and exit code 2."""
    try:
        yield
    except AtrocityWatchError as exc:
        fail(str(exc))


def command_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator form of :func:`user_errors` for Typer commands."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper
