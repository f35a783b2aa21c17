"""Accuracy and calibration metrics, in a registry with no silent defaults.

Two evaluation frames, because EWP's forecasts are scored two ways:

* the **outcome-year frame** (EWP's rule): one row per country and outcome year Y, with the
  forecasts made from Y-1 (``risk_latest``) and Y-2 (``risk_earlier``) — the two whose windows
  cover Y. EWP's AUC uses the larger risk (``risk``) against an onset in Y; its recall counts an
  onset caught when the better of the two ranks (``rank``) is within the top k. The
  single-forecast rule uses only the latest forecast's rank (``rank_latest``).
* the **window frame**: one row per forecast (country, base year B) and its own outcome, an
  onset in B+1 or B+2. Probabilities are statements about that window, so the probability
  scores (Brier, log loss, calibration) are computed here.

Each metric names its frame; :func:`get_metric` refuses unknown names instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.stats import rankdata

from atrocity_watch.forecast._errors import InvalidParameterError, UnknownMetricError

FloatArray = NDArray[np.float64]
Frame = Literal["outcome_year", "window"]
Columns = Mapping[str, FloatArray]
"""An evaluation frame as named numpy columns (fast to resample for bootstrap intervals)."""

_CLIP = 1e-15  # probabilities are clipped to [1e-15, 1 - 1e-15] before taking logs


def roc_auc(outcome: FloatArray, score: FloatArray) -> float:
    """Area under the ROC curve (ties count one half), as R's pROC; NaN without both classes.

    >>> roc_auc(np.array([0, 0, 1, 1.0]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    outcome = np.asarray(outcome, dtype=np.float64)
    score = np.asarray(score, dtype=np.float64)
    positives = int((outcome == 1).sum())
    negatives = outcome.shape[0] - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(score, method="average")
    rank_sum = float(ranks[outcome == 1].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def recall_at(onset_ranks: FloatArray, k: int) -> float:
    """Share of onsets whose rank is within the top ``k`` (a missing rank is a miss).

    >>> recall_at(np.array([1, 12, 31, np.nan]), 30)
    0.5
    """
    ranks = np.asarray(onset_ranks, dtype=np.float64)
    if ranks.shape[0] == 0:
        return float("nan")
    return float(np.mean(np.nan_to_num(ranks, nan=np.inf) <= k))


def brier(outcome: FloatArray, probability: FloatArray) -> float:
    """Mean squared difference between probability and outcome (0 is perfect).

    >>> round(brier(np.array([0, 1.0]), np.array([0.2, 0.6])), 6)
    0.1
    """
    return float(np.mean((np.asarray(probability) - np.asarray(outcome)) ** 2))


def brier_skill(outcome: FloatArray, probability: FloatArray) -> float:
    """1 - Brier / Brier of always forecasting the base rate (0: no better; 1: perfect).

    The reference is the observed base rate of the frame being scored, the usual definition.

    >>> round(brier_skill(np.array([0, 0, 0, 1.0]), np.array([0.1, 0.1, 0.2, 0.7])), 4)
    0.8
    """
    outcome = np.asarray(outcome, dtype=np.float64)
    rate = float(outcome.mean())
    reference = rate * (1.0 - rate)
    if reference == 0.0:
        return float("nan")
    return 1.0 - brier(outcome, probability) / reference


def log_loss(outcome: FloatArray, probability: FloatArray) -> float:
    """Mean negative log-likelihood (natural log; probabilities clipped to [1e-15, 1-1e-15]).

    >>> round(log_loss(np.array([0, 1.0]), np.array([0.5, 0.5])), 6)
    0.693147
    """
    p = np.clip(np.asarray(probability, dtype=np.float64), _CLIP, 1.0 - _CLIP)
    y = np.asarray(outcome, dtype=np.float64)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _logistic_fit(outcome: FloatArray, x: FloatArray | None, offset: FloatArray) -> FloatArray:
    """Maximum-likelihood ``logit P = a + b x + offset`` (``x`` None: intercept only), by Newton.

    Written out for one or two parameters: bootstrap intervals call it thousands of times.
    """
    # Start where calibration usually is: slope 1, intercept shifting the mean risk to the rate.
    rate = float(np.clip(outcome.mean(), _CLIP, 1 - _CLIP))
    mean_logit = float(np.mean(offset if x is None else x))
    a, b = float(np.log(rate / (1 - rate))) - mean_logit, (0.0 if x is None else 1.0)
    for _ in range(100):
        eta = offset + a if x is None else offset + a + b * x
        p = 0.5 * (1.0 + np.tanh(0.5 * eta))
        r = outcome - p
        w = p * (1.0 - p)
        g0, h00 = float(r.sum()), float(w.sum()) + 1e-12
        if x is None:
            step_a, step_b = g0 / h00, 0.0
        else:
            wx = w * x
            g1, h01, h11 = float(r @ x), float(wx.sum()), float(wx @ x) + 1e-12
            det = h00 * h11 - h01 * h01
            step_a = (h11 * g0 - h01 * g1) / det
            step_b = (h00 * g1 - h01 * g0) / det
        a, b = a + step_a, b + step_b
        if max(abs(step_a), abs(step_b)) < 1e-9:
            break
    return np.array([a, b])


def _logit(probability: FloatArray) -> FloatArray:
    p = np.clip(np.asarray(probability, dtype=np.float64), _CLIP, 1.0 - _CLIP)
    return np.asarray(np.log(p / (1.0 - p)))


def calibration_slope(outcome: FloatArray, probability: FloatArray) -> float:
    """Slope b of the logistic recalibration ``logit P(onset) = a + b logit(p)`` (1 is ideal).

    Below 1: forecasts too extreme (high risks too high, low too low); above 1: too timid.
    """
    y = np.asarray(outcome, dtype=np.float64)
    if y.min() == y.max():
        return float("nan")
    x = _logit(probability)
    return float(_logistic_fit(y, x, np.zeros_like(x))[1])


def calibration_intercept(outcome: FloatArray, probability: FloatArray) -> float:
    """Calibration-in-the-large: a in ``logit P(onset) = a + logit(p)`` (0 is ideal).

    Positive: onsets more frequent than forecast overall; negative: risks too high overall.
    """
    y = np.asarray(outcome, dtype=np.float64)
    if y.min() == y.max():
        return float("nan")
    return float(_logistic_fit(y, None, _logit(probability))[0])


RELIABILITY_BINS: tuple[float, ...] = (0.0, 0.01, 0.02, 0.05, 0.10, 0.20, 1.0)
"""Probability bins of the reliability table: narrow at the low end, where most risks lie."""


def reliability_table(
    outcome: FloatArray, probability: FloatArray, bins: tuple[float, ...] = RELIABILITY_BINS
) -> pd.DataFrame:
    """Per probability bin: forecasts, onsets, mean forecast and observed onset rate."""
    p = np.asarray(probability, dtype=np.float64)
    y = np.asarray(outcome, dtype=np.float64)
    edges = np.asarray(bins)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for b in range(len(edges) - 1):
        mask = which == b
        count = int(mask.sum())
        rows.append(
            {
                "bin": f"{edges[b]:.0%}–{edges[b + 1]:.0%}",
                "forecasts": count,
                "onsets": int(y[mask].sum()),
                "mean_forecast": float(p[mask].mean()) if count else float("nan"),
                "observed_rate": float(y[mask].mean()) if count else float("nan"),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Metric:
    """One way to score forecasts, on one of the two evaluation frames."""

    name: str
    title: str
    frame: Frame
    ideal: float
    higher_is_better: bool | None
    compute: Callable[[Columns], float]
    description: str

    def __post_init__(self) -> None:
        if self.frame not in ("outcome_year", "window"):
            raise InvalidParameterError(
                f"Metric {self.name!r}: frame must be 'outcome_year' or 'window', "
                f"got {self.frame!r}."
            )


def _recall(k: int, column: str) -> Callable[[Columns], float]:
    def compute(frame: Columns) -> float:
        return recall_at(frame[column][frame["onset"] == 1], k)

    return compute


def _window(func: Callable[[FloatArray, FloatArray], float]) -> Callable[[Columns], float]:
    def compute(frame: Columns) -> float:
        scored = ~np.isnan(frame["probability"])
        return func(frame["outcome"][scored], frame["probability"][scored])

    return compute


def _auc(frame: Columns) -> float:
    scored = ~np.isnan(frame["risk"])
    return roc_auc(frame["onset"][scored], frame["risk"][scored])


_METRICS: tuple[Metric, ...] = (
    Metric(
        "auc",
        "AUC (EWP's rule)",
        "outcome_year",
        1.0,
        True,
        _auc,
        "Area under the ROC curve of the larger of the two risks covering each outcome year "
        "against an onset in that year; 0.5 is chance, 1 perfect.",
    ),
    *(
        Metric(
            f"recall_at_{k}",
            f"Recall in top {k} (EWP's rule)",
            "outcome_year",
            1.0,
            True,
            _recall(k, "rank"),
            f"Share of onsets ranked in the top {k} by either of the two forecasts covering "
            "their year (the better rank counts).",
        )
        for k in (10, 20, 30)
    ),
    *(
        Metric(
            f"recall_at_{k}_latest",
            f"Recall in top {k} (latest forecast only)",
            "outcome_year",
            1.0,
            True,
            _recall(k, "rank_latest"),
            f"Share of onsets ranked in the top {k} by the forecast made the year before the "
            "onset (single-forecast rule).",
        )
        for k in (10, 20, 30)
    ),
    Metric(
        "brier",
        "Brier score",
        "window",
        0.0,
        False,
        _window(brier),
        "Mean squared error of each forecast's probability for its two-year window.",
    ),
    Metric(
        "brier_skill",
        "Brier skill score",
        "window",
        1.0,
        True,
        _window(brier_skill),
        "Improvement of the Brier score over always forecasting the window base rate.",
    ),
    Metric(
        "log_loss",
        "Log loss",
        "window",
        0.0,
        False,
        _window(log_loss),
        "Mean negative log-likelihood of the window outcomes.",
    ),
    Metric(
        "calibration_slope",
        "Calibration slope",
        "window",
        1.0,
        None,
        _window(calibration_slope),
        "Slope of the logistic recalibration of window outcomes on the forecasts' log-odds; "
        "1 is ideal, below 1 too extreme, above 1 too timid.",
    ),
    Metric(
        "calibration_intercept",
        "Calibration intercept (in the large)",
        "window",
        0.0,
        None,
        _window(calibration_intercept),
        "Intercept of the recalibration with the slope fixed at 1; 0 is ideal, negative means "
        "risks too high overall.",
    ),
)

METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}
"""Every metric by name."""

HEADLINE_METRICS: tuple[str, ...] = (
    "auc",
    "recall_at_10",
    "recall_at_20",
    "recall_at_30",
    "brier",
    "brier_skill",
    "log_loss",
    "calibration_slope",
    "calibration_intercept",
)
"""The metrics of ``forecast backtest --json``, in order."""


def get_metric(name: str) -> Metric:
    """The metric called ``name``; an unknown name is an error listing the known ones."""
    try:
        return METRICS[name]
    except KeyError:
        raise UnknownMetricError(name, sorted(METRICS)) from None
