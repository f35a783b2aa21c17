"""`atrocity-watch evidence ...`: the evidence library from the command line.

Add documents, see which Framework risk factors and indicators their passages may be evidence
for, search passages, record analysts' judgements and retrain the classifier that learns from
them. Everything runs offline.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, fail, print_json

if TYPE_CHECKING:
    from atrocity_watch.evidence import Suggestion

app = typer.Typer(
    help="The evidence library: add UN, NGO and news documents (PDF, HTML, Word, text) in any of "
    "the main UN languages, see which risk factors and indicators of the Framework of Analysis "
    "their passages may be evidence for, and search them.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]
MethodOption = Annotated[
    str,
    typer.Option(
        "--method",
        help="How suggestions are made: learned (default; learns from analysts' decisions), "
        "zero-shot (compares with the Framework's descriptions) or tfidf (word-fragment baseline).",
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Embedding model: use (default) or e5 (slower; needs the evidence-heavy extra).",
    ),
]


def _suggestion_text(suggestions: list[Suggestion]) -> str:
    from atrocity_watch.framework import get_framework

    framework = get_framework()
    parts = []
    for s in suggestions:
        where = s.indicator or f"RF{s.risk_factor}"
        name = framework.risk_factor(s.risk_factor).name
        parts.append(f"{where} {name} ({s.score:.2f})")
    return "; ".join(parts)


@app.command("suggest")
@command_errors
def suggest(
    text: Annotated[
        str | None, typer.Option("--text", help="One passage to analyse, in quotes.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="A UTF-8 text file with one passage per line."),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", help="How many risk factors to suggest per passage (1-14).")
    ] = 3,
    method: MethodOption = "learned",
    model: ModelOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Suggest the risk factors and indicators a passage is evidence for, with a score.

    Give one passage with --text, or many with --file (one per line). Scores are between 0 and 1;
    higher means more likely. The indicator is empty when a risk factor's indicators are not in
    the data (risk factor 14).
    """
    from atrocity_watch.evidence import detect_language
    from atrocity_watch.evidence._suggest import get_suggester

    if (text is None) == (file is None):
        fail('give either --text "a passage" or --file FILE (one passage per line), not both')
    if text is not None:
        passages = [text]
        if not text.strip():
            fail("the --text passage is empty")
    else:
        assert file is not None
        try:
            raw = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            fail(f"{file}: no such file")
        except UnicodeDecodeError as exc:
            line = file.read_bytes()[: exc.start].count(b"\n") + 1
            fail(f"{file}, line {line}: not UTF-8 text; save the file as UTF-8")
        except OSError as exc:
            fail(f"{file}: cannot be read ({exc.strerror})")
        passages = [line.strip() for line in raw.splitlines() if line.strip()]
        if not passages:
            fail(f"{file}: holds no passages (one passage per line)")
    suggester = get_suggester(method, model)
    results: list[dict[str, Any]] = []
    found = []
    for start in range(0, len(passages), 64):
        found.extend(suggester.suggest(passages[start : start + 64], top))
    for passage, suggestions in zip(passages, found, strict=True):
        results.append(
            {
                "language": detect_language(passage),
                "suggestions": [s.to_json() for s in suggestions],
            }
        )
    if as_json:
        print_json(results[0] if text is not None else results)
        return
    for passage, result, suggestions in zip(passages, results, found, strict=True):
        excerpt = passage if len(passage) <= 90 else passage[:87] + "..."
        typer.echo(f"[{result['language']}] {excerpt}")
        typer.echo(f"  -> {_suggestion_text(suggestions)}")


@app.command("add")
@command_errors
def add(
    paths: Annotated[
        list[Path], typer.Argument(help="Documents to add: PDF, HTML, Word (.docx) or text.")
    ],
    country: Annotated[
        str | None,
        typer.Option("--country", help="The country the documents are about (ISO3, e.g. SYR)."),
    ] = None,
    source_url: Annotated[
        str | None,
        typer.Option("--source-url", help="Where the document was published (https://...)."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title to show and cite.")] = None,
    method: MethodOption = "learned",
    model: ModelOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Add documents: keep the original, split it into passages and suggest indicators.

    A file already in the library (same content) is reported and not added twice. A damaged,
    password-protected or empty file is refused with the reason, and nothing of it is stored;
    the other files are still added.
    """
    from rich.progress import Progress

    from atrocity_watch.evidence import DocumentError, EvidenceLibrary
    from atrocity_watch.evidence._suggest import get_suggester

    library = EvidenceLibrary()
    suggester = get_suggester(method, model)
    report: list[dict[str, Any]] = []
    errors: list[str] = []
    with Progress(transient=True, disable=as_json) as progress:
        for path in paths:
            task = progress.add_task(f"{path.name}", total=None)

            def advance(done: int, total: int, task: Any = task) -> None:
                progress.update(task, completed=done, total=total)

            try:
                result = library.add(
                    path,
                    country=country,
                    source_url=source_url,
                    title=title,
                    suggester=suggester,
                    progress=advance,
                )
            except DocumentError as exc:
                errors.append(str(exc))
                report.append({"file": str(path), "status": "error", "error": str(exc)})
                continue
            finally:
                progress.remove_task(task)
            status = "added" if result.created else "duplicate"
            report.append(
                {"file": str(path), "status": status, "document": result.document.to_json()}
            )
    if as_json:
        print_json(report)
    else:
        for entry in report:
            if entry["status"] == "error":
                continue
            doc = entry["document"]
            what = (
                f"added as document {doc['id']}"
                if entry["status"] == "added"
                else f"already in the library as document {doc['id']} (same content); not added"
            )
            typer.echo(
                f"{entry['file']}: {what} - {doc['passage_count']} passages, "
                f"language {doc['language']}, countries {', '.join(doc['countries']) or 'none'}"
            )
    for message in errors:
        typer.echo(f"Error: {message}", err=True)
    if errors:
        raise typer.Exit(2)


@app.command("list")
@command_errors
def list_documents(
    country: Annotated[
        str | None, typer.Option("--country", help="Only documents about this country (ISO3).")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Only documents in this language (fr, ar...).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the documents in the library, newest first."""
    from rich.console import Console
    from rich.table import Table

    from atrocity_watch.evidence import EvidenceLibrary

    documents = EvidenceLibrary().documents(country=country, language=language)
    if as_json:
        print_json([d.to_json() for d in documents])
        return
    if not documents:
        typer.echo(
            "The library holds no documents yet: add some with `atrocity-watch evidence add`."
        )
        return
    table = Table(title="Evidence library")
    for column in ("Id", "Title or file", "Language", "Countries", "Passages", "Added"):
        table.add_column(column)
    for d in documents:
        table.add_row(
            str(d.id),
            d.title or d.file_name,
            d.language,
            ", ".join(d.countries[:6]) + (" ..." if len(d.countries) > 6 else ""),
            str(d.passage_count),
            d.added_at.date().isoformat(),
        )
    Console().print(table)


@app.command("show")
@command_errors
def show(
    document_id: Annotated[int, typer.Argument(help="The document's id (see `evidence list`).")],
    as_json: JsonFlag = False,
) -> None:
    """Show a document's passages with their page, language and suggestions."""
    from atrocity_watch.evidence import EvidenceLibrary

    library = EvidenceLibrary()
    document = library.document(document_id)
    passages = library.passages(document_id)
    if as_json:
        print_json({**document.to_json(), "passages": [p.to_json() for p in passages]})
        return
    typer.echo(f"{document.title or document.file_name} ({document.language}, {document.sha256})")
    for p in passages:
        page = f"p. {p.page}, " if p.page is not None else ""
        typer.echo(f"\n[{p.id}] {page}{p.language} {', '.join(p.countries)}")
        typer.echo(p.text)
        if p.suggestions:
            typer.echo(f"  -> {_suggestion_text(list(p.suggestions[:3]))}")


@app.command("delete")
@command_errors
def delete(
    document_id: Annotated[int, typer.Argument(help="The document's id (see `evidence list`).")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Delete without asking (for scripts).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Remove a document added by mistake: its passages, suggestions, judgements and original.

    Evidence already attached to an assessment keeps its citation (it is a copy); decisions in
    the web app keep pointing at the passage number, which no longer opens.
    """
    from atrocity_watch.evidence import EvidenceLibrary

    library = EvidenceLibrary()
    document = library.document(document_id)
    name = document.title or document.file_name
    if not yes and not typer.confirm(
        f"Delete document {document_id} ({name}, {document.passage_count} passages)?"
    ):
        fail("nothing deleted")
    library.delete_document(document_id)
    if as_json:
        print_json({"deleted": document.to_json()})
    else:
        typer.echo(f"Deleted document {document_id} ({name}).")


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date written YYYY-MM-DD. Got {value!r} instead.")


@app.command("search")
@command_errors
def search(
    query: Annotated[
        str,
        typer.Argument(
            help='Words to find (all must appear); "quoted phrase"; prefix* for word beginnings.'
        ),
    ] = "",
    country: Annotated[str | None, typer.Option("--country", help="ISO3 country code.")] = None,
    indicator: Annotated[
        str | None, typer.Option("--indicator", help="Framework indicator, e.g. 7.14.")
    ] = None,
    risk_factor: Annotated[
        int | None, typer.Option("--risk-factor", help="Framework risk factor, 1-14.")
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="e.g. en, fr, ar.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Passages mentioning a date on or after YYYY-MM-DD."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Passages mentioning a date up to YYYY-MM-DD.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many results.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Search passages by words, country, indicator, risk factor, language and date."""
    from atrocity_watch.evidence import EvidenceLibrary

    hits = EvidenceLibrary().search(
        query,
        country=country,
        indicator=indicator,
        risk_factor=risk_factor,
        language=language,
        since=_parse_date(since, "--since"),
        until=_parse_date(until, "--until"),
        limit=limit,
    )
    if as_json:
        print_json([h.to_json() for h in hits])
        return
    if not hits:
        typer.echo("No passage matches.")
        return
    for hit in hits:
        typer.echo(f"[{hit.passage.id}] {hit.citation()}")
        typer.echo(f"  {hit.snippet}")


@app.command("judge")
@command_errors
def judge(
    passage_id: Annotated[int, typer.Argument(help="The passage's id (see `evidence show`).")],
    risk_factor: Annotated[int, typer.Option("--risk-factor", help="Framework risk factor, 1-14.")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who made the decision.")],
    indicator: Annotated[
        str | None, typer.Option("--indicator", help="Framework indicator, e.g. 7.14.")
    ] = None,
    reject: Annotated[
        bool, typer.Option("--reject", help="Record that the passage is NOT evidence for it.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Record an analyst's decision on a passage (accepted unless --reject), to learn from."""
    from atrocity_watch.evidence import EvidenceLibrary

    judgement = EvidenceLibrary().record_judgement(
        passage_id,
        risk_factor=risk_factor,
        indicator=indicator,
        accepted=not reject,
        reviewer=reviewer,
    )
    data = {
        "passage_id": judgement.passage_id,
        "risk_factor": judgement.risk_factor,
        "indicator": judgement.indicator,
        "accepted": judgement.accepted,
        "reviewer": judgement.reviewer,
        "decided_at": judgement.decided_at,
    }
    if as_json:
        print_json(data)
    else:
        verdict = "accepted" if judgement.accepted else "rejected"
        typer.echo(f"Passage {passage_id}: risk factor {risk_factor} {verdict}.")


@app.command("train")
@command_errors
def train(
    model: ModelOption = None,
    resuggest: Annotated[
        bool,
        typer.Option(
            "--resuggest/--no-resuggest",
            help="Also redo the stored suggestions of every passage with the new classifier.",
        ),
    ] = True,
    as_json: JsonFlag = False,
) -> None:
    """Retrain the classifier on the packaged examples plus every analyst's judgement."""
    from rich.progress import Progress

    from atrocity_watch.evidence import EvidenceLibrary
    from atrocity_watch.evidence._suggest import (
        classifier_path,
        get_suggester,
        train_classifier,
    )

    library = EvidenceLibrary()
    judgements = library.judgements()
    classifier = train_classifier(judgements, model=model)
    path = classifier_path(model)
    classifier.save(
        path,
        {
            "judgements": len(judgements),
            "trained_on": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    updated = 0
    if resuggest:
        with Progress(transient=True, disable=as_json) as progress:
            task = progress.add_task("suggestions", total=None)
            updated = library.resuggest(
                get_suggester("learned", model),
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    data = {
        "classifier": str(path),
        "judgements": len(judgements),
        "passages_judged": classifier.n_judged_,
        "risk_factors_with_own_model": int(classifier.fitted_.sum()),
        "passages_resuggested": updated,
    }
    if as_json:
        print_json(data)
    else:
        typer.echo(
            f"Trained on {classifier.n_judged_} judged passages ({len(judgements)} analysts' "
            f"judgements); {data['risk_factors_with_own_model']} of 14 risk factors have their "
            f"own model. Saved to {path}. Suggestions redone for {updated} passages."
        )


@app.command("evaluate")
@command_errors
def evaluate(
    split: Annotated[
        str,
        typer.Option(
            "--split",
            help="test (held out, default), train, or train-cv (cross-validated on the "
            "training passages: how settings are chosen).",
        ),
    ] = "test",
    model: ModelOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Measure each suggestion method on the packaged labelled passages (top-1, top-3, F1)."""
    import warnings

    from atrocity_watch.evidence._evaluate import evaluate as run

    if split not in ("test", "train", "train-cv"):
        fail(f"--split must be test, train or train-cv. Got {split!r} instead.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = run(split=split, model=model)
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    typer.echo("method      language  passages  top-1  top-3  macro-F1")
    for r in rows:
        typer.echo(
            f"{r.method:<11} {r.language:<9} {r.passages:>8}  {r.top1:.3f}  {r.top3:.3f}  "
            f"{r.macro_f1:.3f}"
        )
