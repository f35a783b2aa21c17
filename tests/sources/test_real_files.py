"""Every real file under ../shared/data that belongs to a source reads, with the publisher's rows.

Row counts are those stated in each folder's SOURCES.md.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from atrocity_watch.sources import get_source, read_file, recognise

pytestmark = pytest.mark.shared_data

# (path under ../shared/data, source, rows, version, layout)
REAL_FILES = [
    ("ucdp/ged_subset/GEDEvent_v23_1_sample1000_uncertainUCDP.csv", "ucdp_ged", 1000, "23.1"),
    ("ucdp/ged_subset/GEDEvent_v23_1_CAF482.csv", "ucdp_ged", 1848, "23.1"),
    ("ucdp/ged_subset/GEDEvent_v24_1_MMR775_netify.csv", "ucdp_ged", 7374, "24.1"),
    (
        "ucdp/ged_subset/GEDSyria_652.1601.1911_2016-2017.csv",
        "ucdp_ged",
        11757,
        "19.1-syria-652.1601.1911",
    ),
    (
        "ucdp/ged_subset/GEDSyria_652.1601.1911_2018-2019.csv",
        "ucdp_ged",
        4809,
        "19.1-syria-652.1601.1911",
    ),
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
    (
        "ewp/ewp_published_forecasts_long.csv",
        "ewp_published_forecasts",
        1965,
        "2013 to 2025-26",
    ),
    ("ewp/sra2025/FOOSforecasts_3Sep2025.csv", "ewp_foos", 5047, "2025"),
    ("ewp/sra2024/FOOSforecasts_11Oct2024.csv", "ewp_foos", 4879, "2024"),
    ("ewp/sra2023/FOOSforecasts_9Nov_hackregion.csv", "ewp_foos", 4724, "2023"),
    ("acled/acledR_sample_2022Q1.csv", "acled_events", 4524, "2022-08-01"),
    ("acled/acledR_sample_2022Q2.csv", "acled_events", 4476, "2022-08-01"),
    ("acled/acledR_sample_Argentina_2022-06.csv", "acled_events", 326, "2022-07-25"),
    (
        "acled/acled_Sudan_2021-10-25_2023-02-10_export31.csv",
        "acled_events",
        3425,
        "2023-02-13",
    ),
    (
        "acled/acled_Sudan_2023-04-11_2023-04-14_newformat.csv",
        "acled_events",
        47,
        "2025-11-04",
    ),
    ("vdem/vdemlite_v14_atrocity_subset_1970_2023.csv", "vdem", 9170, "14"),
    ("epr/EPR-2021.csv", "epr_core", 4339, "2021"),
    ("worldbank/un_imr_clean_ewp_2025.csv", "worldbank", 17775, "2025"),
    ("coups/ptcoups_gw_demspaces.csv", "coups", 11793, "2022"),
]

# Files where a documented rule leaves rows out or keeps them without a country key:
# (path, source, rows kept, {reason prefix: rows dropped}, rows kept without a key)
FILES_WITH_RULES = [
    ("pts/PTS-2024.csv", "pts", 8677, {"no score from any of the three reports": 1543}, 62),
    ("polity5/p5v2018.csv", "polity5", 9950, {"a year before 1946": 7598}, 0),
    (
        "worldbank/wdi_ewp_2025.csv",
        "worldbank",
        71431,
        {"a World Bank aggregate": 15975, "the Channel Islands": 94},
        0,
    ),
]


@pytest.mark.parametrize(("relative", "source", "rows", "version"), REAL_FILES)
def test_real_file_reads_completely(
    shared_data: Path, relative: str, source: str, rows: int, version: str
) -> None:
    path = shared_data / relative
    assert recognise(path) == source  # Excel workbooks too, by their declared sheet
    result = read_file(path)
    assert (result.source, result.rows, result.version) == (source, rows, version)
    assert result.total_dropped == 0
    table = result.table
    assert table.num_rows == rows
    assert table.column("iso3").null_count == 0


@pytest.mark.parametrize(("relative", "source", "rows", "dropped", "without_key"), FILES_WITH_RULES)
def test_real_file_rules_drop_and_count(
    shared_data: Path,
    relative: str,
    source: str,
    rows: int,
    dropped: dict[str, int],
    without_key: int,
) -> None:
    path = shared_data / relative
    assert recognise(path) == source
    result = read_file(path)
    assert result.rows == rows
    found = {
        prefix: sum(n for reason, n in result.dropped.items() if reason.startswith(prefix))
        for prefix in dropped
    }
    assert found == dropped
    assert result.total_dropped == sum(dropped.values())
    assert sum(result.kept_without_country.values()) == without_key
    assert result.table.column("iso3").null_count == without_key


def test_every_sipri_export_table_reads(shared_data: Path) -> None:
    folder = shared_data / "sipri/tiv_export_tables_raw_2022-07-28"
    files = sorted(folder.glob("TIV-Export-*.csv"))
    assert len(files) == 134  # SOURCES.md: 134 files
    total = 0
    for path in files:
        result = read_file(path)
        assert result.source == "sipri_tiv"
        assert result.version == "1950-2021"
        total += result.rows
    assert total == 22225
    soviet = read_file(folder / "TIV-Export-USR-1950-2021.csv").table.to_pylist()
    afghanistan = [r for r in soviet if r["recipient"] == "Afghanistan"]
    # the table's Total column for Afghanistan is 12110 (rounded yearly values may differ by 1s)
    assert abs(sum(r["tiv"] for r in afghanistan) - 12110) <= len(afghanistan)
    assert {r["supplier_iso3"] for r in soviet} == {"SUN"}
    congress = [r for r in soviet if r["recipient"].endswith("(South Africa)*")]
    assert congress and all(r["iso3"] is None for r in congress)


def test_the_processed_long_sipri_table_reads(shared_data: Path) -> None:
    result = read_file(shared_data / "sipri/sipri-exports-processed.csv")
    assert (result.source, result.rows, result.version) == ("sipri_tiv", 21324, "exports")
    table = result.table
    unnamed = [r for r in table.to_pylist() if r["iso3"] is None]
    assert len(unnamed) == 373
    assert all(
        r["recipient"].endswith("*")
        or r["recipient"].startswith("Unknown")
        or r["recipient"] in ("Katanga", "Biafra", "Northern Cyprus")
        for r in unnamed
    )


def test_acled_layouts_give_the_same_columns(shared_data: Path) -> None:
    old = read_file(shared_data / "acled/acled_Sudan_2021-10-25_2023-02-10_export31.csv")
    new = read_file(shared_data / "acled/acled_Sudan_2023-04-11_2023-04-14_newformat.csv")
    assert old.layout == "acled_export_2023" and new.layout == "acled_current"
    assert old.table.schema.equals(new.table.schema)
    assert old.ignored_columns == ("data_id", "event_id_no_cnty", "iso3")
    first_old = old.table.slice(0, 1).to_pylist()[0]
    assert str(first_old["event_date"]) == "2023-02-10"  # written "10 February 2023"
    assert first_old["actor1_type"] == "Protesters"  # inter1 6
    types = set(new.table.column("actor1_type").to_pylist())
    assert "Protesters" in types
    assert set(old.table.column("iso3").to_pylist()) == {"SDN"}
    assert get_source("acled_events").raw_rows_shareable is False


def test_acled_keeps_the_misspelled_disorder_type(shared_data: Path) -> None:
    table = read_file(shared_data / "acled/acledR_sample_2022Q2.csv").table
    assert "Demostrations" in set(table.column("disorder_type").to_pylist())
    kosovo = [r for r in table.to_pylist() if r["iso"] == 0]
    assert kosovo and {r["iso3"] for r in kosovo} == {"XKX"}


def test_pts_is_read_as_latin_1(shared_data: Path) -> None:
    table = read_file(shared_data / "pts/PTS-2024.csv").table
    names = set(table.column("country").to_pylist())
    assert "Côte d'Ivoire" in names or any("Ivoire" in n for n in names)
    assert table.column_names[:3] == ["country", "country_old", "year"]
    assert table.column("pts_a").type == pa.int64()


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


def test_recognition_picks_exactly_the_source_files(shared_data: Path) -> None:
    """Every CSV of the test data is recognised as its source, and nothing else is claimed."""
    expected = {relative: source for relative, source, *_ in REAL_FILES + FILES_WITH_RULES}
    expected["sipri/sipri-exports-processed.csv"] = "sipri_tiv"
    found = {}
    for path in sorted(shared_data.rglob("*.csv")):
        relative = path.relative_to(shared_data).as_posix()
        source = recognise(path)
        if "TIV-Export-" in relative:
            assert source == "sipri_tiv", relative
        elif source is not None:
            found[relative] = source
    assert found == {k: v for k, v in expected.items() if k.endswith(".csv")}
