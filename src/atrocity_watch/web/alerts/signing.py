"""Signed webhooks: how Atrocity Watch signs an alert notification and how a receiver checks it.

Every webhook is an HTTP POST with a JSON body and these headers:

``X-AtrocityWatch-Timestamp``
    Unix time (seconds) when the request was signed.
``X-AtrocityWatch-Signature``
    ``v1=`` followed by the hexadecimal HMAC-SHA256, keyed with the subscription's secret, of
    the timestamp, a full stop, and the raw request body: ``HMAC(secret, f"{ts}.{body}")``.
``X-AtrocityWatch-Idempotency-Key``
    The same for every retry of one notification: a receiver that has seen it already should
    answer 2xx and do nothing.
``X-AtrocityWatch-Event``
    ``alert.opened``, ``alert.escalated``, ``alert.de-escalated``, ``alert.closed`` or
    ``alert.withdrawn``.

A receiver recomputes the HMAC over the bytes it received (before parsing the JSON), compares
in constant time, and refuses timestamps more than five minutes from its own clock, so that a
captured request cannot be replayed later. :func:`verify` does exactly that; it uses only the
standard library, so receivers can copy it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-AtrocityWatch-Timestamp"
SIGNATURE_HEADER = "X-AtrocityWatch-Signature"
IDEMPOTENCY_HEADER = "X-AtrocityWatch-Idempotency-Key"
EVENT_HEADER = "X-AtrocityWatch-Event"
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """A webhook request whose signature or timestamp does not check out."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-AtrocityWatch-Signature`` value for ``body`` sent at ``timestamp``."""
    message = str(int(timestamp)).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """Raise :class:`SignatureError` unless the request is authentic and recent.

    >>> body = b'{"type": "alert.opened"}'
    >>> verify("whsec_x", "1700000000", sign("whsec_x", 1700000000, body), body, now=1700000010)
    """
    if not timestamp or not signature:
        raise SignatureError("the timestamp or signature header is missing")
    try:
        sent = int(timestamp)
    except ValueError:
        raise SignatureError(f"the timestamp {timestamp!r} is not a Unix time") from None
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance:
        raise SignatureError(
            f"the request was signed {abs(current - sent):.0f} s from now; more than "
            f"{tolerance} s means a replay or a wrong clock"
        )
    expected = sign(secret, sent, body)
    if not hmac.compare_digest(expected, signature.strip()):
        raise SignatureError("the signature does not match the body")
