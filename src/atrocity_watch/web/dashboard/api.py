"""Read endpoints of the dashboard: forecasts and panel indicators (``/api/forecasts``,
``/api/panels``), under the same roles and scopes as the pages.

When the warehouse holds no forecasts, the forecast endpoints answer 404 with a message that
says how to compute them, so a script never mistakes "nothing computed yet" for "no risk".
"""

# No `from __future__ import annotations`: django-ninja builds its query models from the
# evaluated annotations (Literal types fail as strings).

import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from atrocity_watch.web.accounts.permissions import countries_for, ensure
from atrocity_watch.web.core import geo
from atrocity_watch.web.dashboard import indicators
from atrocity_watch.web.dashboard.forecasts import (
    NO_FORECASTS,
    CountryForecast,
    Forecasts,
    by_risk_factor,
    drivers,
    forecasts,
)
from atrocity_watch.web.dashboard.reads import DashboardDataError, SourceFacts, source_facts

router = Router(tags=["forecasts and indicators"])


class ForecastOut(Schema):
    iso3: str
    country: str
    model: str
    base_year: int
    window_start: int | None
    window_end: int | None
    probability: float
    ci_low: float | None
    ci_high: float | None
    rank: int | None
    change_since_previous_base_year: float | None
    previous_base_year: int | None
    data_version: str
    created_at: dt.datetime | None


class DriverOut(Schema):
    feature: str
    value: float | None
    contribution: float


class RiskFactorOut(Schema):
    risk_factor: int
    name: str
    contribution: float
    previous_contribution: float | None
    drivers: list[DriverOut]


class ForecastDetailOut(ForecastOut):
    drivers_by_risk_factor: list[RiskFactorOut]


class SourceOut(Schema):
    name: str
    title: str
    publisher: str
    licence: str
    citation: str
    url: str
    versions: list[str]
    imported_at: dt.datetime | None


class FeatureOut(Schema):
    name: str
    title: str
    frequency: str
    table: str
    unit: str
    coverage: str
    indicators: list[str]
    description: str
    sources: list[SourceOut]


class ValueOut(Schema):
    period: str
    value: float | None


class SeriesOut(Schema):
    iso3: str
    country: str
    feature: str
    title: str
    frequency: str
    unit: str
    indicators: list[str]
    sources: list[SourceOut]
    built_at: dt.datetime
    values: list[ValueOut]


def _forecasts() -> Forecasts:
    try:
        found = forecasts()
    except DashboardDataError as exc:
        raise HttpError(503, str(exc)) from None
    if found is None:
        raise Http404(NO_FORECASTS)
    return found


def _forecast_out(f: CountryForecast, found: Forecasts) -> dict[str, Any]:
    latest = f.base_year == found.base_year
    return {
        "iso3": f.iso3,
        "country": f.country or geo.country_name(f.iso3),
        "model": f.model,
        "base_year": f.base_year,
        "window_start": f.window_start,
        "window_end": f.window_end,
        "probability": f.probability,
        "ci_low": f.ci_low,
        "ci_high": f.ci_high,
        "rank": f.rank,
        "change_since_previous_base_year": found.change(f.iso3) if latest else None,
        "previous_base_year": found.change_against if latest else None,
        "data_version": f.data_version,
        "created_at": f.created_at,
    }


def _known_country(iso3: str) -> str:
    code = iso3.upper()
    if not geo.is_country(code):
        raise Http404(f"There is no country with the ISO3 code {iso3!r}.")
    return code


class ForecastPage(Schema):
    items: list[ForecastOut]
    count: int


@router.get("/forecasts", response=ForecastPage, summary="Latest forecasts, highest risk first")
def list_forecasts(
    request: HttpRequest,
    region: str = "",
    organisation: str = "",
    limit: Annotated[int, Query(ge=1)] = settings.NINJA_PAGINATION_PER_PAGE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HttpResponse:
    """The headline model's latest forecast for every country you may see, by rank.

    Filter by UN M49 region (code or name) or organisation (AU, ECOWAS, …). Paged like every
    list (``limit``, at most 500, and ``offset``; ``{"items": [...], "count": n}``). 404 when
    no forecasts have been computed yet.
    """
    ensure(request.user, "view")
    found = _forecasts()
    allowed = countries_for(request.user, "view")
    members: frozenset[str] | None = None
    if region:
        members = geo.countries_of_region(geo.canonical_region(region))
    if organisation:
        org = geo.countries_of_organisation(geo.canonical_organisation(organisation))
        members = org if members is None else members & org
    shown = [
        item
        for iso3, item in _ranked_json(found)
        if (allowed is None or iso3 in allowed) and (members is None or iso3 in members)
    ]
    limit = min(limit, settings.NINJA_PAGINATION_MAX_LIMIT)
    page = b",".join(shown[offset : offset + limit])
    body = b'{"items":[' + page + b'],"count":' + str(len(shown)).encode() + b"}"
    return HttpResponse(body, content_type="application/json; charset=utf-8")


_ranked_cache: dict[tuple[Any, ...], list[tuple[str, bytes]]] = {}


def _ranked_json(found: Forecasts) -> list[tuple[str, bytes]]:
    """The latest forecasts as JSON items, validated and serialised once per table version.

    The list is the busiest endpoint of the API (scripts poll it); building and validating 50
    response objects per request cost more than everything else it does. Each item still goes
    through the ``ForecastOut`` schema — once, here.
    """
    key = (found.snapshot.path, found.snapshot.signature, found.model.model)
    hit = _ranked_cache.get(key)
    if hit is None:
        hit = [
            (f.iso3, ForecastOut(**_forecast_out(f, found)).model_dump_json().encode())
            for f in found.ranked
        ]
        _ranked_cache.clear()  # one version at a time: older ones are never asked for again
        _ranked_cache[key] = hit
    return hit


@router.get("/forecasts/{iso3}", response=ForecastDetailOut, summary="One country's forecast")
def get_forecast(request: HttpRequest, iso3: str) -> dict[str, Any]:
    """The latest forecast of one country with its drivers grouped by Framework risk factor."""
    code = _known_country(iso3)
    ensure(request.user, "view", code)
    found = _forecasts()
    latest = found.latest.get(code)
    if latest is None:
        raise Http404(
            f"The {found.model.title} model has no forecast for {geo.country_name(code)} in "
            f"base year {found.base_year}."
        )
    out = _forecast_out(latest, found)
    out["drivers_by_risk_factor"] = []
    try:
        recorded = drivers(found.model.model)
    except DashboardDataError as exc:
        raise HttpError(503, str(exc)) from None
    if recorded is not None:
        current = recorded.of(code, found.base_year)
        previous = (
            recorded.of(code, found.previous_base_year)
            if found.previous_base_year is not None
            else ()
        )
        out["drivers_by_risk_factor"] = [
            {
                "risk_factor": s.risk_factor,
                "name": s.name,
                "contribution": s.contribution,
                "previous_contribution": s.previous,
                "drivers": [
                    {"feature": d.feature, "value": d.value, "contribution": d.contribution}
                    for d in s.drivers
                ],
            }
            for s in by_risk_factor(current, previous or None)
        ]
    return out


@router.get(
    "/forecasts/{iso3}/history",
    response=list[ForecastOut],
    summary="One country's forecasts for every base year",
)
def forecast_history(request: HttpRequest, iso3: str) -> list[dict[str, Any]]:
    """The headline model's forecast of one country for every base year, oldest first."""
    code = _known_country(iso3)
    ensure(request.user, "view", code)
    found = _forecasts()
    return [_forecast_out(f, found) for f in found.history.get(code, ())]


def _source_out(fact: SourceFacts) -> dict[str, Any]:
    return {
        "name": fact.name,
        "title": fact.title,
        "publisher": fact.publisher,
        "licence": fact.licence,
        "citation": fact.citation,
        "url": fact.url,
        "versions": list(fact.versions),
        "imported_at": fact.imported_at,
    }


def _feature_out(feature: Any) -> dict[str, Any]:
    return {
        "name": feature.name,
        "title": feature.title,
        "frequency": feature.frequency,
        "table": indicators.PANEL_TABLES[feature.frequency],
        "unit": feature.unit,
        "coverage": feature.coverage,
        "indicators": list(feature.indicators),
        "description": feature.description,
        "sources": [_source_out(f) for f in source_facts(feature.sources)],
    }


@router.get("/panels/features", response=list[FeatureOut], summary="Indicators of the panels")
@paginate(LimitOffsetPagination)
def list_features(
    request: HttpRequest, frequency: Literal["year", "month", ""] = ""
) -> list[dict[str, Any]]:
    """Every panel column: what it measures, its sources and licences, and the Framework
    indicators it informs."""
    ensure(request.user, "view")
    return [_feature_out(f) for f in indicators.features(frequency or None)]


@router.get("/panels/{iso3}/{feature}", response=SeriesOut, summary="One indicator for one country")
def feature_values(
    request: HttpRequest,
    iso3: str,
    feature: str,
    frequency: Literal["year", "month"] = "year",
    start: str = "",
    end: str = "",
) -> dict[str, Any]:
    """The country's values of one indicator per year (or month: ``frequency=month``).

    Every period from the first to the last the panel has for the country is listed; ``null``
    means the sources do not cover it (missing, not zero). ``start``/``end`` limit the
    periods (a year, or a month as ``2023-06``).
    """
    code = _known_country(iso3)
    ensure(request.user, "view", code)
    declared = indicators.feature(feature, frequency)
    if declared is None:
        names = sorted(f.name for f in indicators.features(frequency))
        close = [n for n in names if feature.split("_")[0] in n][:5]
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise Http404(f"There is no {frequency} indicator called {feature!r}.{hint}")
    try:
        panel = indicators.panel(frequency)
    except DashboardDataError as exc:
        raise HttpError(503, str(exc)) from None
    if panel is None:
        raise Http404(indicators.NO_PANELS)
    if frequency == "month" and not panel.has(feature):
        raise HttpError(
            400, f"Monthly values are served for {', '.join(indicators.EVENT_FEATURES)} only."
        )
    lower, upper = _bound(start, frequency, "start"), _bound(end, frequency, "end")
    if lower is not None and upper is not None and lower > upper:
        raise HttpError(400, f"'start' ({start}) is after 'end' ({end}).")
    values = []
    for entry in panel.series(code, [feature]):
        period = entry["period"]
        if (lower is not None and period < lower) or (upper is not None and period > upper):
            continue
        label = period.isoformat()[:7] if isinstance(period, dt.date) else str(period)
        values.append({"period": label, "value": entry.get(feature)})
    return {
        "iso3": code,
        "country": geo.country_name(code),
        "feature": declared.name,
        "title": declared.title,
        "frequency": frequency,
        "unit": declared.unit,
        "indicators": list(declared.indicators),
        "sources": [_source_out(f) for f in source_facts(declared.sources)],
        "built_at": panel.snapshot.written_at,
        "values": values,
    }


def _bound(raw: str, frequency: str, name: str) -> Any:
    raw = raw.strip()
    if not raw:
        return None
    try:
        if frequency == "year":
            return int(raw)
        year, month = raw.split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except ValueError:
        example = "2023" if frequency == "year" else "2023-06"
        raise HttpError(
            400, f"'{name}' must be a {frequency} like {example}. Got {raw!r} instead."
        ) from None


ROUTERS = [("", router)]
