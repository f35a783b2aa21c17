"""The monitors on real UCDP GED and ACLED samples: values, missing months, explanations."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest

from atrocity_watch.monitor import (
    DEFAULT_METHOD,
    MONITORS,
    InvalidMonthError,
    SignalSet,
    add_months,
    alert_episodes,
    explain,
    open_events,
    points_of,
    read_signals,
    run_month,
)
from atrocity_watch.warehouse import Warehouse

pytestmark = pytest.mark.shared_data


def _country(signals: SignalSet, monitor: str, source: str, iso3: str) -> pd.DataFrame:
    return signals.series(monitor, source, iso3)


def _at(frame: pd.DataFrame, month: date) -> pd.Series:
    rows = frame[frame["month"] == month]
    assert len(rows) == 1, f"{len(rows)} rows for {month}"
    return rows.iloc[0]


def test_rohingya_clearance_operations_stand_out(
    real_warehouse: Warehouse, real_signals: SignalSet
) -> None:
    """August 2017: UCDP's one-sided deaths by the Government of Myanmar, against a quiet year."""
    with real_warehouse.connection() as con:
        row = con.execute(
            "SELECT sum(best), count(*) FROM src_ucdp_ged WHERE iso3 = 'MMR' "
            "AND type_of_violence = 3 AND side_a LIKE 'Government of%' "
            "AND date_trunc('month', date_start) = DATE '2017-08-01'"
        ).fetchone()
    month = _at(
        _country(real_signals, "civilians_killed_by_government", "ucdp_ged", "MMR"),
        date(2017, 8, 1),
    )
    assert month["value"] == row[0] and month["events"] == row[1]
    assert month["score"] == 10.0  # capped: less than one chance in 10 billion
    assert month["baseline"] < 10
    rakhine = real_signals.series(
        "civilians_killed_by_government", "ucdp_ged", "MMR", "Rakhine state"
    )
    assert _at(rakhine, date(2017, 8, 1))["value"] > 1000


def test_acled_months_outside_the_exports_are_no_data(real_signals: SignalSet) -> None:
    """Sudan: whole months November 2021 – January 2023 are covered; the partial weeks
    (25–31 October 2021, 1–10 February 2023, 11–14 April 2023) are not, and are no zero."""
    series = _country(real_signals, "sexual_violence", "acled_events", "SDN")
    covered = series[series["covered"]]
    assert covered["month"].min() == date(2021, 11, 1)
    assert covered["month"].max() == date(2023, 1, 1)
    assert len(covered) == 15
    assert (
        not (series["month"] == date(2023, 4, 1)).any()
        or series[series["month"] == date(2023, 4, 1)]["value"].isna().all()
    )
    assert set(series["status"]) <= {"ok", "short_history"}


def test_gaps_inside_a_country_are_no_data(real_signals: SignalSet) -> None:
    """Syria's special release stops in November 2019: nothing after, and no zeros."""
    series = _country(real_signals, "civilians_killed_by_non_state", "ucdp_ged", "SYR")
    assert series["month"].max() == date(2019, 11, 1)
    assert series["covered"].all()


def test_unsupported_monitors_have_no_signal_never_zero(real_signals: SignalSet) -> None:
    table = real_signals.table
    for monitor in MONITORS.values():
        for source in ("ucdp_ged", "acled_events"):
            rows = table[(table["monitor"] == monitor.name) & (table["source"] == source)]
            if monitor.supports(source):
                continue
            assert rows.empty, f"{monitor.name} has values from {source}, which does not code it"
    assert not MONITORS["sexual_violence"].supports("ucdp_ged")
    assert MONITORS["sexual_violence"].support("ucdp_ged").label == "not supported by this source"


def test_every_supported_monitor_runs_on_each_source(real_signals: SignalSet) -> None:
    table = real_signals.table
    for monitor in MONITORS.values():
        for source in ("ucdp_ged", "acled_events"):
            if not monitor.supports(source):
                continue
            rows = table[(table["monitor"] == monitor.name) & (table["source"] == source)]
            assert not rows.empty, f"{monitor.name} produced nothing from {source}"


def test_new_perpetrators_in_myanmar(real_warehouse: Warehouse, real_signals: SignalSet) -> None:
    """ARSA's first one-sided violence (2017) is a new perpetrator."""
    series = _country(real_signals, "new_perpetrator_or_target", "ucdp_ged", "MMR")
    with open_events(real_warehouse) as store:
        with real_warehouse.connection() as con:
            first = con.execute(
                "SELECT CAST(min(date_trunc('month', date_start)) AS DATE) FROM src_ucdp_ged "
                "WHERE side_a = 'ARSA' AND type_of_violence = 3"
            ).fetchone()[0]
        month = _at(series, first)
        assert month["value"] >= 1
        point = points_of(series[series["month"] == first])[0]
        explanation = explain(
            store,
            "new_perpetrator_or_target",
            "ucdp_ged",
            "MMR",
            point,
            method=DEFAULT_METHOD,
            baseline_months=int(month["baseline_months"]),
        )
    assert "ARSA" in [n.name for n in explanation.newcomers]


def test_spread_counts_subdivisions(real_warehouse: Warehouse, real_signals: SignalSet) -> None:
    series = _country(real_signals, "spread_of_violence_against_civilians", "acled_events", "SDN")
    with real_warehouse.connection() as con:
        expected = con.execute(
            "SELECT count(DISTINCT admin1) FROM src_acled_events WHERE event_type = "
            "'Violence against civilians' AND event_date >= DATE '2022-06-01' "
            "AND event_date < DATE '2022-07-01' "
            "AND actor1_type NOT IN ('Rioters', 'Protesters', 'Civilians')"
        ).fetchone()[0]
    assert _at(series, date(2022, 6, 1))["value"] >= expected > 0


def test_spillover_from_neighbours(real_signals: SignalSet) -> None:
    """Chad borders Sudan and the CAR: its spillover series adds their deaths month by month."""
    ged = _country(real_signals, "neighbour_spillover", "ucdp_ged", "TCD")
    acled = _country(real_signals, "neighbour_spillover", "acled_events", "TCD")
    assert ged["covered"].any() and acled["covered"].any()
    # Myanmar's neighbours get Myanmar's deaths; Myanmar itself gets nothing (no neighbour data)
    assert _country(real_signals, "neighbour_spillover", "ucdp_ged", "MMR").empty
    bangladesh = _country(real_signals, "neighbour_spillover", "ucdp_ged", "BGD")
    myanmar = real_signals.table
    mmr_2017 = _country(real_signals, "spread_of_violence_against_civilians", "ucdp_ged", "MMR")
    assert not mmr_2017.empty and not myanmar.empty
    assert _at(bangladesh, date(2017, 8, 1))["value"] > 1000


def test_signals_are_stored_and_read_back(
    real_warehouse: Warehouse, real_signals: SignalSet
) -> None:
    back = read_signals(real_warehouse)
    assert len(back.table) == len(real_signals.table)
    assert back.method == real_signals.method
    assert back.coverage.months == real_signals.coverage.months
    stored = real_warehouse.read_table("monitor_signals")
    assert set(stored.column_names) >= {
        "monitor",
        "source",
        "iso3",
        "adm1",
        "month",
        "value",
        "baseline",
        "score",
        "covered",
    }
    uncovered = back.table[~back.table["covered"]]
    assert uncovered["value"].isna().all()


def test_acled_explanations_carry_aggregates_only(
    real_warehouse: Warehouse, real_signals: SignalSet
) -> None:
    """ACLED's licence: no event id, note or source row may leave in an explanation."""
    with real_warehouse.connection() as con:
        ids = {r[0] for r in con.execute("SELECT event_id_cnty FROM src_acled_events").fetchall()}
        notes = [
            r[0]
            for r in con.execute("SELECT notes FROM src_acled_events WHERE notes <> ''").fetchall()
        ]
    episodes = alert_episodes(real_signals.table[real_signals.table["source"] == "acled_events"])
    assert episodes, "the Sudan sample raises at least one alert"
    with open_events(real_warehouse) as store:
        for episode in episodes:
            series = real_signals.series(
                episode.monitor, episode.source, episode.iso3, episode.adm1
            )
            point = points_of(series[series["month"] == episode.opened])[0]
            text = json.dumps(
                explain(
                    store,
                    episode.monitor,
                    "acled_events",
                    episode.iso3,
                    point,
                    method=DEFAULT_METHOD,
                    baseline_months=12,
                    adm1=episode.adm1,
                ).as_dict()
            )
            assert not re.search(r"SUD\d{4,}", text)
            assert not any(event_id in text for event_id in ids)
            assert not any(note[:60] in text for note in notes)
            assert '"events": []' in text


def test_ucdp_explanations_list_events(real_warehouse: Warehouse, real_signals: SignalSet) -> None:
    series = _country(real_signals, "civilians_killed_by_government", "ucdp_ged", "MMR")
    point = points_of(series[series["month"] == date(2017, 8, 1)])[0]
    with open_events(real_warehouse) as store:
        explanation = explain(
            store,
            "civilians_killed_by_government",
            "ucdp_ged",
            "MMR",
            point,
            method=DEFAULT_METHOD,
            baseline_months=12,
        )
    assert explanation.raw_rows_shareable
    assert explanation.events and explanation.events[0].deaths >= explanation.events[-1].deaths
    assert {e.date.month for e in explanation.events} == {8}
    assert explanation.areas[0].place == "Rakhine state"
    assert [n for n, _ in explanation.indicators] == ["2.1", "7.8", "10.2", "11.1"]
    assert "2016-08 to 2017-07" in explanation.summary
    assert "Myanmar" in explanation.summary


def test_run_month_lists_the_alerts(real_signals: SignalSet) -> None:
    report = run_month(month=date(2017, 8, 1), signals=real_signals)
    mine = [
        a
        for a in report.alerts
        if a.iso3 == "MMR" and a.monitor == "civilians_killed_by_government"
    ]
    assert [(a.status, a.level) for a in mine] == [("opened", "critical")]
    assert report.covered["ucdp_ged"] == ("CAF", "MMR", "SYR")  # codespell:ignore
    assert report.covered["acled_events"] == ()
    assert "sexual_violence" in report.not_supported["ucdp_ged"]


def test_run_month_refuses_a_month_without_data(real_signals: SignalSet) -> None:
    with pytest.raises(InvalidMonthError, match="no imported event source covers 2030-01"):
        run_month(month=date(2030, 1, 1), signals=real_signals)


def test_sudan_before_the_war(real_signals: SignalSet) -> None:
    """ACLED Sudan: the monitors produce scores in the months before April 2023."""
    report = run_month(month=date(2022, 12, 1), signals=real_signals)
    assert report.covered["acled_events"] == ("SDN",)
    scored = real_signals.table[
        (real_signals.table["source"] == "acled_events") & (real_signals.table["status"] == "ok")
    ]
    assert set(scored["monitor"]) >= {
        "civilians_killed_by_government",
        "civilians_killed_by_non_state",
        "sexual_violence",
        "abductions_and_disappearances",
        "attacks_on_aid_workers_and_peacekeepers",
        "sieges_and_blocked_access",
    }
    assert add_months(date(2023, 1, 1), 3) == date(2023, 4, 1)
