"""``docs/sources.md``, generated from the source declarations (one place, no drift).

    python -m atrocity_watch.sources.docs > docs/sources.md

A test checks that the committed page equals what this module writes, so the page always
lists every source with its columns, key, country rule, licence and where its files come from.
"""

from __future__ import annotations

import sys

from atrocity_watch.sources._spec import Column, SourceSpec
from atrocity_watch.sources.datasets import SOURCES

_INTRO = """\
# Sources

Every dataset Atrocity Watch reads, as declared in `src/atrocity_watch/sources/datasets/`.
This page is generated from those declarations (`python -m atrocity_watch.sources.docs >
docs/sources.md`); a test fails when it is out of date.

How a file is read: columns are matched by name (order never matters, case is ignored);
plain, gzip and zip files are accepted (and, where a source says so, an Excel sheet); the
first problem found is reported with the file, the line and the column, and nothing is
imported. Every validated table keeps the publisher's column names and adds `iso3`, the
country registry's ISO 3166-1 alpha-3 key. A value that looks like a spreadsheet formula
(`=HYPERLINK(...)`, `+cmd`, `@SUM`) is kept as plain text and never evaluated.

`fetch` gets the files from the publisher, or from a mirror folder
(`ATROCITY_WATCH_MIRROR`) laid out either as on the publisher's site (the address without
`https://`) or as the source's *mirror patterns* below (the layout of the project's test data).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _range(column: Column) -> str:
    if column.allowed:
        return "one of " + ", ".join(f"`{v}`" for v in column.allowed)
    return column.range_text()


def _column_rows(spec: SourceSpec) -> list[str]:
    rows = [
        "| column | type | in every file | may be empty | allowed | description |",
        "|---|---|---|---|---|---|",
    ]
    for column in spec.columns:
        names = f"`{column.name}`"
        if column.aliases:
            names += " (also " + ", ".join(f"`{a}`" for a in column.aliases) + ")"
        rows.append(
            f"| {names} | {column.kind} | {'yes' if column.required else 'no'} | "
            f"{'yes' if column.nullable else 'no'} | {_cell(_range(column))} | "
            f"{_cell(column.description)} |"
        )
    for derived in spec.derived:
        rows.append(
            f"| `{derived.name}` | {derived.kind} | added | yes |  | {_cell(derived.description)} |"
        )
    for rule in spec.countries:
        rows.append(
            f"| `{rule.target}` | text | added | yes |  | ISO 3166-1 alpha-3 key from "
            f"`{rule.column}` (see the country rule) |"
        )
        if rule.separator is not None:
            rows.append(
                f"| `{rule.target}_all` | text | added | yes |  | every country listed in "
                f"`{rule.column}`, comma-separated ISO3 |"
            )
    return rows


def _section(spec: SourceSpec) -> list[str]:
    lines = [f"## `{spec.name}` — {spec.title}", "", spec.description, ""]
    facts = [
        ("Publisher", spec.publisher),
        ("Licence", spec.licence),
        ("Cite", spec.citation),
        ("Web page", spec.url),
        ("One row per", spec.unit),
        ("Unique key", " + ".join(f"`{k}`" for k in spec.key)),
        ("Encoding", spec.encoding + ("" if spec.encoding == "utf-8" else " (as published)")),
        ("Missing values", ", ".join(f"`{v}`" if v else "empty" for v in spec.null_values)),
        (
            "Other columns",
            {
                "ignore": "ignored (listed in the result's `ignored_columns`)",
                "keep_text": "kept as text",
                "keep_number": "kept, as numbers",
            }[spec.extra_columns],
        ),
    ]
    if not spec.raw_rows_shareable:
        facts.append(
            ("Sharing", "**raw rows may not be shown to other users; show aggregates only**")
        )
    if spec.sheet:
        facts.append(("Workbooks", f"the `{spec.sheet}` sheet of an Excel file is read"))
    lines += [f"- **{name}:** {value}" for name, value in facts]
    for rule in spec.countries:
        lines.append(f"- **Country key `{rule.target}`:** {rule.rule}")
    for layout in spec.layouts:
        lines.append(f"- **Layout `{layout.name}`:** {layout.description}")
    for rule_text in spec.rules:
        lines.append(f"- {rule_text}")
    for scope in spec.scope:
        lines.append(f"- Rows left out and counted: {scope.reason}.")
    for row_rule in spec.row_rules:
        lines.append(f"- Checked in every row (an error otherwise): {row_rule.reason}.")
    if spec.downloads:
        lines.append("- **Downloads:**")
        lines += [f"  - <{d.url}> — {d.description}" for d in spec.downloads]
    else:
        lines.append("- **Downloads:** none automatic; import the file, or use a mirror.")
    if spec.mirror_patterns:
        lines.append("- **Mirror patterns:** " + ", ".join(f"`{p}`" for p in spec.mirror_patterns))
    lines.append("")
    lines += _column_rows(spec)
    lines.append("")
    return lines


def sources_markdown() -> str:
    """The whole ``docs/sources.md`` page."""
    lines = [_INTRO, "| source | dataset | one row per | licence |", "|---|---|---|---|"]
    for spec in SOURCES:
        lines.append(
            f"| [`{spec.name}`](#{spec.name}--{_anchor(spec.title)}) | {_cell(spec.title)} | "
            f"{spec.unit} | {_cell(spec.licence.split(' — ')[0].split(':')[0])} |"
        )
    lines.append("")
    for spec in SOURCES:
        lines += _section(spec)
    return "\n".join(lines).rstrip() + "\n"


def _anchor(title: str) -> str:
    kept = "".join(ch for ch in title.lower() if ch.isalnum() or ch in " -")
    return kept.replace(" ", "-")


if __name__ == "__main__":
    sys.stdout.write(sources_markdown())
