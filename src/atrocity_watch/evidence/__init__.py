"""The evidence library: documents -> passages -> suggested Framework risk factors and indicators.

Analysts add UN reports, commission-of-inquiry findings, NGO reports and news (PDF, HTML, DOCX,
plain text; English, French, Spanish, Russian, Arabic and more). The library keeps the original
with its checksum, splits the text into passages, detects their language, the countries and dates
they mention, and suggests which risk factors and indicators of the UN Framework of Analysis each
passage is evidence for. Analysts accept or reject suggestions (in the web app); a classifier
learns from their judgements. Everything runs offline.

>>> from atrocity_watch.evidence import get_suggester
>>> suggester = get_suggester()                                  # doctest: +SKIP
>>> suggester.suggest(["Les autorités ont coupé l'accès à Internet."])[0][0]  # doctest: +SKIP
Suggestion(risk_factor=7, indicator='7.6', score=...)
"""

from atrocity_watch.evidence._errors import (
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    EvidenceError,
    InvalidQueryError,
    LabelledSetError,
    ModelError,
    UnknownDocumentError,
    UnreadableDocumentError,
    UnsupportedFormatError,
)
from atrocity_watch.evidence._extract import DocumentFormat, ExtractedText, Page, extract
from atrocity_watch.evidence._language import LANGUAGES, detect_language, language_name
from atrocity_watch.evidence._library import EvidenceLibrary, Suggester
from atrocity_watch.evidence._mentions import detect_countries, detect_dates
from atrocity_watch.evidence._model import (
    AddResult,
    Document,
    Judgement,
    Passage,
    SearchHit,
    Suggestion,
    cite,
)
from atrocity_watch.evidence._passages import split_passages

__all__ = [
    "LANGUAGES",
    "AddResult",
    "Document",
    "DocumentError",
    "DocumentFormat",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "EvidenceError",
    "EvidenceLibrary",
    "ExtractedText",
    "InvalidQueryError",
    "Judgement",
    "LabelledSetError",
    "ModelError",
    "Page",
    "Passage",
    "SearchHit",
    "Suggester",
    "Suggestion",
    "UnknownDocumentError",
    "UnreadableDocumentError",
    "UnsupportedFormatError",
    "cite",
    "detect_countries",
    "detect_dates",
    "detect_language",
    "extract",
    "language_name",
    "split_passages",
]
