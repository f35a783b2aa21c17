"""Django admin: the audit log read-only, and a base class that audits every admin write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from atrocity_watch.web.audit.log import record, snapshot
from atrocity_watch.web.audit.models import Action, AuditEvent


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose saves and deletes are recorded, with before and after, atomically.

    Set ``audit_action`` to record edits under another action (memberships use ``role_change``).
    """

    audit_action: str = Action.EDIT

    def _country(self, obj: models.Model) -> str:
        return str(getattr(obj, "country", "") or "")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                old = type(obj).objects.filter(pk=obj.pk).first()
                before = snapshot(old) if old is not None else None
            super().save_model(request, obj, form, change)
            action = self.audit_action if change else Action.CREATE
            if not change and self.audit_action == Action.ROLE_CHANGE:
                action = Action.ROLE_CHANGE
            record(
                action,
                request=request,
                obj=obj,
                country=self._country(obj),
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before = snapshot(obj)
            action = (
                Action.ROLE_CHANGE if self.audit_action == Action.ROLE_CHANGE else Action.DELETE
            )
            record(action, request=request, obj=obj, country=self._country(obj), before=before)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "sequence",
        "at",
        "actor_name",
        "action",
        "object_type",
        "object_repr",
        "country",
    )
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "object_id", "country")
    ordering = ("-sequence",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
