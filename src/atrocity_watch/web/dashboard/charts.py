"""Vega-Lite specs of the country page's charts, as plain dicts.

The pages embed each spec as JSON (``json_script``) and ``static/dashboard/charts.js`` renders
it with vega-embed (Vega's expression interpreter, no ``eval``). Specs carry their data inline:
a country's series are small, and this keeps every figure's numbers in the page that states
their source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from atrocity_watch.web.dashboard.forecasts import CountryForecast, RiskFactorShare

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
RISK_COLOUR = "#d94801"
EVENT_KINDS = {
    "one_sided_deaths": ("One-sided violence (civilians targeted)", "#7f2704"),
    "state_based_deaths": ("State-based armed conflict", "#2171b5"),
    "non_state_deaths": ("Non-state conflict", "#6a51a3"),
}


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def risk_history_spec(history: Sequence[CountryForecast], model_title: str) -> dict[str, Any]:
    """The headline model's probability for every base year, with its uncertainty band."""
    rows = [
        {
            "base_year": f.base_year,
            "probability": f.probability,
            "ci_low": f.ci_low,
            "ci_high": f.ci_high,
            "window": f.window,
            "probability_text": _percent(f.probability),
            "interval_text": (
                f"{_percent(f.ci_low)} – {_percent(f.ci_high)}"
                if f.ci_low is not None and f.ci_high is not None
                else "not computed"
            ),
            "rank": f.rank,
        }
        for f in history
    ]
    tooltip = [
        {"field": "base_year", "title": "Base year", "type": "ordinal"},
        {"field": "window", "title": "Onset window"},
        {"field": "probability_text", "title": "Probability"},
        {"field": "interval_text", "title": "Uncertainty interval"},
        {"field": "rank", "title": "Rank", "type": "quantitative"},
    ]
    x = {
        "field": "base_year",
        "type": "quantitative",
        "title": "Base year",
        "axis": {"format": "d", "tickMinStep": 1},
        "scale": {"zero": False, "nice": False},
    }
    y_axis = {"format": ".0%", "title": "Probability of a new mass killing"}
    layers: list[dict[str, Any]] = [
        {
            "transform": [{"filter": "datum.ci_low != null && datum.ci_high != null"}],
            "mark": {"type": "area", "opacity": 0.25, "color": RISK_COLOUR},
            "encoding": {
                "x": x,
                "y": {"field": "ci_low", "type": "quantitative", "axis": y_axis},
                "y2": {"field": "ci_high"},
            },
        },
        {
            "mark": {"type": "line", "color": RISK_COLOUR, "point": {"color": RISK_COLOUR}},
            "encoding": {
                "x": x,
                "y": {"field": "probability", "type": "quantitative", "axis": y_axis},
                "tooltip": tooltip,
            },
        },
    ]
    if len(rows) == 1:  # one year: the band has no width, so draw the interval as a rule
        layers.insert(
            0,
            {
                "transform": [{"filter": "datum.ci_low != null && datum.ci_high != null"}],
                "mark": {"type": "rule", "color": RISK_COLOUR, "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": {"field": "ci_low", "type": "quantitative", "axis": y_axis},
                    "y2": {"field": "ci_high"},
                },
            },
        )
    return {
        "$schema": SCHEMA,
        "description": f"Forecast probability by base year ({model_title}), with its interval.",
        "width": "container",
        "height": 220,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": rows},
        "layer": layers,
    }


def drivers_spec(shares: Sequence[RiskFactorShare]) -> dict[str, Any]:
    """Contributions to the forecast by Framework risk factor, with last year's as ticks."""
    rows = [
        {
            "risk_factor": s.name,
            "contribution": round(s.contribution, 4),
            "previous": None if s.previous is None else round(s.previous, 4),
            "direction": "raises the risk" if s.contribution >= 0 else "lowers the risk",
            "change_text": "" if s.change is None else f"{s.change:+.2f}",
        }
        for s in shares
    ]
    order = [s.name for s in shares]
    y: dict[str, Any] = {
        "field": "risk_factor",
        "type": "nominal",
        "sort": order,
        "title": None,
        "axis": {"labelLimit": 360},
    }
    tooltip = [
        {"field": "risk_factor", "title": "Risk factor"},
        {"field": "contribution", "title": "Contribution (log-odds)", "format": "+.2f"},
        {"field": "change_text", "title": "Change since the previous year"},
    ]
    return {
        "$schema": SCHEMA,
        "description": "Contribution of each Framework risk factor to the forecast (log-odds).",
        "width": "container",
        "height": {"step": 26},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "contribution",
                        "type": "quantitative",
                        "title": "Contribution to the forecast (log-odds; right raises the risk)",
                    },
                    "color": {
                        "field": "direction",
                        "type": "nominal",
                        "scale": {
                            "domain": ["raises the risk", "lowers the risk"],
                            "range": [RISK_COLOUR, "#4292c6"],
                        },
                        "legend": {"title": None, "orient": "bottom"},
                    },
                    "tooltip": tooltip,
                },
            },
            {
                "transform": [{"filter": "datum.previous != null"}],
                "mark": {"type": "tick", "color": "#252525", "thickness": 2},
                "encoding": {
                    "y": y,
                    "x": {"field": "previous", "type": "quantitative"},
                    "tooltip": [
                        {"field": "risk_factor", "title": "Risk factor"},
                        {"field": "previous", "title": "Previous year", "format": "+.2f"},
                    ],
                },
            },
        ],
    }


def events_spec(series: Sequence[dict[str, Any]], frequency: str) -> dict[str, Any]:
    """Deaths in one-sided, state-based and non-state violence; missing periods are gaps."""
    rows = []
    for entry in series:
        period = entry["period"]
        label = period.isoformat() if isinstance(period, dt.date) else int(period)
        for column, (kind, _colour) in EVENT_KINDS.items():
            if column in entry:
                rows.append({"period": label, "kind": kind, "deaths": entry[column]})
    kinds = [kind for column, (kind, _c) in EVENT_KINDS.items() if any(column in e for e in series)]
    colours = [c for column, (_k, c) in EVENT_KINDS.items() if any(column in e for e in series)]
    if frequency == "year":
        x: dict[str, Any] = {
            "field": "period",
            "type": "quantitative",
            "title": "Year",
            "axis": {"format": "d", "tickMinStep": 1},
            "scale": {"zero": False, "nice": False},
        }
        period_tip: dict[str, Any] = {"field": "period", "title": "Year", "type": "ordinal"}
    else:
        x = {"field": "period", "type": "temporal", "title": "Month", "timeUnit": "yearmonth"}
        period_tip = {
            "field": "period",
            "title": "Month",
            "type": "temporal",
            "timeUnit": "yearmonth",
            "format": "%B %Y",
        }
    return {
        "$schema": SCHEMA,
        "description": (
            f"Deaths by type of organised violence per {frequency}; gaps are periods the "
            "sources do not cover."
        ),
        "width": "container",
        "height": 200,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": rows},
        "mark": {
            "type": "line",
            "point": {"size": 18},
            "invalid": "break-paths-filter-domains",
            "strokeWidth": 1.5,
        },
        "encoding": {
            "x": x,
            "y": {"field": "deaths", "type": "quantitative", "title": "Deaths (best estimate)"},
            "color": {
                "field": "kind",
                "type": "nominal",
                "scale": {"domain": kinds, "range": colours},
                "legend": {"title": None, "orient": "bottom", "columns": 1, "labelLimit": 400},
            },
            "tooltip": [
                period_tip,
                {"field": "kind", "title": "Violence"},
                {"field": "deaths", "title": "Deaths", "format": ",d"},
            ],
        },
    }
