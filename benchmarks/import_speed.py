"""Import speed and peak memory of GED files, side by side with a bare DuckDB read.

For each size the script generates a synthetic GED file (``generate_ged.py``; cached in
``--data-dir``) and runs, each in a fresh process so that peak memory (``ru_maxrss``) is that
step's own:

- ``bare read``: ``CREATE TABLE AS SELECT * FROM read_csv(file)`` into a DuckDB file — the
  floor on this machine (DuckDB sniffs the types, checks nothing);
- ``sources``: ``read_file(file, "ucdp_ged", connection=...)`` into a DuckDB file — parse with
  the declared types, every check (ranges, allowed values, unique ids), country mapping and
  the validated table written;
- ``warehouse import``: ``Warehouse(home).import_path(file, "ucdp_ged")`` — the above plus
  the warehouse's own work (the table renamed into place, provenance, coverage, the raw file
  hard-linked under ``raw/``, the commit that writes the rows into the file, the Parquet
  snapshots of the bookkeeping tables).

    python benchmarks/import_speed.py --sizes 1e5 1e6 --repeat 3   # 5-10 minutes on 2 cores
    python benchmarks/import_speed.py --sizes 1e7                  # 30-60 minutes, 6 GB of disk

Before and after a change, in the same conditions: ``--compare-src DIR`` adds the warehouse
import of another checkout's ``src`` (``git archive COMMIT src | tar -x -C DIR``), run in
turn with the others. Each figure is the median of ``--repeat`` runs taken in rotation.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("bare read", "sources", "warehouse import")


def _child(step: str, csv_path: str, work: str) -> None:
    """Run one step in this (fresh) process and print its time and peak memory as JSON.

    Modules are imported before the clock starts (the same for every step); the country
    registry, built on first use, is inside the measured time of the steps that need it.
    """
    import duckdb

    import atrocity_watch.sources
    import atrocity_watch.warehouse

    del atrocity_watch
    started, cpu_started = time.perf_counter(), _own_cpu()
    rows: int
    if step == "bare read":
        con = duckdb.connect(str(Path(work) / "bare.duckdb"))
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE ged AS SELECT * FROM read_csv(?)", [csv_path])
        row = con.execute("SELECT count(*) FROM ged").fetchone()
        rows = int(row[0]) if row else 0
        con.close()
    elif step == "sources":
        from atrocity_watch.sources import read_file

        con = duckdb.connect(str(Path(work) / "sources.duckdb"))
        con.execute("SET enable_progress_bar = false")
        result = read_file(csv_path, "ucdp_ged", connection=con, table="ged")
        rows = result.rows
        con.close()
    else:
        from atrocity_watch.warehouse import Warehouse

        report = Warehouse(Path(work) / "home").import_path(csv_path, "ucdp_ged")
        failed = getattr(report, "failed", ())
        if failed:
            raise SystemExit(f"warehouse import failed: {failed}")
        rows = sum(getattr(load, "rows", 0) for load in getattr(report, "loads", ()))
    seconds, cpu = time.perf_counter() - started, _own_cpu() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "rows": rows}))


def _own_cpu() -> float:
    """CPU seconds of this process so far, all threads (DuckDB's too), user + system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run(step: str, csv_path: Path, src: Path | None = None) -> dict[str, float]:
    """One step in a fresh process: its wall time, CPU time (all threads) and peak memory.

    Both times cover the step itself, not the interpreter's start and imports. On a shared
    machine the CPU time varies much less than the wall time, which waits for other work.
    ``src`` runs the step with another checkout's ``src`` folder first on the path.
    """
    with tempfile.TemporaryDirectory(prefix="aw-bench-") as work:
        env = dict(os.environ, ATROCITY_WATCH_HOME=str(Path(work) / "home"))
        if src is not None:
            env["PYTHONPATH"] = str(src)
        done = subprocess.run(
            [sys.executable, __file__, "--child", step, str(csv_path), work],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _summary(runs: list[dict[str, float]]) -> dict[str, float]:
    """Median wall and CPU time of a step's runs, its largest peak and the mean load."""
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "load": statistics.fmean(r["load"] for r in runs),
        "rows": runs[0]["rows"],
    }


def _file_for(size: int, data_dir: Path) -> Path:
    path = data_dir / f"ged_{size}.csv"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from generate_ged import generate

        print(f"generating {size:,} events ...", file=sys.stderr)
        generate(path, size)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "aw-bench")
    parser.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    parser.add_argument("--child", nargs=3, metavar=("STEP", "CSV", "WORK"), help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per step; the median is reported"
    )
    parser.add_argument(
        "--compare-src",
        type=Path,
        help="also time the warehouse import with this checkout's src folder (an earlier commit)",
    )
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"# {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    # other work on the machine slows every step alike; the load says how busy it was
    print(
        "| events | file MB | step | seconds | × bare read | CPU s | × bare CPU | peak RSS MB "
        "| load (1 min) |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    plan: list[tuple[str, Path | None]] = [(step, None) for step in args.steps]
    if args.compare_src is not None:
        plan.append(("warehouse import", args.compare_src.resolve()))
    for size in (int(s) for s in args.sizes):
        path = _file_for(size, args.data_dir)
        megabytes = path.stat().st_size / 1e6
        runs: dict[tuple[str, Path | None], list[dict[str, float]]] = {key: [] for key in plan}
        # repeats go round every step in turn, so a busy minute on the machine does not
        # fall on one step only
        for _ in range(max(1, args.repeat)):
            for step, src in plan:
                load = os.getloadavg()[0]
                result = _run(step, path, src)
                if int(result["rows"]) != size:
                    raise SystemExit(f"{step}: {result['rows']} rows, expected {size}")
                runs[(step, src)].append({**result, "load": load})
        floor = _summary(runs[("bare read", None)]) if ("bare read", None) in runs else None
        for (step, src), measured in runs.items():
            result = _summary(measured)
            label = step if src is None else f"{step} ({src})"
            ratio = f"{result['seconds'] / floor['seconds']:.2f}" if floor else ""
            cpu_ratio = f"{result['cpu'] / floor['cpu']:.2f}" if floor else ""
            print(
                f"| {size:,} | {megabytes:,.0f} | {label} | {result['seconds']:.2f} | {ratio} | "
                f"{result['cpu']:.1f} | {cpu_ratio} | {result['peak_mb']:,.0f} | "
                f"{result['load']:.1f} |",
                flush=True,
            )
        if not args.keep:
            path.unlink()
    if not args.keep:
        shutil.rmtree(args.data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
