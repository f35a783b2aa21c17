"""How numbers, changes and sources read on the dashboard's pages and in its tooltips."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from atrocity_watch.web.dashboard.reads import SourceFacts


def percent(value: float | None, digits: int = 1) -> str:
    """0.0412 → "4.1%"; 0.0002 → "<0.1%" (small, but not nothing); None → ""."""
    if value is None:
        return ""
    smallest = 10.0**-digits
    if 0 < value * 100 < smallest / 2:
        return f"<{smallest:.{digits}f}%"
    return f"{value * 100:.{digits}f}%"


def points(change: float | None) -> str:
    """A change of probability in percentage points: 0.012 → "+1.2 pts"."""
    if change is None:
        return ""
    value = change * 100
    if abs(value) < 0.05:
        return "±0.0 pts"
    return f"{value:+.1f} pts"


def number(value: float | None) -> str:
    """A measured value with sensible precision: 1234567 → "1,234,567", 0.4321 → "0.432"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    magnitude = abs(value)
    if magnitude >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def period(value: object) -> str:
    """A panel period in words: 2023 → "2023", 2023-06-01 → "June 2023"."""
    if isinstance(value, dt.date):
        return value.strftime("%B %Y")
    return str(value)


@dataclass(frozen=True)
class SourceLine:
    """One "source, licence, date" line under a figure."""

    title: str
    licence: str
    detail: str  # versions and import date, or why they are unknown
    url: str = ""


def source_lines(facts: Sequence[SourceFacts]) -> list[SourceLine]:
    """The lines a figure shows for its sources."""
    lines = []
    for fact in facts:
        if fact.imported_at is not None:
            versions = f"version {', '.join(fact.versions)}, " if fact.versions else ""
            detail = f"{versions}imported {fact.imported_at:%d %B %Y}"
        else:
            detail = "import date not recorded"
        lines.append(SourceLine(fact.title, fact.licence, detail, fact.url))
    return lines


def titles(facts: Iterable[SourceFacts]) -> str:
    """Source titles joined for a tooltip: "UCDP GED; V-Dem"."""
    return "; ".join(f.title for f in facts)
