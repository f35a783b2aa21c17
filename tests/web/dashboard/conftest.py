"""Fixtures of the dashboard tests: a warehouse with synthetic forecasts and panels.

``with_data`` points ``ATROCITY_WATCH_HOME`` at one warehouse built per session (read-only
afterwards, see ``tests/web/dashboard_sample.py``); without it a test sees the empty home every
test gets from ``tests/conftest.py``. The dashboard's per-process cache is emptied around each
test so no test sees another's tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_sample import shared_home

from atrocity_watch.web.dashboard.reads import clear_cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def with_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared synthetic warehouse as the current home."""
    home = shared_home()
    monkeypatch.setenv("ATROCITY_WATCH_HOME", str(home))
    clear_cache()
    return home


@pytest.fixture
def home(_isolated_home: Path) -> Path:
    """This test's own empty home folder (its warehouse starts empty)."""
    return _isolated_home
