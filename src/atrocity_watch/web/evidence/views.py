"""Evidence pages: library and search, upload, document, review queue, passage decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.evidence import (
    Document,
    DocumentError,
    EvidenceError,
    UnknownDocumentError,
    language_name,
)
from atrocity_watch.framework import get_framework
from atrocity_watch.web.accounts.permissions import can, countries_for, ensure, require
from atrocity_watch.web.audit.log import record
from atrocity_watch.web.audit.models import Action
from atrocity_watch.web.core import geo
from atrocity_watch.web.evidence import services
from atrocity_watch.web.evidence.forms import DecisionForm, SearchForm, UploadForm
from atrocity_watch.web.evidence.library import library, visible
from atrocity_watch.web.evidence.models import Review

QUEUE_SIZE = 30


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _check(request: HttpRequest, document: Document, action: str) -> None:
    if document.country:
        ensure(request.user, action, document.country)
    elif countries_for(request.user, action) is not None:
        raise PermissionDenied(
            "This document was added without a country; only users whose role covers every "
            "country can open it."
        )


def _document(request: HttpRequest, pk: int, action: str = "view") -> Document:
    try:
        document = library().document(pk)
    except UnknownDocumentError:
        raise Http404(f"There is no document {pk} in the evidence library.") from None
    _check(request, document, action)
    return document


def _names() -> dict[str, str]:
    return {c.iso3: c.name for c in geo.current_countries()}


@require("view")
def library_page(request: HttpRequest) -> HttpResponse:
    """Documents the user may see, and passage search."""
    allowed = countries_for(request.user, "view")
    form = SearchForm(request.GET or None)
    hits: list[Any] = []
    error = ""
    if form.is_bound and form.is_valid() and form.searching:
        data = form.cleaned_data
        try:
            found = library().search(
                data["q"],
                country=data["country"] or None,
                risk_factor=data["risk_factor"],
                indicator=data["indicator"] or None,
                language=data["language"] or None,
                since=data["since"],
                until=data["until"],
                limit=200,
            )
        except AtrocityWatchError as exc:
            error = str(exc)
        else:
            hits = [h for h in found if visible(h.document, allowed)][:50]
    documents = [d for d in library().documents() if visible(d, allowed)][:100]
    status = 400 if error or (form.is_bound and not form.is_valid()) else 200
    return render(
        request,
        "evidence/library.html",
        {
            "form": form,
            "hits": hits,
            "error": error,
            "documents": documents,
            "names": _names(),
            "may_upload": can(request.user, "edit_assessment"),
            "framework": get_framework(),
        },
        status=status,
    )


@require("edit_assessment")
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a document for a country in the user's analyst scope."""
    allowed = countries_for(request.user, "edit_assessment")
    countries = [
        (c.iso3, c.name) for c in geo.current_countries() if allowed is None or c.iso3 in allowed
    ]
    form = UploadForm(request.POST or None, request.FILES or None, countries=countries)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            ensure(request.user, "edit_assessment", data["country"])
            upload_file = data["file"]
            try:
                result = services.upload(
                    name=upload_file.name,
                    data=upload_file.read(),
                    country=data["country"],
                    source_url=data["source_url"],
                    title=data["title"],
                    user=_user(request),
                    request=request,
                )
            except (DocumentError, EvidenceError) as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                doc = result.document
                if result.created:
                    messages.success(
                        request,
                        f"Added {doc.file_name}: {doc.passage_count} passages in "
                        f"{language_name(doc.language)}, with suggested indicators to review.",
                    )
                else:
                    messages.info(
                        request,
                        f"{upload_file.name} is already in the library (same content) as "
                        f"“{doc.title or doc.file_name}”; it was not added again.",
                    )
                return redirect("evidence:document", pk=doc.id)
        else:
            status = 400
    return render(request, "evidence/upload.html", {"form": form}, status=status)


def _decisions(passage_ids: list[int]) -> dict[int, list[Review]]:
    found: dict[int, list[Review]] = {pid: [] for pid in passage_ids}
    for review in Review.objects.filter(passage_id__in=passage_ids).select_related("reviewer"):
        found[review.passage_id].append(review)
    return found


@require("view")
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document's passages with their suggestions and the decisions taken."""
    doc = _document(request, pk)
    passages = library().passages(doc.id)
    decisions = _decisions([p.id for p in passages])
    return render(
        request,
        "evidence/document.html",
        {
            "document": doc,
            "rows": [(p, decisions[p.id]) for p in passages],
            "names": _names(),
            "framework": get_framework(),
            "may_review": doc.country is not None
            and can(request.user, "edit_assessment", doc.country),
        },
    )


@require("view")
def original(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the original file exactly as it was added (its checksum is on the page)."""
    doc = _document(request, pk)
    path = library().original(doc)
    if not path.is_file():
        raise Http404("The original file is missing from the home folder; restore it from backup.")
    from atrocity_watch.evidence import DocumentFormat

    record(
        Action.EXPORT,
        request=request,
        object_type="evidence.document",
        object_id=str(doc.id),
        object_repr=(doc.title or doc.file_name)[:300],
        country=doc.country or "",
    )
    response: Any = FileResponse(  # a streaming response, served like any other
        path.open("rb"),
        as_attachment=True,
        filename=doc.file_name,
        content_type=DocumentFormat(doc.format).media_type,
    )
    return response  # type: ignore[no-any-return]


@require("edit_assessment")
def queue(request: HttpRequest) -> HttpResponse:
    """Passages with suggestions no analyst has decided on yet, in the user's analyst scope."""
    allowed = countries_for(request.user, "edit_assessment")
    pending: list[tuple[Document, Any]] = []
    for doc in library().documents():
        if doc.country is None or not visible(doc, allowed):
            continue
        passages = [p for p in library().passages(doc.id) if p.suggestions]
        decided = set(
            Review.objects.filter(passage_id__in=[p.id for p in passages]).values_list(
                "passage_id", flat=True
            )
        )
        pending.extend((doc, p) for p in passages if p.id not in decided)
        if len(pending) >= QUEUE_SIZE:
            break
    return render(
        request,
        "evidence/queue.html",
        {"pending": pending[:QUEUE_SIZE], "names": _names(), "framework": get_framework()},
    )


def _passage(request: HttpRequest, pk: int, action: str) -> tuple[Document, Any]:
    try:
        passage = library().passage(pk)
    except UnknownDocumentError:
        raise Http404(f"There is no passage {pk} in the evidence library.") from None
    return _document(request, passage.document_id, action), passage


@require("view")
def passage(request: HttpRequest, pk: int) -> HttpResponse:
    """One passage: its citation, the suggestions, and (for analysts) the decision forms."""
    doc, item = _passage(request, pk, "view")
    return _passage_page(request, doc, item, DecisionForm(), status=200)


def _passage_page(
    request: HttpRequest, doc: Document, item: Any, form: DecisionForm, status: int
) -> HttpResponse:
    from atrocity_watch.evidence import cite

    may_review = doc.country is not None and can(request.user, "edit_assessment", doc.country)
    assessment = services.open_assessment(doc.country) if doc.country else None
    return render(
        request,
        "evidence/passage.html",
        {
            "document": doc,
            "passage": item,
            "citation": cite(doc, item),
            "decisions": _decisions([item.id])[item.id],
            "form": form,
            "may_review": may_review,
            "assessment": assessment,
            "framework": get_framework(),
            "names": _names(),
        },
        status=status,
    )


@require_POST
@require("edit_assessment")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept (optionally attaching to the assessment), relabel, or reject a suggestion."""
    doc, item = _passage(request, pk, "edit_assessment")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _passage_page(request, doc, item, form, status=400)
    data = form.cleaned_data
    try:
        review = services.decide(
            document=doc,
            passage=item,
            risk_factor=data["risk_factor"],
            indicator=data["indicator"] or "",
            accepted=data["decision"] == "accept",
            attach=data["attach"],
            user=_user(request),
            request=request,
        )
    except AtrocityWatchError as exc:
        form.add_error(None, str(exc))
        return _passage_page(request, doc, item, form, status=400)
    item_name = review.indicator or f"risk factor {review.risk_factor}"
    if review.evidence is not None:
        version = review.evidence.assessment.version
        messages.success(
            request,
            f"Accepted as evidence for {item_name} and attached to the assessment of "
            f"{geo.country_name(review.country)} (version {version}, linked below).",
        )
    else:
        messages.success(request, f"{review.get_decision_display().capitalize()}: {item_name}.")
    return redirect("evidence:passage", pk=item.id)
