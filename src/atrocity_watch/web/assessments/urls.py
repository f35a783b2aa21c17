from __future__ import annotations

from django.urls import path

from atrocity_watch.web.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
]
