"""A synthetic warehouse for the dashboard's tests, security matrix and load benchmark.

Written through the warehouse API (``Warehouse.replace_table``), as the forecast and panel
builds write theirs.

The numbers are made up (deterministic, seeded) and say so: the model is called
``synthetic-test-model``. Shapes follow ``docs/interfaces.md``: ``forecasts``,
``forecast_meta``, ``forecast_drivers``, ``panel_country_year``, ``panel_country_month``.

Known values the tests rely on:

- Sudan (SDN) ranks 1st in the latest base year with probability 0.30 (0.21 the year before),
  Myanmar (MMR) 2nd with 0.20; both have drivers in risk factors 0, 1 and 7.
- Sudan's yearly event series has no data for 2001 and 2002 (NULL rows), and no row at all
  for 2005 (a gap the pages must fill in, not join).
- Norway (NOR) has a forecast but no panel rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

MODEL = "synthetic-test-model"
OTHER_MODEL = "synthetic-challenger"
BASE_YEARS = (2021, 2022, 2023, 2024)
EVENTS = ("one_sided_deaths", "state_based_deaths", "non_state_deaths")
FIXED = {
    ("SDN", 2024): 0.30,
    ("SDN", 2023): 0.21,
    ("MMR", 2024): 0.20,
    ("MMR", 2023): 0.22,
}


def map_countries() -> list[str]:
    """ISO3 codes of the world map's shapes (about 175 countries), as the forecasts cover."""
    from atrocity_watch.web.dashboard.worldmap import shapes

    return sorted({s.iso3 for s in shapes() if s.iso3})


def _structural_features() -> list[str]:
    try:
        from atrocity_watch.web.dashboard.indicators import structural_features
    except ImportError:
        return []
    return [f.name for f in structural_features()][:12]


def forecasts_table(countries: Sequence[str], seed: int = 7) -> pa.Table:
    rng = random.Random(seed)
    rows = []
    for model in (MODEL, OTHER_MODEL):
        for year in BASE_YEARS:
            probabilities = {
                iso3: FIXED.get((iso3, year), round(rng.betavariate(0.6, 30), 5))
                if model == MODEL
                else round(rng.betavariate(0.6, 30), 5)
                for iso3 in countries
            }
            # Other countries stay below the fixed leaders so ranks are known.
            if model == MODEL:
                for iso3 in probabilities:
                    if (iso3, year) not in FIXED:
                        probabilities[iso3] = min(probabilities[iso3], 0.15)
            ordered = sorted(probabilities, key=lambda c: -probabilities[c])
            for rank, iso3 in enumerate(ordered, start=1):
                p = probabilities[iso3]
                rows.append(
                    {
                        "model": model,
                        "base_year": year,
                        "window_start": year + 1,
                        "window_end": year + 2,
                        "iso3": iso3,
                        "country": iso3,
                        "probability": p,
                        "ci_low": round(p * 0.6, 5),
                        "ci_high": round(min(1.0, p * 1.5 + 0.005), 5),
                        "rank": rank,
                        "data_version": "synthetic 1.0",
                        "created_at": dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC),
                    }
                )
    return pa.Table.from_pylist(rows)


def meta_table() -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "model": MODEL,
                "headline": True,
                "title": "Synthetic test model",
                "description": "Made-up numbers for tests; not a forecast.",
                "sources": "ewp_prepared,ucdp_onesided",
            },
            {
                "model": OTHER_MODEL,
                "headline": False,
                "title": "Synthetic challenger",
                "description": "",
                "sources": "",
            },
        ]
    )


DRIVER_FEATURES = (
    (0, "year_trend"),
    (1, "vdem_physical_integrity"),
    (1, "battle_deaths"),
    (7, "one_sided_deaths"),
    (3, "infant_mortality"),
)


def drivers_table(countries: Sequence[str], seed: int = 11) -> pa.Table:
    rng = random.Random(seed)
    rows = []
    for year in BASE_YEARS:
        for iso3 in countries:
            for risk_factor, feature in DRIVER_FEATURES:
                contribution = round(rng.uniform(-0.8, 1.2), 4)
                if iso3 == "SDN" and risk_factor == 7:
                    contribution = 1.5 if year == BASE_YEARS[-1] else 1.0
                rows.append(
                    {
                        "model": MODEL,
                        "base_year": year,
                        "iso3": iso3,
                        "risk_factor": risk_factor,
                        "feature": feature,
                        "value": round(rng.uniform(0, 100), 3),
                        "contribution": contribution,
                    }
                )
    return pa.Table.from_pylist(rows)


def year_panel(countries: Sequence[str], seed: int = 13) -> pa.Table:
    rng = random.Random(seed)
    structural = _structural_features()
    rows = []
    for iso3 in countries:
        if iso3 == "NOR":
            continue
        for year in range(1989, 2025):
            if iso3 == "SDN" and year == 2005:
                continue  # no row at all: the page must show a gap, not join 2004 to 2006
            row: dict[str, object] = {"iso3": iso3, "year": year}
            missing = iso3 == "SDN" and year in (2001, 2002)
            for column in EVENTS:
                row[column] = None if missing else float(rng.choice([0, 0, 5, 40, 300]))
            for column in structural:
                row[column] = None if year < 2000 else round(rng.uniform(0, 1), 3)
            rows.append(row)
    return pa.Table.from_pylist(rows)


def month_panel(countries: Sequence[str], seed: int = 17) -> pa.Table:
    rng = random.Random(seed)
    rows = []
    for iso3 in sorted({*countries[:40], "SDN", "MMR"}):
        for year in range(2021, 2025):
            for month in range(1, 13):
                missing = iso3 == "SDN" and (year, month) == (2022, 3)
                rows.append(
                    {
                        "iso3": iso3,
                        "month": dt.date(year, month, 1),
                        **{
                            column: None if missing else float(rng.choice([0, 2, 10, 60]))
                            for column in EVENTS
                        },
                    }
                )
    return pa.Table.from_pylist(rows)


_BUILT: dict[str, Path] = {}


def shared_home() -> Path:
    """One synthetic warehouse per test session, built on first use (read-only afterwards)."""
    import tempfile

    if "home" not in _BUILT:
        _BUILT["home"] = build(Path(tempfile.mkdtemp(prefix="aw-dashboard-sample-")))
    return _BUILT["home"]


def build(home: Path, *, panels: bool = True, forecasts: bool = True) -> Path:
    """Write the synthetic tables into the warehouse of ``home``; return ``home``."""
    from atrocity_watch.warehouse import Warehouse

    warehouse = Warehouse(home)
    countries = map_countries()
    if forecasts:
        warehouse.replace_table("forecasts", forecasts_table(countries), kind="forecast")
        warehouse.replace_table("forecast_meta", meta_table(), kind="forecast")
        warehouse.replace_table("forecast_drivers", drivers_table(countries), kind="forecast")
    if panels:
        warehouse.replace_table("panel_country_year", year_panel(countries), kind="panel")
        warehouse.replace_table("panel_country_month", month_panel(countries), kind="panel")
    return home
