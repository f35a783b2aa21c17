"""Measures derived from other panel columns: spillover from neighbours, and trends."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from atrocity_watch.panels._violence import assemble, left_join


def neighbour_sum(
    values: ir.Table,
    neighbours: ir.Table,
    period: str,
    value: str,
    name: str,
    *,
    count_positive: bool = False,
) -> ir.Table:
    """``(iso3, period, name)``: ``value`` summed over the land neighbours.

    ``values`` holds ``value`` for every unit of the panel (NULL where unknown).
    Only neighbours that exist in the period count (South Sudan is not Sudan's neighbour
    before 2011). The result is missing when any of them is missing, and 0 for a country
    with no land neighbour. With ``count_positive`` it counts neighbours whose value is > 0.
    """
    others = values.select(neighbour="iso3", period_=period, v=value)
    pairs = neighbours.join(others, neighbours.neighbour == others.neighbour)
    contribution = (pairs.v > 0).cast("int64") if count_positive else pairs.v
    agg = pairs.group_by([pairs.iso3, pairs.period_]).aggregate(
        present=pairs.count(), known=pairs.v.count(), total=contribution.sum()
    )
    agg = agg.select(
        "iso3",
        **{period: agg.period_},
        result=ibis.ifelse(agg.known == agg.present, agg.total, ibis.null(agg.total.type())),
        present="present",
    )
    joined = left_join(values.select("iso3", period), agg, ["iso3", period])
    return joined.select(
        "iso3",
        period,
        **{name: ibis.ifelse(joined.present.isnull(), 0, joined.result)},
    )


def add_trends(panel: ir.Table, bases: tuple[str, ...], window: str) -> ir.Table:
    """Add ``<base>_change`` and ``<base>_vs_<window>_mean`` for each base column.

    The previous periods are matched by the period index ``_t`` (year, or year * 12 + month)
    with equality joins, so a gap in a country's rows never pairs two periods that are not
    consecutive, and the database uses hash joins rather than sorting windows.
    """
    keys = ["iso3", "_t"]
    values = panel.view().select("iso3", "_t", *bases)  # a self-join needs its own view
    shifted = [
        values.select(
            "iso3",
            _t=values._t + k,
            **{f"{base}__{k}": values[base].cast("float64") for base in bases},
        )
        for k in (1, 2, 3)
    ]
    joined = assemble(panel, shifted, keys)
    columns: dict[str, ir.Value] = {}
    for base in bases:
        x = joined[base].cast("float64")
        before = [joined[f"{base}__{k}"] for k in (1, 2, 3)]
        columns[f"{base}_change"] = x - before[0]
        columns[f"{base}_vs_{window}_mean"] = x - (before[0] + before[1] + before[2]) / 3
    helpers = [f"{base}__{k}" for base in bases for k in (1, 2, 3)]
    return joined.mutate(**columns).drop(*helpers)
