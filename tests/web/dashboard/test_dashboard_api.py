"""The dashboard's API: /api/forecasts… and /api/panels…, their schemas, scopes and errors."""

from __future__ import annotations

from typing import Any

import pytest

from atrocity_watch.web.accounts.models import ApiToken
from atrocity_watch.web.dashboard import indicators

FORECAST_KEYS = {
    "iso3",
    "country",
    "model",
    "base_year",
    "window_start",
    "window_end",
    "probability",
    "ci_low",
    "ci_high",
    "rank",
    "change_since_previous_base_year",
    "previous_base_year",
    "data_version",
    "created_at",
}


def test_forecasts_without_data_say_how_to_compute_them(client_for: Any) -> None:
    response = client_for("victor").get("/api/forecasts")
    assert response.status_code == 404
    assert "atrocity-watch forecast run" in response.json()["detail"]


def test_list_forecasts(client_for: Any, with_data: Any) -> None:
    body = client_for("victor").get("/api/forecasts?limit=500").json()
    assert body["count"] == 175 and len(body["items"]) == 175
    first = body["items"][0]
    assert set(first) == FORECAST_KEYS
    assert first["iso3"] == "SDN" and first["rank"] == 1 and first["base_year"] == 2024
    assert first["probability"] == pytest.approx(0.30)
    assert first["change_since_previous_base_year"] == pytest.approx(0.09)
    assert first["previous_base_year"] == 2023 and first["model"] == "synthetic-test-model"
    ranks = [item["rank"] for item in body["items"]]
    assert ranks == sorted(ranks)


def test_list_forecasts_pagination_and_filters(client_for: Any, with_data: Any) -> None:
    client = client_for("victor")
    page = client.get("/api/forecasts?limit=10&offset=1").json()
    assert page["count"] == 175 and page["items"][0]["iso3"] == "MMR" and len(page["items"]) == 10
    asia = client.get("/api/forecasts?region=Asia&limit=500").json()["items"]
    assert {i["iso3"] for i in asia} >= {"MMR", "AFG"} and "SDN" not in {i["iso3"] for i in asia}
    au = client.get("/api/forecasts?organisation=AU&limit=500").json()["items"]
    assert "SDN" in {i["iso3"] for i in au} and "MMR" not in {i["iso3"] for i in au}
    bad = client.get("/api/forecasts?region=Atlantis")
    assert bad.status_code == 400 and "Atlantis" in bad.json()["detail"]


def test_list_forecasts_within_scope(client_for: Any, with_data: Any) -> None:
    items = client_for("vera").get("/api/forecasts?limit=500").json()["items"]
    codes = {i["iso3"] for i in items}
    assert "MMR" in codes and "SDN" not in codes
    assert client_for("nora").get("/api/forecasts").status_code == 403


def test_one_forecast_with_drivers(client_for: Any, with_data: Any) -> None:
    body = client_for("victor").get("/api/forecasts/sdn").json()
    assert body["iso3"] == "SDN" and body["rank"] == 1
    groups = {g["risk_factor"]: g for g in body["drivers_by_risk_factor"]}
    assert set(groups) == {0, 1, 3, 7}
    assert groups[7]["contribution"] == pytest.approx(1.5)
    assert groups[7]["previous_contribution"] == pytest.approx(1.0)
    assert groups[7]["name"].startswith("Risk factor 7: ")
    assert groups[1]["drivers"][0].keys() == {"feature", "value", "contribution"}


def test_forecast_errors(client_for: Any, with_data: Any) -> None:
    client = client_for("amara")  # AU analyst
    assert client.get("/api/forecasts/SDN").status_code == 200
    denied = client.get("/api/forecasts/MMR")
    assert denied.status_code == 403 and "Myanmar is outside" in denied.json()["detail"]
    unknown = client.get("/api/forecasts/XYZ")
    assert unknown.status_code == 404 and "XYZ" in unknown.json()["detail"]
    none = client_for("victor").get("/api/forecasts/MCO")  # not among the synthetic forecasts
    assert none.status_code == 404 and "has no forecast" in none.json()["detail"]


def test_forecast_history(client_for: Any, with_data: Any) -> None:
    body = client_for("victor").get("/api/forecasts/SDN/history").json()
    assert [f["base_year"] for f in body] == [2021, 2022, 2023, 2024]
    assert [f["probability"] for f in body][-2:] == pytest.approx([0.21, 0.30])
    assert body[0]["change_since_previous_base_year"] is None  # only the latest year has one


def test_features(client_for: Any, with_data: Any) -> None:
    body = client_for("victor").get("/api/panels/features?limit=500").json()
    assert body["count"] == len(indicators.features())
    one_sided = next(
        f for f in body["items"] if f["name"] == "one_sided_deaths" and f["frequency"] == "year"
    )
    assert one_sided["table"] == "panel_country_year" and one_sided["indicators"]
    assert one_sided["sources"][0]["licence"].startswith("CC BY 4.0")
    monthly = client_for("victor").get("/api/panels/features?frequency=month&limit=500").json()
    assert {f["frequency"] for f in monthly["items"]} == {"month"}
    assert client_for("victor").get("/api/panels/features?frequency=week").status_code == 422


def test_feature_values_keep_missing_as_null(client_for: Any, with_data: Any) -> None:
    body = client_for("victor").get("/api/panels/SDN/one_sided_deaths").json()
    values = {v["period"]: v["value"] for v in body["values"]}
    assert values["2001"] is None and values["2005"] is None and values["2004"] is not None
    assert min(values) == "1989" and max(values) == "2024"
    assert body["unit"] and body["indicators"] and body["sources"][0]["title"].startswith("UCDP")
    limited = client_for("victor").get("/api/panels/SDN/one_sided_deaths?start=2000&end=2003")
    assert [v["period"] for v in limited.json()["values"]] == ["2000", "2001", "2002", "2003"]


def test_feature_values_monthly(client_for: Any, with_data: Any) -> None:
    client = client_for("victor")
    body = client.get(
        "/api/panels/SDN/state_based_deaths?frequency=month&start=2022-02&end=2022-04"
    )
    assert [(v["period"], v["value"] is None) for v in body.json()["values"]] == [
        ("2022-02", False),
        ("2022-03", True),
        ("2022-04", False),
    ]
    structural = client.get("/api/panels/SDN/population?frequency=month")
    assert structural.status_code == 404


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/panels/SDN/one_sided_death", 404, "Did you mean"),
        ("/api/panels/SDN/one_sided_deaths?start=abc", 400, "'start' must be a year like 2023"),
        ("/api/panels/SDN/one_sided_deaths?start=2010&end=2000", 400, "is after"),
        ("/api/panels/XYZ/one_sided_deaths", 404, "XYZ"),
    ],
)
def test_feature_value_errors(
    client_for: Any, with_data: Any, url: str, status: int, message: str
) -> None:
    response = client_for("victor").get(url)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_scripts_use_a_token(client_for: Any, users: dict[str, Any], with_data: Any) -> None:
    from django.test import Client

    _row, token = ApiToken.issue(users["vera"], "dashboard test")
    client = Client()
    ok = client.get("/api/forecasts/MMR", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200 and ok.json()["iso3"] == "MMR"
    assert client.get("/api/forecasts/SDN", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    assert client.get("/api/forecasts").status_code == 401


def test_openapi_documents_the_endpoints(client_for: Any) -> None:
    paths = client_for("victor").get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/forecasts",
        "/api/forecasts/{iso3}",
        "/api/forecasts/{iso3}/history",
        "/api/panels/features",
        "/api/panels/{iso3}/{feature}",
    ):
        assert path in paths, path


def test_list_forecasts_paging_limits(client_for: Any, with_data: Any) -> None:
    client = client_for("victor")
    capped = client.get("/api/forecasts?limit=1000").json()
    assert capped["count"] == 175 and len(capped["items"]) == 175  # at most 500 a page
    assert client.get("/api/forecasts?offset=170").json()["items"][-1]["rank"] == 175
    for bad in ("limit=0", "offset=-1", "limit=many"):
        response = client.get(f"/api/forecasts?{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"].startswith("The request is not valid")
    item = client.get("/api/forecasts?limit=1").json()["items"][0]
    assert item["created_at"].startswith("2025-01-15T12:00:00")
