"""`atrocity-watch framework ...`: browse the UN Framework of Analysis."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, print_json
from atrocity_watch.framework import Indicator, RiskFactor, get_framework

app = typer.Typer(
    help="Browse the UN Framework of Analysis for Atrocity Crimes: its 14 risk factors and "
    "their indicators. Lists marked INCOMPLETE could not be checked in full against the "
    "official text.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]


def _summary(rf: RiskFactor) -> dict[str, Any]:
    return {
        "number": rf.number,
        "name": rf.name,
        "scope": rf.scope.value,
        "indicator_count": rf.indicator_count,
        "complete": rf.complete,
    }


def _indicator_json(ind: Indicator) -> dict[str, Any]:
    return {
        "number": ind.number,
        "risk_factor": ind.risk_factor,
        "label": ind.label,
        "description": ind.description,
    }


@app.command("list")
@command_errors
def list_risk_factors(as_json: JsonFlag = False) -> None:
    """List the 14 risk factors, their scope and how many indicators each has."""
    fw = get_framework()
    if as_json:
        print_json([_summary(rf) for rf in fw])
        return
    table = Table(title=f"{fw.source.citation}: risk factors")
    for column in ("No.", "Risk factor", "Concerns", "Indicators", "List"):
        table.add_column(column)
    for rf in fw:
        table.add_row(
            str(rf.number),
            rf.name,
            rf.scope.label,
            str(rf.indicator_count),
            "complete" if rf.complete else "[bold yellow]INCOMPLETE[/]",
        )
    console = Console()
    console.print(table)
    missing = fw.source.official_indicator_total - len(fw.indicators)
    if missing > 0:
        console.print(
            f"[yellow]{len(fw.indicators)} of the {fw.source.official_indicator_total} indicators "
            f"usually cited are listed; risk factors "
            f"{', '.join(str(rf.number) for rf in fw.incomplete_risk_factors)} are incomplete.[/]"
        )
    console.print(f"Source: {fw.source.title}, {fw.source.publisher}, {fw.source.year}.")


@app.command("show")
@command_errors
def show(
    reference: Annotated[
        str, typer.Argument(help="A risk factor number such as 7, or an indicator such as 7.14.")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Show one risk factor with its indicators, or one indicator."""
    fw = get_framework()
    item = fw.resolve(reference)
    console = Console()
    if isinstance(item, Indicator):
        rf = fw.risk_factor(item.risk_factor)
        if as_json:
            print_json({**_indicator_json(item), "risk_factor_name": rf.name})
            return
        console.print(f"[bold]Indicator {item.number}[/] (risk factor {rf.number}: {rf.name})")
        console.print(item.label)
        console.print(item.description)
        console.print(f"Source: {fw.source.citation}, indicator {item.number} (paraphrased).")
        return
    if as_json:
        print_json(
            {
                **_summary(item),
                "description": item.description,
                "status": item.status,
                "indicators": [_indicator_json(ind) for ind in item.indicators],
            }
        )
        return
    console.print(f"[bold]Risk factor {item.number}: {item.name}[/] ({item.scope.label})")
    console.print(item.description)
    if not item.complete:
        console.print(f"[bold yellow]{item.completeness_note}[/]")
    table = Table(show_header=True)
    table.add_column("Indicator")
    table.add_column("Label")
    for ind in item.indicators:
        table.add_row(ind.number, ind.label)
    if item.indicators:
        console.print(table)
    console.print(f"Source: {fw.source.citation}, risk factor {item.number} (paraphrased).")
