"""UCDP Organized Violence Country-Year Dataset: all three types of violence per country-year.

The 74 columns follow a few patterns (``sb_`` state-based, ``ns_`` non-state, ``os_``
one-sided; ``_exist_``, ``_count_``, ``_ids_``, ``_names_``, deaths); they are declared from
those patterns so the declaration stays short and every column is still checked.
"""

from __future__ import annotations

from atrocity_watch.sources._spec import Column, CountryRule, Download, SourceSpec
from atrocity_watch.sources.datasets._ucdp import (
    UCDP_ANNUAL_ARTICLE,
    UCDP_DOWNLOADS,
    UCDP_LICENCE,
    UCDP_PUBLISHER,
    ucdp_version,
    ucdp_year,
)

_TYPES = {
    "sb": "state-based conflict",
    "sb_intrastate": "intrastate state-based conflict",
    "sb_interstate": "interstate state-based conflict",
    "ns": "non-state conflict",
    "os": "one-sided violence",
}


def _group(prefix: str, deaths_total: str) -> list[Column]:
    what = _TYPES[prefix]
    columns = [
        Column(f"{prefix}_exist_cy", "integer", f"1 when any {what} took place.", allowed=(0, 1)),
        Column(f"{prefix}_dyad_count_cy", "integer", f"Dyads in {what}.", minimum=0),
        Column(f"{prefix}_dyad_ids_cy", "text", f"Dyad ids in {what} ('; '-separated)."),
        Column(f"{prefix}_dyad_names_cy", "text", f"Dyad names in {what} ('; '-separated)."),
    ]
    if prefix in ("sb_intrastate", "sb_interstate"):
        columns.append(
            Column(
                f"{prefix}_main_govt_inv_incomp_cy",
                "integer",
                f"1 when the main government is a party to an incompatibility in {what}.",
                allowed=(0, 1),
            )
        )
    if prefix != "os":
        for part, label in (
            ("parties", "combatants"),
            ("civilians", "civilians"),
            ("unknown", "people of unknown status"),
        ):
            columns.append(
                Column(
                    f"{prefix}_deaths_{part}_cy",
                    "integer",
                    f"Deaths of {label} in {what}.",
                    minimum=0,
                )
            )
    for estimate in ("best", "high", "low"):
        columns.append(
            Column(
                f"{prefix}_{deaths_total}_{estimate}_cy",
                "integer",
                f"All deaths in {what}, {estimate} estimate.",
                minimum=0,
            )
        )
    return columns


def _one_sided_by_perpetrator() -> list[Column]:
    columns = []
    for who, label in (
        ("main_govt", "the country's main government"),
        ("any_govt", "any government"),
        ("nsgroup", "non-State groups"),
    ):
        columns.append(
            Column(
                f"os_{who}_inv_cy", "integer", f"1 when {label} killed civilians.", allowed=(0, 1)
            )
        )
        for estimate in ("best", "high", "low"):
            columns.append(
                Column(
                    f"os_{who}_killings_{estimate}_cy",
                    "integer",
                    f"Civilians killed by {label}, {estimate} estimate.",
                    minimum=0,
                )
            )
    columns.append(
        Column(
            "os_killings_unknown_cy",
            "integer",
            "One-sided killings whose perpetrator type is unknown.",
            minimum=0,
        )
    )
    return columns


def _columns() -> tuple[Column, ...]:
    columns = [
        Column(
            "country_id_cy",
            "integer",
            "Gleditsch-Ward code of the country.",
            required=True,
            nullable=False,
        ),
        Column("country_cy", "text", "Country name (UCDP).", required=True),
        ucdp_year(),
        Column("region_cy", "text", "UCDP region (Africa, Americas, Asia, Europe, Middle East)."),
        Column("main_govt_name_cy", "text", "Name of the country's main government."),
    ]
    # `year_cy` is the publisher's name of the year column.
    columns[2] = Column(
        "year_cy",
        "integer",
        "Calendar year.",
        required=True,
        nullable=False,
        minimum=1989,
        maximum=columns[2].maximum,
    )
    columns += _group("sb", "total_deaths")
    columns += _group("sb_intrastate", "deaths")
    columns += _group("sb_interstate", "deaths")
    columns += _group("ns", "total_deaths")
    os_group = _group("os", "total_deaths")
    columns += os_group[:4] + _one_sided_by_perpetrator() + os_group[4:]
    for part, label in (
        ("deaths_parties", "combatants"),
        ("deaths_civilians", "civilians"),
        ("deaths_unknown", "people of unknown status"),
    ):
        columns.append(
            Column(
                f"cumulative_total_{part}_in_orgvio_cy",
                "integer",
                f"Deaths of {label} in all organised violence.",
                minimum=0,
            )
        )
    for estimate in ("best", "high", "low"):
        columns.append(
            Column(
                f"cumulative_total_deaths_in_orgvio_{estimate}_cy",
                "integer",
                f"All deaths in organised violence, {estimate} estimate.",
                minimum=0,
            )
        )
    columns.append(ucdp_version())
    return tuple(columns)


SPEC = SourceSpec(
    name="ucdp_organized_violence_cy",
    title="UCDP Organized Violence Country-Year Dataset",
    publisher=UCDP_PUBLISHER,
    licence=UCDP_LICENCE,
    citation="UCDP Organized Violence Country-Year Dataset; " + UCDP_ANNUAL_ARTICLE,
    url=UCDP_DOWNLOADS,
    description=(
        "Deaths in state-based, non-state and one-sided violence per country and year, with "
        "one-sided killings by government and by non-State groups, 1989 onwards."
    ),
    unit="country-year",
    columns=_columns(),
    key=("country_id_cy", "year_cy"),
    countries=(
        CountryRule(
            column="country_id_cy",
            scheme="ucdp",
            year_column="year_cy",
            rule=(
                "country_id_cy is UCDP's country id (Gleditsch-Ward numbers, but 345 stays "
                "Serbia after 2006), looked up in the registry for the row's year."
            ),
        ),
    ),
    version_column="version",
    version_pattern=r"organizedviolencecy_v(\d+)_(\d+)",
    downloads=(
        Download(
            UCDP_DOWNLOADS + "organizedviolencecy/organizedviolencecy-251-csv.zip",
            "organizedviolencecy-251-csv.zip",
            "Organized Violence Country-Year 25.1 (zip of one CSV).",
        ),
    ),
    mirror_patterns=("ucdp/organizedviolencecy_v*.csv", "ucdp/organizedviolencecy*.zip"),
)
