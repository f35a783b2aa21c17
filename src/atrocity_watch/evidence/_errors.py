"""The evidence library's exception family.

Every error names the file (or passage, or model) it concerns and says what to do. None of them
writes, logs or prints: raising one never has a side effect.
"""

from __future__ import annotations

from pathlib import Path

from atrocity_watch.errors import AtrocityWatchError


class EvidenceError(AtrocityWatchError):
    """Base class of the evidence library's errors."""


class DocumentError(EvidenceError):
    """A document cannot be taken into the library; nothing of it was stored."""

    def __init__(self, file: str | Path, reason: str) -> None:
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{Path(self.file).name}: {reason}")


class UnsupportedFormatError(DocumentError):
    """The file is not a PDF, HTML, DOCX or plain-text document."""


class UnreadableDocumentError(DocumentError):
    """The file claims a format but is damaged (truncated, corrupt, not what it says)."""


class EncryptedDocumentError(DocumentError):
    """The file is protected by a password; its text cannot be read."""


class EmptyDocumentError(DocumentError):
    """The file holds no text that could be read (for example a scanned PDF without OCR)."""


class UnknownDocumentError(EvidenceError):
    """No document or passage with that identifier is in the library."""


class InvalidQueryError(EvidenceError):
    """A search query or filter cannot be understood."""


class LabelledSetError(EvidenceError):
    """The labelled evaluation set (or a training file) is malformed."""


class ModelError(EvidenceError):
    """An embedding model or a trained classifier cannot be used."""
