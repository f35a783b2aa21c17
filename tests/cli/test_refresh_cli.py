"""`atrocity-watch refresh`: the pipeline from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from atrocity_watch.cli import app

runner = CliRunner()


def test_refresh_json_offline_without_data_reports_every_step() -> None:
    result = runner.invoke(app, ["refresh", "--no-alerts", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert [s["step"] for s in report["steps"]] == ["sources", "panels", "forecast", "signals"]
    assert [s["status"] for s in report["steps"]] == ["done", "skipped", "skipped", "skipped"]
    assert report["alerts"] is None


def test_refresh_one_step_for_people() -> None:
    result = runner.invoke(app, ["refresh", "--no-alerts", "--step", "panels"])
    assert result.exit_code == 0, result.output
    assert "[1/1] Building the country-year and country-month panels" in result.stdout
    assert "skipped: no dataset imported yet" in result.stdout


def test_unknown_step_exits_2_with_one_line() -> None:
    result = runner.invoke(app, ["refresh", "--step", "model"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: Unknown refresh step(s): model. The steps are: sources, panels, forecast, signals."
    )
