"""R's random numbers and fold assignment, checked against values R prints."""

from __future__ import annotations

import numpy as np
import pytest

from atrocity_watch.forecast import InvalidParameterError, RRandom, r_fold_ids


def test_runif_matches_r() -> None:
    # R: set.seed(42); runif(3)
    rng = RRandom(42)
    assert [round(rng.unif_rand(), 7) for _ in range(3)] == [0.914806, 0.9370754, 0.2861395]
    # R: set.seed(123); runif(1)
    assert round(RRandom(123).unif_rand(), 7) == 0.2875775


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        (42, [1, 5, 10, 8, 2, 4, 6, 9, 7, 3]),  # R >= 3.6: set.seed(42); sample(10)
        (123, [3, 10, 2, 8, 6, 9, 1, 7, 5, 4]),  # R >= 3.6: set.seed(123); sample(10)
    ],
)
def test_sample_matches_r(seed: int, expected: list[int]) -> None:
    assert RRandom(seed).sample(10) == expected


@pytest.mark.parametrize("n_rows", [1, 2, 3, 17, 255, 256, 257, 4000])
def test_compiled_permutation_equals_the_reference(n_rows: int) -> None:
    reference = np.array(RRandom(90035).sample(n_rows))
    folds = r_fold_ids(n_rows, n_folds=max(n_rows, 2), seed=90035) if n_rows > 1 else None
    if folds is not None:
        assert (folds == reference).all()


def test_folds_are_balanced_and_deterministic() -> None:
    folds = r_fold_ids(8970)
    assert sorted(set(folds.tolist())) == list(range(1, 11))
    counts = np.bincount(folds)[1:]
    assert counts.max() - counts.min() <= 1
    assert (r_fold_ids(8970) == folds).all()
    assert not (r_fold_ids(8970, seed=1) == folds).all()


def test_bad_fold_requests_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="n_folds"):
        r_fold_ids(100, n_folds=1)
    with pytest.raises(InvalidParameterError, match="at least as many rows as folds"):
        r_fold_ids(5, n_folds=10)
