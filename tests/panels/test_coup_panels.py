"""Coup measures in the country-year panel (Powell & Thyne, the `coups` source).

A small file read through the real loader checks what a value means (missing outside the
file, never 0); the real file, through the whole-folder warehouse of ``conftest.real``,
checks the panel against the file and against the Early Warning Project's own coup list.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import ibis
import pytest
from typer.testing import CliRunner

from atrocity_watch.cli import app
from atrocity_watch.countries import get_registry
from atrocity_watch.panels import features, get_feature
from atrocity_watch.panels._build import country_year_panel
from atrocity_watch.panels._inputs import SOURCE_COLUMNS, PanelInputs, empty_coverage
from atrocity_watch.panels._structure import POWELL_THYNE_FEATURES
from atrocity_watch.panels._units import country_years, land_neighbours
from atrocity_watch.sources import read_file
from atrocity_watch.warehouse import Warehouse

from .conftest import write_rows

COLUMNS = POWELL_THYNE_FEATURES


def _coup_row(gw: int, year: int, coups: int = 0, failed: int = 0, **extra: int) -> dict:
    attempts = coups + failed
    row = {
        "gwcode": gw,
        "year": year,
        "pt_attempt": int(attempts > 0),
        "pt_attempt_num": attempts,
        "pt_coup_num": coups,
        "pt_coup": int(coups > 0),
        "pt_failed_num": failed,
        "pt_failed": int(failed > 0),
    }
    row.update(extra)
    return row


def _series(gw: int, first: int, last: int, events: dict[int, tuple[int, int]]) -> list[dict]:
    """A country's rows as the publisher writes them: 5-year counts and years since."""
    rows, since, history = [], 0, []
    for year in range(first, last + 1):
        coups, failed = events.get(year, (0, 0))
        history.append(coups + failed)
        since = 0 if coups + failed else since + 1
        rows.append(
            _coup_row(
                gw,
                year,
                coups,
                failed,
                pt_attempt_num5yrs=sum(history[-5:]),
                pt_coup_num5yrs=sum(events.get(y, (0, 0))[0] for y in range(year - 4, year + 1)),
                pt_failed_num5yrs=sum(events.get(y, (0, 0))[1] for y in range(year - 4, year + 1)),
                years_since_last_pt_attempt=since,
            )
        )
    return rows


@pytest.fixture(scope="module")
def small_panel(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], dict]:
    """Myanmar 1950-2021 (coups in 1962 and 2021, a failed one in 1976) and Burkina Faso
    1960-2021, run through the loader and the country-year panel expression on DuckDB."""
    folder = tmp_path_factory.mktemp("coups")
    rows = _series(775, 1950, 2021, {1962: (1, 0), 1976: (0, 1), 2021: (1, 0)})
    rows += _series(439, 1960, 2021, {2015: (0, 1), 2014: (1, 0)})
    table = read_file(write_rows(folder / "ptcoups.csv", rows), "coups").table
    wanted = [c for c in SOURCE_COLUMNS["coups"] if c in table.column_names]
    con = ibis.duckdb.connect()
    units = ibis.memtable(country_years(1946, 2023))
    inputs = PanelInputs(
        units=units,
        neighbours=ibis.memtable(land_neighbours()),
        coverage=empty_coverage(),
        sources={"coups": ibis.memtable(table.select(wanted))},
    )
    panel = country_year_panel(inputs).select("iso3", "year", *COLUMNS)
    frame = con.to_pyarrow(panel.filter(panel.iso3.isin(["MMR", "BFA", "SDN"])))
    return {(r["iso3"], r["year"]): r for r in frame.to_pylist()}


def _values(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in COLUMNS)


def test_counts_in_covered_years(small_panel: dict) -> None:
    # attempts, successful, failed, attempts in five years, years since the last attempt
    assert _values(small_panel["MMR", 2021]) == (1, 1, 0, 1, 0)
    assert _values(small_panel["MMR", 1976]) == (1, 0, 1, 1, 0)
    assert _values(small_panel["MMR", 1980]) == (0, 0, 0, 1, 4)
    assert _values(small_panel["BFA", 2015]) == (1, 0, 1, 2, 0)
    assert _values(small_panel["MMR", 2000]) == (0, 0, 0, 0, 24)  # covered, nothing: zero


def test_years_the_file_does_not_cover_are_missing_not_zero(small_panel: dict) -> None:
    assert _values(small_panel["MMR", 1949]) == (None,) * 5  # before the list begins
    assert _values(small_panel["MMR", 2022]) == (None,) * 5  # after the file ends
    assert _values(small_panel["SDN", 1990]) == (None,) * 5  # a country the file lacks
    # the five-year window of 1950-1953 reaches before the list: unknown, not a count
    assert small_panel["MMR", 1953]["coup_attempts_5_years"] is None
    assert small_panel["MMR", 1953]["coup_attempts"] == 0
    assert small_panel["MMR", 1954]["coup_attempts_5_years"] == 0


def test_the_columns_are_declared_for_the_year_panel_only() -> None:
    names = {f.name for f in features("year")}
    assert set(COLUMNS) <= names
    assert not set(COLUMNS) & {f.name for f in features("month")}  # the file is yearly
    for name in COLUMNS:
        feature = get_feature(name, "year")
        assert feature.sources == ("coups",)
        assert "3.4" in feature.indicators, name  # security forces outside civilian control
    assert {"1.4", "8.4"} <= set(get_feature("coups_successful").indicators)
    assert "1.5" in get_feature("coups_failed").indicators
    assert "1950" in get_feature("coup_attempts").coverage


def test_describe_lists_them_under_indicator_3_4_with_their_unit() -> None:
    result = CliRunner().invoke(
        app, ["panels", "describe", "--indicator", "3.4"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "Column" in line)
    assert header.index("Unit") < header.index("Framework")  # each value under its own title
    row = next(line for line in result.stdout.splitlines() if "coups_failed" in line)
    assert row.index("attempts") < row.index("1.5, 3.4")


# ---------------------------------------------------------------------------------------------
# The real file, imported with every other dataset


@pytest.fixture(scope="module")
def year_rows(real: Warehouse) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["iso3"], r["year"]): r for r in real.read_table("panel_country_year").to_pylist()}


@pytest.mark.shared_data
@pytest.mark.slow
def test_no_attempt_of_the_file_is_lost_or_invented(year_rows: dict, shared_data: Path) -> None:
    """Every attempt of the file is in the panel (Zanzibar 1963-64, not a panel unit, has
    none), and the country-years with one are exactly those of the EWP's COW-coded list."""
    attempts = [r["coup_attempts"] for r in year_rows.values() if r["coup_attempts"]]
    assert sum(attempts) == 488
    assert sum(r["coups_successful"] or 0 for r in year_rows.values()) == 243
    registry = get_registry()
    ewp = set()
    with (shared_data / "ewp_inputs_2025/all-coups.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            if row["cou.any"] == "1" and 1950 <= year <= 2022:
                ewp.add((registry.resolve(row["ccode"], "cow", year=year).iso3, year))
    ours = {k for k, r in year_rows.items() if r["coup_attempts"]}
    assert ours == ewp


@pytest.mark.shared_data
@pytest.mark.slow
def test_real_values_and_missing_years(year_rows: dict) -> None:
    assert _values(year_rows["MMR", 2021]) == (1, 1, 0, 1, 0)
    assert _values(year_rows["TUR", 2016]) == (1, 0, 1, 1, 0)
    assert _values(year_rows["BFA", 2022]) == (2, 2, 0, 2, 0)
    assert _values(year_rows["SUN", 1991]) == (1, 0, 1, 1, 0)
    # GW 365 runs on: Russia's first year counts the Soviet attempt of August 1991
    assert _values(year_rows["RUS", 1992]) == (0, 0, 0, 1, 1)
    assert _values(year_rows["USA", 1949]) == (None,) * 5
    assert year_rows["USA", 1953]["coup_attempts_5_years"] is None
    assert year_rows["USA", 2022]["years_since_coup_attempt"] == 73  # none since 1950
    last = max(y for _, y in year_rows)
    assert last > 2022 and _values(year_rows["MMR", last]) == (None,) * 5
    assert _values(year_rows["VAT", 2000]) == (None,) * 5  # not in the Gleditsch & Ward list


@pytest.mark.shared_data
@pytest.mark.slow
def test_the_ewp_five_year_flag_agrees_with_the_powell_thyne_count(year_rows: dict) -> None:
    """EWP's coup.try.5yr is built from Powell & Thyne too: where both are known they agree."""
    both = {
        key: (r["coup_attempt_last_5_years"], r["coup_attempts_5_years"])
        for key, r in year_rows.items()
        if r["coup_attempt_last_5_years"] is not None and r["coup_attempts_5_years"] is not None
    }
    assert len(both) == 9125  # 1960-2022
    disagree = {key for key, (flag, count) in both.items() if flag != (count > 0)}
    # EWP's flag is 0 for the Comoros in 1995-1996; the file counts its failed attempts of
    # 1991 and 1992 within those five years
    assert disagree == {("COM", 1995), ("COM", 1996)}
