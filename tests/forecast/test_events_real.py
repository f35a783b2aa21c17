"""Event features from a real panel (UCDP, EPR, PTS, V-Dem) and the challenger model end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from atrocity_watch.forecast import (
    ModellingData,
    get_model,
    load_modelling_data_from_warehouse,
    make_forecast,
    with_event_features,
)
from atrocity_watch.forecast._run import check_event_coverage

pytestmark = pytest.mark.shared_data

FILES = (
    "ewp/sra2025/prepared2024predictors-2025-09-03.csv",
    "ucdp/organizedviolencecy_v25_1.csv",
    "epr/EPR-2021.csv",
    "pts/PTS-2024.csv",
    "vdem/vdemlite_v14_atrocity_subset_1970_2023.csv",
)


@pytest.fixture(scope="module")
def event_data(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> ModellingData:
    """EWP's data with event features, from a warehouse with the real sources and panels."""
    from atrocity_watch.panels import build_panels
    from atrocity_watch.warehouse import Warehouse

    warehouse = Warehouse(home=tmp_path_factory.mktemp("events_home"))
    for name in FILES:
        warehouse.import_path(shared_data / name)
    build_panels(warehouse)
    return with_event_features(load_modelling_data_from_warehouse(warehouse), warehouse)


def test_event_features_match_the_sources(event_data: ModellingData) -> None:
    frame = event_data.frame.set_index(["iso3", "year"])
    # UCDP 25.1: government forces killed 1,776 civilians in Myanmar in 2017
    assert frame.loc[("MMR", 2017), "osv_government_log"] == pytest.approx(np.log1p(1776))
    assert (
        frame.loc[("MMR", 2017), "osv_government_3y_log"]
        > frame.loc[("MMR", 2017), "osv_government_log"]
    )
    # before UCDP's coverage the features are missing, not zero
    assert np.isnan(frame.loc[("MMR", 1985), "osv_government_log"])
    # Rwanda 1994: a neighbour of the DRC with an ongoing mass killing in 1994
    assert frame.loc[("COD", 1994), "neighbour_mk_ongoing"] >= 1
    # the base year 2024 is covered for nearly every country
    latest = event_data.frame[event_data.frame["year"] == 2024]
    assert latest["osv_government_log"].notna().mean() > 0.95
    assert latest["epr_excluded_share"].notna().mean() > 0.8  # EPR 2021 carried to 2024
    check_event_coverage(get_model("lightgbm-spillover"), event_data, 2024)


def test_challenger_forecast_is_explained_exactly(event_data: ModellingData) -> None:
    spec = get_model("lightgbm-spillover")
    assert "ucdp_organized_violence_cy" in spec.sources
    result = make_forecast(spec, event_data, 2024, refits=0)
    forecasts = result.forecasts.set_index("iso3")
    assert len(forecasts) == 168
    log_odds = np.log(forecasts["probability"] / (1 - forecasts["probability"]))
    drivers = result.drivers.groupby("iso3")["contribution"].sum().reindex(log_odds.index)
    baseline = (log_odds - drivers).to_numpy()
    assert np.allclose(baseline, baseline[0], atol=1e-8)  # one bias, exact tree SHAP terms
    event_rows = result.drivers[result.drivers["feature"] == "neighbour_mk_ongoing"]
    assert (event_rows["risk_factor"] == 8).all()
