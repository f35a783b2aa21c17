"""The monitors' backtest on the real event samples, as tables for docs/monitoring.md.

Imports the real files from ../shared/data (UCDP GED for Myanmar, the Central African Republic
and Syria; ACLED for Sudan; UCDP one-sided violence; EWP's mass-killing episode list) into a
temporary warehouse, then prints, in Markdown:

1. the choice of method: every method and window scored on the selection period (onsets and
   quiet years up to 2014), with the rule that picks one;
2. the backtest of the chosen (default) method, per monitor and onset list, for all years and
   for the evaluation period (2015 on) separately;
3. every onset with its date, how it was dated, and the lead of the earliest monitor.

    .venv/bin/python benchmarks/monitor_backtest.py [--data ../shared/data] [--no-compare]
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
    METHODS,
    MONITORS,
    ONSET_KINDS,
    BacktestReport,
    SignalMethod,
    run_backtest,
)
from atrocity_watch.warehouse import Warehouse

FILES = (
    "ucdp/ged_subset/GEDEvent_v24_1_MMR775_netify.csv",
    "ucdp/ged_subset/GEDEvent_v23_1_CAF482.csv",
    "ucdp/ged_subset/GEDSyria_652.1601.1911_2016-2017.csv",
    "ucdp/ged_subset/GEDSyria_652.1601.1911_2018-2019.csv",
    "acled/acled_Sudan_2021-10-25_2023-02-10_export31.csv",
    "acled/acled_Sudan_2023-04-11_2023-04-14_newformat.csv",
    "ucdp/OneSided_v25_1.csv",
    "ewp/sra2025/EWP mass killing events master list_2025__mk_events.csv",
)
MAX_FALSE_PER_QUIET_YEAR = 0.25  # the selection rule's ceiling on false alerts


def _share(numerator: int, denominator: int) -> str:
    return "–" if not denominator else f"{numerator}/{denominator} ({numerator / denominator:.0%})"


def _any(report: BacktestReport, kind: str) -> tuple[int, int, float | None, int, int]:
    line = next(s for s in report.scores if s.monitor == "any" and s.onset_kind == kind)
    return (
        line.flagged_before,
        line.onsets,
        line.median_lead,
        line.false_alerts,
        line.quiet_country_years,
    )


def selection_table(reports: list[BacktestReport]) -> tuple[str, SignalMethod]:
    """Every method on the selection period, and the one the rule picks."""
    rows = [
        "| method | window | EWP onsets flagged | one-sided ≥25 flagged | one-sided ≥1,000 flagged "
        "| false alerts / quiet country-year (any monitor) | per-monitor mean share flagged |",
        "|---|---|---|---|---|---|---|",
    ]
    best: tuple[float, float, SignalMethod] | None = None
    for report in reports:
        ewp = _any(report, "ewp")
        osv = _any(report, "osv25")
        big = _any(report, "osv1000")
        false_rate = osv[3] / osv[4] if osv[4] else 0.0
        shares = [
            s.share_before
            for s in report.scores
            if s.monitor != "any" and s.onset_kind == "osv25" and s.share_before is not None
        ]
        mean_share = statistics.mean(shares) if shares else 0.0
        rows.append(
            f"| {report.method.name} | {report.method.window} | {_share(ewp[0], ewp[1])} | "
            f"{_share(osv[0], osv[1])} | {_share(big[0], big[1])} | "
            f"{osv[3]}/{osv[4]} = {false_rate:.2f} | {mean_share:.2f} |"
        )
        if false_rate <= MAX_FALSE_PER_QUIET_YEAR:
            score = (osv[0] / osv[1] if osv[1] else 0.0, mean_share - false_rate)
            if best is None or score > best[:2]:
                best = (score[0], score[1], report.method)
    chosen = best[2] if best else DEFAULT_METHOD
    return "\n".join(rows), chosen


def monitor_table(report: BacktestReport) -> str:
    lines = []
    for kind, title in ONSET_KINDS.items():
        lines += [
            f"**{title}** ({report.period})",
            "",
            "| monitor | sources | onsets | flagged before onset | median lead (months) "
            "| false alerts / quiet country-year | months with an alert | chance level |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for s in report.scores:
            if s.onset_kind != kind:
                continue
            lead = "–" if s.median_lead is None else f"{s.median_lead:g}"
            false = (
                "–"
                if s.false_per_quiet_year is None
                else f"{s.false_alerts}/{s.quiet_country_years} = {s.false_per_quiet_year:.2f}"
            )
            months = "–" if s.alert_share is None else f"{s.alert_share:.0%}"
            chance = "–" if s.chance_share is None else f"{s.chance_share:.0%}"
            title_ = "**any monitor**" if s.monitor == "any" else MONITORS[s.monitor].title
            lines.append(
                f"| {title_} | {', '.join(s.sources) or '–'} | {s.onsets} | "
                f"{_share(s.flagged_before, s.onsets) if s.onsets else '–'} | {lead} | {false} | "
                f"{months} | {chance} |"
            )
        lines.append("")
    return "\n".join(lines)


def _name(iso3: str) -> str:
    from atrocity_watch.countries import get_registry

    return str(get_registry().by_iso3(iso3).name)


def onset_table(report: BacktestReport) -> str:
    lines = [
        "| list | country | onset | month | dated by | source | evaluable | earliest lead "
        "(months) | monitors flagging before |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for onset in report.onsets:
        rows = [r for r in report.results if r.onset == onset]
        if not rows:
            continue
        leads = [r.lead_months for r in rows if r.lead_months is not None]
        flagged = sorted(r.monitor for r in rows if r.flagged_before)
        lines.append(
            f"| {onset.kind} | {_name(onset.iso3)} | {onset.label} | {onset.month:%Y-%m} | "
            f"{onset.dated_by.split(' (')[0][:60]} | {rows[0].source} | "
            f"{'yes' if rows[0].evaluable else 'no: ' + rows[0].note} | "
            f"{max(leads) if leads else '–'} | {', '.join(flagged) or '–'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--no-compare", action="store_true", help="Skip the method comparison.")
    args = parser.parse_args()
    missing = [name for name in FILES if not (args.data / name).is_file()]
    if missing:
        print(f"missing real data files under {args.data}: {missing}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as home:
        warehouse = Warehouse(home)
        for name in FILES:
            warehouse.import_path(args.data / name, mode="add")
        imported = time.perf_counter()
        print(f"# Monitoring backtest ({time.strftime('%Y-%m-%d')})\n")
        print(f"Import of the real samples: {imported - started:.1f} s.\n")
        if not args.no_compare:
            methods = [
                SignalMethod(name, window=w, min_baseline=min(6, w))
                for name in METHODS
                for w in (6, 12, 24)
            ]
            reports = run_backtest(warehouse, methods=methods, period="selection")
            table, chosen = selection_table(reports)
            print("## Choosing the method (selection period: onsets and quiet years to 2014)\n")
            print(table)
            print(
                f"\nRule: among methods with at most {MAX_FALSE_PER_QUIET_YEAR} false alerts per "
                "quiet country-year, the highest share of one-sided-violence onsets flagged "
                "before they began, then the highest mean per-monitor share minus the false-"
                f"alert rate. Chosen: **{chosen.describe()}** (the default is "
                f"{DEFAULT_METHOD.describe()}).\n"
            )
        for period in ("all", "evaluation"):
            [report] = run_backtest(warehouse, period=period)
            print(f"## Backtest of the default method — {period}\n")
            print(monitor_table(report))
            if period == "all":
                print("### Onsets\n")
                print(onset_table(report))
                print()
                quiet = ", ".join(f"{_name(c)} {y}" for _, c, y in report.quiet_years)
                print(f"Quiet country-years ({len(report.quiet_years)}): {quiet}.\n")
    print(f"Total time: {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
