"""Parquet snapshots of derived tables, for readers that must never wait for a writer.

The web app's workers read panels, forecasts and signals while an import or a panel build may
hold the DuckDB file's write lock. So every derived table is also published, after its
transaction commits, as ``$ATROCITY_WATCH_HOME/parquet/<table>.parquet``: written under a
temporary name, flushed to disk, and renamed over the previous snapshot in one step. A reader
sees the old snapshot or the new one, never a half-written file. If a process dies between the
commit and the rename, the snapshot is one version behind until the next write to the
warehouse, which republishes every stale snapshot first (:func:`repair_snapshots`).
"""

# ruff: noqa: S608  (identifiers are quoted with quote(); values are bound as parameters)

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb

from atrocity_watch.warehouse._sql import literal, quote, utc_now


def snapshot_file(parquet_dir: Path, name: str) -> Path:
    """Where the snapshot of table ``name`` lives."""
    return parquet_dir / f"{name}.parquet"


def publish_snapshot(con: duckdb.DuckDBPyConnection, parquet_dir: Path, name: str) -> Path:
    """Write the committed table ``name`` to its Parquet snapshot, atomically."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    dest = snapshot_file(parquet_dir, name)
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    con.execute(
        f"COPY (SELECT * FROM {quote(name)}) TO {literal(str(partial))} "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    fd = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, dest)
    con.execute(
        "UPDATE _tables SET snapshot = ?, snapshot_written_at = ? WHERE name = ?",
        [dest.name, utc_now().replace(tzinfo=None), name],
    )
    return dest


BOOKKEEPING_SNAPSHOTS = ("_provenance", "_coverage", "_tables")


def publish_bookkeeping(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> None:
    """Publish the (small) provenance, coverage and table catalogue for lock-free readers.

    ``Warehouse.status()`` and friends answer from these while another process writes, so a
    page that shows where its data came from never waits for an import.
    """
    parquet_dir.mkdir(parents=True, exist_ok=True)
    for name in BOOKKEEPING_SNAPSHOTS:
        dest = snapshot_file(parquet_dir, name)
        partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
        con.execute(
            f"COPY (SELECT * FROM {quote(name)}) TO {literal(str(partial))} (FORMAT parquet)"
        )
        os.replace(partial, dest)


def repair_snapshots(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> list[str]:
    """Republish the snapshots a crash left behind their tables; return their names."""
    rows = con.execute(
        "SELECT name, snapshot FROM _tables WHERE kind <> 'source' AND "
        "(snapshot_written_at IS NULL OR snapshot_written_at < written_at)"
    ).fetchall()
    stale = [str(name) for name, _ in rows]
    stale += [
        str(name)
        for name, snap in con.execute(
            "SELECT name, snapshot FROM _tables WHERE kind <> 'source' AND snapshot IS NOT NULL"
        ).fetchall()
        if not (parquet_dir / str(snap)).exists() and str(name) not in stale
    ]
    for name in stale:
        publish_snapshot(con, parquet_dir, name)
    if not all(snapshot_file(parquet_dir, n).exists() for n in BOOKKEEPING_SNAPSHOTS):
        publish_bookkeeping(con, parquet_dir)
    return stale
