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
  the warehouse's own work (atomic swap, provenance, coverage, the copy of the raw file under
  ``raw/`` and the Parquet snapshot for readers).

    python benchmarks/import_speed.py --sizes 1e5 1e6          # about two minutes
    python benchmarks/import_speed.py --sizes 1e7              # about 15 minutes, 5 GB of disk
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
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
    started = time.perf_counter()
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
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": rows}))


def _run(step: str, csv_path: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="aw-bench-") as work:
        env = dict(os.environ, ATROCITY_WATCH_HOME=str(Path(work) / "home"))
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
    print("| events | file MB | step | seconds | peak RSS MB | × bare read | load (1 min) |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes):
        path = _file_for(size, args.data_dir)
        megabytes = path.stat().st_size / 1e6
        floor: float | None = None
        for step in args.steps:
            load = os.getloadavg()[0]
            result = _run(step, path)
            if int(result["rows"]) != size:
                raise SystemExit(f"{step}: {result['rows']} rows, expected {size}")
            if step == "bare read":
                floor = result["seconds"]
            ratio = f"{result['seconds'] / floor:.2f}" if floor else ""
            print(
                f"| {size:,} | {megabytes:,.0f} | {step} | {result['seconds']:.2f} | "
                f"{result['peak_mb']:,.0f} | {ratio} | {load:.1f} |",
                flush=True,
            )
        if not args.keep:
            path.unlink()
    if not args.keep:
        shutil.rmtree(args.data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
