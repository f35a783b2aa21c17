"""The rule that suggests an assessment's category (documented in its module and ADR 022)."""

from __future__ import annotations

import pytest

from atrocity_watch.web.assessments.rules import Category, suggest_category

ALL_LOW = dict.fromkeys(range(1, 15), "low")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Category.NO_SIGNIFICANT_CONCERN),
        ({11: "high"}, Category.CURRENT_CRISIS),
        ({13: "high"}, Category.CURRENT_CRISIS),
        ({9: "high", 10: "high"}, Category.CURRENT_CRISIS),
        ({10: "high"}, Category.IMMINENT_RISK),
        ({8: "moderate", 1: "high", 3: "high", 5: "high"}, Category.IMMINENT_RISK),
        ({8: "low", 1: "high", 3: "high", 5: "high"}, Category.SERIOUS_CONCERN),
        ({2: "high"}, Category.SERIOUS_CONCERN),
        ({1: "moderate", 2: "moderate", 3: "moderate", 4: "moderate"}, Category.SERIOUS_CONCERN),
        ({1: "moderate", 2: "moderate", 3: "moderate"}, Category.NO_SIGNIFICANT_CONCERN),
    ],
)
def test_rule(changes: dict[int, str], expected: Category) -> None:
    suggestion = suggest_category({**ALL_LOW, **changes})
    assert suggestion.category == expected
    assert suggestion.reasons and all(r.endswith(".") for r in suggestion.reasons)


def test_too_much_unknown_gives_no_suggestion() -> None:
    levels = dict.fromkeys(range(1, 8), "high")  # 7 assessed, 7 unknown
    suggestion = suggest_category(levels)
    assert suggestion.category is None and suggestion.unknown == tuple(range(8, 15))
    assert "7 of the 14 risk factors are unknown" in suggestion.reasons[0]
    assert suggest_category({**levels, 8: "low"}).category is not None


def test_bad_level_is_an_error() -> None:
    with pytest.raises(ValueError, match="extreme"):
        suggest_category({1: "extreme"})
