"""Text out of PDF, HTML, DOCX and plain-text files, page by page where pages exist.

The format is recognised from the file's first bytes, not from its name, so a PDF saved as
``report.txt`` is still read as a PDF and a renamed executable is refused. Every failure raises a
:class:`DocumentError` that names the file and says what to do; nothing is half-read.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path

from atrocity_watch.evidence._errors import (
    EmptyDocumentError,
    EncryptedDocumentError,
    UnreadableDocumentError,
    UnsupportedFormatError,
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ""}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


class DocumentFormat(StrEnum):
    """The formats the library reads."""

    PDF = "pdf"
    HTML = "html"
    DOCX = "docx"
    TEXT = "text"

    @property
    def media_type(self) -> str:
        """The IANA media type, for downloads of the original file."""
        return {
            DocumentFormat.PDF: "application/pdf",
            DocumentFormat.HTML: "text/html",
            DocumentFormat.DOCX: (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            DocumentFormat.TEXT: "text/plain",
        }[self]


@dataclass(frozen=True)
class Page:
    """The text of one page (``number`` is None for formats without pages)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class ExtractedText:
    """What was read from one file: its format, title (when it has one) and pages."""

    format: DocumentFormat
    title: str | None
    pages: tuple[Page, ...]

    @property
    def text(self) -> str:
        """All pages joined by blank lines."""
        return "\n\n".join(page.text for page in self.pages)


def detect_format(path: Path, head: bytes) -> DocumentFormat:
    """Recognise the format from the first bytes (and the name only for text vs HTML)."""
    if head.startswith(b"%PDF-"):
        return DocumentFormat.PDF
    if head.startswith(b"PK\x03\x04"):
        return DocumentFormat.DOCX
    if head.startswith(_OLE_MAGIC):
        raise EncryptedDocumentError(
            path,
            "is a password-protected Office file or an old binary .doc; remove the password "
            "or save it as .docx or PDF, then add it again",
        )
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        sniff.startswith((b"<!doctype html", b"<html", b"<?xml"))
        or path.suffix.lower() in _HTML_SUFFIXES
    ):
        return DocumentFormat.HTML
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFormatError(
            path, "is not a PDF, HTML, Word (.docx) or plain-text document"
        )
    if path.suffix.lower() in _TEXT_SUFFIXES or _looks_like_text(head):
        return DocumentFormat.TEXT
    raise UnsupportedFormatError(path, "is not a PDF, HTML, Word (.docx) or plain-text document")


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sniffing window is still text
        return exc.start >= len(head) - 3
    return True


def extract(path: Path, data: bytes) -> ExtractedText:
    """Read ``data`` (the bytes of ``path``) into pages of text.

    Raises :class:`UnsupportedFormatError`, :class:`UnreadableDocumentError`,
    :class:`EncryptedDocumentError` or :class:`EmptyDocumentError`.
    """
    if not data:
        raise EmptyDocumentError(path, "is empty (0 bytes)")
    fmt = detect_format(path, data[:2048])
    if fmt is DocumentFormat.PDF:
        result = _extract_pdf(path, data)
    elif fmt is DocumentFormat.DOCX:
        result = _extract_docx(path, data)
    elif fmt is DocumentFormat.HTML:
        result = _extract_html(path, _decode(path, data))
    else:
        result = ExtractedText(fmt, None, (Page(None, _decode(path, data)),))
    pages = tuple(Page(p.number, _tidy(p.text)) for p in result.pages)
    if not any(p.text for p in pages):
        hint = (
            " (a scanned PDF has images, not text: run OCR on it first)"
            if fmt is DocumentFormat.PDF
            else ""
        )
        raise EmptyDocumentError(path, f"contains no readable text{hint}")
    return ExtractedText(result.format, result.title, pages)


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableDocumentError(path, "is not valid UTF-16 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableDocumentError(
            path,
            f"line {line}: byte {exc.start} is not UTF-8 text; save the file as UTF-8 "
            "and add it again",
        ) from None


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _extract_pdf(path: Path, data: bytes) -> ExtractedText:
    import io

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # An owner password alone (printing/copy restrictions) opens with an empty user
            # password; a real user password cannot be guessed.
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # pypdf raises several types for unsupported ciphers
                opened = False
            if not opened:
                raise EncryptedDocumentError(
                    path, "is a password-protected PDF; remove the password and add it again"
                )
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            pages.append(Page(number, page.extract_text() or ""))
        title = None
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title).strip() or None
    except EncryptedDocumentError:
        raise
    except FileNotDecryptedError:
        raise EncryptedDocumentError(
            path, "is a password-protected PDF; remove the password and add it again"
        ) from None
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocumentError(
            path, f"is a damaged PDF that cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    if not pages:
        raise EmptyDocumentError(path, "is a PDF with no pages")
    return ExtractedText(DocumentFormat.PDF, title, strip_running_lines(pages))


def _line_key(line: str) -> str:
    # "GE.17-13519  3" and "GE.17-13519  4" are the same footer: compare without digits.
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def strip_running_lines(pages: list[Page] | tuple[Page, ...]) -> tuple[Page, ...]:
    """Remove running headers and footers: lines at the top or bottom of most pages.

    UN documents repeat the symbol, the job number and the page number on every page; left in,
    they would be glued to the passages that continue across pages. A short line (up to 60
    characters) among the first or last two of a page is dropped when the same line (digits
    aside) is there on at least 60 % of the pages; documents of fewer than three pages are left
    alone.
    """
    if len(pages) < 3:
        return tuple(pages)
    edges: dict[str, int] = {}
    for page in pages:
        lines = [line for line in page.text.splitlines() if line.strip()]
        for key in {_line_key(line) for line in lines[:2] + lines[-2:] if len(line) <= 60}:
            edges[key] = edges.get(key, 0) + 1
    running = {key for key, count in edges.items() if count >= 0.6 * len(pages)}
    if not running:
        return tuple(pages)
    cleaned = []
    for page in pages:
        lines = page.text.splitlines()
        content = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(content[:2] + content[-2:])
        kept = [
            line for i, line in enumerate(lines) if not (i in edge and _line_key(line) in running)
        ]
        cleaned.append(Page(page.number, "\n".join(kept)))
    return tuple(cleaned)


def _extract_docx(path: Path, data: bytes) -> ExtractedText:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise UnsupportedFormatError(
                    path, "is a ZIP archive but not a Word (.docx) document"
                )
            bad = archive.testzip()
            if bad is not None:
                raise UnreadableDocumentError(path, f"is a damaged Word file ({bad} is corrupt)")
    except zipfile.BadZipFile as exc:
        raise UnreadableDocumentError(path, f"is a damaged Word file ({exc})") from None

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableDocumentError(path, f"is a damaged Word file ({exc})") from None
    except Exception as exc:  # lxml raises its own XMLSyntaxError for broken XML parts
        raise UnreadableDocumentError(
            path, f"is a damaged Word file ({type(exc).__name__}: {exc})"
        ) from None
    blocks = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            blocks.append(" | ".join(cell.text for cell in row.cells))
    title = document.core_properties.title or None
    return ExtractedText(DocumentFormat.DOCX, title, (Page(None, "\n\n".join(blocks)),))


_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "blockquote", "header", "footer", "pre", "dd", "dt", "hr", "td", "th",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "head"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS:
            self._skip += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data.replace("\n", " "))


def _extract_html(path: Path, text: str) -> ExtractedText:
    parser = _TextParser()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        raise UnreadableDocumentError(path, f"is HTML that cannot be parsed ({exc})") from None
    title = html.unescape(" ".join("".join(parser.title).split())) or None
    return ExtractedText(DocumentFormat.HTML, title, (Page(None, "".join(parser.parts)),))
