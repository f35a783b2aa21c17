"""What an alert says: what changed, compared with what, which events, which indicators.

Sources whose licence lets their rows be shown to other users (UCDP) contribute the events
themselves (id, date, place, perpetrator, deaths, who reported it). Sources whose licence does
not (ACLED: ``raw_rows_shareable`` is False) contribute **aggregates only**: events and deaths
per first-level subdivision and month. An explanation of an ACLED signal never carries an
event id, a note or a source row; tests check every page, API answer and notification.
"""

# ruff: noqa: S608  (the SQL below is built from constants and declared column names)

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from atrocity_watch.monitor._alerts import SignalPoint
from atrocity_watch.monitor._compute import EventStore, _novelty_sql
from atrocity_watch.monitor._events import VIEW
from atrocity_watch.monitor._months import add_months, month_label
from atrocity_watch.monitor._registry import Monitor, get_monitor
from atrocity_watch.monitor._signal import SignalMethod

MAX_EVENTS = 25  # events listed per alert month (the largest first)


@dataclass(frozen=True)
class EventLine:
    """One event behind a signal (only from sources whose rows may be shown)."""

    event_id: str
    date: date
    place: str
    adm1: str | None
    perpetrator: str | None
    category: str
    deaths: int
    reported_by: str | None
    iso3: str


@dataclass(frozen=True)
class AreaCount:
    """Events and deaths in one subdivision (or neighbouring country) in one month."""

    place: str
    events: int
    deaths: int
    covered: bool = True


@dataclass(frozen=True)
class Newcomer:
    """A perpetrator or target group seen for the first time in the look-back period."""

    role: str  # "perpetrator" or "target group"
    name: str
    events: int
    deaths: int


@dataclass(frozen=True)
class Explanation:
    """Everything an alert page, API answer or notification says about one signal month."""

    monitor: str
    source: str
    iso3: str
    adm1: str | None
    month: date
    summary: str
    baseline_first: date
    baseline_last: date
    baseline_months: int
    method: str
    raw_rows_shareable: bool
    events_total: int
    events: tuple[EventLine, ...] = ()
    areas: tuple[AreaCount, ...] = ()
    newcomers: tuple[Newcomer, ...] = ()
    indicators: tuple[tuple[str, str], ...] = ()
    source_title: str = ""
    source_licence: str = ""
    source_citation: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON) for the app database, the API and notifications."""
        return {
            "monitor": self.monitor,
            "source": self.source,
            "country": self.iso3,
            "adm1": self.adm1,
            "month": month_label(self.month),
            "summary": self.summary,
            "baseline_window": [month_label(self.baseline_first), month_label(self.baseline_last)],
            "baseline_months": self.baseline_months,
            "method": self.method,
            "raw_rows_shareable": self.raw_rows_shareable,
            "events_total": self.events_total,
            "events": [
                {
                    "id": e.event_id,
                    "date": e.date.isoformat(),
                    "place": e.place,
                    "adm1": e.adm1,
                    "perpetrator": e.perpetrator,
                    "category": e.category,
                    "deaths": e.deaths,
                    "reported_by": e.reported_by,
                    "country": e.iso3,
                }
                for e in self.events
            ],
            "areas": [
                {"place": a.place, "events": a.events, "deaths": a.deaths, "covered": a.covered}
                for a in self.areas
            ],
            "newcomers": [
                {"role": n.role, "name": n.name, "events": n.events, "deaths": n.deaths}
                for n in self.newcomers
            ],
            "indicators": [{"number": n, "label": label} for n, label in self.indicators],
            "source_title": self.source_title,
            "source_licence": self.source_licence,
            "source_citation": self.source_citation,
            "notes": list(self.notes),
        }


def _fmt(value: float | None) -> str:
    if value is None:
        return "no data"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.1f}"


def _indicators(monitor: Monitor) -> tuple[tuple[str, str], ...]:
    from atrocity_watch.framework import get_framework

    framework = get_framework()
    result = []
    for reference in monitor.indicators:
        found = framework.resolve(reference)
        label = getattr(found, "label", None) or getattr(found, "name", reference)
        result.append((reference, str(label)))
    return tuple(result)


def _country_name(iso3: str) -> str:
    from atrocity_watch.countries import UnknownCountryError, get_registry

    try:
        return str(get_registry().by_iso3(iso3).name)
    except UnknownCountryError:
        return iso3


def summary_text(
    monitor: Monitor,
    iso3: str,
    adm1: str | None,
    point: SignalPoint,
    method: SignalMethod,
    baseline_months: int,
) -> str:
    """One paragraph: what was seen, against what, and how unusual it is."""
    where = _country_name(iso3) + (f" ({adm1})" if adm1 else "")
    first = add_months(point.month, -method.window)
    last = add_months(point.month, -1)
    if not point.covered:
        return (
            f"{month_label(point.month)}: no data — the imported files do not cover {where} "
            "this month, so nothing can be said (this is not a zero)."
        )
    text = (
        f"In {month_label(point.month)}, {monitor.title.lower()} in {where}: "
        f"{_fmt(point.value)} {monitor.unit}, against a baseline of {_fmt(point.baseline)} a "
        f"month over {month_label(first)} to {month_label(last)} ({baseline_months} of "
        f"{method.window} months with data)."
    )
    if point.score is None:
        return text + " Too little history for a score yet."
    probability = 10 ** (-point.score)
    chance = (
        "less than 1 in 10 billion" if point.score >= 10 else f"about 1 in {1 / probability:,.0f}"
    )
    if point.score < 1:
        chance = "common"
    return text + (
        f" A month this high or higher is {chance} under the baseline "
        f"(score {point.score:.1f}; {method.describe()})."
    )


def explain(
    store: EventStore,
    monitor_name: str,
    source: str,
    iso3: str,
    point: SignalPoint,
    *,
    method: SignalMethod,
    baseline_months: int,
    adm1: str | None = None,
    neighbours: Callable[[str], Sequence[str]] | None = None,
) -> Explanation:
    """The explanation of one signal month (see the module docstring for the licence rule)."""
    from atrocity_watch.sources import get_source

    monitor = get_monitor(monitor_name)
    spec = get_source(source)
    shareable = bool(spec.raw_rows_shareable)
    month = point.month
    notes: list[str] = []
    events: tuple[EventLine, ...] = ()
    newcomers: tuple[Newcomer, ...] = ()
    if monitor.measure == "neighbour_deaths":
        near = list((neighbours or _registry_neighbours)(iso3))
        areas = _neighbour_areas(store, source, near, month)
        total = sum(a.events for a in areas)
        if shareable and near:
            events = _events(store, source, near, month, "organised_violence", None, "deaths")
        if not near:
            notes.append("The country registry lists no land neighbours for this country.")
        missing = [a.place for a in areas if not a.covered]
        if missing:
            notes.append(
                "No data for " + ", ".join(missing) + " this month: their deaths are not "
                "counted (this is not a zero)."
            )
    else:
        flag = monitor.flag
        areas = _areas(store, source, iso3, month, flag, adm1)
        total = sum(a.events for a in areas)
        measure = "civilian_deaths"
        if monitor.measure == "novelty":
            newcomers = _newcomers(store, source, iso3, month)
            if shareable and newcomers:
                keys = [n.name for n in newcomers if n.role == "perpetrator"]
                events = _events(store, source, [iso3], month, flag, None, measure, keys)
        elif shareable:
            events = _events(store, source, [iso3], month, flag, adm1, measure)
    if not shareable:
        notes.append(
            f"{spec.title}: its licence does not allow showing single events to other users, "
            "so only counts per subdivision and month are shown."
        )
    return Explanation(
        monitor=monitor.name,
        source=source,
        iso3=iso3,
        adm1=adm1,
        month=month,
        summary=summary_text(monitor, iso3, adm1, point, method, baseline_months),
        baseline_first=add_months(month, -method.window),
        baseline_last=add_months(month, -1),
        baseline_months=baseline_months,
        method=method.describe(),
        raw_rows_shareable=shareable,
        events_total=total,
        events=events,
        areas=tuple(areas),
        newcomers=newcomers,
        indicators=_indicators(monitor),
        source_title=spec.title,
        source_licence=spec.licence,
        source_citation=spec.citation,
        notes=tuple(notes),
    )


def _registry_neighbours(iso3: str) -> Sequence[str]:
    from atrocity_watch.monitor._compute import _registry_neighbours as lookup

    return lookup(iso3)


def _areas(
    store: EventStore, source: str, iso3: str, month: date, flag: str, adm1: str | None
) -> list[AreaCount]:
    where = f"source = ? AND iso3 = ? AND month = ? AND {flag}"
    params: list[Any] = [source, iso3, month]
    if adm1 is not None:
        where += " AND adm1 = ?"
        params.append(adm1)
    rows = store.rows(
        f"SELECT coalesce(adm1, '(subdivision not known)') AS place, count(*) AS events, "
        f"sum(civilian_deaths) AS deaths FROM {VIEW} WHERE {where} "
        "GROUP BY 1 ORDER BY deaths DESC, events DESC, place",
        params,
    )
    return [AreaCount(str(r["place"]), int(r["events"]), int(r["deaths"])) for r in rows]


def _neighbour_areas(
    store: EventStore, source: str, near: Sequence[str], month: date
) -> list[AreaCount]:
    result = []
    for iso3 in sorted(near):
        covered = store.coverage.covered(source, iso3, month)
        if not covered:
            result.append(AreaCount(_country_name(iso3), 0, 0, covered=False))
            continue
        row = store.connection.execute(
            f"SELECT count(*), coalesce(sum(deaths), 0) FROM {VIEW} "
            "WHERE source = ? AND iso3 = ? AND month = ? AND organised_violence",
            [source, iso3, month],
        ).fetchone()
        events, deaths = (int(row[0]), int(row[1])) if row else (0, 0)
        result.append(AreaCount(_country_name(iso3), events, deaths))
    return sorted(result, key=lambda a: (not a.covered, -a.deaths, a.place))


def _events(
    store: EventStore,
    source: str,
    countries: Sequence[str],
    month: date,
    flag: str,
    adm1: str | None,
    measure: str,
    perpetrators: Sequence[str] | None = None,
) -> tuple[EventLine, ...]:
    if not countries:
        return ()
    marks = ", ".join("?" for _ in countries)
    where = f"source = ? AND iso3 IN ({marks}) AND month = ? AND {flag}"
    params: list[Any] = [source, *countries, month]
    if adm1 is not None:
        where += " AND adm1 = ?"
        params.append(adm1)
    if perpetrators:
        where += f" AND perpetrator IN ({', '.join('?' for _ in perpetrators)})"
        params.extend(perpetrators)
    rows = store.rows(
        f"SELECT event_id, event_date, place, adm1, perpetrator, category, {measure} AS n, "
        f"reported_by, iso3 FROM {VIEW} WHERE {where} "
        f"ORDER BY n DESC, event_date, event_id LIMIT {MAX_EVENTS}",
        params,
    )
    return tuple(
        EventLine(
            event_id=str(r["event_id"]),
            date=r["event_date"],
            place=str(r["place"]),
            adm1=None if r["adm1"] is None else str(r["adm1"]),
            perpetrator=None if r["perpetrator"] is None else str(r["perpetrator"]),
            category=str(r["category"]),
            deaths=int(r["n"]),
            reported_by=None if r["reported_by"] is None else str(r["reported_by"]),
            iso3=str(r["iso3"]),
        )
        for r in rows
    )


def _newcomers(store: EventStore, source: str, iso3: str, month: date) -> tuple[Newcomer, ...]:
    rows = store.rows(
        f"SELECT role, name, events, deaths FROM ({_novelty_sql()}) WHERE iso3 = ? AND month = ? "
        "ORDER BY deaths DESC, events DESC, name",
        [source, source, iso3, month],
    )
    return tuple(
        Newcomer(str(r["role"]), str(r["name"]), int(r["events"]), int(r["deaths"])) for r in rows
    )
