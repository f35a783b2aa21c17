"""Time partitions that make leakage impossible by construction.

A forecast from data year *B* (its :class:`ForecastOrigin`) covers the window B+1..B+2 and may be
made as soon as year B's data exist. The model behind it may only learn from rows whose outcome
is already known then: a training row of data year *t* has the outcome window t+1..t+2, so *t*
must be at most B-2. :class:`TrainWindow` states the last data year a model learns from, and a
:class:`Partition` pairs the two and refuses, when it is built, any pair that would let a
training outcome reach past the forecast's base year. Every fit in this package goes through a
Partition, so no code path can train on the future.

>>> Partition(TrainWindow(last_data_year=2022), ForecastOrigin(base_year=2024)).train.rows
<bound method TrainWindow.rows of TrainWindow(last_data_year=2022, first_data_year=None, horizon=2)>
>>> Partition(TrainWindow(last_data_year=2023), ForecastOrigin(base_year=2024))
Traceback (most recent call last):
LeakageError: Training rows up to data year 2023 have outcomes up to 2025, after the ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from atrocity_watch.forecast._errors import InvalidParameterError, LeakageError
from atrocity_watch.forecast._predictors import HORIZON, ONSET, TARGET

OUTCOME_COLUMNS: tuple[str, ...] = (ONSET, "mk_onset_1", "mk_onset_2", TARGET)
"""EWP drops training rows where any outcome is missing (``complete.cases`` in its script)."""

_FIRST_YEAR, _LAST_YEAR = 1900, 2200


def _check_year(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameterError(f"The {name!r} must be a whole year. Got {value!r} instead.")
    if not _FIRST_YEAR <= value <= _LAST_YEAR:
        raise InvalidParameterError(
            f"The {name!r} must be a year in [{_FIRST_YEAR}, {_LAST_YEAR}]. Got {value} instead."
        )


@dataclass(frozen=True)
class ForecastOrigin:
    """The data year a forecast is made from, and the window it covers."""

    base_year: int
    horizon: int = HORIZON

    def __post_init__(self) -> None:
        _check_year("base_year", self.base_year)
        if self.horizon != HORIZON:
            raise InvalidParameterError(
                f"The 'horizon' of a forecast must be {HORIZON} years (EWP's window). "
                f"Got {self.horizon} instead."
            )

    @property
    def window_start(self) -> int:
        """First year of the forecast window."""
        return self.base_year + 1

    @property
    def window_end(self) -> int:
        """Last year of the forecast window."""
        return self.base_year + self.horizon

    def rows(self, frame: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
        """The countries forecast from this origin: data year B with every feature present."""
        rows = frame[frame["year"] == self.base_year]
        return rows.dropna(subset=list(features))


@dataclass(frozen=True)
class TrainWindow:
    """The data years a model learns from: ``first_data_year`` (or the start) to the last."""

    last_data_year: int
    first_data_year: int | None = None
    horizon: int = HORIZON

    def __post_init__(self) -> None:
        _check_year("last_data_year", self.last_data_year)
        if self.first_data_year is not None:
            _check_year("first_data_year", self.first_data_year)
            if self.first_data_year > self.last_data_year:
                raise InvalidParameterError(
                    f"A training window cannot start ({self.first_data_year}) after it ends "
                    f"({self.last_data_year})."
                )
        if self.horizon != HORIZON:
            raise InvalidParameterError(
                f"The 'horizon' of a training window must be {HORIZON} years. "
                f"Got {self.horizon} instead."
            )

    @property
    def last_outcome_year(self) -> int:
        """The last year whose events the training outcomes describe."""
        return self.last_data_year + self.horizon

    def rows(self, frame: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
        """Training rows: data years in the window, every feature and outcome present."""
        years = frame["year"]
        keep = years <= self.last_data_year
        if self.first_data_year is not None:
            keep &= years >= self.first_data_year
        columns = list(dict.fromkeys([*features, *OUTCOME_COLUMNS]))
        return frame[keep].dropna(subset=columns)


@dataclass(frozen=True)
class Partition:
    """A training window and the forecast origin it serves; leakage is refused at construction."""

    train: TrainWindow
    origin: ForecastOrigin

    def __post_init__(self) -> None:
        if self.train.last_outcome_year > self.origin.base_year:
            raise LeakageError(
                f"Training rows up to data year {self.train.last_data_year} have outcomes up to "
                f"{self.train.last_outcome_year}, after the forecast's base year "
                f"{self.origin.base_year}: those outcomes were unknown when the forecast was "
                f"made. Train on data years up to {self.origin.base_year - self.train.horizon}."
            )

    @classmethod
    def for_base_year(cls, base_year: int, first_data_year: int | None = None) -> Partition:
        """The partition EWP uses: train on every data year up to base year - 2."""
        return cls(
            TrainWindow(last_data_year=base_year - HORIZON, first_data_year=first_data_year),
            ForecastOrigin(base_year=base_year),
        )


EWP_FIRST_TRAIN_YEAR = 1991
EWP_LAST_TRAIN_YEAR = 2021


def backtest_partitions(
    first_last_train_year: int = EWP_FIRST_TRAIN_YEAR,
    last_last_train_year: int = EWP_LAST_TRAIN_YEAR,
) -> tuple[Partition, ...]:
    """EWP's backtest: for L in the range, train on data years <= L, forecast from L + 2.

    With the defaults (1991-2021) the forecasts are made from 1993 to 2023 and together cover
    the outcome years 1994-2024, each from two forecasts (made one and two years before).
    """
    if first_last_train_year > last_last_train_year:
        raise InvalidParameterError(
            f"The backtest's first training year ({first_last_train_year}) is after its last "
            f"({last_last_train_year})."
        )
    return tuple(
        Partition.for_base_year(last + HORIZON)
        for last in range(first_last_train_year, last_last_train_year + 1)
    )
