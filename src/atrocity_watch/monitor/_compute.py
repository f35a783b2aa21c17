"""Signals for every monitor, source, country (and subdivision) and month, from the warehouse.

>>> from atrocity_watch.warehouse import Warehouse
>>> signals = compute_signals(Warehouse())             # doctest: +SKIP
>>> signals.table.query("iso3 == 'MMR' and month == '2017-08-01'")  # doctest: +SKIP

The result is written to the warehouse table ``monitor_signals`` (see ``docs/interfaces.md``):
one row per monitor, source, country or subdivision (``adm1``; NULL for the whole country) and
month from the first to the last month the source covers in that country. A month the source
does not cover is a row with ``covered`` false and ``status`` ``no_data`` and no value; a month
with too little history for a baseline has a value but no score (``short_history``).
"""

# ruff: noqa: S608  (the SQL below is built from constants and declared column names)

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from atrocity_watch.monitor._coverage import Coverage, coverage_from_spans
from atrocity_watch.monitor._errors import MissingInputError, NoEventDataError
from atrocity_watch.monitor._events import VIEW, create_events_view, loaded_sources
from atrocity_watch.monitor._months import month_number, month_of
from atrocity_watch.monitor._registry import MONITORS, Monitor, get_monitor
from atrocity_watch.monitor._signal import SignalMethod, score_grid

if TYPE_CHECKING:
    import duckdb

    from atrocity_watch.warehouse import Warehouse

SIGNALS_TABLE = "monitor_signals"
NOVELTY_LOOKBACK = 36  # months an actor must have been absent to count as new
NOVELTY_MIN_HISTORY = 6  # covered months of look-back needed before anything counts as new
#: The method the backtest chose (see docs/monitoring.md, "Choosing the method").
DEFAULT_METHOD = SignalMethod("negative_binomial", window=12, min_baseline=6)

SCHEMA = pa.schema(
    [
        ("monitor", pa.string()),
        ("source", pa.string()),
        ("iso3", pa.string()),
        ("adm1", pa.string()),
        ("month", pa.date32()),
        ("covered", pa.bool_()),
        ("status", pa.string()),
        ("value", pa.float64()),
        ("events", pa.int64()),
        ("cells", pa.int64()),
        ("baseline", pa.float64()),
        ("baseline_months", pa.int64()),
        ("probability", pa.float64()),
        ("score", pa.float64()),
        ("expected", pa.float64()),
        ("spread", pa.float64()),
    ]
)
COLUMNS = tuple(SCHEMA.names)

Neighbours = Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class SignalSet:
    """Signals as a pandas table, with what produced them."""

    table: pd.DataFrame
    method: SignalMethod
    sources: tuple[str, ...]
    coverage: Coverage = field(repr=False)
    computed_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def series(self, monitor: str, source: str, iso3: str, adm1: str | None = None) -> pd.DataFrame:
        """One series, ordered by month (empty when there is none)."""
        found = self._by_series.get((monitor, source, iso3, adm1))
        if found is None:
            return self.table.iloc[0:0]
        return found

    @functools.cached_property
    def _by_series(self) -> dict[tuple[str, str, str, str | None], pd.DataFrame]:
        """Every series, indexed once (pages and the alert sync ask for many)."""
        result: dict[tuple[str, str, str, str | None], pd.DataFrame] = {}
        keys = ["monitor", "source", "iso3", "adm1"]
        ordered = self.table.sort_values([*keys, "month"], na_position="first")
        for key, frame in ordered.groupby(keys, dropna=False, sort=False):
            monitor, source, iso3, adm1 = key
            place = None if adm1 is None or adm1 != adm1 else str(adm1)
            result[(str(monitor), str(source), str(iso3), place)] = frame.reset_index(drop=True)
        return result

    def last_month(self) -> date | None:
        """The latest month with a covered signal."""
        covered = self.table[self.table["covered"]]
        return None if covered.empty else _as_date(covered["month"].max())

    def to_arrow(self) -> pa.Table:
        """The table in the warehouse's schema."""
        return pa.Table.from_pandas(
            self.table.loc[:, list(COLUMNS)], schema=SCHEMA, preserve_index=False
        )

    def meta(self) -> dict[str, Any]:
        """What is written beside the table in the warehouse."""
        return {
            "method": self.method.name,
            "window": self.method.window,
            "min_baseline": self.method.min_baseline,
            "prior_events": self.method.prior_events,
            "prior_months": self.method.prior_months,
            "max_score": self.method.max_score,
            "sources": list(self.sources),
            "computed_at": self.computed_at.isoformat(),
            "coverage": {
                f"{source}:{iso3}": _runs(months)
                for (source, iso3), months in sorted(self.coverage.months.items())
            },
        }


def _runs(numbers: Iterable[int]) -> list[list[str]]:
    """Covered months as runs of consecutive months: [["2016-01", "2019-11"], …]."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [[month_of(a).isoformat()[:7], month_of(b).isoformat()[:7]] for a, b in runs]


def _from_runs(runs: Iterable[Sequence[str]]) -> frozenset[int]:
    numbers: set[int] = set()
    for first, last in runs:
        a = month_number(date(int(first[:4]), int(first[5:7]), 1))
        b = month_number(date(int(last[:4]), int(last[5:7]), 1))
        numbers.update(range(a, b + 1))
    return frozenset(numbers)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A data frame's rows as dictionaries (typed plainly, for strict type checking)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


class EventStore:
    """A read connection to the warehouse holding every loaded event source's events.

    Use it as a context manager; :func:`compute_signals` and the explanations share it.
    """

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.con: duckdb.DuckDBPyConnection | None = None
        self.sources: list[str] = []
        self.coverage = Coverage()
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> EventStore:
        if not self.warehouse.path.exists():
            raise NoEventDataError(
                "the warehouse is empty: import UCDP GED or ACLED events first "
                "(`atrocity-watch data import <file>`)"
            )
        self.con = self._stack.enter_context(self.warehouse.connection())
        self.sources = loaded_sources(self.con)
        create_events_view(self.con, self.sources)
        with_events: dict[str, set[str]] = {}
        for source, iso3 in self.con.execute(
            f"SELECT DISTINCT source, iso3 FROM {VIEW}"
        ).fetchall():
            with_events.setdefault(str(source), set()).add(str(iso3))
        self.coverage = coverage_from_spans(self.warehouse.coverage(), self.sources, with_events)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
        self.con = None

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection (inside the ``with`` block)."""
        if self.con is None:
            raise MissingInputError("the event store is used outside its `with` block")
        return self.con

    def query(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Run SQL over the events table (named ``monitor_events``)."""
        return self.connection.execute(sql, list(params)).df()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run SQL over the events table; rows as dictionaries of plain Python values."""
        cursor = self.connection.execute(sql, list(params))
        names = [str(d[0]) for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- monthly values per monitor -----------------------------------------------------------------


def _monthly(store: EventStore, monitor: Monitor, source: str) -> pd.DataFrame:
    """iso3, adm1 (None = whole country), month, value, events, cells for one monitor."""
    flag = monitor.flag
    where = f"source = ? AND {flag}"
    if monitor.measure in ("deaths", "events"):
        value = "sum(civilian_deaths)" if monitor.measure == "deaths" else "count(*)"
        sets = "(iso3, month), (iso3, adm1, month)" if monitor.subnational else "(iso3, month)"
        frame = store.query(
            f"SELECT iso3, adm1, month, grouping(adm1) AS whole, {value} AS value, "
            f"count(*) AS events, NULL AS cells FROM {VIEW} WHERE {where} "
            f"GROUP BY GROUPING SETS ({sets})",
            [source],
        )
        # rows of the (iso3, adm1, month) set with no subdivision add nothing per area
        frame = frame[(frame["whole"] == 1) | frame["adm1"].notna()]
        frame.loc[frame["whole"] == 1, "adm1"] = None
        return frame.drop(columns="whole")
    if monitor.measure == "areas":
        return store.query(
            f"SELECT iso3, NULL AS adm1, month, count(DISTINCT adm1) AS value, "
            f"count(*) AS events, count(DISTINCT cell) AS cells FROM {VIEW} WHERE {where} "
            "GROUP BY iso3, month",
            [source],
        )
    if monitor.measure == "novelty":
        return store.query(
            f"SELECT iso3, NULL AS adm1, month, count(*) AS value, sum(events) AS events, "
            f"NULL AS cells FROM ({_novelty_sql()}) GROUP BY iso3, month",
            [source, source],
        )
    raise MissingInputError(f"monitor {monitor.name} is computed from neighbours, not here")


def _novelty_sql(newcomers_only: bool = True) -> str:
    """Actors and target groups of violence against civilians, with their previous month."""
    sql = f"""
    WITH acts AS (
        SELECT iso3, month, perpetrator_key AS key, 'perpetrator' AS role,
               any_value(perpetrator) AS name, count(*) AS events,
               sum(civilian_deaths) AS deaths
        FROM {VIEW} WHERE source = ? AND against_civilians
        GROUP BY iso3, month, perpetrator_key
        UNION ALL
        SELECT iso3, month, 'group:' || g AS key, 'target group' AS role, g AS name,
               count(*) AS events, sum(civilian_deaths) AS deaths
        FROM (SELECT iso3, month, civilian_deaths, unnest(target_groups) AS g
              FROM {VIEW} WHERE source = ? AND against_civilians AND len(target_groups) > 0)
        GROUP BY iso3, month, g
    ), seq AS (
        SELECT *, lag(month) OVER (PARTITION BY iso3, key ORDER BY month) AS previous
        FROM acts
    )
    SELECT * FROM seq
    """
    if newcomers_only:
        sql += (
            f" WHERE previous IS NULL OR date_diff('month', previous, month) > {NOVELTY_LOOKBACK}"
        )
    return sql


def _country_deaths(store: EventStore, source: str) -> pd.DataFrame:
    return store.query(
        f"SELECT iso3, month, sum(deaths) AS value, count(*) AS events FROM {VIEW} "
        "WHERE source = ? AND organised_violence GROUP BY iso3, month",
        [source],
    )


# -- grids ------------------------------------------------------------------------------------


@dataclass
class _Grid:
    keys: list[tuple[str, str | None]]
    first: int  # month number of column 0
    values: np.ndarray[Any, np.dtype[np.float64]]
    events: np.ndarray[Any, np.dtype[np.float64]]
    cells: np.ndarray[Any, np.dtype[np.float64]]
    spans: list[tuple[int, int]]  # per row: first and last month number to report
    short: np.ndarray[Any, np.dtype[np.bool_]] | None = None  # covered but too little history


def _empty_grid(
    keys: list[tuple[str, str | None]], first: int, last: int, spans: list[tuple[int, int]]
) -> _Grid:
    shape = (len(keys), last - first + 1)
    return _Grid(
        keys=keys,
        first=first,
        values=np.full(shape, np.nan),
        events=np.full(shape, np.nan),
        cells=np.full(shape, np.nan),
        spans=spans,
    )


def _own_grid(coverage: Coverage, source: str, frame: pd.DataFrame, monitor: Monitor) -> _Grid:
    countries = coverage.countries(source)
    keys: list[tuple[str, str | None]] = [(c, None) for c in countries]
    if monitor.subnational and not frame.empty:
        areas = frame[frame["adm1"].notna() & frame["iso3"].isin(countries)]
        keys += sorted(
            {(str(i), str(a)) for i, a in zip(areas["iso3"], areas["adm1"], strict=True)}
        )
    first = min(min(coverage.numbers(source, c)) for c in countries)
    last = max(max(coverage.numbers(source, c)) for c in countries)
    spans = [
        (min(coverage.numbers(source, k[0])), max(coverage.numbers(source, k[0]))) for k in keys
    ]
    grid = _empty_grid(keys, first, last, spans)
    row_of = {key: i for i, key in enumerate(keys)}
    for i, (iso3, _) in enumerate(keys):
        cols = [n - first for n in coverage.numbers(source, iso3)]
        grid.values[i, cols] = 0.0
        grid.events[i, cols] = 0.0
        if monitor.measure == "areas":
            grid.cells[i, cols] = 0.0
    for row in records(frame):
        adm1 = None if pd.isna(row["adm1"]) else str(row["adm1"])
        r = row_of.get((str(row["iso3"]), adm1))
        if r is None:
            continue
        c = month_number(_as_date(row["month"])) - first
        if 0 <= c < grid.values.shape[1] and not np.isnan(grid.values[r, c]):
            grid.values[r, c] = float(row["value"])
            grid.events[r, c] = float(row["events"])
            if monitor.measure == "areas" and not pd.isna(row["cells"]):
                grid.cells[r, c] = float(row["cells"])
    if monitor.measure == "novelty":
        covered = ~np.isnan(grid.values)
        history = np.concatenate([np.zeros((len(keys), 1)), np.cumsum(covered, axis=1)], axis=1)
        months = np.arange(covered.shape[1])
        start = np.maximum(months - NOVELTY_LOOKBACK, 0)
        looked_back = history[:, months] - history[:, start]  # covered months in the look-back
        grid.short = covered & (looked_back < NOVELTY_MIN_HISTORY)
    return grid


def _neighbour_grid(
    coverage: Coverage, source: str, frame: pd.DataFrame, neighbours: Neighbours
) -> _Grid | None:
    covered_countries = coverage.countries(source)
    if not covered_countries:
        return None
    first = min(min(coverage.numbers(source, c)) for c in covered_countries)
    last = max(max(coverage.numbers(source, c)) for c in covered_countries)
    deaths: dict[tuple[str, int], tuple[float, float]] = {
        (str(r["iso3"]), month_number(_as_date(r["month"]))): (
            float(r["value"]),
            float(r["events"]),
        )
        for r in records(frame)
    }
    candidates: dict[str, list[str]] = {}
    for country in covered_countries:
        for near in neighbours(country):
            candidates.setdefault(near, []).append(country)
    keys: list[tuple[str, str | None]] = [(c, None) for c in sorted(candidates)]
    if not keys:
        return None
    spans = []
    for iso3, _ in keys:
        months = set().union(*(coverage.numbers(source, n) for n in candidates[iso3]))
        spans.append((min(months), max(months)))
    grid = _empty_grid(keys, first, last, spans)
    for i, (iso3, _) in enumerate(keys):
        for near in candidates[iso3]:
            for n in coverage.numbers(source, near):
                c = n - first
                value, events = deaths.get((near, n), (0.0, 0.0))
                grid.values[i, c] = np.nan_to_num(grid.values[i, c]) + value
                grid.events[i, c] = np.nan_to_num(grid.events[i, c]) + events
    return grid


def _grid_rows(monitor: str, source: str, grid: _Grid, method: SignalMethod) -> pd.DataFrame:
    values = grid.values.copy()
    if grid.short is not None:
        values[grid.short] = np.nan  # not scored, and not used as anyone's baseline
    scored = score_grid(values, method)
    if not grid.keys:
        return _empty_frame()
    # every series' months from its first to its last covered month, gathered in one go
    starts = np.array([span[0] - grid.first for span in grid.spans])
    lengths = np.array([span[1] - span[0] + 1 for span in grid.spans])
    rows = np.repeat(np.arange(len(grid.keys)), lengths)
    cols = np.concatenate([np.arange(a, a + n) for a, n in zip(starts, lengths, strict=True)])
    numbers = cols + grid.first
    months = (
        ((numbers // 12 - 1970) * 12 + numbers % 12).astype("datetime64[M]").astype("datetime64[D]")
    )
    value = grid.values[rows, cols]
    covered = ~np.isnan(value)
    score = scored.score[rows, cols]
    return pd.DataFrame(
        {
            "monitor": monitor,
            "source": source,
            "iso3": np.array([k[0] for k in grid.keys], dtype=object)[rows],
            "adm1": np.array([k[1] for k in grid.keys], dtype=object)[rows],
            "month": months.tolist(),
            "covered": covered,
            "status": np.where(
                ~covered, "no_data", np.where(np.isnan(score), "short_history", "ok")
            ),
            "value": value,
            "events": grid.events[rows, cols],
            "cells": grid.cells[rows, cols],
            "baseline": scored.baseline[rows, cols],
            "baseline_months": scored.baseline_months[rows, cols],
            "probability": scored.probability[rows, cols],
            "score": score,
            "expected": scored.expected[rows, cols],
            "spread": scored.spread[rows, cols],
        }
    )


def _empty_frame() -> pd.DataFrame:
    return SCHEMA.empty_table().to_pandas()


def _registry_neighbours(iso3: str) -> Sequence[str]:
    from atrocity_watch.countries import UnknownCountryError, get_registry

    try:
        return get_registry().neighbours(iso3)
    except UnknownCountryError:
        return []


def signals_from_store(
    store: EventStore,
    *,
    method: SignalMethod | None = None,
    monitors: Iterable[str] | None = None,
    neighbours: Neighbours | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> SignalSet:
    """Compute every monitor's signals from an open :class:`EventStore`."""
    method = method or DEFAULT_METHOD
    chosen = (
        [get_monitor(name) for name in monitors]
        if monitors is not None
        else list(MONITORS.values())
    )
    sources = [s for s in store.sources if store.coverage.countries(s)]
    frames: list[pd.DataFrame] = []
    jobs = [(m, s) for m in chosen for s in sources if m.supports(s)]
    for done, (monitor, source) in enumerate(jobs):
        if progress is not None:
            progress(f"{monitor.title} ({source})", done, len(jobs))
        if monitor.measure == "neighbour_deaths":
            grid = _neighbour_grid(
                store.coverage,
                source,
                _country_deaths(store, source),
                neighbours or _registry_neighbours,
            )
        else:
            grid = _own_grid(store.coverage, source, _monthly(store, monitor, source), monitor)
        if grid is not None:
            frames.append(_grid_rows(monitor.name, source, grid, method))
    if progress is not None:
        progress("signals computed", len(jobs), len(jobs))
    table = pd.concat(frames, ignore_index=True) if frames else _empty_frame()
    table = _typed(table)
    return SignalSet(table=table, method=method, sources=tuple(sources), coverage=store.coverage)


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    for column in COLUMNS:  # tables written by an earlier version lack the newer columns
        if column not in table.columns:
            table[column] = np.nan
    table = table.loc[:, list(COLUMNS)].copy()
    for column in ("events", "cells", "baseline_months"):
        table[column] = table[column].astype("Int64")
    table["covered"] = table["covered"].astype(bool)
    table.loc[~table["covered"], ["value", "events", "cells"]] = pd.NA
    table["adm1"] = table["adm1"].astype(object).where(table["adm1"].notna(), None)
    return table


def compute_signals(
    warehouse: Warehouse | None = None,
    *,
    method: SignalMethod | None = None,
    monitors: Iterable[str] | None = None,
    neighbours: Neighbours | None = None,
    write: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> SignalSet:
    """Compute the signals of every monitor from the warehouse's event sources.

    Writes them to ``monitor_signals`` (atomically; the previous table stays readable until
    the new one is committed) unless ``write`` is false. Raises :class:`NoEventDataError` when
    neither UCDP GED nor ACLED events have been imported.
    """
    from atrocity_watch.warehouse import Warehouse

    warehouse = warehouse or Warehouse()
    with EventStore(warehouse) as store:
        if not store.sources:
            raise NoEventDataError(
                "no event data to monitor: import UCDP GED or ACLED events first "
                "(`atrocity-watch data import <file>`)"
            )
        if not store.coverage.sources():
            raise NoEventDataError(
                "the imported event files cover no whole month of any country (samples, or "
                "exports shorter than a month): there is nothing to compare with a baseline"
            )
        signals = signals_from_store(
            store, method=method, monitors=monitors, neighbours=neighbours, progress=progress
        )
    if write:
        warehouse.replace_table(SIGNALS_TABLE, signals.to_arrow(), meta=signals.meta())
    return signals


def read_signals(warehouse: Warehouse | None = None) -> SignalSet:
    """The signals last written to the warehouse (``monitor_signals``)."""
    from atrocity_watch.warehouse import UnknownTableError, Warehouse

    warehouse = warehouse or Warehouse()
    try:
        arrow = warehouse.read_table(SIGNALS_TABLE)
        info = warehouse.table_info(SIGNALS_TABLE)
    except UnknownTableError:
        raise MissingInputError(
            "no monitor signals yet: run `atrocity-watch monitor run` (or the whole pipeline, "
            "`atrocity-watch run`) after importing UCDP GED or ACLED events"
        ) from None
    meta = info.meta
    method = SignalMethod(
        meta.get("method", DEFAULT_METHOD.name),
        window=int(meta.get("window", DEFAULT_METHOD.window)),
        min_baseline=int(meta.get("min_baseline", DEFAULT_METHOD.min_baseline)),
        prior_events=float(meta.get("prior_events", DEFAULT_METHOD.prior_events)),
        prior_months=float(meta.get("prior_months", DEFAULT_METHOD.prior_months)),
        max_score=float(meta.get("max_score", DEFAULT_METHOD.max_score)),
    )
    months: dict[tuple[str, str], frozenset[int]] = {}
    for key, runs in meta.get("coverage", {}).items():
        source, _, iso3 = key.partition(":")
        months[(source, iso3)] = _from_runs(runs)
    table = arrow.to_pandas()
    table["month"] = [_as_date(m) for m in table["month"]]
    computed = meta.get("computed_at")
    return SignalSet(
        table=_typed(table),
        method=method,
        sources=tuple(meta.get("sources", ())),
        coverage=Coverage(months),
        computed_at=datetime.fromisoformat(computed) if computed else info.written_at,
    )


@contextlib.contextmanager
def open_events(warehouse: Warehouse | None = None) -> Iterator[EventStore]:
    """``with open_events(wh) as store:`` — the events, for explanations and the backtest."""
    from atrocity_watch.warehouse import Warehouse

    with EventStore(warehouse or Warehouse()) as store:
        yield store
