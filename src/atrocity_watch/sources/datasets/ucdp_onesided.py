"""UCDP One-sided Violence Dataset: deliberate killings of civilians, one row per actor-year."""

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

MULTI_COUNTRY_RULE = (
    "gwno_location may list several Gleditsch-Ward codes ('625, 626'): UCDP cannot split the "
    "actor-year's deaths among them and lists the codes in ascending order, so the first is not "
    "a main location. iso3 takes the first listed code and iso3_all keeps every listed "
    "country, in UCDP's order; a panel summing deaths by country must say how it uses iso3_all."
)

SPEC = SourceSpec(
    name="ucdp_onesided",
    title="UCDP One-sided Violence Dataset",
    publisher=UCDP_PUBLISHER,
    licence=UCDP_LICENCE,
    citation=(
        "Eck, Kristine & Lisa Hultman (2007), 'One-Sided Violence Against Civilians in War', "
        "Journal of Peace Research 44(2): 233–246; " + UCDP_ANNUAL_ARTICLE
    ),
    url="https://ucdp.uu.se/downloads/index.html#onesided",
    description=(
        "Deliberate killings of civilians by a government or a formally organised group, at "
        "least 25 deaths in a year; one row per actor and year, 1989 onwards."
    ),
    unit="actor-year",
    columns=(
        Column("conflict_id", "integer", "UCDP one-sided conflict id.", required=True),
        Column("dyad_id", "integer", "UCDP dyad id.", required=True, nullable=False),
        Column("actor_id", "integer", "UCDP actor id of the perpetrator.", required=True),
        Column("coalition_components", "text", "Actor ids of a coalition's members."),
        Column("actor_name", "text", "Name of the perpetrator.", required=True),
        Column("actor_name_fulltext", "text", "Full name of the perpetrator."),
        Column("actor_name_mothertongue", "text", "Name in the actor's language."),
        ucdp_year(),
        deaths(
            "best_fatality_estimate",
            "Best estimate of civilians killed by the actor in the year.",
            required=True,
        ),
        deaths("low_fatality_estimate", "Low estimate of civilians killed."),
        deaths("high_fatality_estimate", "High estimate of civilians killed."),
        Column(
            "is_government_actor",
            "integer",
            "1 when the perpetrator is a government, 0 for a non-State group.",
            required=True,
            nullable=False,
            allowed=(0, 1),
        ),
        Column("location", "text", "Country or countries where the killings took place."),
        Column(
            "gwno_location",
            "text",
            "Gleditsch-Ward code(s) of the location, comma-separated when several.",
            required=True,
            nullable=False,
        ),
        Column("gwnoa", "text", "Gleditsch-Ward code of a government perpetrator."),
        Column("region", "text", "UCDP region code(s): " + UCDP_REGIONS + "."),
        ucdp_version(),
    ),
    key=("dyad_id", "year"),
    countries=(
        CountryRule(
            column="gwno_location",
            scheme="ucdp",
            year_column="year",
            separator=",",
            rule=MULTI_COUNTRY_RULE,
        ),
    ),
    version_column="version",
    version_pattern=r"OneSided_v(\d+)_(\d+)|onesided-(\d\d)(\d)",
    downloads=(
        Download(
            UCDP_DOWNLOADS + "ucdp-onesided/ucdp-onesided-251-csv.zip",
            "ucdp-onesided-251-csv.zip",
            "One-sided Violence 25.1 (zip of one CSV).",
        ),
    ),
    mirror_patterns=(
        "ucdp/OneSided_v*.csv",
        "ucdp/ucdp-onesided-*.csv",
        "ucdp/ucdp-onesided-*.zip",
    ),
    rules=(MULTI_COUNTRY_RULE,),
)
