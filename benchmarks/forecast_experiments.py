"""Run one forecast-model configuration on EWP's backtest and log it; or report them all.

    # one configuration, scored on the selection years 1994-2013 only, appended to the log
    .venv/bin/python benchmarks/forecast_experiments.py run lightgbm-events \
        --set n_estimators=500 --note "more trees"

    # after selection is frozen: every logged configuration on 1994-2013, 2014-2024, 1994-2024
    .venv/bin/python benchmarks/forecast_experiments.py final

Rules (issue 4): models, features and settings are chosen on outcome years 1994-2013 only; the
2014-2024 years are held out for confirmation. ``run`` therefore prints and logs only the
selection-years figures, and every configuration tried is appended to
``docs/forecast-experiments.md`` with its date, so the number of tries is visible. ``final``
re-runs each logged configuration (from the JSON in its row) and prints all three ranges with
95% bootstrap intervals that resample years.

Data: the warehouse of ``$ATROCITY_WATCH_HOME`` (EWP's prepared dataset imported; for models
with event features, UCDP, EPR, PTS and V-Dem imported and ``atrocity-watch panels build`` run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from atrocity_watch.forecast._backtest import run_backtest
from atrocity_watch.forecast._data import load_modelling_data_from_warehouse, onset_rows
from atrocity_watch.forecast._evaluation import (
    HELD_OUT_YEARS,
    POOLED_YEARS,
    SELECTION_YEARS,
    evaluate,
    frames_from_ewp_foos,
    frames_from_forecasts,
    read_ewp_foos,
)
from atrocity_watch.forecast._events import FEATURE_SETS, with_event_features
from atrocity_watch.forecast._registry import ModelSpec, get_model
from atrocity_watch.warehouse import Warehouse

LOG = Path(__file__).resolve().parents[1] / "docs" / "forecast-experiments.md"
COLUMNS = ("auc", "recall_at_10", "recall_at_20", "recall_at_30", "brier", "brier_skill",
           "log_loss", "calibration_slope", "calibration_intercept")  # fmt: skip
HEADER = (
    "| # | date | configuration | AUC | R@10 | R@20 | R@30 | Brier | BSS | log loss "
    "| cal. slope | cal. int. | onsets | seconds | note |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def _configured(name: str, params: dict[str, Any]) -> Any:
    model = get_model(name).build()
    return model.set_params(**params) if params else model


def spec_for(config: dict[str, Any]) -> ModelSpec:
    """A model spec from a logged configuration (registered model + parameter overrides)."""
    base = get_model(config["model"])
    params = config.get("params", {})
    features = FEATURE_SETS[config["features"]] if "features" in config else base.features
    label = base.name + (json.dumps(params, sort_keys=True) if params else "")
    if "features" in config:
        label += f"[{config['features']}]"
    return ModelSpec(
        name=label,
        title=base.title,
        description=base.description,
        features=features,
        build=functools.partial(_configured, base.name, params),
        recalibrate=bool(config.get("recalibrate", base.recalibrate)),
        required=base.required,
    )


def _data(spec: ModelSpec) -> Any:
    warehouse = Warehouse()
    data = load_modelling_data_from_warehouse(warehouse)
    return with_event_features(data, warehouse) if spec.uses_panels else data


def _score(spec: ModelSpec, years: list[tuple[int, int]], bootstrap: int) -> tuple[Any, float]:
    data = _data(spec)
    started = time.perf_counter()
    run = run_backtest(spec, data, n_jobs=2)
    seconds = time.perf_counter() - started
    onsets = onset_rows(data).rename(columns={"mk_onset": "onset"})
    frames = frames_from_forecasts(spec.name, run.forecasts, onsets)
    return [evaluate(frames, y, bootstrap=bootstrap) for y in years], seconds


def _cell(value: Any) -> str:
    return f"{value.value:.3f} [{value.ci_low:.3f}, {value.ci_high:.3f}]"


def _log_rows() -> list[dict[str, Any]]:
    if not LOG.exists():
        return []
    rows = []
    for line in LOG.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| (\d+) \| \d{4}-\d{2}-\d{2} \| `(\{.*?\})` \|", line)
        if match:
            rows.append({"number": int(match.group(1)), "config": json.loads(match.group(2))})
    return rows


def run(args: argparse.Namespace) -> None:
    """Score one configuration on the selection years and append it to the log."""
    params: dict[str, Any] = {}
    for item in args.set or []:
        key, _, raw = item.partition("=")
        params[key] = json.loads(raw)
    config: dict[str, Any] = {"model": args.model}
    if params:
        config["params"] = params
    if args.recalibrate:
        config["recalibrate"] = True
    if args.features:
        config["features"] = args.features
    spec = spec_for(config)
    (evaluation,), seconds = _score(spec, [SELECTION_YEARS], bootstrap=args.bootstrap)
    values = evaluation.values
    number = len(_log_rows()) + 1
    row = (
        f"| {number} | {dt.date.today().isoformat()} | `{json.dumps(config, sort_keys=True)}` | "
        + " | ".join(f"{values[c].value:.3f}" for c in COLUMNS)
        + f" | {evaluation.onsets} | {seconds:.0f} | {args.note or ''} |\n"
    )
    if not LOG.exists():
        sys.exit(f"{LOG} is missing; it holds the rules and the table header.")
    with LOG.open("a", encoding="utf-8") as log:
        log.write(row)
    print(f"Selection years {SELECTION_YEARS[0]}-{SELECTION_YEARS[1]}, logged as #{number}:")
    for column in COLUMNS:
        print(f"  {column:24s} {_cell(values[column])}")


def final(args: argparse.Namespace) -> None:
    """Every logged configuration on the three year ranges, as a Markdown table."""
    ranges = [SELECTION_YEARS, HELD_OUT_YEARS, POOLED_YEARS]
    print("| # | configuration | years | " + " | ".join(COLUMNS) + " | onsets |")
    print("|---|---|---|" + "---|" * (len(COLUMNS) + 1))
    foos = read_ewp_foos(None, Warehouse())
    if foos is not None:
        frames = frames_from_ewp_foos(foos)
        for years in ranges:
            evaluation = evaluate(frames, years, bootstrap=args.bootstrap)
            cells = " | ".join(_cell(evaluation.values[c]) for c in COLUMNS)
            label = f"{years[0]}-{years[1]}"
            print(f"| EWP | EWP's own FOOS file | {label} | {cells} | {evaluation.onsets} |")
    seen: set[str] = set()
    for entry in _log_rows():
        key = json.dumps(entry["config"], sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        evaluations, _ = _score(spec_for(entry["config"]), ranges, bootstrap=args.bootstrap)
        for evaluation in evaluations:
            years = f"{evaluation.years[0]}-{evaluation.years[1]}"
            cells = " | ".join(_cell(evaluation.values[c]) for c in COLUMNS)
            print(f"| {entry['number']} | `{key}` | {years} | {cells} | {evaluation.onsets} |")
        sys.stdout.flush()


def main() -> None:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("run", help="score one configuration on 1994-2013 and log it")
    one.add_argument("model", help="a registered model name (atrocity-watch forecast models)")
    one.add_argument("--set", action="append", help="parameter override, key=JSON value")
    one.add_argument("--recalibrate", action="store_true", help="recalibrate on earlier windows")
    one.add_argument("--features", choices=sorted(FEATURE_SETS), help="a named feature set")
    one.add_argument("--note", help="why this configuration was tried")
    one.add_argument("--bootstrap", type=int, default=200)
    every = commands.add_parser("final", help="all logged configurations on all year ranges")
    every.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()
    run(args) if args.command == "run" else final(args)


if __name__ == "__main__":
    main()
