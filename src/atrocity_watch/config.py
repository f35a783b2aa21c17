"""Configuration from environment variables, read in one place through small typed helpers.

Every setting the library reads is declared in :data:`SETTINGS`, which also feeds the
documentation (``docs/configuration.md``) and a test that checks the two agree. A value that
cannot be parsed raises :class:`ConfigError` naming the variable and what it expected; nothing
falls back silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from atrocity_watch.errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Setting:
    """One environment variable the system reads."""

    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ATROCITY_WATCH_HOME",
        "./var",
        "Folder that holds all state: app.sqlite3, warehouse.duckdb, parquet/, raw/, models/.",
    ),
    Setting(
        "ATROCITY_WATCH_MIRROR",
        None,
        "Folder with the publishers' files laid out as on their sites; when set, `data fetch` "
        "reads from it instead of the internet (air-gapped networks, tests, CI).",
    ),
    Setting(
        "ATROCITY_WATCH_OFFLINE",
        "false",
        "When true, never try the internet: fetching without a mirror is an error.",
    ),
    Setting(
        "ATROCITY_WATCH_WAREHOUSE_WAIT",
        "60",
        "Seconds an import or build waits for another process to release the warehouse "
        "before giving up with a clear error.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "App database. Empty: SQLite in $ATROCITY_WATCH_HOME/app.sqlite3. "
        "postgres://user:password@host:5432/name for PostgreSQL.",
    ),
    Setting("DJANGO_SECRET_KEY", None, "Secret key of the web app (required in production)."),
    Setting("DJANGO_DEBUG", "false", "Debug mode of the web app; never true in production."),
    Setting(
        "DJANGO_ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Comma-separated host names the web app answers to.",
    ),
    Setting(
        "ATROCITY_WATCH_ADMIN_USERNAME",
        "admin",
        "User name of the first administrator that `make run` creates.",
    ),
    Setting(
        "ATROCITY_WATCH_ADMIN_PASSWORD",
        None,
        "Password of the first administrator; when empty one is generated and printed once.",
    ),
    Setting(
        "ATROCITY_WATCH_ADMIN_EMAIL",
        "",
        "E-mail address of the first administrator.",
    ),
    Setting(
        "DJANGO_CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (https://aw.example.org) allowed to post forms when the site "
        "is behind a proxy on another host name or port.",
    ),
    Setting(
        "ATROCITY_WATCH_HTTPS",
        "false",
        "True when users reach the site over HTTPS: secure cookies, HSTS and redirects to HTTPS.",
    ),
    Setting(
        "ATROCITY_WATCH_TRUST_PROXY",
        "false",
        "True behind a reverse proxy that sets X-Forwarded-For/-Proto (used for HTTPS detection "
        "and per-address login limits). Never true when clients reach gunicorn directly.",
    ),
    Setting(
        "ATROCITY_WATCH_SMTP_URL",
        None,
        "Mail server for password resets, e.g. smtp+starttls://user:password@mail.example.org:587 "
        "(or smtps://…:465). Empty: e-mails are printed in the server log.",
    ),
    Setting(
        "ATROCITY_WATCH_EMAIL_FROM",
        None,
        "Sender address of the e-mails the web app sends.",
    ),
    Setting(
        "ATROCITY_WATCH_BASE_URL",
        None,
        "Address users reach the site at (https://aw.example.org); alert e-mails and webhooks "
        "link to it. Empty: http://127.0.0.1:8000.",
    ),
    Setting(
        "ATROCITY_WATCH_WEBHOOK_HTTPS_ONLY",
        "true",
        "When true, alert webhooks may only be sent to https:// addresses; set false on a "
        "closed network whose receivers speak plain HTTP.",
    ),
    Setting(
        "ATROCITY_WATCH_EVIDENCE_DATABASE_URL",
        None,
        "Evidence library database (documents, passages, full-text index). Empty: SQLite with "
        "FTS5 in $ATROCITY_WATCH_HOME/evidence.sqlite3; postgres://… for PostgreSQL full text.",
    ),
    Setting(
        "ATROCITY_WATCH_EVIDENCE_MODEL",
        "use",
        "Embedding model that suggests Framework indicators for passages: use (multilingual "
        "Universal Sentence Encoder, fast, the default) or e5 (multilingual-e5-small; needs "
        "pip install atrocity-watch[evidence-heavy]).",
    ),
)

_DECLARED = {s.name: s for s in SETTINGS}


def _raw(name: str) -> str | None:
    if name not in _DECLARED:
        raise ConfigError(
            f"{name} is not a setting Atrocity Watch knows; see docs/configuration.md"
        )
    value = os.environ.get(name)
    if value is None:
        return _DECLARED[name].default
    return value


def env_str(name: str) -> str | None:
    """Return the value of a declared setting, or its default."""
    return _raw(name)


def env_bool(name: str) -> bool:
    """Return a declared boolean setting; anything but yes/no words is an error."""
    value = (_raw(name) or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of true/false, yes/no, 1/0. Got {value!r} instead.")


def env_int(name: str) -> int | None:
    """Return a declared integer setting (or None when unset and without default)."""
    value = _raw(name)
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number. Got {value!r} instead.") from None


def env_list(name: str) -> list[str]:
    """Return a declared comma-separated setting as a list of non-empty items."""
    return [item.strip() for item in (_raw(name) or "").split(",") if item.strip()]


def home() -> Path:
    """The folder that holds all state (``$ATROCITY_WATCH_HOME``, default ``./var``)."""
    return Path(_raw("ATROCITY_WATCH_HOME") or "./var").expanduser().resolve()


def mirror() -> Path | None:
    """The local mirror of publishers' files, or None when fetching from the internet.

    A mirror that is set but missing is an error rather than a silent fall-back to the web.
    """
    value = _raw("ATROCITY_WATCH_MIRROR")
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        raise ConfigError(f"ATROCITY_WATCH_MIRROR={value!r} is not a folder that exists.")
    return path


def offline() -> bool:
    """True when the system must never reach for the internet."""
    return env_bool("ATROCITY_WATCH_OFFLINE")
