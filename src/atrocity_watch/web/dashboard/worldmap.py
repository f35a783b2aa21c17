"""The world map: which country each shape is, and the Vega-Lite spec of the choropleth.

The shapes are Natural Earth's 1:110m countries from the npm package ``world-atlas``
(vendored under ``static/vendor/world-atlas``). Each carries its ISO 3166-1 numeric code as a
zero-padded string ("004"), which the country registry turns into the ISO3 key the data use.
Three shapes have no code and are matched by name (:data:`UNNUMBERED_SHAPES`).

Vega-Lite joins the page's rows to the shapes by ``key`` (the numeric code, or the name for
the three without one). Rows are built in Python so that values, ranks and dates are formatted
once, and so that nothing outside the user's scope ever reaches the browser.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TOPOJSON = "vendor/world-atlas/countries-110m.json"
_TOPOJSON_PATH = Path(__file__).resolve().parents[1] / "static" / TOPOJSON

#: Shapes without an ISO numeric code: (registry key whose data they show, name on the map).
#: No dataset Atrocity Watch imports scores Somaliland or Northern Cyprus on their own (UCDP,
#: EWP and the World Bank code them within Somalia and Cyprus), so they show those countries'
#: values, and their tooltip says so.
UNNUMBERED_SHAPES: dict[str, tuple[str, str]] = {
    "Kosovo": ("XKX", "Kosovo"),
    "N. Cyprus": ("CYP", "Northern Cyprus (data of Cyprus)"),
    "Somaliland": ("SOM", "Somaliland (data of Somalia)"),  # codespell:ignore
}

ANTARCTICA = "010"
NO_DATA = "no data"
OUTSIDE = "outside your scope"
NO_DATA_COLOUR = "#bdbdbd"
OUTSIDE_COLOUR = "#ececec"

#: Colour classes of the risk map: forecast probabilities are skewed (most countries below 2 %),
#: so fixed doubling thresholds keep the high-risk end readable and the legend stable.
RISK_THRESHOLDS = (0.01, 0.02, 0.04, 0.08, 0.16)
RISK_COLOURS = ("#fff5eb", "#fdd0a2", "#fdae6b", "#f16913", "#d94801", "#7f2704")
#: Sequential blues (ColorBrewer "Blues"), lightest first, for indicators: a neutral scale,
#: since for some indicators more is better and for others worse.
INDICATOR_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def class_breaks(values: Iterable[float], classes: int = 5) -> list[float]:
    """Up to ``classes - 1`` thresholds at the quantiles of ``values``, without duplicates.

    Counts of violence are mostly zero; plain quantiles would repeat 0 and draw a legend with
    empty classes. Duplicate and minimum-valued breaks are dropped, so zero keeps a class of
    its own and every class in the legend holds some countries.
    """
    ordered = sorted(values)
    if not ordered:
        return []
    breaks: list[float] = []
    for k in range(1, classes):
        cut = ordered[min(len(ordered) - 1, (len(ordered) * k) // classes)]
        if cut > ordered[0] and (not breaks or cut > breaks[-1]):
            breaks.append(cut)
    return breaks


@dataclass(frozen=True)
class Shape:
    """One shape of the world map."""

    key: str  # ISO numeric as in the file ("004"), or the name for unnumbered shapes
    iso3: str  # registry key of the country whose data it shows ("" when unknown)
    name: str
    bbox: tuple[float, float, float, float]  # lon/lat of its largest part: W, S, E, N


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantised, delta-encoded (TopoJSON specification, "transform")
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring_points(ring: Sequence[int], arcs: list[list[tuple[float, float]]]) -> list[Any]:
    points: list[tuple[float, float]] = []
    for index in ring:
        points.extend(arcs[index] if index >= 0 else arcs[~index])
    return points


def _bbox(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


@cache
def shapes() -> tuple[Shape, ...]:
    """Every shape of the vendored map with the country it shows."""
    from atrocity_watch.countries import get_registry
    from atrocity_watch.errors import AtrocityWatchError

    registry = get_registry()
    topology = json.loads(_TOPOJSON_PATH.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    found = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        # The largest part only, so that France is not stretched to French Guiana.
        boxes = [_bbox(_ring_points(polygon[0], arcs)) for polygon in polygons]
        box = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        if "id" in geometry:
            key = str(geometry["id"])
            try:
                country = registry.by_iso_numeric(int(key))
                iso3, label = country.iso3, country.name
            except (AtrocityWatchError, ValueError):
                iso3, label = "", name
        else:
            key = name
            iso3, label = UNNUMBERED_SHAPES.get(name, ("", name))
        found.append(Shape(key=key, iso3=iso3, name=label, bbox=box))
    return tuple(found)


def scope_extent(countries: Iterable[str]) -> dict[str, Any] | None:
    """A GeoJSON MultiPoint spanning the given countries' shapes, to fit the map to them."""
    wanted = set(countries)
    boxes = [s.bbox for s in shapes() if s.iso3 in wanted]
    if not boxes:
        return None
    west = min(b[0] for b in boxes) - 2
    south = min(b[1] for b in boxes) - 2
    east = max(b[2] for b in boxes) + 2
    north = max(b[3] for b in boxes) + 2
    corners = [[west, south], [west, north], [east, south], [east, north]]
    return {"type": "MultiPoint", "coordinates": corners}


@dataclass(frozen=True)
class MapValue:
    """What the map shows for one country in the user's scope that has data."""

    value: float
    value_text: str
    rank_text: str
    source: str
    date: str


def map_rows(
    values: Mapping[str, MapValue],
    allowed: frozenset[str] | None,
    country_url: Any,
) -> list[dict[str, Any]]:
    """One row per shape: its status, and value/rank/source/date when the user may see them.

    ``allowed`` None means every country. ``country_url(iso3)`` gives the country page.
    """
    rows = []
    for shape in shapes():
        inside = allowed is None or shape.iso3 in allowed
        found = values.get(shape.iso3) if inside else None
        row: dict[str, Any] = {
            "key": shape.key,
            "name": shape.name,
            "status": "data" if found else (NO_DATA if inside else OUTSIDE),
            "value": found.value if found else None,
            "value_text": found.value_text if found else (NO_DATA if inside else OUTSIDE),
            "rank_text": found.rank_text if found else "",
            "source": found.source if found else "",
            "date": found.date if found else "",
            "href": country_url(shape.iso3) if inside and shape.iso3 else None,
        }
        rows.append(row)
    return rows


def map_spec(
    rows: list[dict[str, Any]],
    *,
    topojson_url: str,
    value_title: str,
    risk: bool,
    extent: dict[str, Any] | None,
    description: str,
) -> dict[str, Any]:
    """The Vega-Lite spec: grey shapes without data (or outside scope), coloured ones with it."""
    if risk:
        colour_scale: dict[str, Any] = {
            "type": "threshold",
            "domain": list(RISK_THRESHOLDS),
            "range": list(RISK_COLOURS),
        }
        legend_format = ".0%"
    else:
        breaks = class_breaks(r["value"] for r in rows if r["value"] is not None)
        colour_scale = {
            "type": "threshold",
            "domain": breaks,
            "range": list(INDICATOR_COLOURS[-(len(breaks) + 1) :]),
        }
        legend_format = ",.3~r"
    projection: dict[str, Any] = {"type": "equalEarth"}
    if extent is not None:
        projection["fit"] = extent
    statuses = sorted({r["status"] for r in rows} - {"data"})
    status_colours = {NO_DATA: NO_DATA_COLOUR, OUTSIDE: OUTSIDE_COLOUR}
    tooltip_data = [
        {"field": "name", "title": "Country"},
        {"field": "value_text", "title": value_title},
        {"field": "rank_text", "title": "Rank"},
        {"field": "source", "title": "Source"},
        {"field": "date", "title": "Date"},
    ]
    tooltip_grey = [
        {"field": "name", "title": "Country"},
        {"field": "value_text", "title": value_title},
    ]
    shape_mark = {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5, "clip": True}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "width": "container",
        "height": 500,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"url": topojson_url, "format": {"type": "topojson", "feature": "countries"}},
        "transform": [
            # Antarctica has no population at risk and would take a sixth of the map.
            {"filter": f"datum.id !== '{ANTARCTICA}'"},
            {"calculate": "datum.id ? datum.id : datum.properties.name", "as": "key"},
            {
                "lookup": "key",
                "from": {
                    "data": {"values": rows},
                    "key": "key",
                    "fields": [
                        "name",
                        "status",
                        "value",
                        "value_text",
                        "rank_text",
                        "source",
                        "date",
                        "href",
                    ],
                },
            },
            {"calculate": f"datum.status ? datum.status : '{NO_DATA}'", "as": "status"},
            {"calculate": "datum.name ? datum.name : datum.properties.name", "as": "name"},
            {"calculate": f"datum.value_text ? datum.value_text : '{NO_DATA}'", "as": "value_text"},
        ],
        "projection": projection,
        "layer": [
            {
                "transform": [{"filter": "datum.status !== 'data'"}],
                "mark": {**shape_mark, "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "scale": {
                            "domain": statuses or [NO_DATA],
                            "range": [status_colours[s] for s in statuses or [NO_DATA]],
                        },
                        "legend": {"title": None, "orient": "bottom-left", "symbolType": "square"},
                    },
                    "tooltip": tooltip_grey,
                    "href": {"field": "href", "type": "nominal"},
                },
            },
            {
                "transform": [{"filter": "datum.status === 'data'"}],
                "mark": {**shape_mark, "cursor": "pointer"},
                "encoding": {
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "scale": colour_scale,
                        "legend": {
                            "title": value_title,
                            "format": legend_format,
                            "orient": "top-left",
                            "titleLimit": 320,
                        },
                    },
                    "tooltip": tooltip_data,
                    "href": {"field": "href", "type": "nominal"},
                },
            },
        ],
        "config": {"view": {"stroke": None}, "legend": {"labelFontSize": 11}},
    }
