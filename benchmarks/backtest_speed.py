"""How fast EWP's 31-window elastic-net backtest runs here, and whether the fast answer is exact.

    .venv/bin/python benchmarks/backtest_speed.py [--data PREPARED.csv] [--foos FOOS.csv]

Runs the full backtest (31 training windows, each a 100-lambda path with 10-fold
cross-validation, as EWP's R script does with cv.glmnet) on one process and on two worker
processes, best of ``--repeat`` runs each, and prints wall-clock seconds. Then checks the answer:
the largest difference in forecast risk against a run at a much tighter convergence tolerance
(1e-12), and against EWP's own FOOS forecasts. The load average is printed too: other work on
the machine slows every figure.

Default data: ``$ATROCITY_WATCH_SHARED_DATA`` or ``../shared/data`` (EWP's 2025 edition).
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import time
from pathlib import Path

import numpy as np

from atrocity_watch.forecast import (
    ElasticNetLogit,
    ModelSpec,
    get_model,
    load_modelling_data,
    read_ewp_foos,
    run_backtest,
)

ROOT = Path(__file__).resolve().parents[1]


def _default(name: str) -> Path:
    base = Path(os.environ.get("ATROCITY_WATCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
    return base / "ewp" / "sra2025" / name


def _tight_spec() -> ModelSpec:
    base = get_model("ewp-elasticnet")
    return ModelSpec(
        "ewp-elasticnet-tight", base.title, base.description, base.features,
        functools.partial(ElasticNetLogit, tolerance=1e-12),
    )  # fmt: skip


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=_default("prepared2024predictors-2025-09-03.csv")
    )
    parser.add_argument("--foos", type=Path, default=_default("FOOSforecasts_3Sep2025.csv"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    data = load_modelling_data(args.data)
    run_backtest("ewp-elasticnet", data, n_jobs=2)  # compile and cache the kernels, warm workers

    timings: dict[int, list[float]] = {1: [], 2: []}
    cpu: list[float] = []
    runs = {}
    for _ in range(args.repeat):
        for jobs in (2, 1):
            started, cpu_started = time.perf_counter(), time.process_time()
            runs[jobs] = run_backtest("ewp-elasticnet", data, n_jobs=jobs)
            timings[jobs].append(time.perf_counter() - started)
            if jobs == 1:
                cpu.append(time.process_time() - cpu_started)
    for jobs, seconds in timings.items():
        print(
            f"elastic-net backtest, 31 windows, {jobs} process{'es' if jobs > 1 else ''}: "
            f"best {min(seconds):.1f} s, median {float(np.median(seconds)):.1f} s "
            f"(runs: {', '.join(f'{s:.1f}' for s in seconds)})"
        )
    print(
        f"CPU time of the one-process run (less sensitive to other load): best "
        f"{min(cpu):.1f} s, median {float(np.median(cpu)):.1f} s"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    fast = runs[2].forecasts
    same = runs[1].forecasts.merge(fast, on=["base_year", "ccode"])
    print(
        f"1 vs 2 processes, largest risk difference: {(same.risk_x - same.risk_y).abs().max():.2e}"
    )
    tight = run_backtest(_tight_spec(), data, n_jobs=2).forecasts
    both = tight.merge(fast, on=["base_year", "ccode"], suffixes=("_tight", "_fast"))
    gap = (both["risk_tight"] - both["risk_fast"]).abs()
    print(f"default vs tolerance 1e-12, largest risk difference: {gap.max():.2e}")

    foos = read_ewp_foos(args.foos)
    if foos is not None:
        theirs = foos.dropna(subset=["risk_prev"]).rename(columns={"prev_year": "base_year"})
        merged = theirs.merge(fast, on=["base_year", "ccode"])
        by_year = (merged["risk"] - merged["risk_prev"]).abs().groupby(merged["base_year"]).max()
        close = int((by_year < 5e-4).sum())
        apart = ", ".join(str(year) for year in by_year[by_year >= 5e-4].index)
        print(
            f"vs EWP's FOOS forecasts: {close} of {len(by_year)} origins within 5e-4 "
            f"(largest {by_year.max():.4f}; base years further apart: {apart or 'none'})"
        )


if __name__ == "__main__":
    main()
