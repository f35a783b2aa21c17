"""Alert endpoints: ``/api/alerts`` (list, detail, acknowledge, assign, comments) and
``/api/monitors``, under the same roles and scopes as the pages.

Listing is for viewers of a country; acknowledging, assigning and commenting need the analyst
role for the alert's country (``handle_alerts``). ACLED alerts carry aggregates only.
"""

# No `from __future__ import annotations`: django-ninja builds its models from evaluated
# annotations.

import datetime as dt
import re
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from atrocity_watch.monitor import MONITORS
from atrocity_watch.web.accounts.permissions import can, ensure, scope_filter
from atrocity_watch.web.alerts.models import Alert
from atrocity_watch.web.alerts.notify import absolute, country_url
from atrocity_watch.web.alerts.views import (
    acknowledge_alert,
    add_comment,
    assign_alert,
    filter_alerts,
    user_of,
)
from atrocity_watch.web.core import geo

router = Router(tags=["alerts"])
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class AlertFilters(Schema):
    country: str = ""
    region: str = ""
    monitor: str = ""
    status: str = "open"
    level: str = ""
    source: str = ""
    month: str = ""


class AlertOut(Schema):
    id: int
    url: str
    country: str
    country_name: str
    country_url: str | None
    adm1: str | None
    monitor: str
    monitor_title: str
    source: str
    status: str
    level: str
    opened: str
    closed: str | None
    last_month: str
    last_data_month: str
    value: float | None
    baseline: float | None
    score: float | None
    indicators: list[str]
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    assigned_to: str | None


class ChangeOut(Schema):
    kind: str
    month: str
    level: str | None
    value: float | None
    baseline: float | None
    score: float | None
    summary: str
    notified: bool


class CommentOut(Schema):
    id: int
    author: str | None
    text: str
    created_at: dt.datetime


class AlertDetailOut(AlertOut):
    explanation: dict[str, Any]
    series: list[dict[str, Any]]
    rule: dict[str, Any]
    changes: list[ChangeOut]
    comments: list[CommentOut]


class AssignBody(Schema):
    assignee: str | None = None


class CommentBody(Schema):
    text: str


class MonitorOut(Schema):
    name: str
    title: str
    description: str
    unit: str
    indicators: list[str]
    subnational: bool
    threshold: dict[str, Any]
    sources: list[dict[str, Any]]


def _month(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()[:7]


def alert_out(alert: Alert) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": alert.pk,
        "url": absolute(reverse("alerts:detail", kwargs={"pk": alert.pk})),
        "country": alert.country,
        "country_name": geo.country_name(alert.country),
        "country_url": country_url(alert.country),
        "adm1": alert.adm1 or None,
        "monitor": alert.monitor,
        "monitor_title": alert.title,
        "source": alert.source,
        "status": alert.status,
        "level": alert.level,
        "opened": _month(alert.opened_month),
        "closed": _month(alert.closed_month),
        "last_month": _month(alert.last_month),
        "last_data_month": _month(alert.last_data_month),
        "value": alert.value,
        "baseline": alert.baseline,
        "score": alert.score,
        "indicators": list(alert.indicators),
        "acknowledged_by": alert.acknowledged_by.username if alert.acknowledged_by else None,
        "acknowledged_at": alert.acknowledged_at,
        "assigned_to": alert.assigned_to.username if alert.assigned_to else None,
    }


def _detail(alert: Alert) -> dict[str, Any]:
    return {
        **alert_out(alert),
        "explanation": alert.explanation,
        "series": alert.series,
        "rule": alert.rule,
        "changes": [
            {
                "kind": c.kind,
                "month": _month(c.month),
                "level": c.level or None,
                "value": c.value,
                "baseline": c.baseline,
                "score": c.score,
                "summary": c.summary,
                "notified": c.notify,
            }
            for c in alert.changes.all()
        ],
        "comments": [
            {
                "id": c.pk,
                "author": c.author.username if c.author else None,
                "text": c.text,
                "created_at": c.created_at,
            }
            for c in alert.comments.select_related("author")
        ],
    }


def _get(request: HttpRequest, alert_id: int, action: str = "view") -> Alert:
    alert = (
        Alert.objects.select_related("acknowledged_by", "assigned_to").filter(pk=alert_id).first()
    )
    if alert is None:
        raise Http404(f"There is no alert {alert_id}.")
    ensure(request.user, action, alert.country)
    return alert


@router.get("/alerts", response=list[AlertOut])
@paginate(LimitOffsetPagination)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> Any:
    """Alerts in the countries your role covers, newest first.

    Filters: ``country`` (ISO3), ``region`` (UN M49 code), ``monitor``, ``status`` (open,
    closed or all; default open), ``level``, ``source``, ``month`` (YYYY-MM: active that month).
    """
    ensure(request.user, "view")
    data = filters.dict()
    if data["month"] and not _MONTH.match(data["month"]):
        raise HttpError(422, "month: write it as YYYY-MM, for example 2022-06.")
    if data["monitor"] and data["monitor"] not in MONITORS:
        raise HttpError(
            422, f"monitor: there is no monitor {data['monitor']!r}; see /api/monitors."
        )
    if data["status"] not in ("open", "closed", "all"):
        raise HttpError(422, "status: open, closed or all.")
    if data["region"]:
        try:
            data["region"] = geo.canonical_region(data["region"])
        except geo.ScopeError as exc:
            raise HttpError(422, f"region: {exc}") from None
    alerts = scope_filter(Alert.objects.all(), request.user, "view")
    alerts = filter_alerts(alerts, data, user_of(request))
    return [
        alert_out(a)
        for a in alerts.select_related("acknowledged_by", "assigned_to").order_by(
            "-last_month", "-score", "country", "id"
        )
    ]


@router.get("/alerts/{alert_id}", response=AlertDetailOut)
def get_alert(request: HttpRequest, alert_id: int) -> Any:
    """One alert with its explanation, series, rule, history and comments."""
    return _detail(_get(request, alert_id))


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request: HttpRequest, alert_id: int) -> Any:
    """Acknowledge the alert (analysts of its country). Acknowledging twice changes nothing."""
    alert = _get(request, alert_id, "handle_alerts")
    acknowledge_alert(alert, user_of(request), request)
    return alert_out(_get(request, alert_id))


@router.post("/alerts/{alert_id}/assign", response=AlertOut)
def assign(request: HttpRequest, alert_id: int, body: AssignBody) -> Any:
    """Assign the alert to an analyst whose role covers its country (null: to nobody)."""
    alert = _get(request, alert_id, "handle_alerts")
    assignee = None
    if body.assignee:
        assignee = User.objects.filter(username=body.assignee, is_active=True).first()
        if assignee is None:
            raise HttpError(422, f"assignee: there is no active user {body.assignee!r}.")
    if assignee is not None and not can(assignee, "handle_alerts", alert.country):
        raise HttpError(
            422,
            f"assignee: {assignee.username} cannot handle alerts for "
            f"{geo.country_name(alert.country)}; choose an analyst whose role covers it.",
        )
    assign_alert(alert, assignee, user_of(request), request)
    return alert_out(_get(request, alert_id))


@router.post("/alerts/{alert_id}/comments", response={201: CommentOut})
def comment(request: HttpRequest, alert_id: int, body: CommentBody) -> Any:
    """Add a comment (analysts of the alert's country)."""
    alert = _get(request, alert_id, "handle_alerts")
    text = body.text.strip()
    if not text or len(text) > 4000:
        raise HttpError(422, "text: write between 1 and 4,000 characters.")
    created = add_comment(alert, text, user_of(request), request)
    return Status(
        201,
        {
            "id": created.pk,
            "author": request.user.username,
            "text": created.text,
            "created_at": created.created_at,
        },
    )


@router.get("/monitors", response=list[MonitorOut])
def list_monitors(request: HttpRequest) -> Any:
    """The monitors, the Framework indicators they inform and how each source supports them."""
    ensure(request.user, "view")
    return [m.as_dict() for m in MONITORS.values()]


ROUTERS = [("", router)]
