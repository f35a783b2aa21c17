"""The evidence library and suggester the web app uses (one per home folder and process)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from atrocity_watch import config
from atrocity_watch.evidence import Document, EvidenceLibrary


@lru_cache(maxsize=4)
def _library(home: Path, url: str | None) -> EvidenceLibrary:
    return EvidenceLibrary(url=url or "", home=home)


def library() -> EvidenceLibrary:
    """The evidence library of this installation ($ATROCITY_WATCH_HOME or its database URL)."""
    return _library(config.home(), config.env_str("ATROCITY_WATCH_EVIDENCE_DATABASE_URL"))


def suggester() -> Any:
    """The suggester used for uploads (learned, or the trained classifier when there is one)."""
    from atrocity_watch.evidence._suggest import get_suggester

    return get_suggester("learned")


def visible(document: Document, allowed: frozenset[str] | None) -> bool:
    """May a user whose ``view`` scope is ``allowed`` (None: all countries) see ``document``?

    A document is about the country given when it was added; documents added without one (from
    the command line) are shown only to users who see every country.
    """
    if allowed is None:
        return True
    return document.country is not None and document.country in allowed
