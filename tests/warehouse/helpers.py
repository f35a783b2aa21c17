"""Small synthetic source files, written in code, for the warehouse and panel tests."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from atrocity_watch.warehouse import Warehouse

GED_COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_new_id",
    "conflict_name",
    "dyad_new_id",
    "dyad_name",
    "side_a_new_id",
    "side_a",
    "side_b_new_id",
    "side_b",
    "latitude",
    "longitude",
    "country",
    "country_id",
    "region",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)

COUNTRIES = {  # Gleditsch-Ward code: (GED country name, region, ISO3)
    775: ("Myanmar (Burma)", "Asia", "MMR"),
    482: ("Central African Republic", "Africa", "CAF"),  # codespell:ignore
    652: ("Syria", "Middle East", "SYR"),
    625: ("Sudan", "Africa", "SDN"),
}


def ged_event(
    event_id: int,
    day: str,
    *,
    gw: int = 775,
    violence: int = 3,
    best: int = 5,
    side_a: str = "Government of Myanmar (Burma)",
) -> dict[str, Any]:
    """One GED event in the publisher's columns."""
    name, region, _ = COUNTRIES[gw]
    side_b = "Civilians" if violence == 3 else "KNU"
    return {
        "id": event_id,
        "relid": f"EV-{event_id}",
        "year": int(day[:4]),
        "active_year": 1,
        "code_status": "Clear",
        "type_of_violence": violence,
        "conflict_new_id": 100 + violence,
        "conflict_name": f"{side_a} - {side_b}",
        "dyad_new_id": 200 + violence,
        "dyad_name": f"{side_a} - {side_b}",
        "side_a_new_id": 1,
        "side_a": side_a,
        "side_b_new_id": 2,
        "side_b": side_b,
        "latitude": 19.0,
        "longitude": 94.25,
        "country": name,
        "country_id": gw,
        "region": region,
        "date_prec": 1,
        "date_start": day,
        "date_end": day,
        "deaths_a": 0,
        "deaths_b": 0,
        "deaths_civilians": best,
        "deaths_unknown": 0,
        "best": best,
        "high": best,
        "low": best,
    }


def write_ged(path: Path, events: Iterable[dict[str, Any]]) -> Path:
    """Write events as a GED CSV file (the publisher's layout, comma-separated)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=GED_COLUMNS)
        writer.writeheader()
        for event in events:
            writer.writerow(event)
    return path


@dataclass(frozen=True)
class ArrowFile:
    """Rows handed to ``Warehouse.load`` directly as a PyArrow table (any SourceTableLike)."""

    source: str
    table: pa.Table
    file_name: str
    version: str | None = "1.0"
    sha256: str = field(default="")
    rows: int = field(default=-1)

    def __post_init__(self) -> None:
        if not self.sha256:
            digest = hashlib.sha256(self.file_name.encode())
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, self.table.schema) as writer:
                writer.write_table(self.table)
            digest.update(sink.getvalue().to_pybytes())
            object.__setattr__(self, "sha256", digest.hexdigest())
        if self.rows < 0:
            object.__setattr__(self, "rows", self.table.num_rows)


def snapshot(wh: Warehouse) -> dict[str, Any]:
    """Everything a user could observe of the warehouse, to compare before and after."""
    tables = {t.name: t.rows for t in wh.tables()}
    rows = {
        name: sorted(map(str, wh.read_table(name).to_pylist()))
        for name in tables
        if name.startswith("src_")
    }
    return {
        "status": [p.as_dict() for p in wh.status()],
        "coverage": wh.coverage(),
        "tables": tables,
        "rows": rows,
        "history": wh.history(),
    }
