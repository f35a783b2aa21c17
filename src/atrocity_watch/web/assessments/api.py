"""``/api/assessments``: read for viewers, write for analysts, review for reviewers.

Writes carry the ``revision`` the client last read; an older one is answered 409 with the
current revision, so a script never overwrites a colleague's edit unknowingly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja import Status as HttpStatus
from ninja.pagination import LimitOffsetPagination, paginate

from atrocity_watch.web.accounts.permissions import ensure, scope_filter
from atrocity_watch.web.api.api import Conflict
from atrocity_watch.web.assessments import services
from atrocity_watch.web.assessments.models import (
    Assessment,
    AssessmentError,
    SelfReviewError,
    Status,
)
from atrocity_watch.web.core import geo

router = Router(tags=["assessments"])

LevelName = Literal["unknown", "not_present", "low", "moderate", "high"]
TrendName = Literal["", "worsening", "stable", "improving"]
ConfidenceName = Literal["", "low", "medium", "high"]
CategoryName = Literal[
    "", "current_crisis", "imminent_risk", "serious_concern", "no_significant_concern"
]


class JudgementPayload(Schema):
    level: LevelName = "unknown"
    trend: TrendName = ""
    confidence: ConfidenceName = ""
    rationale: str = Field("", max_length=2000)


class EvidencePayload(Schema):
    indicator: str = Field("", max_length=8, description="empty: the risk factor as a whole")
    title: str = Field(..., min_length=1, max_length=300)
    url: str = Field("", max_length=500)
    document: str = Field("", max_length=300)
    date: dt.date | None = None
    note: str = Field("", max_length=500)


class RiskFactorPayload(Schema):
    revision: int = Field(..., description="the revision you read; an older one is refused (409)")
    judgements: dict[str, JudgementPayload] = Field(
        ..., description='by item: "7" for the risk factor as a whole, "7.14" for an indicator'
    )
    evidence: list[EvidencePayload] = Field(default_factory=list, max_length=50)


class OverviewPayload(Schema):
    revision: int
    summary: str = Field("", max_length=5000)
    category: CategoryName = ""
    override_reason: str = Field("", max_length=2000)


class RevisionPayload(Schema):
    revision: int


class ReviewPayload(Schema):
    decision: Literal["approve", "return"]
    comment: str = Field("", max_length=5000)


class StartPayload(Schema):
    country: str = Field(..., min_length=3, max_length=3, description="ISO 3166-1 alpha-3")


class AssessmentSummary(Schema):
    id: int
    country: str
    country_name: str
    version: int
    status: str
    category: str
    suggested_category: str
    author: str
    updated_at: dt.datetime
    revision: int


class SuggestionOut(Schema):
    category: str | None
    reasons: list[str]


class AssessmentOut(AssessmentSummary):
    summary: str
    override_reason: str
    review_comment: str
    reviewer: str | None
    based_on_version: int | None
    suggestion: SuggestionOut
    judgements: dict[str, dict[str, str]]
    evidence: list[dict[str, Any]]


def _summary(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "country": a.country,
        "country_name": geo.country_name(a.country),
        "version": a.version,
        "status": a.status,
        "category": a.final_category,
        "suggested_category": a.suggested_category,
        "author": a.author.get_username(),
        "updated_at": a.updated_at,
        "revision": a.revision,
    }


def _full(a: Assessment) -> dict[str, Any]:
    suggestion = services.suggestion(a)
    return {
        **_summary(a),
        "summary": a.summary,
        "override_reason": a.override_reason,
        "review_comment": a.review_comment,
        "reviewer": a.reviewer.get_username() if a.reviewer else None,
        "based_on_version": a.based_on.version if a.based_on else None,
        "suggestion": {
            "category": suggestion.category.value if suggestion.category else None,
            "reasons": list(suggestion.reasons),
        },
        "judgements": services.judgements_of(a),
        "evidence": services.snapshot_list(services.evidence_of(a)),
    }


def _get(request: HttpRequest, pk: int, action: str = "view") -> Assessment:
    assessment = get_object_or_404(Assessment, pk=pk)
    ensure(request.user, action, assessment.country)
    return assessment


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _conflict(exc: services.EditConflict) -> Conflict:
    return Conflict(str(exc), current={"revision": exc.current.revision})


@router.get("/assessments", response=list[AssessmentSummary], summary="Assessments you may see")
@paginate(LimitOffsetPagination)
def list_assessments(
    request: HttpRequest, country: str = "", status: str = ""
) -> list[dict[str, Any]]:
    """Assessment versions of the countries within your scope, newest change first."""
    ensure(request.user, "view")
    rows = scope_filter(Assessment.objects.select_related("author"), request.user, "view")
    if country:
        rows = rows.filter(country=country.upper())
    if status:
        if status not in Status.values:
            raise AssessmentError(f"status must be one of {', '.join(Status.values)}.")
        rows = rows.filter(status=status)
    return [_summary(a) for a in rows.order_by("-updated_at")]


@router.get("/assessments/{pk}", response=AssessmentOut, summary="One assessment version")
def get_assessment(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A version with every judgement, the evidence and the category rule's suggestion."""
    return _full(_get(request, pk))


@router.post("/assessments", response={201: AssessmentOut}, summary="Start a new version")
def start_assessment(request: HttpRequest, payload: StartPayload) -> HttpStatus[dict[str, Any]]:
    """Open a draft for a country (copied from its last approved version). 409 if one is open."""
    country = payload.country.upper()
    if not geo.is_country(country):
        raise AssessmentError(f"{payload.country!r} is not an ISO3 code the registry knows.")
    ensure(request.user, "edit_assessment", country)
    if Assessment.objects.filter(country=country).exclude(status=Status.APPROVED).exists():
        open_version = (
            Assessment.objects.filter(country=country).exclude(status=Status.APPROVED).get()
        )
        raise Conflict(
            f"Version {open_version.version} of this country's assessment is still open.",
            current={"id": open_version.pk, "revision": open_version.revision},
        )
    return HttpStatus(201, _full(services.start(country, _user(request), request)))


@router.put(
    "/assessments/{pk}/risk-factors/{number}",
    response=AssessmentOut,
    summary="Save one risk factor's judgements and evidence",
)
def save_risk_factor(
    request: HttpRequest, pk: int, number: int, payload: RiskFactorPayload
) -> dict[str, Any]:
    """Replace the judgements given and all evidence of risk factor ``number``."""
    assessment = _get(request, pk, "edit_assessment")
    data = services.RiskFactorInput(
        judgements={k: v.dict() for k, v in payload.judgements.items()},
        evidence=[e.dict() for e in payload.evidence],
    )
    try:
        services.save_risk_factor(
            assessment, number, payload.revision, data, _user(request), request
        )
    except services.EditConflict as exc:
        raise _conflict(exc) from None
    return _full(assessment)


@router.patch("/assessments/{pk}", response=AssessmentOut, summary="Save summary and category")
def save_overview(request: HttpRequest, pk: int, payload: OverviewPayload) -> dict[str, Any]:
    """Summary and chosen category (a category other than the suggestion needs a reason)."""
    assessment = _get(request, pk, "edit_assessment")
    try:
        services.save_overview(
            assessment,
            payload.revision,
            payload.summary,
            payload.category,
            payload.override_reason,
            _user(request),
            request,
        )
    except services.EditConflict as exc:
        raise _conflict(exc) from None
    return _full(assessment)


@router.post("/assessments/{pk}/submit", response=AssessmentOut, summary="Submit for review")
def submit_assessment(request: HttpRequest, pk: int, payload: RevisionPayload) -> dict[str, Any]:
    """Send the draft to review."""
    assessment = _get(request, pk, "edit_assessment")
    try:
        services.submit(assessment, payload.revision, _user(request), request)
    except services.EditConflict as exc:
        raise _conflict(exc) from None
    return _full(assessment)


@router.post("/assessments/{pk}/review", response=AssessmentOut, summary="Approve or return")
def review_assessment(request: HttpRequest, pk: int, payload: ReviewPayload) -> dict[str, Any]:
    """Approve a submitted version, or return it with a comment (not your own version)."""
    assessment = _get(request, pk, "review_assessment")
    try:
        if payload.decision == "approve":
            services.approve(assessment, _user(request), payload.comment, request)
        else:
            services.return_for_changes(assessment, _user(request), payload.comment, request)
    except SelfReviewError as exc:
        raise PermissionDenied(str(exc)) from None
    return _full(assessment)


ROUTERS = [("", router)]
