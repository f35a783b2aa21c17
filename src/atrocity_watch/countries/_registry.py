"""The registry: one place that turns any source's country name or code into an ISO3 key."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from atrocity_watch.countries._model import (
    SCHEMES,
    AmbiguousCountryError,
    CodePeriod,
    Country,
    CountryOutOfScopeError,
    Organisation,
    Region,
    UnknownCountryError,
    UnknownOrganisationError,
)
from atrocity_watch.countries._normalise import normalise_name, split_parenthesis

#: Marks a code that belonged to a State which ended before 1946 (no registry entry).
OUT_OF_SCOPE = "-"

_NUMERIC_SCHEMES = frozenset({"gw", "cow", "ucdp", "vdem", "iso_numeric"})


def _code_key(scheme: str, value: object) -> str:
    """The index key of a code: numbers without leading zeros or ".0", letters upper-case."""
    text = str(value).strip()
    if scheme in _NUMERIC_SCHEMES:
        try:
            number = float(text)
        except ValueError:
            return text
        if number.is_integer():
            return str(int(number))
        return text
    if scheme == "name":
        return normalise_name(text)
    return text.upper()


class Registry:
    """Countries keyed by ISO 3166 alpha-3, with year-aware crosswalks from every source's codes.

    Build it with :func:`atrocity_watch.countries.get_registry` (cached). All lookups either
    return exactly one :class:`Country` or raise :class:`UnknownCountryError` (or its
    subclasses :class:`AmbiguousCountryError` and :class:`CountryOutOfScopeError`) with a
    message that lists the closest matches.

    >>> from atrocity_watch.countries import get_registry
    >>> reg = get_registry()
    >>> reg.by_gw(345, year=1995).iso3, reg.by_gw(340, year=2010).iso3
    ('YUG', 'SRB')
    """

    def __init__(
        self,
        countries: Iterable[Country],
        periods: Iterable[CodePeriod],
        regions: Iterable[Region] = (),
        organisations: Iterable[Organisation] = (),
        neighbours: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self._countries: dict[str, Country] = {c.iso3: c for c in countries}
        self._index: dict[tuple[str, str], list[CodePeriod]] = defaultdict(list)
        for period in periods:
            self._index[(period.scheme, _code_key(period.scheme, period.code))].append(period)
        self._regions: dict[str, Region] = {r.code: r for r in regions}
        self._region_names = {normalise_name(r.name): r.code for r in self._regions.values()}
        self._organisations: dict[str, Organisation] = {o.code: o for o in organisations}
        self._neighbours: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in (neighbours or {}).items()
        }
        self._name_keys: list[str] = sorted(k for s, k in self._index if s == "name")

    # -- whole registry -------------------------------------------------------------------

    def all(self, include_historical: bool = True) -> list[Country]:
        """Every country, sorted by name; without historical States when asked."""
        return sorted(
            (c for c in self._countries.values() if include_historical or not c.historical),
            key=lambda c: c.name,
        )

    def __contains__(self, iso3: object) -> bool:
        return isinstance(iso3, str) and iso3.upper() in self._countries

    def __len__(self) -> int:
        return len(self._countries)

    def periods(self, scheme: str | None = None) -> list[CodePeriod]:
        """The crosswalk rows, optionally of one scheme (for documentation and audits)."""
        return [p for (s, _), ps in self._index.items() if scheme in (None, s) for p in ps]

    # -- lookups --------------------------------------------------------------------------

    def by_iso3(self, code: str) -> Country:
        """The country with this ISO3 key (withdrawn ISO codes, e.g. Zaire's, are accepted)."""
        key = str(code).strip().upper()
        if key in self._countries:
            return self._countries[key]
        return self.resolve(key, scheme="iso3")

    def lookup(self, name: str, year: int | None = None) -> Country:
        """The country a name means, as written by any source (forgiving about spelling).

        ``year`` picks between meanings that changed over time ("Serbia" in 1995 is Yugoslavia)
        and rejects historical States outside their years.
        """
        return self.resolve(name, scheme="name", year=year)

    def by_gw(self, code: int | str, year: int | None = None) -> Country:
        """The country with this Gleditsch-Ward number in ``year`` (today's meaning if None)."""
        return self.resolve(code, scheme="gw", year=year)

    def by_gw_letters(self, code: str, year: int | None = None) -> Country:
        """The country with this Gleditsch-Ward letter code (e.g. ``"CDI"``)."""
        return self.resolve(code, scheme="gw_letters", year=year)

    def by_cow(self, code: int | str, year: int | None = None) -> Country:
        """The country with this Correlates of War number in ``year``."""
        return self.resolve(code, scheme="cow", year=year)

    def by_iso_numeric(self, code: int | str, year: int | None = None) -> Country:
        """The country with this ISO 3166 numeric code (former codes such as 736 included)."""
        return self.resolve(code, scheme="iso_numeric", year=year)

    def by_ucdp(self, code: int | str, year: int | None = None) -> Country:
        """The country with this UCDP country id (a Gleditsch-Ward number) in ``year``."""
        return self.resolve(code, scheme="ucdp", year=year)

    def by_vdem(self, code: int | str, year: int | None = None) -> Country:
        """The country with this V-Dem ``country_id`` in ``year``."""
        return self.resolve(code, scheme="vdem", year=year)

    def by_pitf(self, code: str, year: int | None = None) -> Country:
        """The country with this PITF/EWP ``sftgcode`` in ``year``."""
        return self.resolve(code, scheme="pitf", year=year)

    def resolve(self, value: object, scheme: str = "name", year: int | None = None) -> Country:
        """The one country that ``value`` means in ``scheme`` (and ``year``); see SCHEMES."""
        if scheme not in SCHEMES:
            raise UnknownCountryError(
                scheme,
                scheme="scheme",
                reason=f"the scheme must be one of {', '.join(SCHEMES)}",
            )
        if value is None or (isinstance(value, float) and value != value):  # None or NaN
            raise UnknownCountryError(value, scheme=scheme, reason="no value given")
        text = str(value).strip()
        if not text:
            raise UnknownCountryError(value, scheme=scheme, reason="the value is empty")
        if scheme == "iso3" and text.upper() in self._countries:
            return self._country(text.upper(), value, scheme, year)
        if scheme == "iso2":
            return self._by_iso2(text, year)
        periods = self._index.get((scheme, _code_key(scheme, text)))
        if periods:
            return self._pick(periods, value, scheme, year)
        if scheme == "name":
            return self._by_name_fallback(text, year)
        raise UnknownCountryError(value, self._code_suggestions(scheme, text), scheme=scheme)

    def try_resolve(
        self, value: object, scheme: str = "name", year: int | None = None
    ) -> Country | None:
        """Like :meth:`resolve` but None instead of an error (for audits, not for loaders)."""
        try:
            return self.resolve(value, scheme=scheme, year=year)
        except UnknownCountryError:
            return None

    # -- regions, organisations, neighbours -----------------------------------------------

    def region_of(self, iso3: str) -> list[Region]:
        """The M49 chain of a country, broadest first: region, sub-region, intermediate."""
        country = self.by_iso3(iso3)
        chain = [country.m49_region, country.m49_subregion, country.m49_intermediate]
        return [self._regions[code] for code in chain if code is not None]

    def regions(self) -> list[Region]:
        """Every M49 region the registry knows."""
        return sorted(self._regions.values(), key=lambda r: r.code)

    def region(self, name_or_code: str) -> Region:
        """An M49 region by English name ("Western Africa") or code ("011" or "11")."""
        text = str(name_or_code).strip()
        code = text.zfill(3) if text.isdigit() else self._region_names.get(normalise_name(text))
        if code is None or code not in self._regions:
            close = difflib.get_close_matches(
                normalise_name(text), list(self._region_names), n=3, cutoff=0.6
            )
            names = ", ".join(self._regions[self._region_names[c]].name for c in close)
            hint = f" Closest matches: {names}" if names else ""
            raise UnknownOrganisationError(f"Unknown M49 region {text!r}.{hint}")
        return self._regions[code]

    def in_region(self, name_or_code: str, include_historical: bool = False) -> list[Country]:
        """Countries whose M49 chain contains the region (by name or code)."""
        region = self.region(name_or_code)
        return [
            c
            for c in self.all(include_historical)
            if region.code in (c.m49_region, c.m49_subregion, c.m49_intermediate)
        ]

    def organisations(self) -> list[Organisation]:
        """Every organisation whose membership the registry knows, by code."""
        return sorted(self._organisations.values(), key=lambda o: o.code)

    def organisation(self, code: str) -> Organisation:
        """One organisation by its code ("AU") or name ("African Union"), case-insensitive."""
        wanted = normalise_name(code)
        for org in self._organisations.values():
            if wanted in (normalise_name(org.code), normalise_name(org.name)):
                return org
        known = ", ".join(sorted(self._organisations))
        raise UnknownOrganisationError(
            f"Unknown organisation {code!r}. Known organisations: {known}."
        )

    def members(self, organisation: str, as_of: date | None = None) -> list[Country]:
        """Members of an organisation on ``as_of`` (default: the date its list was checked).

        Dates later than the list's as-of date get the latest known list (check
        ``organisation(code).as_of``); dates before its recorded history raise
        :class:`UnknownOrganisationError`.
        """
        org = self.organisation(organisation)
        return [self._countries[iso3] for iso3 in org.members(as_of) if iso3 in self._countries]

    def organisations_of(self, iso3: str, as_of: date | None = None) -> list[str]:
        """Codes of the organisations a country belongs to on ``as_of`` (default: today's lists).

        Organisations whose history does not reach back to ``as_of`` are left out.
        """
        country = self.by_iso3(iso3)
        found = []
        for org in self.organisations():
            if as_of is not None and org.history_from is not None and as_of < org.history_from:
                continue
            if country.iso3 in org.members(as_of):
                found.append(org.code)
        return found

    def neighbours(self, iso3: str) -> list[str]:
        """ISO3 keys of the countries sharing a land border (Framework indicator 8.2)."""
        country = self.by_iso3(iso3)
        return list(self._neighbours.get(country.iso3, ()))

    # -- internals ------------------------------------------------------------------------

    def _country(self, iso3: str, value: object, scheme: str, year: int | None) -> Country:
        country = self._countries[iso3]
        # A former State is never the answer for a year after it ceased to exist; years before
        # its independence are data on its territory and are accepted.
        if year is not None and country.valid_to is not None and year > country.valid_to:
            raise UnknownCountryError(
                value,
                [(country.name, country.iso3)],
                scheme=scheme,
                reason=f"{country.label} existed {country.valid_from}-{country.valid_to}, "
                f"not in {year}",
            )
        return country

    def _pick(
        self, periods: list[CodePeriod], value: object, scheme: str, year: int | None
    ) -> Country:
        if year is None:
            chosen = {p.iso3 for p in periods}
            if len(chosen) > 1:
                # Without a year, a code or name means what it means today.
                chosen = {p.iso3 for p in periods if p.to_year is None}
            if len(chosen) != 1:
                timeless = all(p.from_year is None and p.to_year is None for p in periods)
                hint = "give a fuller name or a code" if timeless else "give the year"
                raise self._ambiguous(periods, value, scheme, hint)
        else:
            hits = [p for p in periods if p.covers(year)]
            chosen = {p.iso3 for p in hits}
            if not hits:
                keys = {p.iso3 for p in periods}
                last = max((p.to_year or 9999) for p in periods)
                if len(keys) == 1 and OUT_OF_SCOPE not in keys and year <= last:
                    # A code or name that only ever meant one country still names it in years
                    # before independence or between two spells of statehood (the Baltic States
                    # 1941-1990): such data describe the same territory. After the code's last
                    # use it names nothing (PTS keeps rows for Czechoslovakia until 2023).
                    chosen = keys
                else:
                    spans = "; ".join(f"{self._label(p)} {p.years}" for p in periods)
                    known = [(self._name(p.iso3), p.iso3) for p in periods]
                    raise UnknownCountryError(
                        value,
                        [(name, iso3) for name, iso3 in known if iso3 != OUT_OF_SCOPE],
                        scheme=scheme,
                        reason=f"that name means {spans}, not a country of {year}"
                        if scheme == "name"
                        else f"it is not used in {year} ({spans})",
                    )
            if len(chosen) > 1:
                raise self._ambiguous(hits, value, scheme, "give a fuller name or a code")
        iso3 = chosen.pop()
        if iso3 == OUT_OF_SCOPE:
            period = periods[0]
            raise CountryOutOfScopeError(
                value,
                scheme=scheme,
                reason=f"{period.label}, a State from {period.from_year} to {period.to_year}",
            )
        return self._country(iso3, value, scheme, year)

    def _ambiguous(
        self, periods: Sequence[CodePeriod], value: object, scheme: str, hint: str
    ) -> AmbiguousCountryError:
        seen: dict[str, str] = {}
        for p in sorted(periods, key=lambda p: p.from_year or 0):
            if p.iso3 == OUT_OF_SCOPE or p.iso3 in seen:
                continue
            span = "" if p.from_year is None and p.to_year is None else f" {p.years}"
            seen[p.iso3] = f"{self._name(p.iso3)}{span}"
        return AmbiguousCountryError(
            value, [(name, iso3) for iso3, name in seen.items()], scheme=scheme, reason=hint
        )

    def _name(self, iso3: str) -> str:
        country = self._countries.get(iso3)
        return country.name if country else iso3

    def _label(self, period: CodePeriod) -> str:
        if period.iso3 == OUT_OF_SCOPE:
            return period.label
        return f"{self._name(period.iso3)} ({period.iso3})"

    def _by_iso2(self, text: str, year: int | None) -> Country:
        wanted = text.upper()
        for country in self._countries.values():
            if country.iso2 == wanted:
                return self._country(country.iso3, text, "iso2", year)
        raise UnknownCountryError(text, scheme="iso2")

    def _by_name_fallback(self, text: str, year: int | None) -> Country:
        # "Cambodia (Kampuchea)": accepted only when both parts name the same country, so that
        # "Yemen (South Yemen)" can never silently become Yemen.
        parts = split_parenthesis(text)
        if parts is not None:
            outer = self.try_resolve(parts[0], "name", year)
            inner = self.try_resolve(parts[1], "name", year)
            if outer is not None and inner is not None and outer.iso3 == inner.iso3:
                return outer
        raise UnknownCountryError(text, self.suggest(text))

    def suggest(self, text: str, limit: int = 5) -> list[tuple[str, str]]:
        """``(name, iso3)`` of the known names closest to ``text``, best first."""
        key = normalise_name(text)
        close = difflib.get_close_matches(key, self._name_keys, n=limit * 3, cutoff=0.75)
        if not close:
            close = difflib.get_close_matches(key, self._name_keys, n=limit * 3, cutoff=0.6)
        found: dict[str, str] = {}
        for match in close:
            for p in self._index[("name", match)]:
                if p.iso3 != OUT_OF_SCOPE and p.iso3 not in found and len(found) < limit:
                    found[p.iso3] = self._name(p.iso3)
        return [(name, iso3) for iso3, name in found.items()]

    def _code_suggestions(self, scheme: str, text: str) -> list[tuple[str, str]]:
        codes = {k: ps for (s, k), ps in self._index.items() if s == scheme}
        if scheme in _NUMERIC_SCHEMES and text.lstrip("-").isdigit():
            target = int(text)
            nearest = sorted(
                (k for k in codes if k.isdigit()), key=lambda k: (abs(int(k) - target), int(k))
            )[:3]
        else:
            nearest = difflib.get_close_matches(text.upper(), list(codes), n=3, cutoff=0.5)
        out: list[tuple[str, str]] = []
        for k in nearest:
            for p in codes[k]:
                if p.iso3 != OUT_OF_SCOPE and all(p.iso3 != iso for _, iso in out):
                    out.append((f"{self._name(p.iso3)} [{k}]", p.iso3))
        return out[:5]
