"""UCDP Non-State Conflict Dataset: fighting between organised groups, one row per dyad-year."""

from __future__ import annotations

from atrocity_watch.sources._spec import Column, CountryRule, Download, SourceSpec
from atrocity_watch.sources.datasets._ucdp import (
    UCDP_ANNUAL_ARTICLE,
    UCDP_DOWNLOADS,
    UCDP_LICENCE,
    UCDP_PUBLISHER,
    UCDP_REGIONS,
    deaths,
    ucdp_version,
    ucdp_year,
)

LOCATION_RULE = (
    "gwno_location may list several Gleditsch-Ward codes; iso3 is the first listed and iso3_all "
    "lists them all in UCDP's order (the dyad-year's deaths are not split by country)."
)


def _text(name: str, description: str) -> Column:
    return Column(name, "text", description)


SPEC = SourceSpec(
    name="ucdp_nonstate",
    title="UCDP Non-State Conflict Dataset",
    publisher=UCDP_PUBLISHER,
    licence=UCDP_LICENCE,
    citation=(
        "Sundberg, Ralph, Kristine Eck & Joakim Kreutz (2012), 'Introducing the UCDP Non-State "
        "Conflict Dataset', Journal of Peace Research 49(2): 351–362; " + UCDP_ANNUAL_ARTICLE
    ),
    url="https://ucdp.uu.se/downloads/index.html#nonstate",
    description=(
        "Armed fighting between organised groups, neither of them a government, with at least "
        "25 deaths in a year; one row per dyad and year, 1989 onwards."
    ),
    unit="dyad-year",
    columns=(
        Column("conflict_id", "integer", "UCDP conflict id.", required=True),
        Column("dyad_id", "integer", "UCDP dyad id.", required=True, nullable=False),
        Column(
            "org",
            "integer",
            "1 formally organised groups, 2 informally organised groups, 3 groups organised "
            "along communal (identity) lines.",
            required=True,
            allowed=(1, 2, 3),
        ),
        Column("side_a_name", "text", "Side A.", required=True),
        _text("side_a_name_fulltext", "Full name of side A."),
        _text("side_a_name_mothertongue", "Name of side A in its language."),
        _text("side_a_id", "Actor id of side A."),
        _text("side_a_components", "Actor ids of side A's members."),
        _text("side_a_2nd", "Secondary supporters of side A."),
        _text("gwno_a_2nd", "Gleditsch-Ward codes of side A's supporters."),
        Column("side_b_name", "text", "Side B.", required=True),
        _text("side_b_name_fulltext", "Full name of side B."),
        _text("side_b_name_mothertongue", "Name of side B in its language."),
        _text("side_b_id", "Actor id of side B."),
        _text("side_b_components", "Actor ids of side B's members."),
        _text("side_b_2nd", "Secondary supporters of side B."),
        _text("gwno_b_2nd", "Gleditsch-Ward codes of side B's supporters."),
        Column("start_date", "date", "Date of the first death in the dyad."),
        Column("start_prec", "integer", "Precision of start_date."),
        Column("start_date2", "date", "Date the dyad reached 25 deaths."),
        Column("start_prec2", "integer", "Precision of start_date2."),
        Column("ep_end", "integer", "1 when the episode ended this year.", allowed=(0, 1)),
        Column("ep_end_date", "date", "Date the episode ended."),
        Column("ep_end_prec", "integer", "Precision of ep_end_date."),
        ucdp_year(),
        deaths("best_fatality_estimate", "Best estimate of deaths in the year.", required=True),
        deaths("low_fatality_estimate", "Low estimate of deaths."),
        deaths("high_fatality_estimate", "High estimate of deaths."),
        _text("location", "Country or countries where the fighting took place."),
        Column(
            "gwno_location",
            "text",
            "Gleditsch-Ward code(s) of the location, comma-separated when several.",
            required=True,
            nullable=False,
        ),
        _text("region", "UCDP region code(s): " + UCDP_REGIONS + "."),
        ucdp_version(),
    ),
    key=("dyad_id", "year"),
    countries=(
        CountryRule(
            column="gwno_location",
            scheme="ucdp",
            year_column="year",
            separator=",",
            rule=LOCATION_RULE,
        ),
    ),
    version_column="version",
    version_pattern=r"ucdp-nonstate-(\d\d)(\d)|NonState_v(\d+)_(\d+)",
    downloads=(
        Download(
            UCDP_DOWNLOADS + "nsos/ucdp-nonstate-251-csv.zip",
            "ucdp-nonstate-251-csv.zip",
            "Non-State Conflict 25.1 (zip of one CSV).",
        ),
    ),
    mirror_patterns=("ucdp/ucdp-nonstate-*", "ucdp/NonState_v*.csv"),
    rules=(LOCATION_RULE,),
)
