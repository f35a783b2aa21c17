"""Turning a source's country codes and names into ISO 3166-1 alpha-3 keys.

The lookups themselves belong to the country registry (:mod:`atrocity_watch.countries`); this
module applies a source's :class:`CountryRule` to the distinct values of a file — a few hundred,
whatever the number of rows — and reports every value the registry does not know at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from atrocity_watch.sources._spec import CountryRule

NUMERIC_SCHEMES = frozenset({"gw", "cow", "iso_numeric", "ucdp", "vdem"})


@dataclass(frozen=True)
class Occurrence:
    """One distinct (value, year) of a country field, how many rows have it, and the first."""

    value: Any
    year: int | None
    rows: int
    first_row: int
    fallback: Any = None


@dataclass(frozen=True)
class Unknown:
    """A value the registry could not resolve, with the registry's closest matches."""

    value: str
    year: int | None
    first_row: int
    hint: str


@dataclass
class CountryMapping:
    """The outcome of mapping the distinct values of one country field."""

    rule: CountryRule
    # (raw value, year, iso3 or None, all iso3 or None, drop reason or None, fallback value)
    rows: list[tuple[Any, int | None, str | None, str | None, str | None, Any]] = field(
        default_factory=list
    )
    dropped: dict[str, int] = field(default_factory=dict)
    kept_without_key: dict[str, int] = field(default_factory=dict)
    unknown: list[Unknown] = field(default_factory=list)


def display_value(value: Any) -> str:
    """A raw value as the publisher wrote it (whole numbers without '.0')."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@lru_cache(maxsize=1)
def _registry() -> Any:
    from atrocity_watch.countries import get_registry

    return get_registry()


def _unknown_error_type() -> type[Exception]:
    from atrocity_watch.countries import UnknownCountryError

    return UnknownCountryError


def _out_of_scope_error_type() -> type[Exception]:
    from atrocity_watch.countries import CountryOutOfScopeError

    return CountryOutOfScopeError


ISO3_OVERRIDE = "iso3:"
"""Prefix of an override value that gives the registry key directly (``"iso3:XKX"``)."""

OUT_OF_SCOPE_STATE = "a State that ended before 1946 (Atrocity Watch covers 1946 on)"


def _resolve(rule: CountryRule, scheme: str, value: str, year: int | None) -> str:
    """ISO3 of one value; raises the registry's UnknownCountryError when it cannot."""
    registry = _registry()
    if value.startswith(ISO3_OVERRIDE):
        # A source-specific override naming the registry key itself.
        return str(registry.by_iso3(value[len(ISO3_OVERRIDE) :]).iso3)
    lookup: Any = int(value) if scheme in NUMERIC_SCHEMES else value
    try:
        return str(registry.resolve(lookup, scheme=scheme, year=year).iso3)
    except _unknown_error_type():
        if not rule.any_year or year is None:
            raise
        # The code exists in other years; take it when it always means the same country.
        return str(registry.resolve(lookup, scheme=scheme, year=None).iso3)


def map_countries(rule: CountryRule, occurrences: Iterable[Occurrence]) -> CountryMapping:
    """Resolve each distinct value by the rule; collect drops, keeps and unknowns."""
    result = CountryMapping(rule)
    unknown_error = _unknown_error_type()
    out_of_scope = _out_of_scope_error_type()
    out_pattern = re.compile(rule.out_of_scope_pattern) if rule.out_of_scope_pattern else None
    keep_pattern = re.compile(rule.unmapped_pattern) if rule.unmapped_pattern else None
    for occ in occurrences:
        scheme = rule.scheme
        raw = occ.value
        if raw is None and rule.fallback_column is not None:
            scheme, raw = rule.fallback_scheme or "name", occ.fallback
        text = display_value(raw)
        reason = rule.out_of_scope.get(text)
        if reason is None and out_pattern is not None and out_pattern.search(text):
            reason = rule.out_of_scope_pattern_reason
        if reason is not None:
            result.rows.append((occ.value, occ.year, None, None, reason, occ.fallback))
            result.dropped[reason] = result.dropped.get(reason, 0) + occ.rows
            continue
        keep = rule.unmapped.get(text)
        if keep is None and keep_pattern is not None and keep_pattern.search(text):
            keep = rule.unmapped_pattern_reason
        if keep is not None:
            result.rows.append((occ.value, occ.year, None, None, None, occ.fallback))
            result.kept_without_key[keep] = result.kept_without_key.get(keep, 0) + occ.rows
            continue
        parts = [text] if rule.separator is None else _split(text, rule.separator)
        codes: list[str] = []
        ended = failed = False
        for part in parts:
            lookup = rule.overrides.get(part, part)
            try:
                codes.append(_resolve(rule, scheme, lookup, occ.year))
            except out_of_scope:
                ended = True
            except (unknown_error, ValueError) as exc:
                failed = True
                hint = str(exc) if isinstance(exc, unknown_error) else "not a valid code"
                result.unknown.append(Unknown(part, occ.year, occ.first_row, hint))
        if failed:
            continue  # reported as an error with all the other unknown values
        if ended and not codes:
            result.rows.append((occ.value, occ.year, None, None, OUT_OF_SCOPE_STATE, occ.fallback))
            result.dropped[OUT_OF_SCOPE_STATE] = (
                result.dropped.get(OUT_OF_SCOPE_STATE, 0) + occ.rows
            )
            continue
        ordered = list(dict.fromkeys(codes))
        result.rows.append((occ.value, occ.year, ordered[0], ",".join(ordered), None, occ.fallback))
    return result


def _split(text: str, separator: str) -> list[str]:
    parts = [p.strip() for p in text.split(separator)]
    return [p for p in parts if p] or [text]
