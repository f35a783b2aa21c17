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


def _clean(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 6)


def explain_written(
    warehouse: Any,
    country: str,
    *,
    model: str | None = None,
    base_year: int | None = None,
    features: int = 10,
) -> dict[str, Any]:
    """A country's written forecast and drivers, from the warehouse (no refitting).

    ``country`` is an ISO3 code or any name the country registry knows.
    """
    from atrocity_watch.forecast._errors import ForecastDataError
    from atrocity_watch.forecast._features import feature_info

    for name in ("forecasts", "forecast_drivers"):
        if not warehouse.has_table(name):
            raise ForecastDataError(
                "No forecast has been written yet: run `atrocity-watch forecast run` first."
            )
    forecasts = warehouse.read_table("forecasts").to_pandas()
    iso3 = country.strip().upper()
    if iso3 not in set(forecasts["iso3"]):
        from atrocity_watch.countries import UnknownCountryError, get_registry

        try:
            iso3 = get_registry().lookup(country).iso3
        except UnknownCountryError as exc:
            raise ForecastDataError(str(exc)) from None
    if model is None:
        meta = (
            warehouse.read_table("forecast_meta").to_pandas()
            if warehouse.has_table("forecast_meta")
            else None
        )
        headline = [] if meta is None else [str(m) for m in meta[meta["headline"]]["model"]]
        model = headline[0] if headline else str(forecasts["model"].iloc[0])
    mine = forecasts[(forecasts["model"] == model) & (forecasts["iso3"] == iso3)]
    if base_year is not None:
        mine = mine[mine["base_year"] == base_year]
    if mine.empty:
        raise ForecastDataError(
            f"No forecast of model {model!r} for {iso3}"
            + (f" from base year {base_year}" if base_year is not None else "")
            + " in the warehouse."
        )
    row = mine.sort_values("base_year").iloc[-1]
    year = int(row["base_year"])
    drivers = warehouse.read_table("forecast_drivers").to_pandas()
    drivers = drivers[
        (drivers["model"] == model) & (drivers["base_year"] == year) & (drivers["iso3"] == iso3)
    ]
    summary = by_risk_factor(drivers)
    summary = summary.reindex(summary["contribution"].abs().sort_values(ascending=False).index)
    top = drivers.reindex(drivers["contribution"].abs().sort_values(ascending=False).index)
    probability = float(row["probability"])
    log_odds = float(np.log(probability / (1.0 - probability)))
    return {
        "model": model,
        "iso3": iso3,
        "country": str(row["country"]),
        "base_year": year,
        "window_start": int(row["window_start"]),
        "window_end": int(row["window_end"]),
        "probability": _clean(row["probability"]),
        "ci_low": _clean(row["ci_low"]),
        "ci_high": _clean(row["ci_high"]),
        "rank": int(row["rank"]),
        "previous_probability": _clean(row.get("previous_probability")),
        "log_odds": round(log_odds, 6),
        "baseline_log_odds": round(log_odds - float(drivers["contribution"].sum()), 6),
        "risk_factors": [
            {
                "risk_factor": int(rf),
                "name": str(name),
                "contribution": float(round(contribution, 6)),
                "change": _clean(change),
            }
            for rf, name, contribution, change in zip(
                summary["risk_factor"],
                summary["risk_factor_name"],
                summary["contribution"],
                summary["change"],
                strict=True,
            )
        ],
        "features": [
            {
                "feature": str(feature),
                "title": feature_info(str(feature)).title,
                "risk_factor": int(rf),
                "indicators": list(feature_info(str(feature)).indicators),
                "value": _clean(value),
                "previous_value": _clean(previous),
                "contribution": float(round(contribution, 6)),
                "change": _clean(change),
            }
            for feature, rf, value, previous, contribution, change in zip(
                top["feature"].head(features),
                top["risk_factor"].head(features),
                top["value"].head(features),
                top["previous_value"].head(features),
                top["contribution"].head(features),
                top["change"].head(features),
                strict=True,
            )
        ],
        "main_changes": main_changes(drivers, iso3),
    }
