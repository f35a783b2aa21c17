"""Accounts: memberships (role × country scope), two-factor devices, API tokens, login attempts.

Users are Django's own ``auth.User``. What a user may do is decided by their memberships only
(see :mod:`atrocity_watch.web.accounts.permissions`); Django's per-model permissions are used only
by the Django admin site, which is for staff.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """What a member may do, each role including the ones before it."""

    VIEWER = "viewer", "Viewer (reads country data and assessments)"
    ANALYST = "analyst", "Analyst (also writes assessments)"
    REVIEWER = "reviewer", "Reviewer (also approves or returns others' assessments)"
    ADMIN = "admin", "Administrator (also manages users and reads the audit log)"

    @property
    def rank(self) -> int:
        """Position in the hierarchy: viewer 1 … admin 4."""
        return list(Role).index(self) + 1

    @property
    def short_label(self) -> str:
        """The role's name without its explanation."""
        return str(self.label).split(" (", 1)[0]


class ScopeKind(models.TextChoices):
    """Which countries a membership covers."""

    ALL = "all", "All countries"
    REGION = "region", "One UN M49 region or sub-region"
    ORGANISATION = "organisation", "The members of one organisation"


class Membership(models.Model):
    """One role over one set of countries; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    scope_kind = models.CharField(max_length=16, choices=ScopeKind.choices, default=ScopeKind.ALL)
    scope_code = models.CharField(
        max_length=64,
        blank=True,
        help_text="UN M49 region (name or code, e.g. Africa or 002; South-eastern Asia) or "
        "organisation code (e.g. AU, ECOWAS); empty for all countries. Stored as the code.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["user", "role", "scope_kind", "scope_code"], name="unique_membership"
            ),
        )
        ordering = (
            "user__username",
            "role",
        )

    def __str__(self) -> str:
        return f"{self.user} – {Role(self.role).short_label} – {self.scope_label}"

    @property
    def scope_label(self) -> str:
        """The scope in words: "all countries", "Africa", "AU members"."""
        from atrocity_watch.web.core import geo

        if self.scope_kind == ScopeKind.ALL:
            return "all countries"
        if self.scope_kind == ScopeKind.ORGANISATION:
            return f"{self.scope_code} members"
        return geo.region_name(self.scope_code)

    def countries(self) -> frozenset[str] | None:
        """ISO3 codes this membership covers, or None for all countries."""
        from atrocity_watch.web.core import geo

        if self.scope_kind == ScopeKind.ALL:
            return None
        if self.scope_kind == ScopeKind.REGION:
            return geo.countries_of_region(self.scope_code)
        return geo.countries_of_organisation(self.scope_code)

    def clean(self) -> None:
        from atrocity_watch.web.core import geo

        if self.scope_kind == ScopeKind.ALL:
            if self.scope_code:
                raise ValidationError(
                    {"scope_code": "Leave this empty when the membership covers all countries."}
                )
            return
        if not self.scope_code:
            raise ValidationError({"scope_code": "Name the region or organisation."})
        try:
            # Store the registry's own code, whatever spelling was typed ("africa" → "002").
            if self.scope_kind == ScopeKind.REGION:
                self.scope_code = geo.canonical_region(self.scope_code)
            else:
                self.scope_code = geo.canonical_organisation(self.scope_code)
            self.countries()
        except geo.ScopeError as exc:
            raise ValidationError({"scope_code": str(exc)}) from None


class TwoFactorDevice(models.Model):
    """A confirmed TOTP authenticator of one user (time-based one-time passwords, RFC 6238)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor"
    )
    # Base32 secret shared with the authenticator app. It is stored as is: the server must read it
    # to check codes, and it protects nothing without the password (see docs/security.md).
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(default=timezone.now)
    # The last 30-second time step whose code was accepted: a code is good once, never replayed.
    last_used_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Authenticator of {self.user}"


class RecoveryCode(models.Model):
    """A single-use code to log in when the authenticator is lost (stored as a SHA-256 digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(code: str) -> str:
        """Digest of a code as typed (spaces and dashes ignored, case-insensitive)."""
        clean = code.replace("-", "").replace(" ", "").lower()
        return hashlib.sha256(clean.encode()).hexdigest()


TOKEN_PREFIX = "aw_"  # noqa: S105  (a marker that tells tokens apart, not a secret)


class ApiToken(models.Model):
    """A personal access token for scripts; only its SHA-256 digest is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'weekly export'."
    )
    # The first characters, shown in lists so users can tell their tokens apart.
    hint = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        """Digest of a raw token. Tokens have 256 bits of entropy, so a fast hash is enough."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple[ApiToken, str]:
        """Create a token and return it with the raw value, which is shown to the user once."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, hint=raw[:10], digest=cls.hash(raw))
        return token, raw

    @property
    def active(self) -> bool:
        """False once revoked."""
        return self.revoked_at is None


class LoginAttempt(models.Model):
    """One failed login (password or second factor), kept to limit guessing.

    Kept in the database rather than a per-process cache so that every gunicorn worker sees the
    same count.
    """

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-at",)

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M}"
