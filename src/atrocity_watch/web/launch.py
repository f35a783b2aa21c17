"""Starting the web app: the steps behind ``atrocity-watch run`` and ``atrocity-watch serve``.

Library first: the CLI (``atrocity_watch.cli.web``) only prints what these functions report.
Each step is idempotent, so ``run`` can be repeated safely after an upgrade or a crash.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from atrocity_watch import config
from atrocity_watch.errors import AtrocityWatchError

SETTINGS_MODULE = "atrocity_watch.web.settings"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1


class LaunchError(AtrocityWatchError):
    """The web app cannot start (bad port, database unreachable, gunicorn failed)."""


def prepare_home() -> Path:
    """Create the home folder and, unless the environment gives one, a stored secret key.

    Must run before Django's settings are loaded: they read the key file.
    """
    home = config.home()
    home.mkdir(parents=True, exist_ok=True)
    key_file = home / "secret_key"
    if not config.env_str("DJANGO_SECRET_KEY") and not key_file.exists():
        # Written with owner-only permissions before any content, so it is never readable by others.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(64) + "\n")
    return home


def setup_django() -> None:
    """Load the Django project (after :func:`prepare_home`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()


def database_description() -> str:
    """Where the app database is, in words (without any password)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {db['NAME']}"
    return f"PostgreSQL database {db['NAME']} on {db.get('HOST') or 'localhost'}:{db.get('PORT')}"


def migrate() -> None:
    """Create or update the app database's tables."""
    from django.core.management import call_command
    from django.db import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        raise LaunchError(
            f"The app database cannot be reached ({database_description()}): {exc}"
        ) from None


def pending_migrations() -> list[str]:
    """The app database changes this version needs that the database has not had yet."""
    from django.db import OperationalError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as exc:
        raise LaunchError(
            f"The app database cannot be reached ({database_description()}): {exc}"
        ) from None
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def require_migrated() -> None:
    """Refuse to serve a database older than the code, with the command that updates it."""
    pending = pending_migrations()
    if pending:
        shown = ", ".join(pending[:3]) + (
            f" and {len(pending) - 3} more" if len(pending) > 3 else ""
        )
        raise LaunchError(
            f"The app database ({database_description()}) needs {len(pending)} update(s) for "
            f"this version ({shown}). Run `atrocity-watch run` (add --skip-data to skip the "
            "data steps) once; it updates the database and then serves."
        )


@dataclass(frozen=True)
class FirstAdmin:
    """What :func:`ensure_first_admin` did."""

    username: str
    created: bool
    generated_password: str | None


def ensure_first_admin() -> FirstAdmin:
    """Create the first administrator unless any user exists (audited as a system action).

    Name, password and e-mail come from ``ATROCITY_WATCH_ADMIN_USERNAME``/``_PASSWORD``/``_EMAIL``;
    without a password one is generated and returned (to be shown once).
    """
    from django.contrib.auth.models import User
    from django.db import transaction

    from atrocity_watch.web.accounts.models import Membership, Role, ScopeKind
    from atrocity_watch.web.audit.log import record, snapshot
    from atrocity_watch.web.audit.models import Action

    username = config.env_str("ATROCITY_WATCH_ADMIN_USERNAME") or "admin"
    existing = User.objects.filter(username=username).first()
    if existing is not None or User.objects.filter(is_superuser=True).exists():
        return FirstAdmin(existing.username if existing else username, False, None)
    given = config.env_str("ATROCITY_WATCH_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    with transaction.atomic():
        user = User.objects.create_superuser(
            username, email=config.env_str("ATROCITY_WATCH_ADMIN_EMAIL") or "", password=password
        )
        membership = Membership.objects.create(user=user, role=Role.ADMIN, scope_kind=ScopeKind.ALL)
        record(Action.CREATE, obj=user, after=snapshot(user))
        record(Action.ROLE_CHANGE, obj=membership, after=snapshot(membership))
    return FirstAdmin(username, True, None if given else password)


@dataclass(frozen=True)
class DataStep:
    """What :func:`prepare_data` did, in words."""

    available: bool
    message: str


def prepare_data(report: Callable[[str], None] | None = None) -> DataStep:
    """Run the library pipeline (import → panels → forecast → monitor) when it exists.

    ``report`` receives the pipeline's lines as it works (default: printed).
    """
    if importlib.util.find_spec("atrocity_watch.pipeline") is None:
        return DataStep(
            False,
            "Data preparation is not available yet in this version; the pages will say there is "
            "no data yet. " + sync_alerts(),
        )
    pipeline = importlib.import_module("atrocity_watch.pipeline")
    result = pipeline.refresh(report or print)
    statuses = {str(step.status) for step in getattr(result, "steps", ())}
    if "failed" in statuses:
        message = "Some data steps failed (see above); the pages say what is missing."
    elif statuses <= {"skipped"}:
        message = "No data could be prepared (reasons above); the pages say how to get it."
    else:
        message = "Data steps finished (details above)."
    return DataStep(True, message + " " + sync_alerts())


def sync_alerts() -> str:
    """Turn the monitor signals into alerts and send their notifications (the alerts app)."""
    from atrocity_watch.errors import AtrocityWatchError
    from atrocity_watch.monitor import MissingInputError
    from atrocity_watch.web.alerts.notify import deliver_due, queue_notifications
    from atrocity_watch.web.alerts.sync import sync_alerts as sync

    try:
        report = sync()
    except MissingInputError:
        return "No monitor signals yet, so no alerts."
    except AtrocityWatchError as exc:  # the site is still useful without alerts: say why
        return f"Alerts were not updated: {exc}"
    queue_notifications(report.new_changes)
    sent = deliver_due()
    return (
        f"Alerts: {report.created} new, {report.updated} updated; {sent.sent} notifications sent."
    )


def deployment_problems() -> list[dict[str, str]]:
    """Django's deployment checks that warn or fail, as ``{"id", "message", "hint"}``."""
    from django.core import checks

    return [
        {"id": str(m.id), "message": str(m.msg), "hint": str(m.hint or "")}
        for m in checks.run_checks(include_deployment_checks=True)
        if m.level >= checks.WARNING
    ]


def collect_static() -> Path:
    """Copy the page files (CSS, JS, map data) into the home folder for whitenoise."""
    from django.conf import settings
    from django.contrib.staticfiles.management.commands.collectstatic import Command
    from django.core.management import call_command

    from atrocity_watch.web.core.storage import StaticStorage

    # Always with content-hashed names and a manifest: this process loaded its settings before
    # the manifest existed (see settings.py), but the server processes will find it.
    command = Command()
    command.storage = StaticStorage()
    call_command(command, interactive=False, verbosity=0)
    return Path(settings.STATIC_ROOT)


def gunicorn_command(
    host: str, port: int, workers: int, access_log: bool = False, threads: int = DEFAULT_THREADS
) -> list[str]:
    """The gunicorn command line that serves the app.

    ``threads`` > 1 uses gunicorn's threaded workers (``gthread``): each worker process holds
    many browser connections open (HTTP keep-alive) and serves them from a few threads. With 1,
    plain synchronous workers that close the connection after every answer.
    """
    if not 1 <= port <= 65535:
        raise LaunchError(f"The port must be a number from 1 to 65535. Got {port} instead.")
    if not 1 <= workers <= 32:
        raise LaunchError(f"The number of workers must be 1 to 32. Got {workers} instead.")
    if not 1 <= threads <= 64:
        raise LaunchError(f"The number of threads must be 1 to 64. Got {threads} instead.")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "atrocity_watch.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "20",
        "--error-logfile",
        "-",
        # gunicorn's control socket sits in the user's home; two instances would share it
        "--no-control-socket",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "5"]
    if access_log:
        command += ["--access-logfile", "-"]
    return command


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int = DEFAULT_WORKERS,
    access_log: bool = False,
    on_start: Callable[[str], None] | None = None,
    threads: int = DEFAULT_THREADS,
) -> None:
    """Replace this process with gunicorn (never returns).

    Replacing rather than starting a child means Ctrl+C, ``kill`` and service managers talk to
    gunicorn directly, and no server is left running when the command is stopped.
    """
    command = gunicorn_command(host, port, workers, access_log, threads)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
    if on_start is not None:
        on_start(f"http://{host}:{port}/")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, env)  # noqa: S606  (fixed arguments, our own interpreter)
