"""The Ibis tables a panel is computed from, all on one backend.

Keeping the inputs in one frozen value makes the panel code a pure function of Ibis tables:
the same expressions run on the warehouse's DuckDB file, or on any other Ibis backend (the
tests run the country-month panel on Spark) once the tables are there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

#: The columns the panels read from each source table (the rest stays in the warehouse).
SOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "ucdp_ged": (
        "id",
        "iso3",
        "date_start",
        "type_of_violence",
        "best",
        "deaths_civilians",
        "side_a",
    ),
    "acled_events": (
        "event_id_cnty",
        "iso3",
        "event_date",
        "event_type",
        "sub_event_type",
        "civilian_targeting",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "actor1_type",
        "actor2_type",
        "fatalities",
    ),
    "ucdp_organized_violence_cy": (
        "iso3",
        "year_cy",
        "sb_total_deaths_best_cy",
        "ns_total_deaths_best_cy",
        "os_total_deaths_best_cy",
        "os_any_govt_killings_best_cy",
        "os_nsgroup_killings_best_cy",
        "sb_deaths_civilians_cy",
        "ns_deaths_civilians_cy",
    ),
    "ucdp_brd": ("dyad_id", "iso3_all", "gwno_loc", "year", "bd_best"),
    "ucdp_acd": ("iso3_all", "year", "intensity_level", "type_of_conflict"),
    "ucdp_onesided": ("iso3_all", "year", "actor_id"),
    "vdem": ("iso3", "year"),  # plus the V-Dem codes the registry names
    "epr_core": ("iso3", "from", "to", "size", "status"),
    "pts": ("iso3", "year", "pts_a", "pts_h", "pts_s"),
    "polity5": ("iso3", "year", "polity2", "durable"),
    "worldbank": ("iso3", "year", "indicator_code", "value"),
    "ewp_prepared": ("iso3", "year", "coup.try.5yr", "_source_file"),
    "coups": (
        "iso3",
        "year",
        "pt_attempt_num",
        "pt_coup_num",
        "pt_failed_num",
        "pt_attempt_num5yrs",
        "years_since_last_pt_attempt",
    ),
}


@dataclass(frozen=True)
class PanelInputs:
    """Units, neighbours, coverage and the source tables that exist, on one backend."""

    units: ir.Table
    neighbours: ir.Table
    coverage: ir.Table
    sources: Mapping[str, ir.Table] = field(default_factory=dict)
    #: ``(gwno_loc, year, loc_iso3_all)``: UCDP battle-deaths locations as registry keys
    brd_locations: ir.Table | None = None

    def source(self, name: str) -> ir.Table | None:
        """The source's table, or None when it was never imported."""
        return self.sources.get(name)


def empty_coverage() -> ir.Table:
    """A coverage table with no rows (for warehouses that hold no source yet)."""
    return ibis.memtable(
        {"source": [], "iso3": [], "start_date": [], "end_date": []},
        schema=ibis.schema(
            {"source": "string", "iso3": "string", "start_date": "date", "end_date": "date"}
        ),
    )


def brd_locations(backend: Any) -> ir.Table | None:
    """Where each UCDP battle-deaths conflict is located, as ISO3 keys (for attribution).

    The loader keys battle-deaths rows by ``gwno_battle`` (where battles took place); the
    conflict's own location ``gwno_loc`` (whose government is challenged) stays a list of
    Gleditsch-Ward numbers, mapped here through the country registry for the year.
    """
    if "src_ucdp_brd" not in set(backend.list_tables()):
        return None
    from atrocity_watch.countries import UnknownCountryError, get_registry

    registry = get_registry()
    pairs = backend.table("src_ucdp_brd").select("gwno_loc", "year").distinct().to_pyarrow()
    locations: list[str | None] = []
    for text, year in zip(
        pairs.column("gwno_loc").to_pylist(), pairs.column("year").to_pylist(), strict=True
    ):
        found = []
        for code in str(text or "").split(","):
            if code.strip().isdigit():
                try:
                    found.append(registry.by_gw(int(code), year=int(year)).iso3)
                except UnknownCountryError:
                    continue
        locations.append(",".join(found) or None)
    return ibis.memtable(
        {
            "gwno_loc": pairs.column("gwno_loc").to_pylist(),
            "year": pairs.column("year").to_pylist(),
            "loc_iso3_all": locations,
        },
        schema=ibis.schema({"gwno_loc": "string", "year": "int64", "loc_iso3_all": "string"}),
    )


def source_tables(backend: Any, extra_columns: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """The source tables of a warehouse backend, narrowed to the columns the panels read."""
    present = set(backend.list_tables())
    found: dict[str, Any] = {}
    for name, columns in SOURCE_COLUMNS.items():
        table_name = f"src_{name}"
        if table_name not in present:
            continue
        table = backend.table(table_name)
        wanted = [*columns, *extra_columns.get(name, ())]
        found[name] = table.select(*[c for c in wanted if c in table.columns])
    return found
