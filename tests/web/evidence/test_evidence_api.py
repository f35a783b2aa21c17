"""``/api/evidence``: suggestions as the CLI prints them, search and documents within scope."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from atrocity_watch.web.evidence.library import library

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    from atrocity_watch.evidence._suggest import _default_classifier

    _default_classifier("use")


def _post(client: Client, data: object) -> object:
    client.cookies["csrftoken"] = "a" * 32  # a session client sends the CSRF token, as the UI does
    return client.post(
        "/api/evidence/suggest",
        json.dumps(data),
        content_type="application/json",
        headers={"X-CSRFToken": "a" * 32},
    )


def test_suggest_one_and_many(client_for: Callable[[str | None], Client]) -> None:
    victor = client_for("victor")
    one = _post(victor, {"text": "Des Casques bleus ont été tués dans leur camp."})
    assert one.status_code == 200  # type: ignore[attr-defined]
    body = one.json()  # type: ignore[attr-defined]
    assert set(body) == {"language", "suggestions"} and body["language"] == "fr"
    assert [set(s) for s in body["suggestions"]] == [{"risk_factor", "indicator", "score"}] * 3
    many = _post(
        victor, {"texts": ["Hate speech spread online.", "Власти отключили интернет."], "top": 2}
    )
    assert [r["language"] for r in many.json()] == ["en", "ru"]  # type: ignore[attr-defined]
    assert all(len(r["suggestions"]) == 2 for r in many.json())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"text": "a", "texts": ["b"]}, 400),
        ({"text": "  "}, 400),
        ({"text": "a", "top": 20}, 422),
    ],
)
def test_suggest_refuses_bad_input(
    client_for: Callable[[str | None], Client], data: dict[str, object], status: int
) -> None:
    response = _post(client_for("victor"), data)
    assert response.status_code == status and "detail" in response.json()  # type: ignore[attr-defined]


def test_search_and_documents_stay_in_scope(client_for: Callable[[str | None], Client]) -> None:
    lib = library()
    lib.add_bytes(
        "sdn.txt", b"Militias burned the market in El Geneina, Sudan, in June 2023.", country="SDN"
    )
    lib.add_bytes(
        "mmr.txt", b"The army burned villages in Rakhine, Myanmar, in August 2017.", country="MMR"
    )
    vera = client_for("vera")  # viewer, Asia
    docs = vera.get("/api/evidence/documents").json()
    assert [d["country"] for d in docs] == ["MMR"]
    hits = vera.get("/api/evidence/search", {"q": "burned"}).json()
    assert [h["countries"] for h in hits] == [["MMR"]]
    assert "[[burned]]" in hits[0]["snippet"] and "mmr.txt" in hits[0]["citation"]
    assert len(client_for("victor").get("/api/evidence/search", {"q": "burned"}).json()) == 2
    bad = vera.get("/api/evidence/search", {"q": "?!"})
    assert bad.status_code == 400 and "no words to look for" in bad.json()["detail"]
    assert client_for(None).get("/api/evidence/search").status_code == 401
    assert vera.get("/api/evidence/search", {"limit": 0}).status_code == 400
