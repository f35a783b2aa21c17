"""How fast the audit log appends and verifies, on a real database file (or PostgreSQL).

    .venv/bin/python benchmarks/web_audit.py [--events 5000] [--database-url postgres://…]

Each event carries a before/after payload the size of an assessment risk-factor edit (about
1 KB of JSON). Appends are one transaction each (as a page's write is); ``verify`` recomputes
the whole chain. Prints one line per figure; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default: SQLite file")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="aw-audit-bench-")
    os.environ["ATROCITY_WATCH_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "atrocity_watch.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from atrocity_watch.web.audit import triggers
    from atrocity_watch.web.audit.log import record, verify
    from atrocity_watch.web.audit.models import AuditEvent, ChainHead

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":  # a shared server: start from an empty log
        triggers.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditevent")
        ChainHead.objects.all().delete()
        triggers.install(connection)
    payload = {
        "risk_factor": 7,
        "judgements": {
            f"7.{n}": {
                "level": "moderate",
                "trend": "worsening",
                "confidence": "medium",
                "rationale": "Reports of militia recruitment along group lines.",
            }
            for n in range(1, 6)
        },
    }
    started = time.perf_counter()
    for n in range(args.events):
        record(
            "edit",
            object_type="assessments.assessment",
            object_id=str(n % 50),
            object_repr=f"SDN assessment v{n % 50}",
            country="SDN",
            before=payload,
            after={**payload, "revision": n},
        )
    append = time.perf_counter() - started
    started = time.perf_counter()
    result = verify()
    check = time.perf_counter() - started
    assert result.ok and result.checked == AuditEvent.objects.count()
    where = connection.vendor + ("" if connection.vendor != "sqlite" else " (WAL file)")
    print(f"database: {where}; events: {args.events}; payload ≈ 1 KB JSON")
    print(
        f"append: {args.events / append:,.0f} events/s ({1000 * append / args.events:.2f} ms each)"
    )
    print(f"verify: {result.checked / check:,.0f} events/s ({check:.2f} s for the whole chain)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
