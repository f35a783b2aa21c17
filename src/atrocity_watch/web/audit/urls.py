from __future__ import annotations

from django.urls import path

from atrocity_watch.web.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:sequence>/", views.event_detail, name="detail"),
]
