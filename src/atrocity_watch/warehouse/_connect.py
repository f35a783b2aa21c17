"""Opening the DuckDB file: one writer process at a time, waiting politely for the lock.

DuckDB lets one process write a database file, or several processes read it, never both at
once (https://duckdb.org/docs/current/connect/concurrency). The lock is an OS file lock, so a
process killed with ``kill -9`` releases it at once: there is no stale lock to clean up. A
transaction is durable only once committed; after a crash DuckDB replays the committed part of
its write-ahead log (``warehouse.duckdb.wal``) on the next open and drops the rest.

Connections are short-lived: each warehouse operation opens one, works in a transaction, and
closes it, so other processes are never locked out for longer than one operation. When the file
is locked this module retries with a growing pause until the configured wait runs out, then
raises :class:`WarehouseBusyError` naming the process that holds the file.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import duckdb

from atrocity_watch.warehouse._errors import WarehouseBusyError, WarehouseError

_LOCK_MESSAGE = re.compile(r"lock", re.IGNORECASE)
_HOLDER = re.compile(r"\(PID (\d+)\)")

# Bookkeeping tables. No PRIMARY KEY constraints: DuckDB checks them eagerly, which rejects the
# delete-then-insert of the same key inside one transaction that atomic replacement relies on.
SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS _provenance (
        source VARCHAR NOT NULL, part INTEGER NOT NULL, file_name VARCHAR NOT NULL,
        version VARCHAR, sha256 VARCHAR NOT NULL, rows BIGINT NOT NULL,
        imported_at TIMESTAMP NOT NULL, licence VARCHAR, citation VARCHAR, title VARCHAR,
        publisher VARCHAR, url VARCHAR, raw_path VARCHAR, coverage VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS _coverage (
        source VARCHAR NOT NULL, file_name VARCHAR NOT NULL, iso3 VARCHAR NOT NULL,
        start_date DATE NOT NULL, end_date DATE NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS _tables (
        name VARCHAR NOT NULL, kind VARCHAR NOT NULL, rows BIGINT NOT NULL,
        written_at TIMESTAMP NOT NULL, meta VARCHAR, snapshot VARCHAR,
        snapshot_written_at TIMESTAMP
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS _history (
        happened_at TIMESTAMP NOT NULL, source VARCHAR NOT NULL, action VARCHAR NOT NULL,
        file_name VARCHAR, sha256 VARCHAR, version VARCHAR, rows BIGINT
    )
    """,
)

BOOKKEEPING = frozenset({"_provenance", "_coverage", "_tables", "_history"})


def _connect(path: Path, write: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=not write)
    except duckdb.ConnectionException as exc:
        # This process already has the file open for writing (DuckDB shares one instance per
        # file and process, with one configuration): a reader joins that instance.
        if write or "different configuration" not in str(exc):
            if "different configuration" in str(exc):
                raise WarehouseError(
                    f"cannot write to the warehouse {path}: this process holds it open for "
                    "reading; close that reader (leave its `with` block) first"
                ) from None
            raise
        return duckdb.connect(str(path), read_only=False)


def open_connection(path: Path, *, write: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Open ``path``, retrying while another process holds its lock for up to ``wait`` s."""
    started = time.monotonic()
    pause = 0.05
    while True:
        try:
            con = _connect(path, write)
        except duckdb.IOException as exc:
            text = str(exc)
            if not _LOCK_MESSAGE.search(text):
                raise WarehouseError(f"cannot open the warehouse {path}: {text}") from None
            waited = time.monotonic() - started
            if waited >= wait:
                found = _HOLDER.search(text)
                holder = f"process id {found.group(1)}" if found else None
                raise WarehouseBusyError(path, waited, holder) from None
            time.sleep(min(pause, max(0.0, wait - waited)))
            pause = min(pause * 2, 1.0)
            continue
        except duckdb.Error as exc:
            raise WarehouseError(
                f"cannot open the warehouse {path}: {exc}. If the file is damaged, restore "
                "it from a backup of the home folder or delete it and import the data again."
            ) from None
        # DuckDB draws a progress bar on the terminal for long queries; ours is rich's.
        con.execute("SET enable_progress_bar = false")
        if write:
            for statement in SCHEMA:
                con.execute(statement)
        return con


def commit_load(con: duckdb.DuckDBPyConnection) -> None:
    """Commit the open transaction of a load, writing its rows to the file once.

    DuckDB writes a large new table straight into the database file while it is built, but the
    sources layer finishes the table in place (type changes, country keys), which DuckDB keeps
    in memory; a plain ``COMMIT`` then logs every row to the write-ahead log (650 MB for 10^6
    GED events) and the checkpoint on close writes them again. A threshold of zero makes the
    commit checkpoint instead (DuckDB checks the threshold at commit), so the rows are written
    once, compressed. It is as atomic: DuckDB writes the new blocks beside the old ones and the
    database header last, so a process killed before ``commit`` returns leaves the previous
    version, as a kill before ``COMMIT`` does. The setting belongs to the DuckDB instance, so it
    is put back at once.
    """
    con.execute("SET checkpoint_threshold = '0b'")
    try:
        con.commit()
    finally:
        with contextlib.suppress(duckdb.Error):
            con.execute("RESET checkpoint_threshold")
