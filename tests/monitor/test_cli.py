"""`atrocity-watch monitor …` on the real samples: JSON for scripts, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from atrocity_watch.cli import app
from atrocity_watch.monitor import MONITORS
from atrocity_watch.warehouse import Warehouse

runner = CliRunner()


def test_list_names_every_monitor() -> None:
    result = runner.invoke(app, ["monitor", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [m["name"] for m in listed] == list(MONITORS)
    sexual = next(m for m in listed if m["name"] == "sexual_violence")
    assert sexual["sources"][0]["label"] == "not supported by this source"


@pytest.mark.shared_data
def test_run_prints_alerts_as_json(
    real_warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATROCITY_WATCH_HOME", str(real_warehouse.home))
    result = runner.invoke(
        app, ["monitor", "run", "--month", "2017-08", "--country", "MMR", "--json"]
    )
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.stdout)
    assert {a["country"] for a in alerts} == {"MMR"}
    government = next(a for a in alerts if a["monitor"] == "civilians_killed_by_government")
    assert set(government) >= {
        "country",
        "monitor",
        "month",
        "value",
        "baseline",
        "score",
        "indicators",
        "status",
    }
    assert government["month"] == "2017-08"
    assert government["status"] == "opened" and government["level"] == "critical"
    assert government["indicators"] == ["2.1", "7.8", "10.2", "11.1"]


@pytest.mark.shared_data
def test_series_says_no_data(real_warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATROCITY_WATCH_HOME", str(real_warehouse.home))
    result = runner.invoke(app, ["monitor", "series", "SDN", "sexual_violence", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 15 and rows[0]["month"] == "2021-11"
    result = runner.invoke(app, ["monitor", "series", "SDN", "sexual_violence"])
    assert "2022-06" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["monitor", "run", "--month", "June 2022"], "is not a month; write it as YYYY-MM"),
        (["monitor", "run"], "the warehouse is empty"),
        (["monitor", "series", "SDN", "massacres"], "there is no monitor 'massacres'"),
        (["monitor", "backtest", "--period", "later"], "must be all, selection or evaluation"),
    ],
)
def test_errors_are_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
