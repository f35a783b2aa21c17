"""Why a country's risk is what it is, and why it moved: contributions by risk factor.

Every model gives an exact additive split of its log-odds (``contributions``): for the
elastic-net logit ``coef_j * (x_j - mean_j)``, for boosted trees LightGBM's tree SHAP values,
for the ensemble the weighted average of its members' terms, and a recalibration ``a + b *
logit`` multiplies every term by b. The baseline plus the terms is the forecast's log-odds, to
rounding. Terms are then summed by each feature's primary Framework risk factor.

The change since the previous year is explained with this year's fitted model applied to last
year's data of the same country: the difference in log-odds is exactly the sum of the
differences of the terms, so "what moved the risk" has an exact answer. (Last year's published
forecast came from a model fitted a year earlier; the two differ a little.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from atrocity_watch.forecast._features import feature_info
from atrocity_watch.framework import get_framework

DRIVER_COLUMNS = (
    "ccode", "iso3", "feature", "risk_factor", "value", "contribution", "previous_value",
    "change",
)  # fmt: skip


def _terms(
    model: Any, rows: pd.DataFrame, features: Sequence[str], scale: float
) -> tuple[np.ndarray, np.ndarray]:
    baseline, terms = model.contributions(rows[list(features)])
    return np.asarray(baseline) * scale, np.asarray(terms) * scale


def explain(
    model: Any,
    features: Sequence[str],
    now: pd.DataFrame,
    before: pd.DataFrame | None = None,
    recalibration: tuple[float, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-country baselines and per-feature drivers of ``now``'s forecasts.

    ``now`` and ``before`` are country-year rows (with ``ccode``, ``iso3`` and the features) of
    the base year and the year before. Returns ``(baselines, drivers)``: baselines has ccode,
    iso3, baseline, log_odds, previous_log_odds; drivers has :data:`DRIVER_COLUMNS`.
    """
    a, b = recalibration if recalibration is not None else (0.0, 1.0)
    baseline, terms = _terms(model, now, features, b)
    baseline = baseline + a
    previous_terms = np.full_like(terms, np.nan)
    previous_values = np.full_like(terms, np.nan)
    if before is not None and not before.empty:
        matched = now[["ccode"]].merge(
            before.drop_duplicates("ccode"), on="ccode", how="left", suffixes=("", "_before")
        )
        present = matched[list(features)].notna().any(axis=1).to_numpy()
        if present.any():
            _, earlier = _terms(model, matched[present], features, b)
            previous_terms[present] = earlier
            previous_values[present] = matched.loc[present, list(features)].to_numpy(float)
    values = now[list(features)].to_numpy(dtype=np.float64)
    n_rows, n_features = terms.shape
    drivers = pd.DataFrame(
        {
            "ccode": np.repeat(now["ccode"].to_numpy(), n_features),
            "iso3": np.repeat(now["iso3"].to_numpy(), n_features),
            "feature": np.tile(np.asarray(features, dtype=object), n_rows),
            "risk_factor": np.tile([feature_info(f).risk_factor for f in features], n_rows),
            "value": values.ravel(),
            "contribution": terms.ravel(),
            "previous_value": previous_values.ravel(),
            "change": (terms - previous_terms).ravel(),
        }
    )
    baselines = pd.DataFrame(
        {
            "ccode": now["ccode"].to_numpy(),
            "iso3": now["iso3"].to_numpy(),
            "baseline": baseline,
            "log_odds": baseline + terms.sum(axis=1),
            "previous_log_odds": baseline + previous_terms.sum(axis=1),
        }
    )
    return baselines, drivers


def by_risk_factor(drivers: pd.DataFrame) -> pd.DataFrame:
    """Contributions and changes summed per country and risk factor, with the factor's name."""
    summary = drivers.groupby(["iso3", "risk_factor"], as_index=False)[
        ["contribution", "change"]
    ].sum(min_count=1)
    framework = get_framework()
    names = {rf.number: rf.name for rf in framework}
    names[0] = "Not a Framework risk factor (region, time trend, country size)"
    summary["risk_factor_name"] = summary["risk_factor"].map(names)
    return summary


def main_changes(drivers: pd.DataFrame, iso3: str, top: int = 3) -> list[dict[str, Any]]:
    """The risk factors whose terms moved a country's log-odds most since last year."""
    summary = by_risk_factor(drivers[drivers["iso3"] == iso3]).dropna(subset=["change"])
    summary = summary.reindex(summary["change"].abs().sort_values(ascending=False).index)
    head = summary.head(top)
    return [
        {"risk_factor": int(rf), "name": str(name), "change": round(float(change), 4)}
        for rf, name, change in zip(
            head["risk_factor"], head["risk_factor_name"], head["change"], strict=True
        )
    ]
