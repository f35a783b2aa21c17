"""The world map's shapes, their countries, and what a scoped user's map contains."""

from __future__ import annotations

import json
from collections import Counter

from atrocity_watch.web.dashboard.worldmap import _TOPOJSON_PATH as TOPOJSON_PATH
from atrocity_watch.web.dashboard.worldmap import (
    OUTSIDE,
    UNNUMBERED_SHAPES,
    MapValue,
    class_breaks,
    map_rows,
    map_spec,
    scope_extent,
    shapes,
)


def test_every_shape_is_a_known_country() -> None:
    found = shapes()
    geometries = json.loads(TOPOJSON_PATH.read_text())["objects"]["countries"]["geometries"]
    assert len(found) == len(geometries) == 177
    assert [s.key for s in found if not s.iso3] == []
    assert Counter(s.key for s in found).most_common(1)[0][1] == 1  # keys are unique
    by_key = {s.key: s for s in found}
    assert by_key["729"].iso3 == "SDN" and by_key["104"].iso3 == "MMR"
    assert by_key["004"].iso3 == "AFG"  # zero-padded numeric codes
    for name, (iso3, _label) in UNNUMBERED_SHAPES.items():
        assert by_key[name].iso3 == iso3


def test_bounding_boxes_are_in_degrees_and_ignore_overseas_parts() -> None:
    by_iso3 = {s.iso3: s for s in shapes()}
    west, south, east, north = by_iso3["FRA"].bbox
    assert -6 < west < 0 and 8 < east < 10 and 41 < south < 44 and 50 < north < 52  # mainland
    assert by_iso3["SDN"].bbox[0] > 20 and by_iso3["SDN"].bbox[2] < 40


def test_scope_extent_spans_the_scope() -> None:
    extent = scope_extent({"SDN", "NGA", "ZAF"})
    assert extent is not None and extent["type"] == "MultiPoint"
    lons = [p[0] for p in extent["coordinates"]]
    lats = [p[1] for p in extent["coordinates"]]
    assert min(lons) < 3 < 38 < max(lons) and min(lats) < -34 < 22 < max(lats)
    assert scope_extent({"XXX"}) is None


def test_rows_outside_the_scope_carry_nothing() -> None:
    values = {
        "SDN": MapValue(0.3, "30%", "1 worldwide", "model", "2024"),
        "MMR": MapValue(0.2, "20%", "2 worldwide", "model", "2024"),
    }
    allowed = frozenset({"MMR", "IND"})
    rows = {r["key"]: r for r in map_rows(values, allowed, lambda c: f"/c/{c}/")}
    assert rows["104"]["value"] == 0.2 and rows["104"]["href"] == "/c/MMR/"
    sudan = rows["729"]
    assert sudan["status"] == OUTSIDE
    assert (sudan["value"], sudan["rank_text"], sudan["source"], sudan["href"]) == (
        None,
        "",
        "",
        None,
    )
    india = rows["356"]  # in the scope, without a value
    assert india["status"] == "no data" and india["href"] == "/c/IND/"


def test_spec_has_a_grey_layer_and_a_coloured_layer() -> None:
    rows = map_rows({}, None, lambda c: f"/c/{c}/")
    spec = map_spec(
        rows,
        topojson_url="/static/x.json",
        value_title="Risk",
        risk=True,
        extent=None,
        description="d",
    )
    grey, coloured = spec["layer"]
    assert grey["encoding"]["color"]["scale"]["domain"] == ["no data"]
    assert coloured["encoding"]["color"]["scale"]["type"] == "threshold"
    assert {t["field"] for t in coloured["encoding"]["tooltip"]} >= {"name", "rank_text", "date"}


def test_class_breaks_give_zero_its_own_class_and_no_empty_classes() -> None:
    deaths = [0.0] * 60 + [5.0] * 20 + [40.0] * 10 + [300.0] * 10
    assert class_breaks(deaths) == [5.0, 40.0]
    assert class_breaks([v / 10 for v in range(1, 11)]) == [0.3, 0.5, 0.7, 0.9]
    assert class_breaks([3.0] * 5) == []
    assert class_breaks([]) == []
