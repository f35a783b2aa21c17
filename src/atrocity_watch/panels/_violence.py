"""Deaths in organised violence: UCDP GED events by month, UCDP's own totals by year.

Country-month values sum GED events by the month of ``date_start``. A country-month is
*covered* — its value is a number, 0 when no event happened — when an imported GED file covers
it (see :mod:`atrocity_watch.warehouse._coverage`) **and**, where UCDP's Organized Violence
country-year totals are imported, the GED events of that country-year add up to UCDP's total
within :data:`TOLERANCE` (so a sample of events, or a file missing part of a year, never
passes for a complete count). A country-year whose UCDP total is 0 is covered in every month:
no organised violence killed anyone there that year. Everything else is missing (NULL).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

#: A GED country-year is taken as complete when |GED sum - UCDP total| <= max(ABS, REL * total).
#: Releases revise counts (the UCDP Syria release of 2019 is 7-14% below the 25.1 totals; the
#: Myanmar and CAR files match within 2%), while a sample of events falls far short.
TOLERANCE_RELATIVE = 0.2
TOLERANCE_ABSOLUTE = 5

GOVERNMENT_PREFIX = "Government of"

GED_MONTH_FEATURES = (
    "state_based_deaths",
    "non_state_deaths",
    "one_sided_deaths",
    "one_sided_deaths_government",
    "one_sided_deaths_nonstate",
    "organized_violence_deaths",
    "civilian_deaths_in_fighting",
    "ged_events",
    "one_sided_events",
)

OV_YEAR_FEATURES = (
    "state_based_deaths",
    "non_state_deaths",
    "one_sided_deaths",
    "one_sided_deaths_government",
    "one_sided_deaths_nonstate",
    "organized_violence_deaths",
    "civilian_deaths_in_fighting",
)


def left_join(left: ir.Table, right: ir.Table, keys: list[str]) -> ir.Table:
    """``left`` with ``right``'s columns where the keys match (the keys appear once)."""
    return assemble(left, [right], keys)


def assemble(base: ir.Table, parts: list[ir.Table], keys: list[str]) -> ir.Table:
    """``base`` with the non-key columns of every part, matched on ``keys``.

    One chain of LEFT JOINs and one SELECT, however many parts: the SQL stays flat, which
    keeps Ibis's compilation and the database's planning fast.
    """
    joined = base
    renamed: list[tuple[ir.Table, list[str]]] = []
    for i, part in enumerate(parts):
        aliased = part.rename(**{f"{k}__{i}": k for k in keys})
        joined = joined.left_join(aliased, [(k, f"{k}__{i}") for k in keys])
        renamed.append((aliased, [c for c in part.columns if c not in keys]))
    columns = [base[c] for c in base.columns]
    for aliased, names in renamed:
        columns += [aliased[c] for c in names]
    return joined.select(*columns)


def ged_by_month(ged: ir.Table) -> ir.Table:
    """GED events summed by country and month of ``date_start``.

    Keyed by ``(iso3, _t)`` with ``_t = year * 12 + month - 1``, the panels' month index:
    integers group and join faster than truncated dates on every backend. The events are first
    reduced to one row per country, month, type of violence and kind of perpetrator, so the
    per-feature sums run over a few rows per month rather than over every event.
    """
    events = ged.filter(ged.iso3.notnull())
    day = events.date_start.cast("date")
    reduced = events.group_by(
        [
            events.iso3,
            (day.year().cast("int64") * 12 + day.month().cast("int64") - 1).name("_t"),
            events.type_of_violence,
            events.side_a.startswith(GOVERNMENT_PREFIX).name("government"),
        ]
    ).aggregate(
        best=events.best.sum(), civilians=events.deaths_civilians.sum(), events=events.count()
    )
    r = reduced
    tov = r.type_of_violence
    one_sided = tov == 3
    return r.group_by(["iso3", "_t"]).aggregate(
        state_based_deaths=r.best.sum(where=tov == 1),
        non_state_deaths=r.best.sum(where=tov == 2),
        one_sided_deaths=r.best.sum(where=one_sided),
        one_sided_deaths_government=r.best.sum(where=one_sided & r.government),
        one_sided_deaths_nonstate=r.best.sum(where=one_sided & ~r.government),
        organized_violence_deaths=r.best.sum(),
        civilian_deaths_in_fighting=r.civilians.sum(where=tov.isin([1, 2])),
        ged_events=r.events.sum(),
        one_sided_events=r.events.sum(where=one_sided),
    )


def ucdp_by_year(ov: ir.Table) -> ir.Table:
    """UCDP's Organized Violence country-year totals under the panel's names."""
    rows = ov.filter(ov.iso3.notnull())
    total = (
        rows.sb_total_deaths_best_cy.coalesce(0)
        + rows.ns_total_deaths_best_cy.coalesce(0)
        + rows.os_total_deaths_best_cy.coalesce(0)
    )
    per_row = rows.select(
        iso3=rows.iso3,
        year=rows.year_cy.cast("int64"),
        state_based_deaths=rows.sb_total_deaths_best_cy,
        non_state_deaths=rows.ns_total_deaths_best_cy,
        one_sided_deaths=rows.os_total_deaths_best_cy,
        one_sided_deaths_government=rows.os_any_govt_killings_best_cy,
        one_sided_deaths_nonstate=rows.os_nsgroup_killings_best_cy,
        organized_violence_deaths=total,
        civilian_deaths_in_fighting=rows.sb_deaths_civilians_cy.coalesce(0)
        + rows.ns_deaths_civilians_cy.coalesce(0),
    )
    # one row per country-year (the publisher's file has one; keep the rule explicit)
    return per_row.group_by(["iso3", "year"]).aggregate(
        **{name: per_row[name].max() for name in OV_YEAR_FEATURES}
    )


def declared_coverage(units: ir.Table, coverage: ir.Table, source: str) -> ir.Table:
    """``(iso3, month, declared)``: True where an imported file of ``source`` covers the month."""
    spans = coverage.filter(coverage.source == source)
    # Event sources record coverage country by country, never as "*" (every country).
    matched = units.join(
        spans,
        [
            units.iso3 == spans.iso3,
            units.month >= spans.start_date,
            units.month <= spans.end_date,
        ],
    )
    flagged = matched.select(iso3=units.iso3, month=units.month).distinct()
    return flagged.mutate(declared=ibis.literal(True))


def ged_coverage(
    units: ir.Table, coverage: ir.Table, monthly: ir.Table, ov: ir.Table | None
) -> ir.Table:
    """``(iso3, month, _t, covered)`` for GED-based values (see the module docstring).

    ``monthly`` is :func:`ged_by_month` of the events.
    """
    declared = left_join(units, declared_coverage(units, coverage, "ucdp_ged"), ["iso3", "month"])
    declared_flag = declared.declared.coalesce(False)
    if ov is None:
        return declared.select("iso3", "month", "_t", covered=declared_flag)
    ged_years = monthly.group_by(
        [monthly.iso3, (monthly._t // 12).cast("int64").name("year")]
    ).aggregate(ged_total=monthly.organized_violence_deaths.sum())
    totals = ucdp_by_year(ov).select("iso3", "year", ucdp_total="organized_violence_deaths")
    check = left_join(totals, ged_years, ["iso3", "year"])
    gap = (check.ged_total.coalesce(0) - check.ucdp_total).abs()
    allowed = ibis.greatest(check.ucdp_total * TOLERANCE_RELATIVE, TOLERANCE_ABSOLUTE)
    check = check.select("iso3", "year", ucdp_zero=check.ucdp_total == 0, ucdp_match=gap <= allowed)
    joined = left_join(declared.mutate(declared=declared_flag), check, ["iso3", "year"])
    covered = ibis.cases(
        (joined.ucdp_zero.isnull(), joined.declared),
        (joined.ucdp_zero, True),
        else_=joined.declared & joined.ucdp_match,
    )
    return joined.select("iso3", "month", "_t", covered=covered)


def ged_month_features(
    units: ir.Table, coverage: ir.Table, ged: ir.Table | None, ov: ir.Table | None
) -> ir.Table:
    """``(iso3, month, <GED features>)``: numbers where covered, NULL elsewhere."""
    if ged is None:
        # Without events, a month is still known to be 0 where UCDP's year total is 0.
        if ov is None:
            return units.select(
                "iso3", "month", **{n: ibis.null("int64") for n in GED_MONTH_FEATURES}
            )
        zero_years = ucdp_by_year(ov).filter(lambda t: t.organized_violence_deaths == 0)
        marked = left_join(
            units, zero_years.select("iso3", "year", zero=ibis.literal(True)), ["iso3", "year"]
        )
        return marked.select(
            "iso3",
            "month",
            **{
                n: ibis.ifelse(marked.zero.notnull(), 0, ibis.null("int64"))
                for n in GED_MONTH_FEATURES
            },
        )
    sums = ged_by_month(ged)
    flags = ged_coverage(units, coverage, sums, ov)
    joined = left_join(flags, sums, ["iso3", "_t"])
    return joined.select(
        "iso3",
        "month",
        **{
            name: ibis.ifelse(joined.covered, joined[name].coalesce(0), ibis.null("int64")).cast(
                "int64"
            )
            for name in GED_MONTH_FEATURES
        },
    )
