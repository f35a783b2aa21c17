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
