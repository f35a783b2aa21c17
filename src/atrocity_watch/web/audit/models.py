"""The audit log: append-only events, each chained to the previous one by SHA-256.

The model refuses updates and deletes; a database trigger (installed by the migration on both
SQLite and PostgreSQL) refuses them too, for code that bypasses the model. Neither stops someone
who can edit the database file or owns the database: the hash chain is what makes such tampering
show (``manage.py audit_verify``). See docs/security.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from atrocity_watch.errors import AtrocityWatchError


class AuditLogError(AtrocityWatchError):
    """An attempt to change or delete an audit event, or a broken chain."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogError("Audit events cannot be changed: the log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogError("Audit events cannot be deleted: the log is append-only.")


class Action(models.TextChoices):
    """What happened. Other apps may record their own action names; these are the shared ones."""

    CREATE = "create", "created"
    EDIT = "edit", "edited"
    SUBMIT = "submit", "submitted"
    APPROVE = "approve", "approved"
    RETURN = "return", "returned"
    DELETE = "delete", "deleted"
    LOGIN = "login", "logged in"
    LOGOUT = "logout", "logged out"
    LOGIN_FAILED = "login_failed", "failed to log in"
    LOGIN_BLOCKED = "login_blocked", "was blocked from logging in (too many failures)"
    ROLE_CHANGE = "role_change", "changed a role"
    EXPORT = "export", "exported"
    TOKEN_CREATE = "token_create", "created an API token"
    TOKEN_REVOKE = "token_revoke", "revoked an API token"
    TWO_FACTOR_ON = "two_factor_on", "turned on two-factor login"
    TWO_FACTOR_OFF = "two_factor_off", "turned off two-factor login"
    PASSWORD_CHANGE = "password_change", "changed a password"
    PASSWORD_RESET = "password_reset", "reset a password by e-mail"


class AuditEvent(models.Model):
    """One recorded write. Fields are hashed in :func:`atrocity_watch.web.audit.log.canonical`."""

    # A gap-free sequence number, so a missing event shows as well as a changed one.
    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # The event outlives the user (deleting a user must not touch the log): no cascade, no
        # database constraint; actor_name keeps who it was.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=3, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditQuerySet.as_manager()

    class Meta:
        ordering = ("-sequence",)

    def __str__(self) -> str:
        who = self.actor_name or "system"
        return f"#{self.sequence} {self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogError("Audit events cannot be changed: the log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogError("Audit events cannot be deleted: the log is append-only.")

    @property
    def action_label(self) -> str:
        """The action in words ("approved"), or its code for actions other apps add."""
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action.replace("_", " ")


class ChainHead(models.Model):
    """A single row holding the last event's sequence and hash.

    Appending locks this row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise writers), so two requests never chain to the same event.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"
