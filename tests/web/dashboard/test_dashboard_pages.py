"""The map, watchlist and country pages: with data, without data, and within the user's scope."""

from __future__ import annotations

from typing import Any

import pytest
from page_json import embedded_json, map_rows

from atrocity_watch.web.assessments.models import Assessment, Status

SUDAN_SHAPE, MYANMAR_SHAPE, NORWAY_SHAPE = "729", "104", "578"


def _html(response: Any) -> str:
    """The page's text with HTML character references resolved (the JSON blocks stay valid)."""
    import html

    return html.unescape(response.content.decode())


# -- without any data ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/map/", "/watchlist/", "/countries/SDN/"])
def test_pages_without_data_say_how_to_get_it(client_for: Any, url: str) -> None:
    response = client_for("victor").get(url)
    assert response.status_code == 200
    html = _html(response)
    assert "No forecasts yet" in html
    assert "atrocity-watch forecast run" in html
    assert "data-vega-spec" not in html, "an empty warehouse must not draw empty charts"


def test_country_page_without_panels_says_so_for_each_section(client_for: Any) -> None:
    html = _html(client_for("victor").get("/countries/MMR/"))
    assert html.count("atrocity-watch panels build") >= 3  # yearly, monthly, structural
    assert "data-alerts=" in html  # "no alert monitoring data yet" or "no active alerts"
    assert "Not assessed yet." in html


# -- the world map ---------------------------------------------------------------------------


def test_map_colours_countries_by_headline_forecast(client_for: Any, with_data: Any) -> None:
    response = client_for("victor").get("/map/")
    assert response.status_code == 200
    html = _html(response)
    rows = map_rows(html)
    sudan = rows[SUDAN_SHAPE]
    assert sudan["status"] == "data"
    assert sudan["value"] == pytest.approx(0.30)
    assert sudan["value_text"].startswith("30.0%")
    assert sudan["rank_text"] == "1 of 175"
    assert sudan["href"] == "/countries/SDN/"
    assert "Synthetic test model" in sudan["source"] and "base year 2024" in sudan["date"]
    # The three shapes without an ISO numeric code are matched by name.
    assert rows["Somaliland"]["name"].startswith("Somaliland")
    assert rows["Somaliland"]["value"] == rows["706"]["value"]  # Somalia's
    spec = embedded_json(html, "map-spec")
    assert spec["data"]["url"].endswith("vendor/world-atlas/countries-110m.json")
    assert "fit" not in spec["projection"], "a user who sees every country sees the world"
    assert "Source:" in html and "licence" in html and "15 January 2025" in html


def test_map_shows_a_scoped_user_only_their_countries(client_for: Any, with_data: Any) -> None:
    html = _html(client_for("vera").get("/map/"))  # viewer for Asia
    rows = map_rows(html)
    assert rows[MYANMAR_SHAPE]["status"] == "data"
    assert rows[MYANMAR_SHAPE]["rank_text"] == "2 worldwide"
    sudan = rows[SUDAN_SHAPE]
    assert sudan["status"] == "outside your scope"
    assert sudan["value"] is None and sudan["href"] is None and sudan["source"] == ""
    outside_with_values = [
        key for key, row in rows.items() if row["status"] != "data" and row["value"] is not None
    ]
    assert outside_with_values == []
    assert embedded_json(html, "map-spec")["projection"]["fit"]["type"] == "MultiPoint"


def test_map_of_an_indicator(client_for: Any, with_data: Any) -> None:
    response = client_for("victor").get("/map/?show=one_sided_deaths&year=2020")
    assert response.status_code == 200
    html = _html(response)
    rows = map_rows(html)
    assert rows[SUDAN_SHAPE]["date"] == "2020"
    assert rows[SUDAN_SHAPE]["rank_text"].endswith("(highest first)")
    assert rows[NORWAY_SHAPE]["status"] == "no data"  # Norway has no panel rows
    assert '<option value="2020" selected>' in html
    assert "UCDP" in html  # the source under the map


def test_map_rejects_an_unknown_indicator(client_for: Any, with_data: Any) -> None:
    response = client_for("victor").get("/map/?show=not_a_feature")
    assert response.status_code == 400
    assert "There is no indicator 'not_a_feature'" in _html(response)


def test_map_year_without_values_falls_back_and_says_so(client_for: Any, with_data: Any) -> None:
    response = client_for("victor").get("/map/?show=one_sided_deaths&year=1900")
    assert response.status_code == 200
    html = _html(response)
    assert "has no values for '1900'; the map shows 2024 instead" in html
    assert map_rows(html)[SUDAN_SHAPE]["date"] == "2024"


# -- the country page ------------------------------------------------------------------------


def test_country_page_with_data(client_for: Any, with_data: Any) -> None:
    response = client_for("victor").get("/countries/SDN/")
    assert response.status_code == 200
    html = _html(response)
    assert "30.0%" in html and "+9.0 pts" in html and "rank 1 of 175" in html
    history = embedded_json(html, "risk-history-spec")
    assert [r["base_year"] for r in history["data"]["values"]] == [2021, 2022, 2023, 2024]
    drivers = embedded_json(html, "drivers-spec")["data"]["values"]
    preparatory = next(d for d in drivers if d["risk_factor"].startswith("Risk factor 7"))
    assert preparatory["contribution"] == pytest.approx(1.5)
    assert preparatory["previous"] == pytest.approx(1.0)
    assert "Not tied to a risk factor" in html


def test_country_page_shows_missing_periods_as_gaps(client_for: Any, with_data: Any) -> None:
    html = _html(client_for("victor").get("/countries/SDN/"))
    yearly = embedded_json(html, "events-year-spec")["data"]["values"]
    by_year: dict[int, list[Any]] = {}
    for row in yearly:
        by_year.setdefault(row["period"], []).append(row["deaths"])
    assert by_year[2001] == [None, None, None]  # NULL in the panel: no data, not zero
    assert by_year[2005] == [None, None, None]  # no row at all: filled in, not joined over
    assert all(v is not None for v in by_year[2004])
    monthly = embedded_json(html, "events-month-spec")["data"]["values"]
    march = [r["deaths"] for r in monthly if r["period"] == "2022-03-01"]
    assert march == [None, None, None]
    assert "3 years without data" in html
    assert "1 month without data" in html


def test_country_page_lists_structural_indicators_with_source(
    client_for: Any, with_data: Any
) -> None:
    html = _html(client_for("victor").get("/countries/SDN/"))
    assert 'id="structural-table"' in html
    assert "Risk factor 1: " in html
    assert "V-Dem" in html and "CC BY-SA 4.0" in html


def test_country_without_panel_rows_says_no_record_not_zero(
    client_for: Any, with_data: Any
) -> None:
    html = _html(client_for("victor").get("/countries/NOR/"))
    assert "no record of organised violence" in html
    assert "which is not the same as no violence" in html


def test_country_page_rules(client_for: Any, with_data: Any) -> None:
    client = client_for("vera")
    assert client.get("/countries/XYZ/").status_code == 404
    lower = client.get("/countries/mmr/")
    assert lower.status_code == 302 and lower["Location"] == "/countries/MMR/"
    denied = client.get("/countries/SDN/")
    assert denied.status_code == 403
    assert "Sudan is outside the countries your viewer role covers" in _html(denied)


def test_country_page_shows_latest_approved_assessment(
    client_for: Any, users: dict[str, Any], with_data: Any
) -> None:
    author = users["amara"]
    Assessment.objects.create(
        country="SDN",
        version=1,
        status=Status.APPROVED,
        category="imminent_risk",
        author=author,
        updated_by=author,
    )
    Assessment.objects.create(country="SDN", version=2, status=Status.SUBMITTED, author=author)
    html = _html(client_for("victor").get("/countries/SDN/"))
    assert "Imminent risk" in html
    assert "A new version is in progress" in html
    assert "/assessments/country/SDN/" in html
    watchlist = _html(client_for("victor").get("/watchlist/?category=imminent_risk"))
    assert 'data-iso3="SDN"' in watchlist and watchlist.count("data-iso3=") == 1


# -- broken or changing tables ---------------------------------------------------------------


def test_unusable_forecasts_table_is_explained_not_a_crash(client_for: Any) -> None:
    import pyarrow as pa

    from atrocity_watch.warehouse import Warehouse

    Warehouse().replace_table("forecasts", pa.table({"iso3": ["SDN"], "score": [0.3]}))
    for url in ("/map/", "/watchlist/", "/countries/SDN/"):
        response = client_for("victor").get(url)
        assert response.status_code == 200, url
        assert "has no column model, base_year, probability" in _html(response), url
    api = client_for("victor").get("/api/forecasts")
    assert api.status_code == 503
    assert "has no column" in api.json()["detail"]


def test_corrupt_snapshot_is_explained(client_for: Any, with_data: Any, tmp_path: Any) -> None:
    import shutil

    home = tmp_path / "broken"
    shutil.copytree(with_data, home)
    (home / "parquet" / "panel_country_year.parquet").write_bytes(b"not parquet at all")
    import os

    os.environ["ATROCITY_WATCH_HOME"] = str(home)  # restored by the conftest's monkeypatch
    html = _html(client_for("victor").get("/countries/SDN/"))
    assert "The warehouse table panel_country_year could not be read" in html
    assert "30.0%" in html  # the forecast still shows


def test_no_template_comment_leaks_into_pages(client_for: Any, with_data: Any) -> None:
    """Django's {# #} comments are one line only; a two-line one would show on the page."""
    for url in ("/map/", "/watchlist/", "/countries/SDN/"):
        page = _html(client_for("victor").get(url))
        assert "{#" not in page and "#}" not in page and "{%" not in page, url
