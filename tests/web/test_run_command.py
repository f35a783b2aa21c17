"""`atrocity-watch run` end to end: a real gunicorn on a free port, health, admin login."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from atrocity_watch.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs once, on the SQLite default (the PostgreSQL suite covers the ORM, not `run`)",
)
def test_run_sets_up_and_serves(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ATROCITY_WATCH_", "DJANGO_", "DATABASE_URL"))
    }
    env |= {"ATROCITY_WATCH_HOME": str(tmp_path / "home"), "ATROCITY_WATCH_OFFLINE": "true"}
    command = [*CLI, "run", "--port", str(port), "--workers", "1", "--skip-data"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as response:
                    assert b'"status": "ok"' in response.read()
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stdout.read() if process.stdout else "") from None
                time.sleep(0.5)
        # Log in as the generated administrator, through the real login form.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(base + "/accounts/login/").read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
        password = re.search(r"Password: (\S+)", output)
        assert password, output
        assert "[1/6]" in output and "Starting the web server" in output
        assert (tmp_path / "home" / "secret_key").stat().st_mode & 0o777 == 0o600
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # The server is down now; start it again (serve only) and log in with the printed password.
    serve = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2).read()
                break
            except OSError:
                if serve.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(serve.stdout.read() if serve.stdout else "") from None
                time.sleep(0.5)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(base + "/accounts/login/").read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode(
            {"username": "admin", "password": password.group(1), "csrfmiddlewaretoken": csrf}
        ).encode()
        request = urllib.request.Request(
            base + "/accounts/login/", data=form, headers={"Referer": base + "/accounts/login/"}
        )
        home = opener.open(request).read().decode()
        assert "Your roles" in home and "System administrator" in home
        # Static files are served by whitenoise from the collected folder.
        css = re.search(r'href="(/static/core/app\.[0-9a-f]+\.css)"', home)
        assert css, "the stylesheet should have a content hash in its name after collectstatic"
        assert b"--accent" in opener.open(base + css.group(1)).read()
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.communicate(timeout=30)
