"""The panels built from the real datasets, checked against the publishers' own aggregates."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from atrocity_watch.countries import UnknownCountryError, get_registry
from atrocity_watch.warehouse import Warehouse

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def year_rows(real: Warehouse) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["iso3"], r["year"]): r for r in real.read_table("panel_country_year").to_pylist()}


@pytest.fixture(scope="module")
def month_rows(real: Warehouse) -> dict[tuple[str, dt.date], dict[str, Any]]:
    rows = real.read_table("panel_country_month").to_pylist()
    return {(r["iso3"], r["month"]): r for r in rows}


def _ucdp_totals(shared_data: Path) -> dict[tuple[int, int], dict[str, int]]:
    with (shared_data / "ucdp" / "organizedviolencecy_v25_1.csv").open(encoding="utf-8") as f:
        return {
            (int(r["country_id_cy"]), int(r["year_cy"])): {
                "sb": int(r["sb_total_deaths_best_cy"]),
                "ns": int(r["ns_total_deaths_best_cy"]),
                "os": int(r["os_total_deaths_best_cy"]),
            }
            for r in csv.DictReader(f)
        }


def test_myanmar_months_add_up_to_ucdp_country_year_totals(
    month_rows: dict, shared_data: Path
) -> None:
    """SOURCES.md: the Myanmar GED sums match UCDP's v25.1 totals for 2012-2019 and 2022."""
    ucdp = _ucdp_totals(shared_data)
    sums: dict[int, dict[str, int]] = defaultdict(lambda: {"sb": 0, "ns": 0, "os": 0})
    for (iso3, month), row in month_rows.items():
        if iso3 == "MMR" and 1989 <= month.year <= 2023:
            assert row["state_based_deaths"] is not None, f"Myanmar {month} should be covered"
            sums[month.year]["sb"] += row["state_based_deaths"]
            sums[month.year]["ns"] += row["non_state_deaths"]
            sums[month.year]["os"] += row["one_sided_deaths"]
    for year in [*range(2012, 2020), 2022]:
        assert sums[year] == ucdp[(775, year)], year
    # the documented revision between releases
    assert (sums[2023]["sb"], ucdp[(775, 2023)]["sb"]) == (2513, 2453)
    assert sum(sum(v.values()) for v in sums.values()) == 28721  # every event's `best`


def test_myanmar_after_its_file_ends_is_missing(month_rows: dict) -> None:
    assert month_rows["MMR", dt.date(2024, 1, 1)]["organized_violence_deaths"] is None


def test_country_years_are_ucdp_totals_for_every_country(year_rows: dict, real: Warehouse) -> None:
    ucdp = real.read_table("src_ucdp_organized_violence_cy").to_pylist()
    checked = 0
    for values in ucdp:
        row = year_rows.get((values["iso3"], values["year_cy"]))
        if row is None:
            continue
        key = (values["iso3"], values["year_cy"])
        assert row["state_based_deaths"] == values["sb_total_deaths_best_cy"], key
        assert row["one_sided_deaths"] == values["os_total_deaths_best_cy"], key
        assert row["one_sided_deaths_government"] == values["os_any_govt_killings_best_cy"], key
        total = sum(values[f"{t}_total_deaths_best_cy"] for t in ("sb", "ns", "os"))
        assert row["organized_violence_deaths"] == total, key
        checked += 1
    assert checked > 6800


def test_sample_events_never_make_zeros(month_rows: dict, year_rows: dict) -> None:
    """Nigeria appears in the 1,000-event GED sample, which covers nothing."""
    assert year_rows["NGA", 2015]["one_sided_deaths"] > 1000
    assert all(
        month_rows["NGA", dt.date(2015, k, 1)]["one_sided_deaths"] is None for k in range(1, 13)
    )
    # …while a year UCDP counts as peaceful is 0 in every month
    assert year_rows["NOR", 2015]["organized_violence_deaths"] == 0
    assert month_rows["NOR", dt.date(2015, 6, 1)]["organized_violence_deaths"] == 0


def test_syria_release_passes_the_completeness_check(month_rows: dict) -> None:
    known = [month_rows["SYR", dt.date(2017, k, 1)]["organized_violence_deaths"] for k in (1, 6)]
    assert all(v is not None and v > 0 for v in known)
    # the release ends in November 2019
    assert month_rows["SYR", dt.date(2019, 12, 1)]["organized_violence_deaths"] is None


def test_battle_deaths_match_the_early_warning_projects_country_sums(
    year_rows: dict, shared_data: Path
) -> None:
    """EWP sums UCDP battle deaths by the conflict's location, as the panel does; EWP leaves
    out conflicts located in several countries, which the panel splits between them."""
    registry = get_registry()
    shared: set[tuple[str, int]] = set()  # country-years with a share of such a conflict
    with (shared_data / "ucdp" / "BattleDeaths_v25_1.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes = [int(c) for c in row["gwno_loc"].split(",")]
            if len(codes) > 1:
                year = int(row["year"])
                shared |= {(registry.by_gw(c, year=year).iso3, year) for c in codes}
    path = shared_data / "ewp_inputs_2025" / "battledeaths_countryyear_ucdp.csv"
    mismatched: list[tuple[str, int, float, str]] = []
    compared = 0
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            try:
                iso3 = registry.lookup(row["country"], year=year).iso3
            except UnknownCountryError:
                continue
            if (iso3, year) in shared:
                continue
            compared += 1
            panel = year_rows[iso3, year]["battle_deaths"]
            if panel is None or abs(panel - float(row["battledeaths"])) >= 0.5:
                mismatched.append((iso3, year, panel, row["battledeaths"]))
    assert compared > 900
    assert mismatched == []
    # and the war between Russia and Ukraine is split between them
    assert year_rows["UKR", 2022]["battle_deaths"] > 40000
    assert year_rows["RUS", 2022]["battle_deaths"] > 40000


def test_structural_values_are_copied_from_their_sources(year_rows: dict) -> None:
    mmr = year_rows["MMR", 2021]
    assert mmr["vdem_civil_liberties"] == pytest.approx(0.121)
    assert mmr["pts_max"] == 5
    assert mmr["coup_attempt_last_5_years"] == 1
    assert mmr["population"] == 53387102
    assert year_rows["USA", 1950]["epr_discriminated_population_share"] == pytest.approx(0.124)
    assert year_rows["MMR", 2022]["epr_excluded_population_share"] is None  # EPR ends 2021
    assert year_rows["MMR", 2022]["vdem_civil_liberties"] is not None
    assert year_rows["MMR", 1950]["armed_conflict_intensity"] >= 1
    assert year_rows["ISL", 1950]["armed_conflict_intensity"] == 0


def test_spillover_is_the_sum_over_land_neighbours(year_rows: dict) -> None:
    neighbours = get_registry().neighbours("MMR")
    expected = sum(year_rows[n, 2020]["organized_violence_deaths"] for n in neighbours)
    assert year_rows["MMR", 2020]["neighbour_violence_deaths"] == expected
    assert year_rows["ISL", 2020]["neighbour_violence_deaths"] == 0  # an island


def test_acled_counts_where_exports_cover_whole_months(month_rows: dict, year_rows: dict) -> None:
    sudan = month_rows["SDN", dt.date(2022, 3, 1)]
    assert sudan["acled_events_targeting_civilians"] > 0
    assert month_rows["SDN", dt.date(2021, 10, 1)]["acled_events_targeting_civilians"] is None
    assert year_rows["SDN", 2022]["acled_political_violence_events"] > 500
    # the acledR samples are samples: no country-month counts from them
    assert month_rows["UKR", dt.date(2022, 3, 1)]["acled_political_violence_events"] is None


def test_only_states_that_existed(year_rows: dict) -> None:
    iso3 = {k for k, _ in year_rows}
    assert {"SUN", "YUG", "DDR", "YMD"} <= iso3
    assert not {"HKG", "PRI", "GRL"} & iso3
    assert ("SUN", 1991) in year_rows and ("SUN", 1992) not in year_rows
    assert ("RUS", 1991) not in year_rows and ("RUS", 1992) in year_rows


def test_every_source_in_the_shared_data_folder_imported(real: Warehouse) -> None:
    from atrocity_watch.sources import SOURCES

    imported = {p.source for p in real.status()}
    assert imported == {s.name for s in SOURCES}
    for p in real.status():
        assert p.rows > 0 and len(p.sha256) == 64 and p.licence and p.citation
        assert (real.home / str(p.raw_path)).is_file()
