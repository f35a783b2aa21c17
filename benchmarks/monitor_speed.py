"""How long the monitors take on GED Global-sized data (synthetic) and on the real samples.

Generates synthetic GED events with ``benchmarks/generate_ged.py`` (GED Global's 49 columns,
22 countries, 1989–2024, 29 provinces each), imports them, then times: building the event table
and computing every monitor's signals (``compute_signals``, written to the warehouse), walking the
alert rules over them (``alert_episodes``), and explaining one alert month (``explain``).

    .venv/bin/python benchmarks/monitor_speed.py --events 400000 [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from atrocity_watch.monitor import (
    DEFAULT_METHOD,
    alert_episodes,
    compute_signals,
    explain,
    open_events,
    points_of,
)
from atrocity_watch.warehouse import Warehouse

HERE = Path(__file__).resolve().parent


def _timed(action, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=float, default=400_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    events = int(args.events)
    sys.path.insert(0, str(HERE))
    from generate_ged import generate

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        started = time.perf_counter()
        path = generate(home / f"GEDEvent_v99_1_synthetic_{events}.csv", events)
        generated = time.perf_counter() - started
        warehouse = Warehouse(home / "home")
        started = time.perf_counter()
        warehouse.import_path(path, "ucdp_ged")
        imported = time.perf_counter() - started
        compute, signals = _timed(lambda: compute_signals(warehouse), args.repeat)
        table = signals.table  # type: ignore[attr-defined]
        walk, episodes = _timed(lambda: alert_episodes(table), args.repeat)
        first = episodes[0]  # type: ignore[index]
        series = signals.series(first.monitor, first.source, first.iso3)  # type: ignore[attr-defined]
        point = points_of(series[series["month"] == first.opened])[0]

        def explain_one() -> object:
            with open_events(warehouse) as store:
                return explain(
                    store,
                    first.monitor,
                    first.source,
                    first.iso3,
                    point,
                    method=DEFAULT_METHOD,
                    baseline_months=12,
                )

        explained, _ = _timed(explain_one, args.repeat)
        print(f"| synthetic GED events | {events:,} |")
        print(f"| generate + import (once) | {generated:.1f} s + {imported:.1f} s |")
        print(
            f"| compute_signals (9 monitors, country + province series; median of "
            f"{args.repeat}) | {compute:.1f} s → {len(table):,} signal rows |"
        )
        print(f"| alert_episodes over all series | {walk:.1f} s → {len(episodes):,} episodes |")  # type: ignore[arg-type]
        print(f"| explain one alert month (opens the event table) | {explained:.1f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
