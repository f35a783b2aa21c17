"""What analysts do with the evidence library: upload documents and decide on suggestions.

Each write runs in one transaction with its audit event. The library's own store is a separate
database: its write (the document, or the judgement the classifier learns from) happens last
inside the transaction, so a failure there rolls the web side back too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.evidence import AddResult, Document, Passage
from atrocity_watch.framework import get_framework
from atrocity_watch.web.assessments.models import (
    EDITABLE,
    Assessment,
    EvidenceReference,
)
from atrocity_watch.web.audit.log import record, snapshot
from atrocity_watch.web.audit.models import Action
from atrocity_watch.web.core.geo import country_name
from atrocity_watch.web.evidence.library import library, suggester
from atrocity_watch.web.evidence.models import Decision, Review


class EvidenceWebError(AtrocityWatchError):
    """A decision or upload that cannot be carried out as asked (the message says why)."""


def upload(
    *,
    name: str,
    data: bytes,
    country: str,
    source_url: str,
    title: str,
    user: User,
    request: HttpRequest | None = None,
) -> AddResult:
    """Add an uploaded file to the library and record it in the audit log (when new)."""
    result = library().add_bytes(
        name,
        data,
        country=country,
        source_url=source_url or None,
        title=title or None,
        suggester=suggester(),
    )
    if result.created:
        doc = result.document
        record(
            Action.CREATE,
            request=request,
            actor=user,
            object_type="evidence.document",
            object_id=str(doc.id),
            object_repr=(doc.title or doc.file_name)[:300],
            country=doc.country or "",
            after={
                "file_name": doc.file_name,
                "sha256": doc.sha256,
                "language": doc.language,
                "passages": doc.passage_count,
                "source_url": doc.source_url,
            },
        )
    return result


def open_assessment(country: str) -> Assessment | None:
    """The country's assessment version that may still be edited, if there is one."""
    return Assessment.objects.filter(country=country, status__in=EDITABLE).first()


def _latest_full_date(passage: Passage) -> date | None:
    days = [d for d in passage.dates if len(d) == 10]
    return date.fromisoformat(max(days)) if days else None


def evidence_fields(document: Document, passage: Passage) -> dict[str, Any]:
    """The citation of a passage as an assessment's evidence reference."""
    name = document.title or document.file_name
    where = f", p. {passage.page}" if passage.page is not None else ""
    excerpt = passage.text if len(passage.text) <= 240 else passage.text[:237] + "..."
    return {
        "title": f"{name}{where}"[:300],
        "url": (document.source_url or "")[:500],
        "document": f"{name}{where}, passage {passage.position + 1}"[:300],
        "date": _latest_full_date(passage),
        "note": (
            f"\u201c{excerpt}\u201d (evidence library passage {passage.id}; "
            f"sha256 {document.sha256[:12]})"
        )[:500],
    }


def decide(
    *,
    document: Document,
    passage: Passage,
    risk_factor: int,
    indicator: str,
    accepted: bool,
    attach: bool,
    user: User,
    request: HttpRequest | None = None,
) -> Review:
    """Record an analyst's decision; an accepted passage may become assessment evidence.

    ``attach`` puts the passage, with its citation, on the country's open assessment version
    under the risk factor (and indicator). The permission checks are the view's job.
    """
    framework = get_framework()
    framework.risk_factor(risk_factor)
    if indicator and framework.indicator(indicator).risk_factor != risk_factor:
        raise EvidenceWebError(f"Indicator {indicator} is not part of risk factor {risk_factor}.")
    suggested = any(
        s.risk_factor == risk_factor and (not indicator or s.indicator == indicator)
        for s in passage.suggestions
    )
    country = document.country or ""
    with transaction.atomic():
        evidence = None
        if accepted and attach:
            if not country:
                raise EvidenceWebError(
                    "This document was added without a country, so it cannot go on an "
                    "assessment; accept it without attaching it."
                )
            assessment = open_assessment(country)
            if assessment is None:
                raise EvidenceWebError(
                    f"There is no open assessment of {country_name(country)} to attach this "
                    "passage to. Start a new version on the Assessments page first, or accept "
                    "the passage without attaching it."
                )
            # Claim a new revision, as the assessment editor does, so that an analyst editing
            # this risk factor at the same moment is told instead of silently overwriting it.
            claimed = Assessment.objects.filter(pk=assessment.pk, status__in=EDITABLE).update(
                revision=F("revision") + 1, updated_at=timezone.now(), updated_by=user
            )
            if not claimed:
                raise EvidenceWebError("The assessment was closed for editing a moment ago.")
            assessment.refresh_from_db()
            evidence = EvidenceReference.objects.create(
                assessment=assessment,
                risk_factor=risk_factor,
                indicator=indicator,
                **evidence_fields(document, passage),
            )
            record(
                Action.EDIT,
                request=request,
                actor=user,
                obj=assessment,
                country=country,
                after={
                    "risk_factor": risk_factor,
                    "revision": assessment.revision,
                    "evidence_added": snapshot(evidence),
                    "from_passage": passage.id,
                },
            )
        review = Review.objects.create(
            passage_id=passage.id,
            document_id=document.id,
            country=country,
            risk_factor=risk_factor,
            indicator=indicator,
            decision=Decision.ACCEPTED if accepted else Decision.REJECTED,
            suggested=suggested,
            reviewer=user,
            evidence=evidence,
        )
        record(
            "review_evidence",
            request=request,
            actor=user,
            obj=review,
            country=country,
            after=snapshot(review),
        )
        library().record_judgement(
            passage.id,
            risk_factor=risk_factor,
            indicator=indicator or None,
            accepted=accepted,
            reviewer=user.get_username(),
        )
    return review
