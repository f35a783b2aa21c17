"""Features respect time: a feature for year t changes only when data of years <= t change.

Also: every feature of every registered model is tagged to indicators that exist.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from atrocity_watch.forecast import MODELS, all_features, build_event_features, feature_info
from atrocity_watch.forecast._calibration import recalibration
from atrocity_watch.forecast._events import ALL_EVENT_FEATURES, UCDP_FIRST_YEAR
from atrocity_watch.framework import get_framework

COUNTRIES = ["COD", "RWA", "UGA", "BDI", "FJI"]  # FJI: an island, no land neighbours


def _panel(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(1985, 2025)
    rows = []
    for iso3 in COUNTRIES:
        for year in years:
            rows.append({"iso3": iso3, "year": year})
    panel = pd.DataFrame(rows)
    columns = {c for f in ALL_EVENT_FEATURES for c in f.columns} - {"mk_ongoing_count_log2"}
    for column in sorted(columns | {"one_sided_deaths"}):
        panel[column] = rng.poisson(40, len(panel)).astype(float)
    panel.loc[panel["year"] > 2021, "epr_excluded_population_share"] = np.nan  # EPR stops
    return panel


def _ewp(panel: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return panel[["iso3", "year"]].assign(mk_ongoing_count_log2=rng.integers(0, 2, len(panel)))


@pytest.mark.parametrize("cutoff", [1995, 2010, 2023])
def test_no_feature_looks_at_later_years(cutoff: int) -> None:
    panel = _panel()
    ewp = _ewp(panel)
    before = build_event_features(panel, ewp)
    later = panel["year"] > cutoff
    changed = panel.copy()
    value_columns = [c for c in panel.columns if c not in ("iso3", "year")]
    changed.loc[later, value_columns] = changed.loc[later, value_columns] * 7 + 1000
    changed_ewp = ewp.copy()
    changed_ewp.loc[later, "mk_ongoing_count_log2"] = (
        1 - changed_ewp.loc[later, "mk_ongoing_count_log2"]
    )
    after = build_event_features(changed, changed_ewp)
    upto = before["year"] <= cutoff
    pd.testing.assert_frame_equal(before[upto], after[upto])
    # ...while later years did change, so the comparison could fail
    assert not before[~upto].equals(after[~upto])


def test_missing_stays_missing_and_ucdp_starts_in_1989() -> None:
    features = build_event_features(_panel(), _ewp(_panel()))
    ucdp = [f.name for f in ALL_EVENT_FEATURES if f.ucdp]
    early = features["year"] < UCDP_FIRST_YEAR
    assert features.loc[early, ucdp].isna().all().all()
    # EPR stops in 2021: carried forward at most 3 years, never invented
    epr = features.set_index(["iso3", "year"])["epr_excluded_share"]
    assert epr.loc["COD", 2024] == epr.loc["COD", 2021]
    fiji = features[features["iso3"] == "FJI"]
    assert (fiji.loc[fiji["year"] >= UCDP_FIRST_YEAR, "neighbour_osv_log"] == 0).all()


def test_every_model_feature_is_tagged_to_real_indicators() -> None:
    framework = get_framework()
    for spec in MODELS.values():
        for name in spec.features:
            info = feature_info(name)
            assert info.why, name
            for indicator in info.indicators:
                framework.indicator(indicator)
            if info.risk_factor:
                framework.risk_factor(info.risk_factor)
    assert len({p.name for p in all_features()}) == len(all_features())


def test_recalibration_uses_only_windows_closed_by_the_base_year() -> None:
    rng = np.random.default_rng(2)
    history = pd.DataFrame(
        {
            "base_year": np.repeat(np.arange(1993, 2023), 150),
            "probability": rng.uniform(0.001, 0.3, 30 * 150),
        }
    )
    history["outcome"] = (rng.random(len(history)) < history["probability"] / 2).astype(float)
    params = recalibration(history, 2012)
    assert params is not None
    changed = history.copy()
    later = changed["base_year"] > 2010  # windows 2012-2013 onwards: not closed in 2012
    changed.loc[later, "outcome"] = 1 - changed.loc[later, "outcome"]
    assert recalibration(changed, 2012) == params
    changed.loc[changed["base_year"] == 2010, "outcome"] = 1.0  # window 2011-2012: closed
    assert recalibration(changed, 2012) != params
    assert recalibration(history, 1996) is None  # too few closed windows with onsets yet
