"""Root URL configuration: each app mounts its own ``urls.py`` under its prefix.

Every URL here is checked by the persona × URL security matrix (tests/web/test_security_matrix.py):
a new URL without an access rule in ``tests/web/access_*.py`` fails that test.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from atrocity_watch.web.api.api import api
from atrocity_watch.web.core import views as core_views

admin.site.site_header = "Atrocity Watch administration"
admin.site.site_title = "Atrocity Watch administration"
admin.site.index_title = "Users, roles and records"

urlpatterns = [
    path("health", core_views.health, name="health"),
    # The admin site logs in through the accounts page, with its limits and second factor.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("atrocity_watch.web.accounts.urls")),
    path("audit/", include("atrocity_watch.web.audit.urls")),
    path("assessments/", include("atrocity_watch.web.assessments.urls")),
    path("evidence/", include("atrocity_watch.web.evidence.urls")),
    path("alerts/", include("atrocity_watch.web.alerts.urls")),
    path("api/", api.urls),
    path("", include("atrocity_watch.web.dashboard.urls")),  # /map/, /watchlist/, /countries/…
    path("", include("atrocity_watch.web.core.urls")),
]

handler403 = "atrocity_watch.web.core.views.permission_denied"
handler404 = "atrocity_watch.web.core.views.page_not_found"
handler500 = "atrocity_watch.web.core.views.server_error"
