"""The warehouse's exception family.

Every error says what went wrong and what to do about it, and none has side effects: raising
one never writes, logs or prints. A failed operation leaves the warehouse exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from atrocity_watch.errors import AtrocityWatchError


class WarehouseError(AtrocityWatchError):
    """Base class of the warehouse's errors."""


class WarehouseBusyError(WarehouseError):
    """Another process holds the warehouse file and did not release it in time."""

    def __init__(self, path: Path, waited: float, holder: str | None = None) -> None:
        self.path = path
        self.waited = waited
        self.holder = holder
        who = f" ({holder})" if holder else ""
        super().__init__(
            f"the warehouse {path} is in use by another process{who} and was still busy after "
            f"{waited:.0f} s; wait for that import or build to finish and try again (set "
            "ATROCITY_WATCH_WAREHOUSE_WAIT to wait longer)"
        )


class UnknownTableError(WarehouseError):
    """A table was asked for that the warehouse does not hold."""

    def __init__(self, name: str, known: list[str], hint: str = "") -> None:
        self.name = name
        self.known = known
        listed = ", ".join(known) if known else "none yet"
        extra = f"; {hint}" if hint else ""
        super().__init__(f"the warehouse has no table {name!r} (tables: {listed}){extra}")


class InvalidTableError(WarehouseError):
    """Data handed to the warehouse cannot be stored as asked (bad name, columns or types)."""


class NothingToImportError(WarehouseError):
    """A path given for import holds no file that could be imported."""
