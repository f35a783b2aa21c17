"""Assessments in a real browser: log in, write, submit, approve, see it on the watchlist; scopes.

The real server (``atrocity-watch serve``: gunicorn, hashed static files) over a home folder
with the synthetic warehouse of ``tests/web/dashboard_sample.py``, driven with Debian's Chromium
through Playwright. Every page is watched for Content-Security-Policy violations and script
errors. Screenshots go to ``tests/browser/screenshots/`` (not committed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.chromium import WATCH_CSP, chromium, require_browser_site
from tests.web.dashboard_sample import SITE_PASSWORD, build, free_port, prepare_site, start_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).parent / "screenshots"
PERSONAS = {
    "alice": ("admin", "all", ""),
    "ana": ("analyst", "all", ""),
    "rita": ("reviewer", "all", ""),
    "victor": ("viewer", "all", ""),
    "ada": ("viewer", "region", "002"),  # an early-warning unit that covers Africa
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_browser_site()
    home = tmp_path_factory.mktemp("assessment-site")
    build(home)
    prepare_site(home, PERSONAS)
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
    """A browser tab of one user that records CSP violations and script errors."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.base = base
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "response",
            lambda r: (
                self.problems.append(f"server error {r.status} for {r.url}")
                if r.status >= 500
                else None
            ),
        )

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        self.check()
        return response

    def login(self, username: str) -> Tab:
        self.open("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", SITE_PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state("networkidle")
        assert "/accounts/login/" not in self.page.url, self.page.inner_text("main")
        return self

    def shot(self, name: str) -> None:
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"assessment-{name}.png"), full_page=True)

    def check(self) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        # A 403 page logs "Failed to load resource" for itself: that is the answer, not a fault.
        problems = [p for p in self.problems if "status of 403" not in p]
        assert violations == [], f"{self.page.url}: CSP violations {violations}"
        assert problems == [], f"{self.page.url}: " + "\n".join(problems)

    def close(self) -> None:
        self.check()
        self.context.close()


def test_login_page(site: str, browser: Any) -> None:
    tab = Tab(browser, site)
    tab.open("/accounts/login/")
    tab.shot("login")
    tab.page.fill("input[name=username]", "ana")
    tab.page.fill("input[name=password]", "wrong")
    tab.page.click("main button[type=submit]")
    tab.page.wait_for_load_state("networkidle")
    assert "not right" in tab.page.inner_text("main")
    tab.shot("login-failed")
    tab.close()


def test_write_submit_approve_and_see_it_on_the_watchlist(site: str, browser: Any) -> None:
    ana = Tab(browser, site).login("ana")
    ana.shot("home-analyst")
    ana.open("/assessments/")
    ana.page.select_option("#id_country", "MMR")
    ana.page.click("form[action$='/assessments/start/'] button[type=submit]")
    ana.page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    detail_url = ana.page.url
    assert "Myanmar" in ana.page.inner_text("h1")
    ana.shot("new-draft")

    ana.page.click("a[href$='/risk-factors/11/']")
    ana.page.wait_for_load_state("networkidle")
    ana.page.select_option("select[name='11-level']", "high")
    ana.page.select_option("select[name='11-trend']", "worsening")
    ana.page.select_option("select[name='11-confidence']", "high")
    ana.page.fill(
        "textarea[name='11-rationale']",
        "Repeated, organised attacks on Rohingya villages reported by several UN bodies.",
    )
    ana.page.fill(
        "input[name='evidence-0-title']", "Report of the Independent Fact-Finding Mission"
    )
    ana.page.fill(
        "input[name='evidence-0-url']", "https://www.ohchr.org/en/hr-bodies/hrc/myanmar-ffm"
    )
    ana.page.fill("input[name='evidence-0-date']", "2018-09-18")
    ana.shot("editor")
    ana.page.click("button[name=save]")
    ana.page.wait_for_url(detail_url)
    assert "Risk factor 11 saved" in ana.page.inner_text("main")

    # Too little is known for a suggestion: the analyst chooses the category and says why.
    ana.page.select_option("#id_category", "current_crisis")
    ana.page.fill(
        "#id_override_reason",
        "Only risk factor 11 is assessed so far, but it alone shows crimes under way.",
    )
    ana.page.click("form[action$='/overview/'] button[type=submit]")
    ana.page.wait_for_load_state("networkidle")
    assert "Summary and category saved" in ana.page.inner_text("main")
    ana.page.click("form[action$='/submit/'] button[type=submit]")
    ana.page.wait_for_load_state("networkidle")
    assert "Submitted for review" in ana.page.inner_text("main")
    ana.shot("submitted")
    ana.close()

    rita = Tab(browser, site).login("rita")
    rita.open(detail_url.removeprefix(site))
    rita.page.fill("#id_comment", "Well sourced; approve.")
    rita.page.click("button[name=decision][value=approve]")
    rita.page.wait_for_load_state("networkidle")
    assert "approved" in rita.page.inner_text("main")
    assert "Approved by rita" in rita.page.inner_text("main")
    rita.shot("approved")
    # Nothing can be edited any more.
    assert rita.page.locator("a[href*='/risk-factors/']").count() == 0
    rita.close()

    victor = Tab(browser, site).login("victor")
    victor.open("/watchlist/?q=myanmar")
    row = victor.page.locator("#watchlist-table tbody tr[data-iso3=MMR]")
    assert "Current crisis" in row.inner_text(), row.inner_text()
    victor.shot("watchlist")
    victor.close()


def test_viewer_cannot_reach_the_editor(site: str, browser: Any) -> None:
    ana = Tab(browser, site).login("ana")
    ana.open("/assessments/")
    ana.page.select_option("#id_country", "SDN")
    ana.page.click("form[action$='/assessments/start/'] button[type=submit]")
    ana.page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    editor = ana.page.url.removeprefix(site) + "risk-factors/1/"
    ana.close()

    victor = Tab(browser, site).login("victor")
    response = victor.open(editor)
    assert response.status == 403
    text = victor.page.inner_text("main")
    assert "You may not open this page" in text and "analyst role" in text
    victor.shot("viewer-forbidden")
    # The draft itself is readable, without any edit link.
    victor.open(editor.removesuffix("risk-factors/1/"))
    assert victor.page.locator("a[href*='/risk-factors/']").count() == 0
    victor.close()


def test_africa_viewer_cannot_see_an_asian_country(site: str, browser: Any) -> None:
    ada = Tab(browser, site).login("ada")
    response = ada.open("/assessments/country/MMR/")
    assert response.status == 403
    assert (
        "Myanmar is outside the countries your viewer role covers (Africa)"
        in ada.page.inner_text("main")
    )
    ada.shot("scope-forbidden")
    assert ada.open("/countries/MMR/").status == 403
    assert ada.open("/assessments/country/SDN/").status == 200
    ada.open("/assessments/")
    assert "Myanmar" not in ada.page.inner_text("main")
    api = ada.page.request.get(site + "/api/countries/MMR")
    assert api.status == 403 and "outside the countries" in api.json()["detail"]
    ada.close()


def test_two_factor_set_up_page_and_audit_log(site: str, browser: Any) -> None:
    alice = Tab(browser, site).login("alice")
    alice.open("/accounts/two-factor/")
    qr = alice.page.locator("img.qr")
    assert qr.evaluate("img => img.naturalWidth") > 100  # the QR image loaded under the CSP
    alice.shot("two-factor")
    alice.open("/audit/")
    assert "logged in" in alice.page.inner_text("main")
    alice.shot("audit-log")
    alice.open("/api/docs")
    alice.page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    alice.shot("api-docs")
    alice.close()
