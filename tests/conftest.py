"""Fixtures shared by the whole suite.

Real datasets live in ../shared/data beside the checkout during development and CI. A user's
fresh clone has none, so tests that need them use the ``shared_data`` fixture, which skips with
the reason when the folder is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared_data_dir() -> Path | None:
    candidates = []
    if os.environ.get("ATROCITY_WATCH_SHARED_DATA"):
        candidates.append(Path(os.environ["ATROCITY_WATCH_SHARED_DATA"]))
    candidates.append(ROOT.parent / "shared" / "data")
    for candidate in candidates:
        if (candidate / "README.md").is_file():
            return candidate
    return None


SHARED_DATA = _shared_data_dir()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real public datasets (skips the test when it is not on this machine)."""
    if SHARED_DATA is None:
        pytest.skip(
            "real datasets not found: set ATROCITY_WATCH_SHARED_DATA or place them in "
            "../shared/data (they are not distributed with the project)"
        )
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty ATROCITY_WATCH_HOME so no test touches ./var."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ATROCITY_WATCH_HOME", str(home))
    monkeypatch.delenv("ATROCITY_WATCH_MIRROR", raising=False)
    monkeypatch.setenv("ATROCITY_WATCH_OFFLINE", "true")
    return home
