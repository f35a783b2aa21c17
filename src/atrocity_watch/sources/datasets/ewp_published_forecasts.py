"""Every forecast list EWP has published (2013–2025 editions), one row per edition and country.

This is the long table assembled for the project from EWP's published lists (see
``ewp/SOURCES.md`` of the test data): it is what the forecasts of this system are compared with.
"""

from __future__ import annotations

from atrocity_watch.sources._spec import Column, SourceSpec
from atrocity_watch.sources.datasets._ewp import (
    EWP_CITATION,
    EWP_LICENCE,
    EWP_NULLS,
    EWP_PUBLISHER,
    ccode,
    cow_rule,
)


def _year(name: str, description: str) -> Column:
    return Column(
        name,
        "integer",
        description,
        required=True,
        nullable=False,
        minimum=1945,
        maximum=2100,  # forecast windows reach into the future
    )


def _risk(name: str, description: str) -> Column:
    return Column(name, "number", description, minimum=0, maximum=1)


def _rank(name: str, description: str) -> Column:
    return Column(name, "integer", description, minimum=1)


SPEC = SourceSpec(
    name="ewp_published_forecasts",
    title="Early Warning Project published forecasts, 2013–2025 editions",
    publisher=EWP_PUBLISHER,
    licence=EWP_LICENCE,
    citation=EWP_CITATION,
    url="https://earlywarningproject.ushmm.org",
    description=(
        "The risk of a new mass killing EWP published for each country in each edition, with "
        "the forecast window and whether an onset happened in it (2025 coding)."
    ),
    unit="edition-country",
    columns=(
        Column(
            "edition",
            "text",
            "Edition: 2013, 2014, 2015, 2017-18, … 2025-26.",
            required=True,
            nullable=False,
        ),
        _year("base_year", "Data year the forecast was made from."),
        _year("window_start", "First year of the forecast window."),
        _year("window_end", "Last year of the forecast window."),
        Column("country", "text", "Country name as EWP wrote it.", required=True),
        ccode(),
        Column("sftgcode", "text", "PITF three-letter code (up to 2022)."),
        _risk("risk_1yr", "One-year risk of an onset."),
        _rank("rank_1yr", "Rank of the one-year risk within the edition (1 = highest)."),
        _risk("risk_2yr", "Two-year risk of an onset."),
        _rank("rank_2yr", "Rank of the two-year risk within the edition."),
        Column(
            "headline_risk",
            "number",
            "The published headline: the two-year risk where it exists, else the one-year risk "
            "(empty for the few countries listed without a forecast).",
            required=True,
            minimum=0,
            maximum=1,
        ),
        Column(
            "headline_rank",
            "integer",
            "Rank of the headline risk within the edition (1 = highest, ties take the minimum).",
            required=True,
            minimum=1,
        ),
        Column(
            "onset_in_window_v2025",
            "integer",
            "1 if EWP's 2025 data record an onset in the country within the window; empty "
            "where the window is not over and no onset is recorded yet.",
            allowed=(0, 1),
        ),
        Column("model", "text", "The model that produced the forecast."),
        Column("source_repo", "text", "EWP repository the row comes from."),
        Column("source_file", "text", "File in that repository."),
    ),
    key=("edition", "ccode"),
    countries=(cow_rule("base_year"),),
    null_values=EWP_NULLS,
    version_sql="min(edition) || ' to ' || max(edition)",
    mirror_patterns=("ewp/ewp_published_forecasts_long.csv",),
    rules=(
        "No publisher serves this table: it is built from EWP's published lists, so fetch "
        "works only from a mirror.",
    ),
)
