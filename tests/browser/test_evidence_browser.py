"""A document goes from upload to accepted evidence on an assessment, in a real browser.

The real server (``atrocity-watch run``: migrations, first administrator, gunicorn) in its own
home folder, driven with Debian's Chromium through Playwright. Screenshots of each step go to
``$ATROCITY_WATCH_SCREENSHOTS`` when set (to look at them), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.chromium import (
    CLI,
    chromium,
    require_browser_site,
    running_site,
    site_environment,
)
from tests.evidence.conftest import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long enough test password 42"

PAGES = [
    [
        "Report of the Panel of Experts on the Sudan (excerpt)",
        "The Rapid Support Forces besieged El Fasher from May 2024. Food convoys",
        "were blocked at checkpoints and the United Nations could not deliver aid,",
        "so that civilians in the camps for displaced people starved.",
    ],
    [
        "Militia leaders called on local radio for the Masalit to be driven out of",
        "West Darfur, and their speeches were shared widely on social media.",
    ],
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``atrocity-watch run`` on a free port, with its own home folder; yields its address."""
    require_browser_site()
    env = site_environment(tmp_path / "home", ADMIN_USERNAME="ana", ADMIN_PASSWORD=PASSWORD)
    # Embed the Framework prototypes and training passages once, into the home folder's cache,
    # as an installation that has been used before would have them (the server's first upload
    # then only loads the model).
    warm = subprocess.run(
        [*CLI, "evidence", "suggest", "--text", "warm-up"], env=env, capture_output=True, text=True
    )
    assert warm.returncode == 0, warm.stderr
    with running_site(env) as base:
        yield base


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        tab.set_default_timeout(60_000)
        yield tab


def _shot(page: Any, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_upload_to_accepted_evidence_on_the_assessment(
    server: str, page: Any, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("ATROCITY_WATCH_SCREENSHOTS") or tmp_path / "shots")
    report = tmp_path / "sudan-panel.pdf"
    report.write_bytes(make_pdf(PAGES, title="Panel of Experts on the Sudan"))

    page.goto(f"{server}/accounts/login/?next=/assessments/")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/assessments/$"))
    # A draft assessment of Sudan for the evidence to go on.
    page.select_option("select[name=country]", "SDN")
    page.click("form[action$='/assessments/start/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    assessment_url = page.url

    page.click("nav >> text=Evidence")
    page.wait_for_url(re.compile(r"/evidence/$"))
    _shot(page, shots, "1-library-empty")
    page.click("text=Add a document")
    page.set_input_files("input[name=file]", str(report))
    page.select_option("select[name=country]", "SDN")
    page.fill("input[name=source_url]", "https://example.org/sudan-panel.pdf")
    _shot(page, shots, "2-upload-form")
    page.click("button:has-text('Add the document')")
    page.wait_for_url(re.compile(r"/evidence/documents/\d+/$"))
    main = page.inner_text("main")
    assert "2 passages" in main and "Panel of Experts on the Sudan" in page.inner_text("h1")
    assert "SDN" in main and "page 2" in main
    _shot(page, shots, "3-document")

    page.click("text=Review queue")
    page.wait_for_url(re.compile(r"/evidence/review/$"))
    _shot(page, shots, "4-queue")
    page.click("a.button:has-text('Review') >> nth=0")
    page.wait_for_url(re.compile(r"/evidence/passages/\d+/$"))
    assert "Panel of Experts on the Sudan, p. 1" in page.inner_text(".citation")
    _shot(page, shots, "5-passage")

    # Accept the first suggestion, attached to Sudan's open assessment (the box is ticked).
    first_row = page.locator("table.table tbody tr").first
    risk_factor = first_row.locator("td").first.inner_text().split(".")[0]
    first_row.locator("button:has-text('Accept')").click()
    page.wait_for_selector(".message--success")
    assert "attached to the assessment of Sudan" in page.inner_text(".messages")
    assert "Accepted" in page.inner_text("main")
    _shot(page, shots, "6-accepted")

    # The evidence is on the assessment, under the risk factor, with its citation.
    page.goto(f"{assessment_url}risk-factors/{risk_factor}/")
    content = page.content()
    assert "Panel of Experts on the Sudan, p. 1" in content
    assert "https://example.org/sudan-panel.pdf" in content
    _shot(page, shots, "7-assessment-evidence")
    page.goto("{}evidence/review/".format(server + "/"))
    assert "Panel of Experts" in page.inner_text("main")  # the second passage still waits
