"""Which countries and dates each imported file covers, so panels can tell 0 from missing.

A month with no recorded event is a zero only if the file is known to hold *every* event of
that country and month; otherwise the value is missing. Coverage is recorded per file when it is
imported, by one rule per source (declared in :data:`COVERAGE_RULES`):

``events``
    Event files (UCDP GED, ACLED). Each country that appears in the file is covered from the
    first to the last event date of the file. UCDP codes whole months and releases whole years,
    so a GED file covers the months of its first and last events; an ACLED export covers the
    dates it was exported for, which are unknown, so the months at either end count only when
    they are whole (the first event on the 1st, the last on the month's last day).
``global_years``
    UCDP's conflict-level datasets (one-sided, battle deaths, non-state, armed conflict) list
    every case worldwide above UCDP's threshold: a country that existed in a year of the file
    and has no row has none. Recorded as country ``*`` over the file's years.
``rows``
    Country-year datasets (V-Dem, EPR, PTS, World Bank, …): a value exists where a row exists.
    The countries and years present are recorded for ``data status``; panels simply join.

A file imported as a *sample* covers nothing: its rows are kept, but every panel value that
would depend on it stays missing.
"""

# ruff: noqa: S608  (identifiers are quoted with quote(); values are bound as parameters)

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import duckdb

from atrocity_watch.warehouse._model import CoverageSpan

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CoverageRule:
    """How to read a file's coverage from its rows."""

    kind: Literal["events", "global_years", "rows"]
    column: str | None = None  # the date (events) or year column
    whole_edge_months_only: bool = False
    country_column: str = "iso3"


COVERAGE_RULES: dict[str, CoverageRule] = {
    "ucdp_ged": CoverageRule("events", "date_start"),
    "acled_events": CoverageRule("events", "event_date", whole_edge_months_only=True),
    "ucdp_onesided": CoverageRule("global_years", "year"),
    "ucdp_brd": CoverageRule("global_years", "year"),
    "ucdp_nonstate": CoverageRule("global_years", "year"),
    "ucdp_acd": CoverageRule("global_years", "year"),
    "ucdp_organized_violence_cy": CoverageRule("rows", "year_cy"),
    "vdem": CoverageRule("rows", "year"),
    "epr_core": CoverageRule("rows", "from"),
    "worldbank": CoverageRule("rows", "year"),
    "pts": CoverageRule("rows", "year"),
    "polity5": CoverageRule("rows", "year"),
    "ewp_prepared": CoverageRule("rows", "year"),
    "coups": CoverageRule("rows", "year"),
}


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
        [table],
    ).fetchall()
    return {str(name).lower(): str(name) for name, _ in rows}


def measure_coverage(
    con: duckdb.DuckDBPyConnection, source: str, table: str, file_name: str
) -> tuple[list[CoverageSpan], list[str]]:
    """Coverage spans of the rows of ``file_name`` in ``table``, and notes for the user."""
    rule = COVERAGE_RULES.get(source)
    if rule is None or rule.column is None:
        return [], []
    columns = _columns(con, table)
    column = columns.get(rule.column.lower())
    country = columns.get(rule.country_column)
    if column is None:
        return [], [f"no column {rule.column!r} to tell which period {file_name} covers"]
    where = "_source_file = ?"
    if rule.kind == "global_years":
        row = con.execute(
            f"SELECT min(TRY_CAST({_quote(column)} AS INTEGER)), "
            f"max(TRY_CAST({_quote(column)} AS INTEGER)) FROM {_quote(table)} WHERE {where}",
            [file_name],
        ).fetchone()
        if row is None or row[0] is None:
            return [], [f"{file_name} has no year to tell which period it covers"]
        return [CoverageSpan(source, file_name, "*", date(row[0], 1, 1), date(row[1], 12, 31))], []
    if country is None:
        return [], [f"no iso3 column in {file_name}: coverage by country not recorded"]
    if rule.kind == "rows":
        rows = con.execute(
            f"SELECT {_quote(country)}, min(TRY_CAST({_quote(column)} AS INTEGER)), "
            f"max(TRY_CAST({_quote(column)} AS INTEGER)) FROM {_quote(table)} "
            f"WHERE {where} AND {_quote(country)} IS NOT NULL GROUP BY 1 ORDER BY 1",
            [file_name],
        ).fetchall()
        return [
            CoverageSpan(source, file_name, str(iso3), date(first, 1, 1), date(last, 12, 31))
            for iso3, first, last in rows
            if first is not None and last is not None
        ], []
    # events: the first and last event date of the whole file bound every country in it
    row = con.execute(
        f"SELECT min(TRY_CAST({_quote(column)} AS DATE)), max(TRY_CAST({_quote(column)} AS DATE))"
        f" FROM {_quote(table)} WHERE {where}",
        [file_name],
    ).fetchone()
    if row is None or row[0] is None:
        return [], [f"{file_name} has no readable event date: no period counts as covered"]
    first, last = row
    start = first.replace(day=1)
    end = _month_end(last)
    notes: list[str] = []
    if rule.whole_edge_months_only:
        if first.day != 1:
            start = _month_end(first) + _ONE_DAY
        if last != end:
            end = last.replace(day=1) - _ONE_DAY
        if start > end:
            return [], [
                f"{file_name} spans {first}..{last}, less than a whole month: its events are "
                "kept, but no month counts as covered"
            ]
        if (start, end) != (first.replace(day=1), _month_end(last)):
            notes.append(
                f"{file_name} spans {first}..{last}; only whole months {start:%Y-%m}..{end:%Y-%m}"
                " count as covered"
            )
    countries = con.execute(
        f"SELECT DISTINCT {_quote(country)} FROM {_quote(table)} "
        f"WHERE {where} AND {_quote(country)} IS NOT NULL ORDER BY 1",
        [file_name],
    ).fetchall()
    return [CoverageSpan(source, file_name, str(c), start, end) for (c,) in countries], notes
