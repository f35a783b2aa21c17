"""``manage.py purge_login_attempts``: forget failed logins that no longer count (cron, daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from atrocity_watch.web.accounts import ratelimit


class Command(BaseCommand):
    help = (
        "Delete failed-login records older than the 15-minute window of the login limits; they "
        "no longer count and only take space. Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = ratelimit.purge_old()
        self.stdout.write(f"Deleted {deleted} old failed-login record(s).")
