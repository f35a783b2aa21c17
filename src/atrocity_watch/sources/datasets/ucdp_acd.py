"""UCDP/PRIO Armed Conflict Dataset: state-based armed conflicts, one row per conflict-year."""

from __future__ import annotations

from atrocity_watch.sources._spec import Column, CountryRule, Download, SourceSpec
from atrocity_watch.sources.datasets._ucdp import (
    UCDP_ANNUAL_ARTICLE,
    UCDP_LICENCE,
    UCDP_PUBLISHER,
    UCDP_REGIONS,
    ucdp_version,
    ucdp_year,
)

LOCATION_RULE = (
    "gwno_loc lists the government(s) whose territory is disputed or whose government is "
    "contested; interstate conflicts list several. iso3 is the first listed and iso3_all lists "
    "them all in UCDP's order. Extrasystemic (colonial) wars are located in the territory that "
    "later became the State with that code (e.g. 580 Madagascar in 1947). Hyderabad "
    "(Gleditsch-Ward 751, independent 1947–1948) is located in India (750), which it joined."
)


def _text(name: str, description: str) -> Column:
    return Column(name, "text", description)


SPEC = SourceSpec(
    name="ucdp_acd",
    title="UCDP/PRIO Armed Conflict Dataset",
    publisher=UCDP_PUBLISHER + " and Peace Research Institute Oslo (PRIO)",
    licence=UCDP_LICENCE,
    citation=(
        "Gleditsch, Nils Petter, Peter Wallensteen, Mikael Eriksson, Margareta Sollenberg & "
        "Håvard Strand (2002), 'Armed Conflict 1946–2001: A New Dataset', Journal of Peace "
        "Research 39(5): 615–637; " + UCDP_ANNUAL_ARTICLE
    ),
    url="https://ucdp.uu.se/downloads/index.html#armedconflict",
    description=(
        "State-based armed conflicts with at least 25 battle-related deaths in a year, "
        "1946 onwards, with their intensity and type."
    ),
    unit="conflict-year",
    columns=(
        Column("conflict_id", "integer", "UCDP conflict id.", required=True, nullable=False),
        _text("location", "Country or countries of the incompatibility."),
        Column("side_a", "text", "Side A (a government).", required=True),
        _text("side_a_id", "Actor id(s) of side A."),
        _text("side_a_2nd", "Secondary warring parties on side A."),
        _text("side_b", "Side B."),
        _text("side_b_id", "Actor id(s) of side B."),
        _text("side_b_2nd", "Secondary warring parties on side B."),
        Column(
            "incompatibility",
            "integer",
            "1 territory, 2 government, 3 both.",
            allowed=(1, 2, 3),
        ),
        _text("territory_name", "Territory contested."),
        ucdp_year(1946),
        Column(
            "intensity_level",
            "integer",
            "1 minor (25–999 battle-related deaths in the year), 2 war (1,000 or more).",
            required=True,
            nullable=False,
            allowed=(1, 2),
        ),
        Column(
            "cumulative_intensity",
            "integer",
            "1 once the conflict has reached 1,000 deaths in total.",
            allowed=(0, 1),
        ),
        Column(
            "type_of_conflict",
            "integer",
            "1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalised intrastate.",
            required=True,
            allowed=(1, 2, 3, 4),
        ),
        Column("start_date", "date", "Date of the first battle-related death."),
        Column("start_prec", "integer", "Precision of start_date."),
        Column("start_date2", "date", "Date the conflict episode reached 25 deaths."),
        Column("start_prec2", "integer", "Precision of start_date2."),
        Column("ep_end", "integer", "1 when the episode ended this year.", allowed=(0, 1)),
        Column("ep_end_date", "date", "Date the episode ended."),
        Column("ep_end_prec", "integer", "Precision of ep_end_date."),
        _text("gwno_a", "Gleditsch-Ward code(s) of side A."),
        _text("gwno_a_2nd", "Gleditsch-Ward codes of secondary parties on side A."),
        _text("gwno_b", "Gleditsch-Ward code(s) of side B."),
        _text("gwno_b_2nd", "Gleditsch-Ward codes of secondary parties on side B."),
        Column(
            "gwno_loc",
            "text",
            "Gleditsch-Ward code(s) of the incompatibility's location.",
            required=True,
            nullable=False,
        ),
        _text("region", "UCDP region code(s): " + UCDP_REGIONS + "."),
        ucdp_version(),
    ),
    key=("conflict_id", "year"),
    countries=(
        CountryRule(
            column="gwno_loc",
            scheme="ucdp",
            year_column="year",
            separator=",",
            any_year=True,
            overrides={"751": "750"},
            rule=LOCATION_RULE,
        ),
    ),
    version_column="version",
    version_pattern=r"ucdp-prio-acd-(\d\d)(\d)",
    downloads=(
        Download(
            "https://ucdp.uu.se/downloads/ucdpprio/ucdp-prio-acd-251-csv.zip",
            "ucdp-prio-acd-251-csv.zip",
            "UCDP/PRIO Armed Conflict Dataset 25.1 (zip of one CSV).",
        ),
    ),
    mirror_patterns=("ucdp/ucdp-prio-acd-*",),
    rules=(LOCATION_RULE,),
)
