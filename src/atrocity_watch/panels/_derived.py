"""Measures derived from other panel columns: spillover from neighbours, and trends."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from atrocity_watch.panels._violence import left_join


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

    The previous periods are found by the period index ``_t`` (year, or year * 12 + month),
    so a gap in a country's rows never pairs two periods that are not consecutive.
    """
    w = ibis.window(group_by="iso3", order_by="_t")
    previous: dict[int, ir.BooleanValue] = {
        k: panel._t.lag(k).over(w) == panel._t - k for k in (1, 2, 3)
    }
    columns: dict[str, ir.Value] = {}
    for base in bases:
        x = panel[base].cast("float64")
        lags = {
            k: ibis.ifelse(previous[k], x.lag(k).over(w), ibis.null("float64")) for k in (1, 2, 3)
        }
        columns[f"{base}_change"] = x - lags[1]
        columns[f"{base}_vs_{window}_mean"] = x - (lags[1] + lags[2] + lags[3]) / 3
    return panel.mutate(**columns)
