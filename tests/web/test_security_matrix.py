"""Every URL × every persona: logged-in users with the right role and scope get in, others do not.

The URL conf is walked, so a URL added without an access rule in ``tests/web/access_*.py``
fails :func:`test_every_url_has_an_access_rule`. Rules come from those modules (one per app);
expected outcomes from the hand-written table in ``tests/web/web_matrix.py``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from web_matrix import ANONYMOUS, PERSONA_NAMES, Rule, World, allowed, resolve

HERE = Path(__file__).parent


def _access_modules() -> list[ModuleType]:
    return [importlib.import_module(path.stem) for path in sorted(HERE.glob("access_*.py"))]


MODULES = _access_modules()
RULES: dict[str, list[Rule]] = {}
NAMESPACE_RULES: dict[str, Any] = {}
for _module in MODULES:
    for _name, _rules in getattr(_module, "ACCESS", {}).items():
        assert _name not in RULES, f"{_name} has access rules in two access_*.py files"
        RULES[_name] = _rules if isinstance(_rules, list) else [_rules]
    NAMESPACE_RULES.update(getattr(_module, "NAMESPACES", {}))


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            full_namespace = ":".join(part for part in (namespace, inner) if part)
            yield from _walk(entry.url_patterns, full_namespace, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            full = prefix + str(entry.pattern)
            name = entry.name or f"(unnamed) {full}"
            yield (f"{namespace}:{name}" if namespace else name, full)


URLS = sorted(set(_walk(get_resolver().url_patterns)))


def _rules_for(name: str, pattern: str) -> list[Rule]:
    if name in RULES:
        return RULES[name]
    namespace = name.split(":", 1)[0] if ":" in name else ""
    factory = NAMESPACE_RULES.get(namespace)
    return factory(name, pattern) if factory is not None else []


def test_every_url_has_an_access_rule() -> None:
    missing = [f"{name}  ({pattern})" for name, pattern in URLS if not _rules_for(name, pattern)]
    assert not missing, (
        "These URLs have no access rule; add them to tests/web/access_<app>.py:\n"
        + "\n".join(missing)
    )


def test_no_rule_names_a_url_that_is_gone() -> None:
    names = {name for name, _ in URLS}
    stale = sorted(set(RULES) - names)
    assert not stale, f"access rules for URLs that no longer exist: {stale}"


def test_matrix_is_not_vacuous() -> None:
    """The matrix covers the main URLs, every persona, and both sides of every rule kind."""
    namespaced = [name for name, _ in URLS if name.split(":", 1)[0] in NAMESPACE_CASES]
    assert (len(CASES) + len(namespaced)) * len(PERSONA_NAMES) > 400
    assert {"core:home", "assessments:list", "api:list_countries", "audit:list"} <= {
        c[0] for c in CASES
    }


CASES = [
    (name, index)
    for name, pattern in URLS
    if name in RULES
    for index, _rule in enumerate(_rules_for(name, pattern))
]
# URLs whose rules come from a namespace rule (the Django admin site: dozens of URLs with one
# rule) are checked together, one test per namespace, to keep the suite fast.
NAMESPACE_CASES = sorted(
    {name.split(":", 1)[0] for name, _ in URLS if name not in RULES and ":" in name}
    & set(NAMESPACE_RULES)
)


@pytest.fixture
def world(users: dict[str, Any]) -> World:
    built = World(users=users)
    for module in MODULES:
        hook = getattr(module, "extend_world", None)
        if hook is not None:
            hook(built)
    return built


def _request(client: Client, rule: Rule, url: str, world: World) -> Any:
    if rule.method == "GET":
        return client.get(url)
    # A valid CSRF token, so that what is tested is the permission, not the token.
    client.cookies["csrftoken"] = "a" * 32
    data = resolve(rule.data, world)
    if rule.json:
        return client.generic(
            rule.method,
            url,
            json.dumps(data),
            content_type="application/json",
            HTTP_X_CSRFTOKEN="a" * 32,
        )
    return client.generic(
        rule.method,
        url,
        _form_encode({**data, "csrfmiddlewaretoken": "a" * 32}),
        content_type="application/x-www-form-urlencoded",
    )


def _form_encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def _check(name: str, rule: Rule, persona: str, world: World, client_for: Any) -> str | None:
    """None when ``persona`` gets the expected answer, else what went wrong."""
    url = rule.path or reverse(name, kwargs=resolve(rule.kwargs, world))
    client = client_for(None if persona == ANONYMOUS else persona)
    response = _request(client, rule, url, world)
    status = response.status_code
    where = f"{rule.method} {url} as {persona}"
    if allowed(rule, persona):
        if status not in rule.ok:
            return f"{where}: expected {rule.ok}, got {status}: {response.content[:200]!r}"
        return None
    if persona == ANONYMOUS:
        expected = rule.anonymous or (401 if name.startswith("api:") else 302)
        if status != expected:
            return f"{where}: expected {expected}, got {status}"
        if expected == 302 and not any(
            response["Location"].startswith(target) for target in rule.redirect_to
        ):
            return f"{where}: redirected to {response['Location']}, not to the login page"
        return None
    if status != rule.denied:
        return f"{where}: expected {rule.denied}, got {status}"
    return None


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{c[0]}#{c[1]}" for c in CASES])
def test_access(name: str, index: int, world: World, client_for: Any) -> None:
    """One URL and method, all eight personas (one world per URL keeps the suite fast)."""
    rule = _rules_for(name, dict(URLS)[name])[index]
    failures = [
        problem
        for persona in PERSONA_NAMES
        if (problem := _check(name, rule, persona, world, client_for)) is not None
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("namespace", NAMESPACE_CASES)
def test_access_namespace(namespace: str, world: World, client_for: Any) -> None:
    """Every URL of a namespace with a shared rule (the admin site).

    The admin site's rule depends on the staff flag only, never on roles or scopes, so a staff
    persona and a non-staff one with a role are asked for every URL; anonymous visitors go through
    the same check as the latter (tried on the admin's start page and its unnamed URLs).
    """
    failures = []
    for name, pattern in URLS:
        if name in RULES or not name.startswith(namespace + ":"):
            continue
        for rule in _rules_for(name, pattern):
            personas = ["alice", "victor"]
            if name in (f"{namespace}:index",) or "(unnamed)" in name:
                personas.append(ANONYMOUS)
            for persona in personas:
                problem = _check(name, rule, persona, world, client_for)
                if problem is not None:
                    failures.append(problem)
    assert not failures, "\n".join(failures)
