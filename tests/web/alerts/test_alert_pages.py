"""The alert pages and endpoints: feed, alert page, follow-up actions, scope, ACLED aggregates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from web_personas import csrf_post

from atrocity_watch.web.alerts.models import Alert, Comment, Subscription
from atrocity_watch.web.audit.models import AuditEvent

SDN_2022 = "civilians_killed_by_government/ucdp_ged/SDN/2022-07"
ACLED_SDN = "sexual_violence/acled_events/SDN/2022-08"


def _alert(key: str) -> Alert:
    return Alert.objects.get(key=key)


def _rows(html: str) -> int:
    return html.count("<tr data-alert=")


def test_feed_shows_open_alerts_within_the_role(synced: Any, client_for: Any) -> None:
    assert _rows(client_for("victor").get("/alerts/").content.decode()) == 3
    vera = client_for("vera").get("/alerts/").content.decode()  # Asia only
    assert _rows(vera) == 1 and "MMR" in vera and "SDN" not in vera
    assert ">Myanmar</a>" in vera and 'href="/countries/MMR/"' in vera  # names for people
    amara = client_for("amara").get("/alerts/").content.decode()  # AU members only
    assert _rows(amara) == 2 and "MMR" not in amara
    assert client_for("nora").get("/alerts/").status_code == 403


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("status=all", 4),
        ("status=all&country=SDN", 3),
        ("status=all&month=2020-04", 1),
        ("status=closed", 1),
        ("monitor=sexual_violence", 1),
        ("source=ucdp_ged&level=critical", 1),
        ("region=142", 1),
    ],
)
def test_feed_filters(synced: Any, client_for: Any, query: str, rows: int) -> None:
    html = client_for("victor").get(f"/alerts/?{query}").content.decode()
    assert _rows(html) == rows, html[:2000]


def test_a_bad_filter_is_reported_not_ignored(synced: Any, client_for: Any) -> None:
    html = client_for("victor").get("/alerts/?month=June").content.decode()
    assert "Write the month as YYYY-MM" in html and _rows(html) == 0


def test_feed_without_alerts_says_how_to_get_them(db: None, users: Any, client_for: Any) -> None:
    html = client_for("victor").get("/alerts/").content.decode()
    assert "No alerts yet" in html and "atrocity-watch monitor run" in html


def test_alert_page_explains_and_charts(synced: Any, client_for: Any) -> None:
    alert = _alert(SDN_2022)
    html = client_for("victor").get(f"/alerts/{alert.pk}/").content.decode()
    assert "Civilians killed by government forces — Sudan" in html
    assert "against a baseline of" in html and "2021-08 to 2022-07" in html
    assert "<svg" in html and 'class="chart-threshold"' in html and 'class="chart-baseline"' in html
    assert 'data-events="list"' in html and alert.explanation["events"][0]["id"] in html
    assert "Targeted killing" in html or "10.2" in html
    assert 'href="/countries/SDN/"' in html
    assert "Acknowledge" not in html  # a viewer cannot handle alerts
    assert "style=" not in html.split("<main", 1)[1]  # the CSP forbids inline styles


def test_acled_alerts_show_aggregates_only(synced: Any, client_for: Any) -> None:
    alert = _alert(ACLED_SDN)
    client = client_for("victor")
    pages = [
        client.get(f"/alerts/{alert.pk}/").content.decode(),
        client.get("/alerts/?status=all").content.decode(),
        client.get(f"/api/alerts/{alert.pk}").content.decode(),
        client.get("/api/alerts?status=all").content.decode(),
    ]
    assert 'data-aggregates="areas"' in pages[0] and "South Darfur" in pages[0]
    assert 'data-events="list"' not in pages[0]
    assert "licence does not allow showing single events" in pages[0]
    for text in pages:
        assert "SUD9" not in text and "NOTE-SECRET" not in text


def test_acknowledge_assign_and_comment_are_audited(
    synced: Any, client_for: Any, users: Any
) -> None:
    alert = _alert(SDN_2022)
    ana = client_for("ana")
    assert "Acknowledge" in ana.get(f"/alerts/{alert.pk}/").content.decode()
    assert csrf_post(ana, f"/alerts/{alert.pk}/acknowledge/").status_code == 302
    assert csrf_post(ana, f"/alerts/{alert.pk}/assign/", {"assignee": "amara"}).status_code == 302
    assert (
        csrf_post(
            ana, f"/alerts/{alert.pk}/comments/", {"text": "Checked with the field office."}
        ).status_code
        == 302
    )
    alert.refresh_from_db()
    assert alert.acknowledged_by == users["ana"] and alert.assigned_to == users["amara"]
    assert Comment.objects.get(alert=alert).text == "Checked with the field office."
    actions = list(
        AuditEvent.objects.filter(object_type="alerts.alert", object_id=str(alert.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["acknowledge", "assign", "comment"]
    page = client_for("victor").get(f"/alerts/{alert.pk}/").content.decode()
    assert "Acknowledged by ana" in page and "Assigned to amara" in page and "field office" in page


def test_follow_up_needs_the_analyst_role_for_the_country(synced: Any, client_for: Any) -> None:
    sudan, myanmar = _alert(SDN_2022), Alert.objects.get(country="MMR")
    assert csrf_post(client_for("victor"), f"/alerts/{sudan.pk}/acknowledge/").status_code == 403
    # amara is an analyst for AU members: Sudan yes, Myanmar no
    assert csrf_post(client_for("amara"), f"/alerts/{sudan.pk}/acknowledge/").status_code == 302
    assert csrf_post(client_for("amara"), f"/alerts/{myanmar.pk}/acknowledge/").status_code == 403
    # an assignee must be able to handle the country: vera (viewer, Asia) cannot
    bad = csrf_post(client_for("ana"), f"/alerts/{sudan.pk}/assign/", {"assignee": "vera"})
    assert bad.status_code == 302
    sudan.refresh_from_db()
    assert sudan.assigned_to is None
    assert (
        csrf_post(client_for("ana"), f"/alerts/{sudan.pk}/comments/", {"text": "   "}).status_code
        == 302
    )
    assert not Comment.objects.exists()


def test_api_lists_filters_and_acts(synced: Any, client_for: Any) -> None:
    ana = client_for("ana")
    listed = ana.get("/api/alerts?country=SDN&status=all").json()
    assert listed["count"] == 3
    first = listed["items"][0]
    assert {
        "country",
        "monitor",
        "level",
        "value",
        "baseline",
        "score",
        "indicators",
        "url",
    } <= set(first)
    assert client_for("vera").get("/api/alerts?country=SDN&status=all").json()["count"] == 0
    assert ana.get("/api/alerts?month=June").status_code == 422
    assert ana.get("/api/alerts?monitor=massacres").status_code == 422
    sudan = _alert(SDN_2022)
    assert client_for("vera").get(f"/api/alerts/{sudan.pk}").status_code == 403
    assert ana.get("/api/alerts/999999").status_code == 404
    detail = ana.get(f"/api/alerts/{sudan.pk}").json()
    assert [c["kind"] for c in detail["changes"]] == ["opened", "de-escalated"]
    assert detail["explanation"]["summary"] and detail["series"]
    # a session (browser) write without the CSRF token is refused, and changes nothing
    assert ana.post(f"/api/alerts/{sudan.pk}/acknowledge").status_code == 403
    sudan.refresh_from_db()
    assert sudan.acknowledged_at is None


def test_api_writes_with_a_token(synced: Any, users: Any) -> None:
    from django.test import Client

    from atrocity_watch.web.accounts.models import ApiToken

    _, raw = ApiToken.issue(users["ana"], "script")
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    sudan = _alert(SDN_2022)
    ack = api.post(f"/api/alerts/{sudan.pk}/acknowledge", **auth)
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == "ana"
    assigned = api.post(
        f"/api/alerts/{sudan.pk}/assign",
        json.dumps({"assignee": "rita"}),
        content_type="application/json",
        **auth,
    )
    assert assigned.json()["assigned_to"] == "rita"
    refused = api.post(
        f"/api/alerts/{sudan.pk}/assign",
        json.dumps({"assignee": "vera"}),
        content_type="application/json",
        **auth,
    )
    assert (
        refused.status_code == 422 and "cannot handle alerts for Sudan" in refused.json()["detail"]
    )
    comment = api.post(
        f"/api/alerts/{sudan.pk}/comments",
        json.dumps({"text": "From a script."}),
        content_type="application/json",
        **auth,
    )
    assert comment.status_code == 201 and comment.json()["author"] == "ana"
    empty = api.post(
        f"/api/alerts/{sudan.pk}/comments",
        json.dumps({"text": ""}),
        content_type="application/json",
        **auth,
    )
    assert empty.status_code == 422
    monitors = api.get("/api/monitors", **auth).json()
    assert {m["name"] for m in monitors} >= {"sexual_violence", "neighbour_spillover"}


def test_alerts_appear_on_the_country_page_and_watchlist(synced: Any, client_for: Any) -> None:
    sudan = _alert(SDN_2022)
    page = client_for("victor").get("/countries/SDN/").content.decode()
    assert f'href="/alerts/{sudan.pk}/"' in page and "Civilians killed by government forces" in page
    assert "No alert monitoring data yet" not in page
    asia = client_for("vera").get("/countries/MMR/").content.decode()
    assert f'href="/alerts/{sudan.pk}/"' not in asia


def test_subscriptions_are_private_and_audited(
    db: None, users: Any, client_for: Any, settings: Any
) -> None:
    ana = client_for("ana")
    response = csrf_post(
        ana,
        "/alerts/subscriptions/",
        {
            "name": "Horn of Africa",
            "regions": ["014"],
            "min_level": "critical",
            "email": "on",
            "active": "on",
            "webhook_url": "https://hooks.example.org/aw",
        },
    )
    assert response.status_code == 200
    saved = Subscription.objects.get(user=users["ana"])
    assert saved.webhook_secret in response.content.decode()  # shown once, here
    event = AuditEvent.objects.get(object_type="alerts.subscription", action="create")
    assert "webhook_secret" not in json.dumps(
        event.after
    ) and saved.webhook_secret not in json.dumps(event.after)
    assert client_for("rita").get(f"/alerts/subscriptions/{saved.pk}/").status_code == 404
    page = ana.get(f"/alerts/subscriptions/{saved.pk}/").content.decode()
    assert saved.webhook_secret not in page  # never shown again
    rotated = csrf_post(ana, f"/alerts/subscriptions/{saved.pk}/secret/")
    saved.refresh_from_db()
    assert saved.webhook_secret in rotated.content.decode()
    assert (
        csrf_post(client_for("rita"), f"/alerts/subscriptions/{saved.pk}/delete/").status_code
        == 404
    )
    assert csrf_post(ana, f"/alerts/subscriptions/{saved.pk}/delete/").status_code == 302
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "x", "min_level": "warning", "email": "on"},
            "Choose at least one country or region",
        ),
        ({"name": "x", "countries": ["SDN"], "min_level": "warning"}, "Choose how to be told"),
        (
            {
                "name": "x",
                "countries": ["SDN"],
                "min_level": "warning",
                "webhook_url": "http://hooks.example.org/aw",
            },
            "Webhooks go to https:// addresses only",
        ),
        (
            {"name": "x", "countries": ["MMR"], "min_level": "warning", "email": "on"},
            "Select a valid choice",
        ),
    ],
)
def test_bad_subscriptions_are_explained(
    db: None, users: Any, client_for: Any, data: dict[str, Any], message: str
) -> None:
    # amara's role covers AU members only, so Myanmar is not among her choices
    response = csrf_post(client_for("amara"), "/alerts/subscriptions/", {"active": "on", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()
