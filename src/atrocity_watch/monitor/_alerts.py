"""Rules and the life of an alert: open, escalate, de-escalate, close.

A month *breaches* a monitor's threshold when the source covers it, its value is at least
``min_value`` and its score at least ``min_score`` (``critical`` from ``escalate_score``, else
``warning``). Walking a series month by month:

- no alert open and a breach: the alert **opens** at that level;
- alert open and a breach at another level: it **escalates** or **de-escalates**;
- alert open and a covered month without a breach: one quiet month; after ``quiet_months`` in
  a row it **closes**. A month without data is never quiet: it neither closes an alert nor
  counts towards closing it (the alert says since when there is no data).

The same walk feeds the CLI (``monitor run``), the web app's alerts (``sync_alerts``) and the
backtest, so they always agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from atrocity_watch.monitor._registry import MONITORS, Monitor, Threshold, get_monitor

Level = Literal["warning", "critical"]
ChangeKind = Literal["opened", "escalated", "de-escalated", "closed"]
LEVELS: tuple[Level, ...] = ("warning", "critical")
CHANGE_KINDS: tuple[ChangeKind, ...] = ("opened", "escalated", "de-escalated", "closed")

#: ``thresholds(monitor, iso3)``: the threshold that applies (the web app reads region rules).
ThresholdLookup = Callable[[Monitor, str], Threshold]


def default_thresholds(monitor: Monitor, iso3: str) -> Threshold:
    """Each monitor's declared default threshold, the same everywhere."""
    return monitor.threshold


@dataclass(frozen=True)
class SignalPoint:
    """One month of one series, as the rules see it."""

    month: date
    covered: bool
    value: float | None
    baseline: float | None
    score: float | None
    events: int | None = None

    def level(self, threshold: Threshold) -> Level | None:
        """The level this month breaches, or None."""
        if not self.covered or self.value is None or self.score is None:
            return None
        if math.isnan(self.score) or self.value < threshold.min_value:
            return None
        if self.score >= threshold.escalate_score:
            return "critical"
        if self.score >= threshold.min_score:
            return "warning"
        return None

    @property
    def scored(self) -> bool:
        """True when the month has data and a score (so it can be quiet)."""
        return self.covered and self.score is not None and not math.isnan(self.score)


@dataclass(frozen=True)
class AlertChange:
    """One change in an alert's life; each is notified at most once per recipient."""

    kind: ChangeKind
    month: date
    level: Level | None
    value: float | None
    baseline: float | None
    score: float | None


@dataclass(frozen=True)
class AlertEpisode:
    """One alert from opening to closing (``closed`` None while it is still open)."""

    monitor: str
    source: str
    iso3: str
    adm1: str | None
    opened: date
    closed: date | None
    level: Level
    peak_month: date
    peak_value: float
    peak_score: float
    last_breach: date
    last_data: date
    changes: tuple[AlertChange, ...]
    months: tuple[SignalPoint, ...] = field(repr=False)

    @property
    def key(self) -> str:
        """A stable identity: monitor/source/country[/subdivision]/month opened."""
        place = self.iso3 if self.adm1 is None else f"{self.iso3}/{self.adm1}"
        return f"{self.monitor}/{self.source}/{place}/{self.opened.isoformat()[:7]}"

    @property
    def is_open(self) -> bool:
        """True while the alert has not closed."""
        return self.closed is None

    def active_in(self, month: date) -> bool:
        """True when the alert is open during ``month`` (including its closing month)."""
        return self.opened <= month and (self.closed is None or month <= self.closed)

    def status_in(self, month: date) -> str | None:
        """What happened to the alert in ``month``: a change kind, ``ongoing``, ``no_data``
        (still open, but the source does not cover the month), or None when not active."""
        if not self.active_in(month):
            return None
        kinds = [c.kind for c in self.changes if c.month == month]
        if kinds:
            return kinds[-1]
        point = self.point(month)
        if point is None or not point.covered:
            return "no_data"
        return "ongoing"

    def point(self, month: date) -> SignalPoint | None:
        """The series point of ``month`` while the alert was open."""
        for p in self.months:
            if p.month == month:
                return p
        return None


def walk(
    points: Sequence[SignalPoint],
    threshold: Threshold,
    *,
    monitor: str,
    source: str,
    iso3: str,
    adm1: str | None = None,
) -> list[AlertEpisode]:
    """Every alert episode of one series (points in month order)."""
    found: list[AlertEpisode] = []
    state: dict[str, Any] | None = None
    for point in points:
        level = point.level(threshold)
        if state is None:
            if level is None:
                continue
            state = {
                "opened": point.month,
                "level": level,
                "peak": point,
                "last_breach": point.month,
                "last_data": point.month,
                "quiet": 0,
                "changes": [_change("opened", point, level)],
                "months": [point],
            }
            continue
        state["months"].append(point)
        if point.covered:
            state["last_data"] = point.month
        if level is not None:
            state["quiet"] = 0
            state["last_breach"] = point.month
            if point.score is not None and point.score > (state["peak"].score or 0.0):
                state["peak"] = point
            if level != state["level"]:
                kind: ChangeKind = "escalated" if level == "critical" else "de-escalated"
                state["changes"].append(_change(kind, point, level))
                state["level"] = level
            continue
        if point.scored:
            state["quiet"] += 1
            if state["quiet"] >= threshold.quiet_months:
                state["changes"].append(_change("closed", point, None))
                found.append(_episode(state, monitor, source, iso3, adm1, closed=point.month))
                state = None
    if state is not None:
        found.append(_episode(state, monitor, source, iso3, adm1, closed=None))
    return found


def _change(kind: ChangeKind, point: SignalPoint, level: Level | None) -> AlertChange:
    return AlertChange(kind, point.month, level, point.value, point.baseline, point.score)


def _episode(
    state: dict[str, Any],
    monitor: str,
    source: str,
    iso3: str,
    adm1: str | None,
    closed: date | None,
) -> AlertEpisode:
    peak: SignalPoint = state["peak"]
    return AlertEpisode(
        monitor=monitor,
        source=source,
        iso3=iso3,
        adm1=adm1,
        opened=state["opened"],
        closed=closed,
        level=state["level"],
        peak_month=peak.month,
        peak_value=float(peak.value or 0.0),
        peak_score=float(peak.score or 0.0),
        last_breach=state["last_breach"],
        last_data=state["last_data"],
        changes=tuple(state["changes"]),
        months=tuple(state["months"]),
    )


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def points_of(series: pd.DataFrame) -> list[SignalPoint]:
    """A signal series (rows of ``monitor_signals`` for one place) as points, in month order."""
    ordered = series.sort_values("month")
    return [
        SignalPoint(
            month=row["month"],
            covered=bool(row["covered"]),
            value=_number(row["value"]),
            baseline=_number(row["baseline"]),
            score=_number(row["score"]),
            events=None if _number(row["events"]) is None else int(row["events"]),
        )
        for row in ordered.to_dict("records")
    ]


def alert_episodes(
    table: pd.DataFrame,
    thresholds: ThresholdLookup = default_thresholds,
    *,
    monitors: Iterable[str] | None = None,
) -> list[AlertEpisode]:
    """Every alert episode the rules raise over a signals table (country and, where the
    threshold asks for it, subdivision series)."""
    wanted = set(monitors) if monitors is not None else set(MONITORS)
    found: list[AlertEpisode] = []
    if table.empty:
        return found
    subset = table[table["monitor"].isin(wanted)]
    keys = ["monitor", "source", "iso3", "adm1"]
    for (monitor_name, source, iso3, adm1), series in subset.groupby(keys, dropna=False, sort=True):
        monitor = get_monitor(str(monitor_name))
        threshold = thresholds(monitor, str(iso3))
        place = (
            None if adm1 is None or (isinstance(adm1, float) and math.isnan(adm1)) else str(adm1)
        )
        if place is not None and not threshold.subnational:
            continue
        # a series without a single breaching month has no episode: skip it without walking
        breach = (series["score"] >= threshold.min_score) & (series["value"] >= threshold.min_value)
        if not breach.any():
            continue
        found.extend(
            walk(
                points_of(series),
                threshold,
                monitor=monitor.name,
                source=str(source),
                iso3=str(iso3),
                adm1=place,
            )
        )
    return found


@dataclass(frozen=True)
class RaisedAlert:
    """An alert as the CLI and scripts see it for one month."""

    monitor: str
    source: str
    iso3: str
    adm1: str | None
    month: date
    status: str  # opened, escalated, de-escalated, ongoing, no_data or closed
    level: Level | None
    value: float | None
    baseline: float | None
    score: float | None
    opened: date
    last_data: date
    indicators: tuple[str, ...]
    key: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "country": self.iso3,
            "adm1": self.adm1,
            "monitor": self.monitor,
            "source": self.source,
            "month": self.month.isoformat()[:7],
            "status": self.status,
            "level": self.level,
            "value": self.value,
            "baseline": None if self.baseline is None else round(self.baseline, 3),
            "score": None if self.score is None else round(self.score, 3),
            "opened": self.opened.isoformat()[:7],
            "last_data": self.last_data.isoformat()[:7],
            "indicators": list(self.indicators),
            "key": self.key,
        }


def raised_in(episodes: Iterable[AlertEpisode], month: date) -> list[RaisedAlert]:
    """The alerts active in ``month`` (opened, changed, continuing or closing that month)."""
    result = []
    for episode in episodes:
        status = episode.status_in(month)
        if status is None:
            continue
        point = episode.point(month)
        level: Level | None = None if status == "closed" else episode_level(episode, month)
        result.append(
            RaisedAlert(
                monitor=episode.monitor,
                source=episode.source,
                iso3=episode.iso3,
                adm1=episode.adm1,
                month=month,
                status=status,
                level=level,
                value=None if point is None else point.value,
                baseline=None if point is None else point.baseline,
                score=None if point is None else point.score,
                opened=episode.opened,
                last_data=episode.last_data,
                indicators=get_monitor(episode.monitor).indicators,
                key=episode.key,
            )
        )
    order = {"critical": 0, "warning": 1, None: 2}
    return sorted(result, key=lambda a: (order[a.level], -(a.score or 0.0), a.iso3, a.monitor))


def episode_level(episode: AlertEpisode, month: date) -> Level | None:
    """The alert's level during ``month`` (the level of the last change at or before it)."""
    level: Level | None = None
    for change in episode.changes:
        if change.month > month:
            break
        level = change.level
    return level
