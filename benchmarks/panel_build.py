"""Country-month panel build time from synthetic UCDP GED events (target: 10^6 events < 2 s).

The script generates a GED file of the given size (``generate_ged.py``; cached in
``--data-dir``), imports it into a fresh warehouse (timed once, for reference), then times,
``--repeat`` times:

- ``month panel``: building the Ibis expressions of the country-month panel, compiling them
  and running them on the warehouse's DuckDB into an Arrow table (one row per country and
  month, 1989 to the last month of the data, every State of the registry) — the panel build
  the target is about, exactly as ``build_panels`` does it;
- ``write``: replacing ``panel_country_month`` atomically and publishing its Parquet snapshot;
- ``build_panels``: the whole ``atrocity-watch panels build`` (both panels, written together).

The first repeat runs in a process that has built nothing yet (Ibis and the country registry
warm up in it); the table reports it and the median of the others. Wall-clock seconds depend on
what else runs on the same cores, so the script also reports the process's CPU seconds (all
threads) for the month panel and the machine's load average.

    python benchmarks/panel_build.py --events 1e6 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - started


def _cpu() -> float:
    """CPU seconds of this process, all threads (DuckDB's included), user + system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(events: int, data_dir: Path, repeat: int) -> dict[str, object]:
    from atrocity_watch.panels import build_panels
    from atrocity_watch.panels._build import _latest_year, compute_month_panel
    from atrocity_watch.panels._inputs import source_tables
    from atrocity_watch.warehouse import Warehouse
    from generate_ged import generate

    data_dir.mkdir(parents=True, exist_ok=True)
    csv_path = data_dir / f"ged_{events:.0e}.csv".replace("+0", "")
    if not csv_path.exists():
        print(f"generating {events:,} events in {csv_path} …", file=sys.stderr)
        generate(csv_path, events)
    home = Path(tempfile.mkdtemp(prefix="aw-panel-bench-"))
    wh = Warehouse(home)
    _, import_seconds = _timed(wh.import_path, csv_path, "ucdp_ged")
    print(f"imported in {import_seconds:.1f} s", file=sys.stderr)

    rows: dict[str, list[float]] = {
        k: [] for k in ("month panel", "month panel (CPU)", "write", "build_panels")
    }
    panel_rows = 0
    for _ in range(repeat):
        with wh.ibis(write=True) as backend:
            cpu = _cpu()
            started = time.perf_counter()
            last_year = _latest_year(backend.con)
            last_month = min(dt.date(last_year, 12, 1), dt.date.today().replace(day=1))
            table = compute_month_panel(backend, last_month, source_tables(backend, {}))
            computed = time.perf_counter()
            cpu = _cpu() - cpu
            wh.replace_table("panel_country_month", table)
            written = time.perf_counter()
        panel_rows = table.num_rows
        rows["month panel"].append(computed - started)
        rows["month panel (CPU)"].append(cpu)
        rows["write"].append(written - computed)
        _, seconds = _timed(build_panels, wh)
        rows["build_panels"].append(seconds)
    return {
        "events": events,
        "panel_rows": panel_rows,
        "import_seconds": round(import_seconds, 2),
        "first": {k: round(v[0], 3) for k, v in rows.items()},
        "median_after_first": {
            k: round(statistics.median(v[1:]), 3) if len(v) > 1 else None for k, v in rows.items()
        },
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=float, default=1e6, help="GED events, e.g. 1e6")
    parser.add_argument("--repeat", type=int, default=5, help="builds to time (>= 2)")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "aw-bench-data"
    )
    args = parser.parse_args(argv)
    result = run(int(args.events), args.data_dir, max(2, args.repeat))
    print(json.dumps(result, indent=2))
    print()
    print("| step | first build (s) | median of the others (s) |")
    print("|---|---|---|")
    for step, first in result["first"].items():  # type: ignore[attr-defined]
        print(f"| {step} | {first:.2f} | {result['median_after_first'][step]:.2f} |")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
