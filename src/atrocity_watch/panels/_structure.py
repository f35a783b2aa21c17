"""Country-year measures: armed conflict (UCDP), political and social structure (V-Dem, EPR,
PTS, Polity5), economy and demography (World Bank), coups (Powell & Thyne, directly and via
the EWP).

Each function returns ``(iso3, year, <features>)`` rows to be joined to the panel's units; a
country-year that a source does not cover has no row (or NULL), never 0. UCDP's conflict-level
datasets list every case in the world, so for them a country-year inside the file's years with
no row is 0.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from atrocity_watch.panels._registry import VDEM_CODES, WORLD_BANK_CODES
from atrocity_watch.panels._violence import assemble

EXCLUDED = ("POWERLESS", "DISCRIMINATED", "SELF-EXCLUSION")


def _nulls(units: ir.Table, names: tuple[str, ...], dtype: str = "float64") -> ir.Table:
    return units.select("iso3", "year", **{n: ibis.null(dtype) for n in names})


def _years_covered(units: ir.Table, coverage: ir.Table, source: str) -> ir.Table:
    """``units`` plus ``covered``: the year lies within the years the source's files cover."""
    spans = coverage.filter(coverage.source == source)
    bounds = spans.aggregate(
        first=spans.start_date.year().cast("int64").min(),
        last=spans.end_date.year().cast("int64").max(),
    )
    joined = units.cross_join(bounds)
    covered = (joined.year >= joined["first"]) & (joined.year <= joined["last"])
    return joined.select("iso3", "year", covered=covered.coalesce(False))


def _per_country(table: ir.Table) -> ir.Table:
    """One row per country listed in ``iso3_all`` (UCDP lists several for some cases)."""
    listed = table.filter(table.iso3_all.notnull())
    parts = listed.iso3_all.split(",")
    return listed.mutate(country=parts.unnest().strip(), countries=parts.length())


def _battle_shares(brd: ir.Table, locations: ir.Table | None) -> ir.Table:
    """``(country, year, share)``: each dyad-year's battle deaths attributed to countries.

    The deaths count for the conflict's location — the country whose government or territory
    is contested (UCDP's ``gwno_loc``), wherever the battles were fought — split evenly when
    UCDP lists several (both governments of an interstate war). So the Rwandan government's
    fight with the FDLR in the DR Congo counts for Rwanda, and Ethiopia's war with the TPLF
    in 2022, also fought in Eritrea and Sudan, for Ethiopia, as in the Early Warning
    Project's data. Where a location cannot be mapped, the battle countries share the deaths.
    """
    if locations is None:
        rows = _per_country(brd)
        return rows.mutate(share=(rows.bd_best / rows.countries).cast("float64"))
    typed = brd.mutate(year=brd.year.cast("int64"))
    with_loc = typed.left_join(
        locations, [typed.gwno_loc == locations.gwno_loc, typed.year == locations.year]
    ).select(*typed.columns, locations.loc_iso3_all)
    located = with_loc.filter(with_loc.loc_iso3_all.notnull())
    parts = located.loc_iso3_all.split(",")
    by_location = located.mutate(country=parts.unnest(), countries=parts.length())
    by_location = by_location.mutate(
        share=(by_location.bd_best / by_location.countries).cast("float64")
    )
    unlocated = _per_country(with_loc.filter(with_loc.loc_iso3_all.isnull()))
    unlocated = unlocated.mutate(share=(unlocated.bd_best / unlocated.countries).cast("float64"))
    columns = ["country", "year", "share"]
    return by_location.select(*columns).union(unlocated.select(*columns))


CONFLICT_FEATURES = (
    "battle_deaths",
    "armed_conflict_intensity",
    "internal_armed_conflict",
    "interstate_armed_conflict",
    "one_sided_perpetrators",
)


def conflict_features(
    units: ir.Table,
    coverage: ir.Table,
    brd: ir.Table | None,
    acd: ir.Table | None,
    onesided: ir.Table | None,
    brd_locations: ir.Table | None = None,
) -> ir.Table:
    """Battle deaths (BRD), armed conflict on the territory (ACD), one-sided actors (OSV).

    Returns a row for every unit: 0 in years a worldwide UCDP file covers without a case,
    NULL in years no imported file covers.
    """
    keys = ["iso3", "year"]
    base = units.select(*keys)
    parts: list[ir.Table] = []
    finals: dict[str, ir.Value] = {}
    by = ["country", "year"]

    def aggregate(rows: ir.Table, **metrics: ir.Value) -> ir.Table:
        grouped = rows.mutate(year=rows.year.cast("int64")).group_by(by).aggregate(**metrics)
        return grouped.rename(iso3="country")

    if brd is not None:
        rows = _battle_shares(brd, brd_locations)
        parts.append(aggregate(rows, battle_deaths=rows.share.sum()))
        parts.append(_years_covered(units, coverage, "ucdp_brd").rename(brd_covered="covered"))
    if acd is not None:
        rows = _per_country(acd)
        parts.append(
            aggregate(
                rows,
                armed_conflict_intensity=rows.intensity_level.max().cast("int64"),
                internal_armed_conflict=rows.type_of_conflict.isin([3, 4]).any().cast("int64"),
                interstate_armed_conflict=(rows.type_of_conflict == 2).any().cast("int64"),
            )
        )
        parts.append(_years_covered(units, coverage, "ucdp_acd").rename(acd_covered="covered"))
    if onesided is not None:
        rows = _per_country(onesided)
        parts.append(aggregate(rows, one_sided_perpetrators=rows.actor_id.nunique().cast("int64")))
        parts.append(_years_covered(units, coverage, "ucdp_onesided").rename(osv_covered="covered"))
    joined = assemble(base, parts, keys)
    plan = (
        (brd, "brd_covered", ("battle_deaths",), "float64"),
        (
            acd,
            "acd_covered",
            ("armed_conflict_intensity", "internal_armed_conflict", "interstate_armed_conflict"),
            "int64",
        ),
        (onesided, "osv_covered", ("one_sided_perpetrators",), "int64"),
    )
    for source, flag, names, dtype in plan:
        for name in names:
            if source is None:
                finals[name] = ibis.null(dtype)
            else:
                finals[name] = ibis.ifelse(
                    joined[flag], joined[name].coalesce(0), ibis.null(dtype)
                ).cast(dtype)
    return joined.select(*keys, **finals)


def vdem_features(units: ir.Table, vdem: ir.Table | None) -> ir.Table:
    """The V-Dem variables the registry names, copied as published."""
    names = tuple(VDEM_CODES)
    if vdem is None:
        return _nulls(units, names)
    present = set(vdem.columns)
    values = (
        vdem.filter(vdem.iso3.notnull())
        .group_by([vdem.iso3, vdem.year.cast("int64").name("year")])
        .aggregate(
            **{
                name: (
                    vdem[code].cast("float64").max() if code in present else ibis.null("float64")
                )
                for name, code in VDEM_CODES.items()
            }
        )
    )
    return values


EPR_FEATURES = (
    "epr_excluded_population_share",
    "epr_discriminated_population_share",
    "epr_excluded_groups",
    "epr_discriminated_groups",
)


def epr_features(units: ir.Table, epr: ir.Table | None) -> ir.Table:
    """Excluded and discriminated ethnic groups (EPR Core group-periods expanded to years)."""
    if epr is None:
        return _nulls(units, EPR_FEATURES)
    groups = epr.filter(epr.iso3.notnull())
    years = units.select("iso3", "year")
    expanded = years.join(
        groups,
        [
            years.iso3 == groups.iso3,
            years.year >= groups["from"].cast("int64"),
            years.year <= groups["to"].cast("int64"),
        ],
    )
    excluded = expanded.status.isin(EXCLUDED)
    discriminated = expanded.status == "DISCRIMINATED"
    size = expanded.size.cast("float64").coalesce(0)
    agg = expanded.group_by([years.iso3, years.year]).aggregate(
        epr_excluded_population_share=ibis.ifelse(excluded, size, 0.0).sum(),
        epr_discriminated_population_share=ibis.ifelse(discriminated, size, 0.0).sum(),
        epr_excluded_groups=excluded.cast("int64").sum(),
        epr_discriminated_groups=discriminated.cast("int64").sum(),
    )
    return agg


PTS_FEATURES = ("pts_amnesty", "pts_hrw", "pts_state_department", "pts_max")


def pts_features(units: ir.Table, pts: ir.Table | None) -> ir.Table:
    """Political Terror Scale scores; a country-year listed twice takes the higher score."""
    if pts is None:
        return _nulls(units, PTS_FEATURES)
    rows = pts.filter(pts.iso3.notnull())
    agg = rows.group_by([rows.iso3, rows.year.cast("int64").name("year")]).aggregate(
        pts_amnesty=rows.pts_a.cast("float64").max(),
        pts_hrw=rows.pts_h.cast("float64").max(),
        pts_state_department=rows.pts_s.cast("float64").max(),
    )
    scores = [agg.pts_amnesty, agg.pts_hrw, agg.pts_state_department]
    # the highest score available; NULL only when all three are missing
    best = scores[0]
    for score in scores[1:]:
        best = ibis.cases(
            (best.isnull(), score), (score.isnull(), best), else_=ibis.greatest(best, score)
        )
    return agg.mutate(pts_max=best)


POLITY_FEATURES = ("polity2", "regime_durability")


def polity_features(units: ir.Table, polity: ir.Table | None) -> ir.Table:
    """Polity5 scores; in a transition year listed twice, the mean polity2 and the shorter
    durability."""
    if polity is None:
        return _nulls(units, POLITY_FEATURES)
    rows = polity.filter(polity.iso3.notnull())
    agg = rows.group_by([rows.iso3, rows.year.cast("int64").name("year")]).aggregate(
        polity2=rows.polity2.cast("float64").mean(),
        regime_durability=rows.durable.cast("float64").min(),
    )
    return agg


def worldbank_features(units: ir.Table, wb: ir.Table | None) -> ir.Table:
    """Population, infant mortality and GDP per capita growth from World Bank indicators.

    Each measure takes the first indicator code of :data:`WORLD_BANK_CODES` that has a value
    for the country-year.
    """
    names = tuple(WORLD_BANK_CODES)
    if wb is None:
        return _nulls(units, names)
    rows = wb.filter(wb.iso3.notnull() & wb.value.notnull())
    codes = [code for group in WORLD_BANK_CODES.values() for code in group]
    rows = rows.filter(rows.indicator_code.isin(codes))
    value = rows.value.cast("float64")
    by_code = {code: value.max(where=rows.indicator_code == code) for code in dict.fromkeys(codes)}
    agg = rows.group_by([rows.iso3, rows.year.cast("int64").name("year")]).aggregate(
        **{f"c{i}": expr for i, expr in enumerate(by_code.values())}
    )
    position = {code: i for i, code in enumerate(by_code)}
    return agg.select(
        "iso3",
        "year",
        **{
            name: ibis.coalesce(*[agg[f"c{position[c]}"] for c in group])
            if len(group) > 1
            else agg[f"c{position[group[0]]}"]
            for name, group in WORLD_BANK_CODES.items()
        },
    )


COUP_FEATURES = ("coup_attempt_last_5_years",)


def coup_features(units: ir.Table, ewp: ir.Table | None) -> ir.Table:
    """Coup attempt in the last five years, from the newest Early Warning Project edition."""
    if ewp is None or "coup.try.5yr" not in ewp.columns:
        return _nulls(units, COUP_FEATURES)
    rows = ewp.filter(ewp.iso3.notnull())
    if "_source_file" in rows.columns:
        # editions sit side by side: the newest is the one covering the latest year
        newest = rows.group_by("_source_file").aggregate(last=rows.year.max())
        top = newest.order_by([ibis.desc("last"), ibis.desc("_source_file")]).limit(1)
        rows = rows.semi_join(top, "_source_file")
    return rows.group_by([rows.iso3, rows.year.cast("int64").name("year")]).aggregate(
        coup_attempt_last_5_years=rows["coup.try.5yr"].cast("float64").max()
    )


POWELL_THYNE_FEATURES = (
    "coup_attempts",
    "coups_successful",
    "coups_failed",
    "coup_attempts_5_years",
    "years_since_coup_attempt",
)
#: The first year whose five-year count lies wholly inside the Powell & Thyne list (1950-).
FIRST_FULL_5_YEARS = 1954


def powell_thyne_features(units: ir.Table, coups: ir.Table | None) -> ir.Table:
    """Coup attempts, successful and failed coups (Powell & Thyne) per country-year.

    The file has a row, zeros included, for every country-year it covers, so a country-year
    without a row is not covered and stays missing. Two Gleditsch-Ward codes never share a
    country-year key today; were they to, counts are added and the shorter time since the last
    attempt is kept. The five-year count is missing for 1950-1953, whose windows reach back
    before the list begins.
    """
    if coups is None:
        return _nulls(units, POWELL_THYNE_FEATURES, "int64")
    rows = coups.filter(coups.iso3.notnull())
    agg = rows.group_by([rows.iso3, rows.year.cast("int64").name("year")]).aggregate(
        coup_attempts=rows.pt_attempt_num.cast("int64").sum(),
        coups_successful=rows.pt_coup_num.cast("int64").sum(),
        coups_failed=rows.pt_failed_num.cast("int64").sum(),
        coup_attempts_5_years=rows.pt_attempt_num5yrs.cast("int64").sum(),
        years_since_coup_attempt=rows.years_since_last_pt_attempt.cast("int64").min(),
    )
    five = ibis.ifelse(
        agg.year >= FIRST_FULL_5_YEARS, agg.coup_attempts_5_years, ibis.null("int64")
    )
    return agg.mutate(coup_attempts_5_years=five)
