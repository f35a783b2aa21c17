"""The forecast layer's exception family.

Every error says what is wrong and what to do about it. None of them writes, logs or prints:
raising one never has a side effect.
"""

from __future__ import annotations

from atrocity_watch.errors import AtrocityWatchError


class ForecastError(AtrocityWatchError):
    """Base class of the forecast layer's errors."""


class LeakageError(ForecastError):
    """A training window or forecast origin would let the model see outcomes it must not know."""


class ForecastDataError(ForecastError):
    """The modelling data is missing, incomplete or malformed; nothing was fitted or written."""


class UnknownModelError(ForecastError):
    """A model name that is not in the registry."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(
            f"There is no forecast model named {name!r}. Known models: {', '.join(known)}."
        )


class UnknownMetricError(ForecastError):
    """A metric name that is not in the registry."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"There is no metric named {name!r}. Known metrics: {', '.join(known)}.")


class InvalidParameterError(ForecastError):
    """A model, metric or backtest parameter has a value that cannot be used."""


class NotFittedError(ForecastError):
    """A model was asked for forecasts or explanations before it was fitted."""
