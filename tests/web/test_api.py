"""The REST API: token auth, JSON errors with messages, pagination, assessment writes, 409."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from atrocity_watch.web.accounts.models import ApiToken


@pytest.fixture
def api(users) -> Any:  # type: ignore[no-untyped-def]
    """``api("ana")``: a client that sends ana's token on every request."""

    def make(username: str) -> Client:
        _, raw = ApiToken.issue(users[username], "test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def test_anonymous_gets_401_with_a_message(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/api/countries")
    assert response.status_code == 401
    assert "API token" in response.json()["detail"]


def test_countries_are_scoped_and_paginated(api) -> None:  # type: ignore[no-untyped-def]
    everything = api("victor").get("/api/countries", {"limit": 10}).json()
    assert everything["count"] > 190 and len(everything["items"]) == 10
    asia = api("vera").get("/api/countries", {"limit": 500}).json()
    codes = {c["iso3"] for c in asia["items"]}
    assert "MMR" in codes and "SDN" not in codes and asia["count"] == len(codes)
    au = api("victor").get("/api/countries", {"organisation": "AU", "limit": 500}).json()
    assert "SDN" in {c["iso3"] for c in au["items"]} and au["count"] == 55
    assert api("nora").get("/api/countries").status_code == 403
    bad = api("victor").get("/api/countries", {"region": "Atlantis"})
    assert bad.status_code == 400 and "Atlantis" in bad.json()["detail"]


def test_errors_are_json_with_a_message(api) -> None:  # type: ignore[no-untyped-def]
    client = api("vera")
    missing = client.get("/api/countries/XXX")
    assert missing.status_code == 404 and "XXX" in missing.json()["detail"]
    forbidden = client.get("/api/countries/SDN")
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"].startswith("Sudan is outside the countries")
    assert client.get("/api/assessments/999999").status_code == 404


def test_assessment_write_flow(api) -> None:  # type: ignore[no-untyped-def]
    ana, rita = api("ana"), api("rita")
    created = ana.post("/api/assessments", {"country": "sdn"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    pk, revision = body["id"], body["revision"]
    assert body["country"] == "SDN" and body["status"] == "draft"
    again = ana.post("/api/assessments", {"country": "SDN"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["current"]["id"] == pk

    payload = {
        "revision": revision,
        "judgements": {"11": {"level": "high", "trend": "worsening", "rationale": "attacks"}},
        "evidence": [{"title": "UN report", "url": "https://example.org/r", "date": "2025-01-02"}],
    }
    saved = ana.put(
        f"/api/assessments/{pk}/risk-factors/11", payload, content_type="application/json"
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["judgements"]["11"]["level"] == "high"
    assert saved.json()["evidence"][0]["date"] == "2025-01-02"
    stale = ana.put(
        f"/api/assessments/{pk}/risk-factors/11", payload, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["revision"] == saved.json()["revision"]
    assert "NOT saved" in stale.json()["detail"]

    invalid = ana.put(
        f"/api/assessments/{pk}/risk-factors/11",
        {
            **payload,
            "revision": saved.json()["revision"],
            "judgements": {"11": {"level": "extreme"}},
        },
        content_type="application/json",
    )
    assert invalid.status_code == 422
    assert "judgements.11.level" in invalid.json()["detail"]
    wrong_item = ana.put(
        f"/api/assessments/{pk}/risk-factors/11",
        {**payload, "revision": saved.json()["revision"], "judgements": {"7.1": {"level": "low"}}},
        content_type="application/json",
    )
    assert wrong_item.status_code == 400 and "7.1" in wrong_item.json()["detail"]

    revision = saved.json()["revision"]
    overview = ana.patch(
        f"/api/assessments/{pk}",
        {"revision": revision, "category": "current_crisis", "override_reason": "RF 11 is high."},
        content_type="application/json",
    )
    assert overview.status_code == 200, overview.content
    submitted = ana.post(
        f"/api/assessments/{pk}/submit",
        {"revision": overview.json()["revision"]},
        content_type="application/json",
    )
    assert submitted.json()["status"] == "submitted"
    own = ana.post(
        f"/api/assessments/{pk}/review", {"decision": "approve"}, content_type="application/json"
    )
    assert own.status_code == 403  # ana is an analyst: no reviewer role
    approved = rita.post(
        f"/api/assessments/{pk}/review", {"decision": "approve"}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    listed = api("victor").get("/api/assessments", {"status": "approved"}).json()
    assert [a["id"] for a in listed["items"]] == [pk]
    assert api("vera").get("/api/assessments").json()["count"] == 0  # Sudan is not in Asia
