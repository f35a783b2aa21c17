"""Turning checked rows into the validated table: final types, country keys, dropped rows.

Countries are mapped on the distinct values of the country field only (a few hundred, whatever
the number of rows). For a CSV file the rows are already in the caller's table: the finish is
done in place (whole numbers become BIGINT, derived and country columns are added, rows out of
scope deleted), which costs a few column rewrites rather than a second copy of the table.
"""

# ruff: noqa: S608 - identifiers are quoted with q(), literals escaped with lit(); see _sql.py

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pyarrow as pa

from atrocity_watch.sources._checks import in_scope, typed_expr, typed_sql
from atrocity_watch.sources._countries import (
    CountryMapping,
    Occurrence,
    Unknown,
    display_value,
    map_countries,
)
from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._spec import SQL_TYPES, CountryRule, OpenedCsv, SourceSpec
from atrocity_watch.sources._sql import q, scalar
from atrocity_watch.sources._staging import Staging

_SHOWN_UNKNOWN = 15


def map_rule(spec: SourceSpec, staging: Staging, rule: CountryRule) -> CountryMapping:
    """Resolve the distinct values of a country field; raise listing every unknown one."""
    typed, names = typed_sql(spec, staging)
    value = q(rule.column)
    fallback = q(rule.fallback_column) if rule.fallback_column else "NULL::VARCHAR"
    year = q(rule.year_column) if rule.year_column in names else "NULL::BIGINT"
    rows = staging.con.execute(
        f"WITH t AS ({typed}) SELECT {value} AS v, {fallback} AS fb, {year} AS y, count(*), "
        f"min(aw_row) FROM t WHERE ({value} IS NOT NULL OR {fallback} IS NOT NULL) "
        f"AND {in_scope(spec)} GROUP BY ALL ORDER BY 5"
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


def _register_mapping(
    spec: SourceSpec, staging: Staging, mapping: CountryMapping, index: int
) -> tuple[str, str]:
    """Put a mapping's rows in a temporary table; return its name and the join on ``t``.

    A temporary table rather than a registered Arrow view: DuckDB runs an UPDATE joined to an
    Arrow view about a hundred times slower inside a transaction.
    """
    rule = mapping.rule
    alias = f"m{index}"
    view = f"{staging.table}_map{index}"
    arrow_view = f"{view}_arrow"
    value_type = _sql_type(spec.column(rule.column).kind)
    fallback_type = (
        _sql_type(spec.column(rule.fallback_column).kind) if rule.fallback_column else "VARCHAR"
    )
    rows = mapping.rows
    staging.con.register(
        arrow_view,
        pa.table(
            {
                "v": pa.array([r[0] for r in rows], type=_arrow_type(value_type)),
                "fb": pa.array([r[5] for r in rows], type=_arrow_type(fallback_type)),
                "y": pa.array([r[1] for r in rows], type=pa.int64()),
                "iso3": pa.array([r[2] for r in rows], type=pa.string()),
                "iso3_all": pa.array([r[3] for r in rows], type=pa.string()),
                "drop_reason": pa.array([r[4] for r in rows], type=pa.string()),
            }
        ),
    )
    try:
        staging.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {q(view)} AS SELECT * FROM {q(arrow_view)}"
        )
    finally:
        staging.con.unregister(arrow_view)
    if rule.fallback_column is None:
        on = [f"t.{q(rule.column)} = {alias}.v"]
    else:
        on = [
            f"t.{q(rule.column)} IS NOT DISTINCT FROM {alias}.v",
            f"t.{q(rule.fallback_column)} IS NOT DISTINCT FROM {alias}.fb",
        ]
    if rule.year_column is not None:
        on.append(f"t.{q(rule.year_column)} IS NOT DISTINCT FROM {alias}.y")
    return view, " AND ".join(on)


def write_from_staging(
    spec: SourceSpec, staging: Staging, mappings: list[CountryMapping], table: str
) -> tuple[str, ...]:
    """Build the validated table ``table`` from a temporary staging table (custom readers)."""
    con = staging.con
    staged_sql, names = typed_sql(spec, staging)
    outer = [f"t.{q(n)}" for n in names]
    outer += [f"CAST(({d.sql}) AS {_sql_type(d.kind)}) AS {q(d.name)}" for d in spec.derived]
    names += [d.name for d in spec.derived]
    joins: list[str] = []
    where: list[str] = [in_scope(spec)]
    views: list[str] = []
    for index, mapping in enumerate(mappings):
        rule = mapping.rule
        view, on = _register_mapping(spec, staging, mapping, index)
        views.append(view)
        joins.append(f"LEFT JOIN {q(view)} AS m{index} ON {on}")
        where.append(f"m{index}.drop_reason IS NULL")
        outer.append(f"m{index}.iso3 AS {q(rule.target)}")
        names.append(rule.target)
        if rule.separator is not None:
            outer.append(f"m{index}.iso3_all AS {q(rule.target + '_all')}")
            names.append(rule.target + "_all")
    sql = (
        f"CREATE TABLE {q(table)} AS WITH t AS ({staged_sql}) "
        f"SELECT {', '.join(outer)} FROM t {' '.join(joins)} WHERE {' AND '.join(where)}"
    )
    try:
        con.execute(sql)
    finally:
        for view in views:
            con.execute(f"DROP TABLE IF EXISTS temp.main.{q(view)}")
    return tuple(names)


def finish_in_place(
    spec: SourceSpec, staging: Staging, mappings: list[CountryMapping]
) -> tuple[str, ...]:
    """Give the checked rows of ``staging.table`` their final types, keys and extra columns."""
    con, table = staging.con, staging.table
    names = [c.name for c in spec.columns] + [c.out for c in staging.columns if c.declared is None]
    for column in staging.columns:
        declared = column.declared
        if declared is None:
            continue
        if declared.kind == "integer":
            con.execute(f"ALTER TABLE {q(table)} ALTER COLUMN {q(column.raw)} TYPE BIGINT")
        elif column.raw_is_text:
            con.execute(
                f"ALTER TABLE {q(table)} ALTER COLUMN {q(column.raw)} TYPE "
                f"{declared.sql_type} USING {typed_expr(column, spec)}"
            )
    if spec.scope:
        con.execute(f"DELETE FROM {q(table)} WHERE NOT ({in_scope(spec)})")
    for derived in spec.derived:
        sql_type = _sql_type(derived.kind)
        con.execute(f"ALTER TABLE {q(table)} ADD COLUMN {q(derived.name)} {sql_type}")
        con.execute(
            f"UPDATE {q(table)} SET {q(derived.name)} = CAST(({derived.sql}) AS {sql_type})"
        )
        names.append(derived.name)
    for index, mapping in enumerate(mappings):
        rule = mapping.rule
        targets = [(rule.target, "iso3")]
        if rule.separator is not None:
            targets.append((rule.target + "_all", "iso3_all"))
        for name, _ in targets:
            con.execute(f"ALTER TABLE {q(table)} ADD COLUMN {q(name)} VARCHAR")
            names.append(name)
        view, on = _register_mapping(spec, staging, mapping, index)
        alias = f"m{index}"
        try:
            assignments = ", ".join(f"{q(name)} = {alias}.{field}" for name, field in targets)
            con.execute(
                f"UPDATE {q(table)} AS t SET {assignments} FROM {q(view)} AS {alias} WHERE {on}"
            )
            if mapping.dropped:
                con.execute(
                    f"DELETE FROM {q(table)} AS t USING {q(view)} AS {alias} "
                    f"WHERE {on} AND {alias}.drop_reason IS NOT NULL"
                )
        finally:
            con.execute(f"DROP TABLE IF EXISTS temp.main.{q(view)}")
    return tuple(names)


def _sql_type(kind: str) -> str:

    return SQL_TYPES[kind]


def _arrow_type(sql_type: str) -> pa.DataType:
    return {
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "VARCHAR": pa.string(),
        "DATE": pa.date32(),
        "BOOLEAN": pa.bool_(),
    }[sql_type]


def version_of(spec: SourceSpec, staging: Staging, opened: OpenedCsv, path: Path) -> str:
    """The release a file belongs to, sortable in natural order (``9.1`` < ``23.1``).

    In order: the publisher's version column, an aggregate over the rows
    (``spec.version_sql``), the file name (``spec.version_from_name``, then
    ``spec.version_pattern``), else ``spec.default_version``.
    """
    by_name = {c.out: c for c in staging.columns}
    if spec.version_column is not None and spec.version_column in by_name:
        expr = typed_expr(by_name[spec.version_column], spec)
        values = staging.con.execute(
            f"SELECT DISTINCT {expr} FROM {q(staging.table)} WHERE {expr} IS NOT NULL ORDER BY 1"
        ).fetchall()
        if values:
            return ", ".join(display_value(v[0]) for v in values)
    if spec.version_sql is not None:
        rows, _names = typed_sql(spec, staging)
        found = scalar(staging.con, f"WITH t AS ({rows}) SELECT {spec.version_sql} FROM t")
        if found is not None:
            return display_value(found)
    member = PurePosixPath(opened.display_name.split("!")[-1]).name
    for name in (member, path.name):
        if spec.version_from_name is not None:
            named = spec.version_from_name(name)
            if named:
                return named
        if spec.version_pattern is not None:
            match = re.search(spec.version_pattern, name)
            if match:
                groups = [g for g in match.groups() if g is not None]
                return ".".join(groups) if groups else match.group(0)
    return spec.default_version
