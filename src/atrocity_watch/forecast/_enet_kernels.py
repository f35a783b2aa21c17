"""Compiled inner loops of the elastic-net solver (numba).

Kept apart from the path algorithm in ``_enet.py`` so the numeric kernels can be read (and
replaced) on their own. Each kernel works in place on arrays the caller owns; none allocates
more than a vector per call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_F = TypeVar("_F", bound=Callable[..., Any])


def _jit(func: _F) -> _F:
    """Compile with numba, caching the machine code beside the module between runs."""
    return cast(_F, numba.njit(cache=True, nogil=True)(func))


# Vectorising the dot products needs leave to reassociate sums; nothing else is relaxed.
_FAST = {"reassoc", "contract"}
_LOG_EVERY = 64  # rows whose (1 + exp(-|eta|)) factors are multiplied before one log


def _jit_fast(func: _F) -> _F:
    """As :func:`_jit`, letting LLVM vectorise floating-point reductions."""
    return cast(_F, numba.njit(cache=True, nogil=True, fastmath=_FAST)(func))


@_jit_fast
def residuals_and_loglik(  # pragma: no cover - compiled by numba
    eta: FloatArray,
    y: FloatArray,
    holdout_start: IntArray,
    holdout_end: IntArray,
    residual: FloatArray,
    loglik: FloatArray,
) -> None:
    """Residuals ``y - p`` (0 on held-out rows) and log-likelihood of each fit (columns).

    ``eta`` is rows x fits. ``log(1 + exp(-|e|))`` is summed as the log of a product of factors
    in [1, 2], one ``log`` per 64 rows: the likelihood then costs one ``exp`` per row and fit and
    loses nothing measurable (a product of 64 such factors is exact to about 1e-14).
    """
    n_rows, n_fits = eta.shape
    product = np.ones(n_fits)
    linear = np.zeros(n_fits)
    logs = np.zeros(n_fits)
    pending = 0
    for i in range(n_rows):
        yi = y[i]
        for r in range(n_fits):
            if holdout_start[r] <= i < holdout_end[r]:
                residual[i, r] = 0.0
                continue
            e = eta[i, r]
            if e >= 0.0:
                t = np.exp(-e)
                q = 1.0 + t
                p = 1.0 / q
                linear[r] += yi * e - e
            else:
                t = np.exp(e)
                q = 1.0 + t
                p = t / q
                linear[r] += yi * e
            product[r] *= q
            residual[i, r] = yi - p
        pending += 1
        if pending == _LOG_EVERY:
            for r in range(n_fits):
                logs[r] += np.log(product[r])
                product[r] = 1.0
            pending = 0
    for r in range(n_fits):
        loglik[r] = linear[r] - logs[r] - np.log(product[r])


@_jit_fast
def end_of_lambda(  # pragma: no cover - compiled by numba
    z: FloatArray,
    y: FloatArray,
    values: FloatArray,
    holdout_start: IntArray,
    holdout_end: IntArray,
    full: FloatArray,
    heldout: FloatArray,
    score: FloatArray,
) -> float:
    """At a lambda's solution: the full fit's probabilities, score and log-likelihood on all
    rows, and each fold fit's probabilities on its own held-out rows, in one pass.

    ``values`` row 0 is the full fit, row f the fit that leaves out rows
    ``holdout_start[f]:holdout_end[f]`` (rows are sorted by fold). Returns the log-likelihood;
    ``score`` receives ``sum (y - p) z``.
    """
    n_rows, n_coef = z.shape
    for j in range(n_coef):
        score[j] = 0.0
    linear = 0.0
    logs = 0.0
    product = 1.0
    pending = 0
    for i in range(n_rows):
        e = 0.0
        for j in range(n_coef):
            e += z[i, j] * values[0, j]
        if e >= 0.0:
            t = np.exp(-e)
            q = 1.0 + t
            p = 1.0 / q
            linear += y[i] * e - e
        else:
            t = np.exp(e)
            q = 1.0 + t
            p = t / q
            linear += y[i] * e
        full[i] = p
        product *= q
        pending += 1
        if pending == _LOG_EVERY:
            logs += np.log(product)
            product = 1.0
            pending = 0
        residual = y[i] - p
        for j in range(n_coef):
            score[j] += residual * z[i, j]
    for f in range(1, values.shape[0]):
        for i in range(holdout_start[f], holdout_end[f]):
            e = 0.0
            for j in range(n_coef):
                e += z[i, j] * values[f, j]
            heldout[i] = _sigmoid(e)
    return float(linear - logs - np.log(product))


@_jit
def _sigmoid(e: float) -> float:  # pragma: no cover - compiled by numba
    if e >= 0.0:
        return float(1.0 / (1.0 + np.exp(-e)))
    t = np.exp(e)
    return float(t / (1.0 + t))


@_jit
def polish(  # pragma: no cover - compiled by numba
    hess: FloatArray,
    gradient: FloatArray,
    start: FloatArray,
    x: FloatArray,
    work: FloatArray,
    l1_weights: FloatArray,
    l2_weights: FloatArray,
) -> bool:
    """Solve the step exactly on the current active set and signs; keep it if it is optimal.

    Coordinate descent crawls along nearly collinear predictors (``year`` and ``year_sq``
    correlate at 0.9999); once it has found which coefficients are non-zero and their signs,
    one linear solve finishes the job. Returns False, leaving ``x`` as it was, when the solution
    breaks a sign or the optimality condition of a zero coefficient.
    """
    n_coef = x.shape[0]
    active = np.zeros(n_coef, dtype=np.bool_)
    for j in range(n_coef):
        active[j] = j == 0 or (x[j] != 0.0 and l1_weights[j] >= 0.0)
    idx = np.flatnonzero(active)
    m = idx.shape[0]
    system = np.empty((m, m))
    rhs = np.empty(m)
    hv = hess @ start
    for a in range(m):
        j = idx[a]
        for b in range(m):
            system[a, b] = hess[j, idx[b]]
        rhs[a] = hv[j] - gradient[j]
        if j > 0:
            system[a, a] += l2_weights[j]
            rhs[a] -= l1_weights[j] * np.sign(x[j])
    try:
        solved = np.linalg.solve(system, rhs)
    except Exception:  # singular system: let coordinate descent carry on
        return False
    candidate = np.zeros(n_coef)
    for a in range(m):
        j = idx[a]
        if j > 0 and np.sign(solved[a]) != np.sign(x[j]):
            return False
        candidate[j] = solved[a]
    # the model's negative gradient at the candidate
    new_work = hv - gradient - hess @ candidate
    for j in range(1, n_coef):
        if not active[j] and l1_weights[j] >= 0.0 and abs(new_work[j]) > l1_weights[j] * (1 + 1e-9):
            return False
    for j in range(n_coef):
        x[j] = candidate[j]
        work[j] = new_work[j]
    return True


@_jit
def newton_steps(  # pragma: no cover - compiled by numba
    hessians: FloatArray,
    gradients: FloatArray,
    current: FloatArray,
    fits: IntArray,
    l1_weights: FloatArray,
    l2_weights: FloatArray,
    inner_tolerance: float,
    max_sweeps: int,
    proposal: FloatArray,
    change: FloatArray,
) -> None:
    """One proximal Newton step per fit, solved by cyclic coordinate descent.

    For fit f minimises ``g'd + d'Hd/2 + l1 |v + d|_1 + l2 |v + d|^2 / 2`` over d (coordinate 0 is
    the unpenalised intercept; a negative l1 weight marks a predictor left out of that fit) and
    stores v + d in ``proposal`` and ``max_j H_jj d_j^2`` in ``change``.
    """
    n_coef = current.shape[1]
    for r in range(fits.shape[0]):
        f = fits[r]
        hess = hessians[f]
        x = proposal[r]
        work = np.empty(n_coef)
        for j in range(n_coef):
            x[j] = current[f, j]
            work[j] = -gradients[r, j]  # work = -g - H (x - v), the model's negative gradient
        for sweep in range(max_sweeps):
            largest = 0.0
            for j in range(n_coef):
                hjj = hess[j, j]
                if hjj <= 0.0:
                    continue
                old = x[j]
                u = work[j] + hjj * old
                if j == 0:
                    new = u / hjj
                else:
                    a = l1_weights[f, j]
                    if a < 0.0:
                        new = 0.0
                    elif u > a:
                        new = (u - a) / (hjj + l2_weights[f, j])
                    elif u < -a:
                        new = (u + a) / (hjj + l2_weights[f, j])
                    else:
                        new = 0.0
                delta = new - old
                if delta != 0.0:
                    x[j] = new
                    for k in range(n_coef):
                        work[k] -= hess[k, j] * delta
                    moved = hjj * delta * delta
                    if moved > largest:
                        largest = moved
            if largest < inner_tolerance:
                break
            if sweep % 8 == 7 and polish(
                hess, gradients[r], current[f], x, work, l1_weights[f], l2_weights[f]
            ):
                break
        biggest = 0.0
        for j in range(n_coef):
            d = x[j] - current[f, j]
            moved = hess[j, j] * d * d
            if moved > biggest:
                biggest = moved
        change[r] = biggest
