"""Small SQL helpers shared by the warehouse modules."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def quote(name: str) -> str:
    """Quote an identifier for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Quote a string literal for DuckDB (for the few places parameters are not allowed)."""
    return "'" + text.replace("'", "''") + "'"


def valid_name(name: str) -> bool:
    """True for lower-case snake_case names that start with a letter."""
    return bool(_NAME.match(name))


def utc_now() -> datetime:
    """Now, in UTC, without microseconds (what the bookkeeping tables store)."""
    return datetime.now(UTC).replace(microsecond=0)


def as_utc(value: datetime) -> datetime:
    """A naive timestamp read back from DuckDB, marked as the UTC it was written in."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def fetch_arrow(con: duckdb.DuckDBPyConnection, query: str) -> pa.Table:
    """Run ``query`` and return its result as a PyArrow table (DuckDB 1.x and 2.x)."""
    relation = con.sql(query)
    method = getattr(relation, "to_arrow_table", None)
    if method is None:  # DuckDB 1.x
        method = relation.arrow
    result = method()
    if isinstance(result, pa.RecordBatchReader):
        result = result.read_all()
    table: pa.Table = result
    return table


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table in the main schema."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]
