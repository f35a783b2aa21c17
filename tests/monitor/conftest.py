"""A warehouse holding the real event samples, built once per test session.

UCDP GED for Myanmar (1989–2023), the Central African Republic (1991–2022) and Syria (UCDP's
41-column special release, 2016–2019); ACLED for Sudan (October 2021 – April 2023, both export
layouts); UCDP one-sided violence and EWP's mass-killing episode list for the backtest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from atrocity_watch.monitor import SignalSet, compute_signals
from atrocity_watch.warehouse import Warehouse

REAL_FILES = (
    "ucdp/ged_subset/GEDEvent_v24_1_MMR775_netify.csv",
    "ucdp/ged_subset/GEDEvent_v23_1_CAF482.csv",
    "ucdp/ged_subset/GEDSyria_652.1601.1911_2016-2017.csv",
    "ucdp/ged_subset/GEDSyria_652.1601.1911_2018-2019.csv",
    "acled/acled_Sudan_2021-10-25_2023-02-10_export31.csv",
    "acled/acled_Sudan_2023-04-11_2023-04-14_newformat.csv",
    "ucdp/OneSided_v25_1.csv",
    "ewp/sra2025/EWP mass killing events master list_2025__mk_events.csv",
)


@pytest.fixture(scope="session")
def real_warehouse(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The real samples imported into a fresh warehouse (about 6 s)."""
    warehouse = Warehouse(tmp_path_factory.mktemp("monitor-home"))
    for name in REAL_FILES:
        warehouse.import_path(shared_data / name, mode="add")
    return warehouse


@pytest.fixture(scope="session")
def real_signals(real_warehouse: Warehouse) -> SignalSet:
    """Every monitor's signals on the real samples, written to the warehouse."""
    return compute_signals(real_warehouse)
