"""Signals → alerts: the known episodes, idempotence, history, thresholds per region."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from atrocity_watch.monitor import MissingInputError
from atrocity_watch.web.alerts.models import Alert, AlertChange, Threshold
from atrocity_watch.web.alerts.sync import sync_alerts
from atrocity_watch.web.audit.models import AuditEvent

SDN_2022 = "civilians_killed_by_government/ucdp_ged/SDN/2022-07"
SDN_2020 = "civilians_killed_by_government/ucdp_ged/SDN/2020-03"
MMR_2022 = "civilians_killed_by_government/ucdp_ged/MMR/2022-08"
ACLED_SDN = "sexual_violence/acled_events/SDN/2022-08"


def _changes(key: str) -> list[tuple[str, str, str, bool]]:
    return [
        (c.kind, c.month.isoformat()[:7], c.level, c.notify)
        for c in AlertChange.objects.filter(alert__key=key).order_by("month", "id")
    ]


def test_sync_opens_the_known_alerts(synced: Any) -> None:
    assert set(Alert.objects.values_list("key", flat=True)) == {
        SDN_2022,
        SDN_2020,
        MMR_2022,
        ACLED_SDN,
    }
    assert _changes(SDN_2022) == [
        ("opened", "2022-07", "critical", True),
        ("de-escalated", "2022-08", "warning", True),
    ]
    alert = Alert.objects.get(key=SDN_2022)
    assert (alert.status, alert.level, alert.value) == ("open", "warning", 90.0)
    assert alert.explanation["month"] == "2022-08"
    assert "Sudan" in alert.explanation["summary"]
    assert alert.explanation["events"][0]["deaths"] == 90
    assert alert.explanation["events"][0]["id"].isdigit()
    assert [i["number"] for i in alert.explanation["indicators"]] == ["2.1", "7.8", "10.2", "11.1"]
    months = [p["month"] for p in alert.series]
    assert months[0] == "2020-07" and months[-1] == "2022-08"  # 24 months before it opened
    assert all(p["threshold"] is not None for p in alert.series[-12:])


def test_old_episodes_are_history_never_notified(synced: Any) -> None:
    assert _changes(SDN_2020) == [
        ("opened", "2020-03", "critical", False),
        ("closed", "2020-06", "", False),
    ]
    old = Alert.objects.get(key=SDN_2020)
    assert old.status == "closed" and old.closed_month == dt.date(2020, 6, 1)
    assert synced.as_dict()["to_notify"] == 4  # the three 2022 alerts' four changes


def test_sync_twice_changes_nothing(synced: Any) -> None:
    before = AlertChange.objects.count()
    again = sync_alerts()
    assert (again.created, again.updated, again.changes, again.new_changes) == (0, 0, 0, [])
    assert again.unchanged == 4
    assert AlertChange.objects.count() == before


def test_acknowledgement_and_assignment_survive_a_sync(synced: Any, users: dict[str, Any]) -> None:
    Alert.objects.filter(key=SDN_2022).update(
        acknowledged_by=users["ana"],
        acknowledged_at=dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
        assigned_to=users["rita"],
    )
    sync_alerts()
    alert = Alert.objects.get(key=SDN_2022)
    assert alert.acknowledged_by == users["ana"] and alert.assigned_to == users["rita"]


def test_a_stricter_rule_for_africa_withdraws_the_sudan_alert(synced: Any) -> None:
    rule = Threshold(monitor="sexual_violence", region="Africa", min_score=9.5, escalate_score=9.8)
    rule.full_clean()
    rule.save()
    assert rule.region == "002"  # stored as the M49 code
    report = sync_alerts()
    assert report.withdrawn == 1
    acled = Alert.objects.get(key=ACLED_SDN)
    assert acled.status == "closed"
    assert _changes(ACLED_SDN)[-1][0] == "withdrawn"
    assert Alert.objects.get(key=MMR_2022).status == "open"


def test_subnational_rule_raises_alerts_per_subdivision(synced: Any) -> None:
    Threshold.objects.create(monitor="civilians_killed_by_government", region="", subnational=True)
    sync_alerts()
    subdivision = Alert.objects.get(
        key="civilians_killed_by_government/ucdp_ged/SDN/North Darfur state/2022-07"
    )
    assert subdivision.adm1 == "North Darfur state"
    assert subdivision.rule["subnational"] is True


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"region": "Atlantis"}, "Unknown M49 region 'Atlantis'"),
        ({"min_score": 0}, "'min_score' threshold must be a number in (0, 10]"),
        ({"min_score": 4, "escalate_score": 3}, "'escalate_score' threshold must be at least"),
    ],
)
def test_bad_thresholds_are_refused(db: None, fields: dict[str, Any], message: str) -> None:
    rule = Threshold(monitor="sexual_violence", **fields)
    with pytest.raises(ValidationError, match=re.escape(message)):
        rule.full_clean()


def test_threshold_edits_in_the_admin_are_audited(client_for: Any) -> None:
    from web_personas import csrf_post

    client = client_for("alice")
    response = csrf_post(
        client,
        "/admin/alerts/threshold/add/",
        {
            "monitor": "sexual_violence",
            "region": "Eastern Africa",
            "min_score": "2.5",
            "escalate_score": "3.5",
            "min_value": "3",
            "quiet_months": "4",
            "note": "Fewer false alarms in the Horn.",
        },
    )
    assert response.status_code == 302, response.content[:500]
    saved = Threshold.objects.get()
    assert saved.region == "014"
    event = AuditEvent.objects.filter(object_type="alerts.threshold").get()
    assert event.action == "create" and event.after["min_score"] == 2.5


def test_sync_sync_is_recorded_in_the_audit_log(synced: Any) -> None:
    event = AuditEvent.objects.filter(action="sync_alerts").get()
    assert event.after["created"] == 4


def test_without_signals_the_error_says_what_to_run(db: None, tmp_path: Path) -> None:
    with pytest.raises(
        MissingInputError, match="no monitor signals yet: run `atrocity-watch monitor run`"
    ):
        sync_alerts()
    with pytest.raises(CommandError, match="no monitor signals yet"):
        call_command("sync_alerts", "--no-send")
    assert Alert.objects.count() == 0


def test_command_prints_a_summary(alert_home: Path, db: None, capsys: Any) -> None:
    call_command("sync_alerts", "--no-send", "--json")
    out = capsys.readouterr().out
    assert '"created": 4' in out and '"notifications_queued": 0' in out


def test_make_run_step_syncs_alerts(alert_home: Path, users: dict[str, Any]) -> None:
    from atrocity_watch.web import launch

    assert launch.sync_alerts().startswith("Alerts: 4 new, 0 updated")
    assert launch.sync_alerts().startswith("Alerts: 0 new, 0 updated")


def test_make_run_step_without_signals_says_so(db: None) -> None:
    from atrocity_watch.web import launch

    assert launch.sync_alerts() == "No monitor signals yet, so no alerts."
