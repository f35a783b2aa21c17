"""The forecast reads one data vintage even when the warehouse holds several EWP editions."""

from __future__ import annotations

from pathlib import Path

from atrocity_watch.forecast._data import load_modelling_data_from_warehouse
from atrocity_watch.warehouse import Warehouse


def test_latest_edition_is_used_when_two_are_imported(shared_data: Path) -> None:
    warehouse = Warehouse()
    warehouse.import_path(shared_data / "ewp/sra2025/prepared2024predictors-2025-09-03.csv")
    warehouse.import_path(
        shared_data / "ewp/sra2024/prepared2023predictors-2024-10-10.csv", mode="add"
    )
    assert len({p.file_name for p in warehouse.status("ewp_prepared")}) == 2
    data = load_modelling_data_from_warehouse(warehouse)
    assert data.version.startswith("prepared2024predictors-2025-09-03.csv")
    assert data.last_year == 2024
    assert not data.frame.duplicated(["iso3", "year"]).any()
    assert len(data.frame) == 9463
