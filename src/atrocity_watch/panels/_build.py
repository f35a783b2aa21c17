"""Building the two panels: Ibis expressions over the warehouse, written atomically."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from atrocity_watch.panels._acled import ACLED_FEATURES, acled_month_features
from atrocity_watch.panels._derived import add_trends, neighbour_sum
from atrocity_watch.panels._errors import FeatureRegistryError, PanelError
from atrocity_watch.panels._inputs import (
    PanelInputs,
    brd_locations,
    empty_coverage,
    source_tables,
)
from atrocity_watch.panels._registry import (
    FIRST_YEAR,
    KEY_COLUMNS,
    PANEL_TABLES,
    TREND_BASES,
    VDEM_CODES,
    features,
)
from atrocity_watch.panels._structure import (
    conflict_features,
    coup_features,
    epr_features,
    polity_features,
    powell_thyne_features,
    pts_features,
    vdem_features,
    worldbank_features,
)
from atrocity_watch.panels._units import country_months, country_years, land_neighbours
from atrocity_watch.panels._violence import (
    OV_YEAR_FEATURES,
    assemble,
    ged_month_features,
    left_join,
    ucdp_by_year,
)


def _finish(panel: ir.Table, frequency: str) -> ir.Table:
    """Keys then every registry feature of the panel, in registry order; nothing else."""
    names = [f.name for f in features(frequency)]  # type: ignore[arg-type]
    missing = [n for n in names if n not in panel.columns]
    if missing:
        raise FeatureRegistryError(
            f"the {frequency} panel does not compute these declared features: {missing}"
        )
    return panel.select(*KEY_COLUMNS[frequency], *names).order_by(list(KEY_COLUMNS[frequency]))


Stage = Callable[[ir.Table], ir.Table]
"""Turns a part of a panel into an equivalent table that is cheaper to use several times.

Without one, each panel is a single Ibis expression (what another backend receives). With
one that computes the part and hands back the result (see :func:`build_panels`), parts used
twice — the GED counts feed both the panel and the neighbours' spillover — are computed once.
"""


def _as_is(table: ir.Table) -> ir.Table:
    return table


def country_month_panel(inputs: PanelInputs, stage: Stage = _as_is) -> ir.Table:
    """The country-month panel as an Ibis expression over ``inputs`` (any backend)."""
    units = inputs.units
    keys = ["iso3", "month"]
    ged = stage(
        ged_month_features(
            units,
            inputs.coverage,
            inputs.source("ucdp_ged"),
            inputs.source("ucdp_organized_violence_cy"),
        )
    )
    acled = stage(acled_month_features(units, inputs.coverage, inputs.source("acled_events")))
    spill = neighbour_sum(
        ged, inputs.neighbours, "month", "organized_violence_deaths", "neighbour_violence_deaths"
    )
    panel = stage(assemble(units, [ged, acled, spill], keys))
    panel = add_trends(panel, TREND_BASES["month"], "3m")
    return _finish(panel, "month")


def _acled_years(month_panel: ir.Table) -> ir.Table:
    """ACLED features summed over the year, only where all twelve months are covered."""
    agg = month_panel.group_by(["iso3", "year"]).aggregate(
        **{f"{n}__known": month_panel[n].count() for n in ACLED_FEATURES},
        **{f"{n}__sum": month_panel[n].sum() for n in ACLED_FEATURES},
    )
    return agg.select(
        "iso3",
        "year",
        **{
            n: ibis.ifelse(agg[f"{n}__known"] == 12, agg[f"{n}__sum"], ibis.null("int64"))
            for n in ACLED_FEATURES
        },
    )


def country_year_panel(
    inputs: PanelInputs, acled_months: ir.Table | None = None, stage: Stage = _as_is
) -> ir.Table:
    """The country-year panel as an Ibis expression over ``inputs``.

    ``acled_months`` is a table ``(iso3, year, <ACLED features>)`` by month (the country-month
    panel) from which the yearly ACLED counts are summed; without it they are missing.
    """
    units = inputs.units
    keys = ["iso3", "year"]
    base = units.select("iso3", "year", "_t")
    ov = inputs.source("ucdp_organized_violence_cy")
    if ov is None:
        violence = base.select(*keys, **{n: ibis.null("int64") for n in OV_YEAR_FEATURES})
    else:
        violence = stage(left_join(base.select(*keys), ucdp_by_year(ov), keys))
    conflict = conflict_features(
        units,
        inputs.coverage,
        inputs.source("ucdp_brd"),
        inputs.source("ucdp_acd"),
        inputs.source("ucdp_onesided"),
        inputs.brd_locations,
    )
    conflict = stage(conflict)
    if acled_months is None:
        acled = base.select(*keys, **{n: ibis.null("int64") for n in ACLED_FEATURES})
    else:
        acled = _acled_years(acled_months)
    spill_deaths = neighbour_sum(
        violence,
        inputs.neighbours,
        "year",
        "organized_violence_deaths",
        "neighbour_violence_deaths",
    )
    spill_conflict = neighbour_sum(
        conflict,
        inputs.neighbours,
        "year",
        "armed_conflict_intensity",
        "neighbours_in_armed_conflict",
        count_positive=True,
    )
    parts = [
        violence,
        conflict,
        acled,
        vdem_features(units, inputs.source("vdem")),
        epr_features(units, inputs.source("epr_core")),
        pts_features(units, inputs.source("pts")),
        polity_features(units, inputs.source("polity5")),
        worldbank_features(units, inputs.source("worldbank")),
        coup_features(units, inputs.source("ewp_prepared")),
        powell_thyne_features(units, inputs.source("coups")),
        spill_deaths,
        spill_conflict,
    ]
    panel = add_trends(stage(assemble(base, parts, keys)), TREND_BASES["year"], "3y")
    return _finish(panel, "year")


@dataclass(frozen=True)
class PanelBuild:
    """What a panel build wrote."""

    first_year: int
    last_year: int
    last_month: dt.date
    rows: dict[str, int]
    known: dict[str, dict[str, int]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form for JSON output."""
        return {
            "first_year": self.first_year,
            "last_year": self.last_year,
            "last_month": self.last_month,
            "rows": self.rows,
            "known_values": self.known,
            "sources": self.sources,
        }


def _latest_year(con: Any) -> int:
    row = con.execute("SELECT max(end_date) FROM _coverage").fetchone()
    this_year = dt.datetime.now(dt.UTC).year
    if row is None or row[0] is None:
        raise PanelError(
            "the warehouse holds no source data to build panels from: import files with "
            "`atrocity-watch data import` or `atrocity-watch data fetch` first"
        )
    return min(int(row[0].year), this_year)


def _coverage_table(backend: Any) -> ir.Table:
    if "_coverage" in backend.list_tables():
        return backend.table("_coverage").select("source", "iso3", "start_date", "end_date")
    return empty_coverage()


def _stager(backend: Any) -> Stage:
    """Compute a part into a temporary DuckDB table (dropped when the connection closes)."""

    def stage(part: ir.Table) -> ir.Table:
        name = f"_aw_stage_{uuid.uuid4().hex[:12]}"
        return backend.create_table(name, part, temp=True)

    return stage


def compute_month_panel(backend: Any, last_month: dt.date, sources: dict[str, Any]) -> pa.Table:
    """The country-month panel computed on a DuckDB backend of the warehouse."""
    inputs = PanelInputs(
        units=ibis.memtable(country_months(FIRST_YEAR["month"], last_month)),
        neighbours=ibis.memtable(land_neighbours()),
        coverage=_coverage_table(backend),
        sources=sources,
    )
    table: pa.Table = backend.to_pyarrow(country_month_panel(inputs, _stager(backend)))
    return table


def compute_year_panel(
    backend: Any, last_year: int, sources: dict[str, Any], month: pa.Table
) -> pa.Table:
    """The country-year panel computed on a DuckDB backend (ACLED years from ``month``)."""
    acled_months = ibis.memtable(
        month.select(["iso3", "month", *ACLED_FEATURES]).append_column(
            "year", pc.year(month.column("month")).cast(pa.int64())
        )
    )
    inputs = PanelInputs(
        units=ibis.memtable(country_years(FIRST_YEAR["year"], last_year)),
        neighbours=ibis.memtable(land_neighbours()),
        coverage=_coverage_table(backend),
        sources=sources,
        brd_locations=brd_locations(backend),
    )
    table: pa.Table = backend.to_pyarrow(country_year_panel(inputs, acled_months, _stager(backend)))
    return table


def build_panels(warehouse: Any = None) -> PanelBuild:
    """Compute both panels from the warehouse and replace them in one transaction.

    >>> from atrocity_watch.panels import build_panels      # doctest: +SKIP
    >>> build_panels().rows                                  # doctest: +SKIP
    {'panel_country_year': 12093, 'panel_country_month': 72852}
    """
    from atrocity_watch.warehouse import Warehouse

    wh = warehouse or Warehouse()
    if not wh.path.exists():
        raise PanelError(
            f"there is no warehouse at {wh.path} yet: import data with `atrocity-watch data "
            "import` or `atrocity-watch data fetch` first"
        )
    with wh.ibis(write=True) as backend:
        last_year = _latest_year(backend.con)
        today = dt.datetime.now(dt.UTC).date()
        last_month = min(dt.date(last_year, 12, 1), today.replace(day=1))
        sources = source_tables(backend, {"vdem": tuple(VDEM_CODES.values())})
        month = compute_month_panel(backend, last_month, sources)
        year = compute_year_panel(backend, last_year, sources, month)
        used = {
            p.source: sorted({f"{p.file_name} ({p.version})" for p in wh.status(p.source)})
            for p in wh.status()
            if p.source in sources
        }
        meta = {
            "first_year": FIRST_YEAR["year"],
            "last_year": last_year,
            "last_month": last_month.isoformat(),
            "sources": used,
        }
        wh.replace_tables({PANEL_TABLES["year"]: year, PANEL_TABLES["month"]: month}, meta=meta)
    known = {
        PANEL_TABLES[freq]: {
            name: table.num_rows - table.column(name).null_count
            for name in table.column_names
            if name not in KEY_COLUMNS[freq]
        }
        for freq, table in (("year", year), ("month", month))
    }
    return PanelBuild(
        first_year=FIRST_YEAR["year"],
        last_year=last_year,
        last_month=last_month,
        rows={PANEL_TABLES["year"]: year.num_rows, PANEL_TABLES["month"]: month.num_rows},
        known=known,
        sources=used,
    )
