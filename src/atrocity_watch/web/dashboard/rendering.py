"""Rendering the watchlist's rows once per distinct row.

A watchlist page lists up to some two hundred countries, and the template engine spends most
of a request on their cells. Each row depends only on its own data (forecast, change,
assessment, alerts), never on who looks at it, so its HTML is kept per distinct row value and a
page joins the rows it shows. A row whose data change is a different key, so nothing stale is
ever served; the least recently used rows are dropped beyond the limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

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
