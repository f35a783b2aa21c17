"""`atrocity-watch refresh`: the whole data refresh, for people and for scheduled jobs."""

from __future__ import annotations

from typing import Annotated

import typer

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, print_json

app = typer.Typer()


HELP = (
    "Bring all data up to date: import the datasets (from ATROCITY_WATCH_MIRROR or the "
    "publishers), rebuild the panels, make the forecasts and the monitoring signals, then update "
    "the alerts.\n\n"
    "Safe to run at any time, for example every night from a scheduler: each step writes its "
    "tables in one go, so the web app keeps showing the previous data until the new data is "
    "complete. Exit code 1 when a step failed (the others still ran), 2 on bad input."
)


@app.command("refresh", help=HELP)
@command_errors
def refresh(
    step: Annotated[
        list[str] | None,
        typer.Option(
            "--step",
            help="Run only this step (repeatable): sources, panels, forecast, signals. "
            "Default: all of them, in that order.",
        ),
    ] = None,
    alerts: Annotated[
        bool,
        typer.Option(
            "--alerts/--no-alerts",
            help="Afterwards, turn the new signals into alerts and send their notifications.",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Run the whole data refresh and update the alerts."""
    from atrocity_watch.pipeline import refresh as run_refresh

    report = run_refresh(None if as_json else typer.echo, steps=step)
    alert_message = None
    if alerts:
        from atrocity_watch.web import launch

        launch.prepare_home()
        launch.setup_django()
        launch.migrate()
        alert_message = launch.sync_alerts()
        if not as_json:
            typer.echo(f"  {alert_message}")
    if as_json:
        print_json({**report.as_dict(), "alerts": alert_message})
    if not report.ok:
        raise typer.Exit(1)
