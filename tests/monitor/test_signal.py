"""The signal method on synthetic series whose answers are worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from atrocity_watch.monitor import InvalidParameterError, SignalMethod, score_grid

NAN = math.nan


def _poisson_tail(k: int, mean: float) -> float:
    """P(X >= k) for a Poisson(mean), summed by hand."""
    return 1.0 - sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k))


def test_zero_baseline_still_expects_a_little() -> None:
    """Twelve quiet months, then 3 events: the prior keeps the baseline mean above zero."""
    grid = np.array([[0.0] * 12 + [3.0]])
    out = score_grid(grid, SignalMethod("poisson", window=12, min_baseline=6))
    mean = 0.5 / 13  # (0 events + 0.5 prior) / (12 months + 1 prior month)
    assert out.probability[0, -1] == pytest.approx(_poisson_tail(3, mean), rel=1e-9)
    assert out.score[0, -1] == pytest.approx(-math.log10(_poisson_tail(3, mean)), rel=1e-9)
    assert out.baseline[0, -1] == 0.0  # what users see: the plain average of the baseline
    assert out.baseline_months[0, -1] == 12


def test_zero_is_not_alarming() -> None:
    grid = np.array([[0.0] * 13, [4.0] * 12 + [0.0]])
    out = score_grid(grid)
    assert out.score[0, -1] == 0.0
    assert out.score[1, -1] == 0.0
    assert out.probability[0, -1] == 1.0


def test_negative_binomial_widens_after_a_burst() -> None:
    """A past burst makes the same month less surprising than under a Poisson baseline."""
    bursty = np.array([[1, 0, 2, 40, 1, 0, 1, 2, 0, 1, 0, 1, 12.0]])
    poisson = score_grid(bursty, SignalMethod("poisson"))
    negbin = score_grid(bursty, SignalMethod("negative_binomial"))
    assert negbin.score[0, -1] < poisson.score[0, -1]
    total, n = 49.0, 12
    mean = (total + 0.5) / (n + 1)
    values = bursty[0, :-1]
    variance = values.var(ddof=1)
    size = mean**2 / (variance - mean)
    from scipy import stats

    expected = stats.nbinom.sf(11, size, size / (size + mean))
    assert negbin.probability[0, -1] == pytest.approx(expected, rel=1e-9)


def test_steady_series_falls_back_to_poisson() -> None:
    """No over-dispersion (variance below the mean): the negative binomial is a Poisson."""
    grid = np.array([[3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 9.0]])
    negbin = score_grid(grid, SignalMethod("negative_binomial"))
    poisson = score_grid(grid, SignalMethod("poisson"))
    assert negbin.score[0, -1] == pytest.approx(poisson.score[0, -1])
    assert negbin.probability[0, -1] == pytest.approx(_poisson_tail(9, 36.5 / 13))


def test_missing_months_are_left_out_never_zero() -> None:
    """A month without data is neither in the baseline nor scored."""
    with_gaps = np.array([[5, NAN, 5, NAN, 5, 5, NAN, 5, 5, 5, NAN, 5, 5, NAN, 5.0]])
    out = score_grid(with_gaps, SignalMethod("poisson", window=12, min_baseline=6))
    assert np.isnan(out.score[0, 13]) and np.isnan(out.probability[0, 13])
    # the last month's baseline: the 12 months before hold 8 covered months of 5
    assert out.baseline_months[0, -1] == 8
    assert out.baseline[0, -1] == pytest.approx(5.0)
    # had the gaps been zeros, the baseline would be lower and the score higher
    as_zeros = np.nan_to_num(with_gaps)
    zeroed = score_grid(as_zeros, SignalMethod("poisson", window=12, min_baseline=6))
    assert zeroed.baseline[0, -1] < 4.0
    assert zeroed.score[0, -1] > out.score[0, -1]


def test_too_short_a_baseline_gives_no_score() -> None:
    grid = np.array([[NAN, NAN, 1, 2, 1, 30.0]])
    out = score_grid(grid, SignalMethod(window=6, min_baseline=4))
    assert np.isnan(out.score).all()
    out = score_grid(grid, SignalMethod(window=6, min_baseline=3))
    assert not np.isnan(out.score[0, -1]) and out.score[0, -1] > 3


def test_robust_z_uses_median_and_mad() -> None:
    grid = np.array([[2, 4, 3, 5, 3, 4, 3, 2, 3, 4, 3, 3, 6.0]])
    out = score_grid(grid, SignalMethod("robust_z"))
    values = grid[0, :-1]
    median = np.median(values)
    scale = max(1.4826 * np.median(np.abs(values - median)), 1.0)
    from scipy import stats

    assert out.baseline[0, -1] == median
    assert out.score[0, -1] == pytest.approx(-math.log10(stats.norm.sf((6 - median) / scale)))


def test_score_is_capped() -> None:
    grid = np.array([[0.0] * 12 + [5000.0]])
    assert score_grid(grid, SignalMethod(max_score=10)).score[0, -1] == 10.0


def test_series_are_independent() -> None:
    one = np.array([[1, 0, 2, 1, 0, 1, 1, 0, 2, 1, 0, 1, 7.0]])
    both = np.vstack([one, np.full((1, 13), NAN)])
    assert score_grid(both).score[0, -1] == score_grid(one).score[0, -1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "median"}, "The 'method' parameter must be one of"),
        ({"window": 2}, "The 'window' parameter must be a whole number of months from 3 to 120"),
        ({"window": 6, "min_baseline": 7}, "'min_baseline' parameter must be a whole number"),
        ({"prior_months": 0}, "'prior_months' > 0"),
        ({"max_score": 0.5}, "The 'max_score' parameter must be in [1, 50]"),
    ],
)
def test_bad_parameters_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=re_escape(message)):
        SignalMethod(**kwargs)  # type: ignore[arg-type]


def re_escape(text: str) -> str:
    import re

    return re.escape(text)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="cannot be negative"):
        score_grid(np.array([[1.0, -1.0, 2.0]]))
