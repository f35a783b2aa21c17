"""Forecasts for the pages: the headline model's latest list, its history, and its drivers.

Reads the warehouse tables ``forecasts``, ``forecast_meta`` and ``forecast_drivers``
(``docs/interfaces.md``) through :mod:`.reads`. Only the headline model is shown on the pages:
the model that ``forecast_meta`` names (see :func:`headline_model` for the shapes it accepts).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from atrocity_watch.web.dashboard.reads import (
    DashboardDataError,
    Snapshot,
    load_tables,
    require_columns,
)

FORECAST_COLUMNS = (
    "model",
    "base_year",
    "window_start",
    "window_end",
    "iso3",
    "country",
    "probability",
    "ci_low",
    "ci_high",
    "rank",
    "data_version",
    "created_at",
)
DRIVER_COLUMNS = ("model", "base_year", "iso3", "risk_factor", "feature", "value", "contribution")

NO_FORECASTS = (
    "No forecasts yet. An administrator can compute them with `atrocity-watch forecast run` "
    "(after importing data with `atrocity-watch data import`), or run `make run` with data, "
    "which does both."
)


@dataclass(frozen=True)
class CountryForecast:
    """One country's forecast from one model and base year."""

    iso3: str
    country: str
    model: str
    base_year: int
    window_start: int | None
    window_end: int | None
    probability: float
    ci_low: float | None
    ci_high: float | None
    rank: int | None
    data_version: str
    created_at: dt.datetime | None
    # The same model on the previous year's data, when the forecast layer records it.
    previous_probability: float | None = None

    @property
    def window(self) -> str:
        """The forecast window in words, e.g. "2025–2026"."""
        if self.window_start is None:
            return ""
        if self.window_end is None or self.window_end == self.window_start:
            return str(self.window_start)
        return f"{self.window_start}–{self.window_end}"


@dataclass(frozen=True)
class ModelInfo:
    """What ``forecast_meta`` says about a model (all optional but the name)."""

    model: str
    title: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Forecasts:
    """The headline model's forecasts: the latest base year, the previous one, every year."""

    model: ModelInfo
    base_years: tuple[int, ...]
    latest: Mapping[str, CountryForecast]
    previous: Mapping[str, CountryForecast]
    history: Mapping[str, tuple[CountryForecast, ...]]
    snapshot: Snapshot
    ranked: tuple[CountryForecast, ...] = field(default=())

    @property
    def base_year(self) -> int:
        """The latest base year."""
        return self.base_years[-1]

    @property
    def previous_base_year(self) -> int | None:
        """The base year before the latest, when there is one."""
        return self.base_years[-2] if len(self.base_years) > 1 else None

    def change(self, iso3: str) -> float | None:
        """Probability now minus probability in the previous base year (None if either lacks).

        The previous base year's forecast in the table is used; without one, the
        ``previous_probability`` the forecast layer may record with the latest row.
        """
        now, before = self.latest.get(iso3), self.previous.get(iso3)
        if now is None:
            return None
        if before is not None:
            return now.probability - before.probability
        if now.previous_probability is not None:
            return now.probability - now.previous_probability
        return None

    @property
    def change_against(self) -> int | None:
        """The year the change is measured against (when there is a change to show)."""
        if self.previous_base_year is not None:
            return self.previous_base_year
        if any(f.previous_probability is not None for f in self.ranked):
            return self.base_year - 1
        return None

    @property
    def created_at(self) -> dt.datetime | None:
        """When the latest list was computed."""
        return max((f.created_at for f in self.ranked if f.created_at), default=None)

    @property
    def data_version(self) -> str:
        """The data version(s) the latest list was computed from."""
        return ", ".join(sorted({f.data_version for f in self.ranked if f.data_version}))


def _year(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, float) and math.isnan(value):
        return None
    return int(value)


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _meta_rows(meta: pa.Table | None) -> list[dict[str, Any]]:
    return [] if meta is None else meta.to_pylist()


def _sources_named_in(text: str) -> tuple[str, ...]:
    """Declared source names that occur in a data-version text ("… (ewp_prepared 2024…)")."""
    from atrocity_watch.sources import SOURCES

    return tuple(s.name for s in SOURCES if s.name in text)


def headline_model(meta: pa.Table | None, models: set[str]) -> ModelInfo:
    """The model the pages show, from ``forecast_meta``.

    Accepted shapes of ``forecast_meta``: rows per model (or per model and base year) with a
    boolean ``headline`` column (and optional ``title``, ``description``, ``sources`` —
    comma-separated source names); key/value rows where ``key == "headline"``; or a
    ``headline_model`` column. Without ``forecast_meta``, a warehouse holding a single model
    shows that one. Without ``sources``, the source names found in the model's
    ``data_version`` are used.
    """
    rows = _meta_rows(meta)
    columns = set(meta.column_names) if meta is not None else set()
    name: str | None = None
    if {"model", "headline"} <= columns:
        chosen = sorted(
            {str(r["model"]) for r in rows if r.get("headline") in (True, 1, "true", "True")}
        )
        if len(chosen) > 1:
            raise DashboardDataError(
                f"forecast_meta marks more than one headline model ({', '.join(chosen)}); "
                "run `atrocity-watch forecast run` again to rewrite it."
            )
        name = chosen[0] if chosen else None
    elif {"key", "value"} <= columns:
        name = next((str(r["value"]) for r in rows if r.get("key") == "headline"), None)
    elif "headline_model" in columns and rows:
        name = str(rows[0]["headline_model"])
    if name is None:
        if len(models) == 1:
            name = next(iter(models))
        else:
            raise DashboardDataError(
                "The warehouse holds forecasts of several models ("
                + ", ".join(sorted(models))
                + ") but forecast_meta names none as the headline; run "
                "`atrocity-watch forecast run` again."
            )
    if name not in models:
        raise DashboardDataError(
            f"forecast_meta names {name!r} as the headline model, but the forecasts table has "
            f"no rows for it (models: {', '.join(sorted(models)) or 'none'})."
        )
    info: dict[str, Any] = {}
    if "model" in columns:
        own = [r for r in rows if str(r.get("model")) == name]
        # One row per base year: the latest describes the model as the pages show it.
        own.sort(key=lambda r: r.get("base_year") or 0)
        info = own[-1] if own else {}
    elif {"key", "value"} <= columns:
        info = {str(r["key"]): r["value"] for r in rows}
    raw_sources = info.get("sources") or ""
    sources = (
        tuple(str(s) for s in raw_sources)
        if isinstance(raw_sources, list | tuple)
        else tuple(s.strip() for s in str(raw_sources).split(",") if s.strip())
    )
    if not sources and info.get("data_version"):
        sources = _sources_named_in(str(info["data_version"]))
    return ModelInfo(
        model=name,
        title=_text(info.get("title")) or name,
        description=_text(info.get("description")),
        sources=sources,
    )


def _build(tables: dict[str, pa.Table | None], snaps: dict[str, Snapshot | None]) -> Any:
    arrow = tables["forecasts"]
    snapshot = snaps["forecasts"]
    if arrow is None or snapshot is None or arrow.num_rows == 0:
        return None
    require_columns(arrow, "forecasts", ("model", "base_year", "iso3", "probability"))
    models = {str(m) for m in arrow.column("model").to_pylist()}
    info = headline_model(tables["forecast_meta"], models)
    present = set(arrow.column_names)
    by_year: dict[int, dict[str, CountryForecast]] = {}
    for row in arrow.to_pylist():
        if str(row["model"]) != info.model:
            continue
        probability = _float(row["probability"])
        if probability is None:
            continue  # a country the model could not score is "no data", never 0
        base_year = int(row["base_year"])
        forecast = CountryForecast(
            iso3=str(row["iso3"]).upper(),
            country=_text(row.get("country")) if "country" in present else "",
            model=info.model,
            base_year=base_year,
            window_start=_year(row.get("window_start")),
            window_end=_year(row.get("window_end")),
            probability=probability,
            ci_low=_float(row.get("ci_low")),
            ci_high=_float(row.get("ci_high")),
            rank=_year(row.get("rank")),
            data_version=_text(row.get("data_version")),
            created_at=_datetime(row.get("created_at")),
            previous_probability=_float(row.get("previous_probability")),
        )
        by_year.setdefault(base_year, {})[forecast.iso3] = forecast
    if not by_year:
        return None
    years = tuple(sorted(by_year))
    history: dict[str, list[CountryForecast]] = {}
    for year in years:
        for iso3, forecast in by_year[year].items():
            history.setdefault(iso3, []).append(forecast)
    latest = by_year[years[-1]]
    ranked = sorted(
        latest.values(),
        key=lambda f: (f.rank if f.rank is not None else 10**9, -f.probability, f.iso3),
    )
    return Forecasts(
        model=info,
        base_years=years,
        latest=latest,
        previous=by_year[years[-2]] if len(years) > 1 else {},
        history={k: tuple(v) for k, v in history.items()},
        snapshot=snapshot,
        ranked=tuple(ranked),
    )


def forecasts() -> Forecasts | None:
    """The headline model's forecasts, or None when there are none yet.

    Raises :class:`DashboardDataError` when the tables exist but cannot be used.
    """
    result: Forecasts | None = load_tables(
        ("forecasts", "forecast_meta"), _build, purpose="headline"
    )
    return result


# -- drivers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Driver:
    """One feature's contribution (log-odds) to one country's forecast."""

    risk_factor: int
    feature: str
    value: float | None
    contribution: float


@dataclass(frozen=True)
class Drivers:
    """Contributions of the headline model by (base year, country)."""

    model: str
    by_country_year: Mapping[tuple[int, str], tuple[Driver, ...]]
    snapshot: Snapshot

    def of(self, iso3: str, base_year: int) -> tuple[Driver, ...]:
        """The drivers of one country's forecast (empty when not recorded)."""
        return self.by_country_year.get((base_year, iso3), ())


def _build_drivers(model: str) -> Any:
    def build(tables: dict[str, pa.Table | None], snaps: dict[str, Snapshot | None]) -> Any:
        arrow, snapshot = tables["forecast_drivers"], snaps["forecast_drivers"]
        if arrow is None or snapshot is None:
            return None
        require_columns(arrow, "forecast_drivers", DRIVER_COLUMNS)
        grouped: dict[tuple[int, str], list[Driver]] = {}
        for row in arrow.to_pylist():
            if str(row["model"]) != model:
                continue
            contribution = _float(row["contribution"])
            if contribution is None:
                continue
            key = (int(row["base_year"]), str(row["iso3"]).upper())
            grouped.setdefault(key, []).append(
                Driver(
                    risk_factor=int(row["risk_factor"] or 0),
                    feature=str(row["feature"]),
                    value=_float(row["value"]),
                    contribution=contribution,
                )
            )
        return Drivers(model, {k: tuple(v) for k, v in grouped.items()}, snapshot)

    return build


def drivers(model: str) -> Drivers | None:
    """The drivers of ``model``'s forecasts, or None when none were recorded."""
    result: Drivers | None = load_tables(
        ("forecast_drivers",), _build_drivers(model), purpose=f"drivers:{model}"
    )
    return result


@dataclass(frozen=True)
class RiskFactorShare:
    """The summed contribution of one Framework risk factor's features, now and a year before."""

    risk_factor: int
    name: str
    contribution: float
    previous: float | None
    drivers: tuple[Driver, ...]

    @property
    def change(self) -> float | None:
        """Contribution now minus the previous base year's."""
        return None if self.previous is None else self.contribution - self.previous


def by_risk_factor(
    current: tuple[Driver, ...], previous: tuple[Driver, ...] | None
) -> list[RiskFactorShare]:
    """Group drivers by risk factor (0 = not tied to one), largest absolute effect first."""
    from atrocity_watch.framework import FrameworkError, get_framework

    framework = get_framework()
    totals: dict[int, list[Driver]] = {}
    for d in current:
        totals.setdefault(d.risk_factor, []).append(d)
    before: dict[int, float] = {}
    for d in previous or ():
        before[d.risk_factor] = before.get(d.risk_factor, 0.0) + d.contribution
    shares = []
    for number, items in totals.items():
        if number == 0:
            name = "Not tied to a risk factor (region, time trend, baseline)"
        else:
            try:
                name = f"Risk factor {number}: {framework.risk_factor(number).name}"
            except FrameworkError:  # a number the Framework lacks: show it rather than hide it
                name = f"Risk factor {number}"
        shares.append(
            RiskFactorShare(
                risk_factor=number,
                name=name,
                contribution=sum(d.contribution for d in items),
                previous=before.get(number, 0.0) if previous is not None else None,
                drivers=tuple(sorted(items, key=lambda d: -abs(d.contribution))),
            )
        )
    return sorted(shares, key=lambda s: -abs(s.contribution))
