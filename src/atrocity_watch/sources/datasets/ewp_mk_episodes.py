"""EWP's master list of mass-killing episodes (the ``mk_events`` sheet), one row per episode."""

from __future__ import annotations

from atrocity_watch.sources._spec import THIS_YEAR, Column, CountryRule, Download, SourceSpec
from atrocity_watch.sources.datasets._ewp import (
    EWP_CITATION,
    EWP_LICENCE,
    EWP_NULLS,
    EWP_PUBLISHER,
    EWP_RAW,
)

LOCATION_RULE = (
    "iso3 comes from mk_location_cow (the COW code of the country where the episode took place) "
    "for the start year; responsible_iso3 from mk_repsonsible_state_cow (sic) when it is given. "
    "EWP writes 340 (Serbia's Gleditsch-Ward number) for the 1998 Kosovo episode; COW's code "
    "for the Federal Republic of Yugoslavia then is 345, which is used instead."
)
# EWP's episode list uses Gleditsch-Ward's 340 for Serbia; COW has 345 until 2006.
_SERBIA = {"340": "345"}
NAMES_RULE = (
    "Five headers with spaces are given snake_case names: 'State-Led or Non-State-Led' → "
    "state_or_non_state_led, 'Start date notes' → start_date_notes, 'End date notes' → "
    "end_date_notes, 'OLD Event Name and Summary' → old_event_name_and_summary, 'Notes' → "
    "notes. EWP's misspelling 'mk_repsonsible_*' is kept."
)


def _year(name: str, description: str, *, required: bool = False) -> Column:
    return Column(
        name,
        "integer",
        description,
        required=required,
        nullable=not required,
        minimum=1900,
        maximum=THIS_YEAR,
    )


def _cow(name: str, description: str, *, required: bool = False) -> Column:
    return Column(name, "integer", description, required=required, nullable=not required)


SPEC = SourceSpec(
    name="ewp_mk_episodes",
    title="Early Warning Project mass-killing episodes",
    publisher=EWP_PUBLISHER,
    licence=EWP_LICENCE,
    citation=EWP_CITATION,
    url="https://github.com/EarlyWarningProject/2025-Statistical-Risk-Assessment",
    description=(
        "Every mass killing EWP codes since 1945 (at least 1,000 civilians of a group "
        "deliberately killed within a year): start, end, State-led or not, location."
    ),
    unit="episode",
    columns=(
        Column("country", "text", "Country of the episode (EWP's name).", required=True),
        Column("mk_event_name", "text", "Short name of the episode.", required=True),
        Column("mk_event_summary", "text", "One-paragraph summary."),
        _year("startyear", "Year the episode began.", required=True),
        _year("endyear", "Year the episode ended; empty while it is ongoing."),
        Column(
            "mk_event_code",
            "text",
            "EWP's episode code (country, start year, s/ns, number).",
            required=True,
            nullable=False,
        ),
        Column(
            "state_or_non_state_led",
            "text",
            "State-Led or Non-State-Led.",
            required=True,
            nullable=False,
            allowed=("State-Led", "Non-State-Led"),
            aliases=("State-Led or Non-State-Led",),
        ),
        Column("mk_number_eth_groups", "number", "Number of ethnic groups targeted."),
        _cow("mk_location_cow", "COW code of the country where it took place.", required=True),
        _cow("mk_location_inheritor1", "COW code of a successor state of the location."),
        _cow("mk_location_inheritor2", "COW code of a second successor state."),
        _cow("mk_repsonsible_state_cow", "COW code of the responsible State (sic)."),
        _cow("mk_repsonsible_state_inheritor1", "COW code of its successor state."),
        _cow("mk_repsonsible_state_inheritor2", "COW code of a second successor state."),
        Column(
            "start_date_notes", "text", "Notes on the start date.", aliases=("Start date notes",)
        ),
        Column("end_date_notes", "text", "Notes on the end date.", aliases=("End date notes",)),
        Column(
            "old_event_name_and_summary",
            "text",
            "Name and summary in earlier editions.",
            aliases=("OLD Event Name and Summary",),
        ),
        Column("notes", "text", "Coders' notes."),
    ),
    key=("mk_event_code",),
    countries=(
        CountryRule(
            column="mk_location_cow",
            scheme="cow",
            year_column="startyear",
            any_year=True,
            overrides=_SERBIA,
            rule=LOCATION_RULE,
        ),
        CountryRule(
            column="mk_repsonsible_state_cow",
            scheme="cow",
            year_column="startyear",
            target="responsible_iso3",
            any_year=True,
            overrides=_SERBIA,
            rule=LOCATION_RULE,
        ),
    ),
    null_values=EWP_NULLS,
    sheet="mk_events",
    version_pattern=r"master list_(\d{4})",
    downloads=(
        Download(
            EWP_RAW + "2025-Statistical-Risk-Assessment/main/1.Buildcountryyears_and_mk_data/"
            "EWP%20mass%20killing%20events%20master%20list_2025.xlsx",
            "EWP mass killing events master list_2025.xlsx",
            "The master list workbook; its mk_events sheet is read.",
        ),
    ),
    mirror_patterns=("ewp/sra*/EWP mass killing events master list_*__mk_events.csv",),
    rules=(LOCATION_RULE, NAMES_RULE),
)
