"""Rolling-origin backtest on EWP's protocol, optionally on two worker processes.

For each :class:`Partition` the model is fitted on the training window's rows only and
forecasts the origin's countries; the forecasts of all origins, with a record of exactly which
data years each fit saw, form a :class:`BacktestRun`. The record is what the leakage test reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from atrocity_watch.forecast._data import ModellingData
from atrocity_watch.forecast._errors import ForecastDataError, InvalidParameterError
from atrocity_watch.forecast._partition import OUTCOME_COLUMNS, Partition, backtest_partitions
from atrocity_watch.forecast._predictors import TARGET

if TYPE_CHECKING:
    from atrocity_watch.forecast._registry import ModelSpec

Progress = Callable[[int, int], None]
"""Called with (origins done, origins in all) as the backtest advances."""


@dataclass(frozen=True)
class OriginResult:
    """One fitted model's forecasts from one origin, and what it was trained on."""

    base_year: int
    forecasts: pd.DataFrame
    training_first_year: int
    training_last_year: int
    training_rows: int
    training_onsets: int


@dataclass(frozen=True)
class BacktestRun:
    """All origins' forecasts of one model (``forecasts``) and their training record."""

    model: str
    forecasts: pd.DataFrame
    training: pd.DataFrame
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)


def rank_descending(risk: pd.Series | np.ndarray) -> np.ndarray:
    """Rank 1 for the highest risk; ties share the best rank (R's ``rank(-risk, "min")``)."""
    return np.asarray(pd.Series(np.asarray(risk)).rank(method="min", ascending=False), dtype=int)


def fit_and_forecast(
    build: Callable[[], Any],
    frame: pd.DataFrame,
    features: Sequence[str],
    partition: Partition,
    required: Sequence[str] | None = None,
) -> tuple[Any, OriginResult]:
    """Fit a fresh model on the partition's training rows and forecast its origin.

    Rows lacking any ``required`` feature (default: all features) are neither trained on nor
    forecast; other features may be missing if the model copes with it.
    """
    required = features if required is None else required
    train = partition.train.rows(frame, required)
    if train.empty or train[TARGET].sum() < 2:
        raise ForecastDataError(
            f"Training window up to {partition.train.last_data_year} has too few complete rows "
            f"({len(train)}) or onsets to fit a model."
        )
    model = build().fit(train[list(features)], train[TARGET].to_numpy(dtype=np.float64))
    rows = partition.origin.rows(frame, required)
    if rows.empty:
        raise ForecastDataError(
            f"No country has every feature in data year {partition.origin.base_year}; "
            "nothing to forecast."
        )
    risk = model.predict_proba(rows[list(features)])[:, 1]
    forecasts = pd.DataFrame(
        {
            "base_year": partition.origin.base_year,
            "ccode": rows["ccode"].to_numpy(),
            "iso3": rows["iso3"].to_numpy(),
            "country": rows["country"].to_numpy(),
            "risk": risk,
            "rank": rank_descending(risk),
        }
    )
    result = OriginResult(
        base_year=partition.origin.base_year,
        forecasts=forecasts,
        training_first_year=int(train["year"].min()),
        training_last_year=int(train["year"].max()),
        training_rows=len(train),
        training_onsets=int(train[TARGET].sum()),
    )
    return model, result


def _origin_task(spec: ModelSpec, frame: pd.DataFrame, partition: Partition) -> OriginResult:
    return fit_and_forecast(spec.build, frame, spec.features, partition, spec.required_features)[1]


def _origin_chunk(
    spec: ModelSpec, frame: pd.DataFrame, partitions: Sequence[Partition]
) -> list[OriginResult]:
    return [_origin_task(spec, frame, p) for p in partitions]


def run_backtest(
    model: str | ModelSpec,
    data: ModellingData,
    partitions: Sequence[Partition] | None = None,
    *,
    n_jobs: int = 1,
    progress: Progress | None = None,
    recalibrate: bool | None = None,
) -> BacktestRun:
    """Backtest a model (registered name or spec) on every partition (EWP's 31 by default).

    ``n_jobs=2`` runs origins on two worker processes (each with one BLAS thread); the
    results are identical to a sequential run. ``recalibrate`` overrides the spec's choice.
    """
    from atrocity_watch.forecast._registry import get_model

    spec = get_model(model) if isinstance(model, str) else model
    if n_jobs < 1:
        raise InvalidParameterError(f"'n_jobs' must be 1 or more. Got {n_jobs} instead.")
    chosen = tuple(partitions) if partitions is not None else backtest_partitions()
    features = spec.features
    missing = [f for f in features if f not in data.frame.columns]
    if missing:
        raise ForecastDataError(
            f"Model {spec.name!r} needs features the data lacks: {', '.join(missing)}. "
            "Build the panels (atrocity-watch panels build) or choose another model."
        )
    frame = data.frame[
        list(dict.fromkeys(["iso3", "country", "ccode", "year", *features, *OUTCOME_COLUMNS]))
    ]
    started = time.perf_counter()
    results: list[OriginResult] = []
    # Larger windows first, so two workers finish together.
    order = sorted(chosen, key=lambda p: -p.train.last_data_year)
    if n_jobs == 1:
        for done, partition in enumerate(order, start=1):
            results.append(_origin_task(spec, frame, partition))
            if progress:
                progress(done, len(order))
    else:
        from joblib import Parallel, delayed

        # A few origins per task: the data travel to a worker once per task, and the progress
        # bar still moves several times. Round-robin keeps the tasks' sizes alike.
        n_tasks = min(len(order), 4 * n_jobs)
        chunks = [order[i::n_tasks] for i in range(n_tasks)]
        tasks = (delayed(_origin_chunk)(spec, frame, chunk) for chunk in chunks)
        runner = Parallel(n_jobs=n_jobs, return_as="generator_unordered", batch_size=1)
        for chunk_results in runner(tasks):
            results.extend(chunk_results)
            if progress:
                progress(len(results), len(order))
    seconds = time.perf_counter() - started
    results.sort(key=lambda r: r.base_year)
    training = pd.DataFrame(
        [
            {
                "base_year": r.base_year,
                "training_first_year": r.training_first_year,
                "training_last_year": r.training_last_year,
                "training_rows": r.training_rows,
                "training_onsets": r.training_onsets,
            }
            for r in results
        ]
    )
    forecasts = pd.concat([r.forecasts for r in results], ignore_index=True)
    run = BacktestRun(spec.name, forecasts, training, seconds)
    if spec.recalibrate if recalibrate is None else recalibrate:
        from atrocity_watch.forecast._calibration import recalibrate_backtest

        run = recalibrate_backtest(run, data)
    return run
