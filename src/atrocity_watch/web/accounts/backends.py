"""The login backend: Django's, with the logged-in user kept per worker between requests.

``AUTHENTICATION_BACKENDS``. Checking a password is Django's ``ModelBackend`` unchanged. What
changes is finding the user behind a session on every request: each worker keeps the user's
row and re-reads it as soon as the user table's write token changes (a deactivated account,
a new password or a lost superuser flag takes effect on the very next request, in every
worker; see :mod:`atrocity_watch.web.core.table_versions`). Every request gets its own fresh
``User`` object built from the kept row, so nothing one request sets on it leaks to another.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from atrocity_watch.web.core.table_versions import TableCache

_ATTNAMES = [field.attname for field in User._meta.concrete_fields]
_rows: TableCache[str, tuple[str, tuple[Any, ...]] | None] = TableCache("auth_user")


def _row(user_id: Any) -> tuple[str, tuple[Any, ...]] | None:
    user = User._default_manager.filter(pk=user_id).first()
    if user is None:
        return None
    return user._state.db or "default", tuple(getattr(user, name) for name in _ATTNAMES)


class CachedUserBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` reads the user table only after it changed."""

    def get_user(self, user_id: Any) -> User | None:
        found = _rows.get(str(user_id), lambda: _row(user_id))
        if found is None:
            return None
        database, values = found
        user = User.from_db(database, _ATTNAMES, values)
        return user if self.user_can_authenticate(user) else None
