"""Alert pages: the feed, one alert (acknowledge, assign, comment), and one's subscriptions."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from atrocity_watch.monitor import MONITORS
from atrocity_watch.web.accounts.permissions import (
    can,
    countries_for,
    ensure,
    require,
    scope_filter,
)
from atrocity_watch.web.alerts.charts import build_chart
from atrocity_watch.web.alerts.forms import AssignForm, CommentForm, FeedFilters, SubscriptionForm
from atrocity_watch.web.alerts.models import (
    Alert,
    Comment,
    Status,
    Subscription,
    new_webhook_secret,
)
from atrocity_watch.web.audit.log import record, snapshot
from atrocity_watch.web.core import geo

PER_PAGE = 50
# What the audit log keeps of a subscription: everything but its signing secret.
SUBSCRIPTION_FIELDS = (
    "user",
    "name",
    "countries",
    "regions",
    "monitors",
    "min_level",
    "email",
    "digest",
    "webhook_url",
    "active",
)


def _subscription_snapshot(subscription: Subscription) -> dict[str, object]:
    return snapshot(subscription, SUBSCRIPTION_FIELDS)


def user_of(request: HttpRequest) -> User:
    """The logged-in user (the views' decorators have already sent anonymous visitors away)."""
    user = request.user
    assert isinstance(user, User)
    return user


def filter_alerts(
    queryset: QuerySet[Alert], data: dict[str, object], user: User
) -> QuerySet[Alert]:
    """Apply the feed's (or the API's) filters to alerts already limited to the user's scope."""
    country = str(data.get("country") or "").upper()
    if country:
        queryset = queryset.filter(country=country)
    region = str(data.get("region") or "")
    if region:
        queryset = queryset.filter(country__in=sorted(geo.countries_of_region(region)))
    if data.get("monitor"):
        queryset = queryset.filter(monitor=data["monitor"])
    status = str(data.get("status") or "open")
    if status in (Status.OPEN, Status.CLOSED):
        queryset = queryset.filter(status=status)
    if data.get("level"):
        queryset = queryset.filter(level=data["level"])
    if data.get("source"):
        queryset = queryset.filter(source=data["source"])
    month = str(data.get("month") or "")
    if month:
        first = date(int(month[:4]), int(month[5:7]), 1)
        queryset = queryset.filter(opened_month__lte=first).filter(
            Q(closed_month__isnull=True) | Q(closed_month__gte=first)
        )
    if data.get("mine"):
        queryset = queryset.filter(assigned_to=user)
    return queryset


@require("view")
def feed(request: HttpRequest) -> HttpResponse:
    allowed = countries_for(request.user, "view")
    form = FeedFilters(request.GET or None, allowed=allowed)
    alerts = scope_filter(Alert.objects.all(), request.user, "view")
    if form.is_bound and form.is_valid():
        alerts = filter_alerts(alerts, form.cleaned_data, user_of(request))
    elif not form.is_bound:
        alerts = alerts.filter(status=Status.OPEN)
    else:
        alerts = alerts.none()
    page = Paginator(
        alerts.select_related("assigned_to", "acknowledged_by").order_by(
            "-last_month", "-score", "country"
        ),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alerts/feed.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # whether the user's countries have any alert at all (never counts others')
            "any_alert": scope_filter(Alert.objects.all(), request.user, "view").exists(),
            "sources_note": _sources_note(),
        },
    )


def _sources_note() -> list[dict[str, str]]:
    from atrocity_watch.sources import get_source

    return [
        {"title": spec.title, "licence": spec.licence, "citation": spec.citation}
        for spec in (get_source("ucdp_ged"), get_source("acled_events"))
    ]


def _country_page(iso3: str) -> str | None:
    try:
        return reverse("dashboard:country", kwargs={"iso3": iso3})
    except NoReverseMatch:
        return None


def _assignable(alert: Alert) -> list[tuple[str, str]]:
    """Users who may handle this alert's country (the people it can be assigned to)."""
    users = User.objects.filter(is_active=True).order_by("username")
    return [
        (u.username, u.get_full_name() or u.username)
        for u in users
        if can(u, "handle_alerts", alert.country)
    ]


def _get_alert(request: HttpRequest, pk: int, action: str = "view") -> Alert:
    alert = get_object_or_404(Alert, pk=pk)
    ensure(request.user, action, alert.country)
    return alert


@require("view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get_alert(request, pk)
    handle = can(request.user, "handle_alerts", alert.country)
    monitor = MONITORS[alert.monitor]
    return render(
        request,
        "alerts/detail.html",
        {
            "alert": alert,
            "monitor": monitor,
            "support": monitor.support(alert.source),
            "explanation": alert.explanation or {},
            "chart": build_chart(alert.series, alert.opened_month.isoformat()[:7]),
            "changes": alert.changes.all(),
            "comments": alert.comments.select_related("author"),
            "can_handle": handle,
            "comment_form": CommentForm() if handle else None,
            "assign_form": AssignForm(
                initial={"assignee": alert.assigned_to.username if alert.assigned_to else ""},
                candidates=_assignable(alert),
            )
            if handle
            else None,
            "country_page": _country_page(alert.country),
            "country_name": geo.country_name(alert.country),
        },
    )


def acknowledge_alert(alert: Alert, user: User, request: HttpRequest | None = None) -> bool:
    """Mark the alert acknowledged by ``user`` (audited); False when it already was."""
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is not None:
            return False
        before = snapshot(locked, ["acknowledged_by", "acknowledged_at"])
        locked.acknowledged_by = user
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
        record(
            "acknowledge",
            request=request,
            actor=user,
            obj=locked,
            country=locked.country,
            before=before,
            after=snapshot(locked, ["acknowledged_by", "acknowledged_at"]),
        )
    return True


def assign_alert(
    alert: Alert, assignee: User | None, user: User, request: HttpRequest | None = None
) -> None:
    """Assign the alert (None: to nobody), audited. The assignee must be able to handle it."""
    from django.core.exceptions import PermissionDenied

    if assignee is not None and not can(assignee, "handle_alerts", alert.country):
        raise PermissionDenied(
            f"{assignee.username} cannot handle alerts for {geo.country_name(alert.country)}: "
            "assign it to an analyst whose role covers the country."
        )
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        before = snapshot(locked, ["assigned_to"])
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to", "updated_at"])
        record(
            "assign",
            request=request,
            actor=user,
            obj=locked,
            country=locked.country,
            before=before,
            after=snapshot(locked, ["assigned_to"]),
        )


def add_comment(alert: Alert, text: str, user: User, request: HttpRequest | None = None) -> Comment:
    """Add a comment (audited)."""
    with transaction.atomic():
        comment = Comment.objects.create(alert=alert, author=user, text=text)
        record(
            "comment",
            request=request,
            actor=user,
            obj=alert,
            country=alert.country,
            after={"comment": comment.pk, "text": text},
        )
    return comment


@require_POST
@require("handle_alerts")
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get_alert(request, pk, "handle_alerts")
    if acknowledge_alert(alert, user_of(request), request):
        messages.success(request, "Alert acknowledged.")
    else:
        messages.info(request, "This alert had already been acknowledged.")
    return redirect("alerts:detail", pk=alert.pk)


@require_POST
@require("handle_alerts")
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get_alert(request, pk, "handle_alerts")
    form = AssignForm(request.POST, candidates=_assignable(alert))
    if not form.is_valid():
        messages.error(request, "Choose someone who can handle alerts for this country.")
        return redirect("alerts:detail", pk=alert.pk)
    username = form.cleaned_data["assignee"]
    assignee = User.objects.get(username=username) if username else None
    assign_alert(alert, assignee, user_of(request), request)
    messages.success(request, f"Assigned to {username}." if username else "Unassigned.")
    return redirect("alerts:detail", pk=alert.pk)


@require_POST
@require("handle_alerts")
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _get_alert(request, pk, "handle_alerts")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("alerts:detail", pk=alert.pk)
    add_comment(alert, form.cleaned_data["text"], user_of(request), request)
    messages.success(request, "Comment added.")
    return redirect(reverse("alerts:detail", kwargs={"pk": alert.pk}) + "#comments")


# -- subscriptions -----------------------------------------------------------------------------


def _own_subscription(request: HttpRequest, pk: int) -> Subscription:
    found = Subscription.objects.filter(pk=pk, user=user_of(request)).first()
    if found is None:
        raise Http404("You have no subscription with this number.")
    return found


def _check_email(form: SubscriptionForm, user: User) -> None:
    data = form.cleaned_data
    if (data.get("email") or data.get("digest")) and not user.email:
        form.add_error(
            None,
            "Your account has no e-mail address: add one on your account page, or use a "
            "webhook only.",
        )


@require("view")
def subscriptions(request: HttpRequest) -> HttpResponse:
    allowed = countries_for(request.user, "view")
    form = SubscriptionForm(request.POST or None, allowed=allowed)
    if request.method == "POST":
        if form.is_valid():
            _check_email(form, user_of(request))
        if form.is_valid():
            with transaction.atomic():
                subscription = form.save(commit=False)
                subscription.user = user_of(request)
                subscription.save()
                record(
                    "create",
                    request=request,
                    obj=subscription,
                    after=_subscription_snapshot(subscription),
                )
            return render(
                request,
                "alerts/subscription_secret.html",
                {"subscription": subscription, "created": True},
            )
    mine = Subscription.objects.filter(user=user_of(request))
    return render(request, "alerts/subscriptions.html", {"form": form, "subscriptions": mine})


@require("view")
def subscription(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_subscription(request, pk)
    allowed = countries_for(request.user, "view")
    form = SubscriptionForm(request.POST or None, instance=found, allowed=allowed)
    if request.method == "POST":
        if form.is_valid():
            _check_email(form, user_of(request))
        if form.is_valid():
            with transaction.atomic():
                before = _subscription_snapshot(Subscription.objects.get(pk=found.pk))
                saved = form.save()
                record(
                    "edit",
                    request=request,
                    obj=saved,
                    before=before,
                    after=_subscription_snapshot(saved),
                )
            messages.success(request, "Subscription saved.")
            return redirect("alerts:subscriptions")
    deliveries = found.notifications.select_related("change__alert").order_by("-created_at")[:20]
    return render(
        request,
        "alerts/subscription_form.html",
        {"form": form, "subscription": found, "deliveries": deliveries},
    )


@require_POST
@require("view")
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own_subscription(request, pk)
    with transaction.atomic():
        record("delete", request=request, obj=found, before=_subscription_snapshot(found))
        found.delete()
    messages.success(request, "Subscription deleted.")
    return redirect("alerts:subscriptions")


@require_POST
@require("view")
def subscription_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a new signing secret and show it once."""
    found = _own_subscription(request, pk)
    with transaction.atomic():
        found.webhook_secret = new_webhook_secret()
        found.save(update_fields=["webhook_secret"])
        record("edit", request=request, obj=found, after={"webhook_secret": "replaced"})
    return render(
        request, "alerts/subscription_secret.html", {"subscription": found, "created": False}
    )
