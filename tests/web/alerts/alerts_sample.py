"""Synthetic UCDP GED and ACLED files with known bursts, for the alert tests.

Made-up events in the publishers' layouts (so they go through the real loaders, warehouse and
monitors), with answers known in advance:

- Sudan (UCDP): 1–3 civilians killed by government forces every month from January 2019 to
  August 2022; 80 in March 2020 (an old episode that closes in June 2020: history, never
  notified); 60 in July 2022 and 90 in August 2022 (an alert that opens in July 2022, critical).
- Myanmar (UCDP): the same background; 70 in August 2022 (opens in August 2022).
- Sudan (ACLED): one sexual-violence event a month from January 2021, nine in August 2022.
  Every ACLED event id starts with ``SUD9`` and every note contains ``NOTE-SECRET``: neither may
  ever appear on a page, in the API or in a notification.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

GED_HEADER = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
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
    "gwnoa",
    "gwnob",
]
ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

COUNTRIES = {  # iso3: (GED name, GW code, region, adm1, lat, lon, government)
    "SDN": ("Sudan", 625, "Africa", "North Darfur state", 13.6, 25.3, "Government of Sudan"),
    "MMR": (
        "Myanmar (Burma)",
        775,
        "Asia",
        "Rakhine state",
        20.1,
        92.9,
        "Government of Myanmar (Burma)",
    ),
}
BURSTS = {
    ("SDN", "2020-03"): 80,
    ("SDN", "2022-07"): 60,
    ("SDN", "2022-08"): 90,
    ("MMR", "2022-08"): 70,
}
FIRST, LAST = dt.date(2019, 1, 1), dt.date(2022, 8, 1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first
    while day <= last:
        months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def write_ged(path: Path) -> Path:
    rows = []
    event_id = 900000
    for iso3, (name, gw, region, adm1, lat, lon, government) in COUNTRIES.items():
        for month in _months(FIRST, LAST):
            label = month.isoformat()[:7]
            deaths = BURSTS.get((iso3, label), 1 + (month.month % 3))
            for day in (1, 28):  # the first and last days make the whole months covered
                event_id += 1
                best = deaths if day == 28 else 0
                rows.append(
                    {
                        "id": event_id,
                        "relid": f"{iso3}-{event_id}",
                        "year": month.year,
                        "active_year": 1,
                        "code_status": "Clear",
                        "type_of_violence": 3,
                        "conflict_new_id": 1000 + gw,
                        "conflict_name": f"{government} - Civilians",
                        "dyad_new_id": 2000 + gw,
                        "dyad_name": f"{government} - Civilians",
                        "side_a_new_id": gw,
                        "side_a": government,
                        "side_b_new_id": 1,
                        "side_b": "Civilians",
                        "number_of_sources": 1,
                        "source_office": "Test Wire",
                        "source_headline": "",
                        "where_prec": 1,
                        "where_coordinates": f"Town {event_id}",
                        "adm_1": adm1,
                        "latitude": lat,
                        "longitude": lon,
                        "priogrid_gid": 100000 + gw,
                        "country": name,
                        "country_id": gw,
                        "region": region,
                        "event_clarity": 1,
                        "date_prec": 1,
                        "date_start": f"{label}-{day:02d}",
                        "date_end": f"{label}-{day:02d}",
                        "deaths_a": 0,
                        "deaths_b": 0,
                        "deaths_civilians": best,
                        "deaths_unknown": 0,
                        "best": best,
                        "high": best,
                        "low": best,
                    }
                )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=GED_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_acled(path: Path) -> Path:
    rows = []
    number = 90000
    for month in _months(dt.date(2021, 1, 1), LAST):
        label = month.isoformat()[:7]
        count = 9 if label == "2022-08" else 1
        last_day = (
            dt.date(month.year + month.month // 12, month.month % 12 + 1, 1) - dt.timedelta(days=1)
        ).day
        days = [1, last_day] + [10] * (count - 1)
        for i, day in enumerate(days):
            number += 1
            sexual = i >= 1
            rows.append(
                {
                    "event_id_cnty": f"SUD{number}",
                    "event_date": f"{label}-{day:02d}",
                    "year": month.year,
                    "time_precision": 1,
                    "disorder_type": "Political violence",
                    "event_type": "Violence against civilians",
                    "sub_event_type": "Sexual violence" if sexual else "Attack",
                    "actor1": "Unidentified Armed Group (Sudan)",
                    "inter1": "Political militia",
                    "actor2": "Civilians (Sudan)",
                    "assoc_actor_2": "Women (Sudan)",
                    "inter2": "Civilians",
                    "interaction": "Political militia-Civilians",
                    "civilian_targeting": "Civilian targeting",
                    "iso": 729,
                    "region": "Northern Africa",
                    "country": "Sudan",
                    "admin1": "South Darfur" if i % 2 else "North Darfur",
                    "admin2": "Nyala",
                    "location": "Nyala",
                    "latitude": 12.05,
                    "longitude": 24.88,
                    "geo_precision": 1,
                    "source": "Test Radio",
                    "source_scale": "National",
                    "notes": f"NOTE-SECRET {number}: a made-up description that must stay private.",
                    "fatalities": 0,
                    "tags": "",
                    "timestamp": 1700000000,
                }
            )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


_HOME: Path | None = None


def shared_home() -> Path:
    """A home folder whose warehouse holds the two files and their signals (built once)."""
    global _HOME
    if _HOME is None:
        from atrocity_watch.monitor import compute_signals
        from atrocity_watch.warehouse import Warehouse

        home = Path(tempfile.mkdtemp(prefix="aw-alerts-"))
        warehouse = Warehouse(home)
        files = home / "files"
        files.mkdir()
        warehouse.import_path(write_ged(files / "GEDEvent_v99_1_synthetic.csv"), "ucdp_ged")
        warehouse.import_path(write_acled(files / "acled_synthetic.csv"), "acled_events")
        compute_signals(warehouse, neighbours=lambda iso3: [])
        _HOME = home
    return _HOME
