"""The result of reading one source file: a validated table and its provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa


@dataclass(frozen=True)
class SourceTable:
    """One file of a source, read and validated.

    The rows live in a DuckDB table (``table_name`` on ``connection``): the caller's connection
    when one was given to :func:`read_file`, otherwise a private in-memory one. ``table`` gives
    them as a ``pyarrow.Table`` (built on first use); ``to_batches`` streams them instead, and a
    caller that passed its own connection can use ``table_name`` in SQL without copying.

    ``dropped`` counts rows left out by a documented rule of the source (reason → rows);
    ``kept_without_country`` counts rows kept with a NULL country key by such a rule.
    """

    source: str
    file_name: str
    path: str
    sha256: str
    version: str
    rows: int
    layout: str
    columns: tuple[str, ...]
    dropped: Mapping[str, int] = field(default_factory=dict)
    kept_without_country: Mapping[str, int] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()
    connection: duckdb.DuckDBPyConnection | None = field(default=None, repr=False, compare=False)
    table_name: str = "source_rows"

    def __post_init__(self) -> None:
        if self.rows < 0:
            raise ValueError("rows cannot be negative")
        if len(self.sha256) != 64:
            raise ValueError("sha256 must be 64 hexadecimal characters")

    def _con(self) -> duckdb.DuckDBPyConnection:
        if self.connection is None:
            raise RuntimeError("this SourceTable has no connection holding its rows")
        return self.connection

    @cached_property
    def table(self) -> pa.Table:
        """The validated rows as a ``pyarrow.Table`` (built once, on first use)."""
        return self._con().table(self.table_name).to_arrow_table()

    def to_batches(self, rows_per_batch: int = 122_880) -> pa.RecordBatchReader:
        """Stream the validated rows without holding them all in memory as Arrow."""
        return self._con().table(self.table_name).to_arrow_reader(rows_per_batch)

    @property
    def total_dropped(self) -> int:
        """Rows left out by the source's documented rules."""
        return sum(self.dropped.values())
