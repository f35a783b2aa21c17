"""Evaluation frames built from backtest forecasts (or EWP's FOOS file), and scoring them.

Both the models of this package and EWP's own published backtest go through the same two
functions (:func:`frames_from_forecasts`, :func:`frames_from_ewp_foos`) into the same
:class:`EvaluationFrames`, and are scored by the same :func:`evaluate`: that is what makes the
side-by-side table fair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from atrocity_watch.forecast._errors import ForecastDataError, InvalidParameterError
from atrocity_watch.forecast._metrics import (
    HEADLINE_METRICS,
    Columns,
    FloatArray,
    get_metric,
    reliability_table,
)

YearRange = tuple[int, int]
POOLED_YEARS: YearRange = (1994, 2024)
"""EWP's backtest outcome years."""
SELECTION_YEARS: YearRange = (1994, 2013)
"""Outcome years on which models, features and settings are chosen."""
HELD_OUT_YEARS: YearRange = (2014, 2024)
"""Outcome years kept for confirmation: never used to choose anything."""

DEFAULT_BOOTSTRAP = 1000
BOOTSTRAP_SEED = 20250903
"""Fixed so that intervals are reproducible (the date of EWP's 2025 run)."""

REPORTED_METRICS: tuple[str, ...] = (
    *HEADLINE_METRICS,
    "recall_at_10_latest",
    "recall_at_20_latest",
    "recall_at_30_latest",
)

_OUTCOME_COLUMNS = (
    "year", "ccode", "iso3", "country", "onset", "risk_latest", "rank_latest", "risk_earlier",
    "rank_earlier", "risk", "rank",
)  # fmt: skip
_WINDOW_COLUMNS = ("base_year", "ccode", "iso3", "probability", "outcome")


def _check_years(years: YearRange) -> None:
    first, last = years
    if first > last:
        raise InvalidParameterError(f"The year range {first}-{last} ends before it starts.")


@dataclass(frozen=True)
class EvaluationFrames:
    """A model's forecasts laid out for scoring (see :mod:`atrocity_watch.forecast._metrics`)."""

    model: str
    outcome_year: pd.DataFrame
    window: pd.DataFrame

    def __post_init__(self) -> None:
        for frame, columns in (
            (self.outcome_year, _OUTCOME_COLUMNS),
            (self.window, _WINDOW_COLUMNS),
        ):
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ForecastDataError(f"Evaluation frame lacks columns {missing}.")

    def restrict(self, years: YearRange) -> EvaluationFrames:
        """Outcome years within ``years``; forecast windows lying wholly within them."""
        _check_years(years)
        first, last = years
        outcome = self.outcome_year[self.outcome_year["year"].between(first, last)]
        base = self.window["base_year"]
        window = self.window[(base + 1 >= first) & (base + 2 <= last)]
        return EvaluationFrames(self.model, outcome, window)


def _rank_within(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby("base_year")["risk"].rank(method="min", ascending=False)


def window_outcomes(onsets: pd.DataFrame) -> pd.DataFrame:
    """Onset in B+1 or B+2 for every (ccode, B) whose window is observed in ``onsets``.

    Countries are matched across years on EWP's stable country code: the ISO3 key of a
    country-year follows the State of that year (Yugoslavia, Serbia and Montenegro, Serbia),
    while a forecast and its outcome years must be the same country.
    """
    rows = onsets[["ccode", "year", "onset"]].dropna()
    last_year = int(rows["year"].max())
    parts = []
    for shift in (1, 2):
        moved = rows.assign(base_year=rows["year"] - shift)[["ccode", "base_year", "onset"]]
        parts.append(moved)
    stacked = pd.concat(parts)
    outcome = stacked.groupby(["ccode", "base_year"], as_index=False)["onset"].max()
    outcome = outcome[outcome["base_year"] + 2 <= last_year]
    return outcome.rename(columns={"onset": "outcome"})


def frames_from_forecasts(
    model: str, forecasts: pd.DataFrame, onsets: pd.DataFrame, years: YearRange = POOLED_YEARS
) -> EvaluationFrames:
    """Frames from backtest forecasts (base_year, ccode, iso3, risk[, rank]) and onsets.

    ``onsets`` has one row per country-year (ccode, iso3, year, country, onset): every one of
    the data in the outcome years is scored, as EWP's script does, even where no forecast was
    possible (those rows simply carry no risk).
    """
    _check_years(years)
    forecasts = forecasts.copy()
    if "rank" not in forecasts.columns:
        forecasts["rank"] = _rank_within(forecasts)
    first, last = years
    base = onsets[onsets["year"].between(first, last)][
        ["year", "ccode", "iso3", "country", "onset"]
    ]
    latest = forecasts.rename(
        columns={"base_year": "year", "risk": "risk_latest", "rank": "rank_latest"}
    ).assign(year=lambda f: f["year"] + 1)[["year", "ccode", "risk_latest", "rank_latest"]]
    earlier = forecasts.rename(
        columns={"base_year": "year", "risk": "risk_earlier", "rank": "rank_earlier"}
    ).assign(year=lambda f: f["year"] + 2)[["year", "ccode", "risk_earlier", "rank_earlier"]]
    outcome = base.merge(latest, on=["year", "ccode"], how="left", validate="1:1").merge(
        earlier, on=["year", "ccode"], how="left", validate="1:1"
    )
    outcome["risk"] = outcome[["risk_latest", "risk_earlier"]].max(axis=1, skipna=True)
    outcome["rank"] = outcome[["rank_latest", "rank_earlier"]].min(axis=1, skipna=True)
    window = forecasts[["base_year", "ccode", "iso3", "risk"]].merge(
        window_outcomes(onsets), on=["ccode", "base_year"], how="inner"
    )
    window = window.rename(columns={"risk": "probability"})
    return EvaluationFrames(model, outcome.reset_index(drop=True), window.reset_index(drop=True))


def frames_from_ewp_foos(foos: pd.DataFrame, model: str = "ewp-foos") -> EvaluationFrames:
    """Frames from EWP's FOOS file (read through ``atrocity_watch.sources``, with ``iso3``).

    Its columns map one to one: ``risk_prev``/``rank_prev`` are the latest forecast,
    ``risk_two_years_prior``/``rank_two_years_prior`` the earlier one, ``maxrisk2`` and
    ``minrank2`` EWP's pooled risk and rank. The window frame is rebuilt from the same rows:
    the forecast from B appears as ``risk_prev`` in outcome year B+1.
    """
    needed = ["year", "ccode", "iso3", "mk_onset", "risk_prev", "rank_prev", "risk_two_years_prior",
              "rank_two_years_prior", "maxrisk2", "minrank2"]  # fmt: skip
    missing = [c for c in needed if c not in foos.columns]
    if missing:
        raise ForecastDataError(
            f"EWP's FOOS file lacks the columns {', '.join(missing)}; is it a "
            "FOOSforecasts_<date>.csv file read through atrocity-watch's sources?"
        )
    country = foos["ewp_name"] if "ewp_name" in foos.columns else foos["iso3"]
    outcome = pd.DataFrame(
        {
            "year": foos["year"].astype(np.int64),
            "ccode": foos["ccode"].astype(np.int64),
            "iso3": foos["iso3"],
            "country": country,
            "onset": foos["mk_onset"].astype(np.float64),
            "risk_latest": foos["risk_prev"].astype(np.float64),
            "rank_latest": foos["rank_prev"].astype(np.float64),
            "risk_earlier": foos["risk_two_years_prior"].astype(np.float64),
            "rank_earlier": foos["rank_two_years_prior"].astype(np.float64),
            "risk": foos["maxrisk2"].astype(np.float64),
            "rank": foos["minrank2"].astype(np.float64),
        }
    )
    forecasts = outcome.dropna(subset=["risk_latest"]).assign(base_year=lambda f: f["year"] - 1)
    onsets = outcome[["ccode", "year", "onset"]]
    window = forecasts[["base_year", "ccode", "iso3", "risk_latest"]].merge(
        window_outcomes(onsets), on=["ccode", "base_year"], how="inner"
    )
    window = window.rename(columns={"risk_latest": "probability"})
    return EvaluationFrames(model, outcome.reset_index(drop=True), window.reset_index(drop=True))


@dataclass(frozen=True)
class MetricValue:
    """A metric's value with its bootstrap confidence interval (NaN bounds without one)."""

    value: float
    ci_low: float
    ci_high: float

    def as_json(self) -> dict[str, float | None]:
        """``{"value", "ci_low", "ci_high"}`` with None for undefined numbers."""

        def clean(x: float) -> float | None:
            return None if np.isnan(x) else round(float(x), 6)

        return {
            "value": clean(self.value),
            "ci_low": clean(self.ci_low),
            "ci_high": clean(self.ci_high),
        }


@dataclass(frozen=True)
class Evaluation:
    """A model's scores over one range of outcome years."""

    model: str
    years: YearRange
    values: dict[str, MetricValue]
    onsets: int
    outcome_rows: int
    windows: int
    window_onsets: int
    bootstrap: int
    reliability: pd.DataFrame = field(repr=False)

    def as_json(self) -> dict[str, Any]:
        """The shape ``forecast backtest --json`` prints (one object per model)."""
        out: dict[str, Any] = {"model": self.model}
        for name in REPORTED_METRICS:
            if name in self.values:
                out[name] = self.values[name].as_json()
        out["onsets"] = self.onsets
        out["years"] = list(self.years)
        out["outcome_rows"] = self.outcome_rows
        out["windows"] = self.windows
        out["window_onsets"] = self.window_onsets
        out["bootstrap"] = self.bootstrap
        return out


def _columns(frame: pd.DataFrame, names: Sequence[str]) -> dict[str, FloatArray]:
    return {n: frame[n].to_numpy(dtype=np.float64) for n in names}


def _year_blocks(years: FloatArray) -> list[FloatArray]:
    order = np.argsort(years, kind="stable")
    boundaries = np.flatnonzero(np.diff(years[order])) + 1
    return [np.asarray(b) for b in np.split(order, boundaries)]


def _resample(columns: Columns, blocks: list[FloatArray], rng: np.random.Generator) -> Columns:
    chosen = rng.integers(0, len(blocks), len(blocks))
    index = np.concatenate([blocks[i] for i in chosen]).astype(np.int64)
    return {name: values[index] for name, values in columns.items()}


def evaluate(
    frames: EvaluationFrames,
    years: YearRange = POOLED_YEARS,
    *,
    metrics: Sequence[str] = REPORTED_METRICS,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> Evaluation:
    """Score ``frames`` over outcome ``years``, with bootstrap intervals that resample years.

    Whole years are resampled (outcome years for the outcome-year metrics, base years for the
    window metrics), because forecasts within a year share that year's shocks. ``bootstrap=0``
    gives values without intervals. The generator is seeded, so intervals are reproducible.
    """
    if bootstrap < 0:
        raise InvalidParameterError(f"'bootstrap' must be 0 or more replicates. Got {bootstrap}.")
    if not 0 < level < 1:
        raise InvalidParameterError(f"'level' must be in (0, 1). Got {level}.")
    chosen = [get_metric(name) for name in metrics]
    scoped = frames.restrict(years)
    outcome = _columns(scoped.outcome_year, ["year", "onset", "risk", "rank", "rank_latest"])
    window = _columns(scoped.window, ["base_year", "probability", "outcome"])
    if not outcome["year"].size:
        raise ForecastDataError(
            f"{frames.model}: no forecasts to score in outcome years {years[0]}-{years[1]}."
        )
    tables: dict[str, Columns] = {"outcome_year": outcome, "window": window}
    blocks = {
        "outcome_year": _year_blocks(outcome["year"]),
        "window": _year_blocks(window["base_year"]),
    }
    values = {m.name: m.compute(tables[m.frame]) for m in chosen}
    draws: dict[str, list[float]] = {m.name: [] for m in chosen}
    rng = np.random.default_rng(seed)
    for _ in range(bootstrap):
        sample = {kind: _resample(tables[kind], blocks[kind], rng) for kind in tables}
        for metric in chosen:
            draws[metric.name].append(metric.compute(sample[metric.frame]))
    tail = (1.0 - level) / 2.0
    result: dict[str, MetricValue] = {}
    for metric in chosen:
        finite = np.asarray([d for d in draws[metric.name] if np.isfinite(d)])
        if bootstrap and finite.size:
            low, high = np.quantile(finite, [tail, 1.0 - tail])
        else:
            low = high = float("nan")
        result[metric.name] = MetricValue(values[metric.name], float(low), float(high))
    scored = ~np.isnan(window["probability"])
    return Evaluation(
        model=frames.model,
        years=years,
        values=result,
        onsets=int(np.nansum(outcome["onset"])),
        outcome_rows=int(outcome["year"].size),
        windows=int(scored.sum()),
        window_onsets=int(window["outcome"][scored].sum()),
        bootstrap=bootstrap,
        reliability=reliability_table(window["outcome"][scored], window["probability"][scored]),
    )


FOOS_SOURCE = "ewp_foos"
FOOS_TABLE = "src_ewp_foos"


def read_ewp_foos(path: Any = None, warehouse: Any = None) -> pd.DataFrame | None:
    """EWP's FOOS backtest from a file (validated by the sources layer) or the warehouse.

    None when no path is given and the warehouse does not hold one.
    """
    if path is not None:
        from pathlib import Path

        from atrocity_watch.sources import SourceError, read_file

        if not Path(path).is_file():
            raise ForecastDataError(f"{path}: no such file.")
        try:
            return read_file(Path(path), source=FOOS_SOURCE).table.to_pandas()
        except SourceError as exc:
            raise ForecastDataError(str(exc)) from None
    if warehouse is not None and warehouse.has_table(FOOS_TABLE):
        return warehouse.read_table(FOOS_TABLE).to_pandas()
    return None
