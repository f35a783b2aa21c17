"""What the country page shows, gathered in one place so the page and its tests agree.

Each section is present even without data, with the reason and how to get it: a page of a
country with no forecast still shows its events, indicators and assessments.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import json_script

from atrocity_watch.web.core import geo
from atrocity_watch.web.dashboard import assessment_status, charts, indicators, present
from atrocity_watch.web.dashboard.forecasts import (
    Forecasts,
    RiskFactorShare,
    by_risk_factor,
    drivers,
)
from atrocity_watch.web.dashboard.reads import (
    DashboardDataError,
    duckdb_signature,
    register_cache,
    signatures,
    source_facts,
)


@dataclass(frozen=True)
class IndicatorValue:
    """One structural indicator's latest known value for the country."""

    name: str
    title: str
    value: str
    unit: str
    period: str
    sources: str
    licences: str
    indicators: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class IndicatorGroup:
    """Structural indicators informing one Framework risk factor."""

    risk_factor: int
    name: str
    values: tuple[IndicatorValue, ...]


def _registry_country(iso3: str) -> Any | None:
    from atrocity_watch.countries import get_registry
    from atrocity_watch.errors import AtrocityWatchError

    try:
        return get_registry().by_iso3(iso3)
    except AtrocityWatchError:
        return None


def _forecast_section(iso3: str, found: Forecasts | None) -> dict[str, Any]:
    if found is None:
        return {"forecast": None}
    latest = found.latest.get(iso3)
    history = found.history.get(iso3, ())
    section: dict[str, Any] = {
        "forecast": latest,
        "forecasts": found,
        "change": found.change(iso3),
        "change_text": present.points(found.change(iso3)),
        "forecast_text": present.percent(latest.probability) if latest else "",
        "interval_text": (
            f"{present.percent(latest.ci_low)} – {present.percent(latest.ci_high)}"
            if latest and latest.ci_low is not None and latest.ci_high is not None
            else "not computed"
        ),
        "previous": found.previous.get(iso3),
        "history_spec": charts.risk_history_spec(history, found.model.title) if history else None,
        "forecast_sources": present.source_lines(source_facts(found.model.sources)),
        "shares": [],
        "drivers_spec": None,
        "drivers_problem": "",
    }
    if latest is None:
        return section
    try:
        recorded = drivers(found.model.model)
    except DashboardDataError as exc:
        section["drivers_problem"] = str(exc)
        return section
    if recorded is None:
        section["drivers_problem"] = (
            "The forecast's drivers were not recorded (no forecast_drivers table); run "
            "`atrocity-watch forecast run` again to record them."
        )
        return section
    current = recorded.of(iso3, found.base_year)
    previous = (
        recorded.of(iso3, found.previous_base_year) if found.previous_base_year is not None else ()
    )
    if not current:
        section["drivers_problem"] = "No drivers were recorded for this country's forecast."
        return section
    shares: list[RiskFactorShare] = by_risk_factor(current, previous or None)
    titles = {f.name: f.title for f in indicators.features("year")}
    section.update(
        shares=[
            {
                "share": s,
                "change_text": "" if s.change is None else f"{s.change:+.2f}",
                "drivers": [
                    {
                        "feature": d.feature,
                        "title": titles.get(d.feature, d.feature),
                        "value": present.number(d.value),
                        "contribution": f"{d.contribution:+.3f}",
                    }
                    for d in s.drivers
                ],
            }
            for s in shares
        ],
        drivers_spec=charts.drivers_spec(shares),
    )
    return section


def _events_section(iso3: str) -> dict[str, Any]:
    section: dict[str, Any] = {"events": {}}
    for frequency in ("year", "month"):
        try:
            panel = indicators.panel(frequency)
        except DashboardDataError as exc:
            section["events"][frequency] = {"problem": str(exc)}
            continue
        if panel is None:
            section["events"][frequency] = {"problem": indicators.NO_PANELS}
            continue
        series = panel.series(iso3, indicators.EVENT_FEATURES)
        known = [e for e in series if any(e.get(c) is not None for c in indicators.EVENT_FEATURES)]
        if not known:
            section["events"][frequency] = {
                "problem": "The imported sources have no record of organised violence for "
                "this country in this panel (no data, which is not the same as no violence)."
            }
            continue
        # Start where the first value is known: the decades before a source begins are not news.
        first = series.index(known[0])
        series = series[first:]
        names = set()
        for column in indicators.EVENT_FEATURES:
            feature = indicators.feature(column, frequency)
            if feature is not None:
                names.update(feature.sources)
        section["events"][frequency] = {
            "spec": charts.events_spec(series, frequency),
            "spec_id": f"events-{frequency}-spec",
            "first": present.period(series[0]["period"]),
            "last": present.period(series[-1]["period"]),
            "missing": sum(
                1 for e in series if all(e.get(c) is None for c in indicators.EVENT_FEATURES)
            ),
            "sources": present.source_lines(source_facts(sorted(names))),
            "built": panel.snapshot.written_at,
        }
    return section


def _structural_section(iso3: str) -> dict[str, Any]:
    try:
        panel = indicators.panel("year")
    except DashboardDataError as exc:
        return {"structural": [], "structural_problem": str(exc)}
    if panel is None:
        return {"structural": [], "structural_problem": indicators.NO_PANELS}
    from atrocity_watch.framework import FrameworkError, get_framework

    framework = get_framework()
    groups: dict[int, list[IndicatorValue]] = {}
    structural = indicators.structural_features()
    known = panel.latest_values(iso3, [f.name for f in structural])
    for feature in structural:
        latest = known.get(feature.name)
        if latest is None:
            continue
        period, value = latest
        facts = source_facts(feature.sources)
        groups.setdefault(indicators.risk_factor_of(feature), []).append(
            IndicatorValue(
                name=feature.name,
                title=feature.title,
                value=present.number(value),
                unit=feature.unit,
                period=present.period(period),
                sources=present.titles(facts),
                licences="; ".join(sorted({f.licence for f in facts})),
                indicators=tuple(feature.indicators),
                description=feature.description,
            )
        )
    result = []
    for number in sorted(groups):
        try:
            name = f"Risk factor {number}: {framework.risk_factor(number).name}"
        except FrameworkError:  # a reference the Framework lacks: still show the values
            name = f"Risk factor {number}"
        result.append(IndicatorGroup(number, name, tuple(groups[number])))
    problem = "" if result else "The panels hold no structural indicator for this country."
    return {
        "structural": result,
        "structural_problem": problem,
        "structural_built": panel.snapshot.written_at,
    }


#: The warehouse tables a country page's data sections are built from.
PAGE_TABLES = (
    "forecasts",
    "forecast_meta",
    "forecast_drivers",
    "panel_country_year",
    "panel_country_month",
)
_sections: dict[tuple[Any, ...], dict[str, Any]] = {}
_sections_lock = threading.Lock()


def data_sections(iso3: str, found: Forecasts | None, forecast_problem: str) -> dict[str, Any]:
    """The parts of the page built from the warehouse, kept until one of its tables changes.

    They are the same for every user who may see the country (scope is checked before), so a
    worker builds them once per country and warehouse version — charts as ready-made JSON
    blocks — and a page view only adds the assessments and alerts, which live in the app
    database and change at any time.
    """
    key = (iso3, signatures(PAGE_TABLES), duckdb_signature(), forecast_problem)
    hit = _sections.get(key)
    if hit is not None:
        return hit
    page: dict[str, Any] = {"forecast_problem": forecast_problem}
    page.update(_forecast_section(iso3, found))
    page.update(_events_section(iso3))
    page.update(_structural_section(iso3))
    page["history_spec_json"] = _json_block(page.get("history_spec"), "risk-history-spec")
    page["drivers_spec_json"] = _json_block(page.get("drivers_spec"), "drivers-spec")
    for frequency, section in page["events"].items():
        section["spec_json"] = _json_block(section.get("spec"), f"events-{frequency}-spec")
    page["name"] = geo.country_name(iso3)
    page["data_html"] = render_to_string("dashboard/_country_data.html", page)
    with _sections_lock:
        if len(_sections) > 1024:  # older warehouse versions: start afresh
            _sections.clear()
        _sections[key] = page
    return page


def _json_block(spec: dict[str, Any] | None, element_id: str) -> str:
    return json_script(spec, element_id) if spec is not None else ""


def clear_cache() -> None:
    """Forget the kept sections (tests)."""
    with _sections_lock:
        _sections.clear()


register_cache(clear_cache)


def context(iso3: str, found: Forecasts | None, forecast_problem: str) -> dict[str, Any]:
    """Everything the country page template needs."""
    country = _registry_country(iso3)
    organisations = []
    if country is not None:
        organisations = sorted(getattr(country, "organisations", ()) or ())
    info = geo_info(iso3)
    page: dict[str, Any] = {
        "iso3": iso3,
        "name": geo.country_name(iso3),
        "region": info.region if info else "",
        "subregion": info.subregion if info else "",
        "organisations": organisations,
        "historical": bool(country is not None and getattr(country, "historical", False)),
        "assessments": assessment_status.versions(iso3),
        "assessment_history_url": assessment_status.history_url(iso3),
    }
    approved = [a for a in page["assessments"] if a.status == "approved"]
    page["latest_assessment"] = approved[0] if approved else None
    page["open_assessment"] = next((a for a in page["assessments"] if a.status != "approved"), None)
    page.update(data_sections(iso3, found, forecast_problem))
    return page


@functools.cache
def _countries_by_code() -> dict[str, Any]:
    return {c.iso3: c for c in geo.current_countries()}


def geo_info(iso3: str) -> Any | None:
    """Region and sub-region of a current country (None for historical ones)."""
    return _countries_by_code().get(iso3)
