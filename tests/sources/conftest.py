"""Small synthetic source files built in code, for the tests of the sources layer."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from atrocity_watch.sources.datasets.ucdp_ged import COLUMNS as GED_COLUMNS

GED_HEADER = [c.name for c in GED_COLUMNS]


def ged_row(number: int, **values: object) -> dict[str, object]:
    """One plausible GED event (Nigeria, one-sided violence), with ``values`` replaced."""
    row: dict[str, object] = dict.fromkeys(GED_HEADER, "")
    row.update(
        id=100_000 + number,
        relid=f"NIG-2020-3-{number}",
        year=2020,
        active_year=1,
        code_status="Clear",
        type_of_violence=3,
        conflict_new_id=420,
        dyad_new_id=4200,
        side_a="Jama'atu Ahlis Sunna Lidda'awati wal-Jihad",
        side_b="Civilians",
        number_of_sources=2,
        source_article='"Reuters, 2020-03-01"; "AFP, 2020-03-02"',
        where_prec=1,
        latitude=11.85,
        longitude=13.16,
        country="Nigeria",
        country_id=475,
        region="Africa",
        event_clarity=1,
        date_prec=1,
        date_start="2020-03-01",
        date_end="2020-03-01",
        deaths_a=0,
        deaths_b=0,
        deaths_civilians=5,
        deaths_unknown=0,
        best=5,
        high=7,
        low=5,
    )
    row.update(values)
    return row


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, object]],
    header: list[str] | None = None,
    *,
    newline: str = "\n",
    encoding: str = "utf-8",
) -> Path:
    """Write rows as CSV the way spreadsheet programs and R do (quotes only when needed)."""
    rows = list(rows)
    columns = header if header is not None else list(rows[0])
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.DictWriter(stream, columns, lineterminator=newline, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def ged_file(tmp_path: Path) -> Path:
    """A valid synthetic GED file of 20 events."""
    return write_csv(tmp_path / "GEDEvent_v25_1.csv", [ged_row(i) for i in range(20)])
