"""Login with limits, two-factor login, password reset, API tokens — and their audit events."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail
from django.test import Client
from web_personas import PASSWORD, csrf_post

from atrocity_watch.web.accounts import ratelimit
from atrocity_watch.web.accounts.models import ApiToken, LoginAttempt, TwoFactorDevice
from atrocity_watch.web.audit.models import AuditEvent


def _login(client: Client, username: str, password: str, **extra: object):  # type: ignore[no-untyped-def]
    return csrf_post(
        client, "/accounts/login/", {"username": username, "password": password}, **extra
    )


def test_login_and_logout_are_audited(users) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = _login(client, "ana", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(action="login", actor_name="ana").exists()
    assert client.get("/").status_code == 200
    assert csrf_post(client, "/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor_name="ana").exists()
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_and_audited(users) -> None:  # type: ignore[no-untyped-def]
    response = _login(Client(enforce_csrf_checks=True), "ana", "nope")
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.after == {"username": "ana", "reason": "wrong user name or password"}
    assert event.actor_id is None


def test_login_rejects_a_foreign_next_url(users) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = csrf_post(
        client,
        "/accounts/login/",
        {"username": "ana", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_login_form_needs_csrf_token(users) -> None:  # type: ignore[no-untyped-def]
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "ana", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "could not be accepted" in response.content.decode()


def test_too_many_failures_for_one_user_block_even_the_right_password(users) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    for _ in range(ratelimit.MAX_FAILURES_PER_USERNAME):
        assert _login(client, "rita", "wrong").status_code == 200
    blocked = _login(client, "rita", PASSWORD)
    assert blocked.status_code == 429
    assert "Try again in 15 minutes" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    assert AuditEvent.objects.filter(action="login_blocked").count() == 1
    # Other users are not affected by rita's block.
    assert _login(Client(enforce_csrf_checks=True), "ana", PASSWORD).status_code == 302


def test_too_many_failures_from_one_address_block_it(users) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    for n in range(ratelimit.MAX_FAILURES_PER_ADDRESS):
        _login(client, f"guess{n}", "wrong")
    assert _login(client, "ana", PASSWORD).status_code == 429
    elsewhere = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")
    assert _login(elsewhere, "ana", PASSWORD).status_code == 302


def test_forwarded_address_is_ignored_unless_the_proxy_is_trusted(users, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.1")
    _login(client, "x", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert LoginAttempt.objects.get().address == "10.0.0.1"
    settings.TRUST_PROXY = True
    from django.test import override_settings  # the middleware reads the setting per request

    with override_settings(TRUST_PROXY=True):
        _login(client, "y", "wrong", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50")
    assert LoginAttempt.objects.filter(username="y").get().address == "203.0.113.50"


def test_success_clears_the_user_failures(users) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    for _ in range(ratelimit.MAX_FAILURES_PER_USERNAME - 1):
        _login(client, "ana", "wrong")
    assert _login(client, "ana", PASSWORD).status_code == 302
    assert not LoginAttempt.objects.filter(username="ana").exists()


def _enrol(client: Client) -> str:
    page = client.get("/accounts/two-factor/").content.decode()
    secret = re.search(r'<span class="secret">([A-Z2-7 ]+)</span>', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert client.get("/accounts/two-factor/qr.svg")["Content-Type"] == "image/svg+xml"
    done = csrf_post(client, "/accounts/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "Two-factor login is on" in done.content.decode()
    codes = re.findall(r"<li>([0-9a-f]{8}-[0-9a-f]{8})</li>", done.content.decode())
    assert len(codes) == 10
    return secret, codes  # type: ignore[return-value]


def test_two_factor_login(users, client_for) -> None:  # type: ignore[no-untyped-def]
    secret, codes = _enrol(client_for("victor"))
    assert AuditEvent.objects.filter(action="two_factor_on", actor_name="victor").exists()
    client = Client(enforce_csrf_checks=True)
    step_one = _login(client, "victor", PASSWORD)
    assert step_one["Location"] == "/accounts/login/verify/"
    assert client.get("/").status_code == 302  # not logged in after the password alone
    wrong = csrf_post(client, "/accounts/login/verify/", {"code": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", object_repr="victor").exists()
    # The code of the current step was used at enrolment: wait for the next one.
    device = TwoFactorDevice.objects.get(user=users["victor"])
    totp = pyotp.TOTP(secret)
    import datetime as dt

    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    code = totp.at(later)
    ok = csrf_post(client, "/accounts/login/verify/", {"code": code})
    assert ok.status_code == 302 and client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.last_used_step == totp.timecode(later)
    # The same code is never accepted twice.
    again = Client(enforce_csrf_checks=True)
    _login(again, "victor", PASSWORD)
    assert csrf_post(again, "/accounts/login/verify/", {"code": code}).status_code == 200
    # A recovery code works once.
    rescue = csrf_post(again, "/accounts/login/verify/", {"code": codes[0].upper()})
    assert rescue.status_code == 302
    third = Client(enforce_csrf_checks=True)
    _login(third, "victor", PASSWORD)
    assert csrf_post(third, "/accounts/login/verify/", {"code": codes[0]}).status_code == 200


def test_turning_two_factor_off_needs_the_password(users, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("victor")
    _enrol(client)
    csrf_post(client, "/accounts/two-factor/off/", {"password": "wrong"})
    assert TwoFactorDevice.objects.filter(user=users["victor"]).exists()
    csrf_post(client, "/accounts/two-factor/off/", {"password": PASSWORD})
    assert not TwoFactorDevice.objects.filter(user=users["victor"]).exists()
    assert AuditEvent.objects.filter(action="two_factor_off").exists()


def test_password_reset_by_email(users) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    sent = csrf_post(client, "/accounts/password/reset/", {"email": "ana@example.org"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1 and "reset your password" in mail.outbox[0].subject
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)  # type: ignore[union-attr]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = "a much better passphrase 42"
    done = csrf_post(
        client,
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action="password_reset", actor_name="ana").exists()
    assert _login(Client(enforce_csrf_checks=True), "ana", new).status_code == 302
    # An unknown address gets the same answer and no e-mail (nobody learns who has an account).
    csrf_post(Client(enforce_csrf_checks=True), "/accounts/password/reset/", {"email": "x@y.org"})
    assert len(mail.outbox) == 1


def test_api_tokens(users, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("vera")
    page = csrf_post(client, "/accounts/tokens/", {"name": "weekly export"}).content.decode()
    raw = re.search(r'<p class="secret">(aw_[A-Za-z0-9_-]+)</p>', page).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get(user=users["vera"])
    assert token.digest == ApiToken.hash(raw) and raw not in str(token.__dict__)
    api = Client()
    me = api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["username"] == "vera"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert api.get("/api/me", HTTP_AUTHORIZATION="Bearer aw_forged").status_code == 401
    csrf_post(client, f"/accounts/tokens/{token.pk}/revoke/")
    assert api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"token_create", "token_revoke"} <= actions
    # Nobody can revoke someone else's token.
    other, _ = ApiToken.issue(users["ana"], "ana's")
    assert csrf_post(client, f"/accounts/tokens/{other.pk}/revoke/").status_code == 404


def test_inactive_users_tokens_stop_working(users) -> None:  # type: ignore[no-untyped-def]
    _, raw = ApiToken.issue(users["victor"], "script")
    users["victor"].is_active = False
    users["victor"].save()
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db
def test_password_change(users, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("ana")
    new = "another long passphrase 7"
    response = csrf_post(
        client,
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="password_change").exists()
    short = csrf_post(
        client,
        "/accounts/password/",
        {"old_password": new, "new_password1": "short", "new_password2": "short"},
    )
    assert short.status_code == 200 and "too short" in short.content.decode()


def test_old_failures_are_purged(users) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    LoginAttempt.objects.create(username="old", at=timezone.now() - dt.timedelta(hours=1))
    LoginAttempt.objects.create(username="new")
    call_command("purge_login_attempts")
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["new"]
