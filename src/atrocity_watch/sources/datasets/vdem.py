"""V-Dem country-year data: the indices and indicators relevant to atrocity risk.

The loader reads V-Dem's Country-Year file (full or a subset with these columns) and keeps the
variables declared here; other V-Dem variables are ignored (declare one here to keep it).
"""

from __future__ import annotations

from atrocity_watch.sources._spec import (
    THIS_YEAR,
    Column,
    CountryRule,
    Download,
    ScopeRule,
    SourceSpec,
)

# (name, description) — indices scaled 0 (low) to 1 (high).
INDICES: tuple[tuple[str, str], ...] = (
    ("v2x_polyarchy", "Electoral democracy index."),
    ("v2x_libdem", "Liberal democracy index."),
    ("v2x_partipdem", "Participatory democracy index."),
    ("v2x_delibdem", "Deliberative democracy index."),
    ("v2x_egaldem", "Egalitarian democracy index."),
    ("v2x_civlib", "Civil liberties index."),
    ("v2x_clphy", "Physical violence index (freedom from political killings and torture)."),
    ("v2x_clpol", "Political civil liberties index."),
    ("v2x_clpriv", "Private civil liberties index."),
    ("v2xcl_disc", "Freedom of discussion."),
    ("v2x_freexp_altinf", "Freedom of expression and alternative sources of information."),
    ("v2x_frassoc_thick", "Freedom of association (thick)."),
    ("v2xcs_ccsi", "Core civil society index."),
    ("v2x_rule", "Rule of law index."),
    ("v2xcl_rol", "Equality before the law and individual liberty."),
    ("v2x_jucon", "Judicial constraints on the executive."),
    ("v2x_corr", "Political corruption index."),
    ("v2x_suffr", "Share of adults with the right to vote."),
    ("v2xel_frefair", "Clean elections index."),
)
# Latent indicators from V-Dem's measurement model (roughly -5 to 5; higher = more respect).
INDICATORS: tuple[tuple[str, str], ...] = (
    ("v2clkill", "Freedom from political killings."),
    ("v2cltort", "Freedom from torture."),
    ("v2csreprss", "Civil society organisation repression (higher = less)."),
    ("v2mecenefm", "Government censorship effort of the media (higher = less)."),
    ("v2meharjrn", "Harassment of journalists (higher = less)."),
    ("v2cldiscm", "Freedom of discussion for men."),
    ("v2cldiscw", "Freedom of discussion for women."),
    ("v2clacfree", "Freedom of academic and cultural expression."),
    ("v2clsocgrp", "Social group equality in respect for civil liberties."),
    ("v2pepwrsoc", "Power distributed by social group."),
    ("v2pepwrses", "Power distributed by socio-economic position."),
    ("v2pepwrgen", "Power distributed by gender."),
    ("v2clrelig", "Freedom of religion."),
    ("v2caviol", "Political violence by non-State actors (higher = more)."),
    ("v2cacamps", "Political polarisation (higher = more)."),
    ("v2psparban", "Party ban (higher = fewer bans)."),
    ("v2elfrfair", "Election free and fair."),
    ("v2clacjust", "Social class equality in respect for civil liberties."),
    ("v2cltrnslw", "Transparent laws with predictable enforcement."),
    ("v2exrescon", "Executive respects the constitution."),
    ("v2jucomp", "Compliance with the judiciary."),
)

SCOPE = ScopeRule("year < 1946", "a year before 1946 (Atrocity Watch covers 1946 on)")

SPEC = SourceSpec(
    name="vdem",
    title="V-Dem Country-Year dataset (Varieties of Democracy)",
    publisher="V-Dem Institute, University of Gothenburg",
    licence="CC BY-SA 4.0",
    citation=(
        "Coppedge, Michael et al., V-Dem Country-Year Dataset (version used), Varieties of "
        "Democracy (V-Dem) Project; Pemstein, Daniel et al., The V-Dem Measurement Model"
    ),
    url="https://v-dem.net/data/the-v-dem-dataset/",
    description=(
        "Expert-coded measures of democracy, civil liberties, repression, political killings, "
        "torture and the distribution of power by social group, per country and year."
    ),
    unit="country-year",
    columns=(
        Column("country_name", "text", "Country name (V-Dem).", required=True),
        Column("country_text_id", "text", "V-Dem's three-letter country code."),
        Column(
            "country_id", "integer", "V-Dem's numeric country id.", required=True, nullable=False
        ),
        Column(
            "year",
            "integer",
            "Calendar year.",
            required=True,
            nullable=False,
            minimum=1789,
            maximum=THIS_YEAR,
        ),
        *(
            Column(name, "number", description, minimum=0, maximum=1)
            for name, description in INDICES
        ),
        Column(
            "v2x_regime",
            "integer",
            "Regimes of the World: 0 closed autocracy, 1 electoral autocracy, 2 electoral "
            "democracy, 3 liberal democracy.",
            allowed=(0, 1, 2, 3),
        ),
        *(Column(name, "number", description) for name, description in INDICATORS),
    ),
    key=("country_id", "year"),
    countries=(
        CountryRule(
            column="country_id",
            scheme="vdem",
            year_column="year",
            rule="country_id is V-Dem's country id, looked up in the registry for the year.",
        ),
    ),
    scope=(SCOPE,),
    version_pattern=r"[_-]v(\d+)(?:[._](\d+))?",
    downloads=(
        Download(
            "https://v-dem.net/media/datasets/V-Dem-CY-Core-v15_csv.zip",
            "V-Dem-CY-Core-v15_csv.zip",
            "V-Dem Country-Year Core v15 (about 200 MB of CSV in a zip; pass the address of a "
            "newer release when V-Dem publishes one).",
        ),
    ),
    mirror_patterns=("vdem/V-Dem-CY*.csv", "vdem/V-Dem-CY*.zip", "vdem/vdem*_v*.csv"),
    rules=(
        "Rows before 1946 are dropped and counted: Atrocity Watch covers 1946 on.",
        "Only the declared variables are kept; other columns of V-Dem's file are ignored.",
        "V-Dem renames its download each year (V-Dem-CY-Core-v15_csv.zip, -v16, ...): when "
        "the address moves, give the new one, or download the Country-Year CSV from the web "
        "page and import it.",
    ),
)
