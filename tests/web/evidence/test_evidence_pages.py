"""Evidence pages: upload, library and search, documents, scopes, and every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from web_personas import csrf_post

from atrocity_watch.web.audit.models import AuditEvent
from atrocity_watch.web.evidence.library import library

pytestmark = pytest.mark.django_db

REPORT = (
    "Report on Sudan\n\n"
    "The Rapid Support Forces besieged El Fasher in May 2024 and blocked humanitarian convoys, "
    "so that civilians in the camps starved.\n\n"
    "Leaders of the militia called for the expulsion of the Masalit community on social media "
    "and their speeches were broadcast on local radio."
)


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    from atrocity_watch.evidence._suggest import _default_classifier

    _default_classifier("use")  # uploads suggest indicators; load the model once


def _upload(client: Client, name: str, data: bytes, country: str = "SDN", **fields: str) -> Any:
    return csrf_post(
        client,
        "/evidence/upload/",
        {"file": SimpleUploadedFile(name, data), "country": country, **fields},
    )


def test_upload_adds_the_document_with_suggestions_and_an_audit_event(
    client_for: Callable[[str | None], Client],
) -> None:
    ana = client_for("ana")
    response = _upload(
        ana, "sudan.txt", REPORT.encode(), source_url="https://example.org/r", title="Sudan"
    )
    assert response.status_code == 302
    [document] = library().documents()
    assert response["Location"] == f"/evidence/documents/{document.id}/"
    assert (document.country, document.title, document.source_url) == (
        "SDN",
        "Sudan",
        "https://example.org/r",
    )
    passages = library().passages(document.id)
    assert passages and all(len(p.suggestions) == 5 for p in passages)
    event = AuditEvent.objects.get(object_type="evidence.document")
    assert event.action == "create" and event.actor_name == "ana" and event.country == "SDN"
    page = ana.get(response["Location"])
    assert page.status_code == 200
    assert b"Rapid Support Forces" in page.content and document.sha256.encode() in page.content


def test_same_file_again_is_reported_not_added(client_for: Callable[[str | None], Client]) -> None:
    ana = client_for("ana")
    _upload(ana, "a.txt", REPORT.encode())
    response = _upload(ana, "copy.txt", REPORT.encode())
    assert response.status_code == 302
    assert len(library().documents()) == 1
    page = ana.get(response["Location"])
    assert b"already in the library" in page.content
    assert AuditEvent.objects.filter(object_type="evidence.document").count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", b"The submitted file is empty"),  # Django refuses it first
        ("broken.docx", b"PK\x03\x04broken" * 20, b"broken.docx: is a damaged Word file"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, b"password-protected"),
        ("tool.exe", b"MZ\x90\x00\x03\x00" * 50, b"is not a PDF, HTML, Word"),
    ],
)
def test_unusable_upload_is_refused_with_the_reason_and_nothing_kept(
    client_for: Callable[[str | None], Client], name: str, data: bytes, message: bytes
) -> None:
    response = _upload(client_for("ana"), name, data)
    assert response.status_code == 400
    assert message in response.content
    assert library().documents() == []
    assert not AuditEvent.objects.filter(object_type="evidence.document").exists()


def test_upload_outside_the_analyst_scope_is_refused(
    client_for: Callable[[str | None], Client],
) -> None:
    # Amara is an analyst for AU members only: Myanmar is not even offered, and forcing it fails.
    amara = client_for("amara")
    form = amara.get("/evidence/upload/")
    assert b'value="SDN"' in form.content and b'value="MMR"' not in form.content
    response = _upload(amara, "m.txt", REPORT.encode(), country="MMR")
    assert response.status_code == 400
    assert library().documents() == []


def test_viewers_cannot_upload(client_for: Callable[[str | None], Client]) -> None:
    assert _upload(client_for("victor"), "a.txt", REPORT.encode()).status_code == 403
    assert library().documents() == []


def test_library_and_search_show_only_documents_in_scope(
    client_for: Callable[[str | None], Client],
) -> None:
    lib = library()
    lib.add_bytes("sdn.txt", REPORT.encode(), country="SDN")
    lib.add_bytes(
        "mmr.txt", b"The army burned Rohingya villages in Rakhine State in 2017.", country="MMR"
    )
    vera = client_for("vera")  # viewer, Asia
    page = vera.get("/evidence/")
    assert b"mmr.txt" in page.content and b"sdn.txt" not in page.content
    hits = vera.get("/evidence/", {"q": "villages"})
    assert hits.status_code == 200 and b"<mark>villages</mark>" in hits.content
    assert b"1 passage found" in hits.content
    assert b"0 passages found" in vera.get("/evidence/", {"q": "Fasher"}).content
    victor = client_for("victor")  # viewer, all countries
    assert b"1 passage found" in victor.get("/evidence/", {"q": "fasher"}).content


def test_search_errors_are_400_with_the_reason(client_for: Callable[[str | None], Client]) -> None:
    ana = client_for("ana")
    response = ana.get("/evidence/", {"q": "?!"})
    assert response.status_code == 400 and b"no words to look for" in response.content
    response = ana.get("/evidence/", {"since": "2020-01-01", "until": "2019-01-01"})
    assert response.status_code == 400 and b"starts after it ends" in response.content


def test_snippets_are_escaped(client_for: Callable[[str | None], Client]) -> None:
    library().add_bytes(
        "x.txt", b"<script>alert(1)</script> Militias attacked the market in Darfur.", country="SDN"
    )
    page = client_for("ana").get("/evidence/", {"q": "militias"})
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content


def test_document_out_of_scope_is_403_and_unknown_is_404(
    client_for: Callable[[str | None], Client],
) -> None:
    doc = library().add_bytes("mmr.txt", b"Rohingya villages were burned.", country="MMR").document
    amara = client_for("amara")
    response = amara.get(f"/evidence/documents/{doc.id}/")
    assert response.status_code == 403 and b"outside the countries" in response.content
    assert amara.get("/evidence/documents/999/").status_code == 404
    assert amara.get("/evidence/passages/999/").status_code == 404


def test_document_without_country_is_for_all_country_roles_only(
    client_for: Callable[[str | None], Client],
) -> None:
    doc = library().add_bytes("global.txt", b"A report about many places.").document
    assert client_for("victor").get(f"/evidence/documents/{doc.id}/").status_code == 200
    assert client_for("vera").get(f"/evidence/documents/{doc.id}/").status_code == 403


def test_original_download_is_the_exact_file_and_is_audited(
    client_for: Callable[[str | None], Client],
) -> None:
    doc = library().add_bytes("sdn.txt", REPORT.encode(), country="SDN").document
    response = client_for("victor").get(f"/evidence/documents/{doc.id}/original")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == REPORT.encode()
    assert 'filename="sdn.txt"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export", object_id=str(doc.id)).exists()
