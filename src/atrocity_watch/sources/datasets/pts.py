"""Political Terror Scale: yearly levels of state terror from three report series.

The publisher's file is Latin-1 (Windows-1252) encoded and writes missing values as ``NA``.
"""

from __future__ import annotations

from atrocity_watch.sources._spec import THIS_YEAR, Column, CountryRule, ScopeRule, SourceSpec

_STATUS = (0, 66, 77, 88, 99)
_SEPARATE_AREAS = (
    "an area PTS scores apart from the country it belongs to or is held by; the country's own "
    "row carries the key"
)

NO_SCORE = ScopeRule(
    "pts_a IS NULL AND pts_h IS NULL AND pts_s IS NULL",
    "no score from any of the three reports (the country did not exist, or no report)",
)


def _score(name: str, report: str) -> Column:
    return Column(
        name,
        "integer",
        f"PTS level from {report}: 1 secure rule of law .. 5 terror extends to the whole "
        "population.",
        required=True,
        minimum=1,
        maximum=5,
    )


def _status(name: str, report: str) -> Column:
    return Column(
        name,
        "integer",
        f"Why the {report} score is missing: 0 scored; 66, 77, 88, 99 reasons per the PTS "
        "codebook.",
        allowed=_STATUS,
    )


SPEC = SourceSpec(
    name="pts",
    title="Political Terror Scale",
    publisher="Political Terror Scale project, University of North Carolina Asheville",
    licence="Free to use with citation (politicalterrorscale.org); no licence file",
    citation=(
        "Gibney, Mark, Linda Cornett, Reed Wood, Peter Haschke, Daniel Arnon, Attilio Pisanò, "
        "Gray Barrett & Baekkwan Park, The Political Terror Scale 1976–2023, "
        "politicalterrorscale.org"
    ),
    url="https://www.politicalterrorscale.org/Data/Download.html",
    description=(
        "Levels of political violence and terror by the state, coded from Amnesty "
        "International, Human Rights Watch and US State Department reports, 1976 onwards."
    ),
    unit="country-year",
    columns=(
        Column(
            "country", "text", "Country or territory (PTS's name).", required=True, nullable=False
        ),
        Column("country_old", "text", "Name in earlier PTS releases."),
        Column(
            "year",
            "integer",
            "Calendar year.",
            required=True,
            nullable=False,
            minimum=1976,
            maximum=THIS_YEAR,
        ),
        Column("cow_code_a", "text", "Correlates of War letter code."),
        Column("cow_code_n", "integer", "Correlates of War number.", required=True),
        Column("wordbank_code_a", "text", "World Bank three-letter code (PTS's spelling)."),
        Column("un_code_n", "integer", "UN M49 numeric code."),
        Column("region", "text", "PTS region (e.g. ssa, mena, eca)."),
        _score("pts_a", "Amnesty International"),
        _score("pts_h", "Human Rights Watch"),
        _score("pts_s", "the US State Department"),
        _status("na_status_a", "Amnesty International"),
        _status("na_status_h", "Human Rights Watch"),
        _status("na_status_s", "US State Department"),
    ),
    key=("country", "year"),
    countries=(
        CountryRule(
            column="cow_code_n",
            scheme="cow",
            year_column="year",
            fallback_column="country",
            fallback_scheme="name",
            unmapped=dict.fromkeys(
                (
                    "Crimea",
                    "Gaza (Hamas)",
                    "Israel in Occupied Territories",
                    "Israel in pre-1967 borders",
                    "Russia-Occupied Areas (Ukraine)",
                ),
                _SEPARATE_AREAS,
            )
            | {"European Union": "not a country"},
            rule=(
                "cow_code_n (Correlates of War number) for the year; where PTS gives none, the "
                "country name. Areas PTS scores apart from their country (Crimea, Gaza "
                "(Hamas), Israel in Occupied Territories, Israel in pre-1967 borders, "
                "Russia-Occupied Areas (Ukraine)) and the European Union are kept without a "
                "key, so that a country-year never has two PTS rows."
            ),
        ),
    ),
    encoding="latin-1",
    null_values=("", "NA"),
    scope=(NO_SCORE,),
    version_pattern=r"PTS-(\d{4})",
    mirror_patterns=("pts/PTS-*.csv",),
    rules=(
        "Column names are lower-cased (the publisher mixes cases: Country, PTS_A, ...).",
        "Rows with no score from any report are dropped and counted.",
        "The file is Latin-1 as published; a copy re-saved as UTF-8 is recognised (it is valid "
        "UTF-8) and read as such, so names are never mangled.",
    ),
)
