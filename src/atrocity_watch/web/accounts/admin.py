"""Django admin for staff: users, memberships (roles), tokens, two-factor resets, login blocks.

Every write here is audited; membership changes are recorded as role changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest

from atrocity_watch.web.accounts.models import ApiToken, LoginAttempt, Membership, TwoFactorDevice
from atrocity_watch.web.audit.admin import AuditedModelAdmin
from atrocity_watch.web.audit.models import Action


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    audit_action = Action.ROLE_CHANGE
    fields = ("user", "role", "scope_kind", "scope_code", "created_at")
    readonly_fields = ("created_at",)
    list_display = ("user", "role", "scope_kind", "scope_code", "created_at")
    list_filter = ("role", "scope_kind")
    search_fields = ("user__username", "scope_code")


admin.site.unregister(User)
admin.site.unregister(Group)  # roles live on memberships; Django groups would be a second system


@admin.register(User)
class AuditedUserAdmin(AuditedModelAdmin, UserAdmin):  # type: ignore[type-arg]
    """Users; a change of staff, superuser or active status is recorded as a role change."""

    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        changed = set(getattr(form, "changed_data", []))
        self.audit_action = (
            Action.ROLE_CHANGE
            if changed & {"is_staff", "is_superuser", "is_active", "user_permissions"}
            else Action.EDIT
        )
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "hint", "digest", "created_at", "last_used_at")
    fields = ("user", "name", "hint", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # users create their own tokens; the raw value must reach only them


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(AuditedModelAdmin):
    """Delete a user's device here when they lost it and their recovery codes."""

    list_display = ("user", "confirmed_at")
    fields = ("user", "confirmed_at")
    readonly_fields = ("user", "confirmed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Failed logins of the last minutes; delete them to lift a block early."""

    list_display = ("username", "address", "at")
    search_fields = ("username", "address")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
