"""The scale path: the country-month panel expression runs unchanged on Spark.

The same Ibis expression (``country_month_panel``) is executed on DuckDB and on a local
PySpark session (Debian's Java 17), on a small sample of the synthetic warehouse's tables, and
the two results must be equal value for value, missing values included.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest

from atrocity_watch.panels import PanelInputs, country_month_panel
from atrocity_watch.panels._inputs import SOURCE_COLUMNS
from atrocity_watch.panels._units import country_months, land_neighbours
from atrocity_watch.warehouse import Warehouse
from atrocity_watch.warehouse._sql import fetch_arrow

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SAMPLE_COUNTRIES = [
    "MMR",
    "SDN",
    "NOR",
    "SWE",
    "FIN",
    "RUS",
    "CAF",  # codespell:ignore
    "BGD",
    "THA",
    "EGY",
]  # codespell:ignore


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pyspark_sql = pytest.importorskip("pyspark.sql", reason="pip install 'atrocity-watch[spark]'")
    if not Path("/usr/bin/java").exists() and not Path("/usr/lib/jvm").exists():
        pytest.skip("Spark needs Java (apt-get install openjdk-17-jre-headless)")
    scratch = tmp_path_factory.mktemp("spark")
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("atrocity-watch-panel-test")
        # a fresh warehouse folder: a leftover ./spark-warehouse breaks a second run
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.local.dir", str(scratch / "local"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # a few hundred rows: one partition per stage keeps Spark's scheduling overhead low
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.extraJavaOptions", f"-Djava.io.tmpdir={scratch}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _inputs_as_arrow(wh: Warehouse) -> dict[str, pa.Table]:
    tables: dict[str, pa.Table] = {}
    for source in ("ucdp_ged", "acled_events", "ucdp_organized_violence_cy"):
        table = wh.read_table(f"src_{source}", columns=SOURCE_COLUMNS[source])
        mask = pa.compute.is_in(table.column("iso3"), pa.array(SAMPLE_COUNTRIES))
        tables[source] = table.filter(mask)
    with wh.connection() as con:
        tables["_coverage"] = fetch_arrow(
            con, "SELECT source, iso3, start_date, end_date FROM _coverage"
        )
    units = country_months(2019, dt.date(2021, 12, 1))
    tables["_units"] = units.filter(
        pa.compute.is_in(units.column("iso3"), pa.array(SAMPLE_COUNTRIES))
    )
    neighbours = land_neighbours()
    tables["_neighbours"] = neighbours.filter(
        pa.compute.is_in(neighbours.column("iso3"), pa.array(SAMPLE_COUNTRIES))
    )
    return tables


def _run(backend: Any, tables: dict[str, pa.Table]) -> list[dict[str, Any]]:
    loaded = {
        name: backend.create_table(f"t{index}_{name.strip('_')}", obj=table, overwrite=True)
        for index, (name, table) in enumerate(tables.items())
    }
    inputs = PanelInputs(
        units=loaded["_units"],
        neighbours=loaded["_neighbours"],
        coverage=loaded["_coverage"],
        sources={k: v for k, v in loaded.items() if not k.startswith("_")},
    )
    result = backend.to_pyarrow(country_month_panel(inputs))
    return sorted(result.to_pylist(), key=lambda r: (r["iso3"], r["month"]))


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dt.datetime):
        a = a.date()
    if isinstance(b, dt.datetime):
        b = b.date()
    return bool(a == b)


def test_country_month_panel_is_the_same_on_spark_and_duckdb(
    synthetic: Warehouse, spark: Any
) -> None:
    tables = _inputs_as_arrow(synthetic)
    on_duckdb = _run(ibis.duckdb.connect(), tables)
    on_spark = _run(ibis.pyspark.connect(spark), tables)
    assert len(on_duckdb) == len(on_spark) == tables["_units"].num_rows
    assert on_duckdb[0].keys() == on_spark[0].keys()
    differences = [
        (row["iso3"], row["month"], column, row[column], other[column])
        for row, other in zip(on_duckdb, on_spark, strict=True)
        for column in row
        if not _same(row[column], other[column])
    ]
    assert differences == []
    # the comparison is not vacuous: the sample holds counts, zeros and missing values
    values = [r["organized_violence_deaths"] for r in on_spark]
    assert any(v for v in values) and 0 in values and None in values
    acled = [r["acled_attacks_on_aid_workers"] for r in on_spark]
    assert 1 in acled and None in acled
