"""The watchlist: countries ranked by forecast risk, with assessments and alerts beside them.

Library-style and free of request handling: :func:`build` takes the countries a user may see
and the filters, and returns rows the page, the CSV export and the tests share. Sorting is done
here (server-side), so the table works without JavaScript.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.web.core import geo
from atrocity_watch.web.dashboard import present
from atrocity_watch.web.dashboard.alerts_hook import ActiveAlert, AlertStatus
from atrocity_watch.web.dashboard.assessment_status import (
    CATEGORY_ORDER,
    NOT_ASSESSED,
    AssessmentSummary,
    category_label,
    category_rank,
)
from atrocity_watch.web.dashboard.forecasts import CountryForecast, Forecasts


class WatchlistFilterError(AtrocityWatchError):
    """A filter or sort of the watchlist has a value it does not know."""


@dataclass(frozen=True)
class Sort:
    """One sortable column."""

    label: str
    default_direction: str  # "asc" or "desc": what a first click on the column does


SORTS: dict[str, Sort] = {
    "rank": Sort("Rank", "asc"),
    "country": Sort("Country", "asc"),
    "region": Sort("Region", "asc"),
    "probability": Sort("Risk", "desc"),
    "change": Sort("Change since last year", "desc"),
    "category": Sort("Assessment", "asc"),
    "alerts": Sort("Active alerts", "desc"),
}


@dataclass(frozen=True)
class Filters:
    """What the user asked for; validated on construction."""

    region: str = ""  # UN M49 code
    organisation: str = ""  # registry code (AU, ECOWAS, …)
    category: str = ""  # an assessment category value, or "not_assessed"
    q: str = ""  # part of a country's name or its ISO3 code
    sort: str = "rank"
    direction: str = "asc"

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise WatchlistFilterError(
                f"The watchlist cannot be sorted by {self.sort!r}; choose one of "
                f"{', '.join(SORTS)}."
            )
        if self.direction not in ("asc", "desc"):
            raise WatchlistFilterError(
                f"The sort direction must be 'asc' or 'desc'. Got {self.direction!r} instead."
            )
        if self.category and self.category not in (*CATEGORY_ORDER, NOT_ASSESSED):
            raise WatchlistFilterError(
                f"There is no assessment category {self.category!r}; choose one of "
                f"{', '.join((*CATEGORY_ORDER, NOT_ASSESSED))}."
            )
        if len(self.q) > 100:
            raise WatchlistFilterError("The search text is too long (100 characters at most).")

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Filters:
        """Filters from a query string; region and organisation given by code or name."""
        region = (params.get("region") or "").strip()
        organisation = (params.get("organisation") or "").strip()
        try:
            region = geo.canonical_region(region) if region else ""
            organisation = geo.canonical_organisation(organisation) if organisation else ""
        except geo.ScopeError as exc:
            raise WatchlistFilterError(str(exc)) from None
        sort = (params.get("sort") or "rank").strip()
        direction = (params.get("dir") or "").strip() or (
            SORTS[sort].default_direction if sort in SORTS else "asc"
        )
        return cls(
            region=region,
            organisation=organisation,
            category=(params.get("category") or "").strip(),
            q=(params.get("q") or "").strip(),
            sort=sort,
            direction=direction,
        )

    def query(self, **changes: str) -> dict[str, str]:
        """The query-string parameters of these filters, with ``changes`` applied."""
        current = replace(self, **changes) if changes else self
        params = {
            "region": current.region,
            "organisation": current.organisation,
            "category": current.category,
            "q": current.q,
            "sort": current.sort,
            "dir": current.direction,
        }
        return {k: v for k, v in params.items() if v}

    @property
    def active(self) -> bool:
        """True when any filter (not just the sort) is set."""
        return bool(self.region or self.organisation or self.category or self.q)


@dataclass(frozen=True)
class Row:
    """One country of the watchlist."""

    iso3: str
    name: str
    region: str
    subregion: str
    forecast: CountryForecast | None
    change: float | None
    assessment: AssessmentSummary | None
    alerts: Sequence[ActiveAlert] = field(default_factory=tuple)

    @property
    def probability(self) -> float | None:
        """The latest forecast probability, if any."""
        return self.forecast.probability if self.forecast else None

    @property
    def rank(self) -> int | None:
        """The model's rank (1 = highest risk), if any."""
        return self.forecast.rank if self.forecast else None

    @property
    def probability_text(self) -> str:
        """The probability as a percentage ("4.1%")."""
        return present.percent(self.probability)

    @property
    def interval_text(self) -> str:
        """The uncertainty interval ("2.0%–7.9%"), or "not computed"."""
        f = self.forecast
        if f is None or f.ci_low is None or f.ci_high is None:
            return "not computed"
        return f"{present.percent(f.ci_low)}–{present.percent(f.ci_high)}"

    @property
    def change_text(self) -> str:
        """The change since the previous base year in percentage points ("+1.2 pts")."""
        return present.points(self.change)

    @property
    def category(self) -> str:
        """The latest approved assessment's category, or ``not_assessed``."""
        return self.assessment.category if self.assessment else NOT_ASSESSED

    @property
    def category_label(self) -> str:
        """The category in words."""
        return category_label(self.category)


@dataclass(frozen=True)
class Watchlist:
    """The rows to show and what the page says about them."""

    rows: list[Row]
    total_in_scope: int  # rows before the filters
    forecasts: Forecasts | None
    alerts: AlertStatus


def _sort_value(row: Row, key: str) -> Any:
    if key == "rank":
        return row.rank
    if key == "country":
        return row.name.casefold()
    if key == "region":
        return (row.region, row.subregion, row.name.casefold())
    if key == "probability":
        return row.probability
    if key == "change":
        return row.change
    if key == "category":
        return category_rank(row.category) if row.assessment else None
    if key == "alerts":
        return len(row.alerts) if row.alerts else None
    raise WatchlistFilterError(f"unknown sort {key!r}")


def sort_rows(rows: list[Row], key: str, direction: str) -> list[Row]:
    """Sort by one column; rows without a value come last in both directions."""
    known = [r for r in rows if _sort_value(r, key) is not None]
    unknown = [r for r in rows if _sort_value(r, key) is None]
    # Ties are broken by risk (highest first) and then name, so the order is stable.
    known.sort(key=lambda r: (-(r.probability or 0.0), r.name.casefold()))
    known.sort(key=lambda r: _sort_value(r, key), reverse=direction == "desc")
    unknown.sort(key=lambda r: (-(r.probability or 0.0), r.name.casefold()))
    return known + unknown


def _matches(row: Row, filters: Filters, members: Callable[[], frozenset[str] | None]) -> bool:
    if filters.category and row.category != filters.category:
        return False
    if filters.q:
        needle = filters.q.casefold()
        if needle not in row.name.casefold() and needle != row.iso3.casefold():
            return False
    allowed = members()
    return allowed is None or row.iso3 in allowed


def build(
    allowed: frozenset[str] | None,
    filters: Filters,
    forecasts: Forecasts | None,
    assessments: Mapping[str, AssessmentSummary],
    alerts: AlertStatus,
) -> Watchlist:
    """The watchlist of the countries in ``allowed`` (None: all) that match ``filters``.

    A country is listed when it has a forecast, an approved assessment or an open alert.
    """
    info = {c.iso3: c for c in geo.current_countries()}
    listed = set(forecasts.latest if forecasts else ()) | set(assessments)
    listed |= {iso3 for iso3 in alerts.by_country if alerts.by_country[iso3]}
    if allowed is not None:
        listed &= allowed
    rows = []
    for iso3 in listed:
        country = info.get(iso3)
        forecast = forecasts.latest.get(iso3) if forecasts else None
        name = country.name if country else geo.country_name(iso3)
        rows.append(
            Row(
                iso3=iso3,
                name=name,
                region=country.region if country else "",
                subregion=country.subregion if country else "",
                forecast=forecast,
                change=forecasts.change(iso3) if forecasts else None,
                assessment=assessments.get(iso3),
                alerts=tuple(alerts.of(iso3)),
            )
        )

    def members() -> frozenset[str] | None:
        found: frozenset[str] | None = None
        if filters.region:
            found = geo.countries_of_region(filters.region)
        if filters.organisation:
            org = geo.countries_of_organisation(filters.organisation)
            found = org if found is None else found & org
        return found

    kept = [r for r in rows if _matches(r, filters, members)]
    return Watchlist(
        rows=sort_rows(kept, filters.sort, filters.direction),
        total_in_scope=len(rows),
        forecasts=forecasts,
        alerts=alerts,
    )


# -- CSV export -----------------------------------------------------------------------------

CSV_COLUMNS = (
    "rank",
    "iso3",
    "country",
    "region",
    "probability",
    "interval_low",
    "interval_high",
    "change_since_previous_base_year",
    "model",
    "base_year",
    "previous_base_year",
    "onset_window",
    "assessment_category",
    "assessment_version",
    "assessment_approved",
    "active_alerts",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A cell that a spreadsheet will not run as a formula.

    Text beginning with ``= + - @`` (or a tab or carriage return) gets a leading apostrophe,
    as OWASP recommends against CSV injection. Numbers stay numbers: a negative change is data,
    and a number cannot carry a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_rows(watchlist: Watchlist) -> list[list[Any]]:
    """The export's data rows, in the page's order."""
    forecasts = watchlist.forecasts
    out = []
    for row in watchlist.rows:
        f = row.forecast
        out.append(
            [
                row.rank,
                row.iso3,
                row.name,
                row.region,
                None if f is None else round(f.probability, 6),
                None if f is None or f.ci_low is None else round(f.ci_low, 6),
                None if f is None or f.ci_high is None else round(f.ci_high, 6),
                None if row.change is None else round(row.change, 6),
                forecasts.model.model if forecasts else None,
                forecasts.base_year if forecasts and f else None,
                forecasts.change_against if forecasts and f else None,
                f.window if f else None,
                row.category_label,
                row.assessment.version if row.assessment else None,
                row.assessment.approved_at.date().isoformat()
                if row.assessment and row.assessment.approved_at
                else None,
                "; ".join(a.title for a in row.alerts) if row.alerts else None,
            ]
        )
    return out


def to_csv(watchlist: Watchlist) -> str:
    """The watchlist as CSV text (header first), every cell passed through :func:`csv_safe`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for values in csv_rows(watchlist):
        writer.writerow([csv_safe(v) for v in values])
    return buffer.getvalue()
