"""Reading and validating one file against its :class:`SourceSpec`, in DuckDB.

The work is vectorised and touches the file once: DuckDB parses the CSV in parallel with the
declared types straight into the caller's table (rows it cannot parse are kept aside and the
first one reported); a handful of SQL queries then check the declared ranges, allowed values
and unique key over all rows at once; the country field is mapped on its distinct values only;
and the table gets its final types and keys in place. Only when something is wrong is the
exact line computed. A failed read leaves nothing behind in the caller's connection.
"""

# ruff: noqa: S608 - identifiers are quoted with q(), literals escaped with lit(); see _sql.py

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import duckdb

from atrocity_watch.sources._checks import scope_counts, validate
from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._files import open_source_file, read_head, utf8_instead
from atrocity_watch.sources._finish import (
    finish_in_place,
    map_rule,
    version_of,
    write_from_staging,
)
from atrocity_watch.sources._spec import SourceSpec
from atrocity_watch.sources._sql import q, scalar
from atrocity_watch.sources._staging import stage_csv, stage_custom
from atrocity_watch.sources._table import SourceTable


def load_file(
    spec: SourceSpec,
    path: Path,
    con: duckdb.DuckDBPyConnection,
    table: str,
) -> SourceTable:
    """Read ``path`` as ``spec``, validate it, and write the rows to ``table`` on ``con``."""
    token = uuid.uuid4().hex[:12]
    cleanup: list[str] = []
    succeeded = False
    try:
        with open_source_file(path, spec.encoding, spec.sheet) as (opened, checksum):
            opened = utf8_instead(opened)
            head = read_head(opened)
            if not head.records:
                raise SourceFormatError(opened.display_name, reason="the file has no lines of text")
            try:
                if spec.reader is not None:
                    staging = stage_custom(spec, opened, con, f"aw_staging_{token}", cleanup)
                else:
                    staging = stage_csv(spec, opened, head, con, table, token, cleanup)
                validate(spec, staging)
            except SourceFormatError:
                if opened.compression == "gzip":
                    checksum.result()  # a cut gzip file explains the error better, if it is one
                raise
            dropped = scope_counts(spec, staging)
            mappings = [map_rule(spec, staging, rule) for rule in spec.countries]
            version = version_of(spec, staging, opened, path)
            if staging.in_place:
                columns = finish_in_place(spec, staging, mappings)
            else:
                columns = write_from_staging(spec, staging, mappings, table)
            rows = int(scalar(con, f"SELECT count(*) FROM {q(table)}"))
            kept: dict[str, int] = {}
            for mapping in mappings:
                for reason, count in mapping.dropped.items():
                    dropped[reason] = dropped.get(reason, 0) + count
                for reason, count in mapping.kept_without_key.items():
                    kept[reason] = kept.get(reason, 0) + count
            if rows == 0:
                raise SourceFormatError(
                    opened.display_name,
                    reason="no rows are left after dropping those out of scope "
                    f"({', '.join(f'{n} {r}' for r, n in dropped.items())})",
                )
            result = SourceTable(
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
            succeeded = True
            return result
    finally:
        if not succeeded:
            cleanup.append(f"DROP TABLE IF EXISTS {q(table)}")
        for statement in reversed(cleanup):
            # best effort after another error: the original error is the one to report
            with contextlib.suppress(duckdb.Error):
                con.execute(statement)
