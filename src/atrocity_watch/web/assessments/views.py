from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from atrocity_watch.web.accounts.permissions import require


@require("view")
def assessment_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {})
