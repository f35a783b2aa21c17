"""The declarations themselves: complete, self-consistent, and documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from atrocity_watch.sources import SOURCES, Column, CountryRule, SourceSpec, get_source
from atrocity_watch.sources.docs import sources_markdown

ROOT = Path(__file__).resolve().parents[2]
INTERFACE_NAMES = [
    "ucdp_ged",
    "ucdp_onesided",
    "ucdp_brd",
    "ucdp_organized_violence_cy",
    "ucdp_acd",
    "ucdp_nonstate",
    "acled_events",
    "vdem",
    "epr_core",
    "worldbank",
    "pts",
    "polity5",
    "coups",
    "ewp_prepared",
    "ewp_mk_episodes",
    "ewp_published_forecasts",
    "ewp_foos",
    "sipri_tiv",
]


def test_every_source_named_in_the_interface_is_declared() -> None:
    assert sorted(s.name for s in SOURCES) == sorted(INTERFACE_NAMES)
    interfaces = (ROOT / "docs/interfaces.md").read_text(encoding="utf-8")
    for name in INTERFACE_NAMES:
        assert f"`{name}`" in interfaces


def test_docs_page_is_generated_from_the_declarations() -> None:
    page = (ROOT / "docs/sources.md").read_text(encoding="utf-8")
    assert page == sources_markdown(), (
        "docs/sources.md is out of date: run python -m atrocity_watch.sources.docs > "
        "docs/sources.md"
    )
    for spec in SOURCES:
        assert f"## `{spec.name}`" in page
        for column in spec.columns:
            assert f"`{column.name}`" in page


@pytest.mark.parametrize("spec", SOURCES, ids=lambda s: s.name)
def test_each_declaration_is_complete(spec: SourceSpec) -> None:
    assert spec.key, "every source has a unique key"
    assert spec.required_columns
    assert spec.mirror_patterns or spec.downloads
    for column in spec.key:
        assert spec.column(column).required, f"key column {column} must be in every file"
    if spec.countries:
        assert spec.countries[0].target == "iso3"


def test_acled_is_marked_as_not_shareable() -> None:
    assert [s.name for s in SOURCES if not s.raw_rows_shareable] == ["acled_events"]


def test_declarations_check_themselves() -> None:
    with pytest.raises(ValueError, match="must be one of"):
        Column("x", "float", "A number.")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="minimum is above maximum"):
        Column("x", "integer", "A number.", minimum=5, maximum=1)
    with pytest.raises(ValueError, match="only numbers"):
        Column("x", "text", "Text.", minimum=1)
    with pytest.raises(ValueError, match="needs a description"):
        Column("x", "text", "")
    with pytest.raises(ValueError, match="scheme"):
        CountryRule(column="x", scheme="fips", rule="?")
    base = get_source("pts")
    with pytest.raises(ValueError, match="key column 'nope' is not declared"):
        SourceSpec(**{**base.__dict__, "key": ("nope",)})
    with pytest.raises(ValueError, match="declared twice"):
        SourceSpec(**{**base.__dict__, "columns": (*base.columns, base.columns[0])})
