"""The monitoring layer's exception family.

Each error says what is wrong and what to do; none has side effects (raising one never writes,
logs or prints). The CLI turns them into one line and exit code 2, the web layer into a 400.
"""

from __future__ import annotations

from collections.abc import Iterable

from atrocity_watch.errors import AtrocityWatchError


class MonitorError(AtrocityWatchError):
    """Base class of the monitoring layer's errors."""


class UnknownMonitorError(MonitorError):
    """A monitor was named that the registry does not declare."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(
            f"there is no monitor {name!r}; the monitors are: {', '.join(self.known)} "
            "(see `atrocity-watch monitor list`)"
        )


class InvalidParameterError(MonitorError):
    """A method, threshold or rule parameter has a value that cannot be used."""


class NoEventDataError(MonitorError):
    """The warehouse holds no event source the monitors can read (UCDP GED or ACLED)."""


class MissingInputError(MonitorError):
    """A table the backtest or an explanation needs has not been imported or built."""


class InvalidMonthError(MonitorError):
    """A month was given in a form that cannot be read, or outside the data."""
