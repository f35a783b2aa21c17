"""The elastic-net solver: optimality (KKT) at every lambda, glmnet's path rules, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from atrocity_watch.forecast import (
    ForecastDataError,
    InvalidParameterError,
    fit_elastic_net_cv,
    r_fold_ids,
)


def _data(n: int = 1500, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6))
    x[:, 3] = x[:, 2] * 0.98 + 0.02 * rng.normal(size=n)  # nearly collinear pair
    x[:, 4] = rng.integers(0, 2, n)  # a dummy
    x[:, 5] = 1000 + 50 * rng.normal(size=n)  # large scale (like year)
    eta = -3.0 + 1.2 * x[:, 0] - 0.8 * x[:, 2] + 0.7 * x[:, 4]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return x, y


def _kkt_violation(x: np.ndarray, y: np.ndarray, intercept: float, coef: np.ndarray, lam: float,
                   alpha: float) -> float:  # fmt: skip
    """Largest violation of the optimality conditions, in glmnet's standardised units."""
    n = x.shape[0]
    scale = x.std(axis=0)
    p = 1 / (1 + np.exp(-(intercept + x @ coef)))
    z = (x - x.mean(axis=0)) / scale
    beta = coef * scale
    gradient = -(z.T @ (y - p)) / n + lam * (1 - alpha) * beta
    worst = abs(float((y - p).mean()))  # intercept
    for j in range(x.shape[1]):
        if beta[j] != 0:
            worst = max(worst, abs(gradient[j] + lam * alpha * np.sign(beta[j])))
        else:
            worst = max(worst, abs(gradient[j]) - lam * alpha)
    return worst


def test_every_lambda_on_the_path_is_optimal() -> None:
    x, y = _data()
    fit = fit_elastic_net_cv(x, y, r_fold_ids(len(y)), tolerance=1e-12)
    assert fit.converged
    for k in range(0, len(fit.lambdas), 7):
        assert (
            _kkt_violation(x, y, fit.intercepts[k], fit.coefficients[k], fit.lambdas[k], 0.5) < 1e-6
        )


def test_glmnet_path_conventions() -> None:
    x, y = _data()
    fit = fit_elastic_net_cv(x, y, r_fold_ids(len(y)))
    # the first lambda is the smallest that keeps every coefficient at zero
    assert np.all(fit.coefficients[0] == 0)
    assert np.any(fit.coefficients[1] != 0)
    assert np.isclose(fit.intercepts[0], np.log(y.mean() / (1 - y.mean())))
    # geometric sequence with ratio 1e-4 ** (1/99)
    ratios = fit.lambdas[1:] / fit.lambdas[:-1]
    assert np.allclose(ratios, 1e-4 ** (1 / 99))
    # the path stops when the deviance ratio stops growing by 1e-5 (or runs to 100)
    gains = np.diff(fit.deviance_ratio)
    assert len(fit.lambdas) == 100 or gains[-1] < 1e-5
    assert np.all(gains[3:-1] >= 1e-5)
    # lambda.min is the largest lambda with the smallest CV deviance
    assert fit.cv_deviance[fit.lambda_index] == fit.cv_deviance.min()
    assert np.all(fit.cv_deviance[: fit.lambda_index] > fit.cv_deviance.min())
    assert fit.coef[0] > 0.5 and fit.coef[4] > 0.2


def test_fast_settings_give_the_same_answer_as_tight_ones() -> None:
    x, y = _data(seed=8)
    folds = r_fold_ids(len(y))
    tight = fit_elastic_net_cv(x, y, folds, tolerance=1e-13)
    default = fit_elastic_net_cv(x, y, folds)
    assert tight.lambda_index == default.lambda_index
    eta_tight = tight.intercept + x @ tight.coef
    eta_default = default.intercept + x @ default.coef
    assert np.max(np.abs(1 / (1 + np.exp(-eta_tight)) - 1 / (1 + np.exp(-eta_default)))) < 1e-5


def test_constant_predictor_is_left_out() -> None:
    x, y = _data()
    x[:, 1] = 7.0
    fit = fit_elastic_net_cv(x, y, r_fold_ids(len(y)))
    assert np.all(fit.coefficients[:, 1] == 0)
    assert np.all(np.isfinite(fit.coefficients))


def test_bad_input_is_refused_with_a_reason() -> None:
    x, y = _data(n=200)
    folds = r_fold_ids(200)
    with pytest.raises(InvalidParameterError, match="alpha"):
        fit_elastic_net_cv(x, y, folds, alpha=1.5)
    with pytest.raises(ForecastDataError, match="0 or 1"):
        fit_elastic_net_cv(x, y * 2, folds)
    bad = x.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ForecastDataError, match="missing or infinite"):
        fit_elastic_net_cv(bad, y, folds)
    with pytest.raises(ForecastDataError, match="rows"):
        fit_elastic_net_cv(x, y[:-1], folds)
    with pytest.raises(ForecastDataError, match="at least 2 onsets"):
        fit_elastic_net_cv(x, np.zeros(200), folds)
    with pytest.raises(InvalidParameterError, match="n_lambda"):
        fit_elastic_net_cv(x, y, folds, n_lambda=2)
