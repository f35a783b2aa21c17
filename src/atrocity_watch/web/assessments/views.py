"""Assessment pages: list, start, overview, risk-factor editor, workflow, history, comparison."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from atrocity_watch.framework import FrameworkError, get_framework
from atrocity_watch.web.accounts.permissions import (
    can,
    countries_for,
    ensure,
    require,
    scope_filter,
)
from atrocity_watch.web.assessments import services
from atrocity_watch.web.assessments.diff import compare
from atrocity_watch.web.assessments.forms import (
    EvidenceFormSet,
    OverviewForm,
    ReviewForm,
    RevisionForm,
    RiskFactorForm,
    StartForm,
    risk_factor_input,
)
from atrocity_watch.web.assessments.models import (
    Assessment,
    AssessmentError,
    SelfReviewError,
    Status,
)
from atrocity_watch.web.assessments.panel import country_panel
from atrocity_watch.web.assessments.rules import Category
from atrocity_watch.web.core import geo

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _assessment(request: HttpRequest, pk: int, action: str = "view") -> Assessment:
    assessment = get_object_or_404(Assessment, pk=pk)
    ensure(request.user, action, assessment.country)
    return assessment


def _startable_countries(request: HttpRequest) -> list[tuple[str, str]]:
    allowed = countries_for(request.user, "edit_assessment")
    return [
        (c.iso3, c.name) for c in geo.current_countries() if allowed is None or c.iso3 in allowed
    ]


@require("view")
def assessment_list(request: HttpRequest) -> HttpResponse:
    """Assessments of the countries the user may see, newest first, with filters."""
    assessments = scope_filter(Assessment.objects.all(), request.user, "view")
    status = request.GET.get("status", "")
    country = request.GET.get("country", "").upper()
    if status in Status.values:
        assessments = assessments.filter(status=status)
    if country:
        assessments = assessments.filter(country=country)
    page = Paginator(assessments.order_by("-updated_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_start = can(request.user, "edit_assessment")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "statuses": Status.choices,
            "status": status,
            "country": country,
            "start_form": StartForm(countries=_startable_countries(request)) if can_start else None,
            "names": {a.country: geo.country_name(a.country) for a in page.object_list},
        },
    )


@require("edit_assessment")
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Open a new version for a country (from its last approved version, if any)."""
    form = StartForm(request.POST, countries=_startable_countries(request))
    if not form.is_valid():
        raw = request.POST.get("country", "")
        if raw and geo.is_country(raw):
            ensure(request.user, "edit_assessment", raw)  # a known country outside the scope: 403
        messages.error(request, "Choose one of the countries in the list.")
        return redirect("assessments:list")
    country = form.cleaned_data["country"]
    ensure(request.user, "edit_assessment", country)
    try:
        draft = services.start(country, _user(request), request)
    except AssessmentError as exc:
        messages.warning(request, str(exc))
        existing = (
            Assessment.objects.filter(country=country).exclude(status=Status.APPROVED).first()
        )
        return (
            redirect("assessments:detail", existing.pk)
            if existing
            else redirect("assessments:list")
        )
    messages.success(request, f"Version {draft.version} started.")
    return redirect("assessments:detail", draft.pk)


def _overview_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    framework = get_framework()
    saved = services.judgements_of(assessment)
    evidence_counts: dict[int, int] = {}
    for e in assessment.evidence.all():
        evidence_counts[e.risk_factor] = evidence_counts.get(e.risk_factor, 0) + 1
    rows = []
    for rf in framework:
        overall = saved.get(str(rf.number), {})
        judged = sum(
            1 for i in rf.indicators if saved.get(i.number, {}).get("level", "unknown") != "unknown"
        )
        rows.append(
            {
                "rf": rf,
                "level": overall.get("level", "unknown"),
                "trend": overall.get("trend", ""),
                "confidence": overall.get("confidence", ""),
                "judged": judged,
                "evidence": evidence_counts.get(rf.number, 0),
            }
        )
    user = request.user
    suggestion = services.suggestion(assessment)
    may_edit = assessment.editable and can(user, "edit_assessment", assessment.country)
    may_review = (
        assessment.status == Status.SUBMITTED
        and can(user, "review_assessment", assessment.country)
        and user.pk not in {assessment.author_id, assessment.submitted_by_id}
    )
    return {
        "assessment": assessment,
        "country_name": geo.country_name(assessment.country),
        "framework": framework,
        "rows": rows,
        "suggestion": suggestion,
        "final_category": assessment.category
        or (suggestion.category.value if suggestion.category else ""),
        "categories": {c.value: c.label for c in Category},
        "may_edit": may_edit,
        "may_review": may_review,
        "may_delete": may_edit and (user.pk == assessment.author_id or can(user, "manage_users")),
        "overview_form": OverviewForm(
            initial={
                "revision": assessment.revision,
                "summary": assessment.summary,
                "category": assessment.category,
                "override_reason": assessment.override_reason,
            }
        ),
        "review_form": ReviewForm(),
        "revision_form": RevisionForm(initial={"revision": assessment.revision}),
        "versions": Assessment.objects.filter(country=assessment.country).order_by("-version"),
    }


@require("view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version: the 14 risk factors at a glance, the category, and the workflow."""
    assessment = _assessment(request, pk)
    return render(request, "assessments/detail.html", _overview_context(request, assessment))


@require("edit_assessment")
@require_POST
def save_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the summary and category (refused, with the input kept, if the draft moved on)."""
    assessment = _assessment(request, pk, "edit_assessment")
    form = OverviewForm(request.POST)
    conflict = False
    if form.is_valid():
        try:
            services.save_overview(
                assessment,
                form.cleaned_data["revision"],
                form.cleaned_data["summary"],
                form.cleaned_data["category"],
                form.cleaned_data["override_reason"],
                _user(request),
                request,
            )
        except services.EditConflict as exc:
            conflict = True
            form.add_error(None, str(exc))
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Summary and category saved.")
            return redirect("assessments:detail", assessment.pk)
    context = _overview_context(request, assessment)
    context["overview_form"] = _rebind(form, assessment.revision) if conflict else form
    context["overview_conflict"] = conflict
    return render(request, "assessments/detail.html", context, status=409 if conflict else 400)


def _rebind(form: Any, revision: int) -> Any:
    """The same form with the user's input, ready to be sent again against ``revision``."""
    data = form.data.copy()
    prefix = f"{form.prefix}-" if form.prefix else ""
    data[f"{prefix}revision"] = str(revision)
    rebound = type(form)(data)
    rebound.is_valid()
    for error in form.non_field_errors():
        rebound.add_error(None, error)
    return rebound


def _risk_factor(number: int) -> Any:
    try:
        return get_framework().risk_factor(number)
    except FrameworkError as exc:
        raise Http404(str(exc)) from None


def _editor_forms(
    request: HttpRequest, assessment: Assessment, rf: Any, data: Any = None
) -> tuple[RiskFactorForm, Any]:
    indicators = [(i.number, f"{i.number} {i.label}") for i in rf.indicators]
    if data is None:
        saved = services.judgements_of(assessment)
        initial: dict[str, Any] = {"revision": assessment.revision}
        for key, values in saved.items():
            for name, value in values.items():
                initial[f"{key}-{name}"] = value
        form = RiskFactorForm(initial=initial, risk_factor=rf)
        evidence = EvidenceFormSet(
            prefix="evidence",
            initial=[
                {k: v for k, v in row.items() if k != "risk_factor"}
                for row in services.evidence_of(assessment, rf.number)
            ],
            form_kwargs={"indicators": indicators},
        )
    else:
        form = RiskFactorForm(data, risk_factor=rf)
        evidence = EvidenceFormSet(data, prefix="evidence", form_kwargs={"indicators": indicators})
    return form, evidence


@require("edit_assessment")
def edit_risk_factor(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Judge one risk factor and its indicators, cite evidence, see the panel indicators."""
    assessment = _assessment(request, pk, "edit_assessment")
    rf = _risk_factor(number)
    if not assessment.editable:
        messages.info(
            request,
            f"This version is {assessment.get_status_display().lower()}; it cannot be edited.",
        )
        return redirect("assessments:detail", assessment.pk)
    conflict: services.EditConflict | None = None
    status = 200
    if request.method == "POST":
        form, evidence = _editor_forms(request, assessment, rf, request.POST)
        if form.is_valid() and evidence.is_valid():
            try:
                services.save_risk_factor(
                    assessment,
                    rf.number,
                    form.cleaned_data["revision"],
                    risk_factor_input(form, evidence),
                    _user(request),
                    request,
                )
            except services.EditConflict as exc:
                conflict = exc
                status = 409
                data = request.POST.copy()
                data["revision"] = str(exc.current.revision)
                form, evidence = _editor_forms(request, assessment, rf, data)
                form.is_valid()
                evidence.is_valid()
            except AssessmentError as exc:
                messages.error(request, str(exc))
                return redirect("assessments:detail", assessment.pk)
            else:
                messages.success(request, f"Risk factor {rf.number} saved.")
                if "save_next" in request.POST and rf.number < len(get_framework()):
                    return redirect("assessments:edit", assessment.pk, rf.number + 1)
                return redirect("assessments:detail", assessment.pk)
        else:
            status = 400
    else:
        form, evidence = _editor_forms(request, assessment, rf)
    saved_now = services.judgements_of(assessment) if conflict else {}
    rows = form.rows()
    for row in rows:
        row["theirs"] = saved_now.get(row["key"])
    return render(
        request,
        "assessments/edit_risk_factor.html",
        {
            "assessment": assessment,
            "country_name": geo.country_name(assessment.country),
            "rf": rf,
            "form": form,
            "rows": rows,
            "evidence": evidence,
            "conflict": conflict,
            "theirs_evidence": services.evidence_of(assessment, rf.number) if conflict else [],
            "panel": country_panel(assessment.country),
            "previous": rf.number - 1 if rf.number > 1 else None,
            "next": rf.number + 1 if rf.number < len(get_framework()) else None,
        },
        status=status,
    )


def _revision(request: HttpRequest) -> int:
    form = RevisionForm(request.POST)
    if not form.is_valid():
        raise AssessmentError("The form is missing its revision number; reload the page.")
    return int(form.cleaned_data["revision"])


@require("edit_assessment")
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the draft to review."""
    assessment = _assessment(request, pk, "edit_assessment")
    try:
        services.submit(assessment, _revision(request), _user(request), request)
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Submitted for review. A reviewer other than you will approve it or return it."
        )
    return redirect("assessments:detail", assessment.pk)


@require("review_assessment")
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return a submitted version."""
    assessment = _assessment(request, pk, "review_assessment")
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services.approve(assessment, _user(request), comment, request)
            messages.success(request, f"Version {assessment.version} approved.")
        elif decision == "return":
            services.return_for_changes(assessment, _user(request), comment, request)
            messages.success(request, "Returned to the analysts with your comments.")
        else:
            messages.error(request, "Choose to approve or to return.")
    except SelfReviewError as exc:
        raise PermissionDenied(str(exc)) from None
    except AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("assessments:detail", assessment.pk)


@require("edit_assessment")
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft (its author or an administrator)."""
    assessment = _assessment(request, pk, "edit_assessment")
    if request.user.pk != assessment.author_id and not can(request.user, "manage_users"):
        raise PermissionDenied("Only the author of a draft or an administrator may delete it.")
    try:
        services.delete_draft(assessment, _user(request), request)
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:detail", assessment.pk)
    messages.success(request, "The draft was deleted.")
    return redirect("assessments:list")


@require("view")
def history(request: HttpRequest, iso3: str) -> HttpResponse:
    """Every version of a country's assessment, to open or compare."""
    country = iso3.upper()
    if not geo.is_country(country):
        raise Http404(f"There is no country with the code {iso3!r}.")
    ensure(request.user, "view", country)
    versions = Assessment.objects.filter(country=country).order_by("-version")
    return render(
        request,
        "assessments/history.html",
        {"country": country, "country_name": geo.country_name(country), "versions": versions},
    )


@require("view")
def compare_versions(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """Two versions side by side, with every difference marked."""
    left = _assessment(request, pk)
    right = _assessment(request, other)
    if left.country != right.country:
        raise Http404("Only versions of the same country's assessment can be compared.")
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "assessments/compare.html",
        {
            "left": left,
            "right": right,
            "country_name": geo.country_name(left.country),
            "comparison": compare(left, right, include_unchanged=show_all),
            "show_all": show_all,
        },
    )
