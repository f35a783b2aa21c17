"""Template context every page gets: navigation, the user's role, the site's name."""

from __future__ import annotations

from django.http import HttpRequest

from atrocity_watch import __version__
from atrocity_watch.web.accounts.permissions import highest_role
from atrocity_watch.web.core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, object]:
    """Add ``nav_items``, ``user_role`` and ``version`` to every template."""
    if not request.user.is_authenticated:
        return {"nav_items": [], "user_role": None, "version": __version__}
    role = highest_role(request.user)
    return {
        "nav_items": items_for(request),
        "user_role": role.short_label if role else None,
        "version": __version__,
    }
