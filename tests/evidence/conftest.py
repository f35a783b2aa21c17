"""Fixtures of the evidence tests: documents built in code, and the embedding model loaded once."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A small, valid PDF whose pages hold the given lines of (Latin-1) text."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        content_id = page_ids[i] + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        body = (
            "BT /F1 11 Tf 14 TL 50 740 Td "
            + " ".join(f"({_pdf_text(line)}) Tj T*" for line in lines)
            + " ET"
        )
        stream = body.encode("latin-1")
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    info_id = None
    if title:
        objects.append(f"<< /Title ({_pdf_text(title)}) >>".encode("latin-1"))
        info_id = len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info_id:
        trailer += f" /Info {info_id} 0 R"
    out.write(f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(paragraphs: list[str], title: str | None = None) -> bytes:
    """A Word document with the given paragraphs (python-docx)."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Annex"
    table.rows[0].cells[1].text = "Table cell text"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


REPORT_EN = [
    "Report of the commission of inquiry on the situation in the Syrian Arab Republic",
    "Government forces besieged the town for months and blocked humanitarian convoys, so that "
    "civilians starved. On 12 March 2014 a convoy carrying food was turned back at a checkpoint.",
    "Leaders of the armed group used hate speech against the minority on social media and "
    "called for its expulsion from the region in May 2014.",
]


@pytest.fixture(scope="session")
def model_ready() -> None:
    """Load the default embedding model and embed the prototypes once for the whole session."""
    from atrocity_watch.evidence._suggest import zero_shot_scorer

    zero_shot_scorer("use")


@pytest.fixture(scope="session")
def learned_ready(model_ready: None) -> None:
    """Fit the default learned classifier once for the whole session."""
    from atrocity_watch.evidence._suggest import _default_classifier

    _default_classifier("use")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (skips without ATROCITY_WATCH_TEST_DATABASE_URL)."""
    url = os.environ.get("ATROCITY_WATCH_TEST_DATABASE_URL")
    if not url:
        pytest.skip("set ATROCITY_WATCH_TEST_DATABASE_URL to a PostgreSQL server (.ci/run does)")
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"aw_evidence_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``tmp_path/name`` and return the path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path
