"""Django admin: thresholds per region (audited), alerts and notifications to inspect."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from atrocity_watch.web.alerts.models import Alert, Notification, Subscription, Threshold
from atrocity_watch.web.audit.admin import AuditedModelAdmin


@admin.register(Threshold)
class ThresholdAdmin(AuditedModelAdmin):
    list_display = (
        "monitor",
        "region_label",
        "min_score",
        "escalate_score",
        "min_value",
        "quiet_months",
        "subnational",
        "updated_at",
    )
    list_filter = ("monitor",)
    search_fields = ("monitor", "region", "note")

    @admin.display(description="Region")
    def region_label(self, obj: Threshold) -> str:
        from atrocity_watch.web.core.geo import region_name

        return region_name(obj.region) if obj.region else "everywhere (default)"


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Alerts come from the signals (``sync_alerts``); here they are read, not written."""

    list_display = (
        "country",
        "monitor",
        "source",
        "level",
        "status",
        "opened_month",
        "last_month",
        "score",
    )
    list_filter = ("status", "level", "monitor", "source")
    search_fields = ("country", "adm1", "key")
    readonly_fields = tuple(f.name for f in Alert._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(AuditedModelAdmin):
    list_display = ("name", "user", "active", "email", "digest", "webhook_url")
    list_filter = ("active", "email", "digest")
    search_fields = ("name", "user__username", "webhook_url")
    exclude = ("webhook_secret",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Deliveries, to see what failed and why; written by the system only."""

    list_display = ("created_at", "channel", "recipient", "status", "attempts", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("recipient", "idempotency_key")
    readonly_fields = tuple(f.name for f in Notification._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
