"""Recalibration on earlier windows only: never on the years being scored.

A model's raw probabilities can be systematically too high or too low (EWP's are too high
overall in its own backtest). The fix here is a logistic recalibration ``logit p' = a + b
logit p`` whose a and b are learnt, for a forecast from base year B, only from the same model's
earlier backtest forecasts whose two-year windows had closed by B (base years up to B - 2).
Until enough of those windows hold onsets, forecasts are left as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atrocity_watch.forecast._backtest import BacktestRun, rank_descending
from atrocity_watch.forecast._data import ModellingData, onset_rows
from atrocity_watch.forecast._evaluation import window_outcomes
from atrocity_watch.forecast._metrics import FloatArray, _logistic_fit, _logit
from atrocity_watch.forecast._predictors import HORIZON, ONSET

MIN_WINDOW_ONSETS = 20
"""Closed windows with an onset needed before a recalibration is learnt."""


def recalibration(history: pd.DataFrame, base_year: int) -> tuple[float, float] | None:
    """(a, b) learnt from ``history`` (base_year, probability, outcome) closed by ``base_year``."""
    usable = history[history["base_year"] <= base_year - HORIZON].dropna()
    if usable["outcome"].sum() < MIN_WINDOW_ONSETS:
        return None
    y = usable["outcome"].to_numpy(dtype=np.float64)
    a, b = _logistic_fit(y, _logit(usable["probability"].to_numpy(np.float64)), np.zeros(len(y)))
    return float(a), float(b)


def apply_recalibration(probability: FloatArray, params: tuple[float, float] | None) -> FloatArray:
    """``sigmoid(a + b logit p)``, or ``p`` unchanged when there is no recalibration yet."""
    if params is None:
        return np.asarray(probability, dtype=np.float64)
    a, b = params
    eta = a + b * _logit(np.asarray(probability, dtype=np.float64))
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * eta)))


def history_frame(forecasts: pd.DataFrame, data: ModellingData) -> pd.DataFrame:
    """Backtest forecasts joined with their window outcomes (onset in B+1 or B+2)."""
    onsets = onset_rows(data).rename(columns={ONSET: "onset"})
    outcomes = window_outcomes(onsets)
    joined = forecasts[["base_year", "ccode", "risk"]].merge(
        outcomes, on=["ccode", "base_year"], how="left"
    )
    return joined.rename(columns={"risk": "probability"})


def recalibrate_backtest(run: BacktestRun, data: ModellingData) -> BacktestRun:
    """Each origin's forecasts recalibrated on the run's own earlier, closed windows."""
    history = history_frame(run.forecasts, data)
    parts = []
    params_by_year: dict[int, tuple[float, float] | None] = {}
    for base_year in sorted(int(y) for y in run.forecasts["base_year"].unique()):
        group = run.forecasts[run.forecasts["base_year"] == base_year]
        params = recalibration(history, base_year)
        params_by_year[base_year] = params
        risk = apply_recalibration(group["risk"].to_numpy(), params)
        parts.append(group.assign(risk=risk, rank=rank_descending(risk)))
    forecasts = pd.concat(parts, ignore_index=True)
    details = {**run.details, "recalibration": params_by_year}
    return BacktestRun(run.model, forecasts, run.training, run.seconds, details)
