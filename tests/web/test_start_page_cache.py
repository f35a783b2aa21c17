"""The start page reads the warehouse once per version of its file, not on every visit."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pytest
from django.test import Client

from atrocity_watch import config
from atrocity_watch.warehouse import Warehouse


def test_start_page_keeps_the_status_until_the_warehouse_changes(
    client_for: Callable[[str | None], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = Warehouse(config.home())
    panel = pa.Table.from_pylist([{"iso3": "SDN", "year": 2024, "state_based_deaths": 3.0}])
    warehouse.replace_table("panel_country_year", panel, kind="panel")
    client = client_for("victor")
    assert "panel_country_year" in client.get("/").content.decode()

    opened: list[object] = []
    original = Warehouse.__init__

    def counting_init(self: Warehouse, *args: object, **kwargs: object) -> None:
        opened.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Warehouse, "__init__", counting_init)
    for _ in range(3):
        assert "panel_country_year" in client.get("/").content.decode()
    assert opened == [], "an unchanged warehouse is not opened again"

    monthly = pa.Table.from_pylist([{"iso3": "SDN", "month": "2024-01-01", "x": 1.0}])
    warehouse.replace_table("panel_country_month", monthly, kind="panel")
    opened.clear()
    page = client.get("/").content.decode()
    assert "panel_country_month" in page, "a new table shows on the next visit"
    assert len(opened) == 1
