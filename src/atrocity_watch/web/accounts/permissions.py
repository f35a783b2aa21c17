"""The one place that decides who may do what, for which country.

Every page and every API endpoint asks :func:`can` (or its helpers :func:`ensure`,
:func:`countries_for`, :func:`scope_filter`, :func:`require`). The rule is deliberately simple
(Healthchecks style: roles on the membership, no per-object ACLs):

- each action needs a minimum role (:data:`ACTIONS`);
- a user may do an action for a country when one of their memberships has at least that role and
  covers that country (all countries, one UN M49 region, or one organisation's members);
- actions about the whole system (``manage_users``, ``read_audit``) need a membership that covers
  all countries;
- Django superusers may do everything (the first administrator is one).

To add an action, add one line to :data:`ACTIONS`; ``docs/web.md`` lists them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from atrocity_watch.web.accounts.models import Membership, Role, ScopeKind
from atrocity_watch.web.core.table_versions import TableCache


@dataclass(frozen=True)
class Action:
    """Something a user may be allowed to do."""

    name: str
    minimum_role: Role
    description: str
    system_wide: bool = False  # needs a membership covering all countries


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("view", Role.VIEWER, "See country data, forecasts, alerts and assessments."),
        Action("export", Role.VIEWER, "Download data as CSV (recorded in the audit log)."),
        Action("edit_assessment", Role.ANALYST, "Create, edit and submit draft assessments."),
        Action("review_assessment", Role.REVIEWER, "Approve or return assessments of others."),
        Action("handle_alerts", Role.ANALYST, "Acknowledge, assign and comment on alerts."),
        Action("manage_users", Role.ADMIN, "Add users and change roles.", system_wide=True),
        Action("read_audit", Role.ADMIN, "Browse the audit log.", system_wide=True),
    )
}

AnyUser = User | AnonymousUser


def _action(name: str) -> Action:
    try:
        return ACTIONS[name]
    except KeyError:
        raise ValueError(
            f"Unknown action {name!r}; the actions are: {', '.join(sorted(ACTIONS))}."
        ) from None


# Each worker keeps every user's membership rows until the membership table is written (by
# anyone, anywhere: see core.table_versions), so a role change applies on the next request.
_membership_rows: TableCache[int, tuple[tuple[str, tuple[Any, ...]], ...]] = TableCache(
    "accounts_membership"
)


_MEMBERSHIP_ATTNAMES = [field.attname for field in Membership._meta.concrete_fields]


def _membership_rows_of(user_id: int) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    return tuple(
        (m._state.db or "default", tuple(getattr(m, name) for name in _MEMBERSHIP_ATTNAMES))
        for m in Membership.objects.filter(user_id=user_id)
    )


def memberships(user: AnyUser) -> list[Membership]:
    """The user's memberships, as fresh objects once per request (cached on the user object)."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_aw_memberships", None)
    if cached is None:
        rows = _membership_rows.get(user.pk, lambda: _membership_rows_of(user.pk))
        cached = [
            Membership.from_db(database, _MEMBERSHIP_ATTNAMES, values) for database, values in rows
        ]
        setattr(user, "_aw_memberships", cached)  # noqa: B010  (a per-request cache)
    return cached


def _qualifying(user: AnyUser, action: Action) -> Iterable[Membership]:
    for m in memberships(user):
        if Role(m.role).rank >= action.minimum_role.rank and (
            not action.system_wide or m.scope_kind == ScopeKind.ALL
        ):
            yield m


def can(user: AnyUser, action: str, country: str | None = None) -> bool:
    """May ``user`` do ``action`` for ``country`` (ISO3)? Without a country: for any country.

    >>> can(alice, "review_assessment", "SDN")   # doctest: +SKIP
    True
    """
    rule = _action(action)
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for m in _qualifying(user, rule):
        if country is None:
            return True
        covered = m.countries()
        if covered is None or country.upper() in covered:
            return True
    return False


def countries_for(user: AnyUser, action: str) -> frozenset[str] | None:
    """ISO3 codes the user may do ``action`` for; None means every country.

    An empty set means none: the caller shows an empty page, never everything.
    """
    rule = _action(action)
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    found: set[str] = set()
    for m in _qualifying(user, rule):
        covered = m.countries()
        if covered is None:
            return None
        found |= covered
    return frozenset(found)


_M = TypeVar("_M", bound=Model)


def scope_filter(
    queryset: QuerySet[_M], user: AnyUser, action: str = "view", field: str = "country"
) -> QuerySet[_M]:
    """Restrict a queryset to the rows whose ``field`` (an ISO3 code) the user may see."""
    allowed = countries_for(user, action)
    if allowed is None:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(allowed)})


def highest_role(user: AnyUser) -> Role | None:
    """The user's highest role anywhere (for the navigation), or None without membership."""
    if user.is_authenticated and user.is_superuser:
        return Role.ADMIN
    ranks = [Role(m.role) for m in memberships(user)]
    return max(ranks, key=lambda r: r.rank) if ranks else None


def denial_message(user: AnyUser, action: str, country: str | None = None) -> str:
    """Why ``user`` may not do ``action``, in words a user understands."""
    from atrocity_watch.web.core.geo import country_name

    rule = _action(action)
    role = rule.minimum_role.short_label.lower()
    if not memberships(user) and not getattr(user, "is_superuser", False):
        return (
            "Your account has no role yet. Ask an administrator to give you a membership "
            "(viewer, analyst, reviewer or administrator) for the countries you work on."
        )
    if rule.system_wide:
        return f"This needs the {role} role for all countries."
    if country and can(user, action, None):
        held = ", ".join(sorted({m.scope_label for m in _qualifying(user, rule)}))
        return f"{country_name(country)} is outside the countries your {role} role covers ({held})."
    return f"This needs the {role} role (or higher)."


def ensure(user: AnyUser, action: str, country: str | None = None) -> None:
    """Raise :class:`PermissionDenied` with a clear message unless :func:`can` allows it."""
    if not can(user, action, country):
        raise PermissionDenied(denial_message(user, action, country))


_View = TypeVar("_View", bound=Callable[..., HttpResponse])


def require(action: str) -> Callable[[_View], _View]:
    """View decorator: anonymous users go to the login page; others need ``action`` somewhere.

    Country-specific checks happen inside the view with :func:`ensure`, once the country is known.
    """
    _action(action)  # fail at import time on a misspelt action

    def decorator(view: _View) -> _View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            ensure(request.user, action)
            return view(request, *args, **kwargs)

        wrapper.required_action = action  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def login_only(view: _View) -> _View:
    """View decorator for pages every logged-in user may see, with or without a role."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.required_action = "login"  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
