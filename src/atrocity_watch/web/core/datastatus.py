"""What data the warehouse holds, for the "source, licence and date" lines and empty states.

The warehouse is another layer's (``atrocity_watch.warehouse``); until it exists or holds data,
pages say so and how to get it, instead of showing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOW_TO_GET_DATA = (
    "No data has been prepared yet. An administrator can import it with "
    "`atrocity-watch data import` (or run `make run`, which prepares it before serving)."
)


@dataclass(frozen=True)
class WarehouseStatus:
    """The sources loaded in the warehouse, or why there are none."""

    available: bool
    message: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    derived: list[dict[str, Any]] = field(default_factory=list)


# The last good answer per warehouse file version. Opening DuckDB costs tens of milliseconds of
# CPU, and the start page asks on every visit; the file changes only when data is imported or
# built, and then its size, modification time or write-ahead log changes too.
_last: dict[str, tuple[tuple[object, ...], WarehouseStatus]] = {}


def _file_version(path: Path) -> tuple[object, ...] | None:
    found: list[object] = []
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            st = candidate.stat()
        except FileNotFoundError:
            found.append(None)
            continue
        found.append((st.st_ino, st.st_mtime_ns, st.st_size))
    return None if found[0] is None else tuple(found)


def warehouse_status() -> WarehouseStatus:
    """Provenance of every loaded source, never raising: problems become the message.

    Read again only when the warehouse file has changed since the last good answer.
    """
    from atrocity_watch import config

    path = config.home() / "warehouse.duckdb"
    version = _file_version(path)
    if version is None:
        return WarehouseStatus(False, HOW_TO_GET_DATA)
    hit = _last.get(str(path))
    if hit is not None and hit[0] == version:
        return hit[1]
    found = _read_status()
    if found.available or found.message == HOW_TO_GET_DATA:
        # A busy or broken warehouse is asked again next time, not remembered.
        _last[str(path)] = (version, found)
    return found


def _read_status() -> WarehouseStatus:
    try:
        from atrocity_watch.warehouse import Warehouse
    except ImportError:
        return WarehouseStatus(False, HOW_TO_GET_DATA)
    try:
        # A page must not wait for an import in another process to finish: give up quickly.
        warehouse = Warehouse(wait=0.5)
        rows = warehouse.status()
        tables = [t for t in warehouse.tables() if t.kind != "source"]
    except Exception as exc:  # a broken or busy warehouse must not take the pages down; say why
        return WarehouseStatus(False, f"The data warehouse could not be read just now: {exc}")
    sources = [
        {
            "source": r.source,
            "version": r.version or "",
            "rows": r.rows,
            "imported_at": r.imported_at,
            "licence": r.licence,
            "citation": r.citation,
        }
        for r in rows
    ]
    derived = [
        {"name": t.name, "kind": t.kind, "rows": t.rows, "written_at": t.written_at} for t in tables
    ]
    if not sources and not derived:
        return WarehouseStatus(False, HOW_TO_GET_DATA)
    message = f"{len(sources)} source files imported; {len(derived)} prepared tables."
    if not sources:
        message = (
            "Prepared tables are present, but no imported source file is recorded in this "
            "warehouse, so their provenance cannot be shown here."
        )
    return WarehouseStatus(True, message, sources, derived)
