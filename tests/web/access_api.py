"""Access rules of the API's shared endpoints and of the Django admin site."""

from __future__ import annotations

from web_matrix import Rule, World

ACCESS = {
    # ninja's root answers 404 to everyone (it only anchors the other URLs)
    "api:api-root": Rule("public", ok=(404,), denied=404, anonymous=404),
    # the documentation is a page: anonymous visitors are sent to log in
    "api:openapi-json": Rule("login", anonymous=302),
    "api:openapi-view": Rule("login", anonymous=302),
    "api:list_countries": Rule("view"),
    "api:get_country": [
        Rule("view", country="africa", kwargs={"iso3": "SDN"}),
        Rule("view", country="asia", kwargs={"iso3": "MMR"}),
    ],
    "api:me": Rule("login"),
}

_ADMIN_SAMPLES = {
    "app_label": "accounts",
    "object_id": "1",
    "content_type_id": 1,
    "id": "1",
}


def _admin(name: str, pattern: str) -> list[Rule]:
    """Every admin page: staff only; the others are sent to log in (admin's own behaviour)."""
    wanted = [key for key in _ADMIN_SAMPLES if f"<{key}>" in pattern or f":{key}>" in pattern]

    def kwargs(world: World) -> dict[str, object]:
        # Object ids: Alice's user id (ids differ between databases; PostgreSQL's sequences do
        # not restart per test). For other models it is just some id: missing ones redirect.
        found = {key: _ADMIN_SAMPLES[key] for key in wanted}
        for key in ("object_id", "id"):
            if key in found:
                found[key] = str(world.users["alice"].pk)
        return found

    if "(unnamed)" in name:
        # The admin's unnamed URLs redirect to named ones (checked above) or catch the rest.
        path = "/" + pattern.replace("<path:object_id>", "1").replace("(?P<url>.*)$", "nothing/")
        # (id 1 may or may not exist: a redirect either way)
        return [Rule("staff", path=path, ok=(301, 302, 404), denied=302, anonymous=302)]
    if name in _NO_ADD:
        # Tokens are made by their owners, devices by enrolment, log rows by the system: the
        # add page is refused even to administrators.
        return [Rule("staff", kwargs=kwargs, ok=(403,), denied=302, anonymous=302)]
    if name == "admin:logout":
        # logging out takes a POST; others are sent to the admin's start page, which needs login
        return [Rule("staff", ok=(405,), denied=302, anonymous=302, redirect_to=("/admin/",))]
    if name == "admin:view_on_site":
        return [Rule("staff", kwargs=kwargs, ok=(404,), denied=302, anonymous=302)]  # no object
    return [Rule("staff", kwargs=kwargs, ok=(200, 302), denied=302, anonymous=302)]


_NO_ADD = {
    "admin:accounts_apitoken_add",
    "admin:accounts_twofactordevice_add",
    "admin:accounts_loginattempt_add",
    "admin:audit_auditevent_add",
    "admin:audit_auditevent_delete",  # the log is append-only, for administrators too
    "admin:autocomplete",  # answers only the admin's own widgets' queries
    "admin:django_tasks_database_dbtaskresult_add",  # tasks are enqueued by code
    "admin:django_tasks_database_dbtaskresult_delete",
    "admin:alerts_alert_add",  # alerts come from the monitor signals, never by hand
    "admin:alerts_alert_delete",
    "admin:alerts_notification_add",  # notifications are queued by the alert sync
    "admin:alerts_notification_delete",
    "admin:assessments_assessment_add",  # assessments change only through their workflow
    "admin:assessments_assessment_delete",
}

NAMESPACES = {"admin": _admin}
