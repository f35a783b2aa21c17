"""What the Early Warning Project's files share: publisher, licence, citation, country codes."""

from __future__ import annotations

from atrocity_watch.sources._spec import Column, CountryRule

EWP_PUBLISHER = (
    "Early Warning Project (US Holocaust Memorial Museum, Simon-Skjodt Center for the Prevention "
    "of Genocide, and Dartmouth College, Dickey Center)"
)
EWP_LICENCE = (
    "None stated: the EWP repositories carry no licence; ask ewp@ushmm.org before "
    "redistributing the files"
)
EWP_CITATION = (
    "Early Warning Project, Statistical Risk Assessment (edition used), United States "
    "Holocaust Memorial Museum and Dartmouth College, "
    "https://earlywarningproject.ushmm.org"
)
EWP_RAW = "https://raw.githubusercontent.com/EarlyWarningProject/"
EWP_NULLS = ("", "NA")

COW_RULE = (
    "ccode is EWP's Correlates-of-War-style number (from 2023 on the Gleditsch-Ward country "
    "list with COW numbers), looked up in the registry as a COW code for the row's year. EWP "
    "keeps one number per country over time (255 for Germany, West Germany included, in "
    "1960–1989), so a code used outside its COW years is accepted when it always denotes the "
    "same country."
)


def ccode(description: str = "Country code (Correlates of War numbering).") -> Column:
    """EWP's numeric country code column."""
    return Column("ccode", "integer", description, required=True, nullable=False)


def cow_rule(year_column: str | None) -> CountryRule:
    """ccode → ISO3 through the registry's COW codes, for the row's year."""
    return CountryRule(
        column="ccode", scheme="cow", year_column=year_column, any_year=True, rule=COW_RULE
    )


def binary(name: str, description: str, *, required: bool = False) -> Column:
    """A 0/1 indicator."""
    return Column(name, "integer", description, required=required, allowed=(0, 1))
