"""Security headers (Content-Security-Policy, Permissions-Policy) and the client's address."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def policy_header(policy: dict[str, list[str]]) -> str:
    """Render a CSP directive table as the header's text."""
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Send the site's CSP (``settings.CONTENT_SECURITY_POLICY``) on every response.

    There is no ``unsafe-inline`` and no ``unsafe-eval``: templates carry no inline script or style
    attribute, so an injected script cannot run even if some text escaped escaping.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = policy_header(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class ClientAddressMiddleware:
    """Set ``request.client_address``: the peer's address, or the proxy's report of it.

    ``X-Forwarded-For`` is believed only with ``ATROCITY_WATCH_TRUST_PROXY``; otherwise any client
    could pick the address its failed logins are counted against.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = request.META.get("REMOTE_ADDR") or None
        if settings.TRUST_PROXY:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            # The proxy appends the address it saw; the right-most entry is the one it vouches for.
            entries = [part.strip() for part in forwarded.split(",") if part.strip()]
            if entries:
                address = entries[-1]
        request.client_address = address  # type: ignore[attr-defined]
        return self.get_response(request)
