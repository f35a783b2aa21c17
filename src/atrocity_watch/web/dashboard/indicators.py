"""Panel indicators for the pages: the feature registry and per-country series.

The panels (``panel_country_year``, ``panel_country_month``) are wide tables, one column per
feature of :data:`atrocity_watch.panels.FEATURES`. A worker reads each once per version
(:mod:`.reads`), sorts it by country and period, and keeps where each country's rows start and
end, so a country page slices a few hundred rows instead of scanning the panel.

Missing is missing: a NULL in the panel (a period a source does not cover) stays ``None`` here
and becomes a gap in charts, never a zero.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from atrocity_watch.web.dashboard.reads import Snapshot, load_tables, require_columns

PANEL_TABLES = {"year": "panel_country_year", "month": "panel_country_month"}
PERIOD_COLUMN = {"year": "year", "month": "month"}

#: The three kinds of organised violence UCDP codes, shown as trends on the country page.
EVENT_FEATURES: tuple[str, ...] = ("one_sided_deaths", "state_based_deaths", "non_state_deaths")

NO_PANELS = (
    "No indicators yet. An administrator can build them with `atrocity-watch panels build` "
    "(after `atrocity-watch data import`), or run `make run` with data."
)


def features(frequency: str | None = None) -> tuple[Any, ...]:
    """The declared panel features (``atrocity_watch.panels.FEATURES``), optionally of one panel.

    Empty when the panels layer is not installed, so the pages still work without it.
    """
    try:
        from atrocity_watch.panels import FEATURES
    except ImportError:
        return ()
    return tuple(f for f in FEATURES if frequency is None or f.frequency == frequency)


def feature(name: str, frequency: str = "year") -> Any | None:
    """The declared feature ``name`` of a panel, or None."""
    return next((f for f in features(frequency) if f.name == name), None)


def is_trend(f: Any) -> bool:
    """True for the derived change columns (``…_change``, ``…_vs_3y_mean``)."""
    return bool(f.name.endswith("_change") or "_vs_3" in f.name)


def is_event_count(f: Any) -> bool:
    """True for measures of violence counted from event or conflict data (UCDP, ACLED)."""
    return any(s.startswith(("ucdp_", "acled_")) for s in f.sources)


def structural_features() -> tuple[Any, ...]:
    """Country-year features that describe the country rather than count violence.

    Grouped on the country page by the Framework risk factor of their first indicator.
    """
    return tuple(f for f in features("year") if not is_trend(f) and not is_event_count(f))


def map_features() -> tuple[Any, ...]:
    """Country-year features a user may colour the world map by (all but the change columns)."""
    return tuple(f for f in features("year") if not is_trend(f))


def risk_factor_of(f: Any) -> int:
    """The risk factor number of a feature's first Framework reference ("7.8" → 7)."""
    first = str(f.indicators[0]) if f.indicators else "0"
    return int(first.split(".", 1)[0])


def _as_float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@dataclass(frozen=True)
class Panel:
    """One panel, sorted by country and period, with each country's row range."""

    frequency: str
    frame: pd.DataFrame
    rows: dict[str, tuple[int, int]]
    snapshot: Snapshot

    @property
    def period(self) -> str:
        """The name of the period column ("year" or "month")."""
        return PERIOD_COLUMN[self.frequency]

    def has(self, column: str) -> bool:
        """True when the panel has ``column``."""
        return column in self.frame.columns

    def country(self, iso3: str) -> pd.DataFrame:
        """The country's rows (empty frame when it has none)."""
        start, stop = self.rows.get(iso3, (0, 0))
        return self.frame.iloc[start:stop]

    def series(self, iso3: str, columns: Sequence[str]) -> list[dict[str, Any]]:
        """Every period from the country's first to its last row; absent values are None.

        Periods the panel has no row for are filled in as None too, so a chart shows a gap
        there rather than joining the neighbours.
        """
        rows = self.country(iso3)
        present = [c for c in columns if c in rows.columns]
        if rows.empty or not present:
            return []
        values = {
            _period_key(p): {c: _as_float(v) for c, v in zip(present, vals, strict=True)}
            for p, *vals in rows[[self.period, *present]].itertuples(index=False)
        }
        periods = _period_range(min(values), max(values), self.frequency)
        return [{"period": p, **{c: values.get(p, {}).get(c) for c in present}} for p in periods]

    def latest(self, iso3: str, column: str) -> tuple[Any, float] | None:
        """The country's most recent known value of ``column`` and its period."""
        return self.latest_values(iso3, (column,)).get(column)

    def latest_values(self, iso3: str, columns: Sequence[str]) -> dict[str, tuple[Any, float]]:
        """The most recent known value and its period of each of ``columns`` (those known)."""
        present = [c for c in columns if c in self.frame.columns]
        rows = self.country(iso3)
        if rows.empty or not present:
            return {}
        known = rows[present].notna().to_numpy()
        periods = rows[self.period].to_numpy()
        found: dict[str, tuple[Any, float]] = {}
        for j, column in enumerate(present):
            hits = np.flatnonzero(known[:, j])
            if hits.size == 0:
                continue
            value = _as_float(rows[column].iat[hits[-1]])
            if value is not None:
                found[column] = (_period_key(periods[hits[-1]]), value)
        return found

    def cross_section(self, column: str, period: Any) -> dict[str, float]:
        """Every country's value of ``column`` in one period (countries without one left out)."""
        if column not in self.frame.columns:
            return {}
        rows = self.frame[self.frame[self.period] == period]
        return {
            str(iso3): float(v)
            for iso3, v in zip(rows["iso3"], rows[column], strict=True)
            if _as_float(v) is not None
        }

    def default_period(self, column: str) -> Any | None:
        """The latest period in which at least half as many countries have a value as at most.

        A release that so far covers a few countries (a partial year) would otherwise give a
        mostly grey map.
        """
        if column not in self.frame.columns:
            return None
        counts = self.frame.loc[self.frame[column].notna(), self.period].value_counts()
        if counts.empty:
            return None
        enough = counts[counts >= counts.max() / 2]
        return _period_key(max(enough.index))

    def periods(self, column: str) -> list[Any]:
        """The periods in which some country has a value of ``column``, latest first."""
        if column not in self.frame.columns:
            return []
        found = self.frame.loc[self.frame[column].notna(), self.period].unique()
        return sorted((_period_key(p) for p in found), reverse=True)


def _period_key(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return int(value)


def _period_range(first: Any, last: Any, frequency: str) -> list[Any]:
    if frequency == "year":
        return list(range(int(first), int(last) + 1))
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _build(frequency: str) -> Any:
    table = PANEL_TABLES[frequency]
    period = PERIOD_COLUMN[frequency]

    def build(tables: dict[str, pa.Table | None], snaps: dict[str, Snapshot | None]) -> Any:
        arrow, snapshot = tables[table], snaps[table]
        if arrow is None or snapshot is None or arrow.num_rows == 0:
            return None
        require_columns(arrow, table, ("iso3", period))
        frame = arrow.to_pandas(date_as_object=False)
        if frequency == "month":
            frame[period] = pd.to_datetime(frame[period])
        frame = frame.sort_values(["iso3", period], kind="stable").reset_index(drop=True)
        codes = frame["iso3"].to_numpy()
        rows: dict[str, tuple[int, int]] = {}
        start = 0
        for i in range(1, len(codes) + 1):
            if i == len(codes) or codes[i] != codes[start]:
                rows[str(codes[start])] = (start, i)
                start = i
        return Panel(frequency, frame, rows, snapshot)

    return build


def panel(frequency: str) -> Panel | None:
    """The country-year (``"year"``) or country-month (``"month"``) panel, or None if not built.

    The month panel is read with the event-trend columns only: the pages show nothing else
    from it, and it is the larger of the two.
    """
    table = PANEL_TABLES[frequency]
    columns: dict[str, Sequence[str] | None] | None = None
    if frequency == "month":
        columns = {table: ["iso3", "month", *EVENT_FEATURES]}
    result: Panel | None = load_tables(
        (table,), _build(frequency), purpose="panel", columns=columns
    )
    return result
