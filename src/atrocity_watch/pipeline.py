"""The whole refresh, in order: import → panels → forecast → monitor signals.

One function runs it for every face of the system — `make run`, `atrocity-watch refresh`,
scheduled jobs — so none of them owns the order of work. Each step is a function of its own
layer; this module only sequences them, decides what to skip when an earlier step produced
nothing, and reports in words a non-programmer understands.

A step that fails does not stop the others from running where they still can (panels and
signals can be rebuilt from data already in the warehouse), and a failed step never leaves a
half-written table: every layer writes atomically.

>>> from atrocity_watch.pipeline import STEPS
>>> [step.name for step in STEPS]
['sources', 'panels', 'forecast', 'signals']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from atrocity_watch.errors import AtrocityWatchError

Report = Callable[[str], None]

#: How many base years before the latest get a forecast too (the risk history on country pages).
HISTORY_YEARS = 9
#: Bootstrap refits behind the intervals of those earlier forecasts (the latest gets the model's
#: default): enough for a band on a chart, cheaper to compute.
HISTORY_REFITS = 30


class StepStatus(StrEnum):
    """How a step ended."""

    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class StepResult:
    """What one step did, in words."""

    name: str
    status: StepStatus
    message: str
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form for JSON output."""
        return {
            "step": self.name,
            "status": self.status.value,
            "message": self.message,
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class RefreshReport:
    """Everything a refresh did."""

    steps: tuple[StepResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when no step failed."""
        return all(step.status is not StepStatus.FAILED for step in self.steps)

    def summary(self) -> str:
        """One line per step, for people."""
        return " ".join(f"{step.name}: {step.message}" for step in self.steps)

    def as_dict(self) -> dict[str, Any]:
        """Plain-data form for JSON output."""
        return {"ok": self.ok, "steps": [step.as_dict() for step in self.steps]}


class StepSkipped(AtrocityWatchError):
    """A step has nothing to work on (for example no event data imported); not a failure."""


@dataclass(frozen=True)
class Step:
    """One stage of the refresh: a name, what it does in words, and the function that does it."""

    name: str
    title: str
    run: Callable[[Any, Report], str]


def _noop(_: str) -> None:
    return None


def _import_sources(warehouse: Any, report: Report) -> str:
    from atrocity_watch.warehouse import refresh_sources

    seen: set[str] = set()

    def progress(message: str, done: int, total: int) -> None:
        # One line per dataset: the layers report every file, which is too much for people.
        source = message.split(":", 1)[0]
        if ":" in message and source not in seen:
            seen.add(source)
            report(f"    {source} …")

    result = refresh_sources(progress, warehouse=warehouse)
    loaded = [load for load in result.loads if load.changed]
    current = len(result.loads) - len(loaded)
    parts = [f"{len(loaded)} datasets imported", f"{current} already up to date"]
    if result.skipped:
        reasons = sorted({skip.reason for skip in result.skipped})
        parts.append(f"{len(result.skipped)} not available ({'; '.join(reasons)})")
    if result.failed:
        for failure in result.failed:
            report(f"    {failure.source or failure.path} failed: {failure.error}")
        names = ", ".join(f.source or f.path for f in result.failed)
        raise AtrocityWatchError(
            ", ".join(parts) + f"; {len(result.failed)} could not be imported ({names}; the "
            "reason for each is printed above, and each keeps its previous version)."
        )
    return ", ".join(parts) + "."


def _build_panels(warehouse: Any, report: Report) -> str:
    from atrocity_watch.panels import build_panels

    if not warehouse.status():
        raise StepSkipped("no dataset imported yet, so there is nothing to build panels from.")
    built = build_panels(warehouse)
    rows = ", ".join(f"{name} {count:,} rows" for name, count in built.rows.items())
    return f"panels built ({rows}), years {built.first_year}-{built.last_year}."


def _forecast(warehouse: Any, report: Report) -> str:
    from atrocity_watch.forecast import run_forecast

    if not warehouse.has_table("src_ewp_prepared"):
        raise StepSkipped(
            "the Early Warning Project's modelling dataset is not imported, so there is no "
            "forecast (import it with `atrocity-watch data import`)."
        )

    def progress(step: str, done: int, total: int) -> None:
        if done == total:
            report(f"    {step} done")

    result = run_forecast(warehouse, progress=progress)
    # The country pages chart how the risk moved: the same model, each earlier base year fitted
    # only on what was known two years before it (EWP's protocol), with coarser intervals.
    history = 0
    for base_year in range(result.base_year - 1, result.base_year - 1 - HISTORY_YEARS, -1):
        run_forecast(warehouse, model=result.model, base_year=base_year, refits=HISTORY_REFITS)
        history += 1
    return (
        f"forecast of the risk of a new mass killing in {result.base_year + 1}-"
        f"{result.base_year + 2} for {len(result.forecasts)} countries (model {result.model}), "
        f"and the same model's forecasts from the {history} base years before, for the history "
        "charts."
    )


def _signals(warehouse: Any, report: Report) -> str:
    from atrocity_watch.monitor import NoEventDataError, compute_signals

    def progress(message: str, done: int, total: int) -> None:
        if done == total:
            report(f"    {message}")

    try:
        signals = compute_signals(warehouse, progress=progress)
    except NoEventDataError as exc:
        raise StepSkipped(str(exc)) from None
    sources = ", ".join(signals.sources) or "no event source"
    return f"{len(signals.table):,} monthly signals computed from {sources}."


STEPS: tuple[Step, ...] = (
    Step("sources", "Importing the datasets (from the mirror or the publishers)", _import_sources),
    Step("panels", "Building the country-year and country-month panels", _build_panels),
    Step("forecast", "Forecasting the risk of a new mass killing", _forecast),
    Step("signals", "Computing the monthly monitoring signals", _signals),
)


def refresh(
    report: Report | None = print,
    *,
    steps: Sequence[str] | None = None,
    warehouse: Any = None,
) -> RefreshReport:
    """Run the refresh (all steps, or the named ones in their fixed order).

    ``report`` receives one line per step and progress within long steps (default: print).
    Returns a :class:`RefreshReport`; it never raises for a step's own failure — the report says
    which step failed and why — but unknown step names are an error before anything runs.
    """
    from atrocity_watch.warehouse import Warehouse

    known = [step.name for step in STEPS]
    unknown = [name for name in steps or () if name not in known]
    if unknown:
        raise AtrocityWatchError(
            f"Unknown refresh step(s): {', '.join(unknown)}. The steps are: {', '.join(known)}."
        )
    say = report or _noop
    wh = warehouse if warehouse is not None else Warehouse()
    chosen = [step for step in STEPS if steps is None or step.name in steps]
    results: list[StepResult] = []
    for number, step in enumerate(chosen, start=1):
        say(f"  [{number}/{len(chosen)}] {step.title} …")
        started = time.perf_counter()
        try:
            message = step.run(wh, say)
            status = StepStatus.DONE
        except StepSkipped as exc:
            message, status = f"skipped: {exc}", StepStatus.SKIPPED
        except AtrocityWatchError as exc:
            message, status = f"failed: {exc}", StepStatus.FAILED
        seconds = time.perf_counter() - started
        say(f"        {message}")
        results.append(StepResult(step.name, status, message, seconds))
    return RefreshReport(tuple(results))
