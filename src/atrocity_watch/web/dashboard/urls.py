"""Dashboard pages: the world map, the watchlist (and its CSV export), the country pages."""

from __future__ import annotations

from django.urls import path

from atrocity_watch.web.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("map/", views.world_map, name="map"),
    path("watchlist/", views.watchlist_page, name="watchlist"),
    path("watchlist/export.csv", views.watchlist_csv, name="watchlist_csv"),
    path("countries/<str:iso3>/", views.country, name="country"),
]
