"""The watchlist: ranking, sorting, filters, scope, htmx fragments and the audited CSV export."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import pytest
from django.test import override_settings

from atrocity_watch.web.audit.models import AuditEvent
from atrocity_watch.web.dashboard.watchlist import (
    CSV_COLUMNS,
    Filters,
    WatchlistFilterError,
    csv_safe,
)


def _codes(response: Any) -> list[str]:
    return re.findall(r'<tr data-iso3="([A-Z]{3})">', response.content.decode())


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_ranked_by_risk_with_change_since_last_year(client_for: Any, with_data: Any) -> None:
    response = client_for("victor").get("/watchlist/")
    assert response.status_code == 200
    codes = _codes(response)
    assert codes[:2] == ["SDN", "MMR"]
    assert len(codes) == 175
    page = html.unescape(response.content.decode())
    assert "30.0%" in page and "+9.0 pts" in page and "-2.0 pts" in page  # MMR 0.22 → 0.20
    assert "change against 2023" in page


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("sort=rank&dir=asc", "SDN"),
        ("sort=probability&dir=desc", "SDN"),
        ("sort=probability&dir=asc", None),  # lowest risk first: not Sudan
        ("sort=country&dir=asc", "AFG"),
        ("sort=country&dir=desc", "ZWE"),
        ("sort=change&dir=desc", None),
    ],
)
def test_sorting(client_for: Any, with_data: Any, query: str, first: str | None) -> None:
    codes = _codes(client_for("victor").get(f"/watchlist/?{query}"))
    assert len(codes) == 175
    if first is not None:
        assert codes[0] == first
    else:
        assert codes[0] != "SDN" and codes[-1] != codes[0]


def test_sort_by_change_orders_the_values(client_for: Any, with_data: Any) -> None:
    page = client_for("victor").get("/watchlist/?sort=change&dir=desc").content.decode()
    changes = [float(v) for v in re.findall(r'class="change[^"]*">([+\-−]?[\d.]+) pts', page)]
    assert changes == sorted(changes, reverse=True)


def test_filters(client_for: Any, with_data: Any) -> None:
    client = client_for("victor")
    africa = _codes(client.get("/watchlist/?region=002"))
    assert "SDN" in africa and "MMR" not in africa and len(africa) > 40
    by_name = _codes(client.get("/watchlist/?region=Africa"))
    assert by_name == africa
    asean = _codes(client.get("/watchlist/?organisation=ASEAN"))
    assert "MMR" in asean and "SDN" not in asean
    assert _codes(client.get("/watchlist/?q=sudan")) == ["SDN", "SSD"]
    assert _codes(client.get("/watchlist/?q=MMR")) == ["MMR"]
    assert _codes(client.get("/watchlist/?category=current_crisis")) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=Atlantis", "Atlantis"),
        ("sort=colour", "cannot be sorted by 'colour'"),
        ("dir=sideways", "must be 'asc' or 'desc'"),
        ("category=doomed", "no assessment category 'doomed'"),
    ],
)
def test_bad_filters_are_refused_with_the_reason(
    client_for: Any, with_data: Any, query: str, message: str
) -> None:
    response = client_for("victor").get(f"/watchlist/?{query}")
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())


def test_scope_limits_the_list_and_its_count(client_for: Any, with_data: Any) -> None:
    response = client_for("vera").get("/watchlist/")
    codes = _codes(response)
    assert "MMR" in codes and "SDN" not in codes
    page = response.content.decode()
    total = int(re.search(r"(\d+) of (\d+) listed countries", page).group(2))  # type: ignore[union-attr]
    assert total == len(codes) < 60  # out-of-scope countries are not even counted


def test_htmx_request_gets_only_the_results(client_for: Any, with_data: Any) -> None:
    response = client_for("victor").get("/watchlist/?sort=country", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and page.lstrip().startswith('<div id="watchlist-results"')
    # The form's hidden sort fields are updated out of band, so the next filter keeps the sort.
    assert 'id="watchlist-sort-fields" hx-swap-oob="true"' in page
    assert 'name="sort" value="country"' in page


def test_csv_export_matches_the_page_and_is_audited(client_for: Any, with_data: Any) -> None:
    client = client_for("victor")
    before = AuditEvent.objects.filter(action="export").count()
    response = client.get("/watchlist/export.csv?region=002&sort=country&dir=asc")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="atrocity-watch-watchlist-2024-' in response["Content-Disposition"]
    rows = _csv(response)
    assert list(rows[0]) == list(CSV_COLUMNS)
    page_codes = _codes(client.get("/watchlist/?region=002&sort=country&dir=asc"))
    assert [r["iso3"] for r in rows] == page_codes
    sudan = next(r for r in rows if r["iso3"] == "SDN")
    assert float(sudan["probability"]) == pytest.approx(0.30)
    assert float(sudan["change_since_previous_base_year"]) == pytest.approx(0.09)
    assert sudan["model"] == "synthetic-test-model" and sudan["base_year"] == "2024"
    assert sudan["assessment_category"] == "Not assessed"
    event = AuditEvent.objects.filter(action="export").order_by("-sequence").first()
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert event is not None and event.actor_name == "victor"
    assert event.after["rows"] == len(rows) and event.after["filters"]["region"] == "002"


def test_csv_export_respects_scope(client_for: Any, with_data: Any) -> None:
    rows = _csv(client_for("vera").get("/watchlist/export.csv"))
    assert rows and "SDN" not in {r["iso3"] for r in rows}
    assert {r["region"] for r in rows} == {"Asia"}


def test_refused_or_bad_export_writes_no_audit_event(client_for: Any, with_data: Any) -> None:
    nora, victor = client_for("nora"), client_for("victor")
    before = AuditEvent.objects.count()
    assert nora.get("/watchlist/export.csv").status_code == 403
    bad = victor.get("/watchlist/export.csv?sort=colour")
    assert bad.status_code == 400 and b"cannot be sorted" in bad.content
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+1-2", "'+1-2"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("Sudan", "Sudan"),
        ("", ""),
        (None, ""),
        (-0.05, -0.05),  # numbers stay numbers
        (3, 3),
    ],
)
def test_csv_cells_cannot_be_formulas(value: Any, expected: Any) -> None:
    assert csv_safe(value) == expected


@override_settings(DASHBOARD_ALERTS_PROVIDER="sample_alerts.active_alerts")
def test_alerts_appear_and_their_titles_are_escaped_in_csv(client_for: Any, with_data: Any) -> None:
    client = client_for("victor")
    page = client.get("/watchlist/?sort=alerts&dir=desc").content.decode()
    assert _codes_from(page)[:2] == ["SDN", "MMR"]  # two alerts, then one
    assert 'href="/alerts/1/"' in page
    rows = _csv(client.get("/watchlist/export.csv?q=sudan"))
    sudan = next(r for r in rows if r["iso3"] == "SDN")
    assert sudan["active_alerts"].startswith("Civilians killed")
    formula = _csv(client.get("/watchlist/export.csv?sort=alerts&dir=desc"))
    cells = [cell for row in formula for cell in row.values()]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def _codes_from(page: str) -> list[str]:
    return re.findall(r'<tr data-iso3="([A-Z]{3})">', page)


def test_filters_validate_on_construction() -> None:
    with pytest.raises(WatchlistFilterError, match="cannot be sorted by 'x'"):
        Filters(sort="x")
    assert Filters.from_query({"sort": "probability"}).direction == "desc"
    assert Filters.from_query({"region": "Asia"}).region == "142"
    assert Filters().query(sort="country", direction="asc") == {"sort": "country", "dir": "asc"}


def test_a_new_approval_shows_at_once_despite_kept_pages(
    client_for: Any, users: dict[str, Any], with_data: Any
) -> None:
    from atrocity_watch.web.assessments.models import Assessment, Status

    client = client_for("victor")
    crisis = 'class="category category--current_crisis"'
    before = client.get("/watchlist/?q=sudan").content.decode()
    assert crisis not in before
    author = users["amara"]
    Assessment.objects.create(
        country="SDN",
        version=1,
        status=Status.APPROVED,
        category="current_crisis",
        author=author,
        updated_by=author,
    )
    after = client.get("/watchlist/?q=sudan").content.decode()
    assert crisis in after
    # Another user with the same scope gets the same kept content, with their own name around it.
    other = client_for("rita").get("/watchlist/?q=sudan").content.decode()
    assert crisis in other and ">rita<" in other and ">victor<" not in other
