"""Assessment pages: /assessments/…"""

from __future__ import annotations

from django.urls import path

from atrocity_watch.web.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/overview/", views.save_overview, name="save_overview"),
    path("<int:pk>/risk-factors/<int:number>/", views.edit_risk_factor, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/compare/<int:other>/", views.compare_versions, name="compare"),
    path("country/<str:iso3>/", views.history, name="history"),
]
