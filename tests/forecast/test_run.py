"""run_forecast: the pipeline's step writes consistent tables and never silently degrades."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from atrocity_watch.forecast import ForecastDataError, by_risk_factor, run_forecast

pytestmark = pytest.mark.shared_data


@pytest.fixture
def warehouse(ewp_dir: Path) -> object:
    from atrocity_watch.warehouse import Warehouse

    store = Warehouse()
    store.import_path(ewp_dir / "prepared2024predictors-2025-09-03.csv")
    return store


def test_drivers_add_up_to_the_forecast(warehouse: object) -> None:
    result = run_forecast(warehouse, refits=0)
    assert result.model == "ewp-elasticnet" and not result.notes
    forecasts = result.forecasts.set_index("iso3")
    drivers = result.drivers
    # contribution sums reproduce every country's log-odds up to one shared baseline
    total = drivers.groupby("iso3")["contribution"].sum()
    log_odds = np.log(forecasts["probability"] / (1 - forecasts["probability"]))
    baseline = (log_odds - total.reindex(log_odds.index)).to_numpy()
    assert np.allclose(baseline, baseline[0], atol=1e-9)
    # the change since last year is split exactly too
    previous = forecasts["previous_probability"]
    moved = log_odds - np.log(previous / (1 - previous))
    change = drivers.groupby("iso3")["change"].sum(min_count=1).reindex(moved.index)
    known = previous.notna()
    assert np.allclose(change[known], moved[known], atol=1e-9)
    summary = by_risk_factor(drivers)
    assert set(summary["risk_factor"]) <= set(range(15))
    assert summary["risk_factor_name"].notna().all()


def test_headline_without_its_panel_falls_back_and_says_so(
    warehouse: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import atrocity_watch.forecast._run as run_module

    monkeypatch.setattr(run_module, "HEADLINE_MODEL", "lightgbm-spillover")
    result = run_forecast(warehouse, refits=0)
    assert result.model == "ewp-elasticnet"
    assert "lightgbm-spillover not available" in result.notes["fallback"]
    with pytest.raises(ForecastDataError, match="panels build"):
        run_forecast(warehouse, model="lightgbm-spillover", refits=0)
