"""Login limits: too many failures for one user name, or from one address, block further tries.

Failures are rows of :class:`LoginAttempt` in the app database, so every gunicorn worker counts
the same. A blocked attempt is refused before the password is even checked, so guessing gains
nothing while blocked. A successful login clears its user name's failures, never its address's.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone

from atrocity_watch.web.accounts.models import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class Block:
    """Why and for how long logins are refused."""

    reason: str
    retry_after: dt.timedelta

    @property
    def message(self) -> str:
        """The block in words, with the wait in whole minutes."""
        minutes = max(1, math.ceil(self.retry_after.total_seconds() / 60))
        return f"{self.reason} Try again in {minutes} minute{'s' if minutes != 1 else ''}."


def _normalise(username: str) -> str:
    return username.strip().lower()[:150]


def check(username: str, address: str | None) -> Block | None:
    """Return a :class:`Block` when this user name or address has failed too often lately."""
    now = timezone.now()
    since = now - WINDOW
    recent = LoginAttempt.objects.filter(at__gte=since)
    by_user = list(
        recent.filter(username=_normalise(username))
        .order_by("-at")
        .values_list("at", flat=True)[:MAX_FAILURES_PER_USERNAME]
    )
    if len(by_user) >= MAX_FAILURES_PER_USERNAME:
        oldest = by_user[-1]
        return Block(
            f"There were {MAX_FAILURES_PER_USERNAME} failed logins for this account in the last "
            f"{int(WINDOW.total_seconds() // 60)} minutes.",
            oldest + WINDOW - now,
        )
    if address:
        by_address = list(
            recent.filter(address=address)
            .order_by("-at")
            .values_list("at", flat=True)[:MAX_FAILURES_PER_ADDRESS]
        )
        if len(by_address) >= MAX_FAILURES_PER_ADDRESS:
            return Block(
                f"There were {MAX_FAILURES_PER_ADDRESS} failed logins from your network address "
                f"in the last {int(WINDOW.total_seconds() // 60)} minutes.",
                by_address[-1] + WINDOW - now,
            )
    return None


def note_failure(username: str, address: str | None) -> None:
    """Count one failed attempt (wrong password or wrong second-factor code)."""
    LoginAttempt.objects.create(username=_normalise(username), address=address or None)


def clear(username: str) -> None:
    """Forget a user name's failures after it logged in successfully."""
    LoginAttempt.objects.filter(username=_normalise(username)).delete()


def purge_old() -> int:
    """Delete failures older than the window (they no longer count); returns how many."""
    deleted, _ = LoginAttempt.objects.filter(at__lt=timezone.now() - WINDOW).delete()
    return deleted
