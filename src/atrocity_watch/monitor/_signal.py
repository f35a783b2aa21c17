"""The signal: how unusual this month's value is against the same place's own recent past.

Every series (one monitor, one source, one country or subdivision) is a row of a month grid in
which a month the source does not cover is NaN: *no data*, which is neither used in a baseline
nor scored. For month *t* the baseline is the covered months among the ``window`` months before
*t* (never *t* itself). Three methods (formulas in ``docs/monitoring.md``):

``negative_binomial`` (default, chosen by the backtest)
    Mean μ = (S + a) / (n + b) with S the baseline sum over its n covered months and a weak
    prior (a pseudo-events over b pseudo-months) so that an all-zero baseline still expects a
    little; variance v = the baseline's sample variance. When v > μ the value is compared with a
    negative binomial of that mean and variance (size r = μ² / (v − μ)), which widens the
    expected range after bursts; otherwise with a Poisson of mean μ.
``poisson``
    The same mean, no over-dispersion.
``robust_z``
    z = (x − median) / max(1.4826 · MAD, 1), turned into a one-sided normal probability.

The exceedance probability is p = P(X ≥ x | baseline), and the score is −log10 p, capped at
``max_score`` (2 means a value this high happens about once in 100 such months).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from atrocity_watch.monitor._errors import InvalidParameterError

MethodName = Literal["negative_binomial", "poisson", "robust_z"]
METHODS: tuple[MethodName, ...] = ("negative_binomial", "poisson", "robust_z")
Array = NDArray[np.float64]


@dataclass(frozen=True)
class SignalMethod:
    """How a month is compared with its baseline (see the module docstring).

    >>> SignalMethod(window=12).describe()
    'negative binomial exceedance, 12-month trailing baseline (at least 6 months with data)'
    """

    name: MethodName = "negative_binomial"
    window: int = 12
    min_baseline: int = 6
    prior_events: float = 0.5
    prior_months: float = 1.0
    max_score: float = 10.0

    def __post_init__(self) -> None:
        if self.name not in METHODS:
            raise InvalidParameterError(
                f"The 'method' parameter must be one of {', '.join(METHODS)}. "
                f"Got {self.name!r} instead."
            )
        if not isinstance(self.window, int) or not 3 <= self.window <= 120:
            raise InvalidParameterError(
                "The 'window' parameter must be a whole number of months from 3 to 120. "
                f"Got {self.window!r} instead."
            )
        if not isinstance(self.min_baseline, int) or not 1 <= self.min_baseline <= self.window:
            raise InvalidParameterError(
                f"The 'min_baseline' parameter must be a whole number from 1 to the window "
                f"({self.window}). Got {self.min_baseline!r} instead."
            )
        if self.prior_events < 0 or self.prior_months <= 0:
            raise InvalidParameterError(
                "The prior must have 'prior_events' >= 0 and 'prior_months' > 0. "
                f"Got {self.prior_events} and {self.prior_months} instead."
            )
        if not 1 <= self.max_score <= 50:
            raise InvalidParameterError(
                f"The 'max_score' parameter must be in [1, 50]. Got {self.max_score} instead."
            )

    def describe(self) -> str:
        """The method in one line, for pages and explanations."""
        names = {
            "negative_binomial": "negative binomial exceedance",
            "poisson": "Poisson exceedance",
            "robust_z": "robust z-score",
        }
        return (
            f"{names[self.name]}, {self.window}-month trailing baseline "
            f"(at least {self.min_baseline} months with data)"
        )


@dataclass(frozen=True)
class Signals:
    """Per-cell results for a grid of series × months (NaN where there is no score)."""

    baseline: Array  # expected value (mean; the median for robust_z)
    baseline_months: NDArray[np.int64]  # covered months in the baseline window
    probability: Array  # P(X >= x | baseline)
    score: Array  # -log10(probability), capped
    expected: Array  # the model's centre: smoothed mean (counts) or median (robust_z)
    spread: Array  # negative binomial size r (NaN: Poisson), or the robust_z scale


def _window_sums(values: Array, window: int) -> tuple[Array, Array, Array]:
    """Sum, sum of squares and count of covered cells in the ``window`` cells before each cell."""
    covered = ~np.isnan(values)
    filled = np.where(covered, values, 0.0)
    rows = values.shape[0]
    zero = np.zeros((rows, 1))

    months = np.arange(values.shape[1])
    start = np.maximum(months - window, 0)

    def trailing(data: Array) -> Array:
        total = np.concatenate([zero, np.cumsum(data, axis=1)], axis=1)  # total[:, t] = sum < t
        result: Array = total[:, months] - total[:, start]
        return result

    return trailing(filled), trailing(filled**2), trailing(covered.astype(np.float64))


def _trailing_median(values: Array, window: int) -> tuple[Array, Array]:
    """Median and MAD of the covered cells among the ``window`` cells before each cell."""
    rows, months = values.shape
    padded = np.concatenate([np.full((rows, window), np.nan), values], axis=1)
    views = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)[:, :months, :]
    # All-NaN windows are expected (no data yet): their median is NaN and is masked later.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        median = np.nanmedian(views, axis=2)
        mad = np.nanmedian(np.abs(views - median[:, :, None]), axis=2)
    return median, mad


def score_grid(values: Array, method: SignalMethod | None = None) -> Signals:
    """Score every cell of ``values`` (series × months; NaN = no data) against its baseline.

    >>> import numpy as np
    >>> grid = np.array([[0, 1, 0, 0, 1, 0, 0, 9.0]])
    >>> out = score_grid(grid, SignalMethod(window=6, min_baseline=3))
    >>> round(float(out.score[0, -1]), 1)
    9.7
    """
    method = method or SignalMethod()
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise InvalidParameterError("signals are computed on a 2-D grid (series × months)")
    if np.any(values[~np.isnan(values)] < 0):
        raise InvalidParameterError("monitor values are counts and cannot be negative")
    total, squares, n = _window_sums(values, method.window)
    enough = (n >= method.min_baseline) & ~np.isnan(values)
    observed = np.where(enough, values, 0.0)
    with np.errstate(all="ignore"):
        mean = (total + method.prior_events) / (n + method.prior_months)
        if method.name == "robust_z":
            median, mad = _trailing_median(values, method.window)
            scale = np.maximum(1.4826 * np.nan_to_num(mad), 1.0)
            z = (observed - np.nan_to_num(median)) / scale
            probability = np.asarray(stats.norm.sf(z), dtype=np.float64)
            baseline = median
            expected, spread = median, scale
        else:
            variance = np.where(n > 1, (squares - total**2 / np.maximum(n, 1)) / (n - 1), 0.0)
            variance = np.maximum(variance, 0.0)
            probability = np.asarray(stats.poisson.sf(observed - 1, mean), dtype=np.float64)
            spread = np.full(values.shape, np.nan)
            if method.name == "negative_binomial":
                dispersed = variance > mean * (1 + 1e-9)
                size = np.where(dispersed, mean**2 / np.maximum(variance - mean, 1e-12), 1.0)
                success = size / (size + mean)
                negbin = np.asarray(stats.nbinom.sf(observed - 1, size, success), dtype=np.float64)
                probability = np.where(dispersed, negbin, probability)
                spread = np.where(dispersed, size, np.nan)
            baseline = total / np.maximum(n, 1)
            expected = mean
        probability = np.where(observed <= 0, 1.0, np.clip(probability, 0.0, 1.0))
        score = np.minimum(-np.log10(np.maximum(probability, 1e-300)), method.max_score)
        score = np.maximum(score, 0.0)
    missing = ~enough
    baseline = np.where(n >= 1, baseline, np.nan)
    return Signals(
        baseline=np.asarray(baseline, dtype=np.float64),
        baseline_months=n.astype(np.int64),
        probability=np.where(missing, np.nan, probability),
        score=np.where(missing, np.nan, score),
        expected=np.where(n >= method.min_baseline, expected, np.nan).astype(np.float64),
        spread=np.where(n >= method.min_baseline, spread, np.nan).astype(np.float64),
    )


def alert_value(method: MethodName, expected: float, spread: float, score: float) -> float | None:
    """The smallest value that reaches ``score`` under a month's baseline (for charts).

    >>> alert_value("poisson", 2.0, float("nan"), 2.0)  # P(X >= 7) < 0.01 <= P(X >= 6)
    7.0
    """
    if expected is None or np.isnan(expected):
        return None
    p = 10.0 ** (-score)
    if method == "robust_z":
        return float(expected + stats.norm.isf(p) * spread)
    if spread is None or np.isnan(spread):
        return float(stats.poisson.isf(p, expected) + 1)
    return float(stats.nbinom.isf(p, spread, spread / (spread + expected)) + 1)
