"""How early the monitors would have flagged known onsets, and how often they cry wolf.

Onsets come from two lists in the warehouse:

- the Early Warning Project's mass-killing episodes (``src_ewp_mk_episodes``): the start year,
  dated to a month from the public record where :data:`ONSET_MONTHS` cites one, else to January
  of the start year (the earliest the episode can have begun, so no lead is invented);
- UCDP one-sided violence (``src_ucdp_onesided``): an actor-year in which an actor's deaths in a
  country reach 25 (or 1,000) after a year below, dated to the month the actor's one-sided
  deaths in that country and year reached the threshold in UCDP GED; where only ACLED covers
  the country (ACLED has no UCDP actor ids), to January of the year.

An onset is *evaluable* for a source when the source covers at least half of the 12 months
before it. A monitor *flags* an onset when one of its country alerts is active in those 12
months; the lead is the number of months from the first such month to the onset. A
*quiet country-year* is a covered year (six months or more) with no EWP onset and no
one-sided-violence onset that year or the next, and fewer than 25 one-sided deaths in UCDP's
one-sided data; every alert opened in one is a false alert.

Only the countries whose events are loaded can be scored: with the real samples shipped for
testing, a handful of countries. The numbers say what these cases show, not how the monitors
would do worldwide.
"""

# ruff: noqa: S608  (the SQL below is built from constants and declared column names)

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from atrocity_watch.monitor._alerts import (
    AlertEpisode,
    ThresholdLookup,
    alert_episodes,
    default_thresholds,
)
from atrocity_watch.monitor._compute import (
    EventStore,
    Neighbours,
    SignalSet,
    signals_from_store,
)
from atrocity_watch.monitor._errors import MissingInputError, NoEventDataError
from atrocity_watch.monitor._events import VIEW
from atrocity_watch.monitor._months import add_months, month_label, month_number
from atrocity_watch.monitor._registry import MONITORS
from atrocity_watch.monitor._signal import SignalMethod

if TYPE_CHECKING:
    from atrocity_watch.warehouse import Warehouse

OnsetKind = Literal["ewp", "osv25", "osv1000"]
ONSET_KINDS: dict[OnsetKind, str] = {
    "ewp": "EWP mass-killing onsets",
    "osv25": "UCDP one-sided violence: actor-years crossing 25 deaths",
    "osv1000": "UCDP one-sided violence: actor-years crossing 1,000 deaths",
}
LEAD_WINDOW = 12  # months before an onset in which an alert counts as a warning
MIN_WINDOW_COVERAGE = 6  # covered months of the lead window needed to score an onset
MIN_YEAR_COVERAGE = 6  # covered months a country-year needs to count as quiet
SELECTION_LAST_YEAR = 2014  # onsets and quiet years up to this year choose the method

#: Onset months of EWP episodes, from the public record (EWP codes years only).
ONSET_MONTHS: dict[str, tuple[date, str]] = {
    "caf2013ns1": (
        date(2013, 3, 1),
        "Séléka seized Bangui on 24 March 2013; the systematic attacks on civilians by Séléka "
        "and then anti-balaka date from then (UN International Commission of Inquiry on the "
        "Central African Republic, final report, S/2014/928)",
    ),
    "mmr2016s1": (
        date(2016, 10, 1),
        "attacks on border posts on 9 October 2016 and the 'clearance operations' in northern "
        "Rakhine that followed (UN Independent International Fact-Finding Mission on Myanmar, "
        "A/HRC/39/64)",
    ),
    "mmr2021s1": (
        date(2021, 2, 1),
        "military coup of 1 February 2021, followed by lethal force against protesters "
        "(OHCHR, A/HRC/48/67)",
    ),
    "sdn2023ns1": (
        date(2023, 4, 1),
        "war between the SAF and the RSF from 15 April 2023 (EWP's own start-date note, citing "
        "Human Rights Watch)",
    ),
}


@dataclass(frozen=True)
class Onset:
    """One onset the monitors should have warned about."""

    kind: OnsetKind
    iso3: str
    label: str
    year: int
    month: date
    dated_by: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "kind": self.kind,
            "country": self.iso3,
            "label": self.label,
            "year": self.year,
            "month": month_label(self.month),
            "dated_by": self.dated_by,
        }


@dataclass(frozen=True)
class OnsetResult:
    """What one monitor did before one onset."""

    onset: Onset
    monitor: str
    source: str
    evaluable: bool
    flagged_before: bool
    flagged_by_onset: bool
    lead_months: int | None
    note: str = ""


@dataclass(frozen=True)
class MonitorScore:
    """One line of the backtest table."""

    monitor: str
    onset_kind: OnsetKind
    sources: tuple[str, ...]
    onsets: int
    flagged_before: int
    flagged_by_onset: int
    median_lead: float | None
    quiet_country_years: int
    false_alerts: int
    covered_months: int = 0
    alert_months: int = 0
    chance_months: int = 0

    @property
    def share_before(self) -> float | None:
        """Share of evaluable onsets flagged in the 12 months before they began."""
        return self.flagged_before / self.onsets if self.onsets else None

    @property
    def alert_share(self) -> float | None:
        """Share of covered country-months with an alert active: the chance level of flagging."""
        return self.alert_months / self.covered_months if self.covered_months else None

    @property
    def chance_share(self) -> float | None:
        """Share of covered months preceded by an alert in the 12 months before: what
        "flagged before" would be for a month picked at random (the chance level)."""
        return self.chance_months / self.covered_months if self.covered_months else None

    @property
    def false_per_quiet_year(self) -> float | None:
        """Alerts opened per quiet country-year."""
        return self.false_alerts / self.quiet_country_years if self.quiet_country_years else None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "monitor": self.monitor,
            "onsets": self.onset_kind,
            "sources": list(self.sources),
            "evaluable_onsets": self.onsets,
            "flagged_before": self.flagged_before,
            "share_flagged_before": self.share_before,
            "flagged_by_onset_month": self.flagged_by_onset,
            "median_lead_months": self.median_lead,
            "quiet_country_years": self.quiet_country_years,
            "false_alerts": self.false_alerts,
            "false_alerts_per_quiet_country_year": self.false_per_quiet_year,
            "covered_country_months": self.covered_months,
            "months_with_alert": self.alert_months,
            "share_of_months_with_alert": self.alert_share,
            "chance_of_flagging_a_random_month": self.chance_share,
        }


@dataclass(frozen=True)
class BacktestReport:
    """The whole backtest: one table per onset list, with every onset's detail."""

    method: SignalMethod
    period: str  # "all", "selection" (≤ 2014) or "evaluation" (≥ 2015)
    scores: tuple[MonitorScore, ...]
    results: tuple[OnsetResult, ...]
    onsets: tuple[Onset, ...]
    quiet_years: tuple[tuple[str, str, int], ...]  # source, country, year
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "method": self.method.describe(),
            "period": self.period,
            "lead_window_months": LEAD_WINDOW,
            "scores": [s.as_dict() for s in self.scores],
            "onsets": [o.as_dict() for o in self.onsets],
            "results": [
                {
                    **r.onset.as_dict(),
                    "monitor": r.monitor,
                    "source": r.source,
                    "evaluable": r.evaluable,
                    "flagged_before": r.flagged_before,
                    "flagged_by_onset_month": r.flagged_by_onset,
                    "lead_months": r.lead_months,
                    "note": r.note,
                }
                for r in self.results
            ],
            "quiet_country_years": [
                {"source": s, "country": c, "year": y} for s, c, y in self.quiet_years
            ],
            "notes": list(self.notes),
        }


# -- onsets -----------------------------------------------------------------------------------


def _table_exists(store: EventStore, table: str) -> bool:
    rows = store.connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(rows and rows[0])


def _monitored_countries(store: EventStore) -> set[str]:
    return {iso3 for (_, iso3), months in store.coverage.months.items() if months}


def ewp_onsets(store: EventStore) -> list[Onset]:
    """EWP episodes located in a country that an event source covers in the onset year."""
    if not _table_exists(store, "src_ewp_mk_episodes"):
        raise MissingInputError(
            "the backtest needs EWP's mass-killing episode list: import "
            "'EWP mass killing events master list_2025__mk_events.csv' "
            "(`atrocity-watch data import <file>`)"
        )
    rows = store.connection.execute(
        "SELECT mk_event_code, iso3, CAST(startyear AS INTEGER) FROM src_ewp_mk_episodes "
        "WHERE iso3 IS NOT NULL AND startyear IS NOT NULL ORDER BY 2, 3"
    ).fetchall()
    countries = _monitored_countries(store)
    found = []
    for code, iso3, year in rows:
        if iso3 not in countries:
            continue
        known = ONSET_MONTHS.get(str(code))
        month, basis = known if known else (date(int(year), 1, 1), "January of the start year")
        found.append(Onset("ewp", str(iso3), str(code), int(year), month, basis))
    return found


def osv_onsets(store: EventStore, threshold: int) -> list[Onset]:
    """Actor-years crossing ``threshold`` one-sided deaths after a year below it."""
    if not _table_exists(store, "src_ucdp_onesided"):
        raise MissingInputError(
            "the backtest needs UCDP's one-sided violence data: import OneSided_v25_1.csv "
            "(`atrocity-watch data import <file>`)"
        )
    rows = store.connection.execute(
        "SELECT actor_id, any_value(actor_name), CAST(year AS INTEGER), "
        "max(best_fatality_estimate), any_value(iso3_all) FROM src_ucdp_onesided "
        "GROUP BY actor_id, year ORDER BY actor_id, year"
    ).fetchall()
    by_actor: dict[int, dict[int, int]] = {}
    names: dict[int, str] = {}
    places: dict[tuple[int, int], list[str]] = {}
    for actor_id, name, year, best, iso3_all in rows:
        by_actor.setdefault(int(actor_id), {})[int(year)] = int(best or 0)
        names[int(actor_id)] = str(name)
        places[(int(actor_id), int(year))] = [c for c in str(iso3_all or "").split(",") if c]
    countries = _monitored_countries(store)
    first_year = min((y for years in by_actor.values() for y in years), default=0)
    found = []
    for actor_id, years in by_actor.items():
        for year, best in sorted(years.items()):
            if year <= first_year or best < threshold or years.get(year - 1, 0) >= threshold:
                continue
            for iso3 in places[(actor_id, year)]:
                if iso3 not in countries:
                    continue
                dated = _date_osv(store, actor_id, iso3, year, threshold)
                if dated is None:
                    continue
                month, basis = dated
                label = f"{names[actor_id]} {year}"
                found.append(Onset(f"osv{threshold}", iso3, label, year, month, basis))  # type: ignore[arg-type]
    return sorted(found, key=lambda o: (o.iso3, o.month, o.label))


def _date_osv(
    store: EventStore, actor_id: int, iso3: str, year: int, threshold: int
) -> tuple[date, str] | None:
    ged_covers = any(
        store.coverage.covered("ucdp_ged", iso3, date(year, m, 1)) for m in range(1, 13)
    )
    if ged_covers:
        rows = store.connection.execute(
            f"SELECT month, sum(civilian_deaths) FROM {VIEW} WHERE source = 'ucdp_ged' "
            "AND iso3 = ? AND against_civilians AND perpetrator_key = ? "
            "AND year(event_date) = ? GROUP BY month ORDER BY month",
            [iso3, f"ucdp:{actor_id}", year],
        ).fetchall()
        total = 0
        for month, deaths in rows:
            total += int(deaths)
            if total >= threshold:
                return (
                    month,
                    f"month the actor's GED one-sided deaths in the country reached {threshold}",
                )
        return None  # the deaths were counted elsewhere or differ between releases
    for source in store.sources:
        if source != "ucdp_ged" and any(
            store.coverage.covered(source, iso3, date(year, m, 1)) for m in range(1, 13)
        ):
            return date(year, 1, 1), "January of the year (ACLED has no UCDP actor ids)"
        if source != "ucdp_ged" and any(
            store.coverage.covered(source, iso3, date(year - 1, m, 1)) for m in range(1, 13)
        ):
            return date(year, 1, 1), "January of the year (ACLED has no UCDP actor ids)"
    return None


# -- scoring ----------------------------------------------------------------------------------


def _window_coverage(store: EventStore, source: str, iso3: str, onset: date) -> int:
    return sum(
        store.coverage.covered(source, iso3, add_months(onset, -k))
        for k in range(1, LEAD_WINDOW + 1)
    )


def _best_source(store: EventStore, onset: Onset) -> tuple[str, int]:
    scored = [(s, _window_coverage(store, s, onset.iso3, onset.month)) for s in store.sources]
    if not scored:
        return "", 0
    return max(scored, key=lambda pair: pair[1])


def _first_active(episodes: Sequence[AlertEpisode], first: date, last: date) -> date | None:
    found = []
    for episode in episodes:
        start = max(episode.opened, first)
        # the closing month is the quiet month that closes it: active until the month before
        end = last if episode.closed is None else min(add_months(episode.closed, -1), last)
        if start <= end:
            found.append(start)
    return min(found) if found else None


def _quiet_years(store: EventStore, onsets: Sequence[Onset]) -> list[tuple[str, str, int]]:
    deaths: dict[tuple[str, int], int] = {}
    if _table_exists(store, "src_ucdp_onesided"):
        for iso3_all, year, best in store.connection.execute(
            "SELECT iso3_all, CAST(year AS INTEGER), best_fatality_estimate FROM src_ucdp_onesided"
        ).fetchall():
            for iso3 in str(iso3_all or "").split(","):
                if iso3:
                    deaths[(iso3, int(year))] = deaths.get((iso3, int(year)), 0) + int(best or 0)
    onset_years = {(o.iso3, o.year) for o in onsets if o.kind in ("ewp", "osv25")}
    found = []
    for (source, iso3), months in sorted(store.coverage.months.items()):
        years: dict[int, int] = {}
        for n in months:
            years[n // 12] = years.get(n // 12, 0) + 1
        for year, covered in sorted(years.items()):
            if covered < MIN_YEAR_COVERAGE:
                continue
            if (iso3, year) in onset_years or (iso3, year + 1) in onset_years:
                continue
            if deaths.get((iso3, year), 0) >= 25:
                continue
            found.append((source, iso3, year))
    return found


def _near_data(store: EventStore, onset: Onset) -> bool:
    """True when some source covers a month of the onset's lead window or the onset month."""
    return any(
        store.coverage.covered(source, onset.iso3, add_months(onset.month, -k))
        for source in store.sources
        for k in range(LEAD_WINDOW + 1)
    )


def _in_period(year: int, period: str) -> bool:
    if period == "selection":
        return year <= SELECTION_LAST_YEAR
    if period == "evaluation":
        return year > SELECTION_LAST_YEAR
    return True


def score_onsets(
    store: EventStore,
    signals: SignalSet,
    onsets: Sequence[Onset],
    *,
    thresholds: ThresholdLookup = default_thresholds,
    period: str = "all",
    monitors: Iterable[str] | None = None,
) -> BacktestReport:
    """Score every monitor on every onset and quiet country-year of ``period``."""
    names = list(monitors) if monitors is not None else list(MONITORS)
    country_table = signals.table[signals.table["adm1"].isna()]
    episodes = alert_episodes(country_table, thresholds, monitors=names)
    by_series: dict[tuple[str, str, str], list[AlertEpisode]] = {}
    for episode in episodes:
        by_series.setdefault((episode.monitor, episode.source, episode.iso3), []).append(episode)
    chosen = [o for o in onsets if _in_period(o.year, period)]
    results: list[OnsetResult] = []
    for onset in chosen:
        source, covered = _best_source(store, onset)
        for name in names:
            monitor = MONITORS[name]
            if not source or not monitor.supports(source):
                continue
            if covered < MIN_WINDOW_COVERAGE:
                results.append(
                    OnsetResult(
                        onset,
                        name,
                        source,
                        False,
                        False,
                        False,
                        None,
                        f"only {covered} of the {LEAD_WINDOW} months before have data",
                    )
                )
                continue
            series = by_series.get((name, source, onset.iso3), [])
            first = add_months(onset.month, -LEAD_WINDOW)
            before = _first_active(series, first, add_months(onset.month, -1))
            by_onset = _first_active(series, first, onset.month)
            lead = None if before is None else month_number(onset.month) - month_number(before)
            results.append(
                OnsetResult(
                    onset, name, source, True, before is not None, by_onset is not None, lead
                )
            )
    quiet = [q for q in _quiet_years(store, onsets) if _in_period(q[2], period)]
    quiet_set = set(quiet)
    own = {key for key, months in store.coverage.months.items() if months}
    burden = _alert_burden(country_table, by_series, period, own)
    scores = []
    for kind in ONSET_KINDS:
        for name in [*names, "any"]:
            rows = [r for r in results if r.onset.kind == kind and r.evaluable]
            rows = _any_monitor(rows) if name == "any" else [r for r in rows if r.monitor == name]
            leads = [r.lead_months for r in rows if r.lead_months is not None]
            false = _false_alerts(episodes, quiet_set, None if name == "any" else name)
            relevant_quiet = [q for q in quiet if name == "any" or MONITORS[name].supports(q[0])]
            covered_months, alert_months, chance_months = burden.get(name, (0, 0, 0))
            scores.append(
                MonitorScore(
                    monitor=name,
                    onset_kind=kind,
                    sources=tuple(sorted({r.source for r in rows})),
                    onsets=len(rows),
                    flagged_before=sum(r.flagged_before for r in rows),
                    flagged_by_onset=sum(r.flagged_by_onset for r in rows),
                    median_lead=statistics.median(leads) if leads else None,
                    quiet_country_years=len(relevant_quiet),
                    false_alerts=false,
                    covered_months=covered_months,
                    alert_months=alert_months,
                    chance_months=chance_months,
                )
            )
    return BacktestReport(
        method=signals.method,
        period=period,
        scores=tuple(scores),
        results=tuple(results),
        onsets=tuple(chosen),
        quiet_years=tuple(quiet),
        notes=(
            f"countries with event data: {', '.join(sorted(_monitored_countries(store)))}",
            "an alert counts for an onset when it is active in the 12 months before it",
        ),
    )


def _alert_burden(
    table: Any,
    by_series: dict[tuple[str, str, str], list[AlertEpisode]],
    period: str,
    own: set[tuple[str, str]],
) -> dict[str, tuple[int, int, int]]:
    """Per monitor (and "any"), over the countries with their own data: covered months, months
    with an alert active, and months whose 12 months before held an alert (the chance that a
    month picked at random would count as "flagged before")."""
    scored = table[table["status"] == "ok"]
    counts: dict[str, list[int]] = {}
    any_active: dict[tuple[str, str], set[int]] = {}
    any_months: dict[tuple[str, str], set[int]] = {}
    for (monitor, source, iso3), series in scored.groupby(["monitor", "source", "iso3"]):
        if (str(source), str(iso3)) not in own:
            continue
        months = [month_number(m) for m in series["month"] if _in_period(m.year, period)]
        episodes = by_series.get((str(monitor), str(source), str(iso3)), [])
        active = {
            n
            for e in episodes
            for n in range(
                month_number(e.opened),
                month_number(e.closed) if e.closed else max(months, default=0) + 1,
            )
        }
        key = (str(source), str(iso3))
        any_active.setdefault(key, set()).update(active)
        any_months.setdefault(key, set()).update(months)
        line = counts.setdefault(str(monitor), [0, 0, 0])
        line[0] += len(months)
        line[1] += sum(n in active for n in months)
        line[2] += sum(any(n - k in active for k in range(1, LEAD_WINDOW + 1)) for n in months)
    total = [0, 0, 0]
    for key, months_set in any_months.items():
        active = any_active[key]
        total[0] += len(months_set)
        total[1] += sum(n in active for n in months_set)
        total[2] += sum(any(n - k in active for k in range(1, LEAD_WINDOW + 1)) for n in months_set)
    result = {name: (c[0], c[1], c[2]) for name, c in counts.items()}
    result["any"] = (total[0], total[1], total[2])
    return result


def _any_monitor(rows: Sequence[OnsetResult]) -> list[OnsetResult]:
    grouped: dict[tuple[str, str, date], list[OnsetResult]] = {}
    for r in rows:
        grouped.setdefault((r.onset.label, r.onset.iso3, r.onset.month), []).append(r)
    merged = []
    for group in grouped.values():
        leads = [r.lead_months for r in group if r.lead_months is not None]
        merged.append(
            OnsetResult(
                onset=group[0].onset,
                monitor="any",
                source=group[0].source,
                evaluable=True,
                flagged_before=any(r.flagged_before for r in group),
                flagged_by_onset=any(r.flagged_by_onset for r in group),
                lead_months=max(leads) if leads else None,
            )
        )
    return merged


def _false_alerts(
    episodes: Sequence[AlertEpisode], quiet: set[tuple[str, str, int]], monitor: str | None
) -> int:
    return sum(
        1
        for e in episodes
        if (monitor is None or e.monitor == monitor) and (e.source, e.iso3, e.opened.year) in quiet
    )


def run_backtest(
    warehouse: Warehouse | None = None,
    *,
    method: SignalMethod | None = None,
    thresholds: ThresholdLookup = default_thresholds,
    period: str = "all",
    neighbours: Neighbours | None = None,
    methods: Sequence[SignalMethod] | None = None,
) -> list[BacktestReport]:
    """Backtest one method (or several, ``methods``) on the onsets the warehouse allows."""
    from atrocity_watch.warehouse import Warehouse

    if period not in ("all", "selection", "evaluation"):
        raise MissingInputError(
            f"The 'period' parameter must be all, selection or evaluation. Got {period!r} instead."
        )
    warehouse = warehouse or Warehouse()
    candidates = list(methods) if methods else [method] if method else [None]
    reports = []
    with EventStore(warehouse) as store:
        if not store.sources or not store.coverage.sources():
            raise NoEventDataError(
                "the backtest needs UCDP GED or ACLED events covering whole months: import them "
                "first (`atrocity-watch data import <file>`)"
            )
        listed = ewp_onsets(store) + osv_onsets(store, 25) + osv_onsets(store, 1000)
        onsets = [o for o in listed if _near_data(store, o)]
        for candidate in candidates:
            signals = signals_from_store(store, method=candidate, neighbours=neighbours)
            reports.append(
                score_onsets(store, signals, onsets, thresholds=thresholds, period=period)
            )
    return reports
