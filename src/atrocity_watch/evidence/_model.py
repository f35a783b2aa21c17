"""The library's value objects: documents, passages, suggestions, search hits, judgements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atrocity_watch.evidence._errors import EvidenceError


@dataclass(frozen=True)
class Suggestion:
    """A risk factor (and, when known, one of its indicators) a passage may be evidence for.

    ``score`` is in [0, 1]; higher means more likely. ``indicator`` is None when the suggestion
    is at risk-factor level (for example risk factor 14, whose indicators are not in the data).
    """

    risk_factor: int
    indicator: str | None
    score: float

    def __post_init__(self) -> None:
        if not 1 <= self.risk_factor <= 14:
            raise EvidenceError(
                f"The 'risk_factor' of a suggestion must be a number from 1 to 14. "
                f"Got {self.risk_factor!r} instead."
            )
        if self.indicator is not None and int(self.indicator.split(".")[0]) != self.risk_factor:
            raise EvidenceError(
                f"Indicator {self.indicator} does not belong to risk factor {self.risk_factor}."
            )
        if not 0.0 <= self.score <= 1.0:
            raise EvidenceError(
                f"The 'score' of a suggestion must be in [0, 1]. Got {self.score!r} instead."
            )

    def to_json(self) -> dict[str, Any]:
        """The suggestion as the CLI and the API print it."""
        return {
            "risk_factor": self.risk_factor,
            "indicator": self.indicator,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Document:
    """A document in the library: the original file (kept by checksum) and what was read."""

    id: int
    sha256: str
    file_name: str
    format: str
    title: str | None
    language: str
    country: str | None
    countries: tuple[str, ...]
    source_url: str | None
    page_count: int | None
    size_bytes: int
    passage_count: int
    added_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The document as the CLI and the API print it."""
        return {
            "id": self.id,
            "sha256": self.sha256,
            "file_name": self.file_name,
            "format": self.format,
            "title": self.title,
            "language": self.language,
            "country": self.country,
            "countries": list(self.countries),
            "source_url": self.source_url,
            "page_count": self.page_count,
            "size_bytes": self.size_bytes,
            "passage_count": self.passage_count,
            "added_at": self.added_at.isoformat(),
        }


@dataclass(frozen=True)
class Passage:
    """One passage of a document, with what was detected in it and the suggestions made."""

    id: int
    document_id: int
    position: int
    page: int | None
    text: str
    language: str
    countries: tuple[str, ...]
    dates: tuple[str, ...]
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The passage as the CLI and the API print it."""
        return {
            "id": self.id,
            "document_id": self.document_id,
            "position": self.position,
            "page": self.page,
            "text": self.text,
            "language": self.language,
            "countries": list(self.countries),
            "dates": list(self.dates),
            "suggestions": [s.to_json() for s in self.suggestions],
        }


@dataclass(frozen=True)
class AddResult:
    """What adding a file did: the document, and whether it was new or already there."""

    document: Document
    created: bool

    @property
    def duplicate(self) -> bool:
        """True when a file with the same checksum was already in the library."""
        return not self.created


@dataclass(frozen=True)
class SearchHit:
    """A passage that matched a search, with its document and a highlighted excerpt."""

    passage: Passage
    document: Document
    snippet: str

    def citation(self) -> str:
        """How to cite the passage: document, page, date added and address."""
        return cite(self.document, self.passage)

    def to_json(self) -> dict[str, Any]:
        """The hit as the CLI and the API print it."""
        return {
            **self.passage.to_json(),
            "snippet": self.snippet,
            "document": {
                "id": self.document.id,
                "title": self.document.title,
                "file_name": self.document.file_name,
                "source_url": self.document.source_url,
            },
            "citation": self.citation(),
        }


@dataclass(frozen=True)
class Judgement:
    """An analyst's decision on a suggestion: accepted (or relabelled) or rejected."""

    passage_id: int
    risk_factor: int
    indicator: str | None
    accepted: bool
    reviewer: str
    decided_at: datetime


def cite(document: Document, passage: Passage) -> str:
    """A citation an analyst can paste: title or file, page, date added, address."""
    parts = [document.title or document.file_name]
    if passage.page is not None:
        parts.append(f"p. {passage.page}")
    parts.append(f"passage {passage.position + 1}")
    parts.append(f"added {document.added_at.date().isoformat()}")
    if document.source_url:
        parts.append(document.source_url)
    parts.append(f"sha256 {document.sha256[:12]}")
    return ", ".join(parts)
