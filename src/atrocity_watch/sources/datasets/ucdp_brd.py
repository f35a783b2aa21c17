"""UCDP Battle-Related Deaths Dataset (dyadic version): one row per dyad-year."""

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

BATTLE_LOCATION_RULE = (
    "iso3 comes from gwno_battle, the country or countries where the battles took place "
    "(not gwno_loc, the country the incompatibility concerns). When several are listed, iso3 "
    "is the first and iso3_all lists them all in UCDP's order; the dyad-year's deaths are not "
    "split by country in the source."
)


def _text(name: str, description: str) -> Column:
    return Column(name, "text", description)


SPEC = SourceSpec(
    name="ucdp_brd",
    title="UCDP Battle-Related Deaths Dataset (dyadic)",
    publisher=UCDP_PUBLISHER,
    licence=UCDP_LICENCE,
    citation="UCDP Battle-Related Deaths Dataset, dyadic version; " + UCDP_ANNUAL_ARTICLE,
    url="https://ucdp.uu.se/downloads/index.html#battlerelated",
    description="Battle-related deaths in state-based armed conflicts, per dyad and year.",
    unit="dyad-year",
    columns=(
        Column("conflict_id", "integer", "UCDP conflict id.", required=True),
        Column("dyad_id", "integer", "UCDP dyad id.", required=True, nullable=False),
        _text("location_inc", "Country or countries of the incompatibility."),
        _text("side_a", "Side A (a government)."),
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
        _text("territory_name", "Territory contested, when the incompatibility is territory."),
        ucdp_year(),
        deaths("bd_best", "Best estimate of battle-related deaths.", required=True),
        deaths("bd_low", "Low estimate of battle-related deaths."),
        deaths("bd_high", "High estimate of battle-related deaths."),
        Column(
            "type_of_conflict",
            "integer",
            "1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalised intrastate.",
            allowed=(1, 2, 3, 4),
        ),
        _text("battle_location", "Country or countries where the battles took place."),
        _text("gwno_a", "Gleditsch-Ward code(s) of side A."),
        _text("gwno_a_2nd", "Gleditsch-Ward codes of secondary parties on side A."),
        _text("gwno_b", "Gleditsch-Ward code(s) of side B."),
        _text("gwno_b_2nd", "Gleditsch-Ward codes of secondary parties on side B."),
        _text("gwno_loc", "Gleditsch-Ward code(s) of the incompatibility's location."),
        Column(
            "gwno_battle",
            "text",
            "Gleditsch-Ward code(s) of the battle location.",
            required=True,
            nullable=False,
        ),
        _text("region", "UCDP region code(s): " + UCDP_REGIONS + "."),
        ucdp_version(),
    ),
    key=("dyad_id", "year"),
    countries=(
        CountryRule(
            column="gwno_battle",
            scheme="ucdp",
            year_column="year",
            separator=",",
            rule=BATTLE_LOCATION_RULE,
        ),
    ),
    version_column="version",
    version_pattern=r"BattleDeaths_v(\d+)_(\d+)|brd-dyadic-(\d\d)(\d)",
    downloads=(
        Download(
            UCDP_DOWNLOADS + "brd/ucdp-brd-dyadic-251-csv.zip",
            "ucdp-brd-dyadic-251-csv.zip",
            "Battle-Related Deaths, dyadic, 25.1 (zip of one CSV).",
        ),
    ),
    mirror_patterns=("ucdp/BattleDeaths_v*.csv", "ucdp/ucdp-brd-dyadic-*"),
    rules=(BATTLE_LOCATION_RULE,),
)
