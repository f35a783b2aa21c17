"""The two databases the library runs on: SQLite with FTS5 (default) and PostgreSQL.

Both index the same folded text (accents and case removed in Python, see :func:`search_text`), so
a query finds the same passages on a laptop and on a production server. Only the schema, the
placeholders and the full-text clauses differ; they live here and nowhere else.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atrocity_watch.evidence._errors import InvalidQueryError
from atrocity_watch.evidence._mentions import fold

_TABLES = """
CREATE TABLE IF NOT EXISTS library_document (
    id {pk},
    sha256 TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT,
    language TEXT NOT NULL,
    country TEXT,
    countries TEXT NOT NULL,
    source_url TEXT,
    page_count INTEGER,
    size_bytes BIGINT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS library_passage (
    id {pk},
    document_id BIGINT NOT NULL REFERENCES library_document(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    page INTEGER,
    text TEXT NOT NULL,
    language TEXT NOT NULL,
    countries TEXT NOT NULL,
    dates TEXT NOT NULL,
    date_from TEXT,
    date_to TEXT,
    search_text TEXT NOT NULL{vector}
);
CREATE INDEX IF NOT EXISTS library_passage_document ON library_passage(document_id, position);
CREATE TABLE IF NOT EXISTS library_suggestion (
    passage_id BIGINT NOT NULL REFERENCES library_passage(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    risk_factor INTEGER NOT NULL,
    indicator TEXT,
    score REAL NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (passage_id, rank)
);
CREATE INDEX IF NOT EXISTS library_suggestion_indicator ON library_suggestion(indicator);
CREATE INDEX IF NOT EXISTS library_suggestion_rf ON library_suggestion(risk_factor);
CREATE TABLE IF NOT EXISTS library_judgement (
    id {pk},
    passage_id BIGINT NOT NULL REFERENCES library_passage(id) ON DELETE CASCADE,
    risk_factor INTEGER NOT NULL,
    indicator TEXT,
    accepted BOOLEAN NOT NULL,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
"""

_SQLITE_EXTRA = """
CREATE VIRTUAL TABLE IF NOT EXISTS library_passage_fts USING fts5(
    search_text, content='library_passage', content_rowid='id'
);
"""

_POSTGRES_EXTRA = """
CREATE INDEX IF NOT EXISTS library_passage_vector ON library_passage USING GIN (search_vector);
"""


def search_text(text: str) -> str:
    """The form of a passage that is indexed: accents and case removed."""
    return fold(text).casefold()


@dataclass(frozen=True)
class QueryTerm:
    """One term of a search: a word, a word prefix (``kill*``) or a quoted phrase."""

    words: tuple[str, ...]
    prefix: bool = False


_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def parse_query(query: str) -> list[QueryTerm]:
    """Parse what a user typed: words (all must appear), "quoted phrases", prefixes with ``*``."""
    terms: list[QueryTerm] = []
    for phrase, word in _TOKEN.findall(query):
        raw = phrase if phrase else word
        prefix = not phrase and raw.endswith("*")
        words = tuple(re.findall(r"\w+", search_text(raw)))
        if not words:
            continue
        if prefix and len(words) == 1:
            terms.append(QueryTerm(words, prefix=True))
        elif phrase:
            terms.append(QueryTerm(words))
        else:  # d'autres -> "d autres" as a phrase, as the index splits it
            terms.append(QueryTerm(words))
    if query.strip() and not terms:
        raise InvalidQueryError(
            f"The search {query!r} has no words to look for; type one or more words."
        )
    return terms


class Database:
    """What both backends offer the store: a transaction, placeholders and full-text clauses."""

    placeholder = "?"
    kind = "sqlite"

    def connect(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def sql(self, statement: str) -> str:
        """Rewrite ``?`` placeholders for this database."""
        return statement if self.placeholder == "?" else statement.replace("?", self.placeholder)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A connection whose work is committed on success and rolled back on any error."""
        connection = self.connect()
        try:
            yield connection
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()

    def execute(self, connection: Any, statement: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement and return the cursor."""
        cursor = connection.cursor()
        cursor.execute(self.sql(statement), tuple(params))
        return cursor

    def insert_id(self, connection: Any, statement: str, params: Sequence[Any]) -> int:
        """Run an INSERT and return the new row's id."""
        raise NotImplementedError  # pragma: no cover

    def index_passage(self, connection: Any, passage_id: int, text: str) -> None:
        """Add a passage's folded text to the full-text index."""

    def unindex_passages(self, connection: Any, document_id: int) -> None:
        """Remove a document's passages from the full-text index (before deleting them)."""

    def match(self, terms: list[QueryTerm]) -> tuple[str, list[Any], str, str]:
        """SQL for a full-text condition: (where clause, params, rank expression, snippet)."""
        raise NotImplementedError  # pragma: no cover


class SqliteDatabase(Database):
    """SQLite file with an FTS5 index (the default; one file in the home folder)."""

    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.transaction() as connection:
            connection.executescript(
                _TABLES.format(pk="INTEGER PRIMARY KEY AUTOINCREMENT", vector="") + _SQLITE_EXTRA
            )

    def connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")
        return connection

    def insert_id(self, connection: Any, statement: str, params: Sequence[Any]) -> int:
        cursor = self.execute(connection, statement, params)
        return int(cursor.lastrowid)

    def index_passage(self, connection: Any, passage_id: int, text: str) -> None:
        self.execute(
            connection,
            "INSERT INTO library_passage_fts(rowid, search_text) VALUES (?, ?)",
            (passage_id, text),
        )

    def unindex_passages(self, connection: Any, document_id: int) -> None:
        self.execute(
            connection,
            "INSERT INTO library_passage_fts(library_passage_fts, rowid, search_text) "
            "SELECT 'delete', id, search_text FROM library_passage WHERE document_id = ?",
            (document_id,),
        )

    def match(self, terms: list[QueryTerm]) -> tuple[str, list[Any], str, str]:
        parts = []
        for term in terms:
            quoted = '"' + " ".join(term.words) + '"'
            parts.append(quoted + ("*" if term.prefix else ""))
        return (
            "p.id IN (SELECT rowid FROM library_passage_fts WHERE library_passage_fts MATCH ?)",
            [" ".join(parts)],
            "(SELECT bm25(library_passage_fts) FROM library_passage_fts "
            "WHERE library_passage_fts MATCH ? AND rowid = p.id)",
            "",
        )


class PostgresDatabase(Database):
    """PostgreSQL with a GIN-indexed tsvector (production)."""

    kind = "postgres"
    placeholder = "%s"

    def __init__(self, url: str) -> None:
        self.url = url
        with self.transaction() as connection:
            for statement in (
                _TABLES.format(
                    pk="BIGSERIAL PRIMARY KEY",
                    vector=",\n    search_vector TSVECTOR",
                )
                + _POSTGRES_EXTRA
            ).split(";"):
                if statement.strip():
                    connection.execute(statement)

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url)

    def insert_id(self, connection: Any, statement: str, params: Sequence[Any]) -> int:
        cursor = self.execute(connection, statement + " RETURNING id", params)
        row = cursor.fetchone()
        return int(row[0])

    def index_passage(self, connection: Any, passage_id: int, text: str) -> None:
        self.execute(
            connection,
            "UPDATE library_passage SET search_vector = to_tsvector('simple', ?) WHERE id = ?",
            (text, passage_id),
        )

    def match(self, terms: list[QueryTerm]) -> tuple[str, list[Any], str, str]:
        parts = []
        for term in terms:
            lexemes = [f"'{w}'" for w in term.words]
            if term.prefix:
                lexemes[-1] += ":*"
            parts.append("(" + " <-> ".join(lexemes) + ")")
        query = " & ".join(parts)
        return (
            "p.search_vector @@ to_tsquery('simple', ?)",
            [query],
            "-ts_rank(p.search_vector, to_tsquery('simple', ?))",
            "",
        )


def open_database(url: str | None, home: Path) -> Database:
    """The database for ``url``: empty for SQLite in the home folder, or postgres://…"""
    if not url:
        return SqliteDatabase(home / "evidence.sqlite3")
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresDatabase(url)
    if url.startswith("sqlite:///"):
        return SqliteDatabase(Path(url.removeprefix("sqlite:///")))
    from atrocity_watch.errors import ConfigError

    raise ConfigError(
        "ATROCITY_WATCH_EVIDENCE_DATABASE_URL must be empty (SQLite in the home folder), "
        f"sqlite:///path or postgres://user:password@host:5432/name. Got {url!r} instead."
    )
