"""``manage.py sync_alerts``: turn the warehouse's monitor signals into alerts and notify."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from atrocity_watch.errors import AtrocityWatchError


class Command(BaseCommand):
    help = (
        "Open, update and close alerts from the monitor signals in the warehouse (computed by "
        "`atrocity-watch monitor run`), queue notifications for the changes, and send them. "
        "Running it again changes nothing and sends nothing twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--compute",
            action="store_true",
            help="Compute the signals from the imported events first.",
        )
        parser.add_argument(
            "--no-send", action="store_true", help="Queue notifications but do not send them now."
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        from atrocity_watch.monitor import compute_signals
        from atrocity_watch.web.alerts.notify import deliver_due, queue_notifications
        from atrocity_watch.web.alerts.sync import sync_alerts

        try:
            signals = compute_signals() if options["compute"] else None
            report = sync_alerts(signals)
        except AtrocityWatchError as exc:
            raise CommandError(str(exc)) from None
        queued = queue_notifications(report.new_changes)
        delivery = None if options["no_send"] else deliver_due()
        summary: dict[str, Any] = {**report.as_dict(), "notifications_queued": queued}
        if delivery is not None:
            summary["delivery"] = delivery.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(
            f"Alerts: {report.created} new, {report.updated} updated, {report.unchanged} "
            f"unchanged, {report.withdrawn} withdrawn; {report.changes} changes recorded, "
            f"{queued} notifications queued."
        )
        if delivery is not None:
            self.stdout.write(
                f"Sent {delivery.sent}; {delivery.retrying} to retry; {delivery.failed} failed."
            )
            for error in delivery.errors:
                self.stderr.write(error)
