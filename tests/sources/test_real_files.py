"""Every real file under ../shared/data that belongs to a source reads, with the publisher's rows.

Row counts are those stated in each folder's SOURCES.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from atrocity_watch.sources import read_file, recognise

pytestmark = pytest.mark.shared_data

# (path under ../shared/data, source, rows, version, layout)
REAL_FILES = [
    ("ucdp/ged_subset/GEDEvent_v23_1_sample1000_uncertainUCDP.csv", "ucdp_ged", 1000, "23.1"),
    ("ucdp/ged_subset/GEDEvent_v23_1_CAF482.csv", "ucdp_ged", 1848, "23.1"),
    ("ucdp/ged_subset/GEDEvent_v24_1_MMR775_netify.csv", "ucdp_ged", 7374, "24.1"),
    ("ucdp/ged_subset/GEDSyria_652.1601.1911_2016-2017.csv", "ucdp_ged", 11757, "652.1601.1911"),
    ("ucdp/ged_subset/GEDSyria_652.1601.1911_2018-2019.csv", "ucdp_ged", 4809, "652.1601.1911"),
    ("ucdp/OneSided_v25_1.csv", "ucdp_onesided", 1330, "25.1"),
    ("ucdp/BattleDeaths_v25_1.csv", "ucdp_brd", 1995, "25.1"),
    ("ucdp/organizedviolencecy_v25_1.csv", "ucdp_organized_violence_cy", 6936, "25.1"),
    ("ucdp/ucdp-prio-acd-221.csv", "ucdp_acd", 2568, "22.1"),
    ("ucdp/ucdp-nonstate-221.csv", "ucdp_nonstate", 1442, "22.1"),
    ("ewp/sra2025/prepared2024predictors-2025-09-03.csv", "ewp_prepared", 9463, "2024.2025-09-03"),
    ("ewp/sra2024/prepared2023predictors-2024-10-10.csv", "ewp_prepared", 9295, "2023.2024-10-10"),
    (
        "ewp/sra2025/EWP mass killing events master list_2025__mk_events.csv",
        "ewp_mk_episodes",
        157,
        "2025",
    ),
    ("ewp/sra2025/EWP mass killing events master list_2025.xlsx", "ewp_mk_episodes", 157, "2025"),
    ("ewp/ewp_published_forecasts_long.csv", "ewp_published_forecasts", 1965, "long"),
    ("ewp/sra2025/FOOSforecasts_3Sep2025.csv", "ewp_foos", 5047, "3Sep2025"),
    ("ewp/sra2024/FOOSforecasts_11Oct2024.csv", "ewp_foos", 4879, "11Oct2024"),
    ("ewp/sra2023/FOOSforecasts_9Nov_hackregion.csv", "ewp_foos", 4724, "9Nov"),
]


@pytest.mark.parametrize(("relative", "source", "rows", "version"), REAL_FILES)
def test_real_file_reads_completely(
    shared_data: Path, relative: str, source: str, rows: int, version: str
) -> None:
    path = shared_data / relative
    if path.suffix != ".xlsx":
        assert recognise(path) == source
    result = read_file(path, source)
    assert (result.source, result.rows, result.version) == (source, rows, version)
    assert result.total_dropped == 0
    table = result.table
    assert table.num_rows == rows
    assert table.column("iso3").null_count == 0


def test_ged_deaths_match_the_publishers_totals(shared_data: Path) -> None:
    """SOURCES.md: Myanmar 7,374 events with best 28,721; Syria 2016-17 best 82,026."""
    myanmar = read_file(shared_data / "ucdp/ged_subset/GEDEvent_v24_1_MMR775_netify.csv").table
    assert sum(myanmar.column("best").to_pylist()) == 28721
    assert set(myanmar.column("iso3").to_pylist()) == {"MMR"}
    syria = read_file(shared_data / "ucdp/ged_subset/GEDSyria_652.1601.1911_2016-2017.csv")
    assert sum(syria.table.column("best").to_pylist()) == 82026
    assert syria.layout == "ged_syria_special_release"
    assert syria.table.column("relid").null_count == syria.rows  # absent in that release


def test_one_sided_multi_country_rule(shared_data: Path) -> None:
    table = read_file(shared_data / "ucdp/OneSided_v25_1.csv").table.to_pylist()
    listed = [r for r in table if r["gwno_location"] == "500, 625"]
    assert listed
    assert {(r["iso3"], r["iso3_all"]) for r in listed} == {("UGA", "UGA,SDN")}
    governments = sum(r["is_government_actor"] for r in table)
    assert governments == 463  # SOURCES.md: 463 government actor-years, 867 non-state


def test_ewp_codes_follow_the_documented_rules(shared_data: Path) -> None:
    prepared = read_file(shared_data / "ewp/sra2025/prepared2024predictors-2025-09-03.csv")
    rows = prepared.table.select(["ccode", "year", "iso3"]).to_pylist()
    germany = {r["iso3"] for r in rows if r["ccode"] == 255}
    assert germany == {"DEU"}  # EWP's 255 covers West Germany 1960-1989 too
    assert {r["iso3"] for r in rows if r["ccode"] == 775} == {"MMR"}
    episodes = read_file(
        shared_data / "ewp/sra2025/EWP mass killing events master list_2025__mk_events.csv"
    ).table.to_pylist()
    kosovo = [e for e in episodes if e["mk_location_cow"] == 340]
    assert [e["iso3"] for e in kosovo] == ["YUG"]
