"""Notifications about alert changes: e-mail, signed webhooks and a daily digest.

Queueing (:func:`queue_notifications`) creates one :class:`Notification` per change, channel
and recipient address; the database refuses a second row with the same idempotency key, so a
change is never notified twice to the same address, however often the sync runs. Delivering
(:func:`deliver_due`) first claims a row (``pending`` → ``sending`` in one UPDATE, so two
workers never both send it), then sends; a failure is recorded as a :class:`DeliveryAttempt` and
retried with growing delays, then given up. A process killed between claiming and finishing
leaves the row ``sending``: it is not sent again (never twice is the rule); ``manage.py
send_notifications --stuck`` lists such rows for an administrator.

Users receive only alerts for countries their role covers, checked when queueing and again
when sending. ACLED alerts carry aggregates only (see :mod:`atrocity_watch.monitor._explain`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from atrocity_watch import __version__
from atrocity_watch.web.accounts.permissions import can
from atrocity_watch.web.alerts.models import (
    AlertChange,
    Channel,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    Subscription,
    idempotency_key,
)
from atrocity_watch.web.alerts.signing import (
    EVENT_HEADER,
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)

log = logging.getLogger(__name__)

#: Seconds to wait before each retry; after the last, the notification is given up.
BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
WEBHOOK_TIMEOUT = 10


class DeliveryError(Exception):
    """A notification could not be delivered this time."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "skipped": self.skipped,
            "errors": self.errors,
        }


# -- queueing ---------------------------------------------------------------------------------


def _targets(subscription: Subscription) -> list[tuple[str, str]]:
    user = subscription.user
    found: list[tuple[str, str]] = []
    if subscription.email and user.email:
        found.append((Channel.EMAIL, user.email))
    if subscription.digest and user.email:
        found.append((Channel.DIGEST, user.email))
    if subscription.webhook_url:
        found.append((Channel.WEBHOOK, subscription.webhook_url))
    return found


def queue_notifications(change_ids: Iterable[int]) -> int:
    """Create the notifications the subscriptions ask for; return how many are new."""
    ids = list(change_ids)
    if not ids:
        return 0
    subscriptions = list(
        Subscription.objects.filter(active=True, user__is_active=True).select_related("user")
    )
    created = 0
    changes = AlertChange.objects.filter(pk__in=ids, notify=True).select_related("alert")
    for change in changes:
        alert = change.alert
        level = change.level or alert.level
        for subscription in subscriptions:
            if not subscription.wants(alert, level):
                continue
            if not can(subscription.user, "view", alert.country):
                continue  # never outside the user's scope, whatever the subscription says
            for channel, recipient in _targets(subscription):
                key = idempotency_key(change.key, channel, recipient)
                try:
                    with transaction.atomic():
                        Notification.objects.create(
                            change=change,
                            subscription=subscription,
                            user=subscription.user,
                            channel=channel,
                            recipient=recipient,
                            idempotency_key=key,
                        )
                    created += 1
                except IntegrityError:
                    continue  # already queued for this change, channel and address
    return created


# -- content ----------------------------------------------------------------------------------


def absolute(path: str) -> str:
    """``path`` under the site's public address (ATROCITY_WATCH_BASE_URL)."""
    return settings.ALERTS_BASE_URL + path


def country_url(iso3: str) -> str | None:
    try:
        return absolute(reverse("dashboard:country", kwargs={"iso3": iso3}))
    except NoReverseMatch:
        return None


def payload(notification: Notification) -> dict[str, Any]:
    """The JSON a webhook receives (and what the e-mails say, in words)."""
    from atrocity_watch.web.core.geo import country_name

    change = notification.change
    alert = change.alert
    return {
        "type": f"alert.{change.kind}",
        "idempotency_key": notification.idempotency_key,
        "alert": {
            "id": alert.pk,
            "url": absolute(reverse("alerts:detail", kwargs={"pk": alert.pk})),
            "country": alert.country,
            "country_name": country_name(alert.country),
            "country_url": country_url(alert.country),
            "adm1": alert.adm1 or None,
            "monitor": alert.monitor,
            "monitor_title": alert.title,
            "source": alert.source,
            "status": alert.status,
            "level": alert.level,
            "opened": alert.opened_month.isoformat()[:7],
            "closed": alert.closed_month.isoformat()[:7] if alert.closed_month else None,
            "indicators": list(alert.indicators),
        },
        "change": {
            "kind": change.kind,
            "month": change.month.isoformat()[:7],
            "level": change.level or None,
            "value": change.value,
            "baseline": change.baseline,
            "score": change.score,
            "summary": change.summary,
        },
        "explanation": alert.explanation,
        "sender": f"Atrocity Watch {__version__}",
    }


def _subject(change: AlertChange) -> str:
    from atrocity_watch.web.core.geo import country_name

    alert = change.alert
    place = country_name(alert.country) + (f" ({alert.adm1})" if alert.adm1 else "")
    level = f" [{change.level}]" if change.level else ""
    return f"Atrocity Watch: {alert.title} — {place}: {change.get_kind_display().lower()}{level}"


def _email_body(notification: Notification) -> str:
    return render_to_string("alerts/email_change.txt", {"p": payload(notification)})


# -- delivery ---------------------------------------------------------------------------------


def _send_email(notification: Notification) -> int | None:
    message = EmailMessage(
        subject=_subject(notification.change),
        body=_email_body(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={IDEMPOTENCY_HEADER: notification.idempotency_key},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"the mail server refused or could not be reached: {exc}") from None
    return None  # SMTP has no status code to record


def webhook_allowed(url: str) -> str | None:
    """Why ``url`` cannot receive webhooks, or None."""
    if url.startswith("https://"):
        return None
    if url.startswith("http://"):
        if settings.ALERTS_WEBHOOK_HTTPS_ONLY:
            return (
                "webhooks go to https:// addresses only (set ATROCITY_WATCH_WEBHOOK_HTTPS_ONLY="
                "false on a closed network whose receivers speak plain HTTP)"
            )
        return None
    return "a webhook address must start with https:// (or http:// where allowed)"


def _send_webhook(notification: Notification) -> int:
    subscription = notification.subscription
    if subscription is None:
        raise DeliveryError("the subscription was deleted")
    problem = webhook_allowed(notification.recipient)
    if problem:
        raise DeliveryError(problem)
    body = json.dumps(payload(notification), ensure_ascii=False, sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310  (http(s) only, checked above)
        notification.recipient,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"AtrocityWatch/{__version__}",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(subscription.webhook_secret, timestamp, body),
            IDEMPOTENCY_HEADER: notification.idempotency_key,
            EVENT_HEADER: f"alert.{notification.change.kind}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"the receiver answered {exc.code} {exc.reason}", exc.code) from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"the receiver could not be reached: {reason}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"the receiver answered {status}", status)
    return status


def _claim(notification: Notification) -> bool:
    return bool(
        Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING
        )
    )


def _finish(notification: Notification, now: dt.datetime, status_code: int | None) -> None:
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(
            status=DeliveryStatus.SENT,
            sent_at=now,
            attempts=notification.attempts + 1,
            last_error="",
        )
        DeliveryAttempt.objects.create(
            notification=notification, at=now, ok=True, status_code=status_code
        )


def _fail(
    notification: Notification,
    now: dt.datetime,
    error: str,
    status_code: int | None,
    final: bool = False,
) -> bool:
    """Record a failed try; True when the notification will be retried."""
    attempts = notification.attempts + 1
    retry = not final and attempts < MAX_ATTEMPTS
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(
            status=DeliveryStatus.PENDING if retry else DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=error[:2000],
            next_attempt_at=now + dt.timedelta(seconds=BACKOFF_SECONDS[attempts - 1])
            if retry
            else now,
        )
        DeliveryAttempt.objects.create(
            notification=notification, at=now, ok=False, status_code=status_code, error=error[:2000]
        )
    return retry


def _still_allowed(notification: Notification) -> str | None:
    user = notification.user
    if not user.is_active:
        return "the user's account is no longer active"
    if not can(user, "view", notification.change.alert.country):
        return "the country is no longer within the user's role"
    return None


def deliver_due(now: dt.datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Send the e-mails and webhooks that are due; retry failures later with back-off."""
    report = DeliveryReport()
    current = now or timezone.now()
    due = (
        Notification.objects.filter(
            status=DeliveryStatus.PENDING,
            channel__in=[Channel.EMAIL, Channel.WEBHOOK],
            next_attempt_at__lte=current,
        )
        .select_related("change__alert", "user", "subscription")
        .order_by("next_attempt_at", "id")[:limit]
    )
    for notification in due:
        if not _claim(notification):
            report.skipped += 1
            continue
        refusal = _still_allowed(notification)
        if refusal:
            _fail(notification, current, refusal, None, final=True)
            report.failed += 1
            continue
        try:
            status_code = (
                _send_webhook(notification)
                if notification.channel == Channel.WEBHOOK
                else _send_email(notification)
            )
        except DeliveryError as exc:
            report.errors.append(f"{notification}: {exc}")
            if _fail(notification, timezone.now(), str(exc), exc.status_code):
                report.retrying += 1
            else:
                report.failed += 1
            continue
        _finish(notification, timezone.now(), status_code)
        report.sent += 1
    return report


def send_digests(now: dt.datetime | None = None) -> DeliveryReport:
    """One e-mail per address listing the changes queued for its daily digest."""
    report = DeliveryReport()
    current = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            status=DeliveryStatus.PENDING, channel=Channel.DIGEST, next_attempt_at__lte=current
        )
        .select_related("change__alert", "user")
        .order_by("change__month", "id")
    )
    by_recipient: dict[str, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_recipient[notification.recipient].append(notification)
    for recipient, items in by_recipient.items():
        claimed = [n for n in items if _claim(n)]
        allowed = []
        for n in claimed:
            refusal = _still_allowed(n)
            if refusal:
                _fail(n, current, refusal, None, final=True)
                report.failed += 1
            else:
                allowed.append(n)
        if not allowed:
            continue
        body = render_to_string(
            "alerts/email_digest.txt",
            {"items": [payload(n) for n in allowed], "day": current.date()},
        )
        message = EmailMessage(
            subject=f"Atrocity Watch daily digest: {len(allowed)} alert change"
            + ("s" if len(allowed) != 1 else ""),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient],
        )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            for n in allowed:
                if _fail(n, timezone.now(), f"the mail server refused the digest: {exc}", None):
                    report.retrying += 1
                else:
                    report.failed += 1
            continue
        for n in allowed:
            _finish(n, timezone.now(), None)
            report.sent += 1
    return report
