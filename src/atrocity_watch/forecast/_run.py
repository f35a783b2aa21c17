"""Make the forecast for a base year, with intervals and drivers, and write it to the warehouse.

The interval is a bootstrap interval of the model's estimate: the model is refitted on
resamples of the training countries (each country's whole history drawn together, with
replacement), at the tuning chosen on the real data, and the interval is the middle 90% of the
refitted models' probabilities for the country. It says how much the estimate depends on which
countries' histories happened to be observed. It is not a range for whether an onset happens.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from atrocity_watch.forecast._backtest import fit_and_forecast, rank_descending, run_backtest
from atrocity_watch.forecast._calibration import apply_recalibration, history_frame, recalibration
from atrocity_watch.forecast._data import (
    ModellingData,
    load_modelling_data,
    load_modelling_data_from_warehouse,
)
from atrocity_watch.forecast._errors import ForecastDataError, InvalidParameterError
from atrocity_watch.forecast._events import with_event_features
from atrocity_watch.forecast._explain import by_risk_factor, explain, main_changes
from atrocity_watch.forecast._partition import Partition, backtest_partitions
from atrocity_watch.forecast._predictors import EWP_PREDICTOR_NAMES, TARGET
from atrocity_watch.forecast._registry import (
    EWP_MODEL,
    HEADLINE_MODEL,
    MODELS,
    ModelSpec,
    get_model,
)

INTERVAL_LEVEL = 0.90
DEFAULT_REFITS = 100
REFIT_SEED = 20250903

Progress = Callable[[str, int, int], None]
"""Called with (step, done, total) as the work advances."""


@dataclass(frozen=True)
class ForecastResult:
    """One model's forecast from one base year, ready to write and to show."""

    model: str
    title: str
    base_year: int
    data_version: str
    created_at: dt.datetime
    forecasts: pd.DataFrame
    drivers: pd.DataFrame
    training_rows: int
    training_onsets: int
    refits: int
    recalibration: tuple[float, float] | None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def window(self) -> tuple[int, int]:
        """The forecast window (first and last year)."""
        return self.base_year + 1, self.base_year + 2

    def as_json(self, top: int | None = None) -> dict[str, Any]:
        """The forecast list (highest risk first) with each country's main drivers."""
        rows = self.forecasts.sort_values("rank")
        if top is not None:
            rows = rows.head(top)
        summary = by_risk_factor(self.drivers)
        countries = []
        for row in rows.to_dict("records"):
            mine = summary[summary["iso3"] == row["iso3"]]
            mine = mine.reindex(mine["contribution"].abs().sort_values(ascending=False).index)
            countries.append(
                {
                    "iso3": row["iso3"],
                    "country": row["country"],
                    "rank": int(row["rank"]),
                    "probability": round(float(row["probability"]), 5),
                    "ci_low": _round(row["ci_low"]),
                    "ci_high": _round(row["ci_high"]),
                    "previous_probability": _round(row["previous_probability"]),
                    "drivers": [
                        {
                            "risk_factor": int(rf),
                            "name": str(name),
                            "contribution": round(float(c), 4),
                        }
                        for rf, name, c in zip(
                            mine["risk_factor"].head(4),
                            mine["risk_factor_name"].head(4),
                            mine["contribution"].head(4),
                            strict=True,
                        )
                    ],
                    "main_changes": main_changes(self.drivers, str(row["iso3"])),
                }
            )
        return {
            "model": self.model,
            "title": self.title,
            "base_year": self.base_year,
            "window_start": self.window[0],
            "window_end": self.window[1],
            "data_version": self.data_version,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "interval": f"{INTERVAL_LEVEL:.0%} bootstrap interval over {self.refits} refits",
            "notes": self.notes,
            "countries": countries,
        }


def _round(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 5)


def _refit_once(
    template: Any,
    train: pd.DataFrame,
    rows: pd.DataFrame,
    features: list[str],
    groups: list[np.ndarray],
    seed: int,
) -> np.ndarray:
    from sklearn.base import clone

    rng = np.random.default_rng(seed)
    chosen = rng.integers(0, len(groups), len(groups))
    index = np.concatenate([groups[i] for i in chosen])
    sample = train.iloc[index]
    model = clone(template).fit(sample[features], sample[TARGET].to_numpy(np.float64))
    return np.asarray(model.predict_proba(rows[features])[:, 1])


def _intervals(
    model: Any,
    spec: ModelSpec,
    train: pd.DataFrame,
    rows: pd.DataFrame,
    refits: int,
    n_jobs: int,
    progress: Progress | None,
) -> np.ndarray:
    """Refitted probabilities, refits x countries (raw, before any recalibration)."""
    features = list(spec.features)
    template = model.refit_template()
    codes = train["ccode"].to_numpy()
    groups = [np.flatnonzero(codes == c) for c in np.unique(codes)]
    seeds = [REFIT_SEED + r for r in range(refits)]
    if n_jobs == 1:
        draws = []
        for done, seed in enumerate(seeds, start=1):
            draws.append(_refit_once(template, train, rows, features, groups, seed))
            if progress:
                progress("intervals", done, refits)
        return np.vstack(draws)
    from joblib import Parallel, delayed

    runner = Parallel(n_jobs=n_jobs, return_as="generator", batch_size=1)
    tasks = (delayed(_refit_once)(template, train, rows, features, groups, seed) for seed in seeds)
    draws = []
    for done, draw in enumerate(runner(tasks), start=1):
        draws.append(draw)
        if progress:
            progress("intervals", done, refits)
    return np.vstack(draws)


def make_forecast(
    model: str | ModelSpec,
    data: ModellingData,
    base_year: int | None = None,
    *,
    refits: int = DEFAULT_REFITS,
    n_jobs: int = 1,
    progress: Progress | None = None,
    created_at: dt.datetime | None = None,
) -> ForecastResult:
    """Fit ``model`` on rows up to base year - 2 and forecast every country of the base year."""
    spec = get_model(model) if isinstance(model, str) else model
    base_year = data.last_year if base_year is None else base_year
    if base_year > data.last_year or base_year < data.first_year + 3:
        raise InvalidParameterError(
            f"The base year must be between {data.first_year + 3} and {data.last_year} (the "
            f"years of the data {data.version}). Got {base_year} instead."
        )
    if refits < 0:
        raise InvalidParameterError(f"'refits' must be 0 or more. Got {refits} instead.")
    partition = Partition.for_base_year(base_year)
    frame = data.frame
    required = spec.required_features
    fitted, result = fit_and_forecast(spec.build, frame, spec.features, partition, required)
    if progress:
        progress("fit", 1, 1)
    rows = partition.origin.rows(frame, required).reset_index(drop=True)
    train = partition.train.rows(frame, required).reset_index(drop=True)

    params: tuple[float, float] | None = None
    if spec.recalibrate:
        history_partitions = [
            p for p in backtest_partitions() if p.origin.base_year <= base_year - 2
        ]
        history = run_backtest(spec, data, history_partitions, n_jobs=n_jobs, recalibrate=False)
        params = recalibration(history_frame(history.forecasts, data), base_year)

    probability = apply_recalibration(result.forecasts["risk"].to_numpy(), params)
    low = high = np.full(len(rows), np.nan)
    if refits:
        draws = apply_recalibration(
            _intervals(fitted, spec, train, rows, refits, n_jobs, progress), params
        )
        tail = (1.0 - INTERVAL_LEVEL) / 2.0
        low, high = np.quantile(draws, [tail, 1.0 - tail], axis=0)

    before = frame[frame["year"] == base_year - 1].dropna(subset=list(required))
    baselines, drivers = explain(fitted, spec.features, rows, before, params)
    previous = 1.0 / (1.0 + np.exp(-baselines["previous_log_odds"].to_numpy()))
    stamp = created_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    forecasts = pd.DataFrame(
        {
            "model": spec.name,
            "base_year": base_year,
            "window_start": base_year + 1,
            "window_end": base_year + 2,
            "iso3": rows["iso3"].to_numpy(),
            "country": rows["country"].to_numpy(),
            "ccode": rows["ccode"].to_numpy(),
            "probability": probability,
            "ci_low": low,
            "ci_high": high,
            "rank": rank_descending(probability),
            "previous_probability": previous,
            "data_version": data.version,
            "created_at": stamp,
        }
    )
    drivers.insert(0, "base_year", base_year)
    drivers.insert(0, "model", spec.name)
    return ForecastResult(
        model=spec.name,
        title=spec.title,
        base_year=base_year,
        data_version=data.version,
        created_at=stamp,
        forecasts=forecasts,
        drivers=drivers,
        training_rows=result.training_rows,
        training_onsets=result.training_onsets,
        refits=refits,
        recalibration=params,
    )


FORECASTS_TABLE = "forecasts"
DRIVERS_TABLE = "forecast_drivers"
META_TABLE = "forecast_meta"


def _merge(existing: pd.DataFrame | None, new: pd.DataFrame, model: str, year: int) -> pd.DataFrame:
    if existing is None or existing.empty:
        return new.reset_index(drop=True)
    keep = existing[~((existing["model"] == model) & (existing["base_year"] == year))]
    return pd.concat([keep, new], ignore_index=True)


def write_forecast(warehouse: Any, result: ForecastResult, *, headline: bool | None = None) -> None:
    """Write ``result`` into ``forecasts``, ``forecast_drivers`` and ``forecast_meta`` at once.

    Rows of other models and base years are kept; this model's rows for this base year are
    replaced. ``forecast_meta`` keeps one row per model, describing its latest write.
    ``headline`` marks the model pages show (default: when it is the registry's headline
    model, or when no headline has been chosen yet); exactly one row is the headline. All three
    tables are replaced in one transaction: readers never see new forecasts with old drivers.
    """

    def read(name: str) -> pd.DataFrame | None:
        return warehouse.read_table(name).to_pandas() if warehouse.has_table(name) else None

    spec = get_model(result.model) if result.model in MODELS else None
    meta_old = read(META_TABLE)
    if headline is None:
        no_headline = meta_old is None or not bool(meta_old["headline"].any())
        headline = result.model == HEADLINE_MODEL or no_headline
    meta_row = pd.DataFrame(
        [
            {
                "model": result.model,
                "headline": headline,
                "title": result.title,
                "description": spec.description if spec else result.title,
                "sources": ", ".join(spec.sources) if spec else "ewp_prepared",
                "base_year": result.base_year,
                "window_start": result.window[0],
                "window_end": result.window[1],
                "data_version": result.data_version,
                "created_at": result.created_at,
                "countries": len(result.forecasts),
                "training_rows": result.training_rows,
                "training_onsets": result.training_onsets,
                "interval_level": INTERVAL_LEVEL,
                "refits": result.refits,
                "recalibration_a": result.recalibration[0] if result.recalibration else None,
                "recalibration_b": result.recalibration[1] if result.recalibration else None,
            }
        ]
    )
    if meta_old is None or meta_old.empty:
        meta = meta_row
    else:
        meta = pd.concat([meta_old[meta_old["model"] != result.model], meta_row], ignore_index=True)
    if headline:
        meta["headline"] = meta["model"] == result.model
    warehouse.replace_tables(
        {
            FORECASTS_TABLE: _merge(
                read(FORECASTS_TABLE), result.forecasts, result.model, result.base_year
            ),
            DRIVERS_TABLE: _merge(
                read(DRIVERS_TABLE), result.drivers, result.model, result.base_year
            ),
            META_TABLE: meta,
        },
        meta={"model": result.model, "base_year": result.base_year},
    )


def load_data_for(spec: ModelSpec, warehouse: Any | None, data_path: Any | None) -> ModellingData:
    """EWP's data from a file or the warehouse, with event features when the model needs them."""
    if data_path is not None:
        data = load_modelling_data(data_path)
    elif warehouse is not None:
        data = load_modelling_data_from_warehouse(warehouse)
    else:
        raise ForecastDataError("Give the modelling data: a warehouse or a file path.")
    if spec.uses_panels:
        if warehouse is None:
            raise ForecastDataError(
                f"Model {spec.name!r} uses event features from the panels, which live in the "
                "warehouse; run atrocity-watch panels build, or choose ewp-elasticnet."
            )
        data = with_event_features(data, warehouse)
    return data


def check_event_coverage(spec: ModelSpec, data: ModellingData, base_year: int) -> None:
    """Refuse to forecast with event features the panel does not hold for the base year.

    Boosted trees accept missing values, so a panel built without UCDP would otherwise give
    forecasts quietly degraded to EWP's predictors alone.
    """
    event_features = [f for f in spec.features if f not in EWP_PREDICTOR_NAMES]
    if not event_features:
        return
    rows = data.frame[data.frame["year"] == base_year]
    share = rows[event_features].notna().mean()
    thin = share[share < 0.5]
    if len(thin):
        raise ForecastDataError(
            f"Model {spec.name!r} needs event features the panel lacks for {base_year}: "
            f"{', '.join(thin.index)} (present for under half the countries). Import their "
            "sources (UCDP organized violence, EPR, PTS, V-Dem) and run atrocity-watch panels "
            "build, or choose --model ewp-elasticnet."
        )


def run_forecast(
    warehouse: Any,
    *,
    model: str | None = None,
    base_year: int | None = None,
    data_path: Any | None = None,
    refits: int = DEFAULT_REFITS,
    n_jobs: int = 1,
    headline: bool | None = None,
    progress: Progress | None = None,
) -> ForecastResult:
    """The pipeline's forecast step: make the forecast and write it to the warehouse.

    Without ``model``, the headline model; if its event features are not available (no panel,
    or a panel without UCDP), EWP's reproduced model instead, and the result says so in
    ``notes["fallback"]`` (and in its ``model``). A model asked for by name never falls back.
    """
    spec = get_model(model or HEADLINE_MODEL)
    notes: dict[str, Any] = {}
    try:
        data = load_data_for(spec, warehouse, data_path)
        check_event_coverage(spec, data, data.last_year if base_year is None else base_year)
    except ForecastDataError as exc:
        if model is not None or spec.name == EWP_MODEL:
            raise
        notes["fallback"] = f"{spec.name} not available ({exc}); used {EWP_MODEL}."
        spec = get_model(EWP_MODEL)
        data = load_data_for(spec, warehouse, data_path)
    result = make_forecast(spec, data, base_year, refits=refits, n_jobs=n_jobs, progress=progress)
    if notes:
        result = dataclasses.replace(result, notes={**result.notes, **notes})
    write_forecast(warehouse, result, headline=headline)
    return result
