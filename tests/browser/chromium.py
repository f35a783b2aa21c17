"""What every browser test shares: Debian's Chromium, its flags, a CSP watcher, a real server.

Playwright drives the Chromium Debian installs (never ``playwright install``); the server is
the real ``atrocity-watch run`` in its own home folder, stopped when the test ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.web.dashboard_sample import free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLI = [sys.executable, "-c", "from atrocity_watch.cli import main; main()"]

# Collects CSP violations as the page reports them (an init script runs before the page's own).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` (${e.sourceFile || "?"}:${e.lineNumber || "?"})`);
});
"""


def require_browser_site() -> None:
    """Skip, saying why, where a browser test cannot or need not run."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("runs once, on the SQLite default")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian Chromium is not installed (apt-get install chromium)")


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched Chromium (Playwright's ``Browser``), closed afterwards."""
    require_browser_site()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def site_environment(home: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any Atrocity Watch, Django or database setting,
    plus ``ATROCITY_WATCH_HOME``, offline mode and ``settings`` (names without the prefix)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ATROCITY_WATCH_", "DJANGO_", "DATABASE_URL"))
    }
    env |= {"ATROCITY_WATCH_HOME": str(home), "ATROCITY_WATCH_OFFLINE": "true"}
    env |= {f"ATROCITY_WATCH_{name}": value for name, value in settings.items()}
    return env


@contextmanager
def running_site(env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """``atrocity-watch run --skip-data`` on a free port; yields its address once healthy."""
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "run", "--port", str(port), "--workers", str(workers), "--skip-data"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stdout.read() if process.stdout else "") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
