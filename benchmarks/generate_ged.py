"""Generate synthetic UCDP GED event files (GED Global's 49 columns) for benchmarks.

The values follow the shapes of the real data rather than uniform noise: a few countries hold
most events, events grow over time, most events kill a handful of people and a few kill
hundreds, text fields are long and contain commas, quotes and the odd line break (quoted as
UCDP's own files are), and every id is unique. Generation is vectorised (numpy + Arrow) and
written in chunks, so 10^7 events (about 5 GB) need little memory.

    python benchmarks/generate_ged.py --events 1000000 --out /tmp/ged_1e6.csv
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from atrocity_watch.sources import get_source

# Countries weighted roughly as in GED 25.1 (events per country); coordinates are centres.
# (Gleditsch-Ward code, UCDP name, region, latitude, longitude, weight, letters for relid)
COUNTRIES = [
    (652, "Syria", "Middle East", 35.0, 38.5, 18, "SYR"),
    (700, "Afghanistan", "Asia", 34.0, 66.0, 14, "AFG"),
    (645, "Iraq", "Middle East", 33.0, 44.0, 7, "IRQ"),
    (770, "Pakistan", "Asia", 30.0, 70.0, 5, "PAK"),
    (775, "Myanmar (Burma)", "Asia", 21.0, 96.0, 4, "MYA"),
    (475, "Nigeria", "Africa", 10.0, 8.0, 5, "NIG"),
    (490, "DR Congo (Zaire)", "Africa", -2.0, 25.0, 6, "DRC"),
    (520, "Somalia", "Africa", 5.0, 46.0, 5, "SOM"),  # codespell:ignore
    (625, "Sudan", "Africa", 15.0, 30.0, 3, "SUD"),
    (626, "South Sudan", "Africa", 7.0, 30.0, 2, "SSD"),
    (530, "Ethiopia", "Africa", 9.0, 39.0, 3, "ETH"),
    (432, "Mali", "Africa", 17.0, -4.0, 2, "MLI"),
    (439, "Burkina Faso", "Africa", 12.0, -1.5, 2, "BFO"),
    (482, "Central African Republic", "Africa", 7.0, 21.0, 1, "CEN"),
    (369, "Ukraine", "Europe", 49.0, 32.0, 6, "UKR"),
    (365, "Russia (Soviet Union)", "Europe", 55.0, 45.0, 2, "RUS"),
    (678, "Yemen (North Yemen)", "Middle East", 15.5, 48.0, 4, "YEM"),
    (750, "India", "Asia", 23.0, 80.0, 3, "IND"),
    (840, "Philippines", "Asia", 12.0, 122.0, 2, "PHI"),
    (100, "Colombia", "Americas", 4.0, -73.0, 2, "COL"),
    (70, "Mexico", "Americas", 23.0, -102.0, 3, "MEX"),
    (640, "Turkey", "Europe", 39.0, 35.0, 2, "TUR"),
    (615, "Algeria", "Africa", 28.0, 2.0, 1, "ALG"),
    (500, "Uganda", "Africa", 1.5, 32.5, 1, "UGA"),
    (540, "Angola", "Africa", -12.0, 17.5, 1, "ANG"),
    (620, "Libya", "Africa", 27.0, 17.0, 1, "LIB"),
    (666, "Israel", "Middle East", 31.5, 34.9, 2, "ISR"),
    (516, "Burundi", "Africa", -3.4, 29.9, 1, "BUI"),  # codespell:ignore
    (517, "Rwanda", "Africa", -2.0, 29.9, 1, "RWA"),
    (483, "Chad", "Africa", 15.0, 19.0, 1, "CHA"),
]
COLUMNS = [column.name for column in get_source("ucdp_ged").columns]  # GED Global order
_OFFICES = ["Reuters", "AFP", "BBC Monitoring", "Xinhua", "AP", "SOHR", "Local media", "UN OCHA"]
_PLACES = ["village", "town", "district", "market", "checkpoint", "camp", "road", "mosque"]


def _pool(rng: np.random.Generator, size: int, maker: object) -> pa.Array:
    return pa.array([maker(i, rng) for i in range(size)], type=pa.string())  # type: ignore[operator]


def _article(i: int, rng: np.random.Generator) -> str:
    office = _OFFICES[i % len(_OFFICES)]
    day = f"20{i % 25:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    text = f'"{office},{day},Clashes reported near the {_PLACES[i % len(_PLACES)]}, {i} said"'
    if i % 97 == 0:  # a few articles carry a line break, as in UCDP's files
        text += ';"Second report\non the same day"'
    return text + "; " + f'"{_OFFICES[(i + 3) % len(_OFFICES)]},{day},Follow-up {i}"' * (i % 2)


def _headline(i: int, rng: np.random.Generator) -> str:
    return f'Fighting in {_PLACES[i % len(_PLACES)]} {i}, casualties reported; "{i % 50} dead"'


def _place(i: int, rng: np.random.Generator) -> str:
    return f"{_PLACES[i % len(_PLACES)].title()} {i} area, near the border"


def generate_chunk(rng: np.random.Generator, start: int, size: int, ids: np.ndarray) -> pa.Table:
    """One chunk of ``size`` events whose ids come from ``ids[start:start + size]``."""
    weights = np.array([c[5] for c in COUNTRIES], dtype=float)
    country = rng.choice(len(COUNTRIES), size=size, p=weights / weights.sum())
    gw = np.array([c[0] for c in COUNTRIES])[country]
    # events grow over time: year weights rise linearly from 1989 to 2024
    years = np.arange(1989, 2025)
    year = rng.choice(years, size=size, p=(years - 1980) / (years - 1980).sum())
    day_of_year = rng.integers(0, 365, size=size)
    start_date = (year - 1970) * 365.25 + day_of_year
    start_days = np.floor(start_date).astype("int32")
    span = np.where(rng.random(size) < 0.85, 0, rng.integers(1, 30, size=size))
    end_days = np.minimum(start_days + span, np.floor((year + 1 - 1970) * 365.25) - 1)
    # dates must stay inside the event's year
    start_days = np.maximum(start_days, np.ceil((year - 1970) * 365.25)).astype("int32")
    end_days = np.maximum(end_days, start_days).astype("int32")
    tov = rng.choice([1, 2, 3], size=size, p=[0.70, 0.13, 0.17])
    best = np.floor(rng.lognormal(mean=0.7, sigma=1.3, size=size)).astype("int64")
    civilians = np.where(tov == 3, best, rng.binomial(best, 0.15))
    rest = best - civilians
    deaths_a = rng.binomial(rest, 0.45)
    deaths_b = rng.binomial(rest - deaths_a, 0.8)
    unknown = rest - deaths_a - deaths_b
    low = np.maximum(0, best - rng.poisson(0.3, size=size))
    high = best + rng.poisson(1.5, size=size)
    lat0 = np.array([c[3] for c in COUNTRIES])[country]
    lon0 = np.array([c[4] for c in COUNTRIES])[country]
    lat = np.round(np.clip(lat0 + rng.normal(0, 1.5, size=size), -89.9, 89.9), 6)
    lon = np.round(np.clip(lon0 + rng.normal(0, 1.5, size=size), -179.9, 179.9), 6)
    dyad = 400 + country * 10 + tov
    conflict = 200 + country * 3 + tov
    names = pa.array([c[1] for c in COUNTRIES]).take(pa.array(country))
    letters = pa.array([c[6] for c in COUNTRIES]).take(pa.array(country))
    regions = pa.array([c[2] for c in COUNTRIES]).take(pa.array(country))
    governments = pc.binary_join_element_wise("Government of ", names, "")
    groups = pa.array([f"Armed group {n}" for n in range(60)]).take(
        pa.array(rng.integers(0, 60, size=size))
    )
    side_b = pa.array(np.where(tov == 3, "Civilians", "")).cast(pa.string())
    side_b = pc.if_else(pc.equal(pa.array(tov), 3), side_b, groups)
    side_a = pc.if_else(pc.equal(pa.array(tov), 2), groups, governments)
    conflict_name = pc.binary_join_element_wise(names, ": Government", "")
    dyad_name = pc.binary_join_element_wise(side_a, side_b, " - ")
    number = pa.array(np.arange(start, start + size))
    relid = pc.binary_join_element_wise(
        letters,
        pc.cast(pa.array(year), pa.string()),
        pc.cast(pa.array(tov), pa.string()),
        pc.cast(pa.array(dyad), pa.string()),
        pc.cast(number, pa.string()),
        "-",
    )
    lat_text = pc.cast(pa.array(lat), pa.string())
    lon_text = pc.cast(pa.array(lon), pa.string())
    geom = pc.binary_join_element_wise(
        "POINT (", pc.binary_join_element_wise(lon_text, lat_text, " "), ")", ""
    )
    articles = _POOLS["article"].take(pa.array(rng.integers(0, len(_POOLS["article"]), size)))
    headlines = _POOLS["headline"].take(pa.array(rng.integers(0, len(_POOLS["headline"]), size)))
    places = _POOLS["place"].take(pa.array(rng.integers(0, len(_POOLS["place"]), size)))
    offices = pa.array(_OFFICES).take(pa.array(rng.integers(0, len(_OFFICES), size)))
    adm1 = pc.binary_join_element_wise(
        "Province ", pc.cast(pa.array(rng.integers(1, 30, size)), pa.string()), ""
    )
    columns = {
        "id": pa.array(ids[start : start + size]),
        "relid": relid,
        "year": pa.array(year),
        "active_year": pa.array((rng.random(size) < 0.9).astype("int8")),
        "code_status": pa.array(np.where(rng.random(size) < 0.97, "Clear", "Check type")),
        "type_of_violence": pa.array(tov),
        "conflict_dset_id": pa.array(conflict),
        "conflict_new_id": pa.array(conflict),
        "conflict_name": conflict_name,
        "dyad_dset_id": pa.array(dyad),
        "dyad_new_id": pa.array(dyad),
        "dyad_name": dyad_name,
        "side_a_dset_id": pa.array(100 + country),
        "side_a_new_id": pa.array(100 + country),
        "side_a": side_a,
        "side_b_dset_id": pa.array(np.where(tov == 3, 1, 5000 + country)),
        "side_b_new_id": pa.array(np.where(tov == 3, 1, 5000 + country)),
        "side_b": side_b,
        "number_of_sources": pa.array(rng.integers(-1, 6, size)),
        "source_article": articles,
        "source_office": offices,
        "source_date": pc.cast(pa.array(start_days, pa.date32()), pa.string()),
        "source_headline": headlines,
        "source_original": pa.array(np.where(rng.random(size) < 0.5, "Local sources", "")),
        "where_prec": pa.array(rng.integers(1, 8, size)),
        "where_coordinates": places,
        "where_description": places,
        "adm_1": adm1,
        "adm_2": pa.array(np.where(rng.random(size) < 0.6, "District", "")),
        "latitude": pa.array(lat),
        "longitude": pa.array(lon),
        "geom_wkt": geom,
        "priogrid_gid": pa.array(rng.integers(1, 259200, size)),
        "country": names,
        "country_id": pa.array(gw),
        "region": regions,
        "event_clarity": pa.array(np.where(rng.random(size) < 0.9, 1, 2)),
        "date_prec": pa.array(rng.choice([1, 2, 3, 4, 5], size, p=[0.8, 0.1, 0.03, 0.04, 0.03])),
        "date_start": pa.array(start_days, pa.date32()),
        "date_end": pa.array(end_days, pa.date32()),
        "deaths_a": pa.array(deaths_a),
        "deaths_b": pa.array(deaths_b),
        "deaths_civilians": pa.array(civilians),
        "deaths_unknown": pa.array(unknown),
        "best": pa.array(best),
        "high": pa.array(high),
        "low": pa.array(low),
        "gwnoa": pc.cast(pa.array(gw), pa.string()),
        "gwnob": pa.array(np.full(size, ""), pa.string()),
    }
    table = pa.table({name: columns[name] for name in COLUMNS})
    # empty strings are written as empty fields, as in UCDP's CSV
    return table


_POOLS: dict[str, pa.Array] = {}


def generate(path: Path, events: int, seed: int = 1, chunk: int = 500_000) -> Path:
    """Write ``events`` synthetic GED events to ``path`` (CSV with a header)."""
    rng = np.random.default_rng(seed)
    _POOLS["article"] = _pool(rng, 5000, _article)
    _POOLS["headline"] = _pool(rng, 5000, _headline)
    _POOLS["place"] = _pool(rng, 3000, _place)
    ids = rng.permutation(events).astype("int64") + 100_000
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    writer: pacsv.CSVWriter | None = None
    try:
        for start in range(0, events, chunk):
            table = generate_chunk(rng, start, min(chunk, events - start), ids)
            if writer is None:
                writer = pacsv.CSVWriter(str(temporary), table.schema, write_options=options)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    temporary.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=float, required=True, help="number of events, e.g. 1e6")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = generate(args.out, int(args.events), args.seed)
    size = path.stat().st_size / 1e6
    took = time.perf_counter() - started
    print(f"{int(args.events):,} events, {size:,.0f} MB, {took:.1f} s -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
