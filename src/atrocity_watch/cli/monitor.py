"""`atrocity-watch monitor ...`: month-by-month signals, the alerts they raise, and the backtest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, print_json

if TYPE_CHECKING:
    from atrocity_watch.monitor import BacktestReport, MonthReport

app = typer.Typer(
    help="Watch event data (UCDP GED, ACLED) month by month: civilians killed by government "
    "forces or armed groups, new perpetrators, the spread of violence, sexual violence, "
    "abductions, attacks on aid workers and peacekeepers, sieges, and conflict next door. "
    "Each month is compared with the country's own recent past; unusual months raise alerts.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]


@app.command("list")
@command_errors
def list_monitors(json: JsonFlag = False) -> None:
    """List the monitors, the Framework indicators they inform and the sources they can read."""
    from atrocity_watch.monitor import MONITORS

    if json:
        print_json([m.as_dict() for m in MONITORS.values()])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Monitors", show_lines=True)
    for column in ("monitor", "watches", "indicators", "UCDP GED", "ACLED"):
        table.add_column(column)
    for m in MONITORS.values():
        table.add_row(
            f"{m.name}\n[dim]{m.title}[/dim]",
            m.description,
            ", ".join(m.indicators),
            m.support("ucdp_ged").label,
            m.support("acled_events").label,
        )
    Console().print(table)


def _month_option(value: str | None) -> Any:
    from atrocity_watch.monitor import parse_month

    return None if value is None else parse_month(value)


@app.command("run")
@command_errors
def run(
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help="The month to report, as YYYY-MM (default: the latest month the data cover).",
        ),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="Only these countries (ISO3 code; repeat for several)."),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Compute the signals from the imported events and list the alerts for one month.

    The signals are saved in the warehouse (table monitor_signals) for the web app.
    """
    from atrocity_watch.monitor import run_month

    chosen = _month_option(month)
    with _progress() as progress:
        report = run_month(month=chosen, signals=_signals(progress))
    wanted = {c.upper() for c in country or []}
    alerts = [a for a in report.alerts if not wanted or a.iso3 in wanted]
    if json:
        print_json([a.as_dict() for a in alerts])
        return
    _print_month(report, alerts)


def _signals(progress: Any) -> Any:
    from atrocity_watch.monitor import compute_signals

    return compute_signals(progress=progress)


class _progress:
    """A rich progress bar on stderr while the signals are computed."""

    def __enter__(self) -> Any:
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._bar.__enter__()
        self._task = self._bar.add_task("monitoring", total=None)
        return self.update

    def update(self, description: str, done: int, total: int) -> None:
        self._bar.update(self._task, description=description, completed=done, total=total or None)

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(None, None, None)


def _print_month(report: MonthReport, alerts: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from atrocity_watch.monitor import get_monitor, month_label

    console = Console()
    covered = "; ".join(f"{s}: {', '.join(c) or 'none'}" for s, c in report.covered.items())
    console.print(f"[bold]Alerts for {month_label(report.month)}[/bold] — data: {covered}")
    for source, names in report.not_supported.items():
        if names:
            console.print(f"[dim]{source} cannot support: {', '.join(names)}[/dim]")
    if not alerts:
        console.print("No alert: every monitored value is within its country's usual range.")
        return
    table = Table()
    for column in ("country", "monitor", "status", "value vs baseline", "score"):
        table.add_column(column)
    for a in alerts:
        status = a.status.replace("_", " ")
        if a.status == "no_data":
            status = f"open, no data since {month_label(a.last_data)}"
        elif a.level:
            status += f" ({a.level})"
        table.add_row(
            a.iso3 + (f" / {a.adm1}" if a.adm1 else "") + f"\n[dim]{a.source}[/dim]",
            get_monitor(a.monitor).title + f"\n[dim]indicators {', '.join(a.indicators)}[/dim]",
            status,
            "no data"
            if a.value is None
            else f"{a.value:,.0f} vs {a.baseline:,.1f}"
            if a.baseline is not None
            else f"{a.value:,.0f}",
            "-" if a.score is None else f"{a.score:.1f}",
        )
    console.print(table)
    console.print(f"[dim]Method: {report.method}.[/dim]")


@app.command("series")
@command_errors
def series(
    country: Annotated[str, typer.Argument(help="Country (ISO3 code, e.g. MMR).")],
    monitor: Annotated[str, typer.Argument(help="Monitor name (see `monitor list`).")],
    source: Annotated[
        str | None, typer.Option("--source", help="ucdp_ged or acled_events (default: both).")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Show one country's monthly values, baselines and scores from the last run.

    Months the data do not cover say "no data", never 0.
    """
    from atrocity_watch.monitor import get_monitor, month_label, read_signals

    chosen = get_monitor(monitor)
    signals = read_signals()
    table = signals.table
    rows = table[
        (table["monitor"] == chosen.name)
        & (table["iso3"] == country.upper())
        & table["adm1"].isna()
    ]
    if source:
        rows = rows[rows["source"] == source]
    rows = rows.sort_values(["source", "month"])
    records = [
        {
            "source": r["source"],
            "month": month_label(r["month"]),
            "status": r["status"],
            "value": None if not r["covered"] else float(r["value"]),
            "baseline": None if r["baseline"] != r["baseline"] else round(float(r["baseline"]), 3),
            "score": None if r["score"] != r["score"] else round(float(r["score"]), 3),
        }
        for r in rows.to_dict("records")
    ]
    if json:
        print_json(records)
        return
    from rich.console import Console
    from rich.table import Table

    out = Table(title=f"{chosen.title} — {country.upper()}")
    for column in ("source", "month", "value", "baseline", "score"):
        out.add_column(column)
    for r in records:
        out.add_row(
            str(r["source"]),
            str(r["month"]),
            "no data" if r["value"] is None else f"{r['value']:,.0f}",
            "-" if r["baseline"] is None else f"{r['baseline']:,.1f}",
            "-" if r["score"] is None else f"{r['score']:.1f}",
        )
    Console().print(out)
    if not records:
        Console().print("No signal for this country and monitor (no data, or not supported).")


@app.command("backtest")
@command_errors
def backtest(
    period: Annotated[
        str,
        typer.Option(
            "--period",
            help="all, selection (onsets up to 2014, used to choose the method) or evaluation "
            "(2015 on).",
        ),
    ] = "all",
    compare: Annotated[
        bool,
        typer.Option(
            "--compare-methods",
            help="Also score the other methods and windows (slower: about 5 s each).",
        ),
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Score the monitors on known onsets: EWP mass killings and UCDP one-sided violence.

    For each monitor: how many onsets it flagged in the 12 months before they began, the
    median lead in months, and the alerts it raised in quiet country-years (false alerts).
    Needs the events and the EWP and UCDP one-sided lists imported in the warehouse.
    """
    from atrocity_watch.monitor import METHODS, SignalMethod, run_backtest

    methods = (
        [
            SignalMethod(name, window=w, min_baseline=min(6, w))
            for name in METHODS
            for w in (6, 12, 24)
        ]
        if compare
        else None
    )
    reports = run_backtest(period=period, methods=methods)
    if json:
        print_json([r.as_dict() for r in reports])
        return
    for report in reports:
        _print_backtest(report)


def _print_backtest(report: BacktestReport) -> None:
    from rich.console import Console
    from rich.table import Table

    from atrocity_watch.monitor import ONSET_KINDS

    console = Console()
    console.print(f"[bold]Backtest ({report.period}) — {report.method.describe()}[/bold]")
    for kind, title in ONSET_KINDS.items():
        table = Table(title=title)
        for column in (
            "monitor",
            "onsets",
            "flagged before",
            "median lead (months)",
            "false alerts / quiet country-year",
            "months with an alert",
            "chance level",
        ):
            table.add_column(column)
        for s in report.scores:
            if s.onset_kind != kind:
                continue
            table.add_row(
                s.monitor,
                str(s.onsets),
                "-" if s.share_before is None else f"{s.flagged_before} ({s.share_before:.0%})",
                "-" if s.median_lead is None else f"{s.median_lead:g}",
                "-"
                if s.false_per_quiet_year is None
                else f"{s.false_alerts}/{s.quiet_country_years} = {s.false_per_quiet_year:.2f}",
                "-" if s.alert_share is None else f"{s.alert_share:.0%}",
                "-" if s.chance_share is None else f"{s.chance_share:.0%}",
            )
        console.print(table)
    for note in report.notes:
        console.print(f"[dim]{note}[/dim]")
