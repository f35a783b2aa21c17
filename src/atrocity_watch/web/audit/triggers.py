"""Database triggers that refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events.

Installed by migration 0002 on SQLite and PostgreSQL. They stop code that bypasses the model
(raw SQL, bulk operations, a buggy migration); they do not stop the owner of the database, who
can drop them — the hash chain is what reveals that kind of tampering (docs/security.md).
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditevent"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql",
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
]


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    sql = statements.get(connection.vendor)
    if sql is None:
        return  # other databases: the model's refusal is the only guard (documented)
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def install(connection: Any) -> None:
    """Create the triggers on ``connection``'s database."""
    _run(connection, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def remove(connection: Any) -> None:
    """Drop the triggers (migration rollback; throwaway test databases that must be flushed)."""
    _run(connection, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
