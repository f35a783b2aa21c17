"""What the UCDP datasets share: licence, citation, web pages and common columns."""

from __future__ import annotations

from atrocity_watch.sources._spec import THIS_YEAR, Column

UCDP_PUBLISHER = "Uppsala Conflict Data Program (UCDP), Uppsala University"
UCDP_LICENCE = (
    "CC BY 4.0 — UCDP datasets are free to use, share and adapt with attribution "
    "(UCDP downloads page)"
)
UCDP_DOWNLOADS = "https://ucdp.uu.se/downloads/"
UCDP_ANNUAL_ARTICLE = (
    "and the UCDP annual article of the version used (Davies, Pettersson, Öberg et al., "
    "'Organized violence 1989–…', Journal of Peace Research)"
)
UCDP_FIRST_YEAR = 1989
UCDP_REGIONS = "1 Europe, 2 Middle East, 3 Asia, 4 Africa, 5 Americas (a list when several)"


def ucdp_year(first: int = UCDP_FIRST_YEAR) -> Column:
    """The ``year`` column of UCDP's yearly datasets."""
    return Column(
        "year",
        "integer",
        "Calendar year.",
        required=True,
        nullable=False,
        minimum=first,
        maximum=THIS_YEAR,
    )


def ucdp_version() -> Column:
    """The ``version`` column UCDP writes in each row (e.g. 25.1)."""
    return Column("version", "text", "UCDP release the row comes from, e.g. 25.1.")


def deaths(name: str, description: str, *, required: bool = False) -> Column:
    """A count of deaths: a whole number, never negative."""
    return Column(name, "integer", description, required=required, minimum=0)
