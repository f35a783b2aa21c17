"""The warehouse: source data with provenance, derived tables, atomic loads.

One DuckDB file, ``$ATROCITY_WATCH_HOME/warehouse.duckdb``, holds each source's rows in
``src_<source>`` and the derived tables (``panel_country_year``, ``forecasts`` …); a raw archive
(``raw/``) keeps every imported file under its checksum, and Parquet snapshots (``parquet/``)
let readers such as the web app read derived tables without waiting for a writer. See
``docs/warehouse.md`` for the guarantees and how they are tested.
"""

from atrocity_watch.warehouse._coverage import COVERAGE_RULES, CoverageRule
from atrocity_watch.warehouse._errors import (
    InvalidTableError,
    NothingToImportError,
    UnknownTableError,
    WarehouseBusyError,
    WarehouseError,
)
from atrocity_watch.warehouse._load import FILE_COLUMN, KEEP_EVERY_EDITION, table_name
from atrocity_watch.warehouse._model import (
    Action,
    CoverageKind,
    CoverageSpan,
    FailedSource,
    ImportReport,
    LoadMode,
    LoadResult,
    ProgressCallback,
    Provenance,
    SkippedFile,
    SourceTableLike,
    TableInfo,
)
from atrocity_watch.warehouse._refresh import refresh_sources
from atrocity_watch.warehouse._store import Warehouse

__all__ = [
    "COVERAGE_RULES",
    "FILE_COLUMN",
    "KEEP_EVERY_EDITION",
    "Action",
    "CoverageKind",
    "CoverageRule",
    "CoverageSpan",
    "FailedSource",
    "ImportReport",
    "InvalidTableError",
    "LoadMode",
    "LoadResult",
    "NothingToImportError",
    "ProgressCallback",
    "Provenance",
    "SkippedFile",
    "SourceTableLike",
    "TableInfo",
    "UnknownTableError",
    "Warehouse",
    "WarehouseBusyError",
    "WarehouseError",
    "refresh_sources",
    "table_name",
]
