"""Reading documents: every format, and every way a file can be unusable."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from tests.evidence.conftest import make_docx, make_pdf

from atrocity_watch.evidence import (
    DocumentFormat,
    EmptyDocumentError,
    EncryptedDocumentError,
    UnreadableDocumentError,
    UnsupportedFormatError,
    extract,
)


def test_pdf_text_keeps_page_numbers_and_title() -> None:
    data = make_pdf([["First page about Syria."], ["Second page about Myanmar."]], title="Report")
    result = extract(Path("report.pdf"), data)
    assert result.format is DocumentFormat.PDF
    assert result.title == "Report"
    assert [p.number for p in result.pages] == [1, 2]
    assert "Syria" in result.pages[0].text and "Myanmar" in result.pages[1].text


def test_running_headers_and_footers_of_pdfs_are_removed() -> None:
    body = "The commission documented arbitrary detention and torture in {n} facilities."
    words = ["Alpha.", "Beta.", "Gamma.", "Delta."]  # short, but not the same on every page
    pages = [
        ["A/HRC/36/54", body.format(n=n), words[n - 1], f"GE.17-13519 {n}"] for n in range(1, 5)
    ]
    result = extract(Path("report.pdf"), make_pdf(pages))
    assert "A/HRC/36/54" not in result.text and "GE.17" not in result.text
    assert [p.text for p in result.pages] == [
        f"{body.format(n=n)}\n{words[n - 1]}" for n in range(1, 5)
    ]


def test_short_pdfs_keep_every_line() -> None:
    result = extract(Path("two.pdf"), make_pdf([["A/HRC/1", "Text one."], ["A/HRC/1", "Two."]]))
    assert result.text.count("A/HRC/1") == 2


def test_format_comes_from_content_not_name() -> None:
    data = make_pdf([["A PDF saved under a text name."]])
    assert extract(Path("misnamed.txt"), data).format is DocumentFormat.PDF


def test_password_protected_pdf_is_refused_by_name() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf([["Secret text."]]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EncryptedDocumentError, match=r"locked\.pdf: is a password-protected PDF"):
        extract(Path("locked.pdf"), out.getvalue())


def test_pdf_with_owner_password_only_is_read() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf([["Printable but restricted."]]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "restricted" in extract(Path("restricted.pdf"), out.getvalue()).text


def test_truncated_pdf_is_refused_as_damaged() -> None:
    data = make_pdf([["Some text that will be cut off."]])[:60]
    with pytest.raises((UnreadableDocumentError, EmptyDocumentError), match=r"cut\.pdf: "):
        extract(Path("cut.pdf"), data)


def test_garbage_after_pdf_header_is_damaged() -> None:
    with pytest.raises(UnreadableDocumentError, match=r"bad\.pdf: is a damaged PDF"):
        extract(Path("bad.pdf"), b"%PDF-1.7\n" + b"\x00\xff garbage " * 50)


def test_pdf_without_text_layer_says_ocr_is_needed() -> None:
    with pytest.raises(EmptyDocumentError, match="scanned PDF"):
        extract(Path("scan.pdf"), make_pdf([[]]))


def test_docx_paragraphs_tables_and_title() -> None:
    data = make_docx(["Premier paragraphe sur le Burundi.", "Second paragraphe."], title="Rapport")
    result = extract(Path("rapport.docx"), data)
    assert result.format is DocumentFormat.DOCX
    assert result.title == "Rapport"
    assert "Burundi" in result.text and "Table cell text" in result.text


def test_corrupt_docx_is_refused() -> None:
    with pytest.raises(UnreadableDocumentError, match=r"broken\.docx: is a damaged Word file"):
        extract(Path("broken.docx"), b"PK\x03\x04" + b"not really a zip" * 20)


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedFormatError, match="not a Word"):
        extract(Path("archive.docx"), out.getvalue())


def test_password_protected_office_file_is_refused() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(EncryptedDocumentError, match="password-protected Office file"):
        extract(Path("locked.docx"), data)


def test_html_text_without_scripts_and_with_title() -> None:
    page = (
        "<!doctype html><html><head><title>UN News &amp; Media</title>"
        "<script>var x = 'hidden';</script><style>p{}</style></head><body>"
        "<nav>Menu Home</nav><h1>Heading</h1><p>Paragraph one about Mali.</p>"
        "<p>Paragraph two.</p></body></html>"
    )
    result = extract(Path("page.html"), page.encode())
    assert result.format is DocumentFormat.HTML
    assert result.title == "UN News & Media"
    assert "Mali" in result.text
    assert "hidden" not in result.text and "Menu" not in result.text
    assert "\n\n" in result.text  # block elements become paragraph breaks


def test_plain_text_with_byte_order_mark() -> None:
    result = extract(Path("note.txt"), "\ufeffКомиссия ООН по Украине.".encode())
    assert result.text == "Комиссия ООН по Украине."


def test_text_that_is_not_utf8_names_the_line() -> None:
    data = "first line\nsecond line with an \xe9\n".encode("latin-1")
    with pytest.raises(UnreadableDocumentError, match=r"old\.txt: line 2: .* not UTF-8"):
        extract(Path("old.txt"), data)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  "])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError, match=r"empty\.txt: "):
        extract(Path("empty.txt"), data)


def test_binary_file_is_not_a_document() -> None:
    with pytest.raises(UnsupportedFormatError, match=r"tool\.exe: is not a PDF, HTML"):
        extract(Path("tool.exe"), b"MZ\x90\x00\x03\x00\x00\x00" * 64)
