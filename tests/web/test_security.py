"""Security headers, a strict CSP the templates can live with, production settings, CSRF."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

WEB = Path(__file__).resolve().parents[2] / "src" / "atrocity_watch" / "web"
TEMPLATES = sorted(WEB.rglob("templates/**/*.html"))
# What a strict CSP forbids in a page: inline scripts (a <script> with code, not a JSON data
# block or a src), style attributes, <style> blocks, and on…= event handlers.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", re.I)
FORBIDDEN = {
    "inline <script>": INLINE_SCRIPT,
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_templates_were_found() -> None:
    assert len(TEMPLATES) > 20, TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(WEB)))
def test_template_has_nothing_the_csp_blocks(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, (
        f"{template.relative_to(WEB)} has {', '.join(found)}: move it to a static file"
    )


def test_the_scan_catches_offenders() -> None:
    bad = (
        '<p style="color:red" onclick="x()"><a href="javascript:x">x</a></p>'
        "<script>alert(1)</script>"
    )
    assert all(
        pattern.search(bad) for name, pattern in FORBIDDEN.items() if name != "<style> block"
    )
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')


@pytest.mark.django_db
def test_every_response_has_the_security_headers() -> None:
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_csp_setting_is_strict() -> None:
    for sources in settings.CONTENT_SECURITY_POLICY.values():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources


def test_logged_in_pages_carry_csp(client_for) -> None:  # type: ignore[no-untyped-def]
    for url in ("/", "/assessments/", "/accounts/", "/audit/", "/api/docs"):
        response = client_for("alice").get(url)
        assert response.status_code == 200, url
        assert "unsafe" not in response["Content-Security-Policy"], url


def test_session_cookie_flags(users) -> None:  # type: ignore[no-untyped-def]
    from web_personas import PASSWORD, csrf_post

    client = Client(enforce_csrf_checks=True)
    csrf_post(client, "/accounts/login/", {"username": "ana", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_forms_without_csrf_token_are_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("ana")
    for url in ("/assessments/start/", "/accounts/tokens/", "/accounts/logout/"):
        assert client.post(url, {"country": "SDN", "name": "x"}).status_code == 403, url


def test_session_api_writes_need_csrf_but_token_writes_do_not(users, client_for) -> None:  # type: ignore[no-untyped-def]
    from atrocity_watch.web.accounts.models import ApiToken

    session = client_for("ana")
    refused = session.post("/api/assessments", {"country": "SDN"}, content_type="application/json")
    assert refused.status_code == 403
    _, raw = ApiToken.issue(users["ana"], "script")
    accepted = Client(enforce_csrf_checks=True).post(
        "/api/assessments",
        {"country": "SDN"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert accepted.status_code == 201


def _deploy_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ATROCITY_WATCH_HTTPS", "DATABASE_URL"))
    }
    env |= extra_env
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "atrocity_watch.web",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = _deploy_check(
        {
            "ATROCITY_WATCH_HOME": str(tmp_path),
            "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-from-the-environment-" + "x" * 20,
            "ATROCITY_WATCH_HTTPS": "true",
            "DJANGO_ALLOWED_HOSTS": "aw.example.org",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_plain_http() -> None:
    """Without HTTPS (as in the test settings) the check fails, so the clean one means something."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match="SECURE_HSTS_SECONDS"):
        call_command("check", deploy=True, fail_level="WARNING")


def test_check_deploy_command_lists_problems_for_people_and_scripts() -> None:
    import json

    from typer.testing import CliRunner

    from atrocity_watch.cli import app

    result = CliRunner().invoke(app, ["check-deploy"])
    assert result.exit_code == 1 and "security.W004" in result.output  # no HSTS without HTTPS
    as_json = CliRunner().invoke(app, ["check-deploy", "--json"])
    assert "security.W004" in {p["id"] for p in json.loads(as_json.stdout)}
