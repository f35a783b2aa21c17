"""The refresh pipeline: order of work, skipping what has no input, and clear reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.pipeline import STEPS, StepStatus, refresh


def test_steps_run_in_the_documented_order() -> None:
    assert [step.name for step in STEPS] == ["sources", "panels", "forecast", "signals"]


def test_unknown_step_is_refused_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(AtrocityWatchError, match=r"Unknown refresh step\(s\): model"):
        refresh(None, steps=["model"])
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()


def test_offline_without_data_skips_every_step_and_says_why() -> None:
    lines: list[str] = []
    report = refresh(lines.append)
    statuses = {step.name: step.status for step in report.steps}
    assert statuses["sources"] is StepStatus.DONE  # nothing to fetch offline is not a failure
    assert "not available (offline and no mirror" in report.steps[0].message
    for name in ("panels", "forecast", "signals"):
        assert statuses[name] is StepStatus.SKIPPED, report.summary()
    assert report.ok
    assert lines[0] == "  [1/4] Importing the datasets (from the mirror or the publishers) …"


@pytest.mark.slow
def test_refresh_from_a_mirror_fills_the_warehouse(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mirror holding only UCDP and EWP files: import, panels, forecast and signals all run."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for folder in ("ucdp", "ewp"):
        (mirror / folder).symlink_to(shared_data / folder, target_is_directory=True)
    monkeypatch.setenv("ATROCITY_WATCH_MIRROR", str(mirror))
    monkeypatch.setattr("atrocity_watch.pipeline.HISTORY_YEARS", 1)
    report = refresh(None)
    statuses = {step.name: step.status for step in report.steps}
    assert statuses == dict.fromkeys(statuses, StepStatus.DONE), report.summary()
    from atrocity_watch.warehouse import Warehouse

    warehouse = Warehouse()
    for table in ("src_ucdp_ged", "panel_country_year", "forecasts", "monitor_signals"):
        assert warehouse.has_table(table), table
    forecasts = warehouse.read_table("forecasts").to_pandas()
    assert sorted(forecasts["base_year"].unique()) == [2023, 2024]
    assert forecasts["iso3"].nunique() > 150
    assert forecasts["probability"].between(0, 1).all()
