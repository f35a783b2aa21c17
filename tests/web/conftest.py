"""Personas and clients for the web suite (Healthchecks style).

| persona | role | countries |
|---|---|---|
| alice  | administrator (and Django superuser, staff) | all |
| ana    | analyst   | all |
| rita   | reviewer  | all |
| victor | viewer    | all |
| amara  | analyst   | AU members (an AU early-warning unit) |
| vera   | viewer    | Asia (UN M49 142) |
| nora   | logged in, no membership yet | none |

``SUDAN`` (SDN, Africa, AU) and ``MYANMAR`` (MMR, Asia) are the two countries tests use to check
scopes. Every client enforces CSRF checks, like a browser.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from web_personas import PASSWORD, PERSONAS, Persona, csrf_post

from atrocity_watch.web.accounts.models import Membership

__all__ = ["PASSWORD", "csrf_post"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """PBKDF2's deliberate slowness is for attackers, not for the test suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def make_user(persona: Persona) -> User:
    user = User.objects.create_user(
        persona.username,
        email=f"{persona.username}@example.org",
        password=PASSWORD,
        is_staff=persona.superuser,
        is_superuser=persona.superuser,
    )
    if persona.role is not None:
        membership = Membership(
            user=user,
            role=persona.role,
            scope_kind=persona.scope_kind,
            scope_code=persona.scope_code,
        )
        membership.full_clean()
        membership.save()
    return user


@pytest.fixture
def users(db: None) -> dict[str, User]:
    """Every persona as a user in the test database."""
    return {name: make_user(p) for name, p in PERSONAS.items()}


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str | None], Client]:
    """``client_for("ana")``: a CSRF-enforcing client logged in as a persona (None: anonymous)."""

    def make(name: str | None) -> Client:
        client = Client(enforce_csrf_checks=True)
        if name is not None:
            client.force_login(users[name])
        return client

    return make
