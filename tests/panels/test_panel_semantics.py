"""What a panel value means: a number where a source covers the period, missing elsewhere.

Built from small synthetic files read through the real loaders into a real warehouse (see
``build_synthetic`` in conftest.py for the scenario).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from atrocity_watch.panels import FEATURES, KEY_COLUMNS, features
from atrocity_watch.warehouse import Warehouse


def _rows(wh: Warehouse, table: str) -> dict[tuple[str, Any], dict[str, Any]]:
    key = "year" if table.endswith("year") else "month"
    return {(r["iso3"], r[key]): r for r in wh.read_table(table).to_pylist()}


@pytest.fixture(scope="module")
def months(synthetic: Warehouse) -> dict[tuple[str, Any], dict[str, Any]]:
    return _rows(synthetic, "panel_country_month")


@pytest.fixture(scope="module")
def years(synthetic: Warehouse) -> dict[tuple[str, Any], dict[str, Any]]:
    return _rows(synthetic, "panel_country_year")


def m(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def test_covered_months_count_events_and_zero_where_none(months: dict) -> None:
    jan, feb, mar = months["MMR", m(2020, 1)], months["MMR", m(2020, 2)], months["MMR", m(2020, 3)]
    assert (jan["one_sided_deaths"], jan["one_sided_deaths_government"]) == (10, 10)
    assert jan["state_based_deaths"] == 0 and jan["ged_events"] == 1
    assert feb["organized_violence_deaths"] == 0 and feb["ged_events"] == 0
    assert (mar["state_based_deaths"], mar["one_sided_deaths_nonstate"]) == (20, 5)
    assert mar["one_sided_events"] == 1
    assert months["MMR", m(2021, 2)]["non_state_deaths"] == 7


def test_months_outside_the_files_are_missing_not_zero(months: dict) -> None:
    # after the last month of the file, UCDP still reports deaths in 2021: unknown month
    assert months["MMR", m(2021, 3)]["organized_violence_deaths"] is None
    # Sudan's only GED file is a sample: its 2020 months are unknown, not 0 or 3
    assert months["SDN", m(2020, 5)]["one_sided_deaths"] is None
    # no GED file covers the Central African Republic's 2020 fully: its 10 of UCDP's 50
    # deaths fail the completeness check, so even the month with the event is missing
    assert months["CAF", m(2020, 6)]["state_based_deaths"] is None  # codespell:ignore
    # a country with no source at all
    assert months["SWE", m(2019, 1)]["organized_violence_deaths"] is None


def test_a_year_ucdp_counts_as_zero_is_zero_in_every_month(months: dict) -> None:
    assert {months["NOR", m(2020, k)]["organized_violence_deaths"] for k in range(1, 13)} == {0}
    assert months["NOR", m(2021, 6)]["ged_events"] == 0


def test_spillover_from_neighbours(months: dict, years: dict) -> None:
    assert years["NOR", 2020]["neighbour_violence_deaths"] == 0
    assert years["NOR", 2021]["neighbour_violence_deaths"] == 4  # Russia's 4 deaths
    assert years["FIN", 2021]["neighbour_violence_deaths"] == 4
    # Russia's 2021 deaths are not placed in months (no GED file): Norway's months unknown
    assert months["NOR", m(2021, 5)]["neighbour_violence_deaths"] is None
    assert months["NOR", m(2020, 5)]["neighbour_violence_deaths"] == 0
    # Myanmar's neighbours have no data at all
    assert years["MMR", 2020]["neighbour_violence_deaths"] is None


def test_country_year_deaths_are_ucdp_totals(years: dict) -> None:
    mmr = years["MMR", 2020]
    assert (mmr["state_based_deaths"], mmr["one_sided_deaths"]) == (20, 15)
    assert (mmr["one_sided_deaths_government"], mmr["one_sided_deaths_nonstate"]) == (10, 5)
    assert years["CAF", 2020]["state_based_deaths"] == 50  # codespell:ignore
    assert years["NOR", 2021]["organized_violence_deaths"] == 0
    assert years["MMR", 2019]["organized_violence_deaths"] is None
    assert years["MMR", 1950]["state_based_deaths"] is None


def test_armed_conflict_is_zero_in_covered_years_and_missing_outside(years: dict) -> None:
    assert years["MMR", 2020]["armed_conflict_intensity"] == 1
    assert years["MMR", 2020]["internal_armed_conflict"] == 1
    assert years["NOR", 2020]["armed_conflict_intensity"] == 0
    assert years["NOR", 2019]["armed_conflict_intensity"] is None
    assert years["RUS", 2020]["neighbours_in_armed_conflict"] == 0


def test_acled_counts_in_whole_covered_months(months: dict, years: dict) -> None:
    mar, apr, may = (months["SDN", m(2020, k)] for k in (3, 4, 5))
    assert mar["acled_attacks_on_peacekeepers"] == 1 and mar["acled_political_violence_events"] == 1
    assert apr["acled_sexual_violence_events"] == 1
    assert apr["acled_events_targeting_civilians"] == 2
    assert apr["acled_state_violence_against_civilians"] == 2
    assert apr["acled_civilian_fatalities"] == 5
    assert may["acled_attacks_on_aid_workers"] == 1
    assert may["acled_political_violence_events"] == 1  # the protest is not political violence
    assert mar["acled_abduction_events"] == 0
    # before and after the export, and in a year not wholly covered: missing
    assert months["SDN", m(2020, 2)]["acled_political_violence_events"] is None
    assert months["SDN", m(2020, 6)]["acled_events_targeting_civilians"] is None
    assert years["SDN", 2020]["acled_events_targeting_civilians"] is None
    # other countries have no ACLED export
    assert months["MMR", m(2020, 4)]["acled_events_targeting_civilians"] is None


def test_trends(months: dict, years: dict) -> None:
    assert years["MMR", 2021]["organized_violence_deaths_change"] == 7 - 35
    assert years["MMR", 2021]["organized_violence_deaths_vs_3y_mean"] is None  # 2018-19 unknown
    assert months["MMR", m(2020, 3)]["one_sided_deaths_change"] == 5 - 0
    assert months["MMR", m(2020, 4)]["one_sided_deaths_vs_3m_mean"] == pytest.approx(0 - 15 / 3)


@pytest.mark.parametrize("frequency", ["year", "month"])
def test_panel_columns_are_the_registry(synthetic: Warehouse, frequency: str) -> None:
    table = synthetic.read_table(f"panel_country_{frequency}")
    expected = [*KEY_COLUMNS[frequency], *(f.name for f in features(frequency))]  # type: ignore[arg-type]
    assert table.column_names == expected
    keys = list(zip(*(table.column(k).to_pylist() for k in KEY_COLUMNS[frequency]), strict=True))
    assert len(keys) == len(set(keys)), "one row per country and period"


def test_only_countries_that_existed(years: dict, months: dict) -> None:
    assert ("SSD", 2010) not in years and ("SSD", 2011) in years
    assert ("SUN", 1991) in years and ("SUN", 1992) not in years
    assert ("YUG", 1950) in years and ("HKG", 2000) not in years
    assert ("SSD", m(2010, 12)) not in months and ("SSD", m(2011, 7)) in months
    assert min(y for _, y in years) == 1946 and min(d for _, d in months).year == 1989


def test_both_panels_were_written_together_with_their_provenance(synthetic: Warehouse) -> None:
    year = synthetic.table_info("panel_country_year")
    month = synthetic.table_info("panel_country_month")
    assert year.written_at == month.written_at
    assert year.meta["last_year"] == 2021 and month.meta["last_month"] == "2021-12-01"
    assert "ucdp_ged" in year.meta["sources"]
    assert synthetic.snapshot_path("panel_country_year") is not None


def test_every_feature_is_in_one_of_the_panels() -> None:
    assert {f.frequency for f in FEATURES} == {"year", "month"}
