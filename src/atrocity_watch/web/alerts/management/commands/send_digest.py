"""``manage.py send_digest``: one e-mail per subscriber listing the day's alert changes."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Send the daily digest: one e-mail per address listing the alert changes queued for it "
        "since the last digest. Run it once a day."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print a JSON summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        from atrocity_watch.web.alerts.notify import send_digests

        report = send_digests()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        self.stdout.write(f"Digests: {report.sent} changes sent; {report.failed} failed.")
        for error in report.errors:
            self.stderr.write(error)
