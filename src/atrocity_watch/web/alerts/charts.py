"""The alert page's chart, drawn on the server as SVG: no script, nothing for the CSP to block.

Bars are the monthly values; the line is the baseline (the average of the trailing window);
the dashed line is the value that would have raised an alert that month (the threshold turned
into the monitor's unit); grey bands are months without data (never drawn as zero).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDTH = 760
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 34


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[dict[str, Any]] = field(default_factory=list)
    baseline: str = ""
    threshold: str = ""
    y_ticks: list[dict[str, Any]] = field(default_factory=list)
    x_ticks: list[dict[str, Any]] = field(default_factory=list)
    marker: dict[str, Any] | None = None
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    empty: bool = True


def _nice_max(value: float) -> float:
    if value <= 1:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def build_chart(series: list[dict[str, Any]], opened: str | None = None) -> Chart:
    """Geometry of the chart for ``series`` (the alert's ``series`` JSON)."""
    chart = Chart()
    if not series:
        return chart
    chart.empty = False
    peaks = [
        max(p.get("value") or 0, p.get("baseline") or 0, p.get("threshold") or 0) for p in series
    ]
    top = _nice_max(max(peaks))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / len(series)

    def y(value: float) -> float:
        return TOP + plot_h - (min(value, top) / top) * plot_h

    baseline_points, threshold_points = [], []
    for i, point in enumerate(series):
        x = LEFT + i * step
        if not point.get("covered"):
            chart.gaps.append({"x": round(x, 1), "w": round(step, 1), "month": point["month"]})
        elif point.get("value") is not None:
            value = float(point["value"])
            chart.bars.append(
                {
                    "x": round(x + step * 0.1, 1),
                    "y": round(y(value), 1),
                    "w": round(step * 0.8, 1),
                    "h": round(TOP + plot_h - y(value), 1),
                    "month": point["month"],
                    "value": value,
                    "alert": point.get("threshold") is not None
                    and value >= float(point["threshold"]),
                }
            )
        centre = x + step / 2
        if point.get("baseline") is not None:
            baseline_points.append(f"{centre:.1f},{y(float(point['baseline'])):.1f}")
        if point.get("threshold") is not None:
            threshold_points.append(f"{centre:.1f},{y(float(point['threshold'])):.1f}")
        if point["month"].endswith("-01") or i == 0:
            chart.x_ticks.append({"x": round(centre, 1), "label": point["month"][:4]})
        if opened and point["month"] == opened:
            chart.marker = {"x": round(centre, 1)}
    chart.baseline = " ".join(baseline_points)
    chart.threshold = " ".join(threshold_points)
    chart.y_ticks = [
        {"y": round(y(v), 1), "label": f"{v:,.0f}" if top >= 10 else f"{v:g}"}
        for v in (0, top / 2, top)
    ]
    return chart
