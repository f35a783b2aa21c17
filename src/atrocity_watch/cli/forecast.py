"""`atrocity-watch forecast ...`: the statistical risk assessment.

The probability that a new mass killing begins in each country within two years, as the Early
Warning Project estimates it, reproduced, backtested and explained by Framework risk factor.
Heavy libraries load inside the commands so `atrocity-watch --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, fail, print_json

app = typer.Typer(
    help="Statistical risk assessment: the probability that a new mass killing (1,000 or more "
    "civilians of a group deliberately killed) begins in each country within two years. "
    "Reproduces the Early Warning Project's model, tests it on 30 years of history, and "
    "explains each country's risk by the Framework's risk factors.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="EWP's prepared dataset (prepared<year>predictors-<date>.csv). Default: the one "
        "imported into the warehouse with `atrocity-watch data import`.",
        exists=False,
    ),
]


def _warehouse() -> Any:
    from atrocity_watch.warehouse import Warehouse

    return Warehouse()


def _progress(console: Console, enabled: bool) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not enabled,
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


@app.command("models")
@command_errors
def models(as_json: JsonFlag = False) -> None:
    """List the forecast models you can choose with --model."""
    from atrocity_watch.forecast import HEADLINE_MODEL, MODELS

    rows = [
        {
            "model": spec.name,
            "title": spec.title,
            "headline": spec.name == HEADLINE_MODEL,
            "uses_panels": spec.uses_panels,
            "recalibrated": spec.recalibrate,
            "features": len(spec.features),
            "description": spec.description,
        }
        for spec in MODELS.values()
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(title="Forecast models")
    for column in ("Model", "What it is", "Features", "Needs panels"):
        table.add_column(column)
    for row in rows:
        name = f"{row['model']} (headline)" if row["headline"] else str(row["model"])
        needs = "yes" if row["uses_panels"] else "no"
        table.add_row(name, str(row["description"]), str(row["features"]), needs)
    Console().print(table)


@app.command("reproduce")
@command_errors
def reproduce(
    data: DataOption = None,
    published: Annotated[
        Path | None,
        typer.Option(
            help="EWP's published forecasts (ewp_published_forecasts_long.csv). Default: the "
            "table imported into the warehouse."
        ),
    ] = None,
    coefficients: Annotated[
        Path | None,
        typer.Option(help="EWP's coefficient file (coefficients_<date>.csv), to compare too."),
    ] = None,
    base_year: Annotated[
        int | None, typer.Option(help="Base year to reproduce. Default: the data's last year.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Refit EWP's model on EWP's own data and compare with EWP's published forecast.

    Prints the rank correlation, how many of EWP's top 30 countries are also in ours, and the
    largest difference in risk.
    """
    from atrocity_watch.forecast import (
        load_modelling_data,
        load_modelling_data_from_warehouse,
        read_coefficients,
        read_published,
    )
    from atrocity_watch.forecast import reproduce as run_reproduction

    warehouse = _warehouse() if data is None or published is None else None
    modelling = (
        load_modelling_data(data)
        if data is not None
        else load_modelling_data_from_warehouse(warehouse)
    )
    published_table = read_published(published, warehouse)
    coefficient_table = read_coefficients(coefficients) if coefficients else None
    result = run_reproduction(modelling, published_table, coefficient_table, base_year)
    if as_json:
        print_json(result.as_json())
        return
    console = Console()
    console.print(
        f"[bold]Reproduction of EWP's {result.edition} forecast[/] (base year {result.base_year},"
        f" {result.countries} countries; trained on {result.training_rows} country-years with "
        f"{result.training_onsets} onsets)"
    )
    console.print(f"  Spearman rank correlation   {result.spearman:.6f}")
    console.print(f"  Top-30 overlap              {result.top30_overlap} of 30")
    console.print(f"  Top-10 overlap              {result.top10_overlap} of 10")
    console.print(f"  Largest risk difference     {result.max_abs_difference:.6f}")
    console.print(f"  Mean risk difference        {result.mean_abs_difference:.7f}")
    if result.coefficient_max_abs_difference is not None:
        console.print(
            f"  Largest coefficient gap     {result.coefficient_max_abs_difference:.4f} "
            f"(zero/non-zero agree for {result.coefficient_zero_pattern_agreement} of 39)"
        )
    table = Table(title="EWP's top 15 and ours")
    for column in ("EWP rank", "Country", "EWP risk", "Our risk", "Our rank"):
        table.add_column(column)
    for row in result.comparison.sort_values("rank_ewp").head(15).to_dict("records"):
        table.add_row(
            str(row["rank_ewp"]), str(row["country"]), _pct(row["ewp"]), _pct(row["ours"]),
            str(row["rank_ours"]),
        )  # fmt: skip
    console.print(table)


@app.command("backtest")
@command_errors
def backtest(
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            help="Model to test (repeat for several). Default: the headline model. See "
            "`atrocity-watch forecast models`.",
        ),
    ] = None,
    compare_ewp: Annotated[
        Path | None,
        typer.Option(
            "--compare-ewp",
            help="EWP's own backtest file (FOOSforecasts_<date>.csv), scored by the same code "
            "and shown side by side. Default: the one in the warehouse, if imported.",
        ),
    ] = None,
    data: DataOption = None,
    years: Annotated[
        str, typer.Option(help="Outcome years to score, FIRST-LAST (EWP: 1994-2024).")
    ] = "1994-2024",
    bootstrap: Annotated[
        int,
        typer.Option(help="Bootstrap replicates for the 95% intervals (0: no intervals)."),
    ] = 1000,
    jobs: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    as_json: JsonFlag = False,
) -> None:
    """Test models on 30 years of history, side by side with EWP's own test.

    EWP's protocol: for each year from 1993 to 2023, fit only on what was known then and
    forecast the next two years; then score every forecast against what happened. Shows AUC,
    the share of onsets ranked in the top 10/20/30, Brier score and skill, log loss and
    calibration, with 95% intervals from resampling years.
    """
    from atrocity_watch.forecast import (
        HEADLINE_MODEL,
        evaluate,
        frames_from_ewp_foos,
        frames_from_forecasts,
        get_model,
        load_data_for,
        onset_rows,
        read_ewp_foos,
        run_backtest,
    )

    first, _, last = years.partition("-")
    if not (first.isdigit() and last.isdigit()):
        fail(f"--years must look like 1994-2024. Got {years!r} instead.")
    year_range = (int(first), int(last))
    names = model or [HEADLINE_MODEL]
    specs = [get_model(name) for name in names]
    needs_warehouse = data is None or compare_ewp is None or any(s.uses_panels for s in specs)
    warehouse = _warehouse() if needs_warehouse else None
    console = Console(stderr=True)
    evaluations = []
    foos = read_ewp_foos(compare_ewp, warehouse)
    with _progress(console, not as_json) as progress:
        for spec in specs:
            modelling = load_data_for(spec, warehouse, data)
            task = progress.add_task(f"Backtest {spec.name}", total=31)

            def advance(done: int, total: int, task: Any = task) -> None:
                progress.update(task, completed=done, total=total)

            run = run_backtest(spec, modelling, n_jobs=jobs, progress=advance)
            onsets = onset_rows(modelling).rename(columns={"mk_onset": "onset"})
            frames = frames_from_forecasts(spec.name, run.forecasts, onsets)
            evaluations.append(evaluate(frames, year_range, bootstrap=bootstrap))
    if foos is not None:
        evaluations.append(evaluate(frames_from_ewp_foos(foos), year_range, bootstrap=bootstrap))
    if as_json:
        print_json([e.as_json() for e in evaluations])
        return
    out = Console()
    table = Table(
        title=f"Backtest, outcome years {year_range[0]}–{year_range[1]} "
        f"(95% intervals, {bootstrap} bootstrap replicates of years)"
    )
    table.add_column("Metric")
    for evaluation in evaluations:
        table.add_column(evaluation.model)
    from atrocity_watch.forecast import METRICS, REPORTED_METRICS

    for name in REPORTED_METRICS:
        cells = []
        for evaluation in evaluations:
            value = evaluation.values[name]
            has_interval = bootstrap and value.ci_low == value.ci_low  # NaN: no interval
            interval = f" [{value.ci_low:.3f}, {value.ci_high:.3f}]" if has_interval else ""
            cells.append(f"{value.value:.3f}{interval}")
        table.add_row(METRICS[name].title, *cells)
    table.add_row("Onsets scored", *[str(e.onsets) for e in evaluations])
    out.print(table)


@app.command("run")
@command_errors
def run(
    base_year: Annotated[
        int | None,
        typer.Option(help="Year of the data the forecast starts from. Default: the latest."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="Model to use (see `atrocity-watch forecast models`). Default: the headline model."
        ),
    ] = None,
    data: DataOption = None,
    refits: Annotated[
        int,
        typer.Option(help="Bootstrap refits behind each country's 90% interval (0: none)."),
    ] = 100,
    top: Annotated[int, typer.Option(help="How many countries to print.")] = 20,
    headline: Annotated[
        bool | None,
        typer.Option(
            "--headline/--not-headline",
            help="Make this model the one the web pages show. Default: only the registry's "
            "headline model, or the first model written.",
        ),
    ] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    as_json: JsonFlag = False,
) -> None:
    """Forecast every country's risk for the next two years and write it to the warehouse.

    Prints the countries at highest risk, with a 90% interval and the risk factors that drive
    their risk.
    """
    from atrocity_watch.forecast import run_forecast

    warehouse = _warehouse()
    console = Console(stderr=True)
    with _progress(console, not as_json) as progress:
        tasks: dict[str, Any] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step.capitalize(), total=total)
            progress.update(tasks[step], completed=done)

        result = run_forecast(
            warehouse, model=model, base_year=base_year, data_path=data, refits=refits,
            n_jobs=jobs, headline=headline, progress=report,
        )  # fmt: skip
    summary = result.as_json(top=top)
    if "fallback" in result.notes:
        console.print(f"[yellow]Note: {result.notes['fallback']}[/]")
    if as_json:
        print_json(summary)
        return
    out = Console()
    table = Table(
        title=f"Risk of a new mass killing in {result.window[0]}–{result.window[1]} "
        f"({result.model}, data to {result.base_year})"
    )
    for column in ("Rank", "Country", "Risk", "90% interval", "Last year", "Main drivers"):
        table.add_column(column)
    named: dict[int, str] = {}
    for row in summary["countries"]:
        for driver in row["drivers"][:2]:
            named[driver["risk_factor"]] = driver["name"]
        drivers = ", ".join(
            f"RF{d['risk_factor']} {d['contribution']:+.2f}" if d["risk_factor"] else
            f"other {d['contribution']:+.2f}"
            for d in row["drivers"][:2]
        )  # fmt: skip
        table.add_row(
            str(row["rank"]), row["country"], _pct(row["probability"]),
            f"{_pct(row['ci_low'])}–{_pct(row['ci_high'])}", _pct(row["previous_probability"]),
            drivers,
        )  # fmt: skip
    out.print(table)
    for number in sorted(named):
        label = f"RF{number}" if number else "other"
        out.print(f"  {label}: {named[number]}")
    out.print(
        "Drivers: the two risk factors adding most to the log-odds of an onset (negative "
        "values lower the risk). 'Last year': this model on last year's data."
    )
    out.print(
        f"Written to the warehouse (forecasts, forecast_drivers, forecast_meta): "
        f"{len(result.forecasts)} countries."
    )


@app.command("explain")
@command_errors
def explain_country(
    country: Annotated[str, typer.Argument(help="Country: ISO3 code (e.g. MMR) or a name.")],
    model: Annotated[
        str | None, typer.Option(help="Model whose forecast to explain. Default: the headline.")
    ] = None,
    base_year: Annotated[
        int | None, typer.Option(help="Base year of the forecast. Default: the latest written.")
    ] = None,
    features: Annotated[int, typer.Option(help="How many single features to list.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Why a country's risk is what it is, and what moved it since last year.

    Contributions by Framework risk factor and by feature, read from the last `forecast run`.
    """
    from atrocity_watch.forecast import explain_written

    report = explain_written(
        _warehouse(), country, model=model, base_year=base_year, features=features
    )
    if as_json:
        print_json(report)
        return
    out = Console()
    out.print(
        f"[bold]{report['country']}[/]: {_pct(report['probability'])} risk of a new mass killing "
        f"in {report['window_start']}–{report['window_end']} (rank {report['rank']}; 90% "
        f"interval {_pct(report['ci_low'])}–{_pct(report['ci_high'])}; this model on last "
        f"year's data: {_pct(report['previous_probability'])}). Model: {report['model']}."
    )
    table = Table(title="By Framework risk factor (contributions to the log-odds)")
    for column in ("Risk factor", "Contribution", "Change since last year"):
        table.add_column(column)
    for row in report["risk_factors"]:
        change = "–" if row["change"] is None else f"{row['change']:+.3f}"
        label = f"{row['risk_factor']}. {row['name']}" if row["risk_factor"] else row["name"]
        table.add_row(label, f"{row['contribution']:+.3f}", change)
    out.print(table)
    detail = Table(title="Largest single features")
    for column in ("Feature", "Risk factor", "Value", "Last year", "Contribution", "Change"):
        detail.add_column(column)
    for row in report["features"]:
        change = "–" if row["change"] is None else f"{row['change']:+.3f}"
        detail.add_row(
            row["title"], str(row["risk_factor"]), _num(row["value"]),
            _num(row["previous_value"]), f"{row['contribution']:+.3f}", change,
        )  # fmt: skip
    out.print(detail)
    out.print(
        "Positive contributions raise the risk, negative ones lower it, relative to the model's "
        "baseline; they describe the model's statistics, not causes."
    )


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3g}"
