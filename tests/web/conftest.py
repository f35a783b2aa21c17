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
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from atrocity_watch.web.accounts.models import Membership, Role, ScopeKind

PASSWORD = "correct horse battery staple"
SUDAN = "SDN"
MYANMAR = "MMR"


@dataclass(frozen=True)
class Persona:
    username: str
    role: Role | None
    scope_kind: ScopeKind = ScopeKind.ALL
    scope_code: str = ""
    superuser: bool = False


PERSONAS: dict[str, Persona] = {
    p.username: p
    for p in (
        Persona("alice", Role.ADMIN, superuser=True),
        Persona("ana", Role.ANALYST),
        Persona("rita", Role.REVIEWER),
        Persona("victor", Role.VIEWER),
        Persona("amara", Role.ANALYST, ScopeKind.ORGANISATION, "AU"),
        Persona("vera", Role.VIEWER, ScopeKind.REGION, "142"),
        Persona("nora", None),
    )
}


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


def csrf_post(client: Client, url: str, data: dict[str, object] | None = None, **extra: object):
    """POST like a browser: fetch a CSRF token first, then send it with the form."""
    from django.middleware.csrf import _get_new_csrf_string

    token = client.cookies.get("csrftoken")
    value = token.value if token else _get_new_csrf_string()
    client.cookies["csrftoken"] = value
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": value}, **extra)
