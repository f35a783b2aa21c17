"""Small helpers to build DuckDB SQL safely: quoted identifiers, escaped literals.

All SQL in this package is assembled from declared column names quoted with :func:`q`,
internal names and literals escaped with :func:`lit`; values read from a file only ever reach
DuckDB as query parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def q(name: str) -> str:
    """Quote an identifier for DuckDB SQL."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    """A SQL literal for a string or number."""
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first value of the first row of a query (None when there is no row)."""
    row = con.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]
