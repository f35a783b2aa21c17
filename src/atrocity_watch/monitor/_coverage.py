"""Which months each event source covers in each country: the line between "0" and "no data".

The warehouse records, per imported file, the countries and dates it holds every event for
(:meth:`atrocity_watch.warehouse.Warehouse.coverage`). A month counts as covered only when a
span includes the whole month; a month no span covers is *no data*, never zero, in signals,
alerts and pages. A span for every country (``*``) covers the countries that appear in the
source's events.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from atrocity_watch.monitor._months import month_number, month_of


class SpanLike(Protocol):
    """What a coverage span tells (``atrocity_watch.warehouse.CoverageSpan``)."""

    @property
    def source(self) -> str: ...
    @property
    def iso3(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


@dataclass(frozen=True)
class Coverage:
    """Covered month numbers per (source, country)."""

    months: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)

    def covered(self, source: str, iso3: str, month: date) -> bool:
        """True when ``source`` holds every event of ``iso3`` in ``month``."""
        return month_number(month) in self.months.get((source, iso3), frozenset())

    def countries(self, source: str) -> list[str]:
        """Countries with at least one covered month in ``source``."""
        return sorted(iso3 for (name, iso3), got in self.months.items() if name == source and got)

    def sources(self) -> list[str]:
        """Sources with at least one covered month."""
        return sorted({name for (name, _), got in self.months.items() if got})

    def numbers(self, source: str, iso3: str) -> frozenset[int]:
        """Covered month numbers of one country in one source."""
        return self.months.get((source, iso3), frozenset())

    def last_month(self, source: str | None = None) -> date | None:
        """The latest covered month (of one source, or of any)."""
        found = [
            max(got)
            for (name, _), got in self.months.items()
            if got and (source is None or name == source)
        ]
        return month_of(max(found)) if found else None

    def first_month(self, source: str | None = None) -> date | None:
        """The earliest covered month (of one source, or of any)."""
        found = [
            min(got)
            for (name, _), got in self.months.items()
            if got and (source is None or name == source)
        ]
        return month_of(min(found)) if found else None


def _whole_months(start: date, end: date) -> range:
    first = month_number(start) if start.day == 1 else month_number(start) + 1
    last_day = calendar.monthrange(end.year, end.month)[1]
    last = month_number(end) if end.day == last_day else month_number(end) - 1
    return range(first, last + 1)


def coverage_from_spans(
    spans: Iterable[SpanLike],
    sources: Iterable[str],
    countries_with_events: dict[str, set[str]] | None = None,
) -> Coverage:
    """Build :class:`Coverage` for ``sources`` from the warehouse's coverage spans."""
    wanted = set(sources)
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    for span in spans:
        if span.source not in wanted:
            continue
        months = _whole_months(span.start, span.end)
        if span.iso3 == "*":
            for iso3 in (countries_with_events or {}).get(span.source, set()):
                found[(span.source, iso3)].update(months)
        else:
            found[(span.source, span.iso3)].update(months)
    return Coverage({key: frozenset(value) for key, value in found.items()})
