"""The public functions of the sources layer: look up, recognise and read source files."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import uuid
import weakref
from pathlib import Path

import duckdb

from atrocity_watch.sources._errors import SourceFormatError, UnknownSourceError
from atrocity_watch.sources._errors import UnrecognisedFileError as UnrecognisedFileError
from atrocity_watch.sources._files import Head, is_workbook, open_source_file, read_head
from atrocity_watch.sources._header import match_score
from atrocity_watch.sources._spec import SourceSpec
from atrocity_watch.sources._table import SourceTable
from atrocity_watch.sources.datasets import SOURCES

_BY_NAME = {spec.name: spec for spec in SOURCES}


def get_source(name: str) -> SourceSpec:
    """The declared source called ``name``.

    >>> get_source("ucdp_ged").title
    'UCDP Georeferenced Event Dataset (GED)'
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownSourceError(name, list(_BY_NAME)) from None


def _recognise_workbook(path: Path) -> str | None:
    """The source whose declared sheet an Excel workbook holds, with the right columns."""
    for spec in SOURCES:
        if spec.sheet is None:
            continue
        try:
            with open_source_file(path, "utf-8", spec.sheet, checksum=False) as (opened, _):
                head = read_head(opened)
        except SourceFormatError:
            continue
        if match_score(spec, head.header) > 0:
            return spec.name
    return None


def _head_for_recognition(path: Path) -> Head | None:
    for encoding in ("utf-8", "latin-1"):
        try:
            with open_source_file(path, encoding, checksum=False) as (opened, _checksum):
                return read_head(opened)
        except SourceFormatError as exc:
            if "not valid" in exc.reason and encoding == "utf-8":
                continue
            raise
    return None


def recognise_head(head: Head) -> str | None:
    """The source whose declared columns best fit these first records, or None."""
    best: tuple[float, str] | None = None
    for spec in SOURCES:
        if spec.sniff is not None:
            score = 100.0 if spec.sniff(head.records) else 0.0
        else:
            score = match_score(spec, head.header)
        if score > 0 and (best is None or score > best[0]):
            best = (score, spec.name)
    return None if best is None else best[1]


def recognise(path: str | Path) -> str | None:
    """The name of the source a file belongs to, judged by its columns; None if none fits.

    Raises :class:`SourceFormatError` only for files that cannot be opened at all (missing,
    empty, damaged archives).
    """
    file = Path(path)
    if file.is_file() and is_workbook(file):
        return _recognise_workbook(file)
    head = _head_for_recognition(file)
    return None if head is None else recognise_head(head)


def expected_sources() -> str:
    """A one-line summary of what each source's header must contain."""
    parts = []
    for spec in SOURCES:
        if spec.sniff is not None:
            parts.append(f"{spec.name} ({spec.title} as the publisher exports it)")
        else:
            required = ", ".join(c.name for c in spec.required_columns[:6])
            parts.append(f"{spec.name} (columns {required}, ...)")
    return "; ".join(parts)


def read_file(
    path: str | Path,
    source: str | None = None,
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
    table: str | None = None,
) -> SourceTable:
    """Read and validate one file of a source; return its rows and provenance.

    Without ``source`` the file is recognised by its header (:func:`recognise`); a file that
    matches no source raises :class:`UnrecognisedFileError` listing what was expected. With a
    ``connection`` the validated rows are written to ``table`` on it (the caller owns the
    transaction and the table); otherwise they live in a private in-memory DuckDB database.

    Raises :class:`SourceFormatError` naming the file, line and column of the first problem.

    >>> result = read_file("GEDEvent_v25_1.csv")          # doctest: +SKIP
    >>> result.source, result.version, result.rows        # doctest: +SKIP
    ('ucdp_ged', '25.1', 385918)
    """
    file = Path(path)
    if source is None:
        source = recognise(file)
        if source is None:
            head = None if is_workbook(file) else _head_for_recognition(file)
            raise UnrecognisedFileError(str(file), head.header if head else (), expected_sources())
    spec = get_source(source)
    from atrocity_watch.sources._engine import load_file

    if connection is not None:
        table = table or f"aw_source_{spec.name}_{uuid.uuid4().hex[:8]}"
        return load_file(spec, file, connection, table)
    # Rows of a result nobody asked to keep live in one in-memory database shared by all
    # reads (opening a DuckDB database costs ~0.1 s); each result's table is dropped when the
    # result is garbage-collected.
    cursor = _shared_database().cursor()
    table = table or f"source_rows_{spec.name}_{uuid.uuid4().hex[:12]}"
    result = load_file(spec, file, cursor, table)
    weakref.finalize(result, _drop_table, cursor, table)
    return result


_SHARED: list[duckdb.DuckDBPyConnection] = []
_SHARED_LOCK = threading.Lock()


def _shared_database() -> duckdb.DuckDBPyConnection:
    with _SHARED_LOCK:
        if not _SHARED:
            con = duckdb.connect()
            # Spill to the system's temporary folder, never to a `.tmp` in the working folder.
            spill = Path(tempfile.gettempdir()) / "aw-duckdb-spill"
            con.execute("SET temp_directory = ?", [str(spill)])
            con.execute("SET enable_progress_bar = false")  # never draw on the user's terminal
            _SHARED.append(con)
        return _SHARED[0]


def _drop_table(cursor: duckdb.DuckDBPyConnection, table: str) -> None:
    with contextlib.suppress(duckdb.Error):
        cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
        cursor.close()
