"""Pages that belong to no single app: home, health check, and the error pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from atrocity_watch.framework import get_framework
from atrocity_watch.web.accounts.permissions import can, login_only, memberships
from atrocity_watch.web.core import datastatus
from atrocity_watch.web.core.navigation import items_for


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and `make run`; needs no login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy", with the reason
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_only
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what the user may do here, and whether data has been prepared."""
    framework = get_framework()
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships(request.user),
            "sections": [i for i in items_for(request) if i["url"] != "/"],
            "can_view": can(request.user, "view"),
            "framework": framework,
            "data": datastatus.warehouse_status(),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent without a valid security token (often: the page was open too long)."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 with the reason :func:`~atrocity_watch.web.accounts.permissions.ensure` gave."""
    message = str(exception) if exception is not None and str(exception) else ""
    return render(request, "403.html", {"exception": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 with the view's message when it gave one."""
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"exception": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without template context (the template must render whatever broke)."""
    return render(request, "500.html", status=500)
