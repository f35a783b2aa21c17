"""Country look-ups for the web app, from the country registry (:mod:`atrocity_watch.countries`).

The web app keys countries by ISO 3166-1 alpha-3, like every layer. This module is its one door
to the registry: names for pages, choice lists for forms, and the countries a membership's scope
(a UN M49 region or an organisation such as the AU) covers. Answers are cached for the process;
the registry is packaged data and does not change while the server runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from atrocity_watch.errors import AtrocityWatchError


class ScopeError(AtrocityWatchError):
    """A membership names a region or organisation the country registry does not know."""


@dataclass(frozen=True)
class CountryInfo:
    """What pages need to know about one current country."""

    iso3: str
    name: str
    region: str
    subregion: str


def _registry() -> Any:
    from atrocity_watch.countries import get_registry

    return get_registry()


@cache
def current_countries() -> tuple[CountryInfo, ...]:
    """Every current (not historical) country, sorted by name."""
    found = [
        CountryInfo(
            iso3=c.iso3,
            name=c.name,
            region=region_name(c.m49_region),
            subregion=region_name(c.m49_subregion),
        )
        for c in _registry().all(include_historical=False)
    ]
    return tuple(sorted(found, key=lambda c: c.name))


def region_name(code: str | None) -> str:
    """The English name of a UN M49 region code ("002" → "Africa"); empty for None."""
    if not code:
        return ""
    return _region_names().get(code, code)


@cache
def _region_names() -> dict[str, str]:
    return {r.code: r.name for r in _registry().regions()}


def canonical_region(name_or_code: str) -> str:
    """The M49 code of a region given by name or code, or :class:`ScopeError`."""
    try:
        return str(_registry().region(name_or_code).code)
    except AtrocityWatchError as exc:
        raise ScopeError(str(exc)) from None


def canonical_organisation(code_or_name: str) -> str:
    """The registry's code of an organisation given by code or name, or :class:`ScopeError`."""
    try:
        return str(_registry().organisation(code_or_name).code)
    except AtrocityWatchError as exc:
        raise ScopeError(str(exc)) from None


@cache
def _names() -> dict[str, str]:
    return {c.iso3: c.name for c in _registry().all(include_historical=True)}


def country_name(iso3: str) -> str:
    """The country's name, or the code itself for a code the registry does not know."""
    return _names().get(iso3.upper(), iso3.upper())


def is_country(iso3: str) -> bool:
    """True when ``iso3`` is a country the registry knows (current or historical)."""
    return iso3.upper() in _names()


@cache
def region_choices() -> tuple[tuple[str, str], ...]:
    """UN M49 regions, sub-regions and intermediate regions as (code, label) pairs."""
    levels = {"region": 0, "subregion": 1, "intermediate": 2}
    found = sorted(_registry().regions(), key=lambda r: (levels.get(r.level, 3), r.name))
    return tuple(
        (r.code, r.name if r.level == "region" else f"{r.name} ({r.level.replace('sub', 'sub-')})")
        for r in found
    )


@cache
def organisation_choices() -> tuple[tuple[str, str], ...]:
    """Organisations the registry knows (AU, ECOWAS, EU, …) as (code, label) pairs."""
    result = []
    for org in _registry().organisations():
        result.append((org.code, f"{org.name} ({org.code})" if org.name != org.code else org.code))
    return tuple(sorted(result))


@cache
def countries_of_region(region: str) -> frozenset[str]:
    """ISO3 codes of the current countries in a UN M49 region or sub-region."""
    try:
        members = _registry().in_region(region)
    except AtrocityWatchError as exc:
        raise ScopeError(f"The region {region!r} is not a UN M49 region: {exc}") from None
    codes = frozenset(c.iso3 for c in members)
    if not codes:
        raise ScopeError(f"The region {region!r} contains no country in the registry.")
    return codes


@cache
def countries_of_organisation(code: str) -> frozenset[str]:
    """ISO3 codes of the current members of an organisation (AU, ECOWAS, EU, …)."""
    try:
        members = _registry().members(code)
    except AtrocityWatchError as exc:
        raise ScopeError(f"The organisation {code!r} is not known: {exc}") from None
    codes = frozenset(c.iso3 for c in members)
    if not codes:
        raise ScopeError(f"The organisation {code!r} has no member in the registry.")
    return codes
