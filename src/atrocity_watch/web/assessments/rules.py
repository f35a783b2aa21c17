"""The rule that suggests an assessment's overall category from its risk-factor levels.

This is Atrocity Watch's own rule (docs/decisions/022-assessment-category-rule.md), not the UN's:
the Framework of Analysis gives risk factors and indicators but no formula. It is shown to the
analyst with the reasons that triggered it, and the analyst may choose another category with a
written reason. Pure Python without Django, so it is easy to test and to document.

In order, the first that applies:

1. **Too little known** (no suggestion): 7 or more of the 14 risk factors are unknown or not yet
   assessed.
2. **Current crisis**: risk factor 11 (signs of a widespread or systematic attack) or 13 (threats
   to people protected by international humanitarian law) is *high* — such signs mean atrocity
   crimes are likely under way — or at least two of the specific risk factors 9–14 are *high*.
3. **Imminent risk**: one specific risk factor (9–14) is *high*, or risk factor 8 (triggering
   factors) is at least *moderate* while at least three common risk factors (1–7) are *high*.
4. **Serious concern**: any risk factor is *high*, or at least four are *moderate* or higher.
5. **No significant concern**: otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How present a risk factor or indicator is."""

    UNKNOWN = "unknown"
    NOT_PRESENT = "not_present"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def score(self) -> int | None:
        """0–3 for assessed levels, None for unknown."""
        return {"not_present": 0, "low": 1, "moderate": 2, "high": 3}.get(self.value)


class Category(StrEnum):
    """The overall category of an assessment."""

    CURRENT_CRISIS = "current_crisis"
    IMMINENT_RISK = "imminent_risk"
    SERIOUS_CONCERN = "serious_concern"
    NO_SIGNIFICANT_CONCERN = "no_significant_concern"

    @property
    def label(self) -> str:
        """The category in words."""
        return self.value.replace("_", " ").capitalize()


SPECIFIC = range(9, 15)
COMMON = range(1, 8)
CRIMES_UNDER_WAY = (11, 13)
TRIGGERS = 8
MAX_UNKNOWN = 6


@dataclass(frozen=True)
class Suggestion:
    """The suggested category (None when too little is known) and why."""

    category: Category | None
    reasons: tuple[str, ...]
    unknown: tuple[int, ...]


def _names(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def suggest_category(levels: Mapping[int, Level | str]) -> Suggestion:
    """Suggest a category from risk-factor levels (``{1: "high", 2: "low", …}``).

    Risk factors missing from ``levels`` count as unknown.

    >>> suggest_category({11: "high"}).category.value
    'current_crisis'
    >>> suggest_category({n: "low" for n in range(1, 15)}).category.value
    'no_significant_concern'
    """
    level = {n: Level(levels.get(n, Level.UNKNOWN)) for n in range(1, 15)}
    unknown = tuple(n for n, lv in level.items() if lv == Level.UNKNOWN)
    high = [n for n, lv in level.items() if lv == Level.HIGH]
    moderate_up = [n for n, lv in level.items() if (lv.score or 0) >= 2]
    if len(unknown) > MAX_UNKNOWN:
        return Suggestion(
            None,
            (
                f"{len(unknown)} of the 14 risk factors are unknown or not assessed "
                f"({_names(list(unknown))}); assess at least {14 - MAX_UNKNOWN} before a "
                "category can be suggested, or choose one and give your reason.",
            ),
            unknown,
        )
    under_way = [n for n in CRIMES_UNDER_WAY if n in high]
    specific_high = [n for n in SPECIFIC if n in high]
    if under_way:
        return Suggestion(
            Category.CURRENT_CRISIS,
            (f"Risk factor {_names(under_way)} is high: atrocity crimes are likely under way.",),
            unknown,
        )
    if len(specific_high) >= 2:
        return Suggestion(
            Category.CURRENT_CRISIS,
            (f"Two or more specific risk factors are high ({_names(specific_high)}).",),
            unknown,
        )
    if specific_high:
        return Suggestion(
            Category.IMMINENT_RISK,
            (f"The specific risk factor {specific_high[0]} is high.",),
            unknown,
        )
    common_high = [n for n in COMMON if n in high]
    if (level[TRIGGERS].score or 0) >= 2 and len(common_high) >= 3:
        return Suggestion(
            Category.IMMINENT_RISK,
            (
                f"Triggering factors (8) are {level[TRIGGERS].value} and three or more common "
                f"risk factors are high ({_names(common_high)}).",
            ),
            unknown,
        )
    if high:
        return Suggestion(
            Category.SERIOUS_CONCERN, (f"Risk factor {_names(high)} is high.",), unknown
        )
    if len(moderate_up) >= 4:
        return Suggestion(
            Category.SERIOUS_CONCERN,
            (f"Four or more risk factors are moderate or high ({_names(moderate_up)}).",),
            unknown,
        )
    return Suggestion(
        Category.NO_SIGNIFICANT_CONCERN,
        ("No risk factor is high and fewer than four are moderate.",),
        unknown,
    )
