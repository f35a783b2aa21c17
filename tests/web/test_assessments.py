"""Framework assessments through the pages: editing, category, workflow, concurrency, versions."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from web_personas import csrf_post

from atrocity_watch.framework import get_framework
from atrocity_watch.web.assessments import services
from atrocity_watch.web.assessments.models import Assessment, AssessmentError, Judgement, Status
from atrocity_watch.web.audit.log import verify
from atrocity_watch.web.audit.models import AuditEvent


def _start(client: Client, country: str) -> Assessment:
    response = csrf_post(client, "/assessments/start/", {"country": country})
    assert response.status_code == 302, response.content[:500]
    return Assessment.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def _editor_data(page: str) -> dict[str, Any]:
    """The editor form as a browser would send it back (every input, select and textarea)."""
    data: dict[str, Any] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = (
            chosen.group(1) if chosen else re.search(r'<option value="([^"]*)"', body).group(1)
        )  # type: ignore[union-attr]
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(body.strip())
    for name, value in re.findall(
        r'<input type="(?:text|url|date)" name="([^"]+)"(?: value="([^"]*)")?', page
    ):
        data.setdefault(name, value)
    return data


def _judge(client: Client, assessment: Assessment, rf: int, level: str, **extra: Any) -> Any:
    url = f"/assessments/{assessment.pk}/risk-factors/{rf}/"
    data = _editor_data(client.get(url).content.decode())
    data[f"{rf}-level"] = level
    data.update(extra)
    return csrf_post(client, url, data)


def test_analyst_judges_submits_and_a_reviewer_approves(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana, rita = client_for("ana"), client_for("rita")
    draft = _start(ana, "MMR")
    assert draft.version == 1 and draft.status == Status.DRAFT
    saved = _judge(
        ana,
        draft,
        11,
        "high",
        **{
            "11-trend": "worsening",
            "11-confidence": "high",
            "11-rationale": "Systematic attacks on villages",
            "evidence-0-title": "Report of the Independent Investigative Mechanism",
            "evidence-0-url": "https://example.org/iimm-report",
            "evidence-0-date": "2025-08-01",
        },
    )
    assert saved.status_code == 302
    for rf in range(1, 9):
        _judge(ana, draft, rf, "moderate")
    overview = ana.get(f"/assessments/{draft.pk}/").content.decode()
    assert "Current crisis" in overview and "Risk factor 11 is high" in overview
    draft.refresh_from_db()
    assert (
        csrf_post(ana, f"/assessments/{draft.pk}/submit/", {"revision": draft.revision}).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.suggested_category == "current_crisis"
    # The analyst cannot approve their own work, even holding the reviewer role.
    assert "another reviewer" in ana.get(f"/assessments/{draft.pk}/").content.decode()
    approved = csrf_post(
        rita, f"/assessments/{draft.pk}/review/", {"decision": "approve", "comment": "Sound."}
    )
    assert approved.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED and draft.reviewer == users["rita"]
    assert list(
        AuditEvent.objects.filter(object_id=str(draft.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )[:2] == ["create", "edit"]
    assert {"submit", "approve"} <= set(AuditEvent.objects.values_list("action", flat=True))
    assert verify().ok


def test_reviewer_cannot_review_own_version(users, client_for) -> None:  # type: ignore[no-untyped-def]
    rita = client_for("rita")
    draft = _start(rita, "SDN")
    Assessment.objects.filter(pk=draft.pk).update(
        status=Status.SUBMITTED, submitted_by=users["rita"]
    )
    response = csrf_post(rita, f"/assessments/{draft.pk}/review/", {"decision": "approve"})
    assert response.status_code == 403
    assert "another reviewer must review it" in response.content.decode()
    assert Assessment.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_return_needs_a_comment_and_reopens_the_draft(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana, rita = client_for("ana"), client_for("rita")
    draft = _start(ana, "SDN")
    csrf_post(
        ana,
        f"/assessments/{draft.pk}/overview/",
        {
            "revision": draft.revision,
            "category": "serious_concern",
            "override_reason": "Early days.",
        },
    )
    draft.refresh_from_db()
    csrf_post(ana, f"/assessments/{draft.pk}/submit/", {"revision": draft.revision})
    csrf_post(rita, f"/assessments/{draft.pk}/review/", {"decision": "return", "comment": ""})
    assert Assessment.objects.get(pk=draft.pk).status == Status.SUBMITTED
    csrf_post(
        rita,
        f"/assessments/{draft.pk}/review/",
        {"decision": "return", "comment": "Cite sources for 1."},
    )
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED and draft.editable
    assert "Cite sources for 1." in ana.get(f"/assessments/{draft.pk}/").content.decode()
    assert _judge(ana, draft, 1, "low").status_code == 302


def test_category_override_needs_a_reason(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for("ana")
    draft = _start(ana, "SDN")
    refused = csrf_post(
        ana,
        f"/assessments/{draft.pk}/overview/",
        {
            "revision": draft.revision,
            "summary": "Tense.",
            "category": "imminent_risk",
            "override_reason": "",
        },
    )
    assert refused.status_code == 400
    assert "say why" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.category == "" and draft.summary == ""
    accepted = csrf_post(
        ana,
        f"/assessments/{draft.pk}/overview/",
        {
            "revision": draft.revision,
            "summary": "Tense.",
            "category": "imminent_risk",
            "override_reason": "Troop build-up reported this week, not yet in the data.",
        },
    )
    assert accepted.status_code == 302
    draft.refresh_from_db()
    assert draft.category == "imminent_risk" and draft.summary == "Tense."


def test_submit_without_any_category_is_refused(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for("ana")
    draft = _start(ana, "SDN")
    page = csrf_post(
        ana, f"/assessments/{draft.pk}/submit/", {"revision": draft.revision}, follow=True
    )
    assert "There is no category yet" in page.content.decode()
    assert Assessment.objects.get(pk=draft.pk).status == Status.DRAFT


def test_the_later_of_two_edits_is_refused_and_nothing_is_lost(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana, rita = client_for("ana"), client_for("rita")
    draft = _start(ana, "SDN")
    url = f"/assessments/{draft.pk}/risk-factors/3/"
    form_ana = _editor_data(ana.get(url).content.decode())
    form_rita = _editor_data(rita.get(url).content.decode())
    form_rita.update({"3-level": "high", "3-rationale": "Rita's reading"})
    assert csrf_post(rita, url, form_rita).status_code == 302
    form_ana.update({"3-level": "low", "3-rationale": "Ana's reading"})
    refused = csrf_post(ana, url, form_ana)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Your changes were NOT saved" in page and "rita saved this draft" in page
    assert "Ana&#x27;s reading" in page  # her input is shown back to her …
    assert "Rita&#x27;s reading" in page  # … beside what is saved now
    saved = Judgement.objects.get(assessment=draft, indicator="", risk_factor=3)
    assert saved.level == "high" and saved.rationale == "Rita's reading"
    # The form she got back carries the new revision: saving it again is a deliberate overwrite.
    again = _editor_data(page)
    assert int(again["revision"]) == Assessment.objects.get(pk=draft.pk).revision
    assert csrf_post(ana, url, again).status_code == 302
    assert (
        Judgement.objects.get(assessment=draft, indicator="", risk_factor=3).rationale
        == "Ana's reading"
    )


def test_invalid_input_names_the_field_and_saves_nothing(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for("ana")
    draft = _start(ana, "SDN")
    bad = _judge(ana, draft, 2, "extreme", **{"evidence-0-url": "https://example.org/x"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Select a valid choice" in page and "Give the reference a title" in page
    assert not Judgement.objects.filter(assessment=draft).exists()


def test_approved_version_is_immutable_and_a_new_one_starts_from_it(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for("ana")
    first = _start(ana, "SDN")
    _judge(ana, first, 1, "high", **{"1-rationale": "v1 rationale", "evidence-0-title": "A report"})
    services.save_overview(
        first,
        Assessment.objects.get(pk=first.pk).revision,
        "",
        "serious_concern",
        "x",
        users["ana"],
    )
    first.refresh_from_db()
    services.submit(first, first.revision, users["ana"])
    services.approve(first, users["rita"])
    first.summary = "rewritten"
    with pytest.raises(AssessmentError, match="approved"):
        first.save()
    with pytest.raises(AssessmentError, match="approved"):
        Judgement.objects.filter(assessment=first).first().save()  # type: ignore[union-attr]
    assert ana.get(f"/assessments/{first.pk}/risk-factors/1/").status_code == 302
    second = _start(ana, "SDN")
    assert second.version == 2 and second.based_on_id == first.pk
    copied = Judgement.objects.get(assessment=second, risk_factor=1, indicator="")
    assert copied.level == "high" and copied.rationale == "v1 rationale"
    assert second.evidence.get().title == "A report"
    # Starting again while version 2 is open leads to it instead of a third version.
    assert _start(ana, "SDN").pk == second.pk
    _judge(ana, second, 1, "moderate")
    diff = ana.get(f"/assessments/{first.pk}/compare/{second.pk}/").content.decode()
    assert "Risk factor 1 overall" in diff and "diff-changed" in diff
    assert "Risk factor 2 overall" not in diff  # unchanged rows are hidden …
    full = ana.get(f"/assessments/{first.pk}/compare/{second.pk}/?all=1").content.decode()
    assert "Risk factor 2 overall" in full  # … unless asked for
    history = ana.get("/assessments/country/SDN/").content.decode()
    assert "Version 1" in history and "Version 2" in history


def test_scoped_analyst_can_start_only_in_scope(users, client_for) -> None:  # type: ignore[no-untyped-def]
    amara = client_for("amara")
    page = amara.get("/assessments/").content.decode()
    assert 'value="SDN"' in page and 'value="MMR"' not in page
    assert csrf_post(amara, "/assessments/start/", {"country": "MMR"}).status_code == 403
    assert not Assessment.objects.exists()
    assert _start(amara, "SDN").country == "SDN"


def test_lists_show_only_countries_in_scope(users, client_for) -> None:  # type: ignore[no-untyped-def]
    services.start("SDN", users["ana"])
    services.start("MMR", users["ana"])
    vera_page = client_for("vera").get("/assessments/").content.decode()
    assert "Myanmar" in vera_page and "Sudan" not in vera_page
    assert client_for("vera").get("/assessments/country/SDN/").status_code == 403


def test_editor_shows_panel_state_and_incomplete_lists(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for("ana")
    draft = _start(ana, "SDN")
    incomplete = get_framework().incomplete_risk_factors[0]
    page = ana.get(f"/assessments/{draft.pk}/risk-factors/{incomplete.number}/").content.decode()
    assert "INCOMPLETE" in page
    assert "No panel data yet" in page and "atrocity-watch data import" in page


def test_deleting_a_draft_is_audited(users, client_for) -> None:  # type: ignore[no-untyped-def]
    ana = client_for("ana")
    draft = _start(ana, "SDN")
    assert csrf_post(client_for("rita"), f"/assessments/{draft.pk}/delete/").status_code == 403
    assert csrf_post(ana, f"/assessments/{draft.pk}/delete/").status_code == 302
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action="delete")
    assert event.before["country"] == "SDN" and event.country == "SDN"


def test_editor_shows_the_panel_indicators_of_the_risk_factor(users, client_for) -> None:  # type: ignore[no-untyped-def]
    """Latest non-missing value per feature; features the table lacks say 'no data'."""
    import pyarrow as pa

    from atrocity_watch import config
    from atrocity_watch.warehouse import Warehouse

    rows = [
        {"iso3": "SDN", "year": 2022, "state_based_deaths": 1200.0},
        {"iso3": "SDN", "year": 2023, "state_based_deaths": None},  # missing, not zero
        {"iso3": "MMR", "year": 2023, "state_based_deaths": 9.0},
    ]
    Warehouse(config.home()).replace_table(
        "panel_country_year", pa.Table.from_pylist(rows), kind="panel"
    )
    ana = client_for("ana")
    draft = _start(ana, "SDN")
    page = ana.get(f"/assessments/{draft.pk}/risk-factors/1/").content.decode()
    row = re.search(r"State-based.*?</tr>", page, re.S | re.I)
    assert row, page[page.find("What the data says") :][:1500]
    assert "1200" in row.group(0) and "2022" in row.group(0)
    assert "no data" in page  # declared features the panel does not hold
    # the source is named by its title, as people know it, not by its key
    assert "UCDP Organized Violence Country-Year Dataset" in page
