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
    datasets: list[dict[str, Any]] = field(default_factory=list)


_SHOWN_VERSIONS = 4


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def by_dataset(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per dataset: its title, files, versions, rows, latest import, licence.

    A warehouse fed from a full mirror holds well over a hundred files (one per SIPRI supplier,
    per ACLED export, per edition); people want one line per dataset, with what it covers.
    """
    from atrocity_watch.sources import SOURCES

    titles = {spec.name: spec.title for spec in SOURCES}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in files:
        grouped.setdefault(item["source"], []).append(item)
    out = []
    for name, items in sorted(grouped.items(), key=lambda kv: titles.get(kv[0], kv[0]).lower()):
        versions = sorted({str(i["version"]) for i in items if i["version"]})
        shown = ", ".join(versions[-_SHOWN_VERSIONS:])
        if len(versions) > _SHOWN_VERSIONS:
            shown = f"{len(versions)} versions, latest {shown}"
        dates = [i["imported_at"] for i in items if i["imported_at"] is not None]
        out.append(
            {
                "source": name,
                "title": titles.get(name, name),
                "files": len(items),
                "versions": shown,
                "rows": sum(int(i["rows"] or 0) for i in items),
                "imported_at": max(dates) if dates else None,
                "licence": items[0]["licence"],
                "citation": items[0]["citation"],
            }
        )
    return out


# The last good answer per warehouse file version. Opening DuckDB costs tens of milliseconds of
# CPU, and the start page asks on every visit; the file changes only when data is imported or
# built, and then its size, modification time or write-ahead log changes too.
_last: dict[str, tuple[tuple[object, ...], WarehouseStatus]] = {}


def warehouse_file_version(path: Path) -> tuple[object, ...] | None:
    """The DuckDB file's version (and its write-ahead log's); None without a warehouse file.

    Changes whenever data is imported or built; cheap enough to ask on every request.
    """
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
    version = warehouse_file_version(path)
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
    datasets = by_dataset(sources)
    message = (
        f"{_count(len(datasets), 'dataset')} imported from "
        f"{_count(len(sources), 'source file')}; {_count(len(derived), 'prepared table')}."
    )
    if not sources:
        message = (
            "Prepared tables are present, but no imported source file is recorded in this "
            "warehouse, so their provenance cannot be shown here."
        )
    return WarehouseStatus(True, message, sources, derived, datasets)
