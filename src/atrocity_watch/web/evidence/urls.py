"""Evidence pages: /evidence/…"""

from __future__ import annotations

from django.urls import path

from atrocity_watch.web.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.library_page, name="library"),
    path("upload/", views.upload, name="upload"),
    path("review/", views.queue, name="queue"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/original", views.original, name="original"),
    path("passages/<int:pk>/", views.passage, name="passage"),
    path("passages/<int:pk>/decide", views.decide, name="decide"),
]
