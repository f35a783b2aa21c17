"""Deciding on suggestions: accept (and attach to the assessment), relabel, reject."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from web_personas import csrf_post

from atrocity_watch.evidence import Suggestion
from atrocity_watch.web.assessments import services as assessment_services
from atrocity_watch.web.assessments.models import Assessment, EvidenceReference, Status
from atrocity_watch.web.audit.models import AuditEvent
from atrocity_watch.web.evidence.library import library
from atrocity_watch.web.evidence.models import Review

pytestmark = pytest.mark.django_db

TEXT = (
    "Government forces besieged the town of Madaya for months in 2016 and blocked food "
    "convoys; on 11 January 2016 a convoy finally reached the starving residents."
)


class Fixed:
    """A suggester with fixed answers, so these tests do not depend on the model's ranking."""

    name = "fixed"

    def suggest(self, texts: list[str], top_k: int = 3) -> list[list[Suggestion]]:
        return [
            [Suggestion(13, "13.8", 0.7), Suggestion(7, "7.10", 0.2), Suggestion(14, None, 0.1)]
            for _ in texts
        ]


@pytest.fixture
def passage_id() -> int:
    lib = library()
    doc = lib.add_bytes(
        "madaya.txt",
        TEXT.encode(),
        country="SDN",
        source_url="https://example.org/madaya",
        title="Madaya report",
        suggester=Fixed(),
    ).document
    return lib.passages(doc.id)[0].id


@pytest.fixture
def draft(users: dict[str, object]) -> Assessment:
    return assessment_services.start("SDN", users["ana"])  # type: ignore[arg-type]


def _decide(client: Client, pk: int, **data: str) -> object:
    return csrf_post(client, f"/evidence/passages/{pk}/decide", data)


def test_accept_and_attach_puts_the_cited_passage_on_the_assessment(
    client_for: Callable[[str | None], Client], passage_id: int, draft: Assessment
) -> None:
    revision = draft.revision
    response = _decide(
        client_for("ana"), passage_id, risk_factor="13", indicator="13.8", decision="accept",
        attach="on",
    )  # fmt: skip
    assert response.status_code == 302
    evidence = EvidenceReference.objects.get(assessment=draft)
    assert (evidence.risk_factor, evidence.indicator) == (13, "13.8")
    assert evidence.title == "Madaya report" and evidence.url == "https://example.org/madaya"
    assert "passage 1" in evidence.document and str(evidence.date) == "2016-01-11"
    assert "Madaya" in evidence.note and f"passage {passage_id}" in evidence.note
    draft.refresh_from_db()
    assert draft.revision == revision + 1  # a concurrent editor is told, not overwritten
    review = Review.objects.get()
    assert review.evidence == evidence and review.suggested and review.decision == "accepted"
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"edit", "review_evidence"}
    [(judgement, _)] = library().judgements()
    assert (judgement.risk_factor, judgement.indicator, judgement.accepted) == (13, "13.8", True)
    detail = client_for("rita").get(f"/assessments/{draft.pk}/")
    assert detail.status_code == 200


def test_relabel_and_reject(client_for: Callable[[str | None], Client], passage_id: int) -> None:
    ana = client_for("ana")
    assert (
        _decide(ana, passage_id, risk_factor="7", indicator="7.10", decision="reject").status_code
        == 302
    )
    assert (
        _decide(ana, passage_id, risk_factor="10", indicator="10.3", decision="accept").status_code
        == 302
    )
    reviews = {(r.risk_factor, r.decision, r.suggested) for r in Review.objects.all()}
    assert reviews == {(7, "rejected", True), (10, "accepted", False)}
    assert EvidenceReference.objects.count() == 0
    accepted = [(j.risk_factor, j.accepted) for j, _ in library().judgements()]
    assert accepted == [(7, False), (10, True)]
    page = ana.get(f"/evidence/passages/{passage_id}/")
    assert b"(relabelled)" in page.content


def test_attach_without_an_open_assessment_explains_what_to_do(
    client_for: Callable[[str | None], Client], passage_id: int
) -> None:
    response = _decide(
        client_for("ana"), passage_id, risk_factor="13", indicator="13.8", decision="accept",
        attach="on",
    )  # fmt: skip
    assert response.status_code == 400
    assert b"no open assessment of Sudan" in response.content
    assert not Review.objects.exists() and library().judgements() == []


def test_attach_to_an_assessment_under_review_is_refused(
    client_for: Callable[[str | None], Client], passage_id: int, draft: Assessment
) -> None:
    Assessment.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    response = _decide(
        client_for("ana"), passage_id, risk_factor="13", indicator="13.8", decision="accept",
        attach="on",
    )  # fmt: skip
    assert response.status_code == 400
    assert not EvidenceReference.objects.exists() and not Review.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"risk_factor": "13", "indicator": "7.10", "decision": "accept"},
            b"not part of risk factor 13",
        ),
        ({"risk_factor": "15", "decision": "accept"}, b"Select a valid choice"),
        ({"risk_factor": "13", "decision": "maybe"}, b"Select a valid choice"),
    ],
)
def test_bad_decisions_are_400_and_change_nothing(
    client_for: Callable[[str | None], Client],
    passage_id: int,
    data: dict[str, str],
    message: bytes,
) -> None:
    response = _decide(client_for("ana"), passage_id, **data)
    assert response.status_code == 400 and message in response.content
    assert not Review.objects.exists() and library().judgements() == []


def test_decisions_need_the_analyst_role_for_the_country(
    client_for: Callable[[str | None], Client], passage_id: int
) -> None:
    for persona in ("victor", "vera"):
        response = _decide(client_for(persona), passage_id, risk_factor="13", decision="accept")
        assert response.status_code == 403
    assert not Review.objects.exists()
    page = client_for("victor").get(f"/evidence/passages/{passage_id}/")
    assert page.status_code == 200 and b"Accept" not in page.content


def test_queue_lists_undecided_passages_in_scope(
    client_for: Callable[[str | None], Client], passage_id: int
) -> None:
    ana = client_for("ana")
    assert f"/evidence/passages/{passage_id}/".encode() in ana.get("/evidence/review/").content
    _decide(ana, passage_id, risk_factor="13", indicator="13.8", decision="accept")
    assert b"Nothing waiting for review" in ana.get("/evidence/review/").content
