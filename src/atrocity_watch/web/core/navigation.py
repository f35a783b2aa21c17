"""The main navigation, assembled from what each app declares.

An app adds its sections by giving its ``AppConfig`` a ``navigation`` list of :class:`NavItem`;
no shared file needs editing. An item shows only to users who may do its ``action``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse

from atrocity_watch.web.accounts.permissions import can


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation."""

    label: str
    url_name: str
    action: str = "view"  # an action of accounts.permissions.ACTIONS, or "login"
    order: int = 50


@functools.cache
def _declared(script_prefix: str) -> tuple[tuple[NavItem, str], ...]:
    """Every app's items in order with their URLs, worked out once per process and prefix.

    The installed apps and the URL configuration do not change while a server runs (the
    prefix, where the site is served below a path, is part of every URL); an item whose URL
    does not resolve (its app is not installed) is left out.
    """
    declared: list[NavItem] = []
    for config in apps.get_app_configs():
        declared.extend(getattr(config, "navigation", ()))
    found = []
    for item in sorted(declared, key=lambda i: (i.order, i.label)):
        try:
            found.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return tuple(found)


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    """The navigation links this request's user may follow, in order, marking the current one."""
    shown = []
    for item, url in _declared(get_script_prefix()):
        if item.action != "login" and not can(request.user, item.action):
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        shown.append({"label": item.label, "url": url, "current": current})
    return shown
