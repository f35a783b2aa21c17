"""A synthetic warehouse for the dashboard's tests, security matrix and load benchmark.

Written through the warehouse API (``Warehouse.replace_table``), as the forecast and panel
builds write theirs.

The numbers are made up (deterministic, seeded) and say so: the model is called
``synthetic-test-model``. Shapes follow ``docs/interfaces.md``: ``forecasts``,
``forecast_meta``, ``forecast_drivers``, ``panel_country_year``, ``panel_country_month``.

Known values the tests rely on:

- Sudan (SDN) ranks 1st in the latest base year with probability 0.30 (0.21 the year before),
  Myanmar (MMR) 2nd with 0.20; both have drivers in risk factors 0, 1 and 7.
- Sudan's yearly event series has no data for 2001 and 2002 (NULL rows), and no row at all
  for 2005 (a gap the pages must fill in, not join).
- Norway (NOR) has a forecast but no panel rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

MODEL = "synthetic-test-model"
OTHER_MODEL = "synthetic-challenger"
BASE_YEARS = (2021, 2022, 2023, 2024)
EVENTS = ("one_sided_deaths", "state_based_deaths", "non_state_deaths")
FIXED = {
    ("SDN", 2024): 0.30,
    ("SDN", 2023): 0.21,
    ("MMR", 2024): 0.20,
    ("MMR", 2023): 0.22,
}


def map_countries() -> list[str]:
    """ISO3 codes of the world map's shapes (about 175 countries), as the forecasts cover."""
    from atrocity_watch.web.dashboard.worldmap import shapes

    return sorted({s.iso3 for s in shapes() if s.iso3})


def _structural_features() -> list[str]:
    try:
        from atrocity_watch.web.dashboard.indicators import structural_features
    except ImportError:
        return []
    return [f.name for f in structural_features()][:12]


def forecasts_table(countries: Sequence[str], seed: int = 7) -> pa.Table:
    rng = random.Random(seed)
    rows = []
    for model in (MODEL, OTHER_MODEL):
        for year in BASE_YEARS:
            probabilities = {
                iso3: FIXED.get((iso3, year), round(rng.betavariate(0.6, 30), 5))
                if model == MODEL
                else round(rng.betavariate(0.6, 30), 5)
                for iso3 in countries
            }
            # Other countries stay below the fixed leaders so ranks are known.
            if model == MODEL:
                for iso3 in probabilities:
                    if (iso3, year) not in FIXED:
                        probabilities[iso3] = min(probabilities[iso3], 0.15)
            ordered = sorted(probabilities, key=lambda c: -probabilities[c])
            for rank, iso3 in enumerate(ordered, start=1):
                p = probabilities[iso3]
                rows.append(
                    {
                        "model": model,
                        "base_year": year,
                        "window_start": year + 1,
                        "window_end": year + 2,
                        "iso3": iso3,
                        "country": iso3,
                        "probability": p,
                        "ci_low": round(p * 0.6, 5),
                        "ci_high": round(min(1.0, p * 1.5 + 0.005), 5),
                        "rank": rank,
                        "data_version": "synthetic 1.0",
                        "created_at": dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC),
                    }
                )
    return pa.Table.from_pylist(rows)


def meta_table() -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "model": MODEL,
                "headline": True,
                "title": "Synthetic test model",
                "description": "Made-up numbers for tests; not a forecast.",
                "sources": "ewp_prepared,ucdp_onesided",
            },
            {
                "model": OTHER_MODEL,
                "headline": False,
                "title": "Synthetic challenger",
                "description": "",
                "sources": "",
            },
        ]
    )


DRIVER_FEATURES = (
    (0, "year_trend"),
    (1, "vdem_physical_integrity"),
    (1, "battle_deaths"),
    (7, "one_sided_deaths"),
    (3, "infant_mortality"),
)


def drivers_table(countries: Sequence[str], seed: int = 11) -> pa.Table:
    rng = random.Random(seed)
    rows = []
    for year in BASE_YEARS:
        for iso3 in countries:
            for risk_factor, feature in DRIVER_FEATURES:
                contribution = round(rng.uniform(-0.8, 1.2), 4)
                if iso3 == "SDN" and risk_factor == 7:
                    contribution = 1.5 if year == BASE_YEARS[-1] else 1.0
                rows.append(
                    {
                        "model": MODEL,
                        "base_year": year,
                        "iso3": iso3,
                        "risk_factor": risk_factor,
                        "feature": feature,
                        "value": round(rng.uniform(0, 100), 3),
                        "contribution": contribution,
                    }
                )
    return pa.Table.from_pylist(rows)


def year_panel(countries: Sequence[str], seed: int = 13) -> pa.Table:
    rng = random.Random(seed)
    structural = _structural_features()
    rows = []
    for iso3 in countries:
        if iso3 == "NOR":
            continue
        for year in range(1989, 2025):
            if iso3 == "SDN" and year == 2005:
                continue  # no row at all: the page must show a gap, not join 2004 to 2006
            row: dict[str, object] = {"iso3": iso3, "year": year}
            missing = iso3 == "SDN" and year in (2001, 2002)
            for column in EVENTS:
                row[column] = None if missing else float(rng.choice([0, 0, 5, 40, 300]))
            for column in structural:
                row[column] = None if year < 2000 else round(rng.uniform(0, 1), 3)
            rows.append(row)
    return pa.Table.from_pylist(rows)


def month_panel(countries: Sequence[str], seed: int = 17) -> pa.Table:
    rng = random.Random(seed)
    rows = []
    for iso3 in sorted({*countries[:40], "SDN", "MMR"}):
        for year in range(2021, 2025):
            for month in range(1, 13):
                missing = iso3 == "SDN" and (year, month) == (2022, 3)
                rows.append(
                    {
                        "iso3": iso3,
                        "month": dt.date(year, month, 1),
                        **{
                            column: None if missing else float(rng.choice([0, 2, 10, 60]))
                            for column in EVENTS
                        },
                    }
                )
    return pa.Table.from_pylist(rows)


_BUILT: dict[str, Path] = {}


def shared_home() -> Path:
    """One synthetic warehouse per test session, built on first use (read-only afterwards)."""
    import atexit
    import shutil
    import tempfile

    if "home" not in _BUILT:
        home = Path(tempfile.mkdtemp(prefix="aw-dashboard-sample-"))
        atexit.register(shutil.rmtree, home, ignore_errors=True)
        _BUILT["home"] = build(home)
    return _BUILT["home"]


def build(home: Path, *, panels: bool = True, forecasts: bool = True) -> Path:
    """Write the synthetic tables into the warehouse of ``home``; return ``home``."""
    from atrocity_watch.warehouse import Warehouse

    warehouse = Warehouse(home)
    countries = map_countries()
    if forecasts:
        warehouse.replace_table("forecasts", forecasts_table(countries), kind="forecast")
        warehouse.replace_table("forecast_meta", meta_table(), kind="forecast")
        warehouse.replace_table("forecast_drivers", drivers_table(countries), kind="forecast")
    if panels:
        warehouse.replace_table("panel_country_year", year_panel(countries), kind="panel")
        warehouse.replace_table("panel_country_month", month_panel(countries), kind="panel")
    return home


# -- a served site over a home folder (browser tests, load benchmark) -------------------------

SITE_PASSWORD = "a long enough test password 42"
#: user name → (role, scope kind, scope code)
SITE_PERSONAS: dict[str, tuple[str, str, str]] = {
    "alice": ("admin", "all", ""),
    "victor": ("viewer", "all", ""),
    "ada": ("viewer", "region", "002"),  # an early-warning unit that covers Africa
    "vera": ("viewer", "region", "142"),  # Asia
}


def site_env(home: Path) -> dict[str, str]:
    """The environment of a server over ``home``: nothing inherited from the caller's site."""
    import os

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ATROCITY_WATCH_", "DJANGO_", "DATABASE_URL"))
    }
    env |= {"ATROCITY_WATCH_HOME": str(home), "ATROCITY_WATCH_OFFLINE": "true"}
    return env


def prepare_site(home: Path, personas: dict[str, tuple[str, str, str]] | None = None) -> None:
    """Migrate the app database of ``home`` and create the personas (password SITE_PASSWORD)."""
    import subprocess
    import sys

    # One process for both steps: starting Django costs seconds on a busy machine.
    code = "\n".join(
        [
            "import django",
            "django.setup()",
            "from django.core.management import call_command",
            "call_command('migrate', verbosity=0)",
            "from django.contrib.auth.models import User",
            "from atrocity_watch.web.accounts.models import Membership",
            f"for name, (role, kind, code) in {personas or SITE_PERSONAS!r}.items():",
            "    user, _ = User.objects.get_or_create(username=name)",
            f"    user.set_password({SITE_PASSWORD!r})",
            "    user.is_superuser = user.is_staff = role == 'admin'",
            "    user.save()",
            "    Membership.objects.get_or_create(",
            "        user=user, role=role, scope_kind=kind, scope_code=code)",
        ]
    )
    env = site_env(home) | {"DJANGO_SETTINGS_MODULE": "atrocity_watch.web.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"preparing the site failed:\n{done.stderr}")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, port: int, workers: int = 2, threads: int = 1) -> tuple[object, str]:
    """``atrocity-watch serve`` (gunicorn, hashed static files) over ``home``; waits for it.

    Returns the process and the site's address; the caller terminates the process.
    """
    import subprocess
    import sys
    import time
    import urllib.request

    command = [sys.executable, "-c", "from atrocity_watch.cli import main; main()"]
    options = ["--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(
        [*command, "serve", *options],
        env=site_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2):
                return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"the server did not start:\n{output}") from None
            time.sleep(0.3)
