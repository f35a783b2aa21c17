"""The feature registry: every panel column, what it measures and which indicators it informs.

One declaration per column feeds the panel build (which must produce exactly these columns),
``atrocity-watch panels describe``, ``docs/panels.md`` and the tests. Framework references are
indicator numbers ("7.8") or, where the Framework's indicator list for a risk factor is
incomplete, the risk factor's number ("14"); they are checked against
:func:`atrocity_watch.framework.get_framework` when the module is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from atrocity_watch.panels._errors import FeatureRegistryError, UnknownFeatureError

Frequency = Literal["year", "month"]
PANEL_TABLES: dict[str, str] = {"year": "panel_country_year", "month": "panel_country_month"}
FIRST_YEAR: dict[str, int] = {"year": 1946, "month": 1989}

_UCDP_GED_COVERAGE = (
    "1989 to the latest imported GED release; only the countries and months the imported GED "
    "files cover (checked against UCDP's country-year totals when those are imported)"
)
_ACLED_COVERAGE = (
    "the countries and whole months the imported ACLED exports cover (ACLED starts 1997 for "
    "Africa, later elsewhere); a year only when all its months are covered"
)
_UCDP_CY_COVERAGE = "1989 to the latest imported release of UCDP's Organized Violence data"
_UCDP_NOT_CODED = (
    " UCDP does not code this: only ACLED event types and actor names allow it, so the value "
    "is missing wherever no ACLED export is imported."
)


@dataclass(frozen=True)
class Feature:
    """One column of a panel."""

    name: str
    title: str
    frequency: Frequency
    sources: tuple[str, ...]
    unit: str
    coverage: str
    indicators: tuple[str, ...]
    description: str

    def __post_init__(self) -> None:
        if not self.name.replace("_", "").isalnum() or not self.name.islower():
            raise FeatureRegistryError(f"feature name {self.name!r} must be lower_snake_case")
        if self.frequency not in PANEL_TABLES:
            raise FeatureRegistryError(
                f"the frequency of {self.name!r} must be 'year' or 'month'. "
                f"Got {self.frequency!r} instead."
            )
        for field_name in ("title", "unit", "coverage", "description"):
            if not getattr(self, field_name).strip():
                raise FeatureRegistryError(f"feature {self.name!r} needs a {field_name}")
        if not self.sources:
            raise FeatureRegistryError(f"feature {self.name!r} must name its source(s)")
        if not self.indicators:
            raise FeatureRegistryError(
                f"feature {self.name!r} must name the Framework indicators it informs"
            )

    @property
    def table(self) -> str:
        """The warehouse table that holds this column."""
        return PANEL_TABLES[self.frequency]

    @property
    def source(self) -> str:
        """The source names in one string, for tables and messages."""
        return " + ".join(self.sources)

    def as_dict(self) -> dict[str, object]:
        """Plain-data form for JSON output."""
        return {
            "name": self.name,
            "title": self.title,
            "table": self.table,
            "frequency": self.frequency,
            "source": self.source,
            "sources": list(self.sources),
            "unit": self.unit,
            "coverage": self.coverage,
            "first_year": FIRST_YEAR[self.frequency],
            "indicators": list(self.indicators),
            "description": self.description,
        }


def _both(
    name: str,
    title: str,
    sources: tuple[str, ...],
    unit: str,
    coverage: str,
    indicators: tuple[str, ...],
    description: str,
    *,
    year_coverage: str | None = None,
    year_sources: tuple[str, ...] | None = None,
) -> tuple[Feature, Feature]:
    """The same measure in the country-year and the country-month panel."""
    return (
        Feature(
            name,
            title,
            "year",
            year_sources or sources,
            unit,
            year_coverage or coverage,
            indicators,
            description,
        ),
        Feature(name, title, "month", sources, unit, coverage, indicators, description),
    )


_VIOLENCE_YEAR: tuple[Feature, ...] = (
    *_both(
        "state_based_deaths",
        "Deaths in state-based armed conflict",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE,
        ("1.1", "8.1"),
        "Deaths in fighting where a government is a party (UCDP type of violence 1), located "
        "in the country. Country-year values are UCDP's own country-year totals; country-month "
        "values sum the GED events.",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE,
    ),
    *_both(
        "non_state_deaths",
        "Deaths in non-state conflict",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE,
        ("1.2", "1.5", "5.5"),
        "Deaths in fighting between organised armed groups, none of them a government (UCDP "
        "type of violence 2).",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE,
    ),
    *_both(
        "one_sided_deaths",
        "Civilians killed in one-sided violence",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE,
        ("2.1", "7.8", "11", "11.1"),
        "Civilians deliberately killed by a government or an organised armed group (UCDP "
        "type of violence 3): the core event measure of atrocity crimes.",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE,
    ),
    *_both(
        "one_sided_deaths_government",
        "Civilians killed by government forces",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE,
        ("2.1", "7.8", "10.2", "11.1"),
        "One-sided violence whose perpetrator is a government (any government, including "
        "foreign ones acting in the country).",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE,
    ),
    *_both(
        "one_sided_deaths_nonstate",
        "Civilians killed by non-State armed groups",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE,
        ("7.8", "11.1", "5.5"),
        "One-sided violence whose perpetrator is a formally organised non-State group.",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE,
    ),
    *_both(
        "organized_violence_deaths",
        "Deaths in organised violence (all three types)",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE,
        ("1.1", "2.1"),
        "State-based, non-state and one-sided deaths together.",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE,
    ),
    *_both(
        "civilian_deaths_in_fighting",
        "Civilians killed in armed fighting",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE,
        ("13", "13.6"),
        "Civilians killed in state-based and non-state fighting (UCDP's civilian deaths of "
        "types 1 and 2), a sign that parties disregard the protection IHL gives civilians. "
        "Excludes one-sided violence, counted above.",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE,
    ),
)

_EVENTS_MONTH: tuple[Feature, ...] = (
    Feature(
        "ged_events",
        "Events of organised violence (UCDP GED)",
        "month",
        ("ucdp_ged",),
        "events",
        _UCDP_GED_COVERAGE,
        ("1.1", "2.1"),
        "Number of GED events of any type of violence in the month.",
    ),
    Feature(
        "one_sided_events",
        "Events of one-sided violence against civilians (UCDP GED)",
        "month",
        ("ucdp_ged",),
        "events",
        _UCDP_GED_COVERAGE,
        ("7.8", "11.1"),
        "Number of GED events in which a government or armed group deliberately killed "
        "civilians (type of violence 3).",
    ),
)

_ACLED: tuple[Feature, ...] = (
    *_both(
        "acled_political_violence_events",
        "Political violence events (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("1.1", "1.5"),
        "ACLED events of the types Battles, Explosions/Remote violence and Violence against "
        "civilians, plus mob violence and excessive force against protesters (ACLED's "
        "political violence definition).",
    ),
    *_both(
        "acled_fatalities",
        "Reported fatalities in political violence (ACLED)",
        ("acled_events",),
        "deaths (as reported)",
        _ACLED_COVERAGE,
        ("1.1",),
        "Fatalities ACLED records for its political violence events.",
    ),
    *_both(
        "acled_events_targeting_civilians",
        "Events targeting civilians (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("7.8", "11.1", "13.6"),
        "Violence against civilians events, and explosions or remote violence in which "
        "civilians were the target (ACLED's 'civilian targeting' flag, or civilians as the "
        "target actor in exports without that flag).",
    ),
    *_both(
        "acled_civilian_fatalities",
        "Reported civilian fatalities in events targeting civilians (ACLED)",
        ("acled_events",),
        "deaths (as reported)",
        _ACLED_COVERAGE,
        ("7.8", "11.1"),
        "Fatalities ACLED records in the events targeting civilians counted above.",
    ),
    *_both(
        "acled_state_violence_against_civilians",
        "Violence against civilians by State forces (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("2.1", "7.3", "7.8"),
        "Events targeting civilians whose first actor is a State force (ACLED actor type "
        "1), one-sided violence by the State.",
    ),
    *_both(
        "acled_sexual_violence_events",
        "Sexual violence events (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("7.9", "10.5", "11.1"),
        "Events of ACLED's sub-event type 'Sexual violence'. ACLED records only sexual "
        "violence in political violence that is reported; counts are a floor." + _UCDP_NOT_CODED,
    ),
    *_both(
        "acled_abduction_events",
        "Abductions and forced disappearances (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("2.1", "7.8", "11.1"),
        "Events of ACLED's sub-event type 'Abduction/forced disappearance'." + _UCDP_NOT_CODED,
    ),
    *_both(
        "acled_attacks_on_aid_workers",
        "Violence against aid workers (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("14", "13.8", "6.4"),
        "Political violence events whose target side (actor 2 or its associates) names aid "
        "workers or a humanitarian agency (WFP, UNHCR, UNICEF, OCHA, IOM, ICRC, Red Cross or "
        "Red Crescent, MSF)." + _UCDP_NOT_CODED,
    ),
    *_both(
        "acled_attacks_on_peacekeepers",
        "Violence involving peacekeepers (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("14", "6.4"),
        "Political violence events in which a UN or regional peace operation (ACLED actor "
        "names such as 'MINUSMA: United Nations …', 'AMISOM: African Union Mission …') is "
        "a party." + _UCDP_NOT_CODED,
    ),
    *_both(
        "acled_excessive_force_against_protesters",
        "Excessive force against protesters (ACLED)",
        ("acled_events",),
        "events",
        _ACLED_COVERAGE,
        ("1.10", "7.8"),
        "Events of ACLED's sub-event type 'Excessive force against protesters': lethal or "
        "violent repression of peaceful protest.",
    ),
)

_CONFLICT_YEAR: tuple[Feature, ...] = (
    Feature(
        "battle_deaths",
        "Battle-related deaths",
        "year",
        ("ucdp_brd",),
        "deaths (UCDP best estimate)",
        "1989 to the latest imported release of UCDP's Battle-Related Deaths data",
        ("1.1",),
        "UCDP battle-related deaths in state-based conflicts over the country's government "
        "or territory (UCDP's conflict location), wherever the battles took place; a conflict "
        "located in several countries (an interstate war) is split evenly between them.",
    ),
    Feature(
        "armed_conflict_intensity",
        "Armed conflict on the territory (0 none, 1 minor, 2 war)",
        "year",
        ("ucdp_acd",),
        "level 0-2",
        "1946 to the latest imported release of the UCDP/PRIO Armed Conflict Dataset",
        ("1.1", "8.1"),
        "Highest UCDP/PRIO intensity of the state-based conflicts located in the country: "
        "1 = 25 to 999 battle deaths in the year, 2 = 1,000 or more (war); 0 = none.",
    ),
    Feature(
        "internal_armed_conflict",
        "Internal armed conflict (0/1)",
        "year",
        ("ucdp_acd",),
        "0 or 1",
        "1946 to the latest imported release of the UCDP/PRIO Armed Conflict Dataset",
        ("1.1",),
        "1 when an intrastate or internationalised intrastate conflict is located in the country.",
    ),
    Feature(
        "interstate_armed_conflict",
        "Interstate armed conflict (0/1)",
        "year",
        ("ucdp_acd",),
        "0 or 1",
        "1946 to the latest imported release of the UCDP/PRIO Armed Conflict Dataset",
        ("1.1", "1.2"),
        "1 when the country's government is a primary party to an interstate conflict.",
    ),
    Feature(
        "one_sided_perpetrators",
        "Actors killing civilians",
        "year",
        ("ucdp_onesided",),
        "actors",
        "1989 to the latest imported release of UCDP's One-sided Violence data",
        ("5.5", "11.1"),
        "Number of governments and armed groups that killed at least 25 civilians in the "
        "country in the year (UCDP one-sided violence actors).",
    ),
)

_SPILLOVER: tuple[Feature, ...] = (
    *_both(
        "neighbour_violence_deaths",
        "Deaths in organised violence in neighbouring countries",
        ("ucdp_ged",),
        "deaths (UCDP best estimate)",
        _UCDP_GED_COVERAGE + "; missing when any land neighbour's value is missing",
        ("8.2", "1.2"),
        "Sum of organised-violence deaths (all three types) in the countries that share a "
        "land border with the country (country registry, Natural Earth borders). 0 for "
        "countries without land neighbours.",
        year_sources=("ucdp_organized_violence_cy",),
        year_coverage=_UCDP_CY_COVERAGE + "; missing when any land neighbour's value is missing",
    ),
    Feature(
        "neighbours_in_armed_conflict",
        "Land neighbours with armed conflict on their territory",
        "year",
        ("ucdp_acd",),
        "countries",
        "1946 to the latest imported release of the UCDP/PRIO Armed Conflict Dataset",
        ("8.2", "1.2"),
        "Number of land neighbours with a state-based armed conflict located on their "
        "territory in the year (any intensity).",
    ),
)

_VDEM_COVERAGE = "1970-2023 in the V-Dem subset shipped for tests; 1789 on in full V-Dem files"


#: Panel column -> V-Dem variable it copies.
VDEM_CODES: dict[str, str] = {}


def _vdem(
    name: str, code: str, title: str, unit: str, indicators: tuple[str, ...], text: str
) -> Feature:
    VDEM_CODES[name] = code
    return Feature(
        name,
        title,
        "year",
        ("vdem",),
        unit,
        _VDEM_COVERAGE,
        indicators,
        f"V-Dem {code}: {text}",
    )


_INDEX = "index 0-1 (higher = more)"
_LATENT = "V-Dem latent scale, about -4 to 4 (higher = better)"

_VDEM: tuple[Feature, ...] = (
    _vdem("vdem_electoral_democracy", "v2x_polyarchy", "Electoral democracy", _INDEX,
          ("1.6",), "electoral democracy index."),
    _vdem("vdem_liberal_democracy", "v2x_libdem", "Liberal democracy", _INDEX,
          ("1.6", "3.3"), "liberal democracy index."),
    _vdem("vdem_regime_type", "v2x_regime", "Regime type (0 closed autocracy - 3 liberal "
          "democracy)", "category 0-3", ("1.6",), "Regimes of the World classification."),
    _vdem("vdem_civil_liberties", "v2x_civlib", "Civil liberties", _INDEX,
          ("2.1", "7.1", "6.2"), "civil liberties index."),
    _vdem("vdem_physical_integrity", "v2x_clphy", "Physical integrity rights", _INDEX,
          ("2.1", "7.8"), "freedom from political killings and torture by the government."),
    _vdem("vdem_freedom_from_political_killings", "v2clkill",
          "Freedom from political killings", _LATENT, ("2.1", "10.2", "7.8"),
          "how far the State refrains from killing people for political reasons."),
    _vdem("vdem_freedom_from_torture", "v2cltort", "Freedom from torture", _LATENT,
          ("2.1", "7.8"), "how far the State refrains from torture."),
    _vdem("vdem_civil_society_repression", "v2csreprss",
          "Freedom of civil society from repression", _LATENT, ("6.2", "7.7"),
          "how far the government refrains from repressing civil society organisations."),
    _vdem("vdem_core_civil_society", "v2xcs_ccsi", "Core civil society", _INDEX,
          ("6.2",), "robustness of civil society (core civil society index)."),
    _vdem("vdem_media_censorship", "v2mecenefm", "Freedom from media censorship", _LATENT,
          ("6.2", "7.6"), "how far the government refrains from censoring print and "
          "broadcast media."),
    _vdem("vdem_harassment_of_journalists", "v2meharjrn",
          "Freedom of journalists from harassment", _LATENT, ("7.7", "6.2"),
          "how far journalists are free from harassment, arrest and killing."),
    _vdem("vdem_freedom_of_expression", "v2x_freexp_altinf",
          "Freedom of expression and alternative information", _INDEX, ("6.2", "7.6"),
          "freedom of expression and alternative sources of information index."),
    _vdem("vdem_social_group_equality", "v2clsocgrp",
          "Social group equality in civil liberties", _LATENT, ("9.1", "1.11"),
          "how equally social groups (ethnic, religious, caste …) enjoy civil liberties."),
    _vdem("vdem_power_by_social_group", "v2pepwrsoc",
          "Power distributed by social group", _LATENT, ("9.1", "1.9", "6.1"),
          "how evenly political power is spread across social groups."),
    _vdem("vdem_religious_freedom", "v2clrelig", "Freedom of religion", _LATENT,
          ("9.1", "8.6"), "freedom of religion."),
    _vdem("vdem_political_violence", "v2caviol", "Political violence by non-State actors",
          "V-Dem latent scale, about -4 to 4 (higher = more violence)", ("1.5", "1.2"),
          "how often non-State actors use political violence against people or property."),
    _vdem("vdem_polarization", "v2cacamps", "Political polarisation",
          "V-Dem latent scale, about -4 to 4 (higher = more polarised)", ("7.13", "1.11"),
          "how far society is split into antagonistic political camps."),
    _vdem("vdem_party_ban", "v2psparban", "Freedom from party bans", _LATENT,
          ("7.2", "1.6"), "whether political parties are banned (higher = fewer bans)."),
    _vdem("vdem_judicial_constraints", "v2x_jucon", "Judicial constraints on the executive",
          _INDEX, ("3.3", "3.6"), "how far the executive respects the constitution and "
          "court rulings, and how independent the judiciary is."),
    _vdem("vdem_political_corruption", "v2x_corr", "Political corruption",
          "index 0-1 (higher = more corrupt)", ("3.5",), "political corruption index."),
    _vdem("vdem_rule_of_law", "v2x_rule", "Rule of law", _INDEX, ("3.1", "3.2", "3.6"),
          "rule of law index."),
)  # fmt: skip

_EPR_COVERAGE = (
    "1946 to the latest imported EPR Core release (2021 here); politically relevant groups"
)

_STRUCTURE: tuple[Feature, ...] = (
    Feature(
        "epr_excluded_population_share",
        "Share of the population in excluded ethnic groups",
        "year",
        ("epr_core",),
        "share of population 0-1",
        _EPR_COVERAGE,
        ("9.1", "1.11", "6.1"),
        "Population share of politically relevant ethnic groups excluded from central power "
        "(EPR status powerless, discriminated or self-excluded). 0 in a covered country-year "
        "with no excluded group.",
    ),
    Feature(
        "epr_discriminated_population_share",
        "Share of the population in discriminated ethnic groups",
        "year",
        ("epr_core",),
        "share of population 0-1",
        _EPR_COVERAGE,
        ("9.1", "1.11", "7.8"),
        "Population share of ethnic groups that the State actively and intentionally "
        "discriminates against (EPR status discriminated).",
    ),
    Feature(
        "epr_excluded_groups",
        "Excluded ethnic groups",
        "year",
        ("epr_core",),
        "groups",
        _EPR_COVERAGE,
        ("9.1", "1.11"),
        "Number of politically relevant ethnic groups excluded from central power.",
    ),
    Feature(
        "epr_discriminated_groups",
        "Discriminated ethnic groups",
        "year",
        ("epr_core",),
        "groups",
        _EPR_COVERAGE,
        ("9.1", "7.8"),
        "Number of ethnic groups with EPR status discriminated.",
    ),
    Feature(
        "pts_amnesty",
        "Political Terror Scale (Amnesty International reports)",
        "year",
        ("pts",),
        "score 1-5 (5 = terror extends to the whole population)",
        "1976 to the latest imported PTS release",
        ("2.1", "1.6"),
        "Level of state-sanctioned killings, torture, disappearances and political "
        "imprisonment coded from Amnesty International's reports.",
    ),
    Feature(
        "pts_hrw",
        "Political Terror Scale (Human Rights Watch reports)",
        "year",
        ("pts",),
        "score 1-5 (5 = terror extends to the whole population)",
        "1976 to the latest imported PTS release (Human Rights Watch scores from 2013)",
        ("2.1", "1.6"),
        "As above, coded from Human Rights Watch's reports.",
    ),
    Feature(
        "pts_state_department",
        "Political Terror Scale (US State Department reports)",
        "year",
        ("pts",),
        "score 1-5 (5 = terror extends to the whole population)",
        "1976 to the latest imported PTS release",
        ("2.1", "1.6"),
        "As above, coded from the US State Department's country reports.",
    ),
    Feature(
        "pts_max",
        "Political Terror Scale (highest of the three)",
        "year",
        ("pts",),
        "score 1-5 (5 = terror extends to the whole population)",
        "1976 to the latest imported PTS release",
        ("2.1", "1.6", "7.8"),
        "The highest of the Amnesty, Human Rights Watch and State Department scores "
        "available for the year.",
    ),
    Feature(
        "polity2",
        "Polity score (-10 autocracy to +10 democracy)",
        "year",
        ("polity5",),
        "score -10 to 10",
        "1946-2018 (Polity5 ends in 2018)",
        ("1.6",),
        "Polity5 combined polity score, with transition periods interpolated (polity2).",
    ),
    Feature(
        "regime_durability",
        "Years since the last regime change",
        "year",
        ("polity5",),
        "years",
        "1946-2018 (Polity5 ends in 2018)",
        ("1.4", "8.4"),
        "Polity5 'durable': years since the last substantive change in authority "
        "characteristics (a 3-point change in the polity score).",
    ),
)

_WORLD_BANK = "1960 to the latest imported World Bank indicators (earlier from UN estimates)"

_ECONOMY: tuple[Feature, ...] = (
    Feature(
        "population",
        "Population",
        "year",
        ("worldbank",),
        "people",
        _WORLD_BANK,
        ("3.10", "5.3"),
        "Total population (World Bank SP.POP.TOTL, or the population series of the imported "
        "World Bank file). Large populations raise the number of people at risk.",
    ),
    Feature(
        "infant_mortality",
        "Infant mortality rate",
        "year",
        ("worldbank",),
        "deaths per 1,000 live births",
        _WORLD_BANK,
        ("1.3", "1.9", "3.10"),
        "Infant deaths per 1,000 live births (SP.DYN.IMRT.IN): a summary of State capacity "
        "and poverty used by most atrocity forecasting models.",
    ),
    Feature(
        "gdp_per_capita_growth",
        "GDP per capita growth",
        "year",
        ("worldbank",),
        "percent per year",
        _WORLD_BANK,
        ("1.8", "8.9"),
        "Annual growth of GDP per capita (NY.GDP.PCAP.KD.ZG); sharp falls mark economic crises.",
    ),
    Feature(
        "coup_attempt_last_5_years",
        "Coup attempt in the last five years (0/1)",
        "year",
        ("ewp_prepared",),
        "0 or 1",
        "1960 to the base year of the newest imported Early Warning Project dataset",
        ("1.4", "8.4"),
        "1 when a successful or failed coup was attempted in the year or the four before it "
        "(Powell & Thyne coup list, as prepared by the Early Warning Project; its newest "
        "imported edition is used).",
    ),
)

_COUP_COVERAGE = (
    "1950 to the last year of the imported Powell & Thyne file (2022 in the file of 2023), "
    "each country from its first year in the Gleditsch & Ward list; missing before 1950"
)
_COUP_DEFINITION = (
    "A coup attempt (Powell & Thyne) is an illegal and overt attempt by the military or other "
    "elites within the State apparatus to unseat the sitting executive; it is successful when "
    "the perpetrators hold power for at least seven days."
)

# Coups inform indicator 1.4 (instability from sudden or irregular change of government) and,
# as a trigger, 8.4 (abrupt or irregular regime change); a failed attempt is a power struggle
# within the State (1.5); every attempt is a sign that the security forces are not under
# effective civilian control (3.4, weakness of State structures).
_COUPS: tuple[Feature, ...] = (
    Feature(
        "coup_attempts",
        "Coup attempts in the year",
        "year",
        ("coups",),
        "attempts",
        _COUP_COVERAGE,
        ("1.4", "1.5", "3.4", "8.4"),
        "Successful plus failed coup attempts against the executive in the year (Powell & "
        "Thyne, Beger's country-year file). " + _COUP_DEFINITION,
    ),
    Feature(
        "coups_successful",
        "Successful coups in the year",
        "year",
        ("coups",),
        "coups",
        _COUP_COVERAGE,
        ("1.4", "3.4", "8.4"),
        "Coups in the year whose perpetrators held power for at least seven days (Powell & "
        "Thyne): a sudden, irregular change of government.",
    ),
    Feature(
        "coups_failed",
        "Failed coup attempts in the year",
        "year",
        ("coups",),
        "attempts",
        _COUP_COVERAGE,
        ("1.5", "3.4"),
        "Coup attempts in the year that did not unseat the executive for seven days (Powell & "
        "Thyne): a power struggle inside the State apparatus, often followed by purges.",
    ),
    Feature(
        "coup_attempts_5_years",
        "Coup attempts in the last five years (count)",
        "year",
        ("coups",),
        "attempts",
        _COUP_COVERAGE + "; missing for 1950-1953, whose five years reach before 1950",
        ("1.4", "1.5", "3.4"),
        "Coup attempts in the year and the four before it, counted over the Gleditsch & Ward "
        "code's history (Russia's count in 1992 includes the Soviet Union's attempt of 1991). "
        "Compare coup_attempt_last_5_years, the Early Warning Project's 0/1 version.",
    ),
    Feature(
        "years_since_coup_attempt",
        "Years since the last coup attempt",
        "year",
        ("coups",),
        "years",
        _COUP_COVERAGE,
        ("1.4", "3.4"),
        "Years since the last coup attempt, 0 in a year with one. Where there was none since "
        "1950 or since the country's first year in the Gleditsch & Ward list, the years since "
        "then (so 'at least' that many).",
    ),
)

#: Panel column -> World Bank indicator codes that carry it, in order of preference (the API
#: code first, then the names used by R's WDI package in the Early Warning Project's files).
WORLD_BANK_CODES: dict[str, tuple[str, ...]] = {
    "population": ("SP.POP.TOTL", "wdi.popsize.new"),
    "infant_mortality": ("SP.DYN.IMRT.IN", "wdi.imrate.new"),
    "gdp_per_capita_growth": ("NY.GDP.PCAP.KD.ZG", "wdi.gdppcgrow.new"),
}

#: Measures whose change over time is itself a warning sign (indicator 7.8: rising violations).
TREND_BASES: dict[Frequency, tuple[str, ...]] = {
    "year": (
        "organized_violence_deaths",
        "one_sided_deaths",
        "one_sided_deaths_government",
        "battle_deaths",
        "vdem_civil_liberties",
        "vdem_physical_integrity",
        "pts_max",
    ),
    "month": ("organized_violence_deaths", "one_sided_deaths", "acled_events_targeting_civilians"),
}


def _trend_features(base: tuple[Feature, ...]) -> tuple[Feature, ...]:
    by_key = {(f.frequency, f.name): f for f in base}
    made: list[Feature] = []
    for frequency, names in TREND_BASES.items():
        for name in names:
            f = by_key[(frequency, name)]
            extra = ("7.8",) if "7.8" not in f.indicators else ()
            period, periods, window, suffix = (
                ("year", "years", "3-year", "vs_3y_mean")
                if frequency == "year"
                else ("month", "months", "3-month", "vs_3m_mean")
            )
            made.append(
                Feature(
                    f"{name}_change",
                    f"{f.title}: change since the previous {period}",
                    frequency,
                    f.sources,
                    f"{f.unit}, difference",
                    f.coverage + f"; missing when either {period} is missing",
                    (*f.indicators, *extra),
                    f"{f.name} minus its value in the previous {period}.",
                )
            )
            made.append(
                Feature(
                    f"{name}_{suffix}",
                    f"{f.title}: compared with the previous {window} mean",
                    frequency,
                    f.sources,
                    f"{f.unit}, difference",
                    f.coverage + f"; missing unless all three previous {periods} are known",
                    (*f.indicators, *extra),
                    f"{f.name} minus its mean over the three previous {periods}.",
                )
            )
    return tuple(made)


_BASE: tuple[Feature, ...] = (
    *_VIOLENCE_YEAR,
    *_EVENTS_MONTH,
    *_ACLED,
    *_CONFLICT_YEAR,
    *_SPILLOVER,
    *_VDEM,
    *_STRUCTURE,
    *_ECONOMY,
    *_COUPS,
)

#: Every panel column, in panel order (country-year first, then country-month).
FEATURES: tuple[Feature, ...] = tuple(
    sorted((*_BASE, *_trend_features(_BASE)), key=lambda f: f.frequency != "year")
)

KEY_COLUMNS: dict[str, tuple[str, str]] = {"year": ("iso3", "year"), "month": ("iso3", "month")}


def features(frequency: Frequency | None = None) -> tuple[Feature, ...]:
    """The declared features, optionally of one frequency, in panel order."""
    return tuple(f for f in FEATURES if frequency is None or f.frequency == frequency)


def get_feature(name: str, frequency: Frequency = "year") -> Feature:
    """The feature called ``name`` in the given panel."""
    for f in FEATURES:
        if f.name == name and f.frequency == frequency:
            return f
    close = sorted({f.name for f in FEATURES if name.split("_")[0] in f.name})[:5]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownFeatureError(f"no {frequency} feature called {name!r}{hint}")


@cache
def validate_registry() -> None:
    """Check names are unique per panel and every Framework reference exists."""
    from atrocity_watch.framework import FrameworkError, get_framework

    framework = get_framework()
    seen: set[tuple[str, str]] = set()
    for f in FEATURES:
        key = (f.frequency, f.name)
        if key in seen:
            raise FeatureRegistryError(f"feature {f.name!r} is declared twice for {f.frequency}")
        if f.name in KEY_COLUMNS[f.frequency]:
            raise FeatureRegistryError(f"feature name {f.name!r} is a key column")
        seen.add(key)
        for ref in f.indicators:
            try:
                framework.resolve(ref)
            except FrameworkError as exc:
                raise FeatureRegistryError(f"feature {f.name!r} cites {ref!r}: {exc}") from None


validate_registry()
