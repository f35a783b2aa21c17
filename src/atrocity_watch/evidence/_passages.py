"""Splitting text into passages an analyst can read and cite.

A passage is one paragraph, or a run of short paragraphs (a heading stays with the paragraph that
follows it), or a slice of sentences from a paragraph too long to read as one piece. Passages never
cross a page, so every passage cites exactly one page of a PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atrocity_watch.evidence._extract import Page

#: Passages shorter than this are joined to their neighbour (headings, list items).
MIN_CHARS = 160
#: Passages longer than this are split at sentence boundaries.
MAX_CHARS = 1200

# A sentence ends with . ! ? … or the Arabic question mark, followed by space and then a capital,
# a digit, an opening quote/bracket or a non-Latin letter (Arabic and Chinese have no capitals).
_SENTENCE_END = re.compile(r"(?<=[.!?…؟。])[\"'»”)]?\s+(?=[\"'«“(\[]?[^\W\d_a-z]|\d)")
# Lines a PDF breaks mid-sentence: a line that does not end a sentence continues on the next.
_LINE_JOIN = re.compile(r"(?<![.!?:;…؟。])\n(?!\n)")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


@dataclass(frozen=True)
class PassageText:
    """One passage before it is stored: its position in the document, page and text."""

    position: int
    page: int | None
    text: str


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (rule-based, language-neutral)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _paragraphs(text: str) -> list[str]:
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    blocks = re.split(r"\n\s*\n", text)
    out: list[str] = []
    for block in blocks:
        # Inside a block, single line breaks are either wrapped lines or separate short lines
        # (a PDF without blank lines between paragraphs): join lines that do not end a sentence.
        joined = _LINE_JOIN.sub(" ", block.strip())
        for part in joined.split("\n"):
            part = " ".join(part.split())
            if part:
                out.append(part)
    return out


def _split_long(paragraph: str, max_chars: int) -> list[str]:
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in split_sentences(paragraph):
        while len(sentence) > max_chars:  # one enormous "sentence": cut at a space
            cut = sentence.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > max_chars:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def split_passages(
    pages: tuple[Page, ...] | list[Page],
    *,
    min_chars: int = MIN_CHARS,
    max_chars: int = MAX_CHARS,
) -> list[PassageText]:
    """Split pages into passages of roughly ``min_chars`` to ``max_chars`` characters.

    >>> from atrocity_watch.evidence._extract import Page
    >>> [p.text for p in split_passages([Page(1, "Title\\n\\nA first paragraph that is long enough.")], min_chars=10)]
    ['Title A first paragraph that is long enough.']
    """  # noqa: E501
    if not 0 < min_chars < max_chars:
        raise ValueError(
            f"min_chars must be positive and below max_chars. Got {min_chars} and {max_chars}."
        )
    passages: list[PassageText] = []
    for page in pages:
        pending = ""
        for paragraph in _paragraphs(page.text):
            for piece in _split_long(paragraph, max_chars):
                candidate = f"{pending} {piece}".strip() if pending else piece
                if len(candidate) < min_chars:
                    pending = candidate
                    continue
                if pending and len(candidate) > max_chars:
                    passages.append(PassageText(len(passages), page.number, pending))
                    candidate = piece
                    if len(candidate) < min_chars:
                        pending = candidate
                        continue
                passages.append(PassageText(len(passages), page.number, candidate))
                pending = ""
        if pending:
            if (
                passages
                and passages[-1].page == page.number
                and (len(passages[-1].text) + len(pending) < max_chars)
            ):
                last = passages.pop()
                pending = f"{last.text} {pending}"
            passages.append(PassageText(len(passages), page.number, pending))
    return passages
