"""The quantitative panel indicators shown beside each risk factor in the assessment editor.

Reads the feature registry (``atrocity_watch.panels.FEATURES``: name, title, unit, sources,
Framework indicators) and the warehouse table ``panel_country_year`` (its Parquet snapshot, so
reading never waits for a writer). Until both exist, the page says so and how to get them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

PANEL_TABLE = "panel_country_year"
NO_PANEL = (
    "No panel data yet — run `atrocity-watch data import` and then build the panels "
    "(`make run` does both), and the quantitative indicators that inform each risk factor will "
    "appear here."
)


@dataclass(frozen=True)
class PanelValue:
    """The latest known value of one panel feature for one country."""

    name: str
    title: str
    unit: str
    sources: tuple[str, ...]
    indicators: tuple[str, ...]
    value: float | None
    year: int | None
    description: str = ""


@dataclass(frozen=True)
class CountryPanel:
    """Panel values of one country by risk factor, or why there are none."""

    available: bool
    message: str = ""
    by_risk_factor: dict[int, list[PanelValue]] = field(default_factory=dict)
    years: str = ""

    def for_risk_factor(self, number: int) -> list[PanelValue]:
        """The features tagged to this risk factor (empty list when none)."""
        return self.by_risk_factor.get(number, [])


def _features() -> list[Any] | None:
    try:
        panels = importlib.import_module("atrocity_watch.panels")
    except ImportError:
        return None
    registry = getattr(panels, "FEATURES", None)
    if registry is None:
        return None
    values = registry.values() if isinstance(registry, dict) else registry
    return [f for f in values if getattr(f, "frequency", "year") == "year"]


def _rows(iso3: str, columns: list[str]) -> list[dict[str, Any]] | None:
    """The country's panel rows (only the columns the table has), newest year first.

    None when there is no panel table. Features the registry declares but the table does not
    hold yet (a source not imported) are simply absent from the rows.
    """
    try:
        from atrocity_watch.warehouse import Warehouse
    except ImportError:
        return None
    warehouse = Warehouse()
    snapshot = warehouse.snapshot_path(PANEL_TABLE)
    if snapshot is not None:
        import pyarrow.parquet as pq

        present = set(pq.read_schema(snapshot).names)
        wanted = ["iso3", "year", *(c for c in columns if c in present)]
        table = pq.read_table(snapshot, columns=wanted, filters=[("iso3", "=", iso3)])
    elif warehouse.has_table(PANEL_TABLE):
        import pyarrow.compute as pc

        table = warehouse.read_table(PANEL_TABLE)
        table = table.filter(pc.equal(table["iso3"], iso3))
        table = table.select(["iso3", "year", *(c for c in columns if c in table.column_names)])
    else:
        return None
    rows = table.to_pylist()
    return sorted(rows, key=lambda r: r["year"], reverse=True)


def _source_titles() -> dict[str, str]:
    """Dataset titles by source key ("ucdp_onesided" → "UCDP One-sided Violence Dataset")."""
    try:
        from atrocity_watch.sources import SOURCES
    except ImportError:
        return {}
    return {spec.name: spec.title for spec in SOURCES}


def country_panel(iso3: str) -> CountryPanel:
    """The latest non-missing value of each yearly feature for ``iso3``, grouped by risk factor.

    Never raises: a warehouse that cannot be read becomes the message shown to the user.
    """
    features = _features()
    if not features:
        return CountryPanel(False, NO_PANEL)
    try:
        rows = _rows(iso3, [f.name for f in features])
    except Exception as exc:  # a broken warehouse must not take the editor down; say why
        return CountryPanel(False, f"The panel data could not be read: {exc}")
    if rows is None:
        return CountryPanel(False, NO_PANEL)
    if not rows:
        return CountryPanel(
            False, f"The panel has no rows for {iso3}: the sources imported do not cover it."
        )
    by_rf: dict[int, list[PanelValue]] = {}
    titles = _source_titles()
    for feature in features:
        latest = next((r for r in rows if r.get(feature.name) is not None), None)
        value = PanelValue(
            name=feature.name,
            title=feature.title,
            unit=feature.unit,
            sources=tuple(
                titles.get(key, key)
                for key in getattr(feature, "sources", ()) or (getattr(feature, "source", ""),)
            ),
            indicators=tuple(feature.indicators),
            value=latest[feature.name] if latest else None,
            year=latest["year"] if latest else None,
            description=getattr(feature, "description", ""),
        )
        for rf in sorted({int(str(i).split(".", 1)[0]) for i in feature.indicators}):
            by_rf.setdefault(rf, []).append(value)
    years = f"{rows[-1]['year']}–{rows[0]['year']}"
    return CountryPanel(True, by_risk_factor=by_rf, years=years)
