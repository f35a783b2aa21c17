"""The project starts: health answers without login, pages need it, the login page renders."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_needs_no_login() -> None:
    response = Client().get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_home_redirects_anonymous_to_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


@pytest.mark.django_db
def test_login_page_renders_with_csrf_field() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_home_for_each_persona(client_for) -> None:
    assert "no role yet" in client_for("nora").get("/").content.decode()
    page = client_for("vera").get("/").content.decode()
    assert "Viewer" in page and "Asia" in page


def test_home_says_what_data_there_is(client_for) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa

    from atrocity_watch import config
    from atrocity_watch.warehouse import Warehouse

    page = client_for("victor").get("/").content.decode()
    assert "No data has been prepared yet" in page and "atrocity-watch data import" in page
    table = pa.Table.from_pylist([{"iso3": "SDN", "year": 2024, "state_based_deaths": 3.0}])
    Warehouse(config.home()).replace_table("panel_country_year", table, kind="panel")
    page = client_for("victor").get("/").content.decode()
    assert "panel_country_year" in page and "No data has been prepared yet" not in page
    assert "no imported source file is recorded" in page


@pytest.mark.shared_data
def test_home_lists_a_real_imported_source_with_its_licence(client_for, shared_data) -> None:  # type: ignore[no-untyped-def]
    from atrocity_watch import config
    from atrocity_watch.warehouse import Warehouse

    Warehouse(config.home()).import_path(shared_data / "ucdp" / "OneSided_v25_1.csv")
    page = client_for("victor").get("/").content.decode()
    assert "ucdp_onesided" in page and "CC BY 4.0" in page
    assert "1 dataset imported from 1 source file;" in page
    assert "UCDP One-sided Violence Dataset" in page  # the dataset's title, not only its key
