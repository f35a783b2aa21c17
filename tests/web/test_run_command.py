"""`atrocity-watch run` end to end: a real gunicorn on a free port, health, admin login.

(`atrocity-watch serve`, the same server without the set-up, is what the browser tests start.)
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
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
    home = tmp_path / "home"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ATROCITY_WATCH_", "DJANGO_", "DATABASE_URL"))
    }
    env |= {"ATROCITY_WATCH_HOME": str(home), "ATROCITY_WATCH_OFFLINE": "true"}
    process = subprocess.Popen(
        [*CLI, "run", "--port", str(port), "--workers", "1", "--skip-data"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    # Drain the output in the background so that gunicorn never blocks on a full pipe.
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as response:
                    assert b'"status": "ok"' in response.read()
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    reader.join(timeout=5)
                    raise AssertionError("".join(lines)) from None
                time.sleep(0.5)
        output = "".join(lines)
        for step in ("[1/6]", "[2/6]", "[3/6]", "[4/6]", "[5/6]", "[6/6] Starting the web server"):
            assert step in output, output
        password = re.search(r"Password: (\S+)", output)
        assert password, output
        assert (home / "secret_key").stat().st_mode & 0o777 == 0o600

        # Log in as the generated administrator through the real login form.
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
        page = opener.open(request).read().decode()
        assert "Your roles" in page and "System administrator" in page
        # Static files: collected with content hashes, served by whitenoise.
        css = re.search(r'href="(/static/core/app\.[0-9a-f]+\.css)"', page)
        assert css, "the stylesheet should have a content hash in its name after collectstatic"
        assert b"--accent" in opener.open(base + css.group(1)).read()
    finally:
        process.send_signal(signal.SIGTERM)  # the CLI process *is* gunicorn now
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    reader.join(timeout=5)
    assert process.returncode == 0, "".join(lines)[-2000:]


def test_serve_command_line_for_sync_and_threaded_workers() -> None:
    from atrocity_watch.web.launch import LaunchError, gunicorn_command

    sync = gunicorn_command("127.0.0.1", 8000, 2)
    assert sync[sync.index("--workers") + 1] == "2" and "--worker-class" not in sync
    threaded = gunicorn_command("127.0.0.1", 8000, 2, threads=4)
    assert threaded[threaded.index("--worker-class") + 1] == "gthread"
    assert threaded[threaded.index("--threads") + 1] == "4"
    with pytest.raises(LaunchError, match=r"threads must be 1 to 64\. Got 0"):
        gunicorn_command("127.0.0.1", 8000, 2, threads=0)


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs once, on the SQLite default",
)
def test_serve_refuses_a_database_older_than_the_code(tmp_path: Path) -> None:
    # An upgrade adds migrations; `serve` alone must say how to update, not fail per request.
    env = {**os.environ, "ATROCITY_WATCH_HOME": str(tmp_path / "home")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [*CLI, "serve", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "needs" in done.stderr and "update(s) for this version" in done.stderr
    assert "atrocity-watch run" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
