"""Powell & Thyne coups: attempted, successful and failed coups per country and year.

The file is Andreas Beger's country-year version of the Powell & Thyne coup list (Gleditsch
& Ward country-years 1950 onwards, zeros included), from his ``ds-external-data``
repository. A coup attempt, in Powell & Thyne's definition, is an illegal and overt attempt
by the military or other elites within the state apparatus to unseat the sitting executive;
it is successful when the perpetrators hold power for at least seven days.
"""

from __future__ import annotations

from atrocity_watch.sources._spec import (
    THIS_YEAR,
    Column,
    CountryRule,
    Download,
    RowRule,
    SourceSpec,
)

BEGER_COMMIT = "e421def8d83acc5b641c38d6800e51517d582f62"
FIRST_YEAR = 1950
"""The first year of the Powell & Thyne list: earlier years are not covered (missing)."""

_KINDS = {
    "attempt": "coup attempts (successful or failed)",
    "coup": "successful coups",
    "failed": "failed coup attempts",
}

_ONE = {
    "attempt": "coup attempt (successful or failed)",
    "coup": "successful coup",
    "failed": "failed coup attempt",
}


def _count(name: str, description: str, *, required: bool = False) -> Column:
    return Column(name, "integer", description, required=required, nullable=not required, minimum=0)


def _flag(kind: str) -> Column:
    return Column(
        f"pt_{kind}",
        "integer",
        f"1 when the year saw at least one {_ONE[kind]}, else 0.",
        allowed=(0, 1),
    )


def _columns() -> tuple[Column, ...]:
    columns = [
        Column(
            "gwcode",
            "integer",
            "Gleditsch & Ward country number.",
            required=True,
            nullable=False,
        ),
        Column(
            "year",
            "integer",
            "Calendar year.",
            required=True,
            nullable=False,
            minimum=FIRST_YEAR,
            maximum=THIS_YEAR,
        ),
        _flag("attempt"),
        _count("pt_attempt_num", "Coup attempts in the year (successful + failed).", required=True),
        _count("pt_coup_num", "Successful coups in the year.", required=True),
        _flag("coup"),
        _count("pt_failed_num", "Failed coup attempts in the year.", required=True),
        _flag("failed"),
        _count("pt_coup_total", "Successful coups since 1950 (or the country's first year)."),
        _count("pt_failed_total", "Failed coups since 1950 (or the country's first year)."),
        _count(
            "pt_attempt_total",
            "Meant as attempts since 1950; in the published file it repeats pt_coup_total "
            "(kept as published, not used).",
        ),
    ]
    for window in (5, 10):
        for kind in ("coup", "failed", "attempt"):
            columns.append(
                _count(
                    f"pt_{kind}_num{window}yrs",
                    f"{_KINDS[kind].capitalize()} in the year and the {window - 1} before it.",
                )
            )
    for kind in ("coup", "failed", "attempt"):
        columns.append(
            _count(
                f"years_since_last_pt_{kind}",
                f"Years since the last of the {_KINDS[kind]}; 0 in a year with one; counted "
                "from 1950 or the country's first year when there was none.",
            )
        )
    return tuple(columns)


def _sum_rule(suffix: str, what: str) -> RowRule:
    return RowRule(
        f"pt_attempt{suffix}",
        f"{{pt_attempt{suffix}}} = {{pt_coup{suffix}}} + {{pt_failed{suffix}}}",
        f"coup attempts {what} are successful plus failed coups {what} "
        f"(pt_attempt{suffix} = pt_coup{suffix} + pt_failed{suffix})",
    )


def _flag_rule(kind: str) -> RowRule:
    return RowRule(
        f"pt_{kind}",
        f"{{pt_{kind}}} = CASE WHEN {{pt_{kind}_num}} > 0 THEN 1 ELSE 0 END",
        f"pt_{kind} is 1 exactly when pt_{kind}_num is above 0",
    )


ROW_RULES = (
    _sum_rule("_num", "in the year"),
    _sum_rule("_num5yrs", "over five years"),
    _sum_rule("_num10yrs", "over ten years"),
    _flag_rule("attempt"),
    _flag_rule("coup"),
    _flag_rule("failed"),
    RowRule(
        "pt_attempt_num5yrs",
        "{pt_attempt_num} <= {pt_attempt_num5yrs} AND {pt_attempt_num5yrs} <= "
        "{pt_attempt_num10yrs}",
        "the year's attempts are at most the five-year count, and that at most the ten-year count",
    ),
    RowRule(
        "years_since_last_pt_attempt",
        "({years_since_last_pt_attempt} = 0) = ({pt_attempt_num} > 0)",
        "years_since_last_pt_attempt is 0 exactly in a year with an attempt",
    ),
    RowRule(
        "years_since_last_pt_attempt",
        "{years_since_last_pt_attempt} = least({years_since_last_pt_coup}, "
        "{years_since_last_pt_failed})",
        "years_since_last_pt_attempt is the smaller of years_since_last_pt_coup and "
        "years_since_last_pt_failed",
    ),
)

SPEC = SourceSpec(
    name="coups",
    title="Powell & Thyne coups (country-year)",
    publisher=(
        "Jonathan Powell & Clayton Thyne (coup list); country-year file derived by Andreas "
        "Beger (ds-external-data)"
    ),
    licence=(
        "None stated for the derived file; Powell & Thyne's data are free to use with "
        "citation of Powell & Thyne (2011)"
    ),
    citation=(
        "Powell, Jonathan M. & Clayton L. Thyne (2011), Global instances of coups from 1950 to "
        "2010: A new dataset, Journal of Peace Research 48(2): 249–259; country-year version "
        "by Andreas Beger, github.com/andybega/ds-external-data (ptcoups)"
    ),
    url=f"https://github.com/andybega/ds-external-data/tree/{BEGER_COMMIT}/ptcoups",
    description=(
        "Coup attempts, successful and failed coups per country and year (1950 on), with "
        "rolling five- and ten-year counts and years since the last coup."
    ),
    unit="country-year",
    columns=_columns(),
    key=("gwcode", "year"),
    countries=(
        CountryRule(
            column="gwcode",
            scheme="gw",
            year_column="year",
            rule=(
                "gwcode (Gleditsch & Ward number) looked up in the registry for the row's year: "
                "260 is West Germany and then Germany, 265 the German Democratic Republic to "
                "1990, 345 Yugoslavia and then Serbia and Montenegro to 2006, 340 Serbia from "
                "2006, 365 the Soviet Union to 1991 and then Russia, 678 North Yemen and then "
                "Yemen, 680 South Yemen, 817 South Vietnam, 711 Tibet (1950). A code the "
                "registry does not know for the year is an error that lists it."
            ),
        ),
    ),
    row_rules=ROW_RULES,
    version_sql="CAST(max(year) AS VARCHAR)",
    downloads=(
        Download(
            "https://raw.githubusercontent.com/andybega/ds-external-data/"
            f"{BEGER_COMMIT}/ptcoups/output/ptcoups.csv",
            "ptcoups_gw_demspaces.csv",
            "Beger's country-year coup counts, 1950–2022 (the commit the rules were checked "
            "against).",
        ),
    ),
    mirror_patterns=("coups/ptcoups*.csv",),
    rules=(
        "The version is the last year the file covers (2022 for the file of 2023).",
        "Every country-year of the Gleditsch & Ward list from 1950 has a row, with zeros in "
        "years without a coup: a year before 1950, or after the file's last year, is not "
        "covered (missing in the panels, never 0).",
        "pt_attempt_total is kept as published but not used: in the published file it repeats "
        "pt_coup_total (in 3,923 of 11,793 rows it is not successful + failed coups).",
        "Powell & Thyne's own event list (one row per coup, with its date) is a different "
        "layout and is not read; use this country-year file.",
    ),
)
