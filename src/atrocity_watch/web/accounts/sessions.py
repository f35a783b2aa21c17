"""Database sessions that each worker keeps in memory until the session table is written.

``SESSION_ENGINE``. Sessions stay in the app database, the one place every worker and every
server shares, so logging out, an expiry or ``clearsessions`` end a session everywhere at once:
each worker re-reads a session as soon as the session table's write token changes (see
:mod:`atrocity_watch.web.core.table_versions`). What is kept is the stored (signed, encoded)
text and its expiry date; it is decoded and its signature checked on every request, exactly as
Django's own database engine does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone

from atrocity_watch.web.core.table_versions import TableCache

_stored: TableCache[str, tuple[str, dt.datetime] | None] = TableCache(
    "django_session", max_entries=20_000
)


class SessionStore(DatabaseStore):
    """Django's database session store with a per-process cache checked by write token."""

    def load(self) -> dict[str, Any]:
        key = self.session_key
        if not key:
            return {}

        def read() -> tuple[str, dt.datetime] | None:
            found = self._get_session_from_db()  # type: ignore[attr-defined]
            return None if found is None else (found.session_data, found.expire_date)

        stored = _stored.get(key, read)
        if stored is None or stored[1] <= timezone.now():
            # Unknown or expired: like Django's engine, start a new session on the next save.
            self._session_key = None
            return {}
        decoded: dict[str, Any] = self.decode(stored[0])
        return decoded
