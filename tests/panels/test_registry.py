"""The feature registry: complete, consistent with the Framework, the docs and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from atrocity_watch.cli import app
from atrocity_watch.framework import get_framework
from atrocity_watch.panels import FEATURES, Feature, FeatureRegistryError, get_feature
from atrocity_watch.panels._describe import DOC_BEGIN, DOC_END, markdown_table
from atrocity_watch.panels._registry import TREND_BASES, VDEM_CODES, WORLD_BANK_CODES
from atrocity_watch.sources import SOURCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "panels.md"
runner = CliRunner()


def test_every_feature_declares_what_users_need() -> None:
    for f in FEATURES:
        assert f.title and f.description and f.unit and f.coverage, f.name
        assert f.indicators, f"{f.name} names no Framework indicator"


def test_every_framework_reference_exists() -> None:
    framework = get_framework()
    for f in FEATURES:
        for ref in f.indicators:
            framework.resolve(ref)  # raises FrameworkError for an unknown reference


def test_every_source_named_is_a_real_source() -> None:
    known = {s.name for s in SOURCES}
    for f in FEATURES:
        assert set(f.sources) <= known, f"{f.name}: {set(f.sources) - known}"


def test_names_are_unique_per_panel() -> None:
    keys = [(f.frequency, f.name) for f in FEATURES]
    assert len(keys) == len(set(keys))


def test_the_framework_signals_the_issue_names_are_tagged() -> None:
    assert {"7.8", "11"} <= set(get_feature("one_sided_deaths", "year").indicators)
    assert "1.1" in get_feature("battle_deaths", "year").indicators
    assert "8.2" in get_feature("neighbour_violence_deaths", "year").indicators
    assert {"1.4", "8.4"} <= set(get_feature("coup_attempt_last_5_years", "year").indicators)
    assert "14" in get_feature("acled_attacks_on_aid_workers", "month").indicators
    assert "7.9" in get_feature("acled_sexual_violence_events", "month").indicators


def test_trends_and_lookup_tables_refer_to_declared_features() -> None:
    names = {(f.frequency, f.name) for f in FEATURES}
    for frequency, bases in TREND_BASES.items():
        for base in bases:
            assert (frequency, base) in names
            assert (frequency, f"{base}_change") in names
    for name in (*VDEM_CODES, *WORLD_BANK_CODES):
        assert ("year", name) in names


def test_a_bad_declaration_is_refused() -> None:
    with pytest.raises(FeatureRegistryError, match="Framework indicators"):
        Feature("x", "X", "year", ("vdem",), "u", "c", (), "d")
    with pytest.raises(FeatureRegistryError, match="'year' or 'month'"):
        Feature("x", "X", "week", ("vdem",), "u", "c", ("1.1",), "d")  # type: ignore[arg-type]


def test_docs_list_every_feature_exactly_as_the_registry() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(DOC_BEGIN, 1)[1].split(DOC_END, 1)[0].strip()
    assert generated == markdown_table().strip(), (
        "docs/panels.md is out of date: paste `atrocity-watch panels describe --markdown` "
        "between the features markers"
    )


def test_describe_json_and_filters() -> None:
    result = runner.invoke(app, ["panels", "describe", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == len(FEATURES)
    assert set(rows[0]) >= {"name", "title", "table", "frequency", "source", "unit", "coverage",
                            "first_year", "indicators", "description"}  # fmt: skip
    spill = runner.invoke(app, ["panels", "describe", "--indicator", "8.2", "--json"])
    assert {r["name"] for r in json.loads(spill.stdout)} == {
        "neighbour_violence_deaths",
        "neighbours_in_armed_conflict",
    }
    rf14 = runner.invoke(app, ["panels", "describe", "--indicator", "14", "--json"])
    assert {r["name"] for r in json.loads(rf14.stdout)} >= {"acled_attacks_on_peacekeepers"}
    months = runner.invoke(app, ["panels", "describe", "--frequency", "month", "--json"])
    assert {r["table"] for r in json.loads(months.stdout)} == {"panel_country_month"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--indicator", "99"], "no risk factor 99"),
        (["--indicator", "7.99"], "no indicator 7.99"),
        (["--frequency", "week"], "'year' or 'month'"),
    ],
)
def test_describe_bad_input(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["panels", "describe", *args])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_build_on_an_empty_warehouse_says_what_to_do() -> None:
    result = runner.invoke(app, ["panels", "build"])
    assert result.exit_code == 2
    assert "data import" in result.stderr
