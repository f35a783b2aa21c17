"""Parse the two URL-shaped settings: ``DATABASE_URL`` and ``ATROCITY_WATCH_SMTP_URL``.

Both fail loudly with :class:`~atrocity_watch.errors.ConfigError` naming the variable, what was
wrong and an example of a good value; neither ever falls back to a default on a bad value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from atrocity_watch.errors import ConfigError

_PG_SCHEMES = {"postgres", "postgresql", "pgsql"}
_PG_EXAMPLE = "postgres://user:password@db.example.org:5432/atrocity_watch"


def sqlite_database(path: Path) -> dict[str, Any]:
    """Django settings of an SQLite database in WAL mode at ``path``.

    WAL lets the pages read while a write is under way; ``IMMEDIATE`` transactions take the
    write lock at their start, so two gunicorn workers never both read the audit chain's head and
    then race to append to it (see docs/decisions/021-audit-hash-chain.md).
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep each worker's connection between requests: opening one (and running the pragmas
        # below) cost about 4 ms of CPU, more than the rest of a request. Reopened after a
        # minute, or at once after an error, as Django does for any database.
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
        },
    }


def parse_database_url(url: str | None, home: Path) -> dict[str, Any]:
    """Return Django's ``DATABASES['default']`` for ``DATABASE_URL`` (empty: SQLite in ``home``).

    >>> parse_database_url("postgres://aw:s3cret@db:5433/aw", Path("/x"))["PORT"]
    5433
    """
    if not url or not url.strip():
        return sqlite_database(home / "app.sqlite3")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path, as in dj-database-url
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ConfigError(
                "DATABASE_URL: an SQLite URL needs a file path, for example "
                "sqlite:////srv/atrocity-watch/app.sqlite3."
            )
        return sqlite_database(Path(path))
    if scheme not in _PG_SCHEMES:
        raise ConfigError(
            f"DATABASE_URL must start with postgres:// or sqlite://. Got {scheme or url!r} "
            f"instead; for example {_PG_EXAMPLE}."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigError(f"DATABASE_URL names no database; for example {_PG_EXAMPLE}.")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(
            f"DATABASE_URL has a port that is not a number; for example {_PG_EXAMPLE}."
        ) from None
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": port or 5432,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send e-mail."""

    host: str
    port: int
    user: str
    password: str
    starttls: bool
    ssl: bool


_SMTP_EXAMPLE = "smtp+starttls://user:password@mail.example.org:587"


def parse_smtp_url(url: str) -> SmtpServer:
    """Parse ``ATROCITY_WATCH_SMTP_URL``: ``smtp://``, ``smtp+starttls://`` or ``smtps://``.

    >>> parse_smtp_url("smtp+starttls://me:pw@mail.example.org").port
    587
    """
    parts = urlsplit(url.strip())
    defaults = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
    scheme = parts.scheme.lower()
    if scheme not in defaults or not parts.hostname:
        raise ConfigError(
            "ATROCITY_WATCH_SMTP_URL must look like smtp://host, smtp+starttls://user:password@host"
            f":587 or smtps://host:465. Got {url!r} instead; for example {_SMTP_EXAMPLE}."
        )
    try:
        port = parts.port or defaults[scheme]
    except ValueError:
        raise ConfigError(
            f"ATROCITY_WATCH_SMTP_URL has a port that is not a number; for example {_SMTP_EXAMPLE}."
        ) from None
    return SmtpServer(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        starttls=scheme == "smtp+starttls",
        ssl=scheme == "smtps",
    )
