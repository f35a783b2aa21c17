"""What can happen to an assessment: start, edit, submit, approve, return, delete.

Each operation runs in one transaction with its audit event. Permission checks (role and scope)
are the views' and endpoints' job; these functions enforce the workflow: states, the reviewer
not being the author, immutability once approved, and optimistic concurrency on drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import HttpRequest
from django.utils import timezone

from atrocity_watch.framework import get_framework
from atrocity_watch.web.assessments.models import (
    EDITABLE,
    Assessment,
    AssessmentError,
    EvidenceReference,
    Judgement,
    SelfReviewError,
    Status,
)
from atrocity_watch.web.assessments.rules import Category, Level, Suggestion, suggest_category
from atrocity_watch.web.audit.log import record, snapshot
from atrocity_watch.web.audit.models import Action
from atrocity_watch.web.core.geo import country_name

JUDGEMENT_FIELDS = ("level", "trend", "confidence", "rationale")
EVIDENCE_FIELDS = ("indicator", "title", "url", "document", "date", "note")


class EditConflict(AssessmentError):
    """The draft was saved by someone else since the form was opened."""

    def __init__(self, current: Assessment) -> None:
        self.current = current
        who = current.updated_by.get_username() if current.updated_by else "someone"
        when = timezone.localtime(current.updated_at).strftime("%H:%M:%S on %d %b %Y (UTC)")
        super().__init__(
            f"{who} saved this draft at {when}, after you opened it. Your changes were NOT saved, "
            "so that theirs are not overwritten. Your input is shown below beside what is saved "
            "now: reapply what you still want and save again."
        )


def _key(risk_factor: int, indicator: str) -> str:
    return indicator or str(risk_factor)


def judgements_of(assessment: Assessment) -> dict[str, dict[str, str]]:
    """Saved judgements by key ("7" for the risk factor, "7.14" for an indicator)."""
    return {
        _key(j.risk_factor, j.indicator): {f: getattr(j, f) for f in JUDGEMENT_FIELDS}
        for j in assessment.judgements.all()
    }


def evidence_of(assessment: Assessment, risk_factor: int | None = None) -> list[dict[str, Any]]:
    """Evidence references as plain data (for one risk factor, or all)."""
    rows = assessment.evidence.all()
    if risk_factor is not None:
        rows = rows.filter(risk_factor=risk_factor)
    return [
        {"risk_factor": e.risk_factor, **{f: getattr(e, f) for f in EVIDENCE_FIELDS}} for e in rows
    ]


def full_snapshot(assessment: Assessment) -> dict[str, Any]:
    """Everything about a version, for the audit log and the API."""
    return {
        **snapshot(assessment),
        "judgements": judgements_of(assessment),
        "evidence": snapshot_list(evidence_of(assessment)),
    }


def snapshot_list(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence rows with dates as text (JSON-ready)."""
    return [{**r, "date": r["date"].isoformat() if r.get("date") else None} for r in rows]


def levels(assessment: Assessment) -> dict[int, Level]:
    """The level of each risk factor judged so far."""
    found: dict[int, Level] = {}
    for j in assessment.judgements.all():
        if not j.indicator:
            found[j.risk_factor] = Level(j.level)
    return found


def suggestion(assessment: Assessment) -> Suggestion:
    """The category rule's suggestion for the current judgements."""
    return suggest_category(levels(assessment))


def _bump(assessment: Assessment, expected_revision: int, user: User) -> None:
    """Claim the next revision of an editable draft, or raise :class:`EditConflict`."""
    claimed = Assessment.objects.filter(
        pk=assessment.pk, revision=expected_revision, status__in=EDITABLE
    ).update(revision=F("revision") + 1, updated_at=timezone.now(), updated_by=user)
    assessment.refresh_from_db()
    if claimed:
        return
    if not assessment.editable:
        raise AssessmentError(
            f"This assessment is {assessment.get_status_display().lower()} and can no longer be "
            "edited."
        )
    raise EditConflict(assessment)


def start(country: str, user: User, request: HttpRequest | None = None) -> Assessment:
    """Open a new draft version for ``country``, copied from its last approved version."""
    country = country.upper()
    open_version = Assessment.objects.filter(country=country).exclude(status=Status.APPROVED)
    existing = open_version.first()
    if existing is not None:
        raise AssessmentError(
            f"Version {existing.version} of the assessment of {country_name(country)} is still "
            f"open ({existing.get_status_display().lower()}); continue it instead."
        )
    base = (
        Assessment.objects.filter(country=country, status=Status.APPROVED)
        .order_by("-version")
        .first()
    )
    try:
        with transaction.atomic():
            latest = Assessment.objects.filter(country=country).aggregate(v=Max("version"))["v"]
            draft = Assessment.objects.create(
                country=country,
                version=(latest or 0) + 1,
                based_on=base,
                author=user,
                updated_by=user,
                summary=base.summary if base else "",
            )
            if base is not None:
                Judgement.objects.bulk_create(
                    Judgement(
                        assessment=draft,
                        risk_factor=j.risk_factor,
                        indicator=j.indicator,
                        **{f: getattr(j, f) for f in JUDGEMENT_FIELDS},
                    )
                    for j in base.judgements.all()
                )
                EvidenceReference.objects.bulk_create(
                    EvidenceReference(
                        assessment=draft,
                        risk_factor=e.risk_factor,
                        **{f: getattr(e, f) for f in EVIDENCE_FIELDS},
                    )
                    for e in base.evidence.all()
                )
            record(
                Action.CREATE,
                request=request,
                actor=user,
                obj=draft,
                country=country,
                after=full_snapshot(draft),
            )
    except IntegrityError:
        # Two analysts pressed "start" at the same moment: the other one won.
        raise AssessmentError(
            f"Someone else has just started an assessment of {country_name(country)}; open it "
            "from the list."
        ) from None
    return draft


@dataclass(frozen=True)
class RiskFactorInput:
    """What the editor of one risk factor sends: judgements by key and evidence rows."""

    judgements: dict[str, dict[str, str]]
    evidence: list[dict[str, Any]]


def save_risk_factor(
    assessment: Assessment,
    risk_factor: int,
    expected_revision: int,
    data: RiskFactorInput,
    user: User,
    request: HttpRequest | None = None,
) -> None:
    """Save the judgements and evidence of one risk factor (refused if the draft moved on)."""
    rf = get_framework().risk_factor(risk_factor)
    allowed = {str(rf.number), *(i.number for i in rf.indicators)}
    unknown = set(data.judgements) - allowed
    if unknown:
        raise AssessmentError(
            f"Risk factor {rf.number} has no item(s) {', '.join(sorted(unknown))}."
        )
    with transaction.atomic():
        before = {
            "judgements": {k: v for k, v in judgements_of(assessment).items() if k in allowed},
            "evidence": snapshot_list(evidence_of(assessment, rf.number)),
        }
        _bump(assessment, expected_revision, user)
        for key, values in data.judgements.items():
            Judgement.objects.update_or_create(
                assessment=assessment,
                risk_factor=rf.number,
                indicator="" if key == str(rf.number) else key,
                defaults={f: values.get(f, "") or "" for f in JUDGEMENT_FIELDS}
                | {"level": values.get("level") or Level.UNKNOWN.value},
            )
        assessment.evidence.filter(risk_factor=rf.number).delete()
        EvidenceReference.objects.bulk_create(
            EvidenceReference(assessment=assessment, risk_factor=rf.number, **row)
            for row in data.evidence
        )
        after = {
            "judgements": {k: v for k, v in judgements_of(assessment).items() if k in allowed},
            "evidence": snapshot_list(evidence_of(assessment, rf.number)),
        }
        record(
            Action.EDIT,
            request=request,
            actor=user,
            obj=assessment,
            country=assessment.country,
            before={"risk_factor": rf.number, **before},
            after={"risk_factor": rf.number, "revision": assessment.revision, **after},
        )


def check_category(assessment: Assessment, category: str, reason: str) -> None:
    """Raise unless the chosen category is the suggestion or comes with a reason."""
    suggested = suggestion(assessment).category
    if category and category not in {c.value for c in Category}:
        raise AssessmentError(f"{category!r} is not a category.")
    if category and (suggested is None or category != suggested.value) and not reason.strip():
        raise AssessmentError(
            "You chose a category other than the suggested one: say why in 'Reason for the "
            "category' (reviewers and later readers need it)."
        )


def save_overview(
    assessment: Assessment,
    expected_revision: int,
    summary: str,
    category: str,
    override_reason: str,
    user: User,
    request: HttpRequest | None = None,
) -> None:
    """Save the summary and the chosen category (with the reason for an override)."""
    check_category(assessment, category, override_reason)
    with transaction.atomic():
        before = snapshot(assessment, ("summary", "category", "override_reason"))
        _bump(assessment, expected_revision, user)
        assessment.summary = summary
        assessment.category = category
        assessment.override_reason = override_reason.strip() if category else ""
        assessment.save(update_fields=["summary", "category", "override_reason"])
        record(
            Action.EDIT,
            request=request,
            actor=user,
            obj=assessment,
            country=assessment.country,
            before=before,
            after=snapshot(assessment, ("summary", "category", "override_reason", "revision")),
        )


def submit(
    assessment: Assessment, expected_revision: int, user: User, request: HttpRequest | None = None
) -> None:
    """Send a draft to review; it must have a category (suggested or chosen with a reason)."""
    suggested = suggestion(assessment)
    check_category(assessment, assessment.category, assessment.override_reason)
    if not assessment.category and suggested.category is None:
        raise AssessmentError("There is no category yet: " + " ".join(suggested.reasons))
    with transaction.atomic():
        before = snapshot(assessment)
        _bump(assessment, expected_revision, user)
        assessment.status = Status.SUBMITTED
        assessment.suggested_category = suggested.category.value if suggested.category else ""
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = user
        assessment.save()
        record(
            Action.SUBMIT,
            request=request,
            actor=user,
            obj=assessment,
            country=assessment.country,
            before=before,
            after=snapshot(assessment),
        )


def _review(
    assessment: Assessment,
    user: User,
    comment: str,
    new_status: Status,
    action: str,
    request: HttpRequest | None,
) -> None:
    if assessment.status != Status.SUBMITTED:
        raise AssessmentError(
            f"Only a submitted assessment can be reviewed; this one is "
            f"{assessment.get_status_display().lower()}."
        )
    if user.pk in {assessment.author_id, assessment.submitted_by_id}:
        raise SelfReviewError(
            "You wrote or submitted this version: another reviewer must review it."
        )
    with transaction.atomic():
        before = snapshot(assessment)
        moved = Assessment.objects.filter(pk=assessment.pk, status=Status.SUBMITTED).update(
            status=new_status,
            reviewer=user,
            reviewed_at=timezone.now(),
            review_comment=comment.strip(),
            revision=F("revision") + 1,
        )
        if not moved:
            raise AssessmentError("Someone else has just reviewed this version.")
        assessment.refresh_from_db()
        record(
            action,
            request=request,
            actor=user,
            obj=assessment,
            country=assessment.country,
            before=before,
            after=snapshot(assessment),
        )


def approve(
    assessment: Assessment, user: User, comment: str = "", request: HttpRequest | None = None
) -> None:
    """Approve a submitted version (by a reviewer who neither wrote nor submitted it)."""
    _review(assessment, user, comment, Status.APPROVED, Action.APPROVE, request)


def return_for_changes(
    assessment: Assessment, user: User, comment: str, request: HttpRequest | None = None
) -> None:
    """Send a submitted version back to the analysts, with comments saying what to change."""
    if not comment.strip():
        raise AssessmentError("Say what should change: returning needs a comment.")
    _review(assessment, user, comment, Status.RETURNED, Action.RETURN, request)


def delete_draft(assessment: Assessment, user: User, request: HttpRequest | None = None) -> None:
    """Delete a draft or returned version (never a submitted or approved one)."""
    if not assessment.editable:
        raise AssessmentError(
            f"A {assessment.get_status_display().lower()} assessment cannot be deleted."
        )
    with transaction.atomic():
        record(
            Action.DELETE,
            request=request,
            actor=user,
            obj=assessment,
            country=assessment.country,
            before=full_snapshot(assessment),
        )
        assessment.delete()
