"""The dashboard in a real browser: map, tooltip, click-through, watchlist, scope, and the CSP.

The real server (``atrocity-watch serve``: gunicorn, static files collected with hashed names)
over a home folder holding the synthetic warehouse of ``tests/web/dashboard_sample.py``, driven
with Debian's Chromium through Playwright. Every page is watched for Content-Security-Policy
violations (the policy has no ``unsafe-inline``/``unsafe-eval``; Vega must run through its
interpreter and add no inline style). Screenshots go to ``tests/browser/screenshots/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.chromium import WATCH_CSP, chromium, require_browser_site
from tests.web.dashboard_sample import (
    SITE_PASSWORD,
    build,
    free_port,
    prepare_site,
    start_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).parent / "screenshots"
OUTSIDE_COLOUR = "#ececec"  # worldmap.OUTSIDE_COLOUR


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser_site()
    home = tmp_path_factory.mktemp("dashboard-site")
    build(home)
    prepare_site(home)
    process, base = start_server(home, free_port(), workers=2)
    try:
        yield base
    finally:
        process.terminate()  # type: ignore[attr-defined]
        process.wait(timeout=30)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Tab:
    """A logged-in tab that records console errors and CSP violations."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.problems: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type == "error" or "Content Security Policy" in m.text
                else None
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def charts_drawn(self) -> None:
        self.wait_until(
            "Array.from(document.querySelectorAll('[data-vega-spec]'))"
            ".every(e => e.dataset.rendered)"
        )
        failed = self.page.locator("[data-rendered=failed]").count()
        assert failed == 0, self.page.inner_text("main")

    def wait_until(self, condition: str) -> None:
        """Wait until a JavaScript condition holds (given as a function: the CSP forbids eval)."""
        self.page.wait_for_function(f"() => {condition}")

    def shot(self, name: str) -> None:
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"dashboard-{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], f"Content-Security-Policy violations: {violations}"
        assert self.problems == [], "\n".join(self.problems)


def _login(browser: Any, base: str, username: str) -> Tab:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    tab = Tab(page, base)
    tab.open("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", SITE_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, page.inner_text("main")
    return tab


def _fills(tab: Tab) -> list[str]:
    return tab.page.evaluate(
        "Array.from(document.querySelectorAll('#world-map path[aria-roledescription=geoshape]'))"
        ".map(p => p.getAttribute('fill'))"
    )


def _country(tab: Tab, name: str) -> Any:
    return tab.page.locator(f"#world-map path[aria-label*='Country: {name};']").first


def test_map_colours_countries_shows_tooltips_and_opens_countries(site: str, browser: Any) -> None:
    tab = _login(browser, site, "alice")
    tab.open("/map/")
    tab.charts_drawn()
    fills = _fills(tab)
    assert len(fills) > 150, "the map drew too few countries"
    assert len(set(fills)) >= 4, f"the countries are not coloured by risk: {set(fills)}"
    sudan = _country(tab, "Sudan")
    sudan.hover()
    tooltip = tab.page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    for expected in ("Sudan", "30.0%", "1 of 175", "Synthetic test model", "base year 2024"):
        assert expected in text, text
    tab.shot("map-tooltip")
    sudan.click()
    tab.page.wait_for_url(re.compile(r"/countries/SDN/$"))
    tab.page.wait_for_load_state("networkidle")
    tab.charts_drawn()
    assert "Sudan" in tab.page.inner_text("h1")
    tab.shot("country-sudan")
    tab.open("/map/?show=one_sided_deaths")
    tab.charts_drawn()
    assert len(set(_fills(tab))) >= 3
    tab.shot("map-indicator")
    tab.assert_clean()


def test_watchlist_filters_and_sorts(site: str, browser: Any) -> None:
    tab = _login(browser, site, "victor")
    tab.open("/watchlist/")
    rows = tab.page.locator("#watchlist-table tbody tr")
    assert rows.count() == 175
    assert rows.first.get_attribute("data-iso3") == "SDN"
    tab.page.select_option("#f-region", "002")  # htmx refreshes the table
    tab.wait_until("document.querySelectorAll('#watchlist-table tbody tr').length < 100")
    regions = tab.page.locator("#watchlist-table tbody tr td:nth-child(3)").all_inner_texts()
    assert regions and all(r.startswith("Africa") for r in regions)
    assert "region=002" in tab.page.url  # the address follows, so it can be shared
    tab.page.click("th a[data-sort=country]")
    tab.wait_until(
        "document.querySelector('th[aria-sort=ascending] a[data-sort=country]') !== null"
    )
    names = tab.page.locator("#watchlist-table tbody tr td:nth-child(2) a").all_inner_texts()
    assert names == sorted(names, key=str.casefold) and names[0] == "Algeria"
    tab.page.click("th a[data-sort=country]")  # again: the other way round
    tab.wait_until(
        "document.querySelector('th[aria-sort=descending] a[data-sort=country]') !== null"
    )
    names = tab.page.locator("#watchlist-table tbody tr td:nth-child(2) a").all_inner_texts()
    assert names == sorted(names, key=str.casefold, reverse=True)
    # Changing a filter keeps the sort (the hidden sort fields were updated out of band).
    tab.page.fill("#f-q", "sudan")
    tab.page.press("#f-q", "Enter")
    tab.wait_until("document.querySelectorAll('#watchlist-table tbody tr').length == 2")
    codes = [
        r.get_attribute("data-iso3") for r in tab.page.locator("#watchlist-table tbody tr").all()
    ]
    assert codes == ["SDN", "SSD"]  # Sudan before South Sudan: name descending
    tab.shot("watchlist")
    tab.assert_clean()


def test_africa_viewer_sees_only_africa(site: str, browser: Any) -> None:
    tab = _login(browser, site, "ada")
    response = tab.open("/countries/MMR/")
    assert response.status == 403
    assert all("403" in p for p in tab.problems)
    tab.problems.clear()  # the browser logs the 403 it was meant to get as a console error
    assert "Myanmar is outside the countries your viewer role covers" in tab.page.inner_text("main")
    tab.shot("africa-viewer-asia-denied")
    tab.assert_clean()
    tab.open("/map/")
    tab.charts_drawn()
    myanmar = _country(tab, "Myanmar")
    assert myanmar.get_attribute("fill") == OUTSIDE_COLOUR
    myanmar.hover()
    tooltip = tab.page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "outside your scope" in tooltip.inner_text()
    assert _country(tab, "Sudan").get_attribute("fill") != OUTSIDE_COLOUR
    tab.shot("africa-viewer-map")
    tab.open("/watchlist/")
    regions = set(tab.page.locator("#watchlist-table tbody tr td:nth-child(3)").all_inner_texts())
    assert regions and all(r.startswith("Africa") for r in regions)
    tab.assert_clean()
