"""``/api/evidence/…``: suggestions, passage search and documents, for scripts.

``POST /api/evidence/suggest`` answers exactly what ``atrocity-watch evidence suggest --json``
prints: one object for ``text``, a list in input order for ``texts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from atrocity_watch.web.accounts.permissions import countries_for, ensure
from atrocity_watch.web.evidence.library import library, visible

router = Router(tags=["evidence"])


class SuggestRequest(Schema):
    text: str | None = Field(None, max_length=20_000, description="one passage")
    texts: list[str] | None = Field(None, max_length=500, description="many passages, in order")
    top: int = Field(3, ge=1, le=14, description="risk factors per passage")
    method: str = Field("learned", pattern="^(learned|zero-shot|tfidf)$")


class SuggestionOut(Schema):
    risk_factor: int
    indicator: str | None
    score: float


class SuggestResponse(Schema):
    language: str
    suggestions: list[SuggestionOut]


class DocumentOut(Schema):
    id: int
    sha256: str
    file_name: str
    format: str
    title: str | None
    language: str
    country: str | None
    countries: list[str]
    source_url: str | None
    page_count: int | None
    size_bytes: int
    passage_count: int
    added_at: dt.datetime


class HitOut(Schema):
    id: int
    document_id: int
    page: int | None
    language: str
    countries: list[str]
    dates: list[str]
    text: str
    snippet: str
    citation: str
    suggestions: list[SuggestionOut]


@router.post("/suggest", response=SuggestResponse | list[SuggestResponse])
def suggest_evidence(request: HttpRequest, payload: SuggestRequest) -> Any:
    """Suggest risk factors and indicators for a passage (``text``) or passages (``texts``)."""
    from atrocity_watch.errors import AtrocityWatchError
    from atrocity_watch.evidence import detect_language
    from atrocity_watch.evidence._suggest import get_suggester

    ensure(request.user, "view")
    if (payload.text is None) == (payload.texts is None):
        raise AtrocityWatchError('Give either "text" (one passage) or "texts" (a list), not both.')
    passages = [payload.text] if payload.text is not None else list(payload.texts or [])
    if not passages or any(not p.strip() for p in passages):
        raise AtrocityWatchError("Every passage must contain some text.")
    found = get_suggester(payload.method).suggest(passages, payload.top)
    results = [
        {"language": detect_language(p), "suggestions": [s.to_json() for s in suggestions]}
        for p, suggestions in zip(passages, found, strict=True)
    ]
    return results[0] if payload.text is not None else results


@router.get("/documents", response=list[DocumentOut])
def list_evidence_documents(request: HttpRequest, country: str = "", language: str = "") -> Any:
    """Documents in the library that you may see, newest first."""
    ensure(request.user, "view")
    allowed = countries_for(request.user, "view")
    documents = library().documents(country=country or None, language=language or None)
    return [d.to_json() for d in documents if visible(d, allowed)]


@router.get("/search", response=list[HitOut])
def search_evidence(
    request: HttpRequest,
    q: str = "",
    country: str = "",
    indicator: str = "",
    risk_factor: int | None = None,
    language: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
) -> Any:
    """Passages matching the words and filters, in documents you may see (at most 200)."""
    from atrocity_watch.errors import AtrocityWatchError

    ensure(request.user, "view")
    if not 1 <= limit <= 200:
        raise AtrocityWatchError(f"'limit' must be from 1 to 200. Got {limit} instead.")
    allowed = countries_for(request.user, "view")
    hits = library().search(
        q,
        country=country or None,
        indicator=indicator or None,
        risk_factor=risk_factor,
        language=language or None,
        since=since,
        until=until,
        limit=500,
    )
    out = []
    for hit in hits:
        if visible(hit.document, allowed):
            out.append(
                {**hit.passage.to_json(), "snippet": hit.snippet, "citation": hit.citation()}
            )
        if len(out) >= limit:
            break
    return out


ROUTERS = [("/evidence", router)]
