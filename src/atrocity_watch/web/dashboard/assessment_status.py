"""The latest approved Framework assessment of each country, from the assessments app.

Read through the app registry rather than by importing the assessments app's models, so the
dashboard keeps working (saying "not assessed") on an installation without that app. Only
approved versions count: drafts and versions under review are work in progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from atrocity_watch.web.core.table_versions import TableCache

#: Overall categories from most to least severe (the assessments app's values).
CATEGORY_ORDER = ("current_crisis", "imminent_risk", "serious_concern", "no_significant_concern")
NOT_ASSESSED = "not_assessed"


def category_label(value: str) -> str:
    """The category in words ("imminent_risk" → "Imminent risk")."""
    if not value or value == NOT_ASSESSED:
        return "Not assessed"
    return value.replace("_", " ").capitalize()


def category_rank(value: str) -> int:
    """0 for the most severe category; not assessed last."""
    return CATEGORY_ORDER.index(value) if value in CATEGORY_ORDER else len(CATEGORY_ORDER)


@dataclass(frozen=True)
class AssessmentSummary:
    """One version of a country's assessment, as the dashboard shows it."""

    pk: int
    country: str
    version: int
    status: str
    status_label: str
    category: str  # final category (the analyst's, or the suggested one)
    approved_at: dt.datetime | None
    url: str

    @property
    def category_label(self) -> str:
        """The category in words."""
        return category_label(self.category)


def _model() -> Any | None:
    try:
        return apps.get_model("assessments", "Assessment")
    except LookupError:
        return None


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _summary(row: dict[str, Any], labels: dict[str, str]) -> AssessmentSummary:
    return AssessmentSummary(
        pk=row["pk"],
        country=row["country"],
        version=row["version"],
        status=row["status"],
        status_label=labels.get(row["status"], row["status"]),
        category=row["category"] or row["suggested_category"] or "",
        approved_at=row["reviewed_at"],
        url=_url("assessments:detail", row["pk"]),
    )


_FIELDS = (
    "pk",
    "country",
    "version",
    "status",
    "category",
    "suggested_category",
    "reviewed_at",
)


def _labels(model: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in model._meta.get_field("status").choices}


# Each worker keeps these until the assessment table is written (core.table_versions): the
# watchlist and every country page ask on every request, and approvals are rare.
_latest: TableCache[frozenset[str] | None, dict[str, AssessmentSummary]] = TableCache(
    "assessments_assessment"
)
_versions: TableCache[str, tuple[AssessmentSummary, ...]] = TableCache("assessments_assessment")


def latest_approved(countries: Iterable[str] | None) -> dict[str, AssessmentSummary]:
    """The latest approved version per country, for ``countries`` (None: all)."""
    if _model() is None:
        return {}
    wanted = None if countries is None else frozenset(countries)
    return dict(_latest.get(wanted, lambda: _read_latest_approved(wanted)))


def _read_latest_approved(countries: frozenset[str] | None) -> dict[str, AssessmentSummary]:
    model = _model()
    if model is None:
        return {}
    query = model.objects.filter(status="approved")
    if countries is not None:
        query = query.filter(country__in=sorted(countries))
    labels = _labels(model)
    found: dict[str, AssessmentSummary] = {}
    for row in query.order_by("country", "-version").values(*_FIELDS):
        if row["country"] not in found:
            found[row["country"]] = _summary(row, labels)
    return found


def versions(iso3: str) -> list[AssessmentSummary]:
    """Every version of the country's assessment, newest first."""
    model = _model()
    if model is None:
        return []
    labels = _labels(model)
    return list(
        _versions.get(
            iso3,
            lambda: tuple(
                _summary(row, labels)
                for row in model.objects.filter(country=iso3).order_by("-version").values(*_FIELDS)
            ),
        )
    )


def history_url(iso3: str) -> str:
    """The assessments app's page listing the country's versions ("" without that app)."""
    return _url("assessments:history", iso3)
