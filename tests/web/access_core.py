"""Access rules of the core pages and the accounts pages (see test_security_matrix.py)."""

from __future__ import annotations

from web_matrix import Rule, World

from atrocity_watch.web.audit.log import record


def extend_world(world: World) -> None:
    # One audit event, so that the audit detail page has something to show.
    world.objects["audit_event"] = record("edit", actor=world.users["alice"], object_repr="sample")


ACCESS = {
    "health": Rule("public"),
    "core:home": Rule("login"),
    "admin_login": Rule("public", ok=(302,), denied=302, anonymous=302),
    "accounts:login": [Rule("public", ok=(200, 302), denied=302)],
    # Without a login in progress, the second step sends everyone back to the first.
    "accounts:login_verify": Rule("public", ok=(302,)),
    "accounts:logout": Rule("public"),
    "accounts:profile": Rule("login"),
    "accounts:password_change": Rule("login"),
    "accounts:password_reset": Rule("public"),
    "accounts:password_reset_done": Rule("public"),
    "accounts:password_reset_confirm": Rule("public", kwargs={"uidb64": "MQ", "token": "x-y"}),
    "accounts:password_reset_complete": Rule("public"),
    "accounts:two_factor_setup": Rule("login"),
    # No set-up in progress: nothing to draw.
    "accounts:two_factor_qr": Rule("login", ok=(404,)),
    "accounts:two_factor_disable": [
        Rule("login", ok=(405,)),
        Rule("login", method="POST", data={"password": "wrong"}, ok=(302,)),
    ],
    "accounts:recovery_codes_renew": Rule("login", method="POST", ok=(302,)),
    "accounts:token_create": [
        Rule("login", ok=(405,)),
        Rule("login", method="POST", data={"name": "matrix"}, ok=(200,)),
    ],
    # Token 999999 is nobody's: everyone logged in gets 404, never someone else's token.
    "accounts:token_revoke": Rule("login", method="POST", kwargs={"token_id": 999999}, ok=(404,)),
    "audit:list": Rule("read_audit"),
    "audit:detail": Rule("read_audit", kwargs=lambda w: {"sequence": w["audit_event"].sequence}),
}
