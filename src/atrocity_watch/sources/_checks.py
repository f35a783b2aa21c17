"""Checking staged rows against the declaration: types, ranges, allowed values, unique key.

Every check is one SQL condition; one query finds, for all of them at once, the first row that
breaks each, so that a file is scanned once whatever the number of rules. Only the first
failing row is reported, with its physical line.
"""

# ruff: noqa: S608 - identifiers are quoted with q(), literals escaped with lit(); see _sql.py

from __future__ import annotations

from dataclasses import dataclass

from atrocity_watch.sources._countries import display_value
from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._spec import KIND_WORDS, SourceSpec
from atrocity_watch.sources._sql import lit, q, scalar
from atrocity_watch.sources._staging import StagedColumn, Staging


def typed_expr(column: StagedColumn, spec: SourceSpec) -> str:
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


def number_expr(column: StagedColumn) -> str:
    """The value as DOUBLE before rounding (to tell 1946.5 from 1946)."""
    raw = q(column.raw)
    return f"TRY_CAST({raw} AS DOUBLE)" if column.raw_is_text else raw


@dataclass(frozen=True)
class Check:
    """One declared rule as SQL: the condition of a bad row, and how to word the problem."""

    column: str
    bad_when: str  # SQL over the staging table: true for a bad row
    value_sql: str  # SQL showing the offending value
    reason: str  # with {value}
    quoted: bool = True  # False: value_sql already words the values (row rules)


def build_checks(spec: SourceSpec, staging: Staging) -> list[Check]:
    """Every rule the declaration implies for the staged columns, in column order."""
    checks: list[Check] = []
    for column in staging.columns:
        declared = column.declared
        raw = q(column.raw)
        if declared is None:
            if spec.extra_columns == "keep_number" and column.raw_is_text:
                checks.append(
                    Check(
                        column.out,
                        f"{raw} IS NOT NULL AND TRY_CAST({raw} AS DOUBLE) IS NULL",
                        raw,
                        "{value} is not a number",
                    )
                )
            continue
        typed = typed_expr(column, spec)
        kind_word = KIND_WORDS[declared.kind]
        if column.raw_is_text and declared.kind != "text":
            parse = typed if declared.kind != "integer" else number_expr(column)
            formats = ""
            if declared.kind == "date":
                formats = " (expected " + " or ".join(declared.date_formats) + ")"
            checks.append(
                Check(
                    declared.name,
                    f"{raw} IS NOT NULL AND {parse} IS NULL",
                    raw,
                    "{value} is not " + kind_word + formats,
                )
            )
        if not declared.nullable:
            checks.append(Check(declared.name, f"{raw} IS NULL", "NULL", "the value is empty"))
        if declared.kind in ("integer", "number"):
            number = number_expr(column)
            checks.append(
                Check(
                    declared.name,
                    f"{number} IS NOT NULL AND NOT isfinite({number})",
                    raw,
                    "{value} is not a finite number",
                )
            )
            if declared.kind == "integer":
                checks.append(
                    Check(
                        declared.name,
                        f"isfinite({number}) AND {number} <> trunc({number})",
                        raw,
                        "{value} is not a whole number",
                    )
                )
            low, high = declared.minimum, declared.upper_bound()
            if low is not None:
                checks.append(
                    Check(
                        declared.name,
                        f"{number} < {low!r}",
                        raw,
                        "{value} is below the smallest value allowed, " + _fmt(low),
                    )
                )
            if high is not None:
                checks.append(
                    Check(
                        declared.name,
                        f"isfinite({number}) AND {number} > {high!r}",
                        raw,
                        "{value} is above the largest value allowed, " + _fmt(high),
                    )
                )
        if declared.allowed:
            values = ", ".join(lit(v) for v in declared.allowed)
            checks.append(
                Check(
                    declared.name,
                    f"{typed} IS NOT NULL AND {typed} NOT IN ({values})",
                    raw,
                    "{value} is not one of the allowed values ("
                    + ", ".join(str(v) for v in declared.allowed)
                    + ")",
                )
            )
    checks += row_rule_checks(spec, staging)
    return checks


def row_rule_checks(spec: SourceSpec, staging: Staging) -> list[Check]:
    """The declared rules between the columns of a row, for the columns the file has.

    Numbers are compared as the DOUBLE values staged (never cast, so that a value the type
    checks reject cannot abort the query); those checks come first and win on the same row.
    """
    by_name = {c.out: c for c in staging.columns if c.declared is not None}
    checks: list[Check] = []
    for rule in spec.row_rules:
        if not all(name in by_name for name in rule.columns):
            continue  # an optional column this file lacks
        values = {}
        for name in rule.columns:
            column = by_name[name]
            assert column.declared is not None
            numeric = column.declared.kind in ("integer", "number")
            values[name] = number_expr(column) if numeric else typed_expr(column, spec)
        shown = " || ', ' || ".join(
            f"{lit(name + '=')} || coalesce({_shown(values[name])}, 'empty')"
            for name in rule.columns
        )
        checks.append(
            Check(
                rule.column,
                f"NOT coalesce(({rule.condition(values)}), true)",
                shown,
                "the row breaks the rule that " + rule.reason + " ({value})",
                quoted=False,
            )
        )
    return checks


def _shown(value: str) -> str:
    """SQL writing a value for a message: whole numbers without a trailing '.0'."""
    return (
        f"CASE WHEN TRY_CAST({value} AS DOUBLE) = trunc(TRY_CAST({value} AS DOUBLE)) "
        f"AND abs(TRY_CAST({value} AS DOUBLE)) < 1e15 "
        f"THEN CAST(CAST(TRY_CAST({value} AS DOUBLE) AS BIGINT) AS VARCHAR) "
        f"ELSE CAST({value} AS VARCHAR) END"
    )


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def validate(spec: SourceSpec, staging: Staging) -> None:
    """Raise :class:`SourceFormatError` for the first row that breaks a rule, if any."""
    checks = build_checks(spec, staging)
    con, table = staging.con, staging.table
    if checks:
        firsts = ", ".join(f"min(CASE WHEN {c.bad_when} THEN rowid END)" for c in checks)
        found = con.execute(f"SELECT {firsts} FROM {q(table)}").fetchone()
        assert found is not None
        failing = [(row, i) for i, row in enumerate(found) if row is not None]
        if failing:
            row, index = min(failing)
            check = checks[index]
            value = scalar(con, f"SELECT {check.value_sql} FROM {q(table)} WHERE rowid = ?", [row])
            if not check.quoted:
                shown = str(value)
            elif value is not None:
                shown = repr(display_value(value))
            else:
                shown = "the empty value"
            raise SourceFormatError(
                staging.display_name,
                line=staging.line_of(int(row)),
                column=check.column,
                reason=check.reason.format(value=shown),
            )
    check_key(spec, staging)


def check_key(spec: SourceSpec, staging: Staging) -> None:
    """Raise for the first repeated key, naming both lines."""
    if not spec.key:
        return
    by_name = {c.out: c for c in staging.columns}
    keys = [by_name[k] for k in spec.key if k in by_name]
    if len(keys) != len(spec.key):
        return
    exprs = [typed_expr(k, spec) for k in keys]
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
    second = scalar(
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


def typed_sql(spec: SourceSpec, staging: Staging) -> tuple[str, list[str]]:
    """SELECT giving every declared and kept column typed, plus ``aw_row`` (the row's index)."""
    by_name = {c.out: c for c in staging.columns}
    selects: list[str] = []
    names: list[str] = []
    for declared in spec.columns:
        if declared.name in by_name:
            selects.append(f"{typed_expr(by_name[declared.name], spec)} AS {q(declared.name)}")
        else:
            selects.append(f"CAST(NULL AS {declared.sql_type}) AS {q(declared.name)}")
        names.append(declared.name)
    for column in staging.columns:
        if column.declared is None:
            selects.append(f"{typed_expr(column, spec)} AS {q(column.out)}")
            names.append(column.out)
    selects.append("rowid AS aw_row")
    return f"SELECT {', '.join(selects)} FROM {q(staging.table)}", names


def in_scope(spec: SourceSpec) -> str:
    """SQL over the typed columns: true for rows no scope rule leaves out."""
    if not spec.scope:
        return "true"
    return " AND ".join(f"NOT coalesce(({rule.sql}), false)" for rule in spec.scope)


def scope_counts(spec: SourceSpec, staging: Staging) -> dict[str, int]:
    """Rows each scope rule leaves out (counted once, by the first rule that applies)."""
    if not spec.scope:
        return {}
    typed, _names = typed_sql(spec, staging)
    terms = []
    earlier: list[str] = []
    for rule in spec.scope:
        condition = " AND ".join([*earlier, f"coalesce(({rule.sql}), false)"])
        terms.append(f"count(*) FILTER (WHERE {condition})")
        earlier.append(f"NOT coalesce(({rule.sql}), false)")
    found = staging.con.execute(f"WITH t AS ({typed}) SELECT {', '.join(terms)} FROM t").fetchone()
    assert found is not None
    return {rule.reason: int(n) for rule, n in zip(spec.scope, found, strict=True) if n}
