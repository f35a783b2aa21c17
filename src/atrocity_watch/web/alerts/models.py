"""Alerts, their changes, comments, thresholds per region, subscriptions and notifications.

One :class:`Alert` per episode the rules find in the signals (identified by the library's
episode key); each :class:`AlertChange` (opened, escalated, de-escalated, closed, withdrawn) is
what gets notified; each :class:`Notification` is one message about one change to one recipient
over one channel, and its ``idempotency_key`` is unique in the database, so no change is ever
notified twice to the same address.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from atrocity_watch.monitor import MONITORS, InvalidParameterError
from atrocity_watch.monitor import Threshold as ThresholdRule

MONITOR_CHOICES = [(m.name, m.title) for m in MONITORS.values()]
SOURCE_CHOICES = [("ucdp_ged", "UCDP GED"), ("acled_events", "ACLED")]


class Level(models.TextChoices):
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ChangeKind(models.TextChoices):
    OPENED = "opened", "Opened"
    ESCALATED = "escalated", "Escalated to critical"
    DEESCALATED = "de-escalated", "De-escalated to warning"
    CLOSED = "closed", "Closed after quiet months"
    WITHDRAWN = "withdrawn", "Withdrawn (thresholds or data changed)"


class Threshold(models.Model):
    """When a monitor raises an alert, for one UN M49 region (empty: everywhere else).

    The most specific region that contains a country applies (intermediate region, then
    sub-region, then region), then the row without a region, then the monitor's default.
    """

    monitor = models.CharField(max_length=64, choices=MONITOR_CHOICES)
    region = models.CharField(
        max_length=16,
        blank=True,
        help_text="UN M49 region, sub-region or intermediate region (name or code, e.g. "
        "Africa, 014 or Eastern Africa); empty for every country no other rule covers. "
        "Stored as the code.",
    )
    min_score = models.FloatField(
        default=2.0,
        help_text="Open an alert when a month's score reaches this (−log10 of how unusual it is: "
        "2 = a 1-in-100 month, 3 = 1 in 1,000).",
    )
    escalate_score = models.FloatField(default=3.0, help_text="Critical from this score.")
    min_value = models.FloatField(
        default=1.0, help_text="Never alert on fewer than this many (deaths, events, areas …)."
    )
    quiet_months = models.PositiveSmallIntegerField(
        default=3, help_text="Close after this many months in a row with data and no alert."
    )
    subnational = models.BooleanField(
        default=False,
        help_text="Also raise alerts for states/provinces against their own baseline.",
    )
    note = models.TextField(blank=True, help_text="Why this rule differs from the default.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["monitor", "region"], name="one_threshold_per_region"),
        )
        ordering = ("monitor", "region")

    def __str__(self) -> str:
        from atrocity_watch.web.core.geo import region_name

        where = region_name(self.region) if self.region else "everywhere"
        return f"{MONITORS[self.monitor].title} — {where}"

    @property
    def country(self) -> str:
        """Audit records name a country; a threshold concerns none."""
        return ""

    def rule(self) -> ThresholdRule:
        """The library's rule object."""
        return ThresholdRule(
            min_score=self.min_score,
            escalate_score=self.escalate_score,
            min_value=self.min_value,
            quiet_months=int(self.quiet_months),
            subnational=self.subnational,
        )

    def clean(self) -> None:
        from atrocity_watch.web.core import geo

        if self.region:
            try:
                self.region = geo.canonical_region(self.region)
            except geo.ScopeError as exc:
                raise ValidationError({"region": str(exc)}) from None
        try:
            self.rule()
        except InvalidParameterError as exc:
            raise ValidationError(str(exc)) from None


class Alert(models.Model):
    """One alert episode: from the month it opened to the month it closed (or still open)."""

    key = models.CharField(max_length=255, unique=True)
    monitor = models.CharField(max_length=64, choices=MONITOR_CHOICES, db_index=True)
    source = models.CharField(max_length=32, choices=SOURCE_CHOICES)
    country = models.CharField(max_length=3, db_index=True)
    adm1 = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    level = models.CharField(max_length=8, choices=Level.choices)
    opened_month = models.DateField()
    closed_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(help_text="The latest month the alert has seen (data or not).")
    last_data_month = models.DateField()
    value = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    peak_month = models.DateField()
    peak_value = models.FloatField()
    peak_score = models.FloatField()
    explanation = models.JSONField(default=dict, blank=True)
    series = models.JSONField(default=list, blank=True)
    rule = models.JSONField(default=dict, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="acknowledged_alerts",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_alerts",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-last_month", "-score", "country")
        indexes = (
            models.Index(fields=["country", "status"]),
            models.Index(fields=["status", "last_month"]),
        )

    def __str__(self) -> str:
        from atrocity_watch.web.core.geo import country_name

        place = country_name(self.country) + (f" ({self.adm1})" if self.adm1 else "")
        return f"{self.title} — {place}, {self.opened_month:%Y-%m}"

    @property
    def title(self) -> str:
        """The monitor's title."""
        return MONITORS[self.monitor].title

    @property
    def unit(self) -> str:
        """What the value counts."""
        return MONITORS[self.monitor].unit

    @property
    def indicators(self) -> tuple[str, ...]:
        """The Framework indicators the monitor informs."""
        return MONITORS[self.monitor].indicators

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def no_data_since(self):
        """The last month with data, when the alert is open but the data stopped after it."""
        if self.is_open and self.last_data_month < self.last_month:
            return self.last_data_month
        return None


class AlertChange(models.Model):
    """One change in an alert's life: what is notified (at most once per recipient)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    month = models.DateField()
    level = models.CharField(max_length=8, choices=Level.choices, blank=True)
    value = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    summary = models.TextField(blank=True)
    notify = models.BooleanField(
        default=True, help_text="False for changes found in old data (the history is not notified)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["alert", "kind", "month"], name="one_change_per_alert_kind_month"
            ),
        )
        ordering = ("month", "id")

    def __str__(self) -> str:
        alert = self.alert
        return f"{alert.title}, {alert.country}: {self.get_kind_display()} ({self.month:%Y-%m})"

    @property
    def key(self) -> str:
        """Stable text identity of the change."""
        return f"{self.alert.key}:{self.kind}:{self.month:%Y-%m}"


class Comment(models.Model):
    """A note an analyst leaves on an alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"Comment on {self.alert_id} by {self.author}"


def new_webhook_secret() -> str:
    """A per-subscription signing secret (256 bits)."""
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    """What one user wants to hear about, and how."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    name = models.CharField(max_length=100, help_text="e.g. 'Sahel, every monitor'.")
    countries = models.JSONField(default=list, blank=True, help_text="ISO3 codes.")
    regions = models.JSONField(default=list, blank=True, help_text="UN M49 codes.")
    monitors = models.JSONField(default=list, blank=True, help_text="Empty: every monitor.")
    min_level = models.CharField(max_length=8, choices=Level.choices, default=Level.WARNING)
    email = models.BooleanField(default=True, help_text="One e-mail per alert change.")
    digest = models.BooleanField(default=False, help_text="One e-mail a day listing the changes.")
    webhook_url = models.URLField(blank=True, max_length=500)
    webhook_secret = models.CharField(max_length=80, blank=True, default=new_webhook_secret)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("user__username", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def country(self) -> str:
        return ""

    def covers(self, iso3: str) -> bool:
        """True when the alert's country is one of the subscription's countries or regions."""
        from atrocity_watch.web.core.geo import countries_of_region

        if iso3 in self.countries:
            return True
        return any(iso3 in countries_of_region(code) for code in self.regions)

    def wants(self, alert: Alert, level: str) -> bool:
        """True when this subscription asks for a change of ``alert`` at ``level``."""
        if not self.active or not self.covers(alert.country):
            return False
        if self.monitors and alert.monitor not in self.monitors:
            return False
        return not (self.min_level == Level.CRITICAL and level != Level.CRITICAL)


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"
    DIGEST = "digest", "Daily digest"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"


def idempotency_key(change_key: str, channel: str, recipient: str) -> str:
    """SHA-256 of (change, channel, recipient): one notification per change and address."""
    text = f"{change_key}\n{channel}\n{recipient.strip().lower()}"
    return hashlib.sha256(text.encode()).hexdigest()


class Notification(models.Model):
    """One message about one alert change to one recipient over one channel."""

    change = models.ForeignKey(AlertChange, on_delete=models.CASCADE, related_name="notifications")
    subscription = models.ForeignKey(
        Subscription, null=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=500)
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        indexes = (models.Index(fields=["status", "next_attempt_at"]),)

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient}: {self.change}"


class DeliveryAttempt(models.Model):
    """One try to deliver a notification (kept to show retries and their errors)."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "id")
