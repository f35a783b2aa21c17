"""Typed, frozen values of the country registry and its small exception family."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from atrocity_watch.errors import AtrocityWatchError

#: The code schemes the registry can resolve, with the words used for them in messages.
SCHEMES: dict[str, str] = {
    "name": "name",
    "iso3": "ISO 3166 alpha-3 code",
    "iso2": "ISO 3166 alpha-2 code",
    "iso_numeric": "ISO 3166 numeric code",
    "gw": "Gleditsch-Ward number",
    "gw_letters": "Gleditsch-Ward letter code",
    "cow": "Correlates of War number",
    "cow_letters": "Correlates of War letter code",
    "ucdp": "UCDP country id",
    "vdem": "V-Dem country_id",
    "pitf": "PITF/Early Warning Project letter code (sftgcode)",
}


class CountryError(AtrocityWatchError):
    """Base of the country registry's errors."""


class RegistryDataError(CountryError):
    """A packaged registry data file is malformed (a bug in the package, not in user input)."""


class UnknownCountryError(CountryError, LookupError):
    """A name or code that the registry cannot resolve to exactly one country.

    ``value`` is what was asked for; ``suggestions`` holds ``(name, iso3)`` pairs of the
    closest known matches, best first. The message lists them so a person can fix the input.
    """

    def __init__(
        self,
        value: object,
        suggestions: Sequence[tuple[str, str]] = (),
        *,
        scheme: str = "name",
        reason: str | None = None,
    ) -> None:
        self.value = value
        self.scheme = scheme
        self.suggestions: tuple[tuple[str, str], ...] = tuple(suggestions)
        self.reason = reason
        super().__init__(self._message())

    def _message(self) -> str:
        what = "country" if self.scheme == "name" else f"{SCHEMES.get(self.scheme, self.scheme)}"
        text = f"Unknown {what} {self.value!r}"
        if self.reason:
            text += f": {self.reason}"
        text += "."
        if self.suggestions:
            listed = ", ".join(f"{name} ({iso3})" for name, iso3 in self.suggestions)
            text += f" Closest matches: {listed}"
        else:
            text += " No close match."
        return text


class AmbiguousCountryError(UnknownCountryError):
    """A name or code that fits several countries; the message lists them."""

    def _message(self) -> str:
        what = "country name" if self.scheme == "name" else SCHEMES.get(self.scheme, self.scheme)
        listed = ", ".join(f"{name} ({iso3})" for name, iso3 in self.suggestions)
        hint = self.reason or "give a fuller name, a code or a year"
        return f"Ambiguous {what} {self.value!r}: it can mean {listed}. Please {hint}."


class CountryOutOfScopeError(UnknownCountryError):
    """A code or name of a State that ended before 1946, which Atrocity Watch does not cover."""

    def _message(self) -> str:
        what = "country" if self.scheme == "name" else SCHEMES.get(self.scheme, self.scheme)
        what = what[0].upper() + what[1:]
        return f"{what} {self.value!r} is {self.reason}; Atrocity Watch covers 1946 on."


class UnknownOrganisationError(CountryError, LookupError):
    """An organisation or region that the registry does not know."""


@dataclass(frozen=True)
class Region:
    """A UN M49 geographic region (region, sub-region or intermediate region)."""

    code: str
    name: str
    level: str  # "region", "subregion" or "intermediate"
    parent: str | None


@dataclass(frozen=True)
class Membership:
    """One spell of a country's membership of an organisation (dates inclusive; None = open)."""

    organisation: str
    iso3: str
    joined: date | None
    left: date | None = None
    status: str = "member"
    note: str = ""

    def active_on(self, when: date) -> bool:
        """True when the spell covers ``when``."""
        if self.joined is not None and when < self.joined:
            return False
        return self.left is None or when <= self.left


@dataclass(frozen=True)
class Organisation:
    """A regional or political organisation whose membership the registry knows."""

    code: str
    name: str
    as_of: date
    source: str
    memberships: tuple[Membership, ...] = field(default_factory=tuple)
    note: str = ""
    history_from: date | None = None

    def _when(self, as_of: date | None) -> date:
        when = as_of or self.as_of
        if self.history_from is not None and when < self.history_from:
            raise UnknownOrganisationError(
                f"The membership history of {self.code} is only recorded from "
                f"{self.history_from.isoformat()}; cannot list members on {when.isoformat()}."
            )
        return when

    def members(self, as_of: date | None = None) -> tuple[str, ...]:
        """ISO3 keys of the members on ``as_of`` (default: the list's as-of date).

        Dates after ``as_of`` of the list are answered with the latest known list; dates before
        ``history_from`` raise :class:`UnknownOrganisationError` rather than guess.
        """
        when = self._when(None if as_of is not None and as_of > self.as_of else as_of)
        return tuple(
            sorted({m.iso3 for m in self.memberships if m.status == "member" and m.active_on(when)})
        )

    def suspended(self, as_of: date | None = None) -> tuple[str, ...]:
        """ISO3 keys of members whose participation was suspended on ``as_of`` (as far as known)."""
        when = self._when(None if as_of is not None and as_of > self.as_of else as_of)
        return tuple(
            sorted(
                {m.iso3 for m in self.memberships if m.status == "suspended" and m.active_on(when)}
            )
        )

    def spells(self, iso3: str) -> tuple[Membership, ...]:
        """Every membership and suspension spell of one country."""
        return tuple(m for m in self.memberships if m.iso3 == iso3)


@dataclass(frozen=True)
class CodePeriod:
    """One code of one scheme that meant one registry country for a span of years."""

    scheme: str
    code: str
    iso3: str
    from_year: int | None
    to_year: int | None
    label: str = ""
    note: str = ""

    def covers(self, year: int) -> bool:
        """True when the span holds ``year`` (bounds inclusive)."""
        if self.from_year is not None and year < self.from_year:
            return False
        return self.to_year is None or year <= self.to_year

    @property
    def years(self) -> str:
        """The span in words, e.g. "1918-2002" or "2006 on"."""
        if self.from_year is None and self.to_year is None:
            return "all years"
        if self.to_year is None:
            return f"{self.from_year} on"
        if self.from_year is None:
            return f"to {self.to_year}"
        return f"{self.from_year}-{self.to_year}"


@dataclass(frozen=True)
class Country:
    """One entry of the registry, keyed by ISO 3166 alpha-3 (see docs/countries.md).

    Code attributes hold the code the country has *today* (or had last, for a historical
    State); codes that changed meaning over time are resolved with the registry's year-aware
    lookups (``Registry.by_gw(345, year=1995)``).
    """

    iso3: str
    name: str
    official_name: str | None = None
    iso2: str | None = None
    iso_numeric: int | None = None
    gw: int | None = None
    gw_letters: str | None = None
    cow: int | None = None
    ucdp_id: int | None = None
    vdem_id: int | None = None
    pitf: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    historical: bool = False
    status: str = "state"
    part_of: str | None = None
    m49_region: str | None = None
    m49_subregion: str | None = None
    m49_intermediate: str | None = None
    organisations: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if len(self.iso3) != 3 or not self.iso3.isalpha() or not self.iso3.isupper():
            raise RegistryDataError(f"country key {self.iso3!r} must be three capital letters")
        if (
            self.valid_from is not None
            and self.valid_to is not None
            and self.valid_from > self.valid_to
        ):
            raise RegistryDataError(
                f"{self.iso3}: valid_from {self.valid_from} is after valid_to {self.valid_to}"
            )

    def exists_in(self, year: int) -> bool:
        """True unless the registry knows the country did not exist in ``year``."""
        if self.valid_from is not None and year < self.valid_from:
            return False
        return self.valid_to is None or year <= self.valid_to

    @property
    def label(self) -> str:
        """``"Name (ISO3)"``, the way messages and tables show a country."""
        return f"{self.name} ({self.iso3})"
