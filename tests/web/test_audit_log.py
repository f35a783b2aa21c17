"""The audit log: every write recorded, append-only, and tampering shows in `audit_verify`."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from atrocity_watch.web.audit import triggers
from atrocity_watch.web.audit.log import GENESIS, compute_hash, record, verify
from atrocity_watch.web.audit.models import AuditEvent, AuditLogError

pytestmark = pytest.mark.django_db


def _three(users) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return [
        record(
            "edit",
            actor=users["ana"],
            object_repr=f"thing {n}",
            before={"n": n},
            after={"n": n + 1},
        )
        for n in range(3)
    ]


def _tamper(sql: str, params: list[object]) -> None:
    """What an attacker with database access does: drop the guard, then change the rows."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    triggers.install(connection)


def test_events_are_chained(users) -> None:  # type: ignore[no-untyped-def]
    first, second, third = _three(users)
    assert first.sequence == 1 and first.previous_hash == GENESIS
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    assert compute_hash(AuditEvent.objects.get(pk=second.pk)) == second.hash
    result = verify()
    assert result.ok and result.checked == 3 and result.head_hash == third.hash


def test_model_refuses_update_and_delete(users) -> None:  # type: ignore[no-untyped-def]
    event = _three(users)[0]
    event.object_repr = "changed"
    with pytest.raises(AuditLogError, match="append-only"):
        event.save()
    with pytest.raises(AuditLogError, match="append-only"):
        event.delete()
    with pytest.raises(AuditLogError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="x")
    with pytest.raises(AuditLogError, match="append-only"):
        AuditEvent.objects.all().delete()


def test_database_refuses_raw_update_and_delete(users) -> None:  # type: ignore[no-untyped-def]
    event = _three(users)[0]
    for sql in (
        "UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "thing 0"


def test_changed_event_is_found(users) -> None:  # type: ignore[no-untyped-def]
    events = _three(users)
    _tamper(
        "UPDATE audit_auditevent SET after = %s WHERE id = %s",
        [json.dumps({"n": 99}), events[1].pk],
    )
    result = verify()
    assert not result.ok and result.broken_at == 2
    assert "changed after it was written" in result.reason
    with pytest.raises(CommandError, match="BROKEN at event #2"):
        call_command("audit_verify")


def test_removed_event_is_found(users) -> None:  # type: ignore[no-untyped-def]
    events = _three(users)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = verify()
    assert result.broken_at == 2 and "missing" in result.reason


def test_rehashed_event_breaks_the_next_link(users) -> None:  # type: ignore[no-untyped-def]
    """Recomputing the changed event's own hash is not enough: the next event points elsewhere."""
    events = _three(users)
    forged = AuditEvent.objects.get(pk=events[0].pk)
    forged.after = {"n": 1000}
    _tamper(
        "UPDATE audit_auditevent SET after = %s, hash = %s WHERE id = %s",
        [json.dumps({"n": 1000}), compute_hash(forged), events[0].pk],
    )
    result = verify()
    assert result.broken_at == 2 and "does not point" in result.reason


def test_removed_tail_is_found_through_the_head(users) -> None:  # type: ignore[no-untyped-def]
    events = _three(users)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = verify()
    assert result.broken_at == 3 and "removed from the end" in result.reason


def test_intact_log_command_output(users, capsys) -> None:  # type: ignore[no-untyped-def]
    _three(users)
    call_command("audit_verify")
    assert "Audit log intact: 3 events checked" in capsys.readouterr().out
    call_command("audit_verify", "--json")
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_write_and_event_share_the_transaction(users) -> None:  # type: ignore[no-untyped-def]
    """When the write fails after recording, the event is rolled back with it."""
    before = AuditEvent.objects.count()

    def failing_write() -> None:
        with transaction.atomic():
            record("edit", actor=users["ana"], object_repr="doomed")
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        failing_write()
    assert AuditEvent.objects.count() == before
    assert verify().ok


def test_admin_browses_with_filters(users, client_for) -> None:  # type: ignore[no-untyped-def]
    _three(users)
    record("approve", actor=users["rita"], object_repr="SDN v2", country="SDN")
    client = client_for("alice")
    page = client.get("/audit/", {"action": "approve"}).content.decode()
    assert "SDN v2" in page and "thing 0" not in page
    page = client.get("/audit/", {"user": "ana"}).content.decode()
    assert "thing 2" in page and "SDN v2" not in page
    page = client.get("/audit/", {"since": "2100-01-01"}).content.decode()
    assert "No entries match" in page
    bad = client.get("/audit/", {"since": "2025-02-01", "until": "2025-01-01"})
    assert "must not be after" in bad.content.decode()
    detail = client.get("/audit/4/").content.decode()
    assert "SDN v2" in detail and "Seal (SHA-256)" in detail


def test_role_changes_in_the_admin_site_are_audited(users, client_for) -> None:  # type: ignore[no-untyped-def]
    from web_personas import csrf_post

    from atrocity_watch.web.accounts.models import Membership

    alice = client_for("alice")
    response = csrf_post(
        alice,
        "/admin/accounts/membership/add/",
        {
            "user": users["nora"].pk,
            "role": "analyst",
            "scope_kind": "region",
            "scope_code": "africa",
        },
    )
    assert response.status_code == 302, re.findall(
        r"errorlist.*?</ul>", response.content.decode(), re.S
    )
    membership = Membership.objects.get(user=users["nora"])
    assert membership.scope_code == "002"  # stored as the M49 code, whatever was typed
    event = AuditEvent.objects.get(action="role_change")
    assert event.actor_name == "alice" and event.after["role"] == "analyst"
    bad = csrf_post(
        alice,
        "/admin/accounts/membership/add/",
        {
            "user": users["nora"].pk,
            "role": "viewer",
            "scope_kind": "organisation",
            "scope_code": "XYZ",
        },
    )
    assert bad.status_code == 200 and "Unknown organisation" in bad.content.decode()
    csrf_post(alice, f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    removed = AuditEvent.objects.filter(action="role_change").order_by("-sequence").first()
    assert removed.before["role"] == "analyst" and removed.after is None  # type: ignore[union-attr]
    assert verify().ok


def test_staff_flag_change_is_a_role_change(users, client_for) -> None:  # type: ignore[no-untyped-def]
    from web_personas import csrf_post

    alice = client_for("alice")
    page = alice.get(f"/admin/auth/user/{users['nora'].pk}/change/").content.decode()
    assert "nora" in page
    nora = users["nora"]
    data = {
        "username": "nora",
        "email": nora.email,
        "first_name": "Nora",
        "last_name": "",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": nora.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": nora.date_joined.strftime("%H:%M:%S"),
    }
    response = csrf_post(alice, f"/admin/auth/user/{nora.pk}/change/", data)
    assert response.status_code == 302, re.findall(
        r"errorlist.*?</ul>", response.content.decode(), re.S
    )
    event = AuditEvent.objects.get(action="role_change", object_type="auth.user")
    assert event.before["is_staff"] is False and event.after["is_staff"] is True
    assert "password" not in event.after  # never the password hash
