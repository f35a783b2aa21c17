"""Time-based one-time passwords (TOTP, RFC 6238) with pyotp, and single-use recovery codes."""

from __future__ import annotations

import datetime as dt
import hmac
import io
import secrets

import pyotp
import segno
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from atrocity_watch.web.accounts.models import RecoveryCode, TwoFactorDevice

ISSUER = "Atrocity Watch"
RECOVERY_CODE_COUNT = 10
# Accept the code of the previous and next 30-second step too: phone clocks drift.
ACCEPTED_DRIFT_STEPS = 1


def new_secret() -> str:
    """A random base32 secret (160 bits) for a new authenticator."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> bytes:
    """The QR code of ``uri`` as an SVG image."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False)
    return buffer.getvalue()


def matching_step(secret: str, code: str, now: dt.datetime | None = None) -> int | None:
    """The time step whose code equals ``code`` (within the accepted drift), or None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = now or timezone.now()
    for drift in range(-ACCEPTED_DRIFT_STEPS, ACCEPTED_DRIFT_STEPS + 1):
        moment = now + dt.timedelta(seconds=totp.interval * drift)
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def verify_code(device: TwoFactorDevice, code: str) -> bool:
    """Check a code and mark its step used, so the same code is never accepted twice."""
    step = matching_step(device.secret, code)
    if step is None:
        return False
    updated = TwoFactorDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    return updated == 1


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code of ``user``; False when none matches."""
    digest = RecoveryCode.hash(code)
    with transaction.atomic():
        updated = RecoveryCode.objects.filter(user=user, digest=digest, used_at=None).update(
            used_at=timezone.now()
        )
    return updated == 1


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones and return them (shown once)."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=RecoveryCode.hash(c)) for c in codes
    )
    return codes


def enabled(user: User) -> bool:
    """True when the user has a confirmed authenticator."""
    return TwoFactorDevice.objects.filter(user=user).exists()
