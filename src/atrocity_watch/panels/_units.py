"""The rows of the panels: every country-year and country-month in which a country existed.

A panel has one row per country and period from the first year of the panel (1946 for years,
1989 for months) to the latest period the data reach, for every State of the country registry
in the years it existed (historical States such as the USSR or Yugoslavia included, territories
and sub-national areas left out). A row exists even when no source says anything about it:
its values are then missing, which is different from zero. The registry is fixed for the life
of a process, so the tables are built once per process and shared (Arrow tables are
immutable).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pyarrow as pa

from atrocity_watch.panels._errors import PanelError

#: Registry statuses that make a country a unit of the panels. "disputed" entities with a
#: Gleditsch-Ward number (Kosovo, Abkhazia …) are kept because UCDP and others code them.
UNIT_STATUSES = frozenset({"state", "historical"})


@cache
def _units(first_year: int, last_year: int) -> list[tuple[str, int, int]]:
    from atrocity_watch.countries import get_registry

    spans = []
    for country in get_registry().all(include_historical=True):
        is_unit = country.status in UNIT_STATUSES or (
            country.status == "disputed" and country.gw is not None
        )
        if not is_unit:
            continue
        start = max(first_year, country.valid_from or first_year)
        end = min(last_year, country.valid_to or last_year)
        if start <= end:
            spans.append((country.iso3, start, end))
    if not spans:
        raise PanelError(f"no country of the registry existed between {first_year} and {last_year}")
    return sorted(spans)


@cache
def country_years(first_year: int, last_year: int) -> pa.Table:
    """``(iso3, year, _t)`` for every country and year it existed; ``_t`` = year."""
    if first_year > last_year:
        raise PanelError(f"the panel would start ({first_year}) after it ends ({last_year})")
    iso3: list[str] = []
    years: list[int] = []
    for code, start, end in _units(first_year, last_year):
        for year in range(start, end + 1):
            iso3.append(code)
            years.append(year)
    return pa.table(
        {
            "iso3": pa.array(iso3, pa.string()),
            "year": pa.array(years, pa.int64()),
            "_t": pa.array(years, pa.int64()),
        }
    )


@cache
def country_months(first_year: int, last_month: dt.date) -> pa.Table:
    """``(iso3, month, year, _t)`` for every country and month it existed, to ``last_month``.

    ``month`` is the first day of the month; ``_t`` counts months (year * 12 + month - 1) so
    that "the previous month" is ``_t - 1`` on every backend.
    """
    iso3: list[str] = []
    months: list[dt.date] = []
    years: list[int] = []
    index: list[int] = []
    for code, start, end in _units(first_year, last_month.year):
        for year in range(start, end + 1):
            last = last_month.month if year == last_month.year else 12
            for month in range(1, last + 1):
                iso3.append(code)
                months.append(dt.date(year, month, 1))
                years.append(year)
                index.append(year * 12 + month - 1)
    return pa.table(
        {
            "iso3": pa.array(iso3, pa.string()),
            "month": pa.array(months, pa.date32()),
            "year": pa.array(years, pa.int64()),
            "_t": pa.array(index, pa.int64()),
        }
    )


@cache
def land_neighbours() -> pa.Table:
    """``(iso3, neighbour)`` for every pair of countries sharing a land border."""
    from atrocity_watch.countries import get_registry

    registry = get_registry()
    pairs = [
        (country.iso3, other)
        for country in registry.all(include_historical=True)
        for other in registry.neighbours(country.iso3)
    ]
    return pa.table(
        {
            "iso3": pa.array([a for a, _ in pairs], pa.string()),
            "neighbour": pa.array([b for _, b in pairs], pa.string()),
        }
    )
