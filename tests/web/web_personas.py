"""Personas of the web suite and a CSRF-aware POST helper (imported by conftest and tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from atrocity_watch.web.accounts.models import Role, ScopeKind

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


def csrf_post(client: Client, url: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
    """POST like a browser: a CSRF cookie and the same token in the form."""
    from django.middleware.csrf import _get_new_csrf_string

    token = client.cookies.get("csrftoken")
    value = token.value if token else _get_new_csrf_string()
    client.cookies["csrftoken"] = value
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": value}, **extra)
