"""An alert appears in the feed, an analyst opens it and acknowledges it, in a real browser.

The real server (``atrocity-watch run``) in its own home folder, whose warehouse holds the
synthetic events of ``tests/web/alerts/alerts_sample.py`` and their monitor signals; the alerts
are made by the real management command (``sync_alerts``). Driven with Debian's Chromium
through Playwright. Screenshots go to ``$ATROCITY_WATCH_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.chromium import (
    chromium,
    require_browser_site,
    running_site,
    site_environment,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MANAGE = [sys.executable, "-m", "atrocity_watch.web"]
PASSWORD = "a long enough test password 42"


def _warehouse_with_signals(home: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web" / "alerts"))
    try:
        from alerts_sample import write_acled, write_ged
    finally:
        sys.path.pop(0)
    from atrocity_watch.monitor import compute_signals
    from atrocity_watch.warehouse import Warehouse

    files = home / "incoming"
    files.mkdir(parents=True)
    warehouse = Warehouse(home)
    warehouse.import_path(write_ged(files / "GEDEvent_v99_1_synthetic.csv"), "ucdp_ged")
    warehouse.import_path(write_acled(files / "acled_synthetic.csv"), "acled_events")
    compute_signals(warehouse, neighbours=lambda iso3: [])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``atrocity-watch run`` on a free port, after ``sync_alerts``; yields its address."""
    require_browser_site()
    home = tmp_path / "home"
    _warehouse_with_signals(home)
    env = site_environment(home, ADMIN_USERNAME="ana", ADMIN_PASSWORD=PASSWORD)
    for command in (["migrate", "-v", "0"], ["sync_alerts", "--no-send"]):
        done = subprocess.run([*MANAGE, *command], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert "4 new" in done.stdout
    with running_site(env) as base:
        yield base


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        tab.set_default_timeout(60_000)
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.csp_errors = errors  # type: ignore[attr-defined]
        yield tab


def _shot(page: Any, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_alert_in_the_feed_opened_and_acknowledged(server: str, page: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("ATROCITY_WATCH_SCREENSHOTS") or tmp_path / "shots")
    page.goto(f"{server}/accounts/login/?next=/alerts/")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/alerts/")
    rows = page.locator("tr[data-alert]")
    assert rows.count() == 3  # the three open alerts (the 2020 one is closed)
    _shot(page, shots, "alerts-1-feed")

    row = rows.filter(has_text="Sudan").filter(has_text="Civilians killed by government forces")
    assert row.get_by_role("link", name="Sudan").get_attribute("href") == "/countries/SDN/"
    row.get_by_role("link", name="Civilians killed by government forces").click()
    page.wait_for_url(f"{server}/alerts/*/")
    assert "Civilians killed by government forces — Sudan" in page.inner_text("h1")
    assert page.locator("svg.alert-chart__svg rect.chart-bar--alert").count() >= 1
    assert page.locator("[data-events=list] tbody tr").count() >= 1
    assert "2021-08 to 2022-07" in page.inner_text(".explanation")
    _shot(page, shots, "alerts-2-alert")

    page.click("button[data-action=acknowledge]")
    page.wait_for_selector("[data-acknowledged=yes]")
    assert "Acknowledged by ana" in page.inner_text("[data-acknowledged=yes]")
    assert page.locator("button[data-action=acknowledge]").count() == 0
    page.fill("textarea[name=text]", "Asked the field office to confirm the figures.")
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_selector("article.comment")
    assert "field office" in page.inner_text("#comments")
    _shot(page, shots, "alerts-3-acknowledged")

    # the country page lists the alert through the dashboard's hook
    page.goto(f"{server}/countries/SDN/")
    assert page.locator("a[href^='/alerts/']").count() >= 1
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]
