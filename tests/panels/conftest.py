"""Warehouses for the panel tests: a small synthetic one (always) and the real data (shared)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from atrocity_watch.panels import build_panels
from atrocity_watch.warehouse import Warehouse
from warehouse.helpers import ged_event, write_ged  # tests/ is on sys.path under pytest

COUNTRIES = {  # ISO3: (UCDP/GW number, name, ISO numeric)
    "MMR": (775, "Myanmar (Burma)", 104),
    "SDN": (625, "Sudan", 729),
    "NOR": (385, "Norway", 578),
    "SWE": (380, "Sweden", 752),
    "FIN": (375, "Finland", 246),
    "RUS": (365, "Russia (Soviet Union)", 643),
    "CAF": (482, "Central African Republic", 140),  # codespell:ignore
}


def write_rows(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    rows = list(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def ov_row(iso3: str, year: int, sb: int = 0, ns: int = 0, gov: int = 0, nsg: int = 0) -> dict:
    gw, name, _ = COUNTRIES[iso3]
    return {
        "country_id_cy": gw,
        "country_cy": name,
        "year_cy": year,
        "sb_total_deaths_best_cy": sb,
        "sb_deaths_civilians_cy": 0,
        "ns_total_deaths_best_cy": ns,
        "ns_deaths_civilians_cy": 0,
        "os_total_deaths_best_cy": gov + nsg,
        "os_any_govt_killings_best_cy": gov,
        "os_nsgroup_killings_best_cy": nsg,
        "version": "25.1",
    }


def acled_row(number: int, day: str, event_type: str, sub_type: str, **values: Any) -> dict:
    row = {
        "event_id_cnty": f"SUD{number}",
        "event_date": day,
        "year": int(day[:4]),
        "time_precision": 1,
        "disorder_type": "Political violence",
        "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": "Military Forces of Sudan (2019-)",
        "assoc_actor_1": "",
        "inter1": 1,
        "actor2": "Civilians (Sudan)",
        "assoc_actor_2": "",
        "inter2": 7,
        "interaction": 17,
        "civilian_targeting": "",
        "iso": 729,
        "region": "Northern Africa",
        "country": "Sudan",
        "admin1": "Khartoum",
        "admin2": "",
        "admin3": "",
        "location": "Khartoum",
        "latitude": 15.55,
        "longitude": 32.53,
        "geo_precision": 1,
        "source": "Radio Dabanga",
        "source_scale": "National",
        "notes": "synthetic",
        "fatalities": 1,
        "tags": "",
        "timestamp": 1600000000,
    }
    row.update(values)
    return row


def build_synthetic(home: Path, files: Path) -> Warehouse:
    """The scenario the semantics tests check (see test_panel_semantics.py)."""
    wh = Warehouse(home, wait=5)
    mmr = {"gw": 775, "side_a": "Government of Myanmar (Burma)"}
    complete = [
        ged_event(1, "2020-01-10", violence=3, best=10, **mmr),
        ged_event(2, "2020-03-05", violence=1, best=20, **mmr),
        ged_event(3, "2020-03-20", violence=3, best=5, gw=775, side_a="AA"),
        ged_event(4, "2021-02-14", violence=2, best=7, gw=775, side_a="KIA"),
        ged_event(5, "2020-06-01", violence=1, best=10, gw=482, side_a="Government of CAR"),
    ]
    write_ged(files / "ged" / "GEDEvent_v25_1.csv", complete)
    sample = [ged_event(6, "2020-05-02", violence=3, best=3, gw=625, side_a="RSF")]
    write_ged(files / "ged" / "GEDEvent_v25_1_sample.csv", sample)
    write_rows(
        files / "ucdp" / "organizedviolencecy_v25_1.csv",
        [
            ov_row("MMR", 2020, sb=20, gov=10, nsg=5),
            ov_row("MMR", 2021, ns=7),
            ov_row("SDN", 2020, gov=300),
            ov_row("CAF", 2020, sb=50),  # codespell:ignore
            ov_row("NOR", 2020),
            ov_row("NOR", 2021),
            ov_row("SWE", 2020),
            ov_row("SWE", 2021),
            ov_row("FIN", 2020),
            ov_row("FIN", 2021),
            ov_row("RUS", 2020),
            ov_row("RUS", 2021, sb=4),
        ],
    )
    write_rows(
        files / "ucdp" / "ucdp-prio-acd-251.csv",
        [
            {
                "conflict_id": 222,
                "location": "Myanmar (Burma)",
                "side_a": "Government of Myanmar (Burma)",
                "side_b": "KIO",
                "incompatibility": 1,
                "year": year,
                "intensity_level": 1,
                "type_of_conflict": 3,
                "gwno_loc": "775",
                "region": "3",
                "version": "25.1",
            }
            for year in (2020, 2021)
        ],
    )
    aid = "Aid Workers (Sudan); WFP: World Food Programme"
    write_rows(
        files / "acled" / "acled_Sudan_2020-03-01_2020-05-31.csv",
        [
            acled_row(1, "2020-03-01", "Battles", "Armed clash", actor2="UNAMID: United Nations"
                      "/African Union Hybrid Operation in Darfur (2007-)", inter2=8),
            acled_row(2, "2020-04-10", "Violence against civilians", "Sexual violence"),
            acled_row(3, "2020-04-11", "Violence against civilians", "Attack", fatalities=4),
            acled_row(4, "2020-05-20", "Violence against civilians", "Attack",
                      assoc_actor_2=aid, fatalities=0),
            acled_row(5, "2020-05-31", "Protests", "Peaceful protest",
                      disorder_type="Demonstrations", actor1="Protesters (Sudan)", inter1=6),
        ],
    )  # fmt: skip
    for folder in ("ged", "ucdp", "acled"):
        report = wh.import_path(files / folder)
        assert report.ok, report.failed
    build_panels(wh)
    return wh


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("panels")
    return build_synthetic(root / "home", root / "files")


@pytest.fixture(scope="session")
def real(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The real datasets under ../shared/data imported once, and panels built from them."""
    home = tmp_path_factory.mktemp("real-panels") / "home"
    wh = Warehouse(home, wait=30)
    # the whole folder, as `atrocity-watch data import ../shared/data` does it
    report = wh.import_path(shared_data)
    assert report.ok, [(f.path, f.error) for f in report.failed]
    build_panels(wh)
    return wh
