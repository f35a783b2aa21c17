"""Time partitions: leakage is refused when a partition is built, and rows respect the window."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from atrocity_watch.forecast import InvalidParameterError, LeakageError
from atrocity_watch.forecast._partition import (
    ForecastOrigin,
    Partition,
    TrainWindow,
    backtest_partitions,
)


def test_training_outcomes_may_not_reach_past_the_base_year() -> None:
    Partition(TrainWindow(2022), ForecastOrigin(2024))
    Partition(TrainWindow(2010), ForecastOrigin(2024))
    with pytest.raises(LeakageError, match=r"outcomes up to 2025, after the forecast's base year"):
        Partition(TrainWindow(2023), ForecastOrigin(2024))
    with pytest.raises(LeakageError, match="Train on data years up to 2022"):
        Partition(TrainWindow(2024), ForecastOrigin(2024))


def test_windows_and_origins_validate_themselves() -> None:
    with pytest.raises(InvalidParameterError, match="after it ends"):
        TrainWindow(last_data_year=1990, first_data_year=2000)
    with pytest.raises(InvalidParameterError, match="whole year"):
        ForecastOrigin(base_year=2024.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="horizon"):
        ForecastOrigin(base_year=2024, horizon=1)
    with pytest.raises(InvalidParameterError, match=r"year in \[1900, 2200\]"):
        TrainWindow(last_data_year=24)
    origin = ForecastOrigin(2024)
    assert (origin.window_start, origin.window_end) == (2025, 2026)
    with pytest.raises(AttributeError):
        origin.base_year = 2025  # type: ignore[misc]


def test_ewp_backtest_has_31_origins_covering_1994_to_2024() -> None:
    partitions = backtest_partitions()
    assert len(partitions) == 31
    assert [p.origin.base_year for p in partitions] == list(range(1993, 2024))
    assert all(p.train.last_data_year == p.origin.base_year - 2 for p in partitions)
    covered = {y for p in partitions for y in (p.origin.window_start, p.origin.window_end)}
    assert min(covered) == 1994 and max(covered) == 2025
    with pytest.raises(InvalidParameterError):
        backtest_partitions(2000, 1999)


def test_rows_come_only_from_the_window_and_are_complete() -> None:
    years = np.repeat(np.arange(1990, 2000), 3)
    frame = pd.DataFrame(
        {
            "iso3": np.tile(["AAA", "BBB", "CCC"], 10),
            "year": years,
            "x": np.where(years == 1995, np.nan, 1.0),
            "mk_onset": 0.0,
            "mk_onset_1": 0.0,
            "mk_onset_2": 0.0,
            "mk_onset_1or2": 0.0,
        }
    )
    partition = Partition.for_base_year(1999, first_data_year=1992)
    train = partition.train.rows(frame, ["x"])
    assert train["year"].min() == 1992 and train["year"].max() == 1997
    assert 1995 not in set(train["year"])  # incomplete rows are dropped, as EWP does
    assert set(partition.origin.rows(frame, ["x"])["year"]) == {1999}
