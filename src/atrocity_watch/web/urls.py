"""URL configuration (placeholder of the foundation)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path


def health(request: HttpRequest) -> JsonResponse:
    """Liveness check that needs no login."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("health", health, name="health")]
