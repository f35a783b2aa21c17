"""Ethnic Power Relations (EPR) Core: politically relevant ethnic groups and their access to
state power, one row per group and period of constant coding."""

from __future__ import annotations

from atrocity_watch.sources._spec import THIS_YEAR, Column, CountryRule, Download, SourceSpec

STATUSES = (
    "MONOPOLY",
    "DOMINANT",
    "SENIOR PARTNER",
    "JUNIOR PARTNER",
    "POWERLESS",
    "DISCRIMINATED",
    "SELF-EXCLUSION",
    "IRRELEVANT",
    "STATE COLLAPSE",
)


def _year(name: str, description: str) -> Column:
    return Column(
        name,
        "integer",
        description,
        required=True,
        nullable=False,
        minimum=1946,
        maximum=THIS_YEAR,
    )


SPEC = SourceSpec(
    name="epr_core",
    title="Ethnic Power Relations (EPR) Core",
    publisher="International Conflict Research, ETH Zurich",
    licence=(
        "Free for research with citation (ETH ICR); no licence file in the distribution — "
        "check the terms on icr.ethz.ch before redistributing"
    ),
    citation=(
        "Vogt, Manuel, Nils-Christian Bormann, Seraina Rüegger, Lars-Erik Cederman, Philipp "
        "Hunziker & Luc Girardin (2015), 'Integrating Data on Ethnicity, Geography, and "
        "Conflict: The Ethnic Power Relations Data Set Family', Journal of Conflict Resolution "
        "59(7): 1327–1342"
    ),
    url="https://icr.ethz.ch/data/epr/core/",
    description=(
        "Politically relevant ethnic groups per country, their share of the population and "
        "their access to executive power (from monopoly to discriminated), 1946 onwards."
    ),
    unit="group-period",
    columns=(
        Column(
            "gwid", "integer", "Gleditsch-Ward code of the country.", required=True, nullable=False
        ),
        Column("statename", "text", "Country name."),
        _year("from", "First year of the period."),
        _year("to", "Last year of the period (expand with range(from, to + 1))."),
        Column("group", "text", "Name of the ethnic group.", required=True),
        Column("groupid", "integer", "Group id within the country."),
        Column(
            "gwgroupid",
            "integer",
            "gwid × 1000 + groupid: the group's id across EPR.",
            required=True,
            nullable=False,
        ),
        Column("umbrella", "integer", "gwgroupid of an umbrella group, if any."),
        Column(
            "size",
            "number",
            "Group's share of the country's population (0–1).",
            required=True,
            minimum=0,
            maximum=1,
        ),
        Column(
            "status",
            "text",
            "Access to executive power. Excluded groups: POWERLESS, DISCRIMINATED, SELF-EXCLUSION.",
            required=True,
            nullable=False,
            allowed=STATUSES,
        ),
        Column("reg_aut", "boolean", "Regional autonomy (true/false; empty when not coded)."),
    ),
    key=("gwgroupid", "from"),
    countries=(
        CountryRule(
            column="gwid",
            scheme="gw",
            year_column="from",
            any_year=True,
            rule=(
                "gwid is a Gleditsch-Ward code, looked up for the period's first year (a "
                "code used outside its Gleditsch-Ward years is accepted when it always "
                "denotes the same country)."
            ),
        ),
    ),
    version_pattern=r"EPR-(\d{4})",
    downloads=(
        Download(
            "https://icr.ethz.ch/data/epr/core/EPR-2021.csv",
            "EPR-2021.csv",
            "EPR Core 2021, group-periods 1946–2021.",
        ),
    ),
    mirror_patterns=("epr/EPR-20*.csv",),
)
