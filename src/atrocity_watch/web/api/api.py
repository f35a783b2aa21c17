"""The REST API at /api/ (django-ninja), with OpenAPI documentation at /api/docs.

Infrastructure every app's endpoints share:

- **Authentication**: a personal token (``Authorization: Bearer aw_…``, created on the account
  page) for scripts, or the browser session (with CSRF on writes) for pages. Anonymous: 401.
- **Permissions**: the same rules as the pages: call
  :func:`atrocity_watch.web.accounts.permissions.ensure` (403 with the reason) and
  :func:`~atrocity_watch.web.accounts.permissions.scope_filter` for lists.
- **Errors**: always JSON ``{"detail": "<message>"}`` (422 adds ``errors`` per field); 400 for
  a library error, 401, 403, 404, 409 (:class:`Conflict`), 422.
- **Pagination**: ``@paginate`` (limit/offset; ``{"items": [...], "count": n}``).

An app publishes endpoints by defining ``ROUTERS = [("/prefix", router), ...]`` in its ``api.py``
module; they are mounted here automatically (see docs/web.md).
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from atrocity_watch import __version__
from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.web.accounts.models import TOKEN_PREFIX, ApiToken

# Refresh a token's "last used" at most this often: a script's every request need not write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class Conflict(Exception):
    """Raise from an endpoint when the client's copy is out of date (HTTP 409)."""

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.current = current


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.hash(token), revoked_at=None, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Atrocity Watch API",
    version=__version__,
    description=(
        "Countries, Framework assessments and (as they are prepared) forecasts, panels and "
        "alerts. Authenticate with a personal token from your account page "
        "(`Authorization: Bearer aw_…`); you see and change exactly what your roles allow on "
        "the pages. Errors are JSON objects with a `detail` message."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=login_required,
)


def _error(request: HttpRequest, status: int, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        "Not logged in: send a personal API token as 'Authorization: Bearer <token>' (create one "
        "on your account page), or log in to the site first.",
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Your role does not allow this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(request, 409, exc.message, current=exc.current)


def _field_message(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload"))
    return f"{where or 'input'}: {error.get('msg', 'is not valid')}"


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = [_field_message(e) for e in exc.errors]
    return _error(
        request,
        422,
        "The request is not valid: " + "; ".join(messages),
        errors=[
            {"field": _field_message(e).split(":", 1)[0], "message": e.get("msg")}
            for e in exc.errors
        ],
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(AtrocityWatchError)
def _library_error(request: HttpRequest, exc: AtrocityWatchError) -> HttpResponse:
    return _error(request, 400, str(exc))


def _mount_app_routers() -> None:
    """Mount ``ROUTERS`` from every installed app's ``api`` module (in INSTALLED_APPS order)."""
    from atrocity_watch.web.api import countries

    api.add_router("", countries.router)
    for config in apps.get_app_configs():
        if not config.name.startswith("atrocity_watch.web.") or config.label == "api":
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.api":
                continue
            raise
        for prefix, router in getattr(module, "ROUTERS", ()):
            api.add_router(prefix, router)


_mount_app_routers()
