"""From the warehouse's signals to the app's alerts: open, update and close them, idempotently.

``sync_alerts()`` reads ``monitor_signals``, walks the rules with the thresholds administrators
set per region, and for each episode creates or updates one :class:`Alert` (by the library's
episode key) and the :class:`AlertChange` rows it lacks. Running it twice changes nothing.
Changes in months older than ``NOTIFY_WINDOW`` months before the source's latest month are
recorded as history and never notified (the first run over decades of data must not send
thousands of e-mails). An open alert the rules no longer raise (thresholds raised, data revised)
is closed with a ``withdrawn`` change.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db import transaction

from atrocity_watch.monitor import (
    AlertEpisode,
    Monitor,
    SignalSet,
    add_months,
    alert_episodes,
    alert_value,
    explain,
    get_monitor,
    month_label,
    open_events,
    points_of,
    read_signals,
    summary_text,
)
from atrocity_watch.monitor import Threshold as ThresholdRule
from atrocity_watch.web.alerts.models import (
    Alert,
    AlertChange,
    ChangeKind,
    Level,
    Status,
    Threshold,
)
from atrocity_watch.web.audit.log import record

log = logging.getLogger(__name__)

NOTIFY_WINDOW = 3  # months before a source's latest month whose changes are still news
CHART_MONTHS_BEFORE = 24  # months of history the alert page's chart shows before the opening


@dataclass
class SyncReport:
    """What one sync did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: int = 0
    withdrawn: int = 0
    new_changes: list[int] = field(default_factory=list)  # AlertChange ids to notify

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "changes": self.changes,
            "withdrawn": self.withdrawn,
            "to_notify": len(self.new_changes),
        }


def threshold_lookup() -> Callable[[Monitor, str], ThresholdRule]:
    """The rule for a monitor in a country: the most specific region's, then the default row's,
    then the monitor's declared default."""
    from atrocity_watch.countries import UnknownCountryError, get_registry

    rules = {(t.monitor, t.region): t.rule() for t in Threshold.objects.all()}
    registry = get_registry()

    @cache
    def chain(iso3: str) -> tuple[str, ...]:
        try:
            regions = registry.region_of(iso3)
        except UnknownCountryError:
            return ()
        return tuple(r.code for r in reversed(regions))

    def lookup(monitor: Monitor, iso3: str) -> ThresholdRule:
        for code in (*chain(iso3), ""):
            rule = rules.get((monitor.name, code))
            if rule is not None:
                return rule
        return monitor.threshold

    return lookup


def _rule_dict(rule: ThresholdRule) -> dict[str, Any]:
    return {
        "min_score": rule.min_score,
        "escalate_score": rule.escalate_score,
        "min_value": rule.min_value,
        "quiet_months": rule.quiet_months,
        "subnational": rule.subnational,
    }


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _chart_series(
    signals: SignalSet, episode: AlertEpisode, rule: ThresholdRule
) -> list[dict[str, Any]]:
    """The months the alert page charts: value, baseline and the value that would alert."""
    series = signals.series(episode.monitor, episode.source, episode.iso3, episode.adm1)
    first = add_months(episode.opened, -CHART_MONTHS_BEFORE)
    series = series[series["month"] >= first]
    points = []
    for row in series.to_dict("records"):
        expected, spread = _number(row.get("expected")), _number(row.get("spread"))
        threshold = (
            None
            if expected is None
            else alert_value(signals.method.name, expected, spread or float("nan"), rule.min_score)
        )
        if threshold is not None:
            threshold = max(threshold, rule.min_value)
        points.append(
            {
                "month": month_label(row["month"]),
                "covered": bool(row["covered"]),
                "value": _number(row["value"]) if row["covered"] else None,
                "baseline": _number(row["baseline"]),
                "score": _number(row["score"]),
                "threshold": threshold,
            }
        )
    return points


def _explanation(
    store: Any, signals: SignalSet, episode: AlertEpisode, month: date
) -> dict[str, Any]:
    series = signals.series(episode.monitor, episode.source, episode.iso3, episode.adm1)
    row = series[series["month"] == month]
    if row.empty:
        return {}
    point = points_of(row)[0]
    months = row.iloc[0]["baseline_months"]
    return explain(
        store,
        episode.monitor,
        episode.source,
        episode.iso3,
        point,
        method=signals.method,
        baseline_months=0 if months is None or months != months else int(months),
        adm1=episode.adm1,
    ).as_dict()


def _summary(signals: SignalSet, episode: AlertEpisode, month: date) -> str:
    """The one-paragraph summary of one month (no event look-up: cheap for every change)."""
    series = signals.series(episode.monitor, episode.source, episode.iso3, episode.adm1)
    row = series[series["month"] == month]
    if row.empty:
        return ""
    months = row.iloc[0]["baseline_months"]
    return summary_text(
        get_monitor(episode.monitor),
        episode.iso3,
        episode.adm1,
        points_of(row)[0],
        signals.method,
        0 if months is None or months != months else int(months),
    )


def _focus_month(episode: AlertEpisode) -> date:
    """The month an alert's explanation is about: its last change, or its latest breach."""
    latest_change = max(c.month for c in episode.changes if c.kind != "closed")
    return max(latest_change, episode.last_breach)


def sync_alerts(signals: SignalSet | None = None, *, warehouse: Any = None) -> SyncReport:
    """Bring the app's alerts in line with the signals; return what changed."""
    signals = signals if signals is not None else read_signals(warehouse)
    lookup = threshold_lookup()
    episodes = alert_episodes(signals.table, lookup)
    latest = {s: signals.coverage.last_month(s) for s in signals.sources}
    report = SyncReport()
    seen: set[str] = set()
    existing = {
        a.key: a
        # by source rather than by a list of keys: thousands of keys would exceed the number
        # of query parameters some databases accept
        for a in Alert.objects.filter(source__in=signals.sources).prefetch_related("changes")
    }
    # The event table is opened only when an alert needs a new explanation: a sync that finds
    # nothing new does not read the events at all.
    with contextlib.ExitStack() as stack:
        opened: list[Any] = []

        def store() -> Any:
            if not opened:
                opened.append(stack.enter_context(open_events(warehouse)))
            return opened[0]

        for episode in episodes:
            seen.add(episode.key)
            rule = lookup(get_monitor(episode.monitor), episode.iso3)
            _sync_one(store, signals, episode, rule, existing.get(episode.key), latest, report)
    _withdraw(signals, seen, report)
    if report.created or report.updated or report.withdrawn:
        record(
            "sync_alerts",
            object_type="alerts.alert",
            object_repr=f"{len(episodes)} alert episodes from the signals",
            after=report.as_dict(),
        )
    return report


def _sync_one(
    store: Callable[[], Any],
    signals: SignalSet,
    episode: AlertEpisode,
    rule: ThresholdRule,
    alert: Alert | None,
    latest: dict[str, date | None],
    report: SyncReport,
) -> None:
    last_point = episode.months[-1]
    latest_month = latest.get(episode.source) or last_point.month
    breach = episode.point(episode.last_breach)
    fields = {
        "monitor": episode.monitor,
        "source": episode.source,
        "country": episode.iso3,
        "adm1": episode.adm1 or "",
        "status": Status.OPEN if episode.is_open else Status.CLOSED,
        "level": episode.level,
        "opened_month": episode.opened,
        "closed_month": episode.closed,
        "last_month": episode.closed or max(latest_month, last_point.month),
        "last_data_month": episode.last_data,
        "value": breach.value if breach else None,
        "baseline": breach.baseline if breach else None,
        "score": breach.score if breach else None,
        "peak_month": episode.peak_month,
        "peak_value": episode.peak_value,
        "peak_score": episode.peak_score,
        "rule": _rule_dict(rule),
    }
    changed = alert is None or any(getattr(alert, k) != v for k, v in fields.items())
    known = set() if alert is None else {(c.kind, c.month) for c in alert.changes.all()}
    missing = [c for c in episode.changes if (c.kind, c.month) not in known]
    if not changed and not missing:
        report.unchanged += 1
        return
    focus = _focus_month(episode)
    with transaction.atomic():
        if alert is None:
            alert = Alert(key=episode.key, **fields)
            report.created += 1
        else:
            for name, value in fields.items():
                setattr(alert, name, value)
            report.updated += 1
        alert.series = _chart_series(signals, episode, rule)
        alert.explanation = _explanation(store(), signals, episode, focus)
        alert.save()
        cutoff = add_months(latest_month, -NOTIFY_WINDOW)
        for change in missing:
            summary = _summary(signals, episode, change.month)
            if change.kind == "closed":
                summary = (
                    f"Closed in {month_label(change.month)} after {rule.quiet_months} months "
                    f"with data and no alert. " + summary
                )
            created = AlertChange.objects.create(
                alert=alert,
                kind=change.kind,
                month=change.month,
                level=change.level or "",
                value=change.value,
                baseline=change.baseline,
                score=change.score,
                summary=summary,
                notify=change.month >= cutoff,
            )
            report.changes += 1
            if created.notify:
                report.new_changes.append(created.pk)


def _withdraw(signals: SignalSet, seen: set[str], report: SyncReport) -> None:
    """Close open alerts the rules no longer raise (only for sources these signals hold)."""
    stale = Alert.objects.filter(status=Status.OPEN, source__in=signals.sources).exclude(
        key__in=seen
    )
    for alert in stale:
        with transaction.atomic():
            month = alert.last_month
            alert.status = Status.CLOSED
            alert.closed_month = month
            alert.save(update_fields=["status", "closed_month", "updated_at"])
            change, created = AlertChange.objects.get_or_create(
                alert=alert,
                kind=ChangeKind.WITHDRAWN,
                month=month,
                defaults={
                    "level": "",
                    "summary": "Withdrawn: with the current thresholds and data, the rules no "
                    "longer raise this alert.",
                    "notify": True,
                },
            )
            report.withdrawn += 1
            if created:
                report.new_changes.append(change.pk)


LEVEL_ORDER = {Level.WARNING: 1, Level.CRITICAL: 2}
