"""Matching a file's header to a source's declared columns (order never matters).

Names are compared case-insensitively after trimming spaces. A layout's ``renames`` and a
column's ``aliases`` give the other names a publisher has used for the same column.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._spec import Layout, SourceSpec

ROW_NAMES = "_row_names"
"""Internal name of an unnamed first column (R's row names, as in EWP's files); never kept."""


def fold(name: str) -> str:
    """The form in which header names are compared."""
    return name.strip().lower()


@dataclass(frozen=True)
class HeaderMap:
    """Where each declared column is in a file, and what else the file holds."""

    layout: str
    positions: dict[str, int]  # declared column -> position in the file
    extras: tuple[tuple[int, str], ...]  # (position, publisher's name) of undeclared columns
    width: int


def choose_layout(spec: SourceSpec, header: Sequence[str]) -> Layout | None:
    """The first declared layout whose signature columns are all in ``header``."""
    present = {fold(h) for h in header}
    for layout in spec.layouts:
        if all(fold(col) in present for col in layout.signature):
            return layout
    return None


def _lookup(spec: SourceSpec, layout: Layout | None) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in spec.columns:
        table[fold(column.name)] = column.name
        for alias in column.aliases:
            table[fold(alias)] = column.name
    if layout is not None:
        for publisher, declared in layout.renames.items():
            table[fold(publisher)] = declared
    return table


def match_score(spec: SourceSpec, header: Sequence[str]) -> float:
    """How well a header fits a source: 0 when a required column is missing.

    The score is the share of the header's columns the source declares, plus the number of
    required columns found, so that the most specific source wins a tie.
    """
    if not header:
        return 0.0
    lookup = _lookup(spec, choose_layout(spec, header))
    found = {lookup[fold(h)] for h in header if fold(h) in lookup}
    required = [c.name for c in spec.required_columns]
    if not required or any(name not in found for name in required):
        return 0.0
    return len(found) / len(header) + len(required)


def map_header(spec: SourceSpec, header: Sequence[str], file: str) -> HeaderMap:
    """Locate every declared column in ``header``; raise for missing or repeated columns."""
    if len(header) == 1 and _looks_delimited(header[0]):
        delimiter = _guess_delimiter(header[0])
        raise SourceFormatError(
            file,
            line=1,
            reason=f"the header is one column {header[0][:80]!r}: the file seems to use "
            f"{delimiter!r} between values, but {spec.title} files use commas",
        )
    layout = choose_layout(spec, header)
    lookup = _lookup(spec, layout)
    positions: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    for index, raw_name in enumerate(header):
        name = raw_name.strip()
        declared = lookup.get(fold(name))
        if declared is None:
            extras.append((index, name or ROW_NAMES))
            continue
        if declared in positions:
            first = header[positions[declared]]
            raise SourceFormatError(
                file,
                line=1,
                column=declared,
                reason=f"the header has column {declared!r} twice "
                f"(as {first!r} in position {positions[declared] + 1} and as {name!r} in "
                f"position {index + 1})",
            )
        positions[declared] = index
    missing = [c.name for c in spec.required_columns if c.name not in positions]
    if missing:
        raise SourceFormatError(
            file, line=1, column=missing[0], reason=_missing_message(spec, missing, header)
        )
    return HeaderMap(
        layout=layout.name if layout else "default",
        positions=positions,
        extras=tuple(extras),
        width=len(header),
    )


def _missing_message(spec: SourceSpec, missing: list[str], header: Sequence[str]) -> str:
    names = ", ".join(repr(m) for m in missing)
    plural = "s" if len(missing) > 1 else ""
    hints = []
    unknown = [h for h in header if fold(h) not in _lookup(spec, None)]
    for name in missing:
        close = difflib.get_close_matches(name.lower(), [u.lower() for u in unknown], n=1)
        if close:
            original = next(u for u in unknown if u.lower() == close[0])
            hints.append(f"{original!r} looks like a renamed {name!r}")
    shown = ", ".join(h for h in header[:20]) + (", ..." if len(header) > 20 else "")
    message = (
        f"required column{plural} {names} missing for {spec.title} ({spec.name}); "
        f"the header has: {shown}"
    )
    if hints:
        message += "; " + "; ".join(hints)
    return message


def _looks_delimited(single: str) -> bool:
    return any(sep in single for sep in (";", "\t", "|"))


def _guess_delimiter(single: str) -> str:
    counts = {sep: single.count(sep) for sep in (";", "\t", "|")}
    return max(counts, key=lambda sep: counts[sep])
