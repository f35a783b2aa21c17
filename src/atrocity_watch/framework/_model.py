"""Typed, frozen model of the Framework of Analysis."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from atrocity_watch.errors import AtrocityWatchError


class FrameworkError(AtrocityWatchError):
    """The Framework data file is malformed, or a risk factor or indicator does not exist."""


class Scope(StrEnum):
    """Which crimes a risk factor concerns."""

    COMMON = "common"
    GENOCIDE = "genocide"
    CRIMES_AGAINST_HUMANITY = "crimes_against_humanity"
    WAR_CRIMES = "war_crimes"

    @property
    def label(self) -> str:
        """The scope in plain words, for people."""
        return {
            Scope.COMMON: "all atrocity crimes",
            Scope.GENOCIDE: "genocide",
            Scope.CRIMES_AGAINST_HUMANITY: "crimes against humanity",
            Scope.WAR_CRIMES: "war crimes",
        }[self]


@dataclass(frozen=True)
class Indicator:
    """One numbered indicator of a risk factor, such as 7.14."""

    number: str
    label: str
    description: str

    @property
    def risk_factor(self) -> int:
        """Number of the risk factor this indicator belongs to."""
        return int(self.number.split(".", 1)[0])

    @property
    def position(self) -> int:
        """Position of the indicator within its risk factor (14 for 7.14)."""
        return int(self.number.split(".", 1)[1])


@dataclass(frozen=True)
class RiskFactor:
    """One of the Framework's 14 risk factors and the indicators known for it."""

    number: int
    name: str
    scope: Scope
    description: str
    complete: bool
    status: str
    indicators: tuple[Indicator, ...] = field(default_factory=tuple)

    @property
    def indicator_count(self) -> int:
        """How many indicators this data file holds for the risk factor."""
        return len(self.indicators)

    @property
    def completeness_note(self) -> str:
        """What users must know about how complete the indicator list is."""
        if self.complete:
            return "Indicator list complete."
        return f"Indicator list INCOMPLETE: {self.status}."


@dataclass(frozen=True)
class Source:
    """Bibliographic facts of the official Framework text."""

    title: str
    publisher: str
    year: int
    document: str
    url: str
    citation: str
    official_indicator_total: int


@dataclass(frozen=True)
class Framework:
    """The whole Framework of Analysis: 14 risk factors and their indicators.

    >>> from atrocity_watch.framework import get_framework
    >>> fw = get_framework()
    >>> fw.risk_factor(7).name
    'Enabling circumstances or preparatory action'
    >>> fw.indicator("7.14").risk_factor
    7
    """

    source: Source
    risk_factors: tuple[RiskFactor, ...]

    def __iter__(self) -> Iterator[RiskFactor]:
        return iter(self.risk_factors)

    def __len__(self) -> int:
        return len(self.risk_factors)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator in Framework order."""
        return tuple(ind for rf in self.risk_factors for ind in rf.indicators)

    @property
    def complete(self) -> bool:
        """True only when every risk factor's indicator list is complete."""
        return all(rf.complete for rf in self.risk_factors)

    @property
    def incomplete_risk_factors(self) -> tuple[RiskFactor, ...]:
        """Risk factors whose indicator lists are known to be incomplete."""
        return tuple(rf for rf in self.risk_factors if not rf.complete)

    def risk_factor(self, number: int) -> RiskFactor:
        """Return risk factor ``number`` (1-14) or raise :class:`FrameworkError`."""
        for rf in self.risk_factors:
            if rf.number == number:
                return rf
        raise FrameworkError(
            f"There is no risk factor {number}: the Framework numbers them 1 to "
            f"{len(self.risk_factors)}."
        )

    def indicator(self, number: str) -> Indicator:
        """Return indicator ``number`` (such as "7.14") or raise :class:`FrameworkError`."""
        rf_part, _, _ = number.partition(".")
        if not rf_part.isdigit():
            raise FrameworkError(
                f"{number!r} is not an indicator number; write it as risk factor and position, "
                "for example 7.14."
            )
        rf = self.risk_factor(int(rf_part))
        for ind in rf.indicators:
            if ind.number == number:
                return ind
        known = f"{rf.indicators[0].number}-{rf.indicators[-1].number}" if rf.indicators else "none"
        hint = "" if rf.complete else " (this risk factor's list is incomplete in this data file)"
        raise FrameworkError(
            f"There is no indicator {number}: risk factor {rf.number} has indicators {known}{hint}."
        )

    def resolve(self, reference: str) -> RiskFactor | Indicator:
        """Return the risk factor ("7") or indicator ("7.14") that ``reference`` names."""
        text = reference.strip()
        if "." in text:
            return self.indicator(text)
        if not text.isdigit():
            raise FrameworkError(
                f"{reference!r} is neither a risk factor number (1-14) nor an indicator number "
                "such as 7.14."
            )
        return self.risk_factor(int(text))
