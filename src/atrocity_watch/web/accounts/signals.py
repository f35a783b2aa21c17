"""Audit events and login limits for Django's login signals (pages, admin and API alike)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from atrocity_watch.web.accounts import ratelimit
from atrocity_watch.web.audit.log import client_address, record
from atrocity_watch.web.audit.models import Action


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    ratelimit.clear(user.get_username())
    record(Action.LOGIN, request=request, actor=user, obj=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, request=request, actor=user, obj=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))
    ratelimit.note_failure(username, client_address(request))
    record(
        Action.LOGIN_FAILED,
        request=request,
        object_type="auth.user",
        object_repr=username,
        after={"username": username, "reason": "wrong user name or password"},
    )
