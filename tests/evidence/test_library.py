"""The library: adding documents all or nothing, duplicates, search and judgements.

Every test runs on SQLite (FTS5) and, when a server is given, on PostgreSQL full text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.evidence.conftest import REPORT_EN, make_docx, make_pdf, write

from atrocity_watch.evidence import (
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    EvidenceError,
    EvidenceLibrary,
    InvalidQueryError,
    UnknownDocumentError,
    UnreadableDocumentError,
)
from atrocity_watch.framework import FrameworkError

FRENCH = (
    "Rapport sur le Burundi\n\n"
    "Les Imbonerakure, la ligue des jeunes du parti au pouvoir, ont arrêté des opposants "
    "présumés à Bujumbura en avril 2015 et fermé les radios indépendantes du pays.\n\n"
    "Les réfugiés ont fui vers le Rwanda et la République-Unie de Tanzanie en 2016, "
    "selon le Haut-Commissariat."
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EvidenceLibrary]:
    if request.param == "sqlite":
        yield EvidenceLibrary()
    else:
        yield EvidenceLibrary(url=request.getfixturevalue("postgres_url"))


def _counts(library: EvidenceLibrary) -> tuple[int, int, int]:
    with library.db.transaction() as connection:
        return tuple(  # type: ignore[return-value]
            int(library.db.execute(connection, f"SELECT COUNT(*) FROM {t}").fetchone()[0])  # noqa: S608
            for t in ("library_document", "library_passage", "library_suggestion")
        )


def _stored_files(library: EvidenceLibrary) -> list[str]:
    if not library.originals.exists():
        return []
    return sorted(p.name for p in library.originals.iterdir())


def test_pdf_is_added_with_pages_language_countries_dates(
    library: EvidenceLibrary, tmp_path: Path
) -> None:
    pdf = write(tmp_path, "coi.pdf", make_pdf([REPORT_EN[:2], REPORT_EN[2:]], title="COI Syria"))
    result = library.add(pdf, country="syr", source_url="https://example.org/coi.pdf")
    assert result.created
    doc = result.document
    assert (doc.title, doc.format, doc.language, doc.country) == ("COI Syria", "pdf", "en", "SYR")
    assert doc.page_count == 2 and doc.countries == ("SYR",)
    passages = library.passages(doc.id)
    assert [p.page for p in passages] == [1, 2]
    assert passages[0].dates == ("2014-03-12",) and passages[1].dates == ("2014-05",)
    assert passages[0].countries == ("SYR",)
    original = library.original(doc)
    assert original.read_bytes() == pdf.read_bytes() and original.name == doc.sha256


def test_same_content_is_reported_not_duplicated(library: EvidenceLibrary, tmp_path: Path) -> None:
    first = library.add(write(tmp_path, "a.txt", FRENCH.encode()))
    before = _counts(library)
    again = library.add(write(tmp_path, "copy-of-a.txt", FRENCH.encode()))
    assert again.duplicate and again.document.id == first.document.id
    assert _counts(library) == before
    assert _stored_files(library) == [first.document.sha256]


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"", EmptyDocumentError),
        ("blank.txt", b"\n   \n", EmptyDocumentError),
        ("broken.docx", b"PK\x03\x04garbage" * 30, UnreadableDocumentError),
        ("broken.pdf", b"%PDF-1.5\n\x00\xff" * 40, UnreadableDocumentError),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            EncryptedDocumentError,
        ),
    ],
)
def test_unusable_file_leaves_the_library_as_it_was(
    library: EvidenceLibrary, tmp_path: Path, name: str, data: bytes, error: type[Exception]
) -> None:
    library.add(write(tmp_path, "good.txt", FRENCH.encode()))
    before, files = _counts(library), _stored_files(library)
    with pytest.raises(error, match=name.replace(".", r"\.")):
        library.add(write(tmp_path, name, data))
    assert _counts(library) == before
    assert _stored_files(library) == files  # no original, no leftover temporary file


def test_failure_while_writing_rolls_everything_back(
    library: EvidenceLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = library.db.index_passage

    def fail_on_second(connection: Any, passage_id: int, text: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        real(connection, passage_id, text)

    monkeypatch.setattr(library.db, "index_passage", fail_on_second)
    text = FRENCH + "\n\n" + "\n\n".join(REPORT_EN)
    with pytest.raises(RuntimeError, match="disk full"):
        library.add(write(tmp_path, "report.txt", text.encode()))
    assert calls["n"] == 2  # the first passage had been written when the second failed
    assert _counts(library) == (0, 0, 0)
    assert _stored_files(library) == []


def test_missing_file_and_folder_are_clear_errors(library: EvidenceLibrary, tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"absent\.pdf: does not exist"):
        library.add(tmp_path / "absent.pdf")
    with pytest.raises(DocumentError, match="is a folder"):
        library.add(tmp_path)


def test_bad_country_and_address_are_refused(library: EvidenceLibrary, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", FRENCH.encode())
    with pytest.raises(EvidenceError, match="ISO 3166-1 alpha-3 code"):
        library.add(path, country="Syria")
    with pytest.raises(EvidenceError, match="XXQ is not"):
        library.add(path, country="XXQ")
    with pytest.raises(EvidenceError, match="must start with http"):
        library.add(path, source_url="javascript:alert(1)")
    assert _counts(library) == (0, 0, 0)


def test_search_words_phrases_prefixes_and_accents(
    library: EvidenceLibrary, tmp_path: Path
) -> None:
    library.add(write(tmp_path, "fr.txt", FRENCH.encode()))
    library.add(write(tmp_path, "en.docx", make_docx(REPORT_EN)))
    assert len(library.search("refugies")) == 1  # accents do not matter
    assert len(library.search("IMBONERAKURE radios")) == 1  # all words, any case
    assert len(library.search('"humanitarian convoys"')) == 1
    assert library.search('"convoys humanitarian"') == []
    assert len(library.search("conv*")) == 1
    hits = library.search("besieged")
    assert "[[besieged]]" in hits[0].snippet
    assert "en.docx" in hits[0].citation()


def test_search_filters(library: EvidenceLibrary, tmp_path: Path) -> None:
    library.add(write(tmp_path, "fr.txt", FRENCH.encode()))
    library.add(write(tmp_path, "en.docx", make_docx(REPORT_EN)))
    assert {h.passage.language for h in library.search(language="fr")} == {"fr"}
    assert {h.document.file_name for h in library.search(country="RWA")} == {"fr.txt"}
    assert library.search("Imbonerakure", country="SYR") == []
    in_2014 = library.search(since=date(2014, 1, 1), until=date(2014, 12, 31))
    assert {h.document.file_name for h in in_2014} == {"en.docx"}
    # The French passage mentions April 2015 and 2016, so it reaches past 30 April 2015.
    assert {h.document.file_name for h in library.search(since=date(2015, 4, 30))} == {"fr.txt"}
    assert len(library.search(limit=1)) == 1


def test_bad_searches_say_what_is_wrong(library: EvidenceLibrary) -> None:
    with pytest.raises(InvalidQueryError, match="no words to look for"):
        library.search("!!! ???")
    with pytest.raises(InvalidQueryError, match="'limit' of a search must be from 1 to 500"):
        library.search("x", limit=0)
    with pytest.raises(InvalidQueryError, match=r"starts .* after it ends"):
        library.search(since=date(2020, 1, 1), until=date(2019, 1, 1))
    with pytest.raises(FrameworkError, match=r"There is no indicator 7\.99"):
        library.search(indicator="7.99")
    with pytest.raises(EvidenceError, match="ISO 3166-1"):
        library.search(country="France")


def test_judgements_feed_indicator_search_and_can_be_listed(
    library: EvidenceLibrary, tmp_path: Path
) -> None:
    doc = library.add(write(tmp_path, "fr.txt", FRENCH.encode())).document
    passage = library.passages(doc.id)[0]
    assert library.search(indicator="7.5") == []
    library.record_judgement(
        passage.id, risk_factor=7, indicator="7.5", accepted=True, reviewer="alice"
    )
    library.record_judgement(
        passage.id, risk_factor=3, indicator=None, accepted=False, reviewer="bob"
    )
    assert [h.passage.id for h in library.search(indicator="7.5")] == [passage.id]
    assert [h.passage.id for h in library.search(risk_factor=7)] == [passage.id]
    assert library.search(risk_factor=3) == []
    listed = library.judgements()
    assert [(j.risk_factor, j.accepted, j.reviewer) for j, _ in listed] == [
        (7, True, "alice"),
        (3, False, "bob"),
    ]
    assert listed[0][1] == passage.text


def test_judgement_validation(library: EvidenceLibrary, tmp_path: Path) -> None:
    doc = library.add(write(tmp_path, "fr.txt", FRENCH.encode())).document
    pid = library.passages(doc.id)[0].id
    with pytest.raises(EvidenceError, match=r"Indicator 7\.5 does not belong to risk factor 3"):
        library.record_judgement(pid, risk_factor=3, indicator="7.5", accepted=True, reviewer="a")
    with pytest.raises(FrameworkError, match="no risk factor 15"):
        library.record_judgement(pid, risk_factor=15, indicator=None, accepted=True, reviewer="a")
    with pytest.raises(UnknownDocumentError, match="no passage 99999"):
        library.record_judgement(99999, risk_factor=7, indicator=None, accepted=True, reviewer="a")
    with pytest.raises(EvidenceError, match="name of the analyst"):
        library.record_judgement(pid, risk_factor=7, indicator=None, accepted=True, reviewer=" ")
    assert library.judgements() == []


def test_listing_and_deleting_documents(library: EvidenceLibrary, tmp_path: Path) -> None:
    fr = library.add(write(tmp_path, "fr.txt", FRENCH.encode())).document
    en = library.add(write(tmp_path, "en.html", b"<p>" + REPORT_EN[1].encode() + b"</p>")).document
    assert [d.id for d in library.documents()] == [en.id, fr.id]
    assert [d.id for d in library.documents(country="BDI")] == [fr.id]
    assert [d.id for d in library.documents(language="en")] == [en.id]
    library.delete_document(fr.id)
    assert [d.id for d in library.documents()] == [en.id]
    assert library.search("Imbonerakure") == []
    assert _stored_files(library) == [en.sha256]
    with pytest.raises(UnknownDocumentError, match=f"no document {fr.id}"):
        library.document(fr.id)
