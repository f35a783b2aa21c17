"""Estimator contract and exact explanations for every model kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from atrocity_watch.forecast import (
    BoostedTrees,
    ElasticNetLogit,
    ForecastDataError,
    InvalidParameterError,
    LogOddsEnsemble,
    NotFittedError,
    explain,
)
from atrocity_watch.forecast._calibration import apply_recalibration


@pytest.fixture(scope="module")
def training() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(5)
    x = pd.DataFrame(rng.normal(size=(1200, 3)), columns=["battledeaths.log2", "mk_ever", "year"])
    x.loc[rng.random(1200) < 0.1, "mk_ever"] = np.nan
    eta = -3 + 1.1 * x["battledeaths.log2"].to_numpy() + 0.6 * np.nan_to_num(x["mk_ever"])
    y = (rng.random(1200) < 1 / (1 + np.exp(-eta))).astype(float)
    return x, y


def _models() -> list[object]:
    return [
        ElasticNetLogit(fill_missing=0.0),
        BoostedTrees(n_estimators=60),
        LogOddsEnsemble(members=(ElasticNetLogit(fill_missing=0.0), BoostedTrees(n_estimators=60))),
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda m: type(m).__name__)
def test_contract_and_exact_contributions(
    model: object, training: tuple[pd.DataFrame, np.ndarray]
) -> None:
    x, y = training
    unfitted = clone(model)
    assert repr(unfitted) == repr(model)  # only parameters, nothing learnt
    with pytest.raises(NotFittedError):
        unfitted.predict_proba(x)  # type: ignore[attr-defined]
    fitted = model.fit(x, y)  # type: ignore[attr-defined]
    assert fitted is model
    p = fitted.predict_proba(x)
    assert p.shape == (len(x), 2) and np.allclose(p.sum(axis=1), 1)
    baseline, terms = fitted.contributions(x)
    log_odds = np.log(p[:, 1] / p[:, 0])
    assert np.allclose(baseline + terms.sum(axis=1), log_odds, atol=1e-9)
    assert list(fitted.feature_names_in_) == list(x.columns)
    with pytest.raises(ForecastDataError, match="expects the features"):
        fitted.predict_proba(x[["year", "mk_ever", "battledeaths.log2"]])
    # the refit template refits the same kind of model without re-tuning
    again = fitted.refit_template().fit(x, y)
    assert np.allclose(again.predict_proba(x)[:, 1], p[:, 1], atol=1e-3)


def test_elastic_net_contributions_are_coef_times_distance_from_mean(
    training: tuple[pd.DataFrame, np.ndarray],
) -> None:
    x, y = training
    model = ElasticNetLogit(fill_missing=0.0).fit(x, y)
    filled = x.fillna(0.0).to_numpy()
    _, terms = model.contributions(x)
    assert np.allclose(terms, (filled - filled.mean(axis=0)) * model.coef_)
    assert model.coef_[0] > 0.7


def test_explain_splits_the_change_since_last_year_exactly(
    training: tuple[pd.DataFrame, np.ndarray],
) -> None:
    x, y = training
    model = BoostedTrees(n_estimators=60).fit(x, y)
    now = x.iloc[:5].assign(ccode=[1, 2, 3, 4, 5], iso3=["AAA", "BBB", "CCC", "DDD", "EEE"])
    before = x.iloc[5:9].assign(ccode=[1, 2, 3, 9], iso3=["AAA", "BBB", "CCC", "ZZZ"])
    params = (-0.4, 0.8)
    baselines, drivers = explain(model, list(x.columns), now, before, params)
    assert set(drivers["risk_factor"]) == {1, 2, 0}  # battle deaths, mk_ever, year
    p = apply_recalibration(model.predict_proba(now[list(x.columns)])[:, 1], params)
    assert np.allclose(1 / (1 + np.exp(-baselines["log_odds"])), p)
    change = drivers.groupby("iso3", sort=False)["change"].sum(min_count=1)
    moved = (baselines["log_odds"] - baselines["previous_log_odds"]).to_numpy()
    assert np.allclose(change.to_numpy()[:3], moved[:3])
    assert baselines["previous_log_odds"].iloc[3:].isna().all()  # no row last year


def test_bad_parameters_are_refused(training: tuple[pd.DataFrame, np.ndarray]) -> None:
    x, y = training
    with pytest.raises(InvalidParameterError, match="n_estimators"):
        BoostedTrees(n_estimators=0).fit(x, y)
    with pytest.raises(InvalidParameterError, match="weights"):
        LogOddsEnsemble(members=(BoostedTrees(),), weights=(1.0, 2.0)).fit(x, y)
    with pytest.raises(ForecastDataError, match="0 or 1"):
        ElasticNetLogit(fill_missing=0.0).fit(x, y * 3)
