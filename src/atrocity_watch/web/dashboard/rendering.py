"""Rendering the watchlist once per distinct content.

A watchlist page lists up to some two hundred countries, and the template engine spends most
of a request on their cells. Two levels of keeping what was rendered, both keyed by *all* the
data they show, so nothing stale is ever served:

- each row's HTML, per distinct row value (forecast, change, assessment, alerts): it never
  depends on who looks at it;
- the page's content (filters, table, sources), per scope, filters, forecast version and the
  assessments and alerts of the countries in scope — read from the app database on every
  request, so a new approval or alert shows at once.

The least recently used entries are dropped beyond a limit. The parts that depend on the user
(navigation, name, the logout form's CSRF token) are rendered on every request around them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from atrocity_watch.web.dashboard.reads import register_cache
from atrocity_watch.web.dashboard.watchlist import Row


@lru_cache(maxsize=8192)
def render_row(row: Row, monitored: bool, alerts_message: str) -> str:
    """The ``<tr>`` of one row (escaped by the template)."""
    return str(
        get_template("dashboard/_watchlist_row.html").render(
            {"row": row, "monitored": monitored, "alerts_message": alerts_message}
        )
    )


def render_rows(rows: Iterable[Row], monitored: bool, alerts_message: str) -> SafeString:
    """The table body's rows, in order."""
    # Safe: each part is the output of an auto-escaping template.
    return mark_safe("".join(render_row(r, monitored, alerts_message) for r in rows))  # noqa: S308


_pages: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_pages_lock = threading.Lock()
KEPT_PAGES = 256


def watchlist_key(
    template: str,
    allowed: frozenset[str] | None,
    filters: Any,
    found: Any,
    problem: str,
    error: str,
    assessments: Mapping[str, Any],
    alerts: Any,
    can_export: bool,
) -> tuple[Any, ...]:
    """Everything a watchlist content depends on, as a hashable key."""
    forecasts = (found.snapshot.path, found.snapshot.signature) if found is not None else None
    return (
        template,
        allowed,
        filters,
        forecasts,
        problem,
        error,
        tuple(sorted(assessments.items())),
        alerts.monitored,
        alerts.message,
        tuple(sorted((k, tuple(v)) for k, v in alerts.by_country.items())),
        can_export,
    )


def kept_page(key: tuple[Any, ...]) -> str | None:
    """The content rendered earlier for ``key``, if kept."""
    with _pages_lock:
        html = _pages.get(key)
        if html is not None:
            _pages.move_to_end(key)
        return html


def keep_page(key: tuple[Any, ...], html: str) -> str:
    """Keep ``html`` for ``key`` and return it."""
    with _pages_lock:
        _pages[key] = html
        _pages.move_to_end(key)
        while len(_pages) > KEPT_PAGES:
            _pages.popitem(last=False)
    return html


def clear_cache() -> None:
    """Forget every kept row and page (tests)."""
    render_row.cache_clear()
    with _pages_lock:
        _pages.clear()


register_cache(clear_cache)
