"""EWP's prepared country-year modelling dataset (2023 specification: 2024 and 2025 vintages).

One row per country and data year *t*: the outcomes (onset of a new mass killing in *t*,
*t*+1, *t*+2) and the 39 predictors EWP's elastic-net model uses. Predictor columns that a
later vintage adds are kept as numbers.
"""

from __future__ import annotations

from atrocity_watch.sources._spec import THIS_YEAR, Column, Download, SourceSpec
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

# The predictors in the order of `predictornames.fullest` in EWP's model_3Sep2025.R.
PREDICTORS: tuple[tuple[str, str], ...] = (
    ("widetargeting", "Ongoing mass killing targeting a wide group (0/1)."),
    ("narrowtargeting", "Ongoing mass killing targeting a narrow group (0/1)."),
    ("mk_ongoing_count_log2", "log2(1 + number of ongoing mass killings)."),
    ("mean_mk_onset_interaction", "Mean onset rate interaction term (EWP)."),
    ("mk_onset_prev_year", "Onset in the previous year (0/1)."),
    ("mk_ever", "Any mass killing ever in the country (0/1)."),
    ("v2csgender_binary", "V-Dem: women's civil society participation, binarised."),
    ("v2mecenefm_binary", "V-Dem: government media censorship, binarised."),
    ("partyban.new.0", "V-Dem party ban, category 0."),
    ("partyban.new.1", "V-Dem party ban, category 1."),
    ("partyban.new.2", "V-Dem party ban, category 2."),
    ("minorityrule", "Rule by an ethnic minority (0/1)."),
    ("judicialreform", "V-Dem judicial reform (binarised)."),
    ("religiousfreedom", "V-Dem freedom of religion (binarised)."),
    ("pol_killing_approved", "V-Dem: political killings practised or approved (binarised)."),
    ("freediscussion", "V-Dem freedom of discussion."),
    ("social_inequality", "V-Dem social-class equality in civil liberties (binarised)."),
    ("even_civilrights", "V-Dem: civil liberties evenly respected (binarised)."),
    ("repress_civilsoc", "V-Dem: civil society repression (binarised)."),
    ("social_power_dist", "V-Dem power distributed by social group (binarised)."),
    ("ses_power_dist", "V-Dem power distributed by socio-economic position."),
    ("popsize.log2", "log2 of population."),
    ("gdppcgrowth", "GDP per capita growth, percent."),
    ("un_imr_sqrt", "Square root of the UN infant mortality rate."),
    ("efindex", "HIEF ethnic fractionalisation index."),
    ("discrimpop", "EPR: share of the population in discriminated groups."),
    ("reg.na", "Region dummy: North America."),
    ("reg.eap", "Region dummy: East Asia and Pacific."),
    ("reg.sca", "Region dummy: South and Central Asia."),
    ("reg.mna", "Region dummy: Middle East and North Africa."),
    ("reg.eur", "Region dummy: Europe (Africa is the reference)."),
    ("ios.iccpr1", "State party to the ICCPR first optional protocol (0/1)."),
    ("battledeaths.log2", "log2(1 + UCDP battle-related deaths)."),
    ("coup.try.5yr", "Coup attempt in the last five years (0/1)."),
    ("newcountry", "Country in its first years of independence (0/1)."),
    ("countryage.new.log2", "log2 of the country's age."),
    ("year_sq", "Year squared."),
    ("includesnonstate", "1 from 1989, when non-State-led episodes are coded."),
)

SPEC = SourceSpec(
    name="ewp_prepared",
    title="Early Warning Project prepared country-year dataset",
    publisher=EWP_PUBLISHER,
    licence=EWP_LICENCE,
    citation=EWP_CITATION,
    url="https://github.com/EarlyWarningProject/2025-Statistical-Risk-Assessment",
    description=(
        "EWP's modelling dataset: mass-killing onsets and the 39 predictors of its Statistical "
        "Risk Assessment, one row per country and year from 1960."
    ),
    unit="country-year",
    columns=(
        Column("ewp_name", "text", "Country name as EWP writes it.", required=True),
        Column(
            "year",
            "integer",
            "Data year t (predictors are measured in t).",
            required=True,
            nullable=False,
            minimum=1945,
            maximum=THIS_YEAR,
        ),
        ccode(),
        binary("mk_onset", "1 if a new mass-killing episode began in t.", required=True),
        binary("mk_onset_1", "Onset in t+1 (empty in the last year)."),
        binary("mk_onset_2", "Onset in t+2 (empty in the last two years)."),
        binary(
            "mk_onset_1or2",
            "Onset in t+1 or t+2: EWP's modelling target. Coded 0, not empty, where the future "
            "is unknown (the last two years) — train only on year <= base year - 2.",
            required=True,
        ),
        *(Column(name, "number", description) for name, description in PREDICTORS),
    ),
    key=("ccode", "year"),
    countries=(cow_rule("year"),),
    null_values=EWP_NULLS,
    extra_columns="keep_number",
    version_pattern=r"prepared(\d{4})predictors-(\d{4}-\d{2}-\d{2})",
    downloads=(
        Download(
            EWP_RAW + "2025-Statistical-Risk-Assessment/main/3.Modeling/"
            "prepared2024predictors-2025-09-03.csv",
            "prepared2024predictors-2025-09-03.csv",
            "2025–26 edition: country-years 1960–2024.",
        ),
        Download(
            EWP_RAW + "2024-Statistical-Risk-Assessment/main/2.Make-new-base-data/"
            "prepared2023predictors-2024-10-10.csv",
            "prepared2023predictors-2024-10-10.csv",
            "2024–25 edition: country-years 1960–2023.",
        ),
    ),
    mirror_patterns=("ewp/sra*/prepared20[2-9][0-9]predictors-*.csv",),
    rules=(
        "The version is '<data year>.<date of the run>' from the file name, e.g. "
        "'2024.2025-09-03' for the 2025–26 edition.",
        "Extra columns (predictors of other model variants) are kept; they must be numbers.",
    ),
)
