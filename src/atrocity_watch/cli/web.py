"""`atrocity-watch run` and `atrocity-watch serve`: start the web application.

Thin: the steps are in :mod:`atrocity_watch.web.launch`; this module says what each does, in
words for the person at the keyboard, and turns errors into one line and exit code 2.
"""

from __future__ import annotations

from typing import Annotated

import typer

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, print_json

app = typer.Typer()

Host = Annotated[
    str,
    typer.Option(
        "--host",
        help="Address to listen on. 127.0.0.1 (the default) accepts only this computer; put a "
        "reverse proxy with HTTPS in front for others.",
    ),
]
Port = Annotated[int, typer.Option("--port", help="Port to listen on.")]
Workers = Annotated[int, typer.Option("--workers", help="Number of server processes.")]
Threads = Annotated[
    int,
    typer.Option(
        "--threads",
        help="Threads per server process. 1 (the default) is fastest on a busy server; more "
        "keeps browsers' connections open between pages, which helps when no reverse proxy "
        "(such as nginx) stands in front of the site.",
    ),
]
AccessLog = Annotated[
    bool, typer.Option("--access-log", help="Print a line for every request served.")
]


def _say(step: int, total: int, text: str) -> None:
    typer.echo(f"[{step}/{total}] {text}")


def _serve(host: str, port: int, workers: int, access_log: bool, threads: int) -> None:
    from atrocity_watch.web import launch

    def started(url: str) -> None:
        typer.echo(f"Atrocity Watch is starting at {url} — open it in your web browser.")
        typer.echo("Press Ctrl+C to stop it.")

    launch.serve(host, port, workers, access_log, on_start=started, threads=threads)


@app.command("run")
@command_errors
def run(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Workers = 2,
    threads: Threads = 1,
    skip_data: Annotated[
        bool,
        typer.Option(
            "--skip-data", help="Do not prepare data now (start faster; pages say what is missing)."
        ),
    ] = False,
    access_log: AccessLog = False,
) -> None:
    """Set everything up and serve the web app: database, first administrator, data, pages.

    Safe to run again: each step does only what is still missing.
    """
    from atrocity_watch.web import launch

    total = 6
    home = launch.prepare_home()
    _say(1, total, f"All data is kept in {home}.")
    launch.setup_django()
    _say(2, total, f"Setting up the app database ({launch.database_description()}) …")
    launch.migrate()
    admin = launch.ensure_first_admin()
    if admin.created and admin.generated_password:
        _say(3, total, f"Created the first administrator, user name '{admin.username}'.")
        typer.echo(f"      Password: {admin.generated_password}")
        typer.echo(
            "      Write it down now: it is shown only this once. Change it after logging in."
        )
    elif admin.created:
        _say(
            3,
            total,
            f"Created the first administrator '{admin.username}' with the password given in "
            "ATROCITY_WATCH_ADMIN_PASSWORD.",
        )
    else:
        _say(3, total, "An administrator account already exists; nothing to create.")
    if skip_data:
        _say(4, total, "Skipping data preparation (--skip-data).")
    else:
        _say(
            4, total, "Preparing data (import, panels, forecasts, signals); this can take a while …"
        )
        try:
            step = launch.prepare_data(report=lambda line: typer.echo(f"      {line}"))
        except Exception as exc:  # the site is still useful without data; say why and go on
            typer.echo(f"      Data preparation failed: {exc}", err=True)
            typer.echo(
                "      The site starts anyway; its pages say which data is missing. Fix the "
                "problem and run this command again.",
                err=True,
            )
        else:
            typer.echo(f"      {step.message}")
    _say(5, total, "Preparing the page files (styles, scripts, map) …")
    launch.collect_static()
    _say(6, total, "Starting the web server …")
    _serve(host, port, workers, access_log, threads)


@app.command("serve")
@command_errors
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    workers: Workers = 2,
    threads: Threads = 1,
    access_log: AccessLog = False,
) -> None:
    """Only serve the web app (after `atrocity-watch run` has set it up once)."""
    from atrocity_watch.web import launch

    launch.prepare_home()
    launch.setup_django()
    launch.require_migrated()
    launch.collect_static()
    _serve(host, port, workers, access_log, threads)


@app.command("check-deploy")
@command_errors
def check_deploy(
    as_json: Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)] = False,
) -> None:
    """Check the web app's settings for a production server (HTTPS, secret key, cookies)."""
    from atrocity_watch.web import launch

    launch.prepare_home()
    launch.setup_django()
    problems = launch.deployment_problems()
    if as_json:
        print_json(problems)
    else:
        for problem in problems:
            hint = f" ({problem['hint']})" if problem["hint"] else ""
            typer.echo(f"{problem['id']}: {problem['message']}{hint}")
        if not problems:
            typer.echo("No problems found for a production deployment.")
    if problems:
        raise typer.Exit(1)
