"""Frozen value objects the warehouse hands back: provenance, load results, table facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

import pyarrow as pa

from atrocity_watch.warehouse._errors import WarehouseError

#: ``progress(description, done, total)``: called as long work advances (total 0 = unknown).
ProgressCallback = Callable[[str, int, int], None]


class SourceTableLike(Protocol):
    """What :func:`atrocity_watch.sources.read_file` returns, as far as the warehouse cares."""

    @property
    def source(self) -> str: ...
    @property
    def table(self) -> pa.Table: ...
    @property
    def file_name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def version(self) -> str | None: ...
    @property
    def rows(self) -> int: ...


class LoadMode(StrEnum):
    """How files join a source that already holds data."""

    #: the files become the source's whole content (a new version replaces the old)
    REPLACE = "replace"
    #: the files are added to what the source holds; a file of the same name is replaced
    ADD = "add"


class Action(StrEnum):
    """What a load did."""

    LOADED = "loaded"  # the source was empty before
    REPLACED = "replaced"  # a new version replaced the previous one
    ADDED = "added"  # files joined the files already there
    UNCHANGED = "unchanged"  # the same files were already imported: nothing changed


class CoverageKind(StrEnum):
    """What a file claims about the countries and period it holds."""

    #: every event for its countries and period is in the file (a publisher's full file)
    COMPLETE = "complete"
    #: a sample: its rows are kept, but no country or period counts as covered
    SAMPLE = "sample"


@dataclass(frozen=True)
class Provenance:
    """Where one imported file came from, and what it is."""

    source: str
    file_name: str
    version: str | None
    sha256: str
    rows: int
    imported_at: datetime
    licence: str
    citation: str
    title: str = ""
    publisher: str = ""
    url: str = ""
    raw_path: str | None = None
    coverage: CoverageKind = CoverageKind.COMPLETE
    part: int = 0

    def __post_init__(self) -> None:
        if len(self.sha256) != 64 or any(c not in "0123456789abcdef" for c in self.sha256):
            raise WarehouseError(
                f"the checksum of {self.file_name!r} must be 64 lower-case hex digits (SHA-256). "
                f"Got {self.sha256!r} instead."
            )
        if self.rows < 0:
            raise WarehouseError(f"the row count of {self.file_name!r} cannot be negative.")

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form for JSON output."""
        return {
            "source": self.source,
            "file_name": self.file_name,
            "version": self.version,
            "sha256": self.sha256,
            "rows": self.rows,
            "imported_at": self.imported_at,
            "licence": self.licence,
            "citation": self.citation,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "raw_path": self.raw_path,
            "coverage": self.coverage.value,
        }


@dataclass(frozen=True)
class CoverageSpan:
    """A country (or ``*`` for every country that existed) and the dates a file covers."""

    source: str
    file_name: str
    iso3: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise WarehouseError(
                f"coverage of {self.file_name!r} for {self.iso3} starts ({self.start}) after it "
                f"ends ({self.end})."
            )


@dataclass(frozen=True)
class LoadResult:
    """What one atomic load of a source did."""

    source: str
    action: Action
    files: tuple[Provenance, ...]
    rows: int
    previous: tuple[Provenance, ...] = ()
    duplicates_dropped: int = 0
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True unless the load was a no-op."""
        return self.action is not Action.UNCHANGED

    @property
    def message(self) -> str:
        """One sentence for people."""
        names = ", ".join(p.file_name for p in self.files)
        if self.action is Action.UNCHANGED:
            return f"{self.source}: already imported ({names}); nothing changed"
        versions = sorted({p.version for p in self.files if p.version})
        version = f" version {', '.join(versions)}" if versions else ""
        text = f"{self.source}: {self.action.value}{version} from {names} ({self.rows:,} rows)"
        if self.previous and self.action is Action.REPLACED:
            text += f"; replaced {', '.join(p.file_name for p in self.previous)}"
        if self.duplicates_dropped:
            text += (
                f"; {self.duplicates_dropped:,} records held by more than one file were kept "
                "once, from the newest file"
            )
        return text

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form for JSON output."""
        return {
            "source": self.source,
            "action": self.action.value,
            "changed": self.changed,
            "rows": self.rows,
            "files": [p.as_dict() for p in self.files],
            "previous_files": [p.file_name for p in self.previous],
            "duplicates_dropped": self.duplicates_dropped,
            "notes": list(self.notes),
            "message": self.message,
        }


@dataclass(frozen=True)
class TableInfo:
    """A table of the warehouse: a source's data or a derived table (panels, forecasts…)."""

    name: str
    kind: str
    rows: int
    written_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)
    snapshot: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form for JSON output."""
        return {
            "name": self.name,
            "kind": self.kind,
            "rows": self.rows,
            "written_at": self.written_at,
            "meta": self.meta,
            "snapshot": self.snapshot,
        }


@dataclass(frozen=True)
class SkippedFile:
    """A file an import left alone, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class FailedSource:
    """A source whose files could not be imported; its previous version is untouched."""

    source: str | None
    path: str
    error: str


@dataclass(frozen=True)
class ImportReport:
    """Everything an import of a file or folder did."""

    loads: tuple[LoadResult, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    failed: tuple[FailedSource, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form for JSON output."""
        return {
            "ok": self.ok,
            "loads": [load.as_dict() for load in self.loads],
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "failed": [{"source": f.source, "path": f.path, "error": f.error} for f in self.failed],
        }
