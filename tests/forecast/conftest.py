"""Real EWP data and one elastic-net backtest, shared by the forecast tests (session scope)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from atrocity_watch.forecast._backtest import BacktestRun, run_backtest
from atrocity_watch.forecast._data import ModellingData, load_modelling_data

EWP_2025 = Path("ewp") / "sra2025"


@pytest.fixture(scope="session")
def ewp_dir(shared_data: Path) -> Path:
    """EWP's 2025 edition files."""
    return shared_data / EWP_2025


@pytest.fixture(scope="session")
def ewp_data(ewp_dir: Path) -> ModellingData:
    """EWP's prepared 2024 dataset, read through the sources layer."""
    return load_modelling_data(ewp_dir / "prepared2024predictors-2025-09-03.csv")


@pytest.fixture(scope="session")
def ewp_foos(ewp_dir: Path) -> pd.DataFrame:
    """EWP's own FOOS backtest file with iso3."""
    from atrocity_watch.sources import read_file

    return read_file(ewp_dir / "FOOSforecasts_3Sep2025.csv", source="ewp_foos").table.to_pandas()


@pytest.fixture(scope="session")
def enet_backtest(ewp_data: ModellingData) -> BacktestRun:
    """The 31-origin elastic-net backtest, run once on two worker processes."""
    return run_backtest("ewp-elasticnet", ewp_data, n_jobs=2)
