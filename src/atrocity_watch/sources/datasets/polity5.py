"""Polity5: regime authority characteristics, one row per country and year."""

from __future__ import annotations

from atrocity_watch.sources._spec import THIS_YEAR, Column, CountryRule, ScopeRule, SourceSpec

# Polity's own country numbers where they differ from Correlates of War (Polity5 manual,
# country list): the COW number the registry knows for the same State.
POLITY_TO_COW = {
    "364": "365",  # USSR
    "529": "530",  # Ethiopia after Eritrea's independence (1993-)
    "769": "770",  # Pakistan before 1971 (Polity's "Pakistan (old)")
    "818": "816",  # Vietnam after unification (1976-)
    "342": "345",  # Serbia (2006-)
    "348": "341",  # Montenegro (2006-)
    "525": "626",  # South Sudan (2011-)
}


def _int(name: str, description: str, **kw: object) -> Column:
    return Column(name, "integer", description, **kw)  # type: ignore[arg-type]


SPEC = SourceSpec(
    name="polity5",
    title="Polity5 Annual Time-Series",
    publisher="Center for Systemic Peace",
    licence="Free for non-commercial research with citation (Center for Systemic Peace)",
    citation=(
        "Marshall, Monty G. & Ted Robert Gurr (2020), Polity5: Political Regime "
        "Characteristics and Transitions, 1800–2018, Dataset Users' Manual, Center for "
        "Systemic Peace"
    ),
    url="https://www.systemicpeace.org/inscrdata.html",
    description=(
        "Democracy and autocracy scores, the combined Polity score and regime durability, "
        "per country and year (1800–2018)."
    ),
    unit="country-year",
    columns=(
        _int("p5", "1 when the row was revised in Polity5."),
        _int("cyear", "Country code × 10000 + year."),
        _int("ccode", "Polity's country number (mostly COW).", required=True, nullable=False),
        Column("scode", "text", "Polity's letter code."),
        Column("country", "text", "Country name.", required=True),
        _int(
            "year", "Calendar year.", required=True, nullable=False, minimum=1800, maximum=THIS_YEAR
        ),
        _int("flag", "Coding tentativeness (0 confident .. 2)."),
        _int("fragment", "Polity fragmentation (0 none .. 3 serious)."),
        _int("democ", "Institutionalised democracy, 0–10 (or -66, -77, -88 special codes)."),
        _int("autoc", "Institutionalised autocracy, 0–10 (or special codes)."),
        _int(
            "polity",
            "democ − autoc, −10..10; −66 interruption, −77 interregnum, −88 transition.",
            required=True,
            minimum=-88,
            maximum=10,
        ),
        _int(
            "polity2",
            "Polity with the special codes converted, −10..10 (five rows before 1946 keep a "
            "special code as shipped, so −88..10 is accepted).",
            minimum=-88,
            maximum=10,
        ),
        _int("durable", "Years since the last regime transition.", minimum=0),
        _int("xrreg", "Regulation of chief executive recruitment."),
        _int("xrcomp", "Competitiveness of executive recruitment."),
        _int("xropen", "Openness of executive recruitment."),
        _int("xconst", "Executive constraints."),
        _int("parreg", "Regulation of participation."),
        _int("parcomp", "Competitiveness of participation."),
        _int("exrec", "Executive recruitment concept."),
        _int("exconst", "Executive constraints concept."),
        _int("polcomp", "Political competition concept."),
        _int("prior", "Polity score before the last change."),
        _int("emonth", "Month the last polity ended."),
        _int("eday", "Day the last polity ended."),
        _int("eyear", "Year the last polity ended."),
        _int("eprec", "Precision of the end date."),
        _int("interim", "Interim polity code."),
        _int("bmonth", "Month the polity began."),
        _int("bday", "Day the polity began."),
        _int("byear", "Year the polity began."),
        _int("bprec", "Precision of the begin date."),
        _int("post", "Polity score after the change."),
        _int("change", "Change in the polity score."),
        _int("d5", "Regime transition completed (1)."),
        _int("sf", "State failure (1)."),
        _int("regtrans", "Regime transition type."),
    ),
    key=("ccode", "year"),
    countries=(
        CountryRule(
            column="ccode",
            scheme="cow",
            year_column="year",
            overrides=POLITY_TO_COW,
            any_year=True,
            rule=(
                "ccode is Polity's number, looked up as a Correlates of War code for the year; "
                "Polity's own numbers are translated first (364 USSR → 365, 529 Ethiopia → "
                "530, 769 Pakistan → 770, 818 Vietnam → 816, 342 Serbia → 345, 348 Montenegro "
                "→ 341, 525 South Sudan → 626), and a code used outside its COW years (e.g. "
                "the German Democratic Republic from 1945) is accepted when it always denotes "
                "the same country."
            ),
        ),
    ),
    scope=(ScopeRule("year < 1946", "a year before 1946 (Atrocity Watch covers 1946 on)"),),
    version_pattern=r"p5v(\d{4})",
    mirror_patterns=("polity5/p5v*.csv", "polity5/p5v*.xls*"),
    rules=(
        "Rows before 1946 are dropped and counted: Atrocity Watch covers 1946 on.",
        "The Center for Systemic Peace serves Polity5 as an Excel file; save it as CSV or put "
        "the CSV in the mirror's polity5/ folder.",
    ),
)
