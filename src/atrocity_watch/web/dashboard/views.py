"""Pages of the dashboard: /map/, /watchlist/ (and its CSV), /countries/<ISO3>/."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from atrocity_watch.web.accounts.permissions import can, countries_for, ensure, require
from atrocity_watch.web.audit.log import record
from atrocity_watch.web.core import geo
from atrocity_watch.web.core.datastatus import HOW_TO_GET_DATA
from atrocity_watch.web.dashboard import (
    alerts_hook,
    assessment_status,
    country_page,
    indicators,
    present,
    rendering,
    watchlist,
    worldmap,
)
from atrocity_watch.web.dashboard.forecasts import NO_FORECASTS, Forecasts, forecasts
from atrocity_watch.web.dashboard.reads import DashboardDataError, source_facts

RISK = "risk"


def _country_url(iso3: str) -> str:
    return reverse("dashboard:country", args=[iso3])


def load_forecasts() -> tuple[Forecasts | None, str]:
    """The headline forecasts and, when there are none or they are unusable, why."""
    try:
        found = forecasts()
    except DashboardDataError as exc:
        return None, str(exc)
    return found, "" if found is not None else NO_FORECASTS


def load_panel(frequency: str) -> tuple[indicators.Panel | None, str]:
    """A panel and, when it is missing or unusable, why."""
    try:
        found = indicators.panel(frequency)
    except DashboardDataError as exc:
        return None, str(exc)
    return found, "" if found is not None else indicators.NO_PANELS


# -- world map ------------------------------------------------------------------------------


def _risk_values(found: Forecasts, allowed: frozenset[str] | None) -> dict[str, Any]:
    total = len(found.latest)
    source = f"Atrocity Watch forecast ({found.model.title})"
    when = found.created_at
    date = f"base year {found.base_year}" + (f", computed {when:%d %b %Y}" if when else "")
    values = {}
    for iso3, f in found.latest.items():
        if allowed is not None and iso3 not in allowed:
            continue
        rank = ""
        if f.rank is not None:
            rank = f"{f.rank} of {total}" if allowed is None else f"{f.rank} worldwide"
        interval = (
            f" ({present.percent(f.ci_low)}–{present.percent(f.ci_high)})"
            if f.ci_low is not None and f.ci_high is not None
            else ""
        )
        values[iso3] = worldmap.MapValue(
            value=f.probability,
            value_text=present.percent(f.probability) + interval,
            rank_text=rank,
            source=source,
            date=date,
        )
    return values


def _indicator_values(
    panel: indicators.Panel, feature: Any, year: int, allowed: frozenset[str] | None
) -> dict[str, Any]:
    section = panel.cross_section(feature.name, year)
    if allowed is not None:
        section = {k: v for k, v in section.items() if k in allowed}
    ordered = sorted(section.items(), key=lambda kv: -kv[1])
    source = present.titles(source_facts(feature.sources))
    scope_word = "" if allowed is None else " in your scope"
    values = {}
    for position, (iso3, value) in enumerate(ordered, start=1):
        values[iso3] = worldmap.MapValue(
            value=value,
            value_text=f"{present.number(value)} {feature.unit}",
            rank_text=f"{position} of {len(ordered)}{scope_word} (highest first)",
            source=source,
            date=str(year),
        )
    return values


@require("view")
def world_map(request: HttpRequest) -> HttpResponse:
    """The world map of forecast risk, or of one panel indicator chosen by the user."""
    allowed = countries_for(request.user, "view")
    found, forecast_problem = load_forecasts()
    year_panel, panel_problem = load_panel("year")
    choices = indicators.map_features() if year_panel is not None else ()
    # Without forecasts yet, open on the first indicator the panel has rather than on a notice.
    show = request.GET.get("show", "").strip()
    if not show:
        show = RISK
        if found is None and year_panel is not None:
            show = next((f.name for f in choices if year_panel.has(f.name)), RISK)
    context: dict[str, Any] = {
        "show": show,
        "choices": choices,
        "forecast_problem": forecast_problem,
        "panel_problem": panel_problem,
        "how_to": HOW_TO_GET_DATA,
        "scoped": allowed is not None,
        "spec": None,
        "years": [],
        "year": None,
        "sources": [],
        "status": 200,
    }
    if show == RISK:
        if found is not None:
            values = _risk_values(found, allowed)
            context.update(
                title="Forecast risk of a new mass killing",
                value_title="Risk",
                spec_values=values,
                forecasts=found,
                sources=present.source_lines(source_facts(found.model.sources)),
            )
            context["spec"] = _map_spec(values, allowed, "Risk", risk=True)
    else:
        feature = indicators.feature(show, "year")
        if feature is None or indicators.is_trend(feature):
            context.update(
                error=f"There is no indicator {show!r} to colour the map by; choose one from the "
                "list.",
                status=400,
            )
        elif year_panel is not None:
            years = year_panel.periods(feature.name)
            raw_year = request.GET.get("year", "").strip()
            chosen = _year_choice(raw_year, years)
            year = chosen or year_panel.default_period(feature.name)
            context.update(
                feature=feature,
                years=years,
                year=year,
                title=feature.title,
                panel_built=year_panel.snapshot.written_at,
            )
            if raw_year and chosen is None:
                context["error"] = f"{feature.title} has no values for {raw_year!r}" + (
                    f"; the map shows {year} instead." if year is not None else "."
                )
            if year is None:
                context["panel_problem"] = (
                    f"No country has a value of {feature.title} in the country-year panel yet."
                )
            else:
                values = _indicator_values(year_panel, feature, year, allowed)
                context["spec"] = _map_spec(values, allowed, feature.title, risk=False)
                context["sources"] = present.source_lines(source_facts(feature.sources))
    return render(request, "dashboard/map.html", context, status=context["status"])


def _year_choice(raw: str, years: list[Any]) -> int | None:
    if not raw.strip():
        return None
    try:
        year = int(raw)
    except ValueError:
        return None
    return year if year in years else None


def _map_spec(
    values: dict[str, Any], allowed: frozenset[str] | None, title: str, *, risk: bool
) -> dict[str, Any]:
    rows = worldmap.map_rows(values, allowed, _country_url)
    return worldmap.map_spec(
        rows,
        topojson_url=static(worldmap.TOPOJSON),
        value_title=title,
        risk=risk,
        extent=worldmap.scope_extent(allowed) if allowed is not None else None,
        description=f"World map of {title.lower()}; grey countries have no data.",
    )


# -- watchlist ------------------------------------------------------------------------------


def _watchlist(
    request: HttpRequest, filters: watchlist.Filters, found: Forecasts | None
) -> watchlist.Watchlist:
    allowed = countries_for(request.user, "view")
    return watchlist.build(
        allowed,
        filters,
        found,
        assessment_status.latest_approved(allowed),
        alerts_hook.active_alerts(allowed),
    )


@require("view")
def watchlist_page(request: HttpRequest) -> HttpResponse:
    """Countries ranked by risk; filters and sorting work with and without JavaScript."""
    status = 200
    error = ""
    try:
        filters = watchlist.Filters.from_query(request.GET)
    except watchlist.WatchlistFilterError as exc:
        filters, error, status = watchlist.Filters(), str(exc), 400
    found, problem = load_forecasts()
    allowed = countries_for(request.user, "view")
    assessments = assessment_status.latest_approved(allowed)
    alerts = alerts_hook.active_alerts(allowed)
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    can_export = can(request.user, "export")
    template = (
        "dashboard/_watchlist_results.html" if partial else "dashboard/_watchlist_content.html"
    )
    key = rendering.watchlist_key(
        template, allowed, filters, found, problem, error, assessments, alerts, can_export
    )
    html = rendering.kept_page(key)
    if html is None:
        result = watchlist.build(allowed, filters, found, assessments, alerts)
        html = rendering.keep_page(
            key,
            render_to_string(
                template,
                _watchlist_context(result, filters, found, problem, error, can_export, partial),
            ),
        )
    if partial:
        return HttpResponse(html, status=status)
    return render(request, "dashboard/watchlist.html", {"content_html": html}, status=status)


def _watchlist_context(
    result: watchlist.Watchlist,
    filters: watchlist.Filters,
    found: Forecasts | None,
    problem: str,
    error: str,
    can_export: bool,
    partial: bool,
) -> dict[str, Any]:
    return {
        "filters": filters,
        "result": result,
        "forecasts": found,
        "forecast_problem": problem,
        "error": error,
        "columns": _columns(filters),
        "regions": geo.region_choices(),
        "organisations": geo.organisation_choices(),
        "categories": [
            (c, assessment_status.category_label(c))
            for c in (*assessment_status.CATEGORY_ORDER, assessment_status.NOT_ASSESSED)
        ],
        "can_export": can_export,
        "export_query": _urlencode(filters.query()),
        "sources": present.source_lines(source_facts(found.model.sources)) if found else [],
        "partial": partial,
        "rows_html": rendering.render_rows(
            result.rows, result.alerts.monitored, result.alerts.message
        ),
    }


def _urlencode(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def _columns(filters: watchlist.Filters) -> list[dict[str, Any]]:
    """Header cells: each links to sorting by it (the other way round when already sorted)."""
    cells = []
    for key, sort in watchlist.SORTS.items():
        current = filters.sort == key
        direction = (
            ("desc" if filters.direction == "asc" else "asc") if current else sort.default_direction
        )
        cells.append(
            {
                "key": key,
                "label": sort.label,
                "query": _urlencode(filters.query(sort=key, direction=direction)),
                "aria_sort": (
                    ("ascending" if filters.direction == "asc" else "descending")
                    if current
                    else "none"
                ),
                "current": current,
            }
        )
    return cells


@require("export")
def watchlist_csv(request: HttpRequest) -> HttpResponse:
    """The watchlist as shown (same filters and order) as CSV; recorded in the audit log."""
    try:
        filters = watchlist.Filters.from_query(request.GET)
    except watchlist.WatchlistFilterError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    result = _watchlist(request, filters, load_forecasts()[0])
    body = watchlist.to_csv(result)
    stamp = timezone.now()
    base = f"-{result.forecasts.base_year}" if result.forecasts else ""
    filename = f"atrocity-watch-watchlist{base}-{stamp:%Y-%m-%d}.csv"
    with transaction.atomic():
        record(
            "export",
            request=request,
            object_type="dashboard.watchlist",
            object_repr=f"Watchlist CSV ({len(result.rows)} countries)",
            after={
                "filters": filters.query(),
                "rows": len(result.rows),
                "countries": [r.iso3 for r in result.rows],
                "model": result.forecasts.model.model if result.forecasts else None,
                "base_year": result.forecasts.base_year if result.forecasts else None,
            },
        )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- country page ---------------------------------------------------------------------------


@require("view")
def country(request: HttpRequest, iso3: str) -> HttpResponse:
    """Everything the dashboard knows about one country."""
    code = iso3.upper()
    if not geo.is_country(code):
        raise Http404(f"There is no country with the code {iso3!r}.")
    if code != iso3:
        from django.shortcuts import redirect

        return redirect("dashboard:country", iso3=code)
    ensure(request.user, "view", code)
    found, forecast_problem = load_forecasts()
    context = country_page.context(code, found, forecast_problem)
    alerts = alerts_hook.active_alerts(frozenset({code}))
    # The content is the same for everyone allowed to see the country (checked above): keep it
    # rendered until the forecasts, the panels (both in data_html), the assessments or the
    # alerts change. Only the frame (navigation, user menu, CSRF token) is rendered per request.
    key = (
        "country",
        code,
        (found.snapshot.path, found.snapshot.signature) if found is not None else None,
        forecast_problem,
        context["data_html"],
        tuple(context["assessments"]),
        alerts.monitored,
        alerts.message,
        tuple(sorted((k, tuple(v)) for k, v in alerts.by_country.items())),
    )
    html = rendering.kept_page(key)
    if html is None:
        context["alerts"] = alerts
        context["alert_list"] = alerts.of(code)
        context["how_to"] = HOW_TO_GET_DATA
        html = rendering.keep_page(
            key, render_to_string("dashboard/_country_content.html", context)
        )
    return render(
        request, "dashboard/country.html", {"name": context["name"], "content_html": html}
    )
