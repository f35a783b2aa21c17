"""Per-worker caches of sessions, users, roles, assessments and alerts never serve stale rows.

Each worker keeps those rows in memory, checked on every use against a write token that a
database trigger replaces on any write to the table (``core.table_versions``). These tests
change the rows the way another worker, a management command or an administrator's SQL would —
raw SQL and ``QuerySet.update()``, which no Django signal sees — and check that the very next
request sees the change. They run on SQLite and, in CI, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from atrocity_watch.web.accounts.models import Membership, Role
from atrocity_watch.web.core import table_versions
from atrocity_watch.web.core.table_versions import TableCache, token

ClientFor = Callable[[str | None], Client]


def _sql(statement: str, params: list[object] | None = None) -> None:
    """Write behind the ORM's back, as another process or a database administrator would."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _me(client: Client) -> dict[str, object]:
    response = client.get("/api/me")
    assert response.status_code == 200, response.content
    data: dict[str, object] = response.json()
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(table_versions.WATCHED_TABLES))
def test_every_watched_table_has_a_token_and_its_triggers(table: str) -> None:
    assert token(table), f"the migration seeds a token for {table}"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND name LIKE 'aw_version_%%'",
                [table],
            )
            expected = 3  # insert, update, delete
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND tgname = 'aw_version'",
                [table],
            )
            expected = 1  # insert, update, delete and truncate, once per statement
        assert cursor.fetchone()[0] == expected


def test_tokens_change_on_insert_update_delete_and_bulk_update(users: dict[str, User]) -> None:
    seen = {token("accounts_membership")}
    victor = users["victor"]
    extra = Membership.objects.create(user=victor, role=Role.ANALYST)
    seen.add(token("accounts_membership"))
    Membership.objects.filter(pk=extra.pk).update(role=Role.REVIEWER)  # no signal fires here
    seen.add(token("accounts_membership"))
    _sql("DELETE FROM accounts_membership WHERE id = %s", [extra.pk])
    seen.add(token("accounts_membership"))
    assert len(seen) == 4 and None not in seen


def test_a_rolled_back_write_restores_the_token(users: dict[str, User]) -> None:
    before = token("auth_user")
    inside = []
    try:
        with transaction.atomic():
            User.objects.filter(username="victor").update(is_active=False)
            inside.append(token("auth_user"))
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert inside and inside[0] != before
    assert token("auth_user") == before


def test_repeated_requests_skip_the_orm_queries(client_for: ClientFor) -> None:
    client = client_for("victor")
    _me(client)  # fills this process's caches
    with CaptureQueriesContext(connection) as captured:
        assert _me(client)["username"] == "victor"
    reads = [q["sql"] for q in captured.captured_queries]
    assert reads, "the tokens are read from the database"
    assert all(table_versions.TOKEN_TABLE in sql for sql in reads), reads


def test_role_change_by_raw_sql_applies_on_the_next_request(client_for: ClientFor) -> None:
    client = client_for("victor")
    assert [m["role"] for m in _me(client)["memberships"]] == ["viewer"]  # type: ignore[union-attr]
    _sql("UPDATE accounts_membership SET role = 'analyst' WHERE role = 'viewer'")
    assert [m["role"] for m in _me(client)["memberships"]] == ["analyst"]  # type: ignore[union-attr]
    _sql("DELETE FROM accounts_membership")
    assert _me(client)["memberships"] == []
    assert client.get("/watchlist/").status_code == 403


def test_logout_elsewhere_ends_the_session_here(client_for: ClientFor) -> None:
    client = client_for("victor")
    assert client.get("/api/me").status_code == 200
    # Another worker logs the session out: it deletes the row, nothing tells this process.
    _sql("DELETE FROM django_session")
    assert client.get("/api/me").status_code == 401
    assert client.get("/watchlist/").status_code == 302


def test_logout_through_the_page_ends_the_cached_session(client_for: ClientFor) -> None:
    from web_personas import csrf_post

    client = client_for("victor")
    cookie = client.cookies["sessionid"].value
    assert client.get("/api/me").status_code == 200
    assert csrf_post(client, "/accounts/logout/").status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = cookie  # a copy of the cookie taken before logging out
    assert replay.get("/api/me").status_code == 401


def test_an_expired_session_is_refused_even_when_cached(client_for: ClientFor) -> None:
    client = client_for("victor")
    assert client.get("/api/me").status_code == 200
    _sql("UPDATE django_session SET expire_date = %s", ["2000-01-01 00:00:00"])
    assert client.get("/api/me").status_code == 401


def test_deactivation_and_password_change_by_bulk_update_log_the_user_out(
    client_for: ClientFor,
) -> None:
    client = client_for("victor")
    assert client.get("/api/me").status_code == 200
    User.objects.filter(username="victor").update(is_active=False)
    assert client.get("/api/me").status_code == 401
    User.objects.filter(username="victor").update(is_active=True)
    assert client.get("/api/me").status_code == 200
    # A new password invalidates every other session (Django's session hash), cached or not.
    User.objects.filter(username="victor").update(password="md5$x$y")
    assert client.get("/api/me").status_code == 401


def test_losing_superuser_status_applies_at_once(client_for: ClientFor) -> None:
    client = client_for("alice")
    assert _me(client)["superuser"] is True
    User.objects.filter(username="alice").update(is_superuser=False)
    assert _me(client)["superuser"] is False


def test_each_request_gets_its_own_user_object(client_for: ClientFor) -> None:
    from atrocity_watch.web.accounts.backends import CachedUserBackend

    victor = User.objects.get(username="victor")
    backend = CachedUserBackend()
    first, second = backend.get_user(victor.pk), backend.get_user(victor.pk)
    assert first is not None and second is not None
    assert first is not second and first == second
    first.first_name = "changed in one request"
    assert second.first_name != first.first_name
    assert backend.get_user(victor.pk).first_name == victor.first_name  # type: ignore[union-attr]


def test_approving_elsewhere_shows_on_the_next_read(users: dict[str, User]) -> None:
    from atrocity_watch.web.dashboard import assessment_status

    assert "SDN" not in assessment_status.latest_approved(None)
    Assessment = assessment_status._model()
    assert Assessment is not None
    draft = Assessment.objects.create(country="SDN", version=1, author=users["ana"])
    assert assessment_status.latest_approved(None) == {}
    assert [v.status for v in assessment_status.versions("SDN")] == ["draft"]
    Assessment.objects.filter(pk=draft.pk).update(status="approved")  # no signal
    assert assessment_status.latest_approved(None)["SDN"].pk == draft.pk
    assert [v.status for v in assessment_status.versions("SDN")] == ["approved"]


def test_a_table_without_a_token_is_never_cached(db: None) -> None:
    cache: TableCache[str, int] = TableCache("alerts_alert")
    loads = iter(range(100))
    assert cache.get("k", lambda: next(loads)) == cache.get("k", lambda: next(loads)) == 0
    _sql("DELETE FROM core_tableversion WHERE name = 'alerts_alert'")
    assert cache.get("k", lambda: next(loads)) == 1
    assert cache.get("k", lambda: next(loads)) == 2


def test_only_watched_tables_can_be_cached() -> None:
    with pytest.raises(ValueError, match="WATCHED_TABLES"):
        TableCache("evidence_document")
