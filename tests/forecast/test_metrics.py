"""Metric functions against hand-computed cases; the registry refuses unknown names."""

from __future__ import annotations

import math

import numpy as np
import pytest

from atrocity_watch.forecast import UnknownMetricError
from atrocity_watch.forecast._metrics import (
    METRICS,
    brier,
    brier_skill,
    calibration_intercept,
    calibration_slope,
    get_metric,
    log_loss,
    recall_at,
    reliability_table,
    roc_auc,
)


def test_auc_by_hand_with_ties() -> None:
    y = np.array([0, 0, 0, 1, 1.0])
    score = np.array([0.1, 0.3, 0.5, 0.3, 0.9])
    # positive 0.3 beats 0.1, ties 0.3 (1/2), loses to 0.5; positive 0.9 beats all three
    assert roc_auc(y, score) == pytest.approx((1 + 0.5 + 0 + 3) / 6)
    assert math.isnan(roc_auc(np.zeros(3), np.ones(3)))


def test_recall_counts_missing_ranks_as_misses() -> None:
    assert recall_at(np.array([1.0, 10, 11, 30, 31]), 10) == pytest.approx(2 / 5)
    assert recall_at(np.array([1.0, np.nan]), 30) == pytest.approx(0.5)
    assert math.isnan(recall_at(np.array([]), 30))


def test_brier_log_loss_and_skill_by_hand() -> None:
    y = np.array([0, 0, 1, 1.0])
    p = np.array([0.1, 0.3, 0.6, 0.9])
    assert brier(y, p) == pytest.approx((0.01 + 0.09 + 0.16 + 0.01) / 4)
    assert log_loss(y, p) == pytest.approx(
        -(math.log(0.9) + math.log(0.7) + math.log(0.6) + math.log(0.9)) / 4
    )
    assert brier_skill(y, p) == pytest.approx(1 - brier(y, p) / 0.25)
    assert brier_skill(y, np.full(4, 0.5)) == pytest.approx(0.0)
    assert log_loss(np.array([1.0]), np.array([0.0])) == pytest.approx(-math.log(1e-15))


def test_calibration_of_calibrated_too_extreme_and_too_high_forecasts() -> None:
    rng = np.random.default_rng(0)
    eta = rng.normal(-3, 1.2, 200_000)
    p = 1 / (1 + np.exp(-eta))
    y = (rng.random(eta.shape[0]) < p).astype(float)
    assert calibration_slope(y, p) == pytest.approx(1.0, abs=0.03)
    assert calibration_intercept(y, p) == pytest.approx(0.0, abs=0.03)
    too_extreme = 1 / (1 + np.exp(-(2 * eta + 3)))
    assert calibration_slope(y, too_extreme) == pytest.approx(0.5, abs=0.03)
    too_high = 1 / (1 + np.exp(-(eta + 0.7)))
    assert calibration_intercept(y, too_high) == pytest.approx(-0.7, abs=0.05)


def test_reliability_table_counts() -> None:
    y = np.array([0, 1, 0, 0, 1.0])
    p = np.array([0.005, 0.015, 0.03, 0.5, 0.6])
    table = reliability_table(y, p)
    assert table["forecasts"].sum() == 5 and table["onsets"].sum() == 2
    top = table.iloc[-1]
    assert (top["forecasts"], top["onsets"], top["observed_rate"]) == (2, 1, 0.5)
    assert top["mean_forecast"] == pytest.approx(0.55)


def test_registry_has_no_silent_defaults() -> None:
    with pytest.raises(UnknownMetricError, match="Known metrics: auc"):
        get_metric("accuracy")
    assert {"auc", "recall_at_30", "brier_skill", "calibration_slope"} <= set(METRICS)
    assert all(m.frame in ("outcome_year", "window") for m in METRICS.values())
