"""Reading the warehouse for the pages: lock-free, and cached per version of each table.

The warehouse publishes every derived table (panels, forecasts, drivers) as a Parquet snapshot
that is replaced in one rename after its transaction commits (``atrocity_watch.warehouse``,
``docs/warehouse.md``). The pages read only those snapshots, never the DuckDB file, so a running
import or panel build can neither block a page nor be blocked by one.

Each worker process keeps what it built from a snapshot (an index by country, a sorted list)
until the file changes. The cache key is the file's identity — inode, modification time in
nanoseconds and size — taken with ``fstat`` on the same open handle the rows are read from, so
new rows are never stored under an old key. Checking the key costs one ``open`` and one
``fstat`` per table and request.

Source facts (licence, citation) come from the source declarations; versions and import dates
come from the warehouse's provenance, which lives in the DuckDB file: it is read without waiting
(a busy file means an import is running) and the last answer is kept until the file changes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from atrocity_watch import config
from atrocity_watch.errors import AtrocityWatchError

T = TypeVar("T")


class DashboardDataError(AtrocityWatchError):
    """A derived table exists but cannot be used: unreadable, or without a needed column."""


@dataclass(frozen=True)
class Snapshot:
    """One published version of a derived table."""

    table: str
    path: Path
    signature: tuple[int, int, int]
    written_at: datetime  # when the snapshot was published (the table's build time)


_homes: dict[str | None, Path] = {}


def home() -> Path:
    """The home folder whose warehouse the pages show.

    Read from the setting on every call (tests change it), but resolved into an absolute path
    once per value: resolving costs file-system calls, and a page asks many times.
    """
    raw = config.env_str("ATROCITY_WATCH_HOME")
    found = _homes.get(raw)
    if found is None:
        found = _homes[raw] = config.home()
    return found


def signatures(tables: Sequence[str]) -> tuple[Any, ...]:
    """The current version of each table's snapshot (None when absent), for cache keys.

    Cheap (one ``stat`` per table): callers key caches of what they build from several tables
    with it, as :func:`load_tables` does for one.
    """
    found: list[Any] = [str(home())]
    parquet = home() / "parquet"
    for table in tables:
        try:
            st = (parquet / f"{table}.parquet").stat()
        except FileNotFoundError:
            found.append(None)
            continue
        found.append((st.st_ino, st.st_mtime_ns, st.st_size))
    return tuple(found)


def snapshot_path(table: str) -> Path | None:
    """The published snapshot of ``table``, or None when the warehouse has none.

    ``$ATROCITY_WATCH_HOME/parquet/<table>.parquet``, the layout ``Warehouse.snapshot_path``
    documents; built here without a ``Warehouse`` object, whose set-up resolves paths on disk
    (a page asks for several tables on every request).
    """
    path = home() / "parquet" / f"{table}.parquet"
    return path if path.exists() else None


_cache: dict[tuple[str, str, str], tuple[tuple[Any, ...], Any]] = {}
_lock = threading.Lock()


def require_columns(arrow: pa.Table, table: str, needed: Iterable[str]) -> None:
    """Raise :class:`DashboardDataError` naming the columns ``table`` lacks."""
    missing = [c for c in needed if c not in arrow.column_names]
    if missing:
        raise DashboardDataError(
            f"The warehouse table {table} has no column {', '.join(missing)} (it has: "
            f"{', '.join(arrow.column_names)}). It was probably written by another version of "
            "Atrocity Watch: rebuild it (`atrocity-watch forecast run` or `panels build`)."
        )


def load_tables(
    tables: Sequence[str],
    build: Callable[[dict[str, pa.Table | None], dict[str, Snapshot | None]], T],
    *,
    purpose: str = "",
    columns: dict[str, Sequence[str] | None] | None = None,
) -> T:
    """``build(arrow_by_table, snapshot_by_table)``, cached until one of the snapshots changes.

    Tables without a snapshot are given as None; ``build`` decides what that means. ``purpose``
    separates caches built from the same tables for different ends. ``columns`` reads only those
    of a table's columns (the ones it has; ``build`` checks what it needs with
    :func:`require_columns`).
    """
    key = (str(home()), ",".join(tables), purpose)
    handles: dict[str, Any] = {}
    try:
        signature: list[Any] = []
        for table in tables:
            path = snapshot_path(table)
            try:
                if path is None:
                    raise FileNotFoundError(table)
                handles[table] = open(path, "rb")  # noqa: SIM115  (closed below)
            except FileNotFoundError:
                signature.append(None)
                continue
            st = os.fstat(handles[table].fileno())
            signature.append((st.st_ino, st.st_mtime_ns, st.st_size))
        sig = tuple(signature)
        hit = _cache.get(key)
        if hit is not None and hit[0] == sig:
            return hit[1]  # type: ignore[no-any-return]
        arrows: dict[str, pa.Table | None] = {}
        snapshots: dict[str, Snapshot | None] = {}
        for table, table_sig in zip(tables, sig, strict=True):
            if table_sig is None:
                arrows[table] = snapshots[table] = None
                continue
            wanted = (columns or {}).get(table)
            arrows[table] = _read(handles[table], table, wanted)
            snapshots[table] = Snapshot(
                table=table,
                path=Path(handles[table].name),
                signature=table_sig,
                written_at=datetime.fromtimestamp(table_sig[1] / 1e9, tz=UTC),
            )
    finally:
        for handle in handles.values():
            handle.close()
    value = build(arrows, snapshots)
    with _lock:
        _cache[key] = (sig, value)
    return value


def _read(handle: Any, table: str, wanted: Sequence[str] | None) -> pa.Table:
    try:
        if wanted is not None:
            present = set(pq.read_schema(handle).names)
            wanted = [c for c in wanted if c in present]
            handle.seek(0)
        return pq.read_table(handle, columns=list(wanted) if wanted is not None else None)
    except (pa.ArrowException, OSError) as exc:
        raise DashboardDataError(
            f"The warehouse table {table} could not be read ({exc}). Rebuild it, or restore "
            "the home folder from a backup."
        ) from None


def clear_cache() -> None:
    """Forget every cached table (tests; a worker otherwise never needs it)."""
    with _lock:
        _cache.clear()
        _provenance_cache.clear()
        _facts_cache.clear()
    for clear in _other_caches:
        clear()


_other_caches: list[Callable[[], None]] = []


def register_cache(clear: Callable[[], None]) -> None:
    """Have :func:`clear_cache` also call ``clear`` (caches built on top of these reads)."""
    _other_caches.append(clear)


# -- sources: licence and citation from the declarations, version and date from provenance ------


@dataclass(frozen=True)
class SourceFacts:
    """What a page says about one source of the data it shows."""

    name: str
    title: str
    publisher: str
    licence: str
    citation: str
    url: str
    versions: tuple[str, ...] = ()
    imported_at: datetime | None = None
    shareable_rows: bool = True

    @property
    def imported(self) -> bool:
        """True when the warehouse holds this source's data."""
        return self.imported_at is not None


_provenance_cache: dict[str, tuple[tuple[Any, ...], dict[str, list[Any]]]] = {}


def duckdb_signature() -> tuple[Any, ...] | None:
    """The DuckDB file's version (and its write-ahead log's), None without a warehouse."""
    from atrocity_watch.web.core.datastatus import warehouse_file_version

    return warehouse_file_version(home() / "warehouse.duckdb")


def provenance() -> dict[str, list[Any]]:
    """The warehouse's provenance by source name; the last good answer while it is busy.

    Never waits: while an import holds the file, the previous answer is given (or none yet).
    """
    key = str(home())
    sig = duckdb_signature()
    if sig is None:
        return {}
    hit = _provenance_cache.get(key)
    if hit is not None and hit[0] == sig:
        return hit[1]
    from atrocity_watch.warehouse import Warehouse, WarehouseError

    try:
        rows = Warehouse(home(), wait=0).status()
    except (WarehouseError, OSError):
        # Busy (an import is running) or unreadable: the pages still show the data they have.
        return hit[1] if hit is not None else {}
    by_source: dict[str, list[Any]] = {}
    for row in rows:
        by_source.setdefault(row.source, []).append(row)
    with _lock:
        _provenance_cache[key] = (sig, by_source)
    return by_source


_facts_cache: dict[tuple[Any, ...], list[SourceFacts]] = {}


def source_facts(names: Iterable[str]) -> list[SourceFacts]:
    """Licence, citation, version and import date of the named sources, in the given order.

    A name that is not a declared source (a derived input such as a coup list the panels build
    from) is still listed, by name, with "licence not recorded".
    """
    wanted = tuple(names)
    key = (str(home()), wanted, duckdb_signature())
    hit = _facts_cache.get(key)
    if hit is None:
        hit = _source_facts(wanted, provenance())
        with _lock:
            if len(_facts_cache) > 512:  # old versions of the warehouse: start afresh
                _facts_cache.clear()
            _facts_cache[key] = hit
    return hit


def _source_facts(names: Sequence[str], loaded: dict[str, list[Any]]) -> list[SourceFacts]:
    from atrocity_watch.sources import UnknownSourceError, get_source

    facts: list[SourceFacts] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            continue
        seen.add(name)
        rows = loaded.get(name, [])
        versions = tuple(sorted({str(r.version) for r in rows if r.version}))
        imported_at = max((r.imported_at for r in rows), default=None)
        try:
            spec = get_source(name)
        except UnknownSourceError:
            facts.append(
                SourceFacts(
                    name, name, "", "licence not recorded", "", "", versions, imported_at, True
                )
            )
            continue
        facts.append(
            SourceFacts(
                name=name,
                title=spec.title,
                publisher=spec.publisher,
                licence=spec.licence,
                citation=spec.citation,
                url=spec.url,
                versions=versions,
                imported_at=imported_at,
                shareable_rows=spec.raw_rows_shareable,
            )
        )
    return facts
