"""Per-process caches that stay correct across workers: a write token per database table.

Every request used to read its session, its user and the user's memberships (and, on the
watchlist and country pages, the approved assessments and open alerts) through the ORM: five
queries whose SQL compilation cost more CPU than the rest of a small page. Those rows change
rarely, so each worker keeps them in memory. The hard part is knowing, in worker A, that
worker B (or a management command, or an administrator's raw SQL) has just logged a user out,
changed a role or approved an assessment.

The answer is a *write token* per watched table (:data:`WATCHED_TABLES`), kept in
``core_tableversion`` and replaced with a fresh random value by a database trigger whenever a
statement inserts, updates or deletes rows of that table (on PostgreSQL also ``TRUNCATE``). The
trigger runs inside the writing transaction, so the token changes exactly when the write
commits, and a rolled-back write leaves the old token (whose cached rows are still right).
Triggers see every write: model saves, ``QuerySet.update()``, bulk operations, raw SQL, other
processes. Tokens are random, never counters, so a token never comes back after a rollback.

A cached value is stored with the token read *before* the value was loaded, and used only while
the table's current token is the same. Checking costs one indexed single-row read per lookup
(about 25 µs on SQLite), against 0.4–0.9 ms for an ORM query. Nothing is ever served from a
cache that a later write to its table could have changed; there is no expiry to tune.

When a table has no token row (a database flushed by a test run, before its first write) the
caches are bypassed, never trusted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from string import Template
from typing import Any, Generic, TypeVar

from django.db import connections

#: Tables whose rows the web workers cache, with what depends on them.
WATCHED_TABLES: dict[str, str] = {
    "django_session": "who is logged in (logout and expiry end a session at once)",
    "auth_user": "accounts: active or not, superuser, password (a change ends other sessions)",
    "accounts_membership": "roles and country scopes",
    "assessments_assessment": "the latest approved assessment on the watchlist and country pages",
    "alerts_alert": "open alerts on the watchlist and country pages",
}

TOKEN_TABLE = "core_tableversion"  # noqa: S105  (a table name, not a secret)


# Table names come from WATCHED_TABLES (constants), never from input.
_SQLITE_TRIGGER = Template(
    "CREATE TRIGGER IF NOT EXISTS aw_version_${table}_${name} AFTER ${op} ON ${table} "
    "BEGIN INSERT OR REPLACE INTO ${tokens} (name, token) "
    "VALUES ('${table}', lower(hex(randomblob(16)))); END"
)


def _sqlite_create(table: str) -> list[str]:
    return [
        _SQLITE_TRIGGER.substitute(table=table, name=op.lower(), op=op, tokens=TOKEN_TABLE)
        for op in ("INSERT", "UPDATE", "DELETE")
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS aw_version_{table}_{op}" for op in ("insert", "update", "delete")
    ]


_POSTGRES_FUNCTION = Template(
    "CREATE OR REPLACE FUNCTION aw_bump_table_version() RETURNS trigger AS $$$$ BEGIN "
    "INSERT INTO ${tokens} (name, token) VALUES (TG_TABLE_NAME, "
    "replace(gen_random_uuid()::text, '-', '')) "
    "ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token; "
    "RETURN NULL; END; $$$$ LANGUAGE plpgsql"
).substitute(tokens=TOKEN_TABLE)


def _postgres_create(table: str) -> list[str]:
    # One bump per statement, not per row: clearing expired sessions touches thousands of rows.
    return [
        f"DROP TRIGGER IF EXISTS aw_version ON {table}",
        f"CREATE TRIGGER aw_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION aw_bump_table_version()",
    ]


def install_triggers(connection: Any, tables: list[str] | None = None) -> None:
    """Create the token triggers on ``connection``'s database (migrations call this).

    Other database engines get no triggers, and :func:`token` then always answers None there,
    so every cache is bypassed: slower, never wrong.
    """
    tables = list(WATCHED_TABLES) if tables is None else tables
    statements: list[str] = []
    if connection.vendor == "sqlite":
        for table in tables:
            statements += _sqlite_create(table)
    elif connection.vendor == "postgresql":
        statements.append(_POSTGRES_FUNCTION)
        for table in tables:
            statements += _postgres_create(table)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_triggers(connection: Any, tables: list[str] | None = None) -> None:
    """Drop the token triggers (migration rollback)."""
    tables = list(WATCHED_TABLES) if tables is None else tables
    statements: list[str] = []
    if connection.vendor == "sqlite":
        for table in tables:
            statements += _sqlite_drop(table)
    elif connection.vendor == "postgresql":
        statements += [f"DROP TRIGGER IF EXISTS aw_version ON {table}" for table in tables]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


_TOKEN_SQL = f"SELECT token FROM {TOKEN_TABLE} WHERE name = %s"  # noqa: S608  (a constant)


def token(table: str, using: str = "default") -> str | None:
    """The current write token of ``table``; None when it has none (do not cache then).

    Raw SQL on purpose: the point is to be far cheaper than the ORM query it replaces. It runs
    on the request's own connection, so inside a transaction it sees that transaction's writes.
    """
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_SQL, [table])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TableCache(Generic[K, V]):
    """A per-process cache of values read from one table, valid while its token is unchanged.

    ``get(key, load)`` returns ``load()``'s value, from memory when the table has not been
    written since it was loaded. Values must not be changed by callers: store immutable
    things (tuples, frozen dataclasses, strings) and build fresh objects from them.
    Thread-safe (gunicorn ``gthread`` workers serve requests on several threads).
    """

    def __init__(self, table: str, max_entries: int = 4096) -> None:
        if table not in WATCHED_TABLES:
            raise ValueError(f"{table} has no write-token trigger; add it to WATCHED_TABLES.")
        self.table = table
        self.max_entries = max_entries
        self._entries: dict[K, tuple[str, V]] = {}
        self._lock = threading.Lock()
        _all_caches.append(self)

    def get(self, key: K, load: Callable[[], V], using: str = "default") -> V:
        """The value for ``key``: cached if its table is unchanged, else ``load()`` (stored)."""
        current = token(self.table, using)  # read before loading: see the module's docstring
        if current is None:
            return load()
        hit = self._entries.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]
        value = load()
        with self._lock:
            if len(self._entries) >= self.max_entries:
                # Stale entries of old tokens pile up here; starting afresh is simplest.
                self._entries.clear()
            self._entries[key] = (current, value)
        return value

    def clear(self) -> None:
        """Forget every entry (never needed for correctness; tests use it to start cold)."""
        with self._lock:
            self._entries.clear()


_all_caches: list[TableCache[Any, Any]] = []


def clear_all() -> None:
    """Empty every :class:`TableCache` of this process."""
    for cache in _all_caches:
        cache.clear()
