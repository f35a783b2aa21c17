"""Fixtures of the warehouse tests (helpers that build files are in helpers.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atrocity_watch.warehouse import Warehouse

from .helpers import ged_event, write_ged


@pytest.fixture
def warehouse(_isolated_home: Path) -> Warehouse:
    """An empty warehouse in the test's own home folder (waits at most 2 s for locks)."""
    return Warehouse(wait=2)


@pytest.fixture
def ged_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a GED file of ``n`` Myanmar events (ids from ``first``) in ``tmp_path``."""

    def make(name: str = "GEDEvent_v24_1.csv", n: int = 3, first: int = 1, **kw: Any) -> Path:
        events = [ged_event(first + i, f"2020-0{1 + i % 9}-15", **kw) for i in range(n)]
        return write_ged(tmp_path / "files" / name, events)

    return make
