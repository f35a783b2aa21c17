"""Notifications reach a real SMTP server and a real webhook receiver, once per change."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from atrocity_watch.web.accounts.models import Membership
from atrocity_watch.web.alerts.models import (
    AlertChange,
    DeliveryAttempt,
    Notification,
    Subscription,
    idempotency_key,
)
from atrocity_watch.web.alerts.notify import (
    BACKOFF_SECONDS,
    deliver_due,
    queue_notifications,
    send_digests,
)
from atrocity_watch.web.alerts.signing import SignatureError, sign, verify
from atrocity_watch.web.alerts.sync import sync_alerts


@pytest.fixture
def subscriptions(
    users: dict[str, Any], webhook_receiver: Any, settings: Any
) -> dict[str, Subscription]:
    settings.ALERTS_WEBHOOK_HTTPS_ONLY = False  # the test receiver speaks plain HTTP
    ana = Subscription.objects.create(
        user=users["ana"],
        name="Sudan and Myanmar",
        countries=["SDN", "MMR"],
        email=True,
        webhook_url=webhook_receiver.url,
    )
    webhook_receiver.secret = ana.webhook_secret
    # vera's role covers Asia only: her Sudan subscription must bring her nothing about Sudan
    vera = Subscription.objects.create(
        user=users["vera"], name="Both", countries=["SDN", "MMR"], email=True
    )
    victor = Subscription.objects.create(
        user=users["victor"], name="Africa digest", regions=["002"], email=False, digest=True
    )
    return {"ana": ana, "vera": vera, "victor": victor}


def _run() -> tuple[int, Any]:
    report = sync_alerts()
    queued = queue_notifications(report.new_changes)
    return queued, deliver_due()


def _recipients(box: Any) -> list[str]:
    return sorted(str(m["To"]) for m in box.messages)


def test_changes_reach_the_smtp_server_and_the_webhook_once(
    alert_home: Any, subscriptions: Any, smtp_server: Any, webhook_receiver: Any
) -> None:
    _, delivered = _run()
    # four recent changes: Sudan opened + de-escalated, Myanmar opened, Sudan (ACLED) opened
    assert delivered.sent == 4 + 4 + 1, delivered.errors
    assert _recipients(smtp_server) == ["ana@example.org"] * 4 + ["vera@example.org"]
    vera_mail = next(m for m in smtp_server.messages if m["To"] == "vera@example.org")
    assert "Myanmar" in vera_mail["Subject"] and "Sudan" not in vera_mail.get_content()
    assert len(webhook_receiver.received) == 4 and not webhook_receiver.rejected
    kinds = sorted(p["type"] for p in webhook_receiver.received)
    assert kinds == ["alert.de-escalated", "alert.opened", "alert.opened", "alert.opened"]
    first = webhook_receiver.received[0]
    assert first["alert"]["url"].startswith("http://127.0.0.1:8000/alerts/")
    assert first["alert"]["country_url"].endswith(f"/countries/{first['alert']['country']}/")
    assert first["alert"]["indicators"]
    # nothing old: the 2020 episode is history
    assert all(p["change"]["month"].startswith("2022") for p in webhook_receiver.received)
    # a second run (sync, queue, deliver) sends nothing at all
    queued_again, delivered_again = _run()
    assert queued_again == 0 and delivered_again.sent == 0
    assert len(smtp_server.messages) == 5 and len(webhook_receiver.received) == 4
    # and nothing waits for digests but victor's three Sudan changes (Africa)
    assert Notification.objects.filter(channel="digest").count() == 3


def test_email_says_what_changed_against_what(
    alert_home: Any, subscriptions: Any, smtp_server: Any
) -> None:
    _run()
    mail = next(
        m
        for m in smtp_server.messages
        if m["To"] == "ana@example.org" and "de-escalated" in m["Subject"]
    )
    body = mail.get_content()
    assert "Sudan" in body and "against a baseline of" in body and "2021-08 to 2022-07" in body
    assert "2.1 (" in body and "/countries/SDN/" in body and "/alerts/" in body
    assert "UCDP event" in body  # UCDP events may be shown
    assert mail["X-AtrocityWatch-Idempotency-Key"]


def test_acled_rows_never_leave_in_notifications(
    alert_home: Any, subscriptions: Any, smtp_server: Any, webhook_receiver: Any
) -> None:
    _run()
    texts = [m.as_string() for m in smtp_server.messages]
    texts += [json.dumps(p) for p in webhook_receiver.received]
    acled = [p for p in webhook_receiver.received if p["alert"]["source"] == "acled_events"]
    assert acled and acled[0]["explanation"]["events"] == []
    assert acled[0]["explanation"]["areas"]  # counts per subdivision instead
    for text in texts:
        assert "SUD9" not in text and "NOTE-SECRET" not in text


def test_the_database_refuses_a_second_notification_for_the_same_change(
    alert_home: Any, subscriptions: Any
) -> None:
    report = sync_alerts()
    queue_notifications(report.new_changes)
    existing = Notification.objects.filter(channel="email").first()
    assert existing is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            change=existing.change,
            subscription=existing.subscription,
            user=existing.user,
            channel="email",
            recipient=existing.recipient.upper(),  # the same address, spelt differently
            idempotency_key=idempotency_key(
                existing.change.key, "email", existing.recipient.upper()
            ),
        )
    # two subscriptions of one user with the same address still mean one e-mail per change
    Subscription.objects.create(user=existing.user, name="Again", countries=["SDN"], email=True)
    assert queue_notifications(report.new_changes) == 0


def test_failed_webhook_is_retried_with_backoff(
    alert_home: Any, subscriptions: Any, smtp_server: Any, webhook_receiver: Any
) -> None:
    webhook_receiver.fail_next = 1
    report = sync_alerts()
    queue_notifications(report.new_changes)
    first = deliver_due()
    assert first.retrying == 1 and "500" in first.errors[0]
    waiting = Notification.objects.get(channel="webhook", status="pending")
    assert waiting.attempts == 1 and "answered 500" in waiting.last_error
    delay = (waiting.next_attempt_at - timezone.now()).total_seconds()
    assert BACKOFF_SECONDS[0] - 5 < delay <= BACKOFF_SECONDS[0]
    assert deliver_due().sent == 0  # not due yet
    later = deliver_due(now=timezone.now() + dt.timedelta(seconds=BACKOFF_SECONDS[0] + 1))
    assert later.sent == 1
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.attempts == 2
    attempts = list(
        DeliveryAttempt.objects.filter(notification=waiting).values_list("ok", "status_code")
    )
    assert attempts == [(False, 500), (True, 204)]
    assert len(webhook_receiver.received) == 4
    assert len(set(webhook_receiver.keys)) == 4  # the retry carried the same idempotency key


def test_a_wrong_secret_is_refused_by_the_receiver(
    alert_home: Any, subscriptions: Any, webhook_receiver: Any, smtp_server: Any
) -> None:
    webhook_receiver.secret = "whsec_not-the-right-one"
    report = sync_alerts()
    queue_notifications(report.new_changes)
    result = deliver_due()
    assert result.retrying == 4 and len(webhook_receiver.rejected) == 4
    assert all("401" in e for e in result.errors)


def test_verify_refuses_tampering_and_replays() -> None:
    body = b'{"type": "alert.opened"}'
    good = sign("s3cret", 1_700_000_000, body)
    verify("s3cret", "1700000000", good, body, now=1_700_000_100)
    with pytest.raises(SignatureError, match="does not match"):
        verify("s3cret", "1700000000", good, body + b" ", now=1_700_000_100)
    with pytest.raises(SignatureError, match="replay"):
        verify("s3cret", "1700000000", good, body, now=1_700_001_000)
    with pytest.raises(SignatureError, match="missing"):
        verify("s3cret", None, good, body)


def test_daily_digest_lists_the_changes_once(
    alert_home: Any, subscriptions: Any, smtp_server: Any
) -> None:
    _run()
    before = len(smtp_server.messages)
    digest = send_digests()
    assert digest.sent == 3
    mails = smtp_server.messages[before:]
    assert [m["To"] for m in mails] == ["victor@example.org"]
    body = mails[0].get_content()
    assert body.count("Sudan") >= 3 and "Myanmar" not in body
    assert send_digests().sent == 0
    assert len(smtp_server.messages) == before + 1


def test_scope_is_checked_again_when_sending(
    alert_home: Any, subscriptions: Any, smtp_server: Any, users: dict[str, Any]
) -> None:
    report = sync_alerts()
    queue_notifications(report.new_changes)
    Membership.objects.filter(user=users["ana"]).delete()  # ana's role is withdrawn
    result = deliver_due()
    assert "ana@example.org" not in _recipients(smtp_server)
    refused = Notification.objects.filter(user=users["ana"])
    assert refused.exists() and all(n.status == "failed" for n in refused)
    assert "no longer within the user's role" in refused.first().last_error
    assert result.failed == refused.count()


def test_only_new_changes_are_queued(alert_home: Any, subscriptions: Any) -> None:
    report = sync_alerts()
    history = AlertChange.objects.filter(notify=False).values_list("pk", flat=True)
    assert queue_notifications(history) == 0
    assert queue_notifications(report.new_changes) > 0


def test_the_background_tasks_send_what_is_due(
    alert_home: Any, subscriptions: Any, smtp_server: Any, webhook_receiver: Any
) -> None:
    from atrocity_watch.web.alerts.tasks import deliver_notifications, send_daily_digest

    report = sync_alerts()
    queue_notifications(report.new_changes)
    assert deliver_notifications.call()["sent"] == 9
    assert send_daily_digest.call()["sent"] == 3
    assert deliver_notifications.call()["sent"] == 0
