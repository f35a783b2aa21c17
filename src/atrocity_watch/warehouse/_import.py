"""Importing files and folders: recognise, validate, archive, load — one source at a time."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from atrocity_watch.errors import AtrocityWatchError
from atrocity_watch.warehouse._archive import (
    archive_file,
    archive_path,
    file_sha256,
    forget_file,
)
from atrocity_watch.warehouse._connect import commit_load
from atrocity_watch.warehouse._errors import NothingToImportError
from atrocity_watch.warehouse._model import (
    FailedSource,
    ImportReport,
    LoadMode,
    LoadResult,
    ProgressCallback,
    SkippedFile,
    SourceTableLike,
)
from atrocity_watch.warehouse._snapshot import publish_bookkeeping

if TYPE_CHECKING:
    import duckdb

    from atrocity_watch.warehouse._store import Warehouse

# Files a folder of downloads typically holds that are never data.
_NEVER_DATA = {"sources.md", "readme.md", "sha256sums", "license", "licence", ".ds_store"}


def _candidates(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        found.append(path)
    return found


def import_path(
    warehouse: Warehouse,
    path: Path,
    source: str | None = None,
    *,
    mode: LoadMode = LoadMode.REPLACE,
    sample: bool | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import one file, or every recognised file under a folder.

    A single file must be recognised (or ``source`` given); if it cannot be read the error is
    raised and nothing changes. In a folder, files that no source recognises are listed as
    skipped; the recognised files of each source are loaded together as that source's new
    version, one atomic load per source. A source whose files fail validation keeps its
    previous version and is listed as failed, while the other sources still load.
    """
    from atrocity_watch.sources import get_source, read_file, recognise

    if not path.exists():
        raise NothingToImportError(f"{path} does not exist")
    if source is not None:
        get_source(source)  # an unknown name fails before any file is read
    if path.is_file():
        name = source or recognise(path)
        if name is None:
            read_file(path)  # raises UnrecognisedFileError, which lists what each source needs
            raise NothingToImportError(f"{path} is not a file of any known source")
        load = load_files(warehouse, [(path, name)], mode=mode, sample=sample, progress=progress)
        return ImportReport(loads=(load,))

    groups: dict[str, list[Path]] = defaultdict(list)
    skipped: list[SkippedFile] = []
    files = _candidates(path)
    for index, file in enumerate(files, start=1):
        if progress:
            progress(f"recognising {file.name}", index, len(files))
        if file.name.lower() in _NEVER_DATA:
            skipped.append(SkippedFile(str(file), "documentation, not data"))
            continue
        try:
            name = recognise(file)
        except (AtrocityWatchError, OSError, UnicodeError) as exc:
            skipped.append(SkippedFile(str(file), f"could not be read to recognise it: {exc}"))
            continue
        if name is None:
            skipped.append(SkippedFile(str(file), "not recognised as a file of any known source"))
        elif source is not None and name != source:
            skipped.append(SkippedFile(str(file), f"a {name} file, not {source}"))
        else:
            groups[name].append(file)
    if not groups:
        raise NothingToImportError(
            f"no file under {path} was recognised as source data ({len(skipped)} files "
            "skipped); give --source NAME to read a file as a given source"
        )

    loads: list[LoadResult] = []
    failed: list[FailedSource] = []
    for name, paths in sorted(groups.items()):
        try:
            loads.append(
                load_files(
                    warehouse,
                    [(p, name) for p in paths],
                    mode=mode,
                    sample=sample,
                    progress=progress,
                )
            )
        except AtrocityWatchError as exc:
            failing = getattr(exc, "file", None) or str(path)
            failed.append(FailedSource(name, str(failing), str(exc)))
    return ImportReport(loads=tuple(loads), skipped=tuple(skipped), failed=tuple(failed))


def load_files(
    warehouse: Warehouse,
    items: list[tuple[Path, str]],
    *,
    mode: LoadMode,
    sample: bool | None,
    progress: ProgressCallback | None,
    move: bool = False,
) -> LoadResult:
    """Read, archive and load one source's files in one transaction on the warehouse.

    The files are read straight into the warehouse connection (no copy through Python), the
    archive under ``raw/`` is written only for a load that changes something, and any error
    rolls everything back and removes what was archived. Files the source already holds
    under the same name and checksum are recognised by their checksum alone, without
    reading them again (a refresh that finds nothing new takes seconds, not minutes).
    """
    from atrocity_watch.sources import read_file
    from atrocity_watch.warehouse._load import load_source, source_facts

    if not items:
        raise NothingToImportError("nothing to import: no file was given")
    source = items[0][1]
    facts = source_facts(source)
    created: list[Path] = []
    with warehouse.connection(write=True) as con:
        known = _already_imported(con, items, progress)
        if known is not None:
            return known
        con.begin()
        incoming: list[str] = []
        try:
            results: list[SourceTableLike] = []
            for index, (file, name) in enumerate(items, start=1):
                if progress:
                    progress(f"{name}: reading {file.name}", index - 1, len(items))
                table = f"_aw_incoming_{index}"
                incoming.append(table)
                results.append(read_file(file, source=name, connection=con, table=table))
            raw_paths: dict[str, str] = {}
            for (file, _), result in zip(items, results, strict=True):
                target = archive_path(warehouse.raw_dir, source, result.sha256, file.name)
                raw_paths[result.sha256] = target.relative_to(warehouse.home).as_posix()
            load = load_source(
                con,
                results,
                mode=mode,
                sample=sample,
                raw_paths=raw_paths,
                facts=facts,
                progress=progress,
            )
            if not load.changed:
                con.rollback()
                return load
            for (file, _), result in zip(items, results, strict=True):
                target = archive_path(warehouse.raw_dir, source, result.sha256, file.name)
                if not target.exists():
                    archive_file(warehouse.raw_dir, source, file, result.sha256, move=move)
                    created.append(target)
            for table in incoming:
                con.execute(f'DROP TABLE IF EXISTS "{table}"')
            commit_load(con)
            publish_bookkeeping(con, warehouse.parquet_dir)
        except BaseException:
            con.rollback()
            for target in created:
                forget_file(warehouse.raw_dir, source, target)
            raise
    return load


def _already_imported(
    con: duckdb.DuckDBPyConnection,
    items: list[tuple[Path, str]],
    progress: ProgressCallback | None,
) -> LoadResult | None:
    """The no-op result when every file is one the source holds already, else None.

    Only files whose names the source already holds are hashed up front (the case of a
    refresh or of importing the same download twice); any other file is read at once, its
    checksum computed while it is parsed, so a new file is never read twice.
    """
    from atrocity_watch.warehouse._load import current_files, unchanged_load

    source = items[0][1]
    if any(name != source for _, name in items):
        return None
    before = current_files(con, source)
    held_names = {p.file_name for p in before}
    if not before or any(file.name not in held_names for file, _ in items):
        return None
    held = {p.sha256 for p in before}
    shas: set[str] = set()
    for index, (file, _) in enumerate(items, start=1):
        if progress:
            progress(f"{source}: checksum of {file.name}", index - 1, len(items))
        sha = file_sha256(file)
        if sha not in held:
            return None
        shas.add(sha)
    return unchanged_load(con, source, before, shas)
