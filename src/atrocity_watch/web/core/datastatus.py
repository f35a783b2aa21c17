"""What data the warehouse holds, for the "source, licence and date" lines and empty states.

The warehouse is another layer's (``atrocity_watch.warehouse``); until it exists or holds data,
pages say so and how to get it, instead of showing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def warehouse_status() -> WarehouseStatus:
    """Provenance of every loaded source, never raising: problems become the message."""
    try:
        from atrocity_watch.warehouse import Warehouse
    except ImportError:
        return WarehouseStatus(False, HOW_TO_GET_DATA)
    try:
        from atrocity_watch import config

        if not (config.home() / "warehouse.duckdb").exists():
            return WarehouseStatus(False, HOW_TO_GET_DATA)
        rows = Warehouse().status()
    except Exception as exc:  # a broken warehouse must not take the pages down; say what broke
        return WarehouseStatus(False, f"The data warehouse could not be read: {exc}")
    if not rows:
        return WarehouseStatus(False, HOW_TO_GET_DATA)
    sources = [
        {
            "source": getattr(r, "source", ""),
            "version": getattr(r, "version", ""),
            "rows": getattr(r, "rows", None),
            "imported_at": getattr(r, "imported_at", None),
            "licence": getattr(r, "licence", ""),
            "citation": getattr(r, "citation", ""),
        }
        for r in rows
    ]
    return WarehouseStatus(True, f"{len(sources)} sources loaded.", sources)
