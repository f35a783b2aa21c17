"""Pages of no single app."""

from __future__ import annotations

from django.urls import path

from atrocity_watch.web.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
]
