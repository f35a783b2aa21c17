"""Atomic loads of source files into ``src_<source>`` tables.

One load is one DuckDB transaction that rebuilds the source's table and rewrites its
provenance, coverage and history rows (the callers in ``_store`` and ``_import`` open and commit
it). Until ``COMMIT`` returns, nothing of it is visible or
durable: an error rolls it back, and a process killed mid-load leaves only uncommitted work that
DuckDB discards on the next open. Readers therefore always see either the previous version of a
source or the new one, never a mixture.
"""

# ruff: noqa: S608  (identifiers are quoted with quote(); values are bound as parameters)

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from atrocity_watch.warehouse._coverage import measure_coverage
from atrocity_watch.warehouse._errors import InvalidTableError, WarehouseError
from atrocity_watch.warehouse._model import (
    Action,
    CoverageKind,
    CoverageSpan,
    LoadMode,
    LoadResult,
    ProgressCallback,
    Provenance,
    SourceTableLike,
)
from atrocity_watch.warehouse._sql import as_utc, literal, quote, utc_now, valid_name

FILE_COLUMN = "_source_file"

#: Sources whose files are *editions* of one dataset (each Early Warning Project edition
#: re-publishes every country-year), not parts of it. Their files are kept side by side, every
#: row with its file name in ``_source_file``, so a reader picks the edition it needs; the
#: files of other sources are parts (GED country files, ACLED exports) and a record held by
#: two of them is kept once.
KEEP_EVERY_EDITION = frozenset(
    {"ewp_prepared", "ewp_foos", "ewp_published_forecasts", "ewp_mk_episodes"}
)


@dataclass(frozen=True)
class SourceFacts:
    """What the sources layer declares about a source (licence, citation, unique key)."""

    title: str = ""
    publisher: str = ""
    licence: str = ""
    citation: str = ""
    url: str = ""
    key: tuple[str, ...] = ()


def source_facts(name: str) -> SourceFacts:
    """Look the source up in :mod:`atrocity_watch.sources`; an unknown name is an error."""
    from atrocity_watch import sources

    spec: Any = sources.get_source(name)
    key = getattr(spec, "key", ()) or ()
    if isinstance(key, str):
        key = (key,)
    return SourceFacts(
        title=str(getattr(spec, "title", "") or ""),
        publisher=str(getattr(spec, "publisher", "") or ""),
        licence=str(getattr(spec, "licence", "") or ""),
        citation=str(getattr(spec, "citation", "") or ""),
        url=str(getattr(spec, "url", "") or ""),
        key=tuple(str(k) for k in key),
    )


def coverage_kind(file_name: str, sample: bool | None) -> CoverageKind:
    """What a file covers: as the importer said, else a sample when its name says "sample".

    Publishers never call their full files samples, while excerpts for testing and teaching
    (such as acledR's ``acledR_sample_2022Q1`` or GED's ``sample1000``) do; treating those as
    complete would turn every month they leave out into a false zero.
    """
    if sample is not None:
        return CoverageKind.SAMPLE if sample else CoverageKind.COMPLETE
    return CoverageKind.SAMPLE if "sample" in file_name.lower() else CoverageKind.COMPLETE


def table_name(source: str) -> str:
    """The warehouse table that holds a source's rows."""
    return f"src_{source}"


def _version_key(version: str | None) -> tuple[tuple[int, int | str], ...]:
    """Natural order of version strings: "9.1" < "23.1" < "24.1"; no version sorts first."""
    if not version:
        return ()
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|[^\d.\-_ ]+", version)
    )


PROVENANCE_COLUMNS = (
    "source, file_name, version, sha256, rows, imported_at, licence, citation, title, "
    "publisher, url, raw_path, coverage, part"
)


def provenance_from_row(r: tuple[Any, ...]) -> Provenance:
    """A :class:`Provenance` from a row of ``SELECT {PROVENANCE_COLUMNS} FROM _provenance``."""
    return Provenance(
        source=r[0],
        file_name=r[1],
        version=r[2],
        sha256=r[3],
        rows=int(r[4]),
        imported_at=as_utc(r[5]),
        licence=r[6] or "",
        citation=r[7] or "",
        title=r[8] or "",
        publisher=r[9] or "",
        url=r[10] or "",
        raw_path=r[11],
        coverage=CoverageKind(r[12]),
        part=int(r[13]),
    )


def current_files(con: duckdb.DuckDBPyConnection, source: str) -> list[Provenance]:
    """The files that make up a source now, in part order."""
    rows = con.execute(
        f"SELECT {PROVENANCE_COLUMNS} FROM _provenance WHERE source = ? ORDER BY part", [source]
    ).fetchall()
    return [provenance_from_row(r) for r in rows]


def _check_batch(results: Sequence[SourceTableLike]) -> str:
    if not results:
        raise WarehouseError("nothing to load: no file was given")
    sources = {r.source for r in results}
    if len(sources) != 1:
        raise WarehouseError(
            f"one load holds one source's files; got files of {', '.join(sorted(sources))}"
        )
    source = results[0].source
    if not valid_name(source):
        raise InvalidTableError(f"{source!r} is not a valid source name")
    seen: dict[str, str] = {}
    for r in results:
        if r.file_name in seen and seen[r.file_name] != r.sha256:
            raise WarehouseError(
                f"two different files named {r.file_name!r} were given for {source}; rename one"
            )
        seen[r.file_name] = r.sha256
    return source


def _check_rows(con: duckdb.DuckDBPyConnection, results: Sequence[SourceTableLike]) -> None:
    """Each file's rows are what its reader reported, and none uses the reserved column.

    Counted where the rows are (SQL ``count(*)`` is answered from DuckDB's metadata), never by
    building a copy: a ``pyarrow.Table`` of 10^7 GED events takes many gigabytes.
    """
    for r in results:
        stored, columns = _rows_and_columns(con, r)
        if stored != r.rows:
            raise WarehouseError(
                f"{r.file_name}: the reader reported {r.rows} rows but the table holds {stored}"
            )
        if FILE_COLUMN in columns:
            raise InvalidTableError(
                f"{r.file_name}: column {FILE_COLUMN!r} is reserved for the warehouse"
            )


def _rows_and_columns(
    con: duckdb.DuckDBPyConnection, result: SourceTableLike
) -> tuple[int, list[str]]:
    """How many rows the result's table holds and its column names, without copying it."""
    relation = _relation_on(con, result)
    owner = con if relation is not None else getattr(result, "connection", None)
    name = relation if relation is not None else getattr(result, "table_name", None)
    if isinstance(owner, duckdb.DuckDBPyConnection) and name:
        row = owner.execute(f"SELECT count(*) FROM {quote(str(name))}").fetchone()
        described = owner.execute(f"SELECT * FROM {quote(str(name))} LIMIT 0").description
        return int(row[0]) if row else 0, [str(d[0]) for d in described or ()]
    table = result.table  # rows the caller handed over in memory already
    return table.num_rows, list(table.column_names)


def _arrow_input(result: SourceTableLike) -> pa.Table | pa.RecordBatchReader:
    """The rows of a result held elsewhere, streamed in batches where its reader allows."""
    stream = getattr(result, "to_batches", None)
    if callable(stream) and getattr(result, "connection", None) is not None:
        reader: pa.RecordBatchReader = stream()
        return reader
    return result.table


def load_source(
    con: duckdb.DuckDBPyConnection,
    results: Sequence[SourceTableLike],
    *,
    mode: LoadMode,
    sample: bool | None,
    raw_paths: dict[str, str],
    facts: SourceFacts,
    progress: ProgressCallback | None = None,
) -> LoadResult:
    """Rebuild ``src_<source>`` from the given files, inside the caller's open transaction.

    The caller commits (or rolls back): nothing here is visible to anyone until then. A
    result whose rows already sit in a table on ``con`` (``read_file(..., connection=con)``)
    is used in place; the rows of a result held on another connection are streamed in
    batches, and a plain PyArrow ``table`` handed over by the caller is copied.
    """
    source = _check_batch(results)
    _check_rows(con, results)
    # identical files given twice in one batch count once
    unique: dict[str, SourceTableLike] = {}
    for r in results:
        unique.setdefault(r.sha256, r)
    incoming = list(unique.values())
    table = table_name(source)
    before = current_files(con, source)
    before_shas = {p.sha256 for p in before}
    new = [r for r in incoming if r.sha256 not in before_shas]
    # Importing files that are all already in the warehouse is a no-op, whatever else is there.
    if not new:
        return unchanged_load(con, source, before, {r.sha256 for r in incoming})
    if mode is LoadMode.REPLACE:
        # the given files become the source; those already imported keep their rows
        incoming_shas = {r.sha256 for r in incoming}
        keep = [p for p in before if p.sha256 in incoming_shas]
    else:
        replaced_names = {r.file_name for r in new}
        keep = [p for p in before if p.file_name not in replaced_names]

    now = utc_now()
    parts = _order_parts(keep, new, now)
    if progress:
        progress(f"{source}: storing {sum(r.rows for r in new):,} rows", 1, 3)

    building = f"{table}__building"
    con.execute(f"DROP TABLE IF EXISTS {quote(building)}")
    in_place = _relation_on(con, new[0]) if len(new) == 1 and not keep else None
    if in_place is not None:
        # The common case (one new file read straight into the warehouse): take its table
        # as it is. Adding a constant column is a metadata change, not a copy of every row.
        con.execute(
            f"ALTER TABLE {quote(in_place)} ADD COLUMN {FILE_COLUMN} VARCHAR "
            f"DEFAULT {literal(new[0].file_name)}"
        )
        con.execute(f"ALTER TABLE {quote(in_place)} RENAME TO {quote(building)}")
    else:
        _build_union(con, source, table, building, keep, new)
    combined = int(con.execute(f"SELECT count(*) FROM {quote(building)}").fetchone()[0])  # type: ignore[index]
    dropped = 0
    notes_before: list[str] = []
    if len(parts) > 1 and source in KEEP_EVERY_EDITION:
        notes_before.append(f"{len(parts)} editions kept side by side; pick one with {FILE_COLUMN}")
    elif len(parts) > 1 and facts.key:
        dropped = _drop_duplicates(con, building, facts.key, parts, combined)
    con.execute(f"DROP TABLE IF EXISTS {quote(table)}")
    con.execute(f"ALTER TABLE {quote(building)} RENAME TO {quote(table)}")
    rows = combined - dropped
    if progress:
        progress(f"{source}: recording provenance and coverage", 2, 3)

    provenance = _write_provenance(con, source, parts, now, facts, sample, raw_paths)
    notes = _write_coverage(con, source, table, new, sample, keep)
    _write_table_row(con, table, rows, now, provenance)
    if not before:
        action = Action.LOADED
    else:
        action = Action.REPLACED if mode is LoadMode.REPLACE else Action.ADDED
    new_shas = {r.sha256 for r in new}
    con.executemany(
        "INSERT INTO _history VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [now.replace(tzinfo=None), source, action.value, p.file_name, p.sha256, p.version,
             p.rows]
            for p in provenance
            if p.sha256 in new_shas
        ],
    )  # fmt: skip
    if progress:
        progress(f"{source}: done", 3, 3)
    kept_names = {q.file_name for q in provenance}
    removed = tuple(p for p in before if p.file_name not in kept_names)
    return LoadResult(
        source=source,
        action=action,
        files=tuple(provenance),
        rows=rows,
        previous=removed,
        duplicates_dropped=dropped,
        notes=tuple(notes_before + notes),
    )


def _build_union(
    con: duckdb.DuckDBPyConnection,
    source: str,
    table: str,
    building: str,
    keep: list[Provenance],
    new: list[SourceTableLike],
) -> None:
    """Create ``building`` from the kept files' rows and the new files' rows, by column name."""
    registered: list[str] = []
    selects: list[str] = []
    if keep:
        names = ", ".join(literal(p.file_name) for p in keep)
        selects.append(f"SELECT * FROM {quote(table)} WHERE {FILE_COLUMN} IN ({names})")
    for i, r in enumerate(new):
        relation = _relation_on(con, r)
        if relation is None:
            relation = f"_aw_incoming_arrow_{i}"
            con.register(relation, _arrow_input(r))
            registered.append(relation)
        selects.append(f"SELECT *, {literal(r.file_name)} AS {FILE_COLUMN} FROM {quote(relation)}")
    try:
        con.execute(f"CREATE TABLE {quote(building)} AS {' UNION ALL BY NAME '.join(selects)}")
    except duckdb.Error as exc:
        raise InvalidTableError(f"the files of {source} cannot be stored together: {exc}") from None
    finally:
        for view in registered:
            with contextlib.suppress(duckdb.Error):  # the transaction may be aborted already
                con.unregister(view)


def _relation_on(con: duckdb.DuckDBPyConnection, result: SourceTableLike) -> str | None:
    """The table holding the result's rows when it sits on ``con`` already."""
    if getattr(result, "connection", None) is con:
        name = getattr(result, "table_name", None)
        return str(name) if name else None
    return None


def unchanged_load(
    con: duckdb.DuckDBPyConnection, source: str, before: list[Provenance], shas: set[str]
) -> LoadResult:
    """The result of a load whose files (by SHA-256) the source holds already: nothing changes."""
    row = con.execute("SELECT rows FROM _tables WHERE name = ?", [table_name(source)]).fetchone()
    return LoadResult(
        source=source,
        action=Action.UNCHANGED,
        files=tuple(p for p in before if p.sha256 in shas),
        rows=int(row[0]) if row else 0,
    )


@dataclass(frozen=True)
class _Part:
    file_name: str
    version: str | None
    imported_at: datetime
    new: SourceTableLike | None
    kept: Provenance | None


def _order_parts(keep: list[Provenance], new: list[SourceTableLike], now: datetime) -> list[_Part]:
    """Parts in precedence order: when two files hold the same record the later one wins.

    Newer versions win; within a version, the file imported later; then the later file name.
    """
    parts = [_Part(p.file_name, p.version, p.imported_at, None, p) for p in keep]
    parts += [_Part(r.file_name, r.version, now, r, None) for r in new]
    return sorted(parts, key=lambda p: (_version_key(p.version), p.imported_at, p.file_name))


def _drop_duplicates(
    con: duckdb.DuckDBPyConnection,
    table: str,
    key: tuple[str, ...],
    parts: list[_Part],
    combined: int,
) -> int:
    columns = {
        str(r[0])
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    if not set(key) <= columns:
        return 0
    ranks = pa.table(
        {
            "file_name": [p.file_name for p in parts],
            "_rank": list(range(len(parts))),
        }
    )
    con.register("_aw_part_rank", ranks)
    try:
        partition = ", ".join(quote(k) for k in key)
        con.execute(
            f"CREATE OR REPLACE TABLE {quote(table)} AS SELECT t.* FROM {quote(table)} t "
            f"JOIN _aw_part_rank r ON t.{FILE_COLUMN} = r.file_name "
            f"QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY r._rank DESC) = 1"
        )
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_aw_part_rank")
    after = int(con.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0])  # type: ignore[index]
    return combined - after


def _write_provenance(
    con: duckdb.DuckDBPyConnection,
    source: str,
    parts: list[_Part],
    now: datetime,
    facts: SourceFacts,
    sample: bool | None,
    raw_paths: dict[str, str],
) -> list[Provenance]:
    con.execute("DELETE FROM _provenance WHERE source = ?", [source])
    written: list[Provenance] = []
    for index, part in enumerate(parts):
        if part.kept is not None:
            old = part.kept
            p = Provenance(
                source=source,
                file_name=old.file_name,
                version=old.version,
                sha256=old.sha256,
                rows=old.rows,
                imported_at=old.imported_at,
                licence=old.licence,
                citation=old.citation,
                title=old.title,
                publisher=old.publisher,
                url=old.url,
                raw_path=old.raw_path,
                coverage=old.coverage,
                part=index,
            )
        else:
            r = part.new
            assert r is not None
            p = Provenance(
                source=source,
                file_name=r.file_name,
                version=r.version,
                sha256=r.sha256,
                rows=r.rows,
                imported_at=now,
                licence=facts.licence,
                citation=facts.citation,
                title=facts.title,
                publisher=facts.publisher,
                url=facts.url,
                raw_path=raw_paths.get(r.sha256),
                coverage=coverage_kind(r.file_name, sample),
                part=index,
            )
        con.execute(
            "INSERT INTO _provenance (source, part, file_name, version, sha256, rows, "
            "imported_at, licence, citation, title, publisher, url, raw_path, coverage) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                p.source,
                p.part,
                p.file_name,
                p.version,
                p.sha256,
                p.rows,
                p.imported_at.replace(tzinfo=None),
                p.licence,
                p.citation,
                p.title,
                p.publisher,
                p.url,
                p.raw_path,
                p.coverage.value,
            ],
        )
        written.append(p)
    return written


def _write_coverage(
    con: duckdb.DuckDBPyConnection,
    source: str,
    table: str,
    new: list[SourceTableLike],
    sample: bool | None,
    keep: list[Provenance],
) -> list[str]:
    kept_names = [p.file_name for p in keep]
    if kept_names:
        placeholders = ", ".join("?" for _ in kept_names)
        con.execute(
            f"DELETE FROM _coverage WHERE source = ? AND file_name NOT IN ({placeholders})",
            [source, *kept_names],
        )
    else:
        con.execute("DELETE FROM _coverage WHERE source = ?", [source])
    notes: list[str] = []
    spans: list[CoverageSpan] = []
    for r in new:
        if coverage_kind(r.file_name, sample) is CoverageKind.SAMPLE:
            why = "as asked" if sample else "because its name says so"
            notes.append(
                f"{r.file_name} imported as a sample ({why}): its rows are kept, but no country "
                "or period counts as covered"
            )
            continue
        found, file_notes = measure_coverage(con, source, table, r.file_name)
        spans.extend(found)
        notes.extend(file_notes)
    if spans:
        con.executemany(
            "INSERT INTO _coverage VALUES (?, ?, ?, ?, ?)",
            [[s.source, s.file_name, s.iso3, s.start, s.end] for s in spans],
        )
    return notes


def _write_table_row(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: int,
    now: datetime,
    provenance: list[Provenance],
) -> None:
    meta = {
        "files": [p.file_name for p in provenance],
        "versions": sorted({p.version for p in provenance if p.version}),
    }
    con.execute("DELETE FROM _tables WHERE name = ?", [table])
    con.execute(
        "INSERT INTO _tables VALUES (?, 'source', ?, ?, ?, NULL, NULL)",
        [table, rows, now.replace(tzinfo=None), json.dumps(meta)],
    )
