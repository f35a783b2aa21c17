"""`atrocity-watch panels ...`: build the country-year and country-month panels, and say what
each column means and which Framework indicators it informs."""

from __future__ import annotations

from typing import Annotated

import typer

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, fail, print_json

app = typer.Typer(
    help="The country-year and country-month panels: one row per country and period, one "
    "column per measure, each tagged to the Framework of Analysis indicators it informs.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]


@app.command("build")
@command_errors
def build_command(as_json: JsonFlag = False) -> None:
    """Build both panels from the data in the warehouse and replace the old ones in one step.

    A period that a source does not cover is left empty (missing), never counted as zero.
    Run it after importing new data; it takes a few seconds to a minute.
    """
    from rich.console import Console

    from atrocity_watch.panels import build_panels

    console = Console(stderr=True)
    with console.status("Building the country-year and country-month panels…"):
        result = build_panels()
    if as_json:
        print_json(result.as_dict())
        return
    out = Console()
    for table, rows in result.rows.items():
        known = result.known[table]
        filled = sum(1 for n in known.values() if n)
        out.print(
            f"[bold]{table}[/]: {rows:,} rows; {filled} of {len(known)} columns have data",
            soft_wrap=True,
        )
        empty = sorted(name for name, n in known.items() if not n)
        if empty:
            out.print(
                f"  [yellow]no data yet (import their sources):[/] {', '.join(empty)}",
                soft_wrap=True,
            )
    out.print(
        f"Years {result.first_year}-{result.last_year}; months 1989-01 to "
        f"{result.last_month:%Y-%m}. Sources used: {', '.join(sorted(result.sources))}.",
        soft_wrap=True,
    )


@app.command("describe")
@command_errors
def describe_command(
    frequency: Annotated[
        str | None,
        typer.Option("--frequency", help="Only the columns of one panel: 'year' or 'month'."),
    ] = None,
    indicator: Annotated[
        str | None,
        typer.Option(
            "--indicator",
            help="Only the columns that inform this risk factor (such as 8) or indicator "
            "(such as 8.2) of the Framework.",
        ),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the Markdown table of docs/panels.md.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List the panel columns: what each measures, its source, unit, coverage and the
    Framework indicators it informs."""
    from rich.console import Console
    from rich.table import Table

    from atrocity_watch.panels._describe import markdown_table, select_features

    if frequency not in (None, "year", "month"):
        fail(f"--frequency must be 'year' or 'month'. Got {frequency!r} instead.")
    if markdown:
        typer.echo(markdown_table(), nl=False)
        return
    chosen = select_features(frequency, indicator)  # type: ignore[arg-type]
    if as_json:
        print_json([f.as_dict() for f in chosen])
        return
    console = Console()
    if not chosen:
        console.print(f"No panel column informs {indicator}.")
        return
    table = Table(title="Panel columns and the Framework indicators they inform")
    table.add_column("Column", no_wrap=True)
    for column in ("Panel", "Measures", "Source", "Unit", "Framework"):
        table.add_column(column)
    for f in chosen:
        table.add_row(f.name, f.frequency, f.title, f.source, f.unit, ", ".join(f.indicators))
    console.print(table)
    console.print("`--json` gives each column's unit, description and time coverage as well.")
