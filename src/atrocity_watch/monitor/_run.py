"""One month's monitoring run: compute the signals, then list the alerts the rules raise.

>>> report = run_month(month=date(2017, 8, 1))       # doctest: +SKIP
>>> [a.iso3 for a in report.alerts]                   # doctest: +SKIP
['MMR', ...]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from atrocity_watch.monitor._alerts import (
    RaisedAlert,
    ThresholdLookup,
    alert_episodes,
    default_thresholds,
    raised_in,
)
from atrocity_watch.monitor._compute import Neighbours, SignalSet, compute_signals, read_signals
from atrocity_watch.monitor._errors import InvalidMonthError
from atrocity_watch.monitor._months import month_label
from atrocity_watch.monitor._registry import MONITORS
from atrocity_watch.monitor._signal import SignalMethod

if TYPE_CHECKING:
    from atrocity_watch.warehouse import Warehouse


@dataclass(frozen=True)
class MonthReport:
    """The alerts of one month and what the month's data allowed."""

    month: date
    alerts: tuple[RaisedAlert, ...]
    covered: dict[str, tuple[str, ...]]  # source -> countries with data this month
    not_supported: dict[str, tuple[str, ...]]  # source -> monitors it cannot support
    method: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "month": month_label(self.month),
            "method": self.method,
            "covered": {k: list(v) for k, v in self.covered.items()},
            "not_supported": {k: list(v) for k, v in self.not_supported.items()},
            "alerts": [a.as_dict() for a in self.alerts],
        }


def run_month(
    warehouse: Warehouse | None = None,
    *,
    month: date | None = None,
    thresholds: ThresholdLookup = default_thresholds,
    method: SignalMethod | None = None,
    monitors: Iterable[str] | None = None,
    neighbours: Neighbours | None = None,
    recompute: bool = True,
    signals: SignalSet | None = None,
) -> MonthReport:
    """Compute (or read) the signals and return the alerts active in ``month``.

    ``month`` defaults to the latest month any event source covers. A month no source covers
    is an :class:`InvalidMonthError` naming the months that are covered.
    """
    if signals is None:
        signals = (
            compute_signals(warehouse, method=method, neighbours=neighbours)
            if recompute
            else read_signals(warehouse)
        )
    first, last = signals.coverage.first_month(), signals.coverage.last_month()
    chosen = month or last
    table = signals.table
    if chosen is None or first is None or last is None:
        raise InvalidMonthError("no month is covered by the imported event data")
    covered_rows = table[(table["month"] == chosen) & table["covered"] & table["adm1"].isna()]
    if covered_rows.empty:
        raise InvalidMonthError(
            f"no imported event source covers {month_label(chosen)}; the data cover months "
            f"from {month_label(first)} to {month_label(last)}, with gaps per country "
            "(see `atrocity-watch data status`)"
        )
    episodes = alert_episodes(table, thresholds, monitors=monitors)
    alerts = tuple(raised_in(episodes, chosen))
    covered: dict[str, tuple[str, ...]] = {}
    for source in signals.sources:
        countries = sorted(
            iso3
            for (name, iso3), numbers in signals.coverage.months.items()
            if name == source and signals.coverage.covered(source, iso3, chosen)
        )
        covered[source] = tuple(countries)
    not_supported = {
        source: tuple(m.name for m in MONITORS.values() if not m.supports(source))
        for source in signals.sources
    }
    return MonthReport(
        month=chosen,
        alerts=alerts,
        covered=covered,
        not_supported=not_supported,
        method=signals.method.describe(),
    )
