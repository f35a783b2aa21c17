"""Reading the warehouse: cache per snapshot version, headline model, never waiting for imports."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from dashboard_sample import forecasts_table, meta_table

from atrocity_watch.warehouse import Warehouse
from atrocity_watch.web.dashboard.forecasts import forecasts, headline_model
from atrocity_watch.web.dashboard.reads import DashboardDataError, provenance

COUNTRIES = ["SDN", "MMR", "NOR"]


def _write_forecasts(home: Path, sudan: float) -> None:
    table = forecasts_table(COUNTRIES)
    probability = [
        sudan if (iso3 == "SDN" and year == 2024) else p
        for iso3, year, p in zip(
            table.column("iso3").to_pylist(),
            table.column("base_year").to_pylist(),
            table.column("probability").to_pylist(),
            strict=True,
        )
    ]
    table = table.set_column(table.column_names.index("probability"), "probability", [probability])
    warehouse = Warehouse(home)
    warehouse.replace_table("forecasts", table, kind="forecast")
    warehouse.replace_table("forecast_meta", meta_table(), kind="forecast")


def test_a_new_snapshot_is_read_once_and_then_served_from_cache(home: Path) -> None:
    _write_forecasts(home, 0.30)
    first = forecasts()
    assert first is not None and first.latest["SDN"].probability == pytest.approx(0.30)
    assert forecasts() is first  # same snapshot: the same object, nothing re-read
    _write_forecasts(home, 0.42)
    second = forecasts()
    assert second is not first
    assert second is not None and second.latest["SDN"].probability == pytest.approx(0.42)


def test_only_the_headline_model_is_shown(home: Path) -> None:
    _write_forecasts(home, 0.30)
    found = forecasts()
    assert found is not None
    assert found.model.model == "synthetic-test-model"
    assert found.model.sources == ("ewp_prepared", "ucdp_onesided")
    assert {f.model for f in found.latest.values()} == {"synthetic-test-model"}
    assert found.base_years == (2021, 2022, 2023, 2024) and found.previous_base_year == 2023
    assert found.change("SDN") == pytest.approx(0.09)
    assert found.change("XXX") is None


MODELS = {"a", "b"}


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (pa.table({"model": ["a", "b"], "headline": [False, True]}), "b"),
        (pa.table({"key": ["headline", "note"], "value": ["a", "x"]}), "a"),
        (pa.table({"headline_model": ["b"]}), "b"),
    ],
)
def test_headline_model_shapes(meta: pa.Table, expected: str) -> None:
    assert headline_model(meta, MODELS).model == expected


def test_headline_model_without_meta() -> None:
    assert headline_model(None, {"only"}).model == "only"
    with pytest.raises(DashboardDataError, match="names none as the headline"):
        headline_model(None, MODELS)
    with pytest.raises(DashboardDataError, match="has no rows for it"):
        headline_model(pa.table({"headline_model": ["c"]}), MODELS)
    with pytest.raises(DashboardDataError, match="more than one headline"):
        headline_model(pa.table({"model": ["a", "b"], "headline": [True, True]}), MODELS)


def test_rows_without_probability_are_no_data_not_zero(home: Path) -> None:
    table = pa.table(
        {
            "model": ["m", "m"],
            "base_year": [2024, 2024],
            "iso3": ["SDN", "MMR"],
            "probability": [0.2, None],
        }
    )
    Warehouse(home).replace_table("forecasts", table)
    found = forecasts()
    assert found is not None and set(found.latest) == {"SDN"}


def test_pages_do_not_wait_while_an_import_holds_the_warehouse(
    home: Path, client_for: Any, tmp_path: Path
) -> None:
    """Another process holds DuckDB's write lock (as an import does); pages answer at once."""
    _write_forecasts(home, 0.30)
    ready = tmp_path / "locked"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import pathlib, time, duckdb
                con = duckdb.connect({str(home / "warehouse.duckdb")!r})
                con.execute("BEGIN TRANSACTION")
                pathlib.Path({str(ready)!r}).touch()
                time.sleep(60)
                """
            ),
        ]
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert holder.poll() is None, "the lock-holding process died"
            assert time.monotonic() < deadline, "the lock-holding process did not start"
            time.sleep(0.05)
        client = client_for("victor")
        for url in ("/map/", "/watchlist/", "/countries/SDN/", "/api/forecasts"):
            response = client.get(url)
            assert response.status_code == 200, url
        # Busy: the provenance is skipped (read with wait=0), the pages show the snapshots.
        assert provenance() == {}
        assert b"30.0%" in client.get("/countries/SDN/").content
    finally:
        holder.kill()
        holder.wait()


def test_headline_model_as_the_forecast_layer_writes_it() -> None:
    """One meta row per model and base year, sources only in the data version."""
    meta = pa.table(
        {
            "model": ["a", "a", "b"],
            "base_year": [2023, 2024, 2024],
            "headline": [True, True, False],
            "title": ["A (old)", "Model A", "Model B"],
            "data_version": ["x", "prepared.csv (ewp_prepared 2024.2025-09-03, sha256 0)", "y"],
        }
    )
    info = headline_model(meta, MODELS)
    assert (info.model, info.title, info.sources) == ("a", "Model A", ("ewp_prepared",))


def test_pages_show_a_new_forecast_as_soon_as_it_is_written(home: Path, client_for: Any) -> None:
    """The kept country sections and watchlist rows are keyed by the tables' versions."""
    _write_forecasts(home, 0.30)
    client = client_for("victor")
    assert b"30.0%" in client.get("/countries/SDN/").content
    assert b"30.0%" in client.get("/watchlist/").content
    _write_forecasts(home, 0.42)
    assert b"42.0%" in client.get("/countries/SDN/").content
    watchlist = client.get("/watchlist/").content
    assert b"42.0%" in watchlist and b"30.0%" not in watchlist


def test_change_falls_back_to_the_recorded_previous_probability(home: Path) -> None:
    """With one base year only, the change is against the model on last year's data."""
    table = pa.table(
        {
            "model": ["m", "m"],
            "base_year": [2024, 2024],
            "iso3": ["SDN", "MMR"],
            "probability": [0.20, 0.10],
            "previous_probability": [0.15, None],
        }
    )
    Warehouse(home).replace_table("forecasts", table)
    found = forecasts()
    assert found is not None and found.previous_base_year is None
    assert found.change("SDN") == pytest.approx(0.05)
    assert found.change("MMR") is None
    assert found.change_against == 2023


def test_snapshot_paths_are_where_the_warehouse_publishes_them(home: Path) -> None:
    from atrocity_watch.web.dashboard.reads import snapshot_path

    _write_forecasts(home, 0.30)
    assert snapshot_path("forecasts") == Warehouse(home).snapshot_path("forecasts")
    assert snapshot_path("panel_country_month") is None
