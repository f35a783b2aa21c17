"""Reading and validating one file against its :class:`SourceSpec`, in DuckDB.

The work is vectorised: DuckDB parses the CSV (in parallel, with the declared types, keeping
every row it cannot parse in a rejects table), then a handful of SQL queries check the declared
ranges, allowed values and unique key over all rows at once, the country field is mapped on its
distinct values only, and one ``CREATE TABLE ... AS SELECT`` writes the validated table. Only
when something is wrong is the exact line computed, from the row's position and the line breaks
inside quoted fields of the rows before it.

All SQL here is assembled from declared column names quoted with :func:`q`, positional staging
names (``c0``, ``c1``...) and literals escaped with :func:`lit`; values read from a file only
ever reach DuckDB as query parameters.
"""

# ruff: noqa: S608 - see the module docstring: identifiers are quoted, values are parameters

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import pyarrow as pa

from atrocity_watch.sources._countries import (
    CountryMapping,
    Occurrence,
    Unknown,
    display_value,
    map_countries,
)
from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._files import Head, open_source_file, read_head
from atrocity_watch.sources._header import ROW_NAMES, map_header
from atrocity_watch.sources._spec import KIND_WORDS, Column, CountryRule, OpenedCsv, SourceSpec
from atrocity_watch.sources._table import SourceTable

_ISO_DATE = ("%Y-%m-%d",)
_MAX_LINE_BYTES = 32 * 1024 * 1024
_SHOWN_UNKNOWN = 15


def q(name: str) -> str:
    """Quote an identifier for DuckDB SQL."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    """A SQL literal for a string or number."""
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class StagedColumn:
    """A column of the staging table: where it came from and how it becomes typed."""

    out: str  # name in the validated table
    raw: str  # name in the staging table
    declared: Column | None  # None for a publisher's extra column
    raw_is_text: bool  # the staging column holds text still to be converted


@dataclass
class Staging:
    """The raw rows of one file in a temporary DuckDB table, before validation."""

    con: duckdb.DuckDBPyConnection
    table: str
    columns: list[StagedColumn]
    absent: list[Column]
    layout: str
    display_name: str
    line_of: Callable[[int], int]
    ignored: tuple[str, ...]
    ends_with_newline: bool | None


def load_file(
    spec: SourceSpec,
    path: Path,
    con: duckdb.DuckDBPyConnection,
    table: str,
) -> SourceTable:
    """Read ``path`` as ``spec``, validate it, and write the rows to ``table`` on ``con``."""
    with open_source_file(path, spec.encoding, spec.sheet) as (opened, checksum):
        head = read_head(opened)
        if not head.records:
            raise SourceFormatError(opened.display_name, reason="the file has no lines of text")
        with _staged(spec, opened, head, con) as staging:
            _validate(spec, staging)
            out_of_scope = _scope_counts(spec, staging)
            mappings = [_map_rule(spec, staging, rule) for rule in spec.countries]
            columns = _write(spec, staging, mappings, table)
            rows = _scalar(con, f"SELECT count(*) FROM {q(table)}")
            version = _version(spec, staging, opened, path)
        dropped: dict[str, int] = dict(out_of_scope)
        kept: dict[str, int] = {}
        for mapping in mappings:
            for reason, count in mapping.dropped.items():
                dropped[reason] = dropped.get(reason, 0) + count
            for reason, count in mapping.kept_without_key.items():
                kept[reason] = kept.get(reason, 0) + count
        if rows == 0:
            con.execute(f"DROP TABLE IF EXISTS {q(table)}")
            raise SourceFormatError(
                opened.display_name,
                reason="no rows are left after dropping those out of scope "
                f"({', '.join(f'{n} {r}' for r, n in dropped.items())})",
            )
        return SourceTable(
            source=spec.name,
            file_name=path.name,
            path=str(path),
            sha256=checksum.result(),
            version=version,
            rows=rows,
            layout=staging.layout,
            columns=columns,
            dropped=dropped,
            kept_without_country=kept,
            ignored_columns=staging.ignored,
            connection=con,
            table_name=table,
        )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = con.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]


# --------------------------------------------------------------------------------------------
# Staging: the file's rows in a temporary table, parsed with the declared types


@contextmanager
def _staged(
    spec: SourceSpec, opened: OpenedCsv, head: Head, con: duckdb.DuckDBPyConnection
) -> Iterator[Staging]:
    token = uuid.uuid4().hex[:12]
    raw_table = f"aw_raw_{token}"
    cleanup: list[str] = [f"DROP TABLE IF EXISTS {q(raw_table)}"]
    try:
        if spec.reader is not None:
            staging = _stage_custom(spec, opened, con, raw_table, cleanup)
        else:
            staging = _stage_csv(spec, opened, head, con, raw_table, token, cleanup)
        yield staging
    finally:
        for statement in reversed(cleanup):
            # best effort after another error: the original error is the one to report
            with contextlib.suppress(duckdb.Error):
                con.execute(statement)


def _raw_type(column: Column | None, extra_policy: str) -> tuple[str, bool]:
    """The DuckDB type to parse a column with, and whether SQL must still convert it."""
    if column is None:
        return ("DOUBLE", False) if extra_policy == "keep_number" else ("VARCHAR", False)
    if column.kind in ("integer", "number"):
        # Whole numbers are parsed as DOUBLE so that "1946.5" is caught instead of rounded.
        return "DOUBLE", False
    if column.kind == "date" and tuple(column.date_formats) == _ISO_DATE:
        return "DATE", False
    if column.kind in ("date", "boolean"):
        return "VARCHAR", True
    return "VARCHAR", False


def _stage_csv(
    spec: SourceSpec,
    opened: OpenedCsv,
    head: Head,
    con: duckdb.DuckDBPyConnection,
    raw_table: str,
    token: str,
    cleanup: list[str],
) -> Staging:
    display = opened.display_name
    hmap = map_header(spec, head.header, display)
    if len(head.records) < 2:
        raise SourceFormatError(display, reason="the file has a header but no rows of data")
    by_position: dict[int, Column] = {
        pos: spec.column(name) for name, pos in hmap.positions.items()
    }
    extras = dict(hmap.extras)
    columns_sql: list[str] = []
    staged: list[StagedColumn] = []
    ignored: list[str] = []
    taken = set(spec.output_columns)
    for position in range(hmap.width):
        raw_name = f"c{position}"
        declared = by_position.get(position)
        raw_type, needs_sql = _raw_type(declared, spec.extra_columns)
        columns_sql.append(f"{lit(raw_name)}: {lit(raw_type)}")
        if declared is not None:
            staged.append(StagedColumn(declared.name, raw_name, declared, needs_sql))
            continue
        publisher_name = extras[position]
        if spec.extra_columns == "ignore" or publisher_name == ROW_NAMES:
            ignored.append(publisher_name)
            continue
        out = publisher_name if publisher_name not in taken else f"{publisher_name}_publisher"
        taken.add(out)
        staged.append(StagedColumn(out, raw_name, None, False))
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
        f"max_line_size = {_MAX_LINE_BYTES}",
        "columns = {" + ", ".join(columns_sql) + "}",
        f"nullstr = {nulls}",
        f"compression = {lit(opened.compression)}",
        "store_rejects = true",
        f"rejects_table = {lit(rejects)}",
        f"rejects_scan = {lit(scans)}",
    ]
    if opened.encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        options.append(f"encoding = {lit(_duckdb_encoding(opened.encoding))}")
    sql = (
        f"CREATE TEMP TABLE {q(raw_table)} AS SELECT * FROM "
        f"read_csv({lit(opened.path)}, {', '.join(options)})"
    )
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        raise _duckdb_read_error(opened, exc) from None

    text_raw = [c.raw for c in staged if _is_text_raw(c, spec)]
    text_raw += [f"c{pos}" for pos, name in hmap.extras if name in ignored]
    header_lines = head.header_lines

    def line_of(row: int) -> int:
        return header_lines + 1 + row + _newlines_before(con, raw_table, text_raw, row)

    staging = Staging(
        con=con,
        table=raw_table,
        columns=staged,
        absent=[c for c in spec.columns if c.name not in hmap.positions],
        layout=hmap.layout,
        display_name=display,
        line_of=line_of,
        ignored=tuple(ignored),
        ends_with_newline=head.ends_with_newline,
    )
    _raise_first_reject(staging, rejects)
    if _scalar(con, f"SELECT count(*) FROM {q(raw_table)}") == 0:
        raise SourceFormatError(display, reason="the file has a header but no rows of data")
    return staging


def _is_text_raw(column: StagedColumn, spec: SourceSpec) -> bool:
    if column.declared is None:
        return spec.extra_columns != "keep_number"
    return _raw_type(column.declared, spec.extra_columns)[0] == "VARCHAR"


def _duckdb_encoding(encoding: str) -> str:
    folded = encoding.lower().replace("_", "-")
    if folded in ("latin-1", "latin1", "iso-8859-1", "cp1252", "windows-1252"):
        return "latin-1"
    return encoding


def _newlines_before(
    con: duckdb.DuckDBPyConnection, table: str, text_columns: Sequence[str], row: int
) -> int:
    """Line breaks inside quoted fields of the rows before ``row`` (they shift line numbers)."""
    if not text_columns or row <= 0:
        return 0
    terms = " + ".join(
        f"coalesce(length({q(c)}) - length(replace({q(c)}, chr(10), '')), 0)" for c in text_columns
    )
    total = _scalar(con, f"SELECT sum({terms}) FROM {q(table)} WHERE rowid < ?", [row])
    return int(total or 0)


_CAST_VALUE = re.compile(r'Could not convert string "(.*?)" to', re.S)


def _raise_first_reject(staging: Staging, rejects: str) -> None:
    first = staging.con.execute(
        f"SELECT line, column_name, error_type::VARCHAR, csv_line, error_message "
        f"FROM {q(rejects)} ORDER BY line LIMIT 1"
    ).fetchone()
    if first is None:
        return
    line, raw_column, kind, csv_line, message = first
    row = int(line) - 2  # DuckDB counts records, the header being record 1
    physical = staging.line_of(row)
    column = _out_name(staging, raw_column)
    cut_hint = ""
    if staging.ends_with_newline is False:
        cut_hint = "; the file does not end with a line break, so it may have been cut short"
    if kind == "CAST":
        declared = _declared(staging, raw_column)
        match = _CAST_VALUE.search(message or "")
        value = match.group(1) if match else "?"
        expected = KIND_WORDS[declared.kind] if declared else "a value of the declared type"
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
        reason = f"a record is longer than {_MAX_LINE_BYTES // (1024 * 1024)} MB"
        column = None
    else:  # pragma: no cover - DuckDB may add kinds
        reason = f"{kind}: {message}"
    del csv_line
    raise SourceFormatError(staging.display_name, line=physical, column=column, reason=reason)


def _out_name(staging: Staging, raw_column: str | None) -> str | None:
    for column in staging.columns:
        if column.raw == raw_column:
            return column.out
    return raw_column


def _declared(staging: Staging, raw_column: str | None) -> Column | None:
    for column in staging.columns:
        if column.raw == raw_column:
            return column.declared
    return None


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


def _stage_custom(
    spec: SourceSpec,
    opened: OpenedCsv,
    con: duckdb.DuckDBPyConnection,
    raw_table: str,
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
    view = f"{raw_table}_arrow"
    con.register(view, table)
    cleanup.append(f"DROP VIEW IF EXISTS {q(view)}")
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
        f"CREATE TEMP TABLE {q(raw_table)} AS SELECT {', '.join(selects)} FROM {q(view)} "
        f"ORDER BY {q('_line')}"
    )

    def line_of(row: int) -> int:
        found = _scalar(con, f"SELECT _line FROM {q(raw_table)} WHERE rowid = ?", [row])
        return int(found) if found is not None else row + 2

    return Staging(
        con=con,
        table=raw_table,
        columns=staged,
        absent=[c for c in spec.columns if c.name not in hmap.positions],
        layout=hmap.layout,
        display_name=opened.display_name,
        line_of=line_of,
        ignored=tuple(ignored),
        ends_with_newline=None,
    )


# --------------------------------------------------------------------------------------------
# Typed values and checks


def _typed_expr(column: StagedColumn, spec: SourceSpec) -> str:
    """SQL turning the staged value into the declared type (NULL where it cannot)."""
    raw = q(column.raw)
    declared = column.declared
    if declared is None:
        if spec.extra_columns == "keep_number" and column.raw_is_text:
            return f"TRY_CAST({raw} AS DOUBLE)"
        return raw
    kind = declared.kind
    if kind in ("integer", "number"):
        value = f"TRY_CAST({raw} AS DOUBLE)" if column.raw_is_text else raw
        return f"CAST({value} AS BIGINT)" if kind == "integer" else value
    if kind == "date":
        if not column.raw_is_text:
            return raw
        tries = ", ".join(f"TRY_STRPTIME(trim({raw}), {lit(fmt)})" for fmt in declared.date_formats)
        return f"CAST(COALESCE({tries}) AS DATE)"
    if kind == "boolean":
        if not column.raw_is_text:
            return raw
        low = f"lower(trim({raw}))"
        return (
            f"CASE WHEN {low} IN ('true', 't', 'yes', '1') THEN true "
            f"WHEN {low} IN ('false', 'f', 'no', '0') THEN false END"
        )
    return raw


def _number_expr(column: StagedColumn) -> str:
    """The value as DOUBLE before rounding (to tell 1946.5 from 1946)."""
    raw = q(column.raw)
    return f"TRY_CAST({raw} AS DOUBLE)" if column.raw_is_text else raw


@dataclass(frozen=True)
class _Check:
    column: str
    bad_when: str  # SQL over the staging table: true for a bad row
    value_sql: str  # SQL showing the offending value
    reason: str  # with {value}


def _checks(spec: SourceSpec, staging: Staging) -> list[_Check]:
    checks: list[_Check] = []
    for column in staging.columns:
        declared = column.declared
        raw = q(column.raw)
        if declared is None:
            if spec.extra_columns == "keep_number" and column.raw_is_text:
                checks.append(
                    _Check(
                        column.out,
                        f"{raw} IS NOT NULL AND TRY_CAST({raw} AS DOUBLE) IS NULL",
                        raw,
                        "{value} is not a number",
                    )
                )
            continue
        typed = _typed_expr(column, spec)
        kind_word = KIND_WORDS[declared.kind]
        if column.raw_is_text and declared.kind != "text":
            parse = typed if declared.kind != "integer" else _number_expr(column)
            formats = ""
            if declared.kind == "date":
                formats = " (expected " + " or ".join(declared.date_formats) + ")"
            checks.append(
                _Check(
                    declared.name,
                    f"{raw} IS NOT NULL AND {parse} IS NULL",
                    raw,
                    "{value} is not " + kind_word + formats,
                )
            )
        if not declared.nullable:
            checks.append(_Check(declared.name, f"{raw} IS NULL", "NULL", "the value is empty"))
        if declared.kind in ("integer", "number"):
            number = _number_expr(column)
            checks.append(
                _Check(
                    declared.name,
                    f"{number} IS NOT NULL AND NOT isfinite({number})",
                    raw,
                    "{value} is not a finite number",
                )
            )
            if declared.kind == "integer":
                checks.append(
                    _Check(
                        declared.name,
                        f"isfinite({number}) AND {number} <> trunc({number})",
                        raw,
                        "{value} is not a whole number",
                    )
                )
            low, high = declared.minimum, declared.upper_bound()
            if low is not None:
                checks.append(
                    _Check(
                        declared.name,
                        f"{number} < {low!r}",
                        raw,
                        "{value} is below the smallest value allowed, " + _fmt(low),
                    )
                )
            if high is not None:
                checks.append(
                    _Check(
                        declared.name,
                        f"isfinite({number}) AND {number} > {high!r}",
                        raw,
                        "{value} is above the largest value allowed, " + _fmt(high),
                    )
                )
        if declared.allowed:
            values = ", ".join(lit(v) for v in declared.allowed)
            checks.append(
                _Check(
                    declared.name,
                    f"{typed} IS NOT NULL AND {typed} NOT IN ({values})",
                    raw,
                    "{value} is not one of the allowed values ("
                    + ", ".join(str(v) for v in declared.allowed)
                    + ")",
                )
            )
    return checks


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _validate(spec: SourceSpec, staging: Staging) -> None:
    checks = _checks(spec, staging)
    con, table = staging.con, staging.table
    if checks:
        firsts = ", ".join(f"min(CASE WHEN {c.bad_when} THEN rowid END)" for c in checks)
        found = con.execute(f"SELECT {firsts} FROM {q(table)}").fetchone()
        assert found is not None
        failing = [(row, i) for i, row in enumerate(found) if row is not None]
        if failing:
            row, index = min(failing)
            check = checks[index]
            value = _scalar(con, f"SELECT {check.value_sql} FROM {q(table)} WHERE rowid = ?", [row])
            shown = repr(display_value(value)) if value is not None else "the empty value"
            raise SourceFormatError(
                staging.display_name,
                line=staging.line_of(int(row)),
                column=check.column,
                reason=check.reason.format(value=shown),
            )
    _check_key(spec, staging)


def _check_key(spec: SourceSpec, staging: Staging) -> None:
    if not spec.key:
        return
    by_name = {c.out: c for c in staging.columns}
    keys = [by_name[k] for k in spec.key if k in by_name]
    if len(keys) != len(spec.key):
        return
    exprs = [_typed_expr(k, spec) for k in keys]
    group = ", ".join(exprs)
    con, table = staging.con, staging.table
    duplicate = con.execute(
        f"SELECT min(rowid), {group} FROM {q(table)} GROUP BY {group} "
        f"HAVING count(*) > 1 ORDER BY 1 LIMIT 1"
    ).fetchone()
    if duplicate is None:
        return
    first_row, *values = duplicate
    condition = " AND ".join(f"{e} IS NOT DISTINCT FROM ?" for e in exprs)
    second = _scalar(
        con,
        f"SELECT min(rowid) FROM {q(table)} WHERE {condition} AND rowid > ?",
        [*values, first_row],
    )
    described = ", ".join(
        f"{k.out}={display_value(v)!r}" for k, v in zip(keys, values, strict=True)
    )
    what = "event id" if len(keys) == 1 and keys[0].out in ("id", "event_id_cnty") else "key"
    raise SourceFormatError(
        staging.display_name,
        line=staging.line_of(int(second)),
        column=keys[0].out,
        reason=f"duplicate {what} ({described}): the same {what} is already on line "
        f"{staging.line_of(int(first_row))}; each row must have a unique "
        f"{' + '.join(spec.key)}",
    )


# --------------------------------------------------------------------------------------------
# Countries


def _typed_sql(spec: SourceSpec, staging: Staging) -> tuple[str, list[str]]:
    """SELECT giving every declared and kept column typed, plus ``aw_row`` (the row's index)."""
    by_name = {c.out: c for c in staging.columns}
    selects: list[str] = []
    names: list[str] = []
    for declared in spec.columns:
        if declared.name in by_name:
            selects.append(f"{_typed_expr(by_name[declared.name], spec)} AS {q(declared.name)}")
        else:
            selects.append(f"CAST(NULL AS {declared.sql_type}) AS {q(declared.name)}")
        names.append(declared.name)
    for column in staging.columns:
        if column.declared is None:
            selects.append(f"{_typed_expr(column, spec)} AS {q(column.out)}")
            names.append(column.out)
    selects.append("rowid AS aw_row")
    return f"SELECT {', '.join(selects)} FROM {q(staging.table)}", names


def _in_scope(spec: SourceSpec) -> str:
    """SQL over the typed columns: true for rows no scope rule leaves out."""
    if not spec.scope:
        return "true"
    return " AND ".join(f"NOT coalesce(({rule.sql}), false)" for rule in spec.scope)


def _scope_counts(spec: SourceSpec, staging: Staging) -> dict[str, int]:
    """Rows each scope rule leaves out (counted once, by the first rule that applies)."""
    if not spec.scope:
        return {}
    typed, _names = _typed_sql(spec, staging)
    terms = []
    earlier: list[str] = []
    for rule in spec.scope:
        condition = " AND ".join([*earlier, f"coalesce(({rule.sql}), false)"])
        terms.append(f"count(*) FILTER (WHERE {condition})")
        earlier.append(f"NOT coalesce(({rule.sql}), false)")
    found = staging.con.execute(f"WITH t AS ({typed}) SELECT {', '.join(terms)} FROM t").fetchone()
    assert found is not None
    return {rule.reason: int(n) for rule, n in zip(spec.scope, found, strict=True) if n}


def _map_rule(spec: SourceSpec, staging: Staging, rule: CountryRule) -> CountryMapping:
    typed, names = _typed_sql(spec, staging)
    value = q(rule.column)
    fallback = q(rule.fallback_column) if rule.fallback_column else "NULL::VARCHAR"
    year = q(rule.year_column) if rule.year_column in names else "NULL::BIGINT"
    rows = staging.con.execute(
        f"WITH t AS ({typed}) SELECT {value} AS v, {fallback} AS fb, {year} AS y, count(*), "
        f"min(aw_row) FROM t WHERE ({value} IS NOT NULL OR {fallback} IS NOT NULL) "
        f"AND {_in_scope(spec)} GROUP BY ALL ORDER BY 5"
    ).fetchall()
    occurrences = [
        Occurrence(v, None if y is None else int(y), int(n), int(r), fb) for v, fb, y, n, r in rows
    ]
    mapping = map_countries(rule, occurrences)
    if mapping.unknown:
        grouped: dict[str, list[Unknown]] = {}
        for unknown in mapping.unknown:
            grouped.setdefault(unknown.value, []).append(unknown)
        shown = []
        for value, items in list(grouped.items())[:_SHOWN_UNKNOWN]:
            years = sorted(u.year for u in items if u.year is not None)
            when = ""
            if years:
                when = f" in {years[0]}" if years[0] == years[-1] else f" in {years[0]}–{years[-1]}"
            first = min(u.first_row for u in items)
            hint = _short_hint(items[0].hint)
            shown.append(f"{value!r}{when} (first on line {staging.line_of(first)}{hint})")
        more = len(grouped) - len(shown)
        listed = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        first_row = min(u.first_row for u in mapping.unknown)
        count = len(grouped)
        raise SourceFormatError(
            staging.display_name,
            line=staging.line_of(first_row),
            column=rule.column,
            reason=f"{count} {'country' if count == 1 else 'countries'} the country registry does "
            f"not know ({_SCHEME_WORDS.get(rule.scheme, rule.scheme)}): {listed}",
        )
    return mapping


_SCHEME_WORDS = {
    "gw": "Gleditsch-Ward codes",
    "cow": "Correlates of War codes",
    "name": "country names",
    "iso3": "ISO 3166-1 alpha-3 codes",
    "iso_numeric": "ISO 3166-1 numeric codes",
    "vdem": "V-Dem country ids",
    "ucdp": "UCDP country ids",
    "gw_letters": "Gleditsch-Ward letter codes",
}


def _short_hint(message: str) -> str:
    match = re.search(r"[Cc]losest matches?:\s*(.+)", message)
    if match:
        return "; closest: " + match.group(1).strip().rstrip(".")
    return ""


# --------------------------------------------------------------------------------------------
# Writing the validated table


def _write(
    spec: SourceSpec, staging: Staging, mappings: list[CountryMapping], table: str
) -> tuple[str, ...]:
    con = staging.con
    typed_sql, names = _typed_sql(spec, staging)
    outer = [f"t.{q(n)}" for n in names]
    outer += [f"CAST(({d.sql}) AS {_sql_type(d.kind)}) AS {q(d.name)}" for d in spec.derived]
    names += [d.name for d in spec.derived]
    joins: list[str] = []
    where: list[str] = [_in_scope(spec)]
    for index, mapping in enumerate(mappings):
        rule = mapping.rule
        alias = f"m{index}"
        view = f"{staging.table}_map{index}"
        value_type = _sql_type(spec.column(rule.column).kind)
        fallback_type = (
            _sql_type(spec.column(rule.fallback_column).kind) if rule.fallback_column else "VARCHAR"
        )
        mapping_table = pa.table(
            {
                "v": pa.array([r[0] for r in mapping.rows], type=_arrow_type(value_type)),
                "fb": pa.array([r[5] for r in mapping.rows], type=_arrow_type(fallback_type)),
                "y": pa.array([r[1] for r in mapping.rows], type=pa.int64()),
                "iso3": pa.array([r[2] for r in mapping.rows], type=pa.string()),
                "iso3_all": pa.array([r[3] for r in mapping.rows], type=pa.string()),
                "drop_reason": pa.array([r[4] for r in mapping.rows], type=pa.string()),
            }
        )
        con.register(view, mapping_table)
        if rule.fallback_column is None:
            on = [f"t.{q(rule.column)} = {alias}.v"]
        else:
            on = [
                f"t.{q(rule.column)} IS NOT DISTINCT FROM {alias}.v",
                f"t.{q(rule.fallback_column)} IS NOT DISTINCT FROM {alias}.fb",
            ]
        if rule.year_column is not None:
            on.append(f"t.{q(rule.year_column)} IS NOT DISTINCT FROM {alias}.y")
        joins.append(f"LEFT JOIN {q(view)} AS {alias} ON {' AND '.join(on)}")
        where.append(f"{alias}.drop_reason IS NULL")
        outer.append(f"{alias}.iso3 AS {q(rule.target)}")
        names.append(rule.target)
        if rule.separator is not None:
            outer.append(f"{alias}.iso3_all AS {q(rule.target + '_all')}")
            names.append(rule.target + "_all")
    sql = (
        f"CREATE TABLE {q(table)} AS WITH t AS ({typed_sql}) "
        f"SELECT {', '.join(outer)} FROM t {' '.join(joins)} WHERE {' AND '.join(where)}"
    )
    try:
        con.execute(sql)
    finally:
        for index in range(len(mappings)):
            con.unregister(f"{staging.table}_map{index}")
    return tuple(names)


def _sql_type(kind: str) -> str:
    from atrocity_watch.sources._spec import SQL_TYPES

    return SQL_TYPES[kind]


def _arrow_type(sql_type: str) -> pa.DataType:
    return {
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "VARCHAR": pa.string(),
        "DATE": pa.date32(),
        "BOOLEAN": pa.bool_(),
    }[sql_type]


# --------------------------------------------------------------------------------------------
# Version


def _version(spec: SourceSpec, staging: Staging, opened: OpenedCsv, path: Path) -> str:
    by_name = {c.out: c for c in staging.columns}
    if spec.version_column is not None and spec.version_column in by_name:
        expr = _typed_expr(by_name[spec.version_column], spec)
        values = staging.con.execute(
            f"SELECT DISTINCT {expr} FROM {q(staging.table)} WHERE {expr} IS NOT NULL ORDER BY 1"
        ).fetchall()
        if values:
            return ", ".join(display_value(v[0]) for v in values)
    if spec.version_pattern is not None:
        member = PurePosixPath(opened.display_name.split("!")[-1]).name
        for name in (member, path.name):
            match = re.search(spec.version_pattern, name)
            if match:
                groups = [g for g in match.groups() if g is not None]
                return ".".join(groups) if groups else match.group(0)
    return spec.default_version
