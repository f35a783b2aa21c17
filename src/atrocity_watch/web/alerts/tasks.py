"""Background tasks (django-tasks, database backend: no broker) for sites that run a worker.

``manage.py db_worker`` runs them; without a worker, the management commands do the same work
(``sync_alerts``, ``send_notifications``, ``send_digest``) from cron or a systemd timer.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def deliver_notifications() -> dict[str, Any]:
    """Send the alert e-mails and webhooks that are due."""
    from atrocity_watch.web.alerts.notify import deliver_due

    return deliver_due().as_dict()


@task()
def send_daily_digest() -> dict[str, Any]:
    """Send the daily digests."""
    from atrocity_watch.web.alerts.notify import send_digests

    return send_digests().as_dict()
