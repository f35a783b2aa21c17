"""The `atrocity-watch` command line: a thin layer over the library.

Each area has its own module with a Typer sub-application; this module only assembles them.
Sub-application modules import heavy libraries (Django, Ibis, LightGBM) inside their commands,
so `atrocity-watch --help` stays fast.
"""

from __future__ import annotations

import typer

from atrocity_watch import __version__
from atrocity_watch.cli import (
    countries,
    data,
    evidence,
    forecast,
    framework,
    monitor,
    panels,
    pipeline,
    web,
)

app = typer.Typer(
    name="atrocity-watch",
    help="Atrocity Watch: early warning and assessment of the risk of genocide, crimes against "
    "humanity and war crimes, organised by the UN Framework of Analysis for Atrocity Crimes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(framework.app, name="framework")
app.add_typer(countries.app, name="countries")
app.add_typer(data.app, name="data")
app.add_typer(panels.app, name="panels")
app.add_typer(evidence.app, name="evidence")
app.add_typer(monitor.app, name="monitor")
app.add_typer(forecast.app, name="forecast")
app.add_typer(web.app)  # `run`, `serve` and `check-deploy` at the top level
app.add_typer(pipeline.app)  # `refresh` at the top level


def _version(value: bool) -> None:
    if value:
        typer.echo(f"atrocity-watch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Atrocity Watch command line."""


def main() -> None:
    """Entry point of the `atrocity-watch` console script."""
    app()
