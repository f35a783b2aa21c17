"""The warehouse: one DuckDB file with the sources' rows, derived tables and provenance.

>>> from atrocity_watch.warehouse import Warehouse
>>> wh = Warehouse()                                    # doctest: +SKIP
>>> wh.import_path("GEDEvent_v25_1.csv")                # doctest: +SKIP
>>> [p.file_name for p in wh.status()]                  # doctest: +SKIP
['GEDEvent_v25_1.csv']
"""

# ruff: noqa: S608  (identifiers are quoted with quote(); values are bound as parameters)

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from atrocity_watch import config
from atrocity_watch.warehouse._connect import BOOKKEEPING, commit_load, open_connection
from atrocity_watch.warehouse._errors import (
    InvalidTableError,
    UnknownTableError,
    WarehouseBusyError,
    WarehouseError,
)
from atrocity_watch.warehouse._load import (
    PROVENANCE_COLUMNS,
    current_files,
    load_source,
    provenance_from_row,
    source_facts,
    table_name,
)
from atrocity_watch.warehouse._model import (
    CoverageSpan,
    LoadMode,
    LoadResult,
    ProgressCallback,
    Provenance,
    SourceTableLike,
    TableInfo,
)
from atrocity_watch.warehouse._snapshot import (
    publish_bookkeeping,
    publish_snapshot,
    repair_snapshots,
    snapshot_file,
)
from atrocity_watch.warehouse._sql import (
    as_utc,
    fetch_arrow,
    literal,
    quote,
    table_names,
    utc_now,
    valid_name,
)

DEFAULT_WAIT_SECONDS = 60


def configured_wait() -> float:
    """Seconds to wait for another process to release the warehouse."""
    value = config.env_int("ATROCITY_WATCH_WAREHOUSE_WAIT")
    if value is None or value < 0:
        return float(DEFAULT_WAIT_SECONDS)
    return float(value)


class Warehouse:
    """The DuckDB warehouse under ``$ATROCITY_WATCH_HOME`` (or ``home``).

    Every method opens a short-lived connection (or reuses the one of an enclosing
    :meth:`connection` block), so other processes are locked out only while an operation runs.
    """

    def __init__(self, home: Path | str | None = None, *, wait: float | None = None) -> None:
        self.home = Path(home).expanduser().resolve() if home is not None else config.home()
        self.path = self.home / "warehouse.duckdb"
        self.raw_dir = self.home / "raw"
        self.parquet_dir = self.home / "parquet"
        self.wait = configured_wait() if wait is None else float(wait)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._writable = False

    def __repr__(self) -> str:
        return f"Warehouse({str(self.home)!r})"

    # -- connections -------------------------------------------------------------------------

    @contextlib.contextmanager
    def connection(
        self, *, write: bool = False, wait: float | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection for a block of work; nested blocks share it.

        ``write=True`` takes the file's write lock (waiting up to :attr:`wait` seconds for
        another process to finish). Read connections share the file with other readers.
        """
        if self._con is not None:
            if write and not self._writable:
                raise WarehouseError(
                    "cannot write to the warehouse inside a read-only block; open the outer "
                    "block with write=True"
                )
            yield self._con
            return
        if not write and not self.path.exists():
            raise WarehouseError(
                f"there is no warehouse at {self.path} yet: import data with `atrocity-watch "
                "data import` or `atrocity-watch data fetch` first"
            )
        if write:
            self.home.mkdir(parents=True, exist_ok=True)
        con = open_connection(self.path, write=write, wait=self.wait if wait is None else wait)
        self._con, self._writable = con, write
        try:
            if write:
                repair_snapshots(con, self.parquet_dir)
            yield con
        finally:
            self._con, self._writable = None, False
            con.close()

    @contextlib.contextmanager
    def ibis(self, *, write: bool = False) -> Iterator[Any]:
        """An Ibis DuckDB backend over the warehouse, for the duration of a ``with`` block.

        >>> with Warehouse().ibis() as backend:                      # doctest: +SKIP
        ...     backend.table("src_ucdp_ged").count().execute()
        """
        import ibis

        with self.connection(write=write) as con:
            yield ibis.duckdb.from_connection(con)

    # -- sources -------------------------------------------------------------------------------

    def load(
        self,
        results: SourceTableLike | Sequence[SourceTableLike],
        *,
        mode: LoadMode | str = LoadMode.REPLACE,
        sample: bool | None = None,
        raw_paths: dict[str, str] | None = None,
        progress: ProgressCallback | None = None,
    ) -> LoadResult:
        """Load one source's validated file(s) into ``src_<source>`` in one atomic step.

        ``mode="replace"`` (default): the files become the source's content, replacing the
        previous version. ``mode="add"``: they join the files already there (a file of the
        same name is replaced). Files already imported (same SHA-256) change nothing.
        ``sample=True`` keeps the rows but marks no country or period as covered;
        ``sample=None`` (default) treats a file as a sample when its name says "sample".
        """
        batch = [results] if not isinstance(results, Sequence) else list(results)
        if not batch:
            raise WarehouseError("nothing to load: no file was given")
        facts = source_facts(batch[0].source)
        with self.connection(write=True) as con:
            con.begin()
            try:
                result = load_source(
                    con,
                    batch,
                    mode=LoadMode(mode),
                    sample=sample,
                    raw_paths=raw_paths or {},
                    facts=facts,
                    progress=progress,
                )
            except BaseException:
                con.rollback()
                raise
            if result.changed:
                commit_load(con)
                publish_bookkeeping(con, self.parquet_dir)
            else:
                con.rollback()
            return result

    def import_path(
        self,
        path: Path | str,
        source: str | None = None,
        *,
        mode: LoadMode | str = LoadMode.REPLACE,
        sample: bool | None = None,
        progress: ProgressCallback | None = None,
    ) -> Any:
        """Import a file or every recognised file of a folder; see :func:`import_path`."""
        from atrocity_watch.warehouse._import import import_path

        return import_path(
            self, Path(path), source, mode=LoadMode(mode), sample=sample, progress=progress
        )

    def _bookkeeping(self, name: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """Rows of a bookkeeping table; from its Parquet snapshot while another process writes.

        With a snapshot to fall back on, a reader waits at most a second for the lock, so pages
        that show provenance never hang during an import.
        """
        snapshot = snapshot_file(self.parquet_dir, name)
        fallback = snapshot.exists() and self._con is None
        try:
            with self.connection(wait=min(self.wait, 1.0) if fallback else None) as con:
                return con.execute(sql, params).fetchall()
        except WarehouseBusyError:
            if not fallback:
                raise
        reader = duckdb.connect()
        try:
            prefix = (
                f"WITH {quote(name)} AS (SELECT * FROM read_parquet({literal(str(snapshot))})) "
            )
            return reader.execute(prefix + sql, params).fetchall()
        finally:
            reader.close()

    def status(self, source: str | None = None) -> list[Provenance]:
        """Provenance of every imported file (or one source's), by source and part."""
        if not self.path.exists():
            return []
        sql = f"SELECT {PROVENANCE_COLUMNS} FROM _provenance"
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        rows = self._bookkeeping("_provenance", sql + " ORDER BY source, part", params)
        return [provenance_from_row(r) for r in rows]

    def coverage(self, source: str | None = None) -> list[CoverageSpan]:
        """The countries and dates each imported file covers (``*`` = every country)."""
        if not self.path.exists():
            return []
        query = "SELECT source, file_name, iso3, start_date, end_date FROM _coverage"
        params: list[Any] = []
        if source:
            query += " WHERE source = ?"
            params.append(source)
        rows = self._bookkeeping("_coverage", query + " ORDER BY 1, 2, 3", params)
        return [CoverageSpan(*row) for row in rows]

    def history(self, source: str | None = None) -> list[dict[str, Any]]:
        """Every change of source data, oldest first."""
        if not self.path.exists():
            return []
        query = "SELECT happened_at, source, action, file_name, sha256, version, rows FROM _history"
        params: list[Any] = []
        if source:
            query += " WHERE source = ?"
            params.append(source)
        with self.connection() as con:
            rows = con.execute(
                query + " ORDER BY happened_at, source, file_name", params
            ).fetchall()
        keys = ("happened_at", "source", "action", "file_name", "sha256", "version", "rows")
        return [dict(zip(keys, (as_utc(r[0]), *r[1:]), strict=True)) for r in rows]

    # -- tables --------------------------------------------------------------------------------

    def tables(self) -> list[TableInfo]:
        """Every table the warehouse holds, with its kind, size and when it was written."""
        if not self.path.exists():
            return []
        rows = self._bookkeeping(
            "_tables",
            "SELECT name, kind, rows, written_at, meta, snapshot FROM _tables ORDER BY 1",
            [],
        )
        return [
            TableInfo(
                name=r[0],
                kind=r[1],
                rows=int(r[2]),
                written_at=as_utc(r[3]),
                meta=json.loads(r[4]) if r[4] else {},
                snapshot=r[5],
            )
            for r in rows
        ]

    def table_info(self, name: str) -> TableInfo:
        """Facts about one table, or :class:`UnknownTableError`."""
        for info in self.tables():
            if info.name == name:
                return info
        raise UnknownTableError(name, [t.name for t in self.tables()], _hint(name))

    def has_table(self, name: str) -> bool:
        """True when the warehouse holds table ``name``."""
        if snapshot_file(self.parquet_dir, name).exists():
            return True
        if not self.path.exists():
            return False
        with self.connection() as con:
            return name in table_names(con)

    def snapshot_path(self, name: str) -> Path | None:
        """The Parquet snapshot of a derived table, which readers can use without any lock."""
        path = snapshot_file(self.parquet_dir, name)
        return path if path.exists() else None

    def read_table(self, name: str, columns: Sequence[str] | None = None) -> pa.Table:
        """A whole table (or some of its columns) as a PyArrow table.

        Derived tables are read from their Parquet snapshot, so reading never waits for an
        import or build in another process; source tables are read from DuckDB.
        """
        snapshot = self.snapshot_path(name)
        if snapshot is not None:
            try:
                return pq.read_table(snapshot, columns=list(columns) if columns else None)
            except (KeyError, pa.ArrowInvalid) as exc:
                raise InvalidTableError(f"cannot read {columns} from {name}: {exc}") from None
        if not self.path.exists():
            raise UnknownTableError(name, [], _hint(name))
        with self.connection() as con:
            known = table_names(con)
            if name not in known or name in BOOKKEEPING:
                raise UnknownTableError(
                    name, [t for t in known if t not in BOOKKEEPING], _hint(name)
                )
            select = ", ".join(quote(c) for c in columns) if columns else "*"
            try:
                return fetch_arrow(con, f"SELECT {select} FROM {quote(name)}")
            except duckdb.BinderException as exc:
                raise InvalidTableError(f"cannot read {name}: {exc}") from None

    def replace_table(
        self,
        name: str,
        data: Any,
        *,
        kind: str = "derived",
        meta: dict[str, Any] | None = None,
    ) -> TableInfo:
        """Write a derived table (panels, forecasts, signals) atomically.

        ``data`` is a PyArrow table, a pandas DataFrame or an Ibis table expression. The
        previous version stays readable until the new one is committed, then its Parquet
        snapshot is replaced in one rename.
        """
        return self.replace_tables({name: data}, kind=kind, meta=meta)[0]

    def replace_tables(
        self,
        tables: dict[str, Any],
        *,
        kind: str = "derived",
        meta: dict[str, Any] | None = None,
    ) -> list[TableInfo]:
        """Write several derived tables in one transaction: all are replaced, or none.

        For tables that belong together, such as the two panels or forecasts and their
        drivers, so that readers never see one new and the other old.
        """
        if not tables:
            raise InvalidTableError("no table was given to write")
        for name in tables:
            if not valid_name(name) or name.startswith("src_"):
                raise InvalidTableError(
                    f"{name!r} cannot name a derived table: use lower-case letters, digits and "
                    "underscores, starting with a letter and not with 'src_' (kept for sources)"
                )
        if kind == "source":
            raise InvalidTableError("source tables are written by load(), not replace_table()")
        try:
            meta_text = json.dumps(meta or {}, default=str)
        except (TypeError, ValueError) as exc:
            raise InvalidTableError(
                f"the metadata of {', '.join(tables)} is not JSON: {exc}"
            ) from None
        written: list[TableInfo] = []
        with self.connection(write=True) as con:
            arrows = {name: _as_arrow(data, name) for name, data in tables.items()}
            now = utc_now()
            con.begin()
            try:
                for name, arrow in arrows.items():
                    con.register("_aw_replacement", arrow)
                    try:
                        con.execute(
                            f"CREATE OR REPLACE TABLE {quote(name)} AS "
                            "SELECT * FROM _aw_replacement"
                        )
                    finally:
                        with contextlib.suppress(duckdb.Error):
                            con.unregister("_aw_replacement")
                    con.execute("DELETE FROM _tables WHERE name = ?", [name])
                    con.execute(
                        "INSERT INTO _tables VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                        [name, kind, arrow.num_rows, now.replace(tzinfo=None), meta_text],
                    )
                con.commit()
            except BaseException:
                con.rollback()
                raise
            publish_bookkeeping(con, self.parquet_dir)
            for name, arrow in arrows.items():
                snapshot = publish_snapshot(con, self.parquet_dir, name)
                written.append(
                    TableInfo(
                        name=name,
                        kind=kind,
                        rows=arrow.num_rows,
                        written_at=now,
                        meta=meta or {},
                        snapshot=snapshot.name,
                    )
                )
        return written

    def drop_source(self, source: str) -> bool:
        """Remove a source's rows and provenance in one step; False if it was not there."""
        if not self.path.exists():
            return False
        with self.connection(write=True) as con:
            if not current_files(con, source):
                return False
            con.begin()
            try:
                con.execute(f"DROP TABLE IF EXISTS {quote(table_name(source))}")
                con.execute("DELETE FROM _provenance WHERE source = ?", [source])
                con.execute("DELETE FROM _coverage WHERE source = ?", [source])
                con.execute("DELETE FROM _tables WHERE name = ?", [table_name(source)])
                con.execute(
                    "INSERT INTO _history VALUES (?, ?, 'removed', NULL, NULL, NULL, NULL)",
                    [utc_now().replace(tzinfo=None), source],
                )
                con.commit()
            except BaseException:
                con.rollback()
                raise
            publish_bookkeeping(con, self.parquet_dir)
        return True


def _hint(name: str) -> str:
    if name.startswith("src_"):
        return f"import the {name[4:]} files with `atrocity-watch data import`"
    if name.startswith("panel_"):
        return "build the panels with `atrocity-watch panels build`"
    return ""


def _as_arrow(data: Any, name: str) -> pa.Table:
    if isinstance(data, pa.Table):
        arrow = data
    elif hasattr(data, "to_pyarrow") and callable(data.to_pyarrow):
        arrow = data.to_pyarrow()  # an Ibis expression, executed on its own backend
    elif hasattr(data, "__dataframe__") or type(data).__name__ == "DataFrame":
        arrow = pa.Table.from_pandas(data, preserve_index=False)
    else:
        raise InvalidTableError(
            f"cannot store a {type(data).__name__} as table {name}: give a PyArrow table, a "
            "pandas DataFrame or an Ibis table expression"
        )
    lowered = [c.lower() for c in arrow.column_names]
    duplicated = sorted({c for c in lowered if lowered.count(c) > 1})
    if duplicated:
        raise InvalidTableError(f"table {name} has duplicate columns: {', '.join(duplicated)}")
    if not arrow.column_names:
        raise InvalidTableError(f"table {name} has no columns")
    return arrow
