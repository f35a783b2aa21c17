"""`atrocity-watch framework list/show` as a user and a script see it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from atrocity_watch.cli import app

runner = CliRunner()


def test_list_json_schema() -> None:
    result = runner.invoke(app, ["framework", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 14
    assert rows[6] == {
        "number": 7,
        "name": "Enabling circumstances or preparatory action",
        "scope": "common",
        "indicator_count": 14,
        "complete": True,
    }
    assert {row["number"]: row["complete"] for row in rows if not row["complete"]} == {
        10: False, 11: False, 12: False, 13: False, 14: False}  # fmt: skip
    for row in rows:
        assert set(row) == {"number", "name", "scope", "indicator_count", "complete"}
        assert isinstance(row["number"], int) and isinstance(row["indicator_count"], int)


def test_list_table_warns_about_incomplete_lists() -> None:
    result = runner.invoke(app, ["framework", "list"])
    assert result.exit_code == 0
    assert "INCOMPLETE" in result.stdout
    assert "110 of the 143 indicators" in result.stdout


def test_show_risk_factor_json() -> None:
    result = runner.invoke(app, ["framework", "show", "7", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["number"] == 7 and data["indicator_count"] == 14
    assert [i["number"] for i in data["indicators"]][-1] == "7.14"


def test_show_indicator_json() -> None:
    result = runner.invoke(app, ["framework", "show", "7.14", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["number"] == "7.14" and data["risk_factor"] == 7
    assert data["risk_factor_name"] == "Enabling circumstances or preparatory action"


def test_show_incomplete_risk_factor_says_so() -> None:
    result = runner.invoke(app, ["framework", "show", "14"])
    assert result.exit_code == 0
    assert "INCOMPLETE" in result.stdout


def test_unknown_indicator_exits_2_with_one_line() -> None:
    result = runner.invoke(app, ["framework", "show", "7.20"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: There is no indicator 7.20: risk factor 7 has indicators 7.1-7.14."
    ]
