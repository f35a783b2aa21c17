"""The backtest on the real samples: the onsets it finds and how it scores them."""

from __future__ import annotations

from datetime import date

import pytest

from atrocity_watch.monitor import (
    MONITORS,
    ONSET_KINDS,
    BacktestReport,
    MissingInputError,
    run_backtest,
)
from atrocity_watch.warehouse import Warehouse

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def report(real_warehouse: Warehouse) -> BacktestReport:
    [result] = run_backtest(real_warehouse)
    return result


def test_onsets_come_from_ewp_and_ucdp(report: BacktestReport) -> None:
    ewp = {(o.label, o.month) for o in report.onsets if o.kind == "ewp"}
    assert ewp == {
        ("caf2013ns1", date(2013, 3, 1)),
        ("mmr2016s1", date(2016, 10, 1)),
        ("mmr2021s1", date(2021, 2, 1)),
        ("sdn2023ns1", date(2023, 4, 1)),
    }
    osv = {o.label: o for o in report.onsets if o.kind == "osv1000"}
    # the Government of Myanmar's one-sided deaths reached 1,000 in August 2017 (GED)
    assert osv["Government of Myanmar (Burma) 2017"].month == date(2017, 8, 1)
    assert "ARSA 2017" in {o.label for o in report.onsets if o.kind == "osv25"}


def test_sudan_onset_is_scored_on_acled(report: BacktestReport) -> None:
    rows = [r for r in report.results if r.onset.label == "sdn2023ns1"]
    assert {r.source for r in rows} == {"acled_events"}
    assert all(r.evaluable for r in rows)
    assert {r.monitor for r in rows} == {
        m for m in MONITORS if MONITORS[m].supports("acled_events")
    }


def test_the_2017_killings_were_flagged(report: BacktestReport) -> None:
    [row] = [
        r
        for r in report.results
        if r.onset.label == "Government of Myanmar (Burma) 2017"
        and r.monitor == "civilians_killed_by_government"
    ]
    assert row.flagged_before and row.lead_months is not None and row.lead_months >= 1


def test_table_has_every_monitor_for_every_onset_list(report: BacktestReport) -> None:
    lines = {(s.onset_kind, s.monitor) for s in report.scores}
    assert lines == {(k, m) for k in ONSET_KINDS for m in [*MONITORS, "any"]}
    for score in report.scores:
        assert score.flagged_before <= score.flagged_by_onset <= score.onsets
        if score.share_before is not None:
            assert 0 <= score.share_before <= 1
    quiet = {(s, c, y) for s, c, y in report.quiet_years}
    assert ("ucdp_ged", "CAF", 1995) in quiet  # codespell:ignore
    assert not any(c == "SYR" for _, c, _ in quiet)  # IS killed civilians every year


def test_selection_and_evaluation_split(real_warehouse: Warehouse) -> None:
    [selection] = run_backtest(real_warehouse, period="selection")
    assert selection.onsets and all(o.year <= 2014 for o in selection.onsets)
    assert all(y <= 2014 for _, _, y in selection.quiet_years)


def test_backtest_needs_the_onset_lists(tmp_path, shared_data) -> None:  # type: ignore[no-untyped-def]
    warehouse = Warehouse(tmp_path / "only-events")
    warehouse.import_path(shared_data / "ucdp/ged_subset/GEDEvent_v23_1_CAF482.csv")
    with pytest.raises(MissingInputError, match="EWP's mass-killing episode list"):
        run_backtest(warehouse)
