"""The Framework of Analysis as data: content, validation and lookups."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from atrocity_watch.framework import (
    EXPECTED_SCOPES,
    FrameworkError,
    Scope,
    get_framework,
    load_framework,
)
from atrocity_watch.framework._load import parse_framework

PACKAGED = Path(__file__).resolve().parents[2] / "src/atrocity_watch/framework/framework.yaml"


@pytest.fixture
def raw() -> dict[str, Any]:
    return yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))


def test_fourteen_risk_factors_with_framework_scopes() -> None:
    fw = get_framework()
    assert [rf.number for rf in fw] == list(range(1, 15))
    assert {rf.number: rf.scope for rf in fw} == EXPECTED_SCOPES
    assert fw.risk_factor(9).scope is Scope.GENOCIDE


def test_common_risk_factor_counts_match_the_official_text() -> None:
    fw = get_framework()
    counts = {rf.number: rf.indicator_count for rf in fw}
    assert counts == {1: 11, 2: 8, 3: 10, 4: 9, 5: 8, 6: 11, 7: 14, 8: 12, 9: 6,
                      10: 7, 11: 1, 12: 3, 13: 10, 14: 0}  # fmt: skip
    assert sum(counts.values()) == len(fw.indicators) == 110


def test_incomplete_lists_are_marked_not_filled() -> None:
    fw = get_framework()
    assert [rf.number for rf in fw.incomplete_risk_factors] == [10, 11, 12, 13, 14]
    assert not fw.complete
    assert fw.risk_factor(14).indicators == ()
    assert "INCOMPLETE" in fw.risk_factor(11).completeness_note
    assert fw.risk_factor(7).completeness_note == "Indicator list complete."


def test_indicator_lookup() -> None:
    fw = get_framework()
    ind = fw.indicator("7.14")
    assert ind.risk_factor == 7 and ind.position == 14
    assert "hate speech" in ind.label
    assert fw.resolve("8") is fw.risk_factor(8)
    assert fw.resolve(" 8.2 ") is fw.indicator("8.2")


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("15", "There is no risk factor 15"),
        ("0", "There is no risk factor 0"),
        ("7.20", "risk factor 7 has indicators 7.1-7.14"),
        ("14.1", "has indicators none (this risk factor's list is incomplete"),
        ("seven", "neither a risk factor number"),
        ("x.1", "is not an indicator number"),
    ],
)
def test_unknown_references_are_clear_errors(reference: str, message: str) -> None:
    with pytest.raises(FrameworkError, match=message.replace("(", r"\(")):
        get_framework().resolve(reference)


def test_labels_are_paraphrased_and_match_the_reference_numbering(shared_data: Path) -> None:
    """Numbering agrees with the research file; descriptions are our own text, not copies."""
    reference = json.loads((shared_data.parent / "reference/framework.json").read_text("utf-8"))
    fw = get_framework()
    for rf_ref in reference:
        rf = fw.risk_factor(rf_ref["number"])
        assert rf.scope.value == rf_ref["crime_scope"]
        assert [i.number for i in rf.indicators] == [i["number"] for i in rf_ref["indicators"]]
    for ind in fw.indicators:
        assert ind.description != ind.label


def _break(raw: dict[str, Any], mutate: Any) -> dict[str, Any]:
    broken = copy.deepcopy(raw)
    mutate(broken)
    return broken


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["risk_factors"][6].update(number=8), r"risk factor 8 \(entry 7\).*expected 7"),
        (lambda d: d["risk_factors"].pop(3), r"expected 4 here, found 5"),
        (
            lambda d: d["risk_factors"][6]["indicators"][2].update(number="7.5"),
            r"indicator '7.5' \(entry 3\).*expected 7.3 here, found 7.5",
        ),
        (
            lambda d: d["risk_factors"][6]["indicators"][0].update(number="8.1"),
            "listed under risk factor 7, but its number says risk factor 8",
        ),
        (
            lambda d: d["risk_factors"][8].update(scope="war_crimes"),
            "risk factor 9 has scope genocide, not war_crimes",
        ),
        (lambda d: d["risk_factors"][0].update(scope="piracy"), "'scope' must be one of"),
        (
            lambda d: d["risk_factors"][13].update(complete=True),
            r"risk factor 14 .*marked complete but lists no indicators",
        ),
        (
            lambda d: d["risk_factors"][1]["indicators"][0].update(label=""),
            r"indicator '2.1'.*'label' must be a non-empty text",
        ),
        (lambda d: d["risk_factors"].pop(), "has 14 risk factors; this file lists 13"),
    ],
)
def test_broken_file_names_the_entry(raw: dict[str, Any], mutate: Any, message: str) -> None:
    with pytest.raises(FrameworkError, match=message):
        parse_framework(_break(raw, mutate))


def test_broken_yaml_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "framework.yaml"
    path.write_text("source:\n  title: [unclosed\nrisk_factors: []\n", encoding="utf-8")
    with pytest.raises(
        FrameworkError, match=r"framework.yaml, line \d+, column \d+: not valid YAML"
    ):
        load_framework(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="cannot be read"):
        load_framework(tmp_path / "nope.yaml")


def test_model_is_frozen() -> None:
    rf = get_framework().risk_factor(1)
    with pytest.raises(AttributeError):
        rf.name = "changed"  # type: ignore[misc]
