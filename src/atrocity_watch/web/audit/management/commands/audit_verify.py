"""``manage.py audit_verify``: check the audit log's hash chain and report the first broken link."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atrocity_watch.web.audit.log import verify


class Command(BaseCommand):
    help = (
        "Check that no audit event was changed, removed or inserted since it was written, by "
        "recomputing the SHA-256 chain. Exits with status 1 and names the first broken event "
        "when the log was tampered with. Note the head hash it prints somewhere safe: it also "
        "reveals events later removed from the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": result.ok,
                        "checked": result.checked,
                        "head_sequence": result.head_sequence,
                        "head_hash": result.head_hash,
                        "broken_at": result.broken_at,
                        "reason": result.reason,
                    },
                    indent=2,
                )
            )
        if not result.ok:
            raise CommandError(
                f"Audit log BROKEN at event #{result.broken_at}: {result.reason}. "
                f"{result.checked} events before it are intact."
            )
        if not options["json"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit log intact: {result.checked} events checked; head is event "
                    f"#{result.head_sequence} with hash {result.head_hash}."
                )
            )
