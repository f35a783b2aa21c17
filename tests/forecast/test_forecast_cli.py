"""`atrocity-watch forecast …` on the real EWP data, as a script (JSON) and a user see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from atrocity_watch.cli import app

runner = CliRunner()

METRIC_KEYS = {"auc", "recall_at_10", "recall_at_20", "recall_at_30", "brier", "brier_skill",
               "log_loss", "calibration_slope", "calibration_intercept"}  # fmt: skip


def _invoke(*args: str) -> object:
    result = runner.invoke(app, ["forecast", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _is_metric(x: object) -> bool:
    if isinstance(x, int | float):
        return True
    return isinstance(x, dict) and set(x) == {"value", "ci_low", "ci_high"}


def test_models_lists_the_registry() -> None:
    rows = _invoke("models", "--json")
    assert isinstance(rows, list)
    names = {row["model"] for row in rows}
    assert {"ewp-elasticnet", "lightgbm-events"} <= names
    assert sum(row["headline"] for row in rows) == 1


@pytest.mark.shared_data
def test_reproduce_json(ewp_dir: Path, shared_data: Path) -> None:
    out = _invoke(
        "reproduce", "--json",
        "--data", str(ewp_dir / "prepared2024predictors-2025-09-03.csv"),
        "--published", str(shared_data / "ewp" / "ewp_published_forecasts_long.csv"),
        "--coefficients", str(ewp_dir / "coefficients_3Sep2025.csv"),
    )  # fmt: skip
    assert isinstance(out, dict)
    assert out["edition"] == "2025-26" and out["countries"] == 168
    assert out["training_rows"] == 8970 and out["training_onsets"] == 211
    # measured: 0.999996, 30 of 30, 5.4e-05, 0.0005 (EWP rounds coefficients to 4 decimals)
    assert out["spearman"] > 0.9999
    assert out["top30_overlap"] == 30 and out["top10_overlap"] == 10
    assert out["max_abs_difference"] < 2e-4
    assert out["coefficient_max_abs_difference"] <= 1e-3
    assert out["coefficient_zero_pattern_agreement"] == 39
    assert [row["iso3"] for row in out["top30"][:3]] == ["MMR", "TCD", "SDN"]


@pytest.mark.shared_data
def test_reproduce_the_previous_edition_from_its_own_vintage(shared_data: Path) -> None:
    out = _invoke(
        "reproduce", "--json",
        "--data", str(shared_data / "ewp" / "sra2024" / "prepared2023predictors-2024-10-10.csv"),
        "--published", str(shared_data / "ewp" / "ewp_published_forecasts_long.csv"),
    )  # fmt: skip
    assert isinstance(out, dict)
    assert out["edition"] == "2024-25"
    assert out["spearman"] > 0.9999 and out["top30_overlap"] == 30
    assert out["max_abs_difference"] < 5e-4


@pytest.mark.shared_data
def test_backtest_side_by_side_with_ewp(ewp_dir: Path) -> None:
    out = _invoke(
        "backtest", "--json", "--bootstrap", "50",
        "--data", str(ewp_dir / "prepared2024predictors-2025-09-03.csv"),
        "--compare-ewp", str(ewp_dir / "FOOSforecasts_3Sep2025.csv"),
    )  # fmt: skip
    assert isinstance(out, list) and len(out) == 2
    ours, ewp = out
    assert ours["model"] == "ewp-elasticnet" and "ewp" in ewp["model"]
    for row in out:
        assert set(row) >= METRIC_KEYS
        assert all(_is_metric(row[k]) for k in METRIC_KEYS)
        assert row["onsets"] == 39 and isinstance(row["onsets"], int)
        assert row["auc"]["ci_low"] <= row["auc"]["value"] <= row["auc"]["ci_high"]
    assert ewp["auc"]["value"] == pytest.approx(0.825, abs=5e-4)
    assert ewp["recall_at_30"]["value"] == pytest.approx(27 / 39)
    assert ours["auc"]["value"] == pytest.approx(ewp["auc"]["value"], abs=3e-3)
    assert ours["recall_at_30"]["value"] == pytest.approx(ewp["recall_at_30"]["value"], abs=0.03)


@pytest.mark.shared_data
def test_run_writes_forecasts_drivers_and_meta(ewp_dir: Path) -> None:
    from atrocity_watch.warehouse import Warehouse

    data = str(ewp_dir / "prepared2024predictors-2025-09-03.csv")
    out = _invoke("run", "--json", "--data", data, "--refits", "8", "--top", "5", "--jobs", "1")
    assert isinstance(out, dict)
    assert (out["base_year"], out["window_start"], out["window_end"]) == (2024, 2025, 2026)
    top = out["countries"]
    assert [c["rank"] for c in top] == [1, 2, 3, 4, 5] and top[0]["iso3"] == "MMR"
    for country in top:
        assert country["ci_low"] <= country["probability"] <= country["ci_high"]
        assert country["drivers"] and country["main_changes"]
    warehouse = Warehouse()
    forecasts = warehouse.read_table("forecasts").to_pandas()
    assert len(forecasts) == 168 and forecasts["model"].unique().tolist() == ["ewp-elasticnet"]
    assert {"model", "base_year", "window_start", "window_end", "iso3", "country",
            "probability", "ci_low", "ci_high", "rank", "data_version",
            "created_at"} <= set(forecasts.columns)  # fmt: skip
    drivers = warehouse.read_table("forecast_drivers").to_pandas()
    assert len(drivers) == 168 * 39
    assert {"model", "base_year", "iso3", "risk_factor", "feature", "value",
            "contribution"} <= set(drivers.columns)  # fmt: skip
    meta = warehouse.read_table("forecast_meta").to_pandas()
    assert meta["headline"].tolist() == [True]
    # explain reads what was written: risk factors add up to the log-odds over the baseline
    report = _invoke("explain", "Burma", "--json")
    assert isinstance(report, dict) and report["iso3"] == "MMR" and report["rank"] == 1
    total = sum(row["contribution"] for row in report["risk_factors"])
    assert report["baseline_log_odds"] + total == pytest.approx(report["log_odds"], abs=1e-5)
    assert all(set(f["indicators"]) for f in report["features"] if f["risk_factor"])
    result = runner.invoke(app, ["forecast", "explain", "Atlantis"])
    assert result.exit_code == 2 and "Atlantis" in result.output
    # a second run of the same model and year replaces, never duplicates
    _invoke("run", "--json", "--data", data, "--refits", "0", "--top", "1", "--jobs", "1")
    assert len(Warehouse().read_table("forecasts").to_pandas()) == 168


@pytest.mark.shared_data
def test_errors_are_one_line_exit_2_and_change_nothing(ewp_dir: Path, tmp_path: Path) -> None:
    from atrocity_watch.warehouse import Warehouse

    data = str(ewp_dir / "prepared2024predictors-2025-09-03.csv")
    cases = [
        (["run", "--model", "nope", "--data", data], "no forecast model named 'nope'"),
        (["run", "--data", data, "--base-year", "1950"], "base year must be between"),
        (["reproduce", "--data", str(tmp_path / "missing.csv")], "no such file"),
        (["backtest", "--data", data, "--years", "2024"], "--years must look like"),
    ]
    bad = tmp_path / "prepared2024predictors-2025-09-03.csv"
    bad.write_text("ewp_name,year,ccode\nX,notayear,2\n", encoding="utf-8")
    cases.append((["run", "--data", str(bad)], "prepared2024predictors-2025-09-03.csv"))
    for args, message in cases:
        result = runner.invoke(app, ["forecast", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert not Warehouse().has_table("forecasts")
    result = runner.invoke(app, ["forecast", "explain", "MMR"])
    assert result.exit_code == 2 and "forecast run" in result.output
