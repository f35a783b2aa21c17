"""DATABASE_URL and SMTP URL parsing: good values work, bad ones name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from atrocity_watch.errors import ConfigError
from atrocity_watch.web.dburl import parse_database_url, parse_smtp_url


def test_empty_url_is_sqlite_in_wal_mode(tmp_path: Path) -> None:
    db = parse_database_url("", tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "app.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url(tmp_path: Path) -> None:
    db = parse_database_url(
        "postgresql://aw:p%40ss@db.example.org:5433/atrocity?sslmode=require", tmp_path
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "atrocity",
        "aw",
        "p@ss",
        "db.example.org",
        5433,
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url(tmp_path: Path) -> None:
    assert (
        parse_database_url("sqlite:////srv/aw/app.sqlite3", tmp_path)["NAME"]
        == "/srv/aw/app.sqlite3"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x@y/z", "must start with postgres:// or sqlite://"),
        ("postgres://x@y:5432/", "names no database"),
        ("postgres://x@y:port/db", "port that is not a number"),
        ("sqlite://", "needs a file path"),
    ],
)
def test_bad_database_urls(url: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_database_url(url, tmp_path)
    assert "DATABASE_URL" in str(info.value)


def test_smtp_urls() -> None:
    plain = parse_smtp_url("smtp://mail.example.org")
    assert (plain.port, plain.starttls, plain.ssl) == (25, False, False)
    tls = parse_smtp_url("smtp+starttls://me:s%3Acret@mail.example.org")
    assert (tls.port, tls.user, tls.password, tls.starttls) == (587, "me", "s:cret", True)
    assert parse_smtp_url("smtps://mail.example.org:2465").port == 2465
    with pytest.raises(ConfigError, match="ATROCITY_WATCH_SMTP_URL must look like"):
        parse_smtp_url("http://mail.example.org")
