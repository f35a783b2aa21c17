"""EWP's own "fully out-of-sample" (FOOS) backtests, one row per outcome year and country."""

from __future__ import annotations

from atrocity_watch.sources._spec import THIS_YEAR, Column, Download, Layout, SourceSpec
from atrocity_watch.sources.datasets._ewp import (
    EWP_CITATION,
    EWP_LICENCE,
    EWP_NULLS,
    EWP_PUBLISHER,
    EWP_RAW,
    binary,
    ccode,
    cow_rule,
)


def _year(name: str, description: str, *, required: bool = False) -> Column:
    return Column(
        name,
        "integer",
        description,
        required=required,
        nullable=not required,
        minimum=1945,
        maximum=THIS_YEAR,
    )


SPEC = SourceSpec(
    name="ewp_foos",
    title="Early Warning Project FOOS backtests",
    publisher=EWP_PUBLISHER,
    licence=EWP_LICENCE,
    citation=EWP_CITATION,
    url="https://github.com/EarlyWarningProject/2025-Statistical-Risk-Assessment",
    description=(
        "EWP's pseudo out-of-sample backtest: for each outcome year from 1994, the risk "
        "forecast from one and two years before, and whether an onset happened."
    ),
    unit="country-year",
    columns=(
        _year("year", "Outcome year Y.", required=True),
        Column(
            "ewp_name",
            "text",
            "Country name (the 2023 edition calls the column 'country').",
            required=True,
            aliases=("country",),
        ),
        ccode(),
        binary("mk_onset", "1 if a new mass killing began in Y.", required=True),
        _year("prev_year", "Y-1, the data year of risk_prev."),
        _year("two_years_prior", "Y-2, the data year of risk_two_years_prior."),
        Column(
            "risk_prev",
            "number",
            "Risk from data year Y-1 (window Y..Y+1); its model used rows up to Y-3.",
            minimum=0,
            maximum=1,
        ),
        Column("rank_prev", "integer", "Rank of risk_prev in its year.", minimum=1),
        Column(
            "risk_two_years_prior",
            "number",
            "Risk from data year Y-2 (window Y-1..Y).",
            minimum=0,
            maximum=1,
        ),
        Column("rank_two_years_prior", "integer", "Rank of that risk.", minimum=1),
        Column(
            "maxrisk2",
            "number",
            "The larger of the two risks (EWP's AUC uses it).",
            required=True,
            minimum=0,
            maximum=1,
        ),
        Column(
            "minrank2",
            "integer",
            "The smaller of the two ranks (EWP's recall counts minrank2 <= 30).",
            required=True,
            minimum=1,
        ),
    ),
    key=("year", "ccode"),
    countries=(cow_rule("year"),),
    layouts=(
        Layout("foos_2024", "2024 and 2025 editions (column ewp_name).", ("ewp_name",)),
        Layout("foos_2023", "2023 edition (column country).", ("country",)),
    ),
    null_values=EWP_NULLS,
    # The edition: its backtest runs to the outcome year before it (2025 edition: to 2024).
    version_sql="CAST(max(year) + 1 AS VARCHAR)",
    downloads=(
        Download(
            EWP_RAW + "2025-Statistical-Risk-Assessment/main/3.Modeling/FOOSforecasts_3Sep2025.csv",
            "FOOSforecasts_3Sep2025.csv",
            "2025 edition: outcome years 1994–2024.",
        ),
    ),
    mirror_patterns=("ewp/sra*/FOOSforecasts_*.csv",),
    rules=(
        "The first, unnamed column (R's row numbers) is ignored.",
        "The version is the edition: the last outcome year plus one (2025 for "
        "FOOSforecasts_3Sep2025.csv, whose outcome years run to 2024).",
    ),
)
