"""Getting a file's rows into DuckDB, before they are checked.

CSV files are parsed by DuckDB straight into the caller's target table, with the declared
types and every row it cannot parse kept in a rejects table: one pass over the file, as fast as
a bare ``read_csv``. Whole numbers are parsed as DOUBLE (so that ``1946.5`` is caught rather
than rounded) and become BIGINT once checked. Files that need a reader of their own (a
preamble, one column per year) are small: their text goes to a temporary table first.

Line numbers: DuckDB counts records; the physical line of record *n* is the header's lines, plus
*n*, plus the line breaks inside quoted fields of the records before it — counted in SQL only
when an error is reported.
"""

# ruff: noqa: S608 - identifiers are quoted with q(), literals escaped with lit(); see _sql.py

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._files import Head
from atrocity_watch.sources._header import ROW_NAMES, map_header
from atrocity_watch.sources._spec import KIND_WORDS, Column, OpenedCsv, SourceSpec
from atrocity_watch.sources._sql import lit, q, scalar

ISO_DATE = ("%Y-%m-%d",)
MAX_LINE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class StagedColumn:
    """A column as staged: its name in the result, in the staging table, and its state."""

    out: str  # name in the validated table
    raw: str  # name in the staging table
    declared: Column | None  # None for a publisher's extra column
    raw_is_text: bool  # the staged value is text still to be converted


@dataclass
class Staging:
    """A file's rows in DuckDB, before validation.

    ``in_place`` means ``table`` is already the caller's target table (the CSV path);
    otherwise it is a temporary table that the validated table is built from.
    """

    con: duckdb.DuckDBPyConnection
    table: str
    in_place: bool
    columns: list[StagedColumn]
    layout: str
    display_name: str
    line_of: Callable[[int], int]
    ignored: tuple[str, ...]
    ends_with_newline: bool | None


def raw_type(column: Column | None, extra_policy: str) -> tuple[str, bool]:
    """The DuckDB type to parse a column with, and whether SQL must still convert it."""
    if column is None:
        return ("DOUBLE", False) if extra_policy == "keep_number" else ("VARCHAR", False)
    if column.kind in ("integer", "number"):
        return "DOUBLE", False
    if column.kind == "boolean":
        return "BOOLEAN", False  # DuckDB reads true/false, t/f, yes/no, 1/0
    if column.kind == "date":
        return ("DATE", False) if tuple(column.date_formats) == ISO_DATE else ("VARCHAR", True)
    return "VARCHAR", False


def stage_csv(
    spec: SourceSpec,
    opened: OpenedCsv,
    head: Head,
    con: duckdb.DuckDBPyConnection,
    target: str,
    token: str,
    cleanup: list[str],
) -> Staging:
    """Parse the CSV file straight into ``target`` (declared order, absent columns NULL)."""
    display = opened.display_name
    hmap = map_header(spec, head.header, display)
    if len(head.records) < 2:
        raise SourceFormatError(display, reason="the file has a header but no rows of data")
    parse_types: list[str] = []
    by_name: dict[str, StagedColumn] = {}
    staged: list[StagedColumn] = []
    selects: list[str] = []
    for declared in spec.columns:
        position = hmap.positions.get(declared.name)
        if position is None:
            selects.append(f"CAST(NULL AS {declared.sql_type}) AS {q(declared.name)}")
            continue
        kind, needs_sql = raw_type(declared, spec.extra_columns)
        column = StagedColumn(declared.name, declared.name, declared, needs_sql)
        staged.append(column)
        by_name[f"c{position}"] = column
        selects.append(f"{q(f'c{position}')} AS {q(declared.name)}")
    ignored: list[str] = []
    ignored_positions: list[int] = []
    taken = set(spec.output_columns)
    for position, name in hmap.extras:
        if spec.extra_columns == "ignore" or name == ROW_NAMES:
            # not loaded (DuckDB skips parsing them); only an error report reads them again
            ignored.append(name)
            ignored_positions.append(position)
            continue
        out = name if name not in taken else f"{name}_publisher"
        taken.add(out)
        column = StagedColumn(out, out, None, False)
        staged.append(column)
        by_name[f"c{position}"] = column
        selects.append(f"{q(f'c{position}')} AS {q(out)}")
    declared_at = {pos: spec.column(name) for name, pos in hmap.positions.items()}
    for position in range(hmap.width):
        kind, _ = raw_type(declared_at.get(position), spec.extra_columns)
        if position not in declared_at and (
            spec.extra_columns == "ignore" or dict(hmap.extras)[position] == ROW_NAMES
        ):
            kind = "VARCHAR"
        parse_types.append(f"{lit(f'c{position}')}: {lit(kind)}")
    rejects, scans = f"aw_rejects_{token}", f"aw_scans_{token}"
    cleanup += [f"DROP TABLE IF EXISTS {q(rejects)}", f"DROP TABLE IF EXISTS {q(scans)}"]
    nulls = "[" + ", ".join(lit(v) for v in spec.null_values) + "]"
    options = [
        "header = true",
        "auto_detect = false",
        "delim = ','",
        "quote = '\"'",
        "escape = '\"'",
        "strict_mode = true",
        "null_padding = false",
        f"max_line_size = {MAX_LINE_BYTES}",
        "columns = {" + ", ".join(parse_types) + "}",
        f"nullstr = {nulls}",
        f"compression = {lit(opened.compression)}",
    ]
    if opened.encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        options.append(f"encoding = {lit(_duckdb_encoding(opened.encoding))}")
    keep_rejects = ["store_rejects = true", f"rejects_table = {lit(rejects)}"]
    keep_rejects.append(f"rejects_scan = {lit(scans)}")
    read = f"read_csv({lit(opened.path)}, {', '.join(options + keep_rejects)})"
    plain_read = f"read_csv({lit(opened.path)}, {', '.join([*options, 'ignore_errors = true'])})"
    try:
        con.execute(f"CREATE TABLE {q(target)} AS SELECT {', '.join(selects)} FROM {read}")
    except duckdb.Error as exc:
        raise _duckdb_read_error(opened, exc) from None

    text_columns = [c.raw for c in staged if _is_text(c, spec)]
    header_lines = head.header_lines
    # the ignored columns' line breaks count too; they are read again only for an error report
    ignored_sql = [f"c{position}" for position in ignored_positions]

    def line_of(row: int) -> int:
        # ``row`` is a rowid. Inside an open transaction (a warehouse import) DuckDB numbers a
        # new table's rows from a large offset, not from 0: the record's index is its distance
        # from the first rowid.
        index = row - first_rowid(con, target)
        line = header_lines + 1 + index + _newlines_before(con, q(target), text_columns, row)
        if ignored_sql and index > 0:
            limited = (
                f"(SELECT {', '.join(q(c) for c in ignored_sql)} FROM {plain_read} LIMIT {index})"
            )
            line += _newlines_before(con, limited, ignored_sql, index, whole=True)
        return line

    staging = Staging(
        con=con,
        table=target,
        in_place=True,
        columns=staged,
        layout=hmap.layout,
        display_name=display,
        line_of=line_of,
        ignored=tuple(ignored),
        ends_with_newline=head.ends_with_newline,
    )
    _raise_first_reject(staging, rejects, by_name)
    if scalar(con, f"SELECT count(*) FROM {q(target)}") == 0:
        raise SourceFormatError(display, reason="the file has a header but no rows of data")
    return staging


def first_rowid(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """The rowid of a freshly written table's first record (0, or an offset in a transaction)."""
    return int(scalar(con, f"SELECT coalesce(min(rowid), 0) FROM {q(table)}"))


def _is_text(column: StagedColumn, spec: SourceSpec) -> bool:
    if column.declared is None:
        return spec.extra_columns != "keep_number"
    return raw_type(column.declared, spec.extra_columns)[0] == "VARCHAR"


def _duckdb_encoding(encoding: str) -> str:
    folded = encoding.lower().replace("_", "-")
    if folded in ("latin-1", "latin1", "iso-8859-1", "cp1252", "windows-1252"):
        return "latin-1"
    return encoding


def _newlines_before(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    text_columns: Sequence[str],
    row: int,
    *,
    whole: bool = False,
) -> int:
    """Line breaks inside quoted fields of the rows before ``row`` (they shift line numbers).

    ``relation`` is quoted SQL (a table, or a subquery already limited to those rows when
    ``whole`` is true).
    """
    if not text_columns or row <= 0:
        return 0
    terms = " + ".join(
        f"coalesce(length({q(c)}) - length(replace({q(c)}, chr(10), '')), 0)" for c in text_columns
    )
    where = "" if whole else " WHERE rowid < ?"
    total = scalar(con, f"SELECT sum({terms}) FROM {relation}{where}", [] if whole else [row])
    return int(total or 0)


_CAST_VALUE = re.compile(r'Could not convert string "(.*?)" to', re.S)


def _raise_first_reject(staging: Staging, rejects: str, by_raw: dict[str, StagedColumn]) -> None:
    first = staging.con.execute(
        f"SELECT line, column_name, error_type::VARCHAR, error_message "
        f"FROM {q(rejects)} ORDER BY line LIMIT 1"
    ).fetchone()
    if first is None:
        return
    line, raw_column, kind, message = first
    index = int(line) - 2  # DuckDB counts records, the header being record 1
    # the records before the first rejected one are all in the table, in order
    physical = staging.line_of(first_rowid(staging.con, staging.table) + index)
    staged = by_raw.get(raw_column or "")
    column: str | None = staged.out if staged else raw_column
    cut_hint = ""
    if staging.ends_with_newline is False:
        cut_hint = "; the file does not end with a line break, so it may have been cut short"
    if kind == "CAST":
        declared = staged.declared if staged else None
        match = _CAST_VALUE.search(message or "")
        value = match.group(1) if match else "?"
        expected = KIND_WORDS[declared.kind] if declared else "a number"
        reason = f"{value!r} is not {expected}"
    elif kind == "MISSING COLUMNS":
        reason = "the line has fewer values than the header: the record is incomplete" + cut_hint
        column = None
    elif kind == "TOO MANY COLUMNS":
        reason = (
            "the line has more values than the header (an unquoted comma, or the wrong delimiter)"
        )
        column = None
    elif kind in ("UNQUOTED VALUE", "INVALID STATE"):
        reason = "a quoted value is not closed or has text after its closing quote" + cut_hint
        column = None
    elif kind == "INVALID ENCODING":
        reason = (
            "the text is not valid UTF-8; the file may be in another encoding such as "
            "Latin-1 — save it as UTF-8"
        )
        column = None
    elif kind == "LINE SIZE OVER MAXIMUM":
        reason = f"a record is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB"
        column = None
    else:  # pragma: no cover - DuckDB may add kinds
        reason = f"{kind}: {message}"
    raise SourceFormatError(staging.display_name, line=physical, column=column, reason=reason)


def _duckdb_read_error(opened: OpenedCsv, exc: duckdb.Error) -> SourceFormatError:
    text = str(exc)
    lowered = text.lower()
    if opened.compression == "gzip" or "gzip" in lowered or "zlib" in lowered:
        return SourceFormatError(
            opened.display_name,
            reason="the compressed file is damaged or cut short; download it again",
        )
    match = re.search(r"Line: (\d+)", text)
    first_line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return SourceFormatError(
        opened.display_name,
        line=int(match.group(1)) if match else None,
        reason=f"cannot be parsed as CSV ({first_line})",
    )


def stage_custom(
    spec: SourceSpec,
    opened: OpenedCsv,
    con: duckdb.DuckDBPyConnection,
    staging_table: str,
    cleanup: list[str],
) -> Staging:
    """Stage the text table a source's own reader builds (wide tables, files with preambles)."""
    assert spec.reader is not None
    table = spec.reader(spec, opened)
    if "_line" not in table.column_names:
        raise RuntimeError(f"the reader of {spec.name} must return a '_line' column")
    header = [n for n in table.column_names if n != "_line"]
    hmap = map_header(spec, header, opened.display_name)
    if table.num_rows == 0:
        raise SourceFormatError(opened.display_name, reason="the file has no rows of data")
    view = f"{staging_table}_arrow"
    con.register(view, table)
    cleanup += [f"DROP TABLE IF EXISTS {q(staging_table)}", f"DROP VIEW IF EXISTS {q(view)}"]
    staged: list[StagedColumn] = []
    selects = [f"CAST({q('_line')} AS BIGINT) AS {q('_line')}"]
    ignored: list[str] = []
    for name, position in hmap.positions.items():
        raw_name = f"c{position}"
        selects.append(f"CAST({q(header[position])} AS VARCHAR) AS {q(raw_name)}")
        staged.append(StagedColumn(name, raw_name, spec.column(name), True))
    for position, name in hmap.extras:
        if spec.extra_columns == "ignore" or name == ROW_NAMES:
            ignored.append(name)
            continue
        raw_name = f"c{position}"
        selects.append(f"CAST({q(header[position])} AS VARCHAR) AS {q(raw_name)}")
        staged.append(StagedColumn(name, raw_name, None, True))
    con.execute(
        f"CREATE TEMP TABLE {q(staging_table)} AS SELECT {', '.join(selects)} FROM {q(view)} "
        f"ORDER BY {q('_line')}"
    )

    def line_of(row: int) -> int:
        found = scalar(con, f"SELECT _line FROM {q(staging_table)} WHERE rowid = ?", [row])
        return int(found) if found is not None else row + 2

    return Staging(
        con=con,
        table=staging_table,
        in_place=False,
        columns=staged,
        layout=hmap.layout,
        display_name=opened.display_name,
        line_of=line_of,
        ignored=tuple(ignored),
        ends_with_newline=None,
    )
