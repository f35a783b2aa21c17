"""Event-based features for the onset models, derived from ``panel_country_year``.

EWP's predictors hold one event measure (battle deaths). The panels add what UCDP records of
violence against civilians, by government forces and by non-State armed groups, fighting
between non-State groups, and violence next door (spillover, Framework indicator 8.2), plus
EPR's excluded population and the Political Terror Scale. Each feature here is declared with
the panel columns it comes from and the Framework tags it inherits from them.

Time: a feature for data year t uses only panel values of years <= t (levels, sums over the
last three years, change against the previous three years' mean, the last value carried
forward). UCDP's yearly data begin in 1989; earlier years are missing, never zero. Slow-moving
structural series whose latest release stops before the base year (EPR 2021, PTS and V-Dem
2023) carry their last value forward for at most three years. The panels come from today's
releases (UCDP 25.1, EPR 2021, PTS 2024): like EWP's own data, a 2025 vintage, so the backtest
is pseudo out of sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from atrocity_watch.forecast._data import ModellingData
from atrocity_watch.forecast._errors import ForecastDataError
from atrocity_watch.forecast._predictors import EWP_PREDICTOR_NAMES, Predictor

PANEL_TABLE = "panel_country_year"
UCDP_FIRST_YEAR = 1989
CARRY_FORWARD_YEARS = 3

Transform = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class EventFeature:
    """A model feature computed from panel columns, tagged like the columns it reads."""

    name: str
    title: str
    columns: tuple[str, ...]
    transform: Transform
    risk_factor: int
    indicators: tuple[str, ...]
    why: str
    ucdp: bool = True

    def as_predictor(self) -> Predictor:
        """The same declaration in the form explanations use."""
        return Predictor(
            self.name, self.title, self.risk_factor, self.indicators, self.why, source="panels"
        )


def _log(column: str) -> Transform:
    return lambda g: np.log1p(g[column].clip(lower=0))


def _log_sum_3y(column: str) -> Transform:
    # t-2..t within the country; min_periods=3 so a sum never silently covers fewer years
    return lambda g: np.log1p(
        g.groupby("iso3")[column].transform(lambda s: s.rolling(3, min_periods=3).sum())
    )


def _log_rise(column: str) -> Transform:
    def rise(g: pd.DataFrame) -> pd.Series:
        current = np.log1p(g[column])
        before = g.groupby("iso3")[column].transform(
            lambda s: s.shift(1).rolling(3, min_periods=3).mean()
        )
        return current - np.log1p(before)

    return rise


def _carried(column: str) -> Transform:
    return lambda g: g.groupby("iso3")[column].transform(
        lambda s: s.ffill(limit=CARRY_FORWARD_YEARS)
    )


EVENT_FEATURES: tuple[EventFeature, ...] = (
    EventFeature(
        "osv_government_log", "Civilians killed by government forces (log, UCDP)",
        ("one_sided_deaths_government",), _log("one_sided_deaths_government"), 2,
        ("2.1", "7.8", "10.2", "11.1"),
        "The State already killing civilians is the closest precursor of a State-led episode.",
    ),
    EventFeature(
        "osv_nonstate_log", "Civilians killed by non-State armed groups (log, UCDP)",
        ("one_sided_deaths_nonstate",), _log("one_sided_deaths_nonstate"), 7,
        ("7.8", "11.1", "5.5"),
        "Armed groups already killing civilians precede non-State-led episodes.",
    ),
    EventFeature(
        "osv_government_3y_log", "Civilians killed by government forces, last 3 years (log)",
        ("one_sided_deaths_government",), _log_sum_3y("one_sided_deaths_government"), 2,
        ("2.1", "7.8", "10.2"),
        "Sustained State violence against civilians, not a single year's spike.",
    ),
    EventFeature(
        "osv_nonstate_3y_log", "Civilians killed by non-State groups, last 3 years (log)",
        ("one_sided_deaths_nonstate",), _log_sum_3y("one_sided_deaths_nonstate"), 7,
        ("7.8", "11.1", "5.5"),
        "Sustained violence against civilians by armed groups.",
    ),
    EventFeature(
        "osv_government_rise", "Rise in State killing of civilians vs the 3 years before",
        ("one_sided_deaths_government",), _log_rise("one_sided_deaths_government"), 7,
        ("7.8", "2.1"),
        "Rising violations against targeted groups (indicator 7.8).",
    ),
    EventFeature(
        "nonstate_conflict_log", "Deaths in fighting between non-State groups (log, UCDP)",
        ("non_state_deaths",), _log("non_state_deaths"), 1, ("1.2", "1.5", "5.5"),
        "Communal and militia fighting, the setting of many non-State-led episodes.",
    ),
    EventFeature(
        "state_conflict_log", "Deaths in State-based armed conflict (log, UCDP)",
        ("state_based_deaths",), _log("state_based_deaths"), 1, ("1.1", "8.1"),
        "Armed conflict involving the State, UCDP's current release.",
    ),
    EventFeature(
        "neighbour_violence_log", "Deaths in organised violence in land neighbours (log)",
        ("neighbour_violence_deaths",), _log("neighbour_violence_deaths"), 8, ("8.2", "1.2"),
        "Armed conflict spilling over from neighbouring countries (indicator 8.2).",
    ),
    EventFeature(
        "epr_excluded_share", "Population share of politically excluded ethnic groups (EPR)",
        ("epr_excluded_population_share",), _carried("epr_excluded_population_share"), 9,
        ("9.1", "1.11", "6.1"),
        "Groups excluded from power: exclusionary practice and tension along identity lines.",
        ucdp=False,
    ),
    EventFeature(
        "pts_max", "Political Terror Scale, worst of the three reports (1-5)",
        ("pts_max",), _carried("pts_max"), 2, ("2.1", "1.6", "7.8"),
        "State terror (killings, torture, disappearances) as human rights reports record it.",
        ucdp=False,
    ),
    EventFeature(
        "vdem_physical_integrity", "Physical integrity rights (V-Dem, 0-1)",
        ("vdem_physical_integrity",), _carried("vdem_physical_integrity"), 2, ("2.1", "7.8"),
        "Freedom from political killing and torture by the State.",
        ucdp=False,
    ),
)  # fmt: skip

NEIGHBOUR_FEATURES: tuple[EventFeature, ...] = (
    EventFeature(
        "neighbour_mk_ongoing", "Land neighbours with an ongoing mass killing (EWP)",
        ("mk_ongoing_count_log2",), lambda g: g["neighbour_mk_ongoing"], 8, ("8.2", "1.2"),
        "Mass atrocities next door: refugees, armed groups and arms cross borders (8.2).",
        ucdp=False,
    ),
    EventFeature(
        "neighbour_osv_log", "Civilians killed in one-sided violence in land neighbours (log)",
        ("one_sided_deaths",), lambda g: np.log1p(g["neighbour_osv"]), 8, ("8.2", "11.1"),
        "Violence against civilians next door spilling over (8.2).",
    ),
)  # fmt: skip

ALL_EVENT_FEATURES: tuple[EventFeature, ...] = (*EVENT_FEATURES, *NEIGHBOUR_FEATURES)
EVENT_FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in EVENT_FEATURES)
NEIGHBOUR_FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in NEIGHBOUR_FEATURES)


def _neighbour_sum(frame: pd.DataFrame, column: str) -> pd.Series:
    """Sum of ``column`` over each country's land neighbours in the same year.

    Missing when the country has no neighbour rows that year (historical States the
    registry gives no borders, or data not covering the year); islands get 0.
    """
    from atrocity_watch.countries import get_registry

    registry = get_registry()
    pairs: list[tuple[str, str]] = []
    for iso3 in frame["iso3"].unique():
        try:
            neighbours = registry.neighbours(str(iso3))
        except Exception:  # a key the registry does not know has no known borders
            neighbours = []
        pairs.extend((str(iso3), n) for n in neighbours)
    links = pd.DataFrame(pairs, columns=["iso3", "neighbour"])
    values = frame[["iso3", "year", column]].rename(columns={"iso3": "neighbour"})
    joined = links.merge(values, on="neighbour").groupby(["iso3", "year"])[column].sum(min_count=1)
    out = frame[["iso3", "year"]].merge(
        joined.rename("total").reset_index(), on=["iso3", "year"], how="left"
    )["total"]
    islands = ~frame["iso3"].isin(links["iso3"])
    out[islands.to_numpy()] = np.where(frame.loc[islands, column].notna(), 0.0, np.nan)
    return out


def build_event_features(panel: pd.DataFrame, ewp: pd.DataFrame | None = None) -> pd.DataFrame:
    """Event features per (iso3, year) from the country-year panel; missing stays missing.

    ``ewp`` (EWP's country-years with ``mk_ongoing_count_log2``) feeds the neighbours'
    ongoing mass killings; without it that feature is missing.
    """
    needed = sorted({c for f in EVENT_FEATURES for c in f.columns} | {"iso3", "year"})
    needed.append("one_sided_deaths")
    missing = [c for c in needed if c not in panel.columns]
    if missing:
        raise ForecastDataError(
            f"The country-year panel lacks {', '.join(missing)}: rebuild the panels "
            "(atrocity-watch panels build) after importing UCDP, EPR and PTS."
        )
    frame = panel[needed].sort_values(["iso3", "year"], kind="stable").reset_index(drop=True)
    frame["year"] = frame["year"].astype(np.int64)
    frame["neighbour_osv"] = _neighbour_sum(frame, "one_sided_deaths").to_numpy()
    if ewp is not None:
        ongoing = ewp[["iso3", "year"]].assign(
            ongoing=(ewp["mk_ongoing_count_log2"] > 0).astype(np.float64)
        )
        counted = _neighbour_sum(ongoing, "ongoing")
        counted.index = ongoing.index
        ongoing = ongoing.assign(neighbour_mk_ongoing=counted.to_numpy())
        frame = frame.merge(
            ongoing[["iso3", "year", "neighbour_mk_ongoing"]], on=["iso3", "year"], how="left"
        )
    else:
        frame["neighbour_mk_ongoing"] = np.nan
    out = frame[["iso3", "year"]].copy()
    for feature in ALL_EVENT_FEATURES:
        values = pd.Series(np.asarray(feature.transform(frame), dtype=np.float64))
        if feature.ucdp:
            values[frame["year"].to_numpy() < UCDP_FIRST_YEAR] = np.nan
        out[feature.name] = values.to_numpy()
    return out


def read_event_features(warehouse: Any, ewp: pd.DataFrame | None = None) -> pd.DataFrame:
    """Event features from the warehouse's country-year panel (and EWP's ongoing episodes)."""
    if not warehouse.has_table(PANEL_TABLE):
        raise ForecastDataError(
            "The warehouse has no country-year panel: import the sources and run "
            "atrocity-watch panels build, or choose a model on EWP's predictors only."
        )
    return build_event_features(warehouse.read_table(PANEL_TABLE).to_pandas(), ewp)


def with_event_features(data: ModellingData, warehouse: Any) -> ModellingData:
    """EWP's data with the event features joined (for models that use the panels)."""
    names = tuple(f.name for f in ALL_EVENT_FEATURES)
    if all(name in data.frame.columns for name in names):
        return data
    return data.with_features(read_event_features(warehouse, data.frame), names)


FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "ewp": EWP_PREDICTOR_NAMES,
    "ewp+events": (*EWP_PREDICTOR_NAMES, *EVENT_FEATURE_NAMES),
    "ewp+events+neighbours": (*EWP_PREDICTOR_NAMES, *EVENT_FEATURE_NAMES, *NEIGHBOUR_FEATURE_NAMES),
}
"""Named feature sets, so experiments can swap features without new registry entries."""
