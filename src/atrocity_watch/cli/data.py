"""`atrocity-watch data ...`: bring source data into the warehouse and see what is there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, fail, print_json

if TYPE_CHECKING:
    from atrocity_watch.warehouse import ImportReport, Provenance

app = typer.Typer(
    help="Bring source data (UCDP, ACLED, V-Dem, EPR, World Bank, PTS, EWP …) into the "
    "warehouse and see what it holds. Every import keeps the file, its checksum, licence and "
    "citation; a failed import leaves the data exactly as it was.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]


@contextmanager
def rich_progress(enabled: bool = True) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing a rich progress bar on stderr (None when disabled)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def update(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total or None)

        yield update


def _print_report(report: ImportReport, what: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if report.loads:
        table = Table(title=what)
        for column in ("Source", "Result", "Rows", "Files", "Version"):
            table.add_column(column)
        for load in report.loads:
            versions = sorted({p.version for p in load.files if p.version})
            table.add_row(
                load.source,
                load.action.value,
                f"{load.rows:,}",
                "\n".join(p.file_name for p in load.files),
                ", ".join(versions),
            )
        console.print(table)
        for load in report.loads:
            if not load.changed or load.duplicates_dropped:
                console.print(load.message, soft_wrap=True)
            for note in load.notes:
                console.print(f"[yellow]{load.source}: {note}[/]", soft_wrap=True)
    for skipped in report.skipped:
        console.print(f"[dim]skipped {skipped.path}: {skipped.reason}[/]", soft_wrap=True)
    for failed in report.failed:
        console.print(
            f"[bold red]FAILED[/] {failed.source or ''} {failed.path}: {failed.error}",
            soft_wrap=True,
        )


def _finish(report: ImportReport, as_json: bool, what: str) -> None:
    if as_json:
        print_json(report.as_dict())
    else:
        _print_report(report, what)
    if report.failed:
        names = ", ".join(sorted({f.source or f.path for f in report.failed}))
        fail(
            f"{len(report.failed)} source(s) could not be imported ({names}); their previous "
            "data is unchanged"
        )


@app.command("import")
@command_errors
def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A data file (CSV, also .gz or .zip) or a folder of files as downloaded "
            "from the publishers.",
            show_default=False,
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Read the file(s) as this source (for example ucdp_ged) instead of "
            "recognising them by their columns. See `atrocity-watch data sources`.",
        ),
    ] = None,
    add: Annotated[
        bool,
        typer.Option(
            "--add",
            help="Add the file(s) to what the source already holds (for example another "
            "country's ACLED export) instead of replacing it with a new version.",
        ),
    ] = False,
    sample: Annotated[
        bool | None,
        typer.Option(
            "--sample/--complete",
            help="--sample: the file holds only some of the events for its countries and "
            "period; keep its rows, but never count a month as covered (panel values stay "
            "missing). --complete: it holds them all. Default: a sample when its name says "
            "'sample', otherwise complete.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Import a data file or a whole folder into the warehouse.

    Files are recognised by their columns. In a folder, files that belong to no known source
    are listed and skipped; the files of each source together become its new version. The
    same file imported twice changes nothing. If a file is faulty, the error names the file,
    line and column, and the warehouse keeps its previous data.
    """
    from atrocity_watch.warehouse import Warehouse

    if not path.exists():
        fail(f"{path} does not exist")
    with rich_progress() as progress:
        report = Warehouse().import_path(
            path, source, mode="add" if add else "replace", sample=sample, progress=progress
        )
    _finish(report, as_json, f"Imported from {path}")


@app.command("fetch")
@command_errors
def fetch_command(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Sources to fetch (for example ucdp_ged vdem); all of them when none is given.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Download the publishers' latest files and import them.

    With ATROCITY_WATCH_MIRROR set to a folder (for closed networks), the files are copied
    from that folder instead of the internet. With ATROCITY_WATCH_OFFLINE=true and no mirror,
    nothing is fetched and the report says so. Each source is imported on its own: one that
    fails keeps its previous data.
    """
    from atrocity_watch.warehouse import refresh_sources

    with rich_progress() as progress:
        report = refresh_sources(progress, sources=sources or None)
    _finish(report, as_json, "Fetched and imported")


def _status_rows(files: list[Provenance], coverage: dict[str, tuple[int, str]]) -> list[Any]:
    rows = []
    for p in files:
        countries, period = coverage.get(p.file_name, (0, ""))
        rows.append(
            {
                **p.as_dict(),
                "covered_countries": countries,
                "covered_period": period,
            }
        )
    return rows


@app.command("status")
@command_errors
def status_command(as_json: JsonFlag = False) -> None:
    """Show what the warehouse holds: per source its files, version, rows, checksum, when
    they were imported, the licence and how to cite them."""
    from rich.console import Console
    from rich.table import Table

    from atrocity_watch.warehouse import Warehouse

    wh = Warehouse()
    files = wh.status()
    spans: dict[str, tuple[int, str]] = {}
    by_file: dict[tuple[str, str], list[Any]] = {}
    for span in wh.coverage():
        by_file.setdefault((span.source, span.file_name), []).append(span)
    for (_, name), found in by_file.items():
        countries = {s.iso3 for s in found}
        period = f"{min(s.start for s in found):%Y-%m} to {max(s.end for s in found):%Y-%m}"
        spans[name] = (0 if countries == {"*"} else len(countries), period)
    tables = {t.name: t for t in wh.tables()}
    if as_json:
        by_source: dict[str, dict[str, Any]] = {}
        for row in _status_rows(files, spans):
            entry = by_source.setdefault(
                row["source"],
                {
                    "source": row["source"],
                    "rows": tables[f"src_{row['source']}"].rows,
                    "licence": row["licence"],
                    "citation": row["citation"],
                    "files": [],
                },
            )
            entry["files"].append(row)
        print_json(
            {
                "warehouse": str(wh.path),
                "sources": list(by_source.values()),
                "derived_tables": [t.as_dict() for t in tables.values() if t.kind != "source"],
            }
        )
        return
    console = Console()
    if not files:
        console.print(
            f"The warehouse {wh.path} holds no source data yet. Import files with "
            "`atrocity-watch data import PATH` or fetch them with `atrocity-watch data fetch`."
        )
        return
    table = Table(title=f"Source data in {wh.path}")
    for column in ("Source", "Version", "Rows", "File", "SHA-256", "Imported (UTC)", "Covers"):
        table.add_column(column)
    for row in _status_rows(files, spans):
        countries, period = row["covered_countries"], row["covered_period"]
        if row["coverage"] == "sample":
            covers = "sample: nothing counts as covered"
        elif not period:
            covers = "where it has rows"
        else:
            covers = f"{countries or 'all'} countries, {period}"
        table.add_row(
            row["source"],
            row["version"] or "",
            f"{row['rows']:,}",
            row["file_name"],
            row["sha256"][:16] + "…",
            f"{row['imported_at']:%Y-%m-%d %H:%M}",
            covers,
        )
    console.print(table)
    console.print("[bold]Licences and citations[/]")
    seen: set[str] = set()
    for p in files:
        if p.source in seen:
            continue
        seen.add(p.source)
        console.print(f"[bold]{p.source}[/] ({p.title}) — licence: {p.licence}")
        console.print(f"  cite: {p.citation}")
    derived = [t for t in tables.values() if t.kind != "source"]
    if derived:
        console.print("[bold]Derived tables[/]")
        for t in derived:
            console.print(f"  {t.name}: {t.rows:,} rows, written {t.written_at:%Y-%m-%d %H:%M} UTC")


@app.command("sources")
@command_errors
def sources_command(as_json: JsonFlag = False) -> None:
    """List the sources the system can import, with their publishers and licences."""
    from rich.console import Console
    from rich.table import Table

    from atrocity_watch.sources import SOURCES

    if as_json:
        print_json(
            [
                {
                    "name": s.name,
                    "title": s.title,
                    "publisher": s.publisher,
                    "licence": s.licence,
                    "url": s.url,
                }
                for s in SOURCES
            ]
        )
        return
    table = Table(title="Sources Atrocity Watch can import")
    for column in ("Name", "Dataset", "Publisher", "Licence"):
        table.add_column(column)
    for s in SOURCES:
        table.add_row(s.name, s.title, s.publisher, s.licence)
    Console().print(table)
