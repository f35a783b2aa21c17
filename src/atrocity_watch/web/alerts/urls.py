"""Alert pages: the feed, one alert and its actions, and the user's subscriptions."""

from __future__ import annotations

from django.urls import path

from atrocity_watch.web.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/", views.subscription, name="subscription"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
    path("subscriptions/<int:pk>/secret/", views.subscription_secret, name="subscription_secret"),
]
