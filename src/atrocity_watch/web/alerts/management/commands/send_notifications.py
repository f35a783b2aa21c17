"""``manage.py send_notifications``: send the alert e-mails and webhooks that are due."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Send the alert e-mails and webhooks that are due, retrying earlier failures whose "
        "wait is over. Run it every few minutes (cron or a systemd timer)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print a JSON summary.")
        parser.add_argument(
            "--stuck",
            action="store_true",
            help="List notifications left 'being sent' by a process that stopped (they are "
            "never sent twice automatically).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from atrocity_watch.web.alerts.models import DeliveryStatus, Notification
        from atrocity_watch.web.alerts.notify import deliver_due

        if options["stuck"]:
            for n in Notification.objects.filter(status=DeliveryStatus.SENDING):
                self.stdout.write(f"{n.pk}\t{n.created_at:%Y-%m-%d %H:%M}\t{n}")
            return
        report = deliver_due()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        self.stdout.write(
            f"Sent {report.sent}; {report.retrying} to retry; {report.failed} failed."
        )
        for error in report.errors:
            self.stderr.write(error)
