"""Building the registry from pycountry, country_converter and the packaged data files.

Each data file under ``data/`` starts with comment lines (``#``) that say where its facts come
from. A malformed row raises :class:`RegistryDataError` naming the file, the line and the field,
so a broken edit is caught by the first test that builds the registry.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from atrocity_watch.countries._model import (
    CodePeriod,
    Country,
    Region,
    RegistryDataError,
)
from atrocity_watch.countries._orgs import load_organisations
from atrocity_watch.countries._registry import OUT_OF_SCOPE, Registry

DATA_PACKAGE = "atrocity_watch.countries.data"

#: Entity statuses allowed in entities.csv (see its header).
STATUSES = frozenset({"state", "territory", "historical", "disputed", "sub-national"})


def _data_text(file_name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(file_name).read_text(encoding="utf-8")


def read_data_rows(file_name: str, text: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a packaged CSV as ``(line number, row)``, skipping ``#`` comment lines."""
    if text is None:
        text = _data_text(file_name)
    lines = text.splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if not line.startswith("#")]
    reader = csv.DictReader(line for _, line in numbered)
    header = reader.fieldnames or []
    for (number, _), row in zip(numbered[1:], reader, strict=False):
        if None in row or any(value is None for value in row.values()):
            raise RegistryDataError(
                f"{file_name}, line {number}: expected {len(header)} fields "
                f"({', '.join(header)}), found a different number"
            )
        yield number, {k: v.strip() for k, v in row.items()}


def _year(file_name: str, line: int, field: str, value: str) -> int | None:
    if value == "":
        return None
    if not value.isdigit() or not 1800 <= int(value) <= 2100:
        raise RegistryDataError(
            f"{file_name}, line {line}, field '{field}': {value!r} is not a year"
        )
    return int(value)


def _int(file_name: str, line: int, field: str, value: str) -> int | None:
    if value == "":
        return None
    if not value.isdigit():
        raise RegistryDataError(
            f"{file_name}, line {line}, field '{field}': {value!r} is not a whole number"
        )
    return int(value)


def _coco_rows() -> list[dict[str, str]]:
    """country_converter's table (read directly: its class fails on pandas 3's NA parsing)."""
    spec = find_spec("country_converter")
    if spec is None or spec.origin is None:
        raise RegistryDataError("the country_converter package is not installed")
    path = Path(spec.origin).parent / "country_data.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _periods_from_state_list(file_name: str, scheme: str) -> list[CodePeriod]:
    periods: list[CodePeriod] = []
    for line, row in read_data_rows(file_name):
        code = _int(file_name, line, scheme, row[scheme])
        if code is None:
            raise RegistryDataError(f"{file_name}, line {line}, field '{scheme}': empty code")
        first = _year(file_name, line, "from", row["from"])
        last = _year(file_name, line, "to", row["to"])
        iso3 = row["iso3"]
        for code_scheme, value in ((scheme, str(code)), (f"{scheme}_letters", row["letters"])):
            periods.append(
                CodePeriod(code_scheme, value, iso3, first, last, row["name"], row["note"])
            )
    return periods


def _other_periods(file_name: str = "codes.csv") -> list[CodePeriod]:
    periods = []
    for line, row in read_data_rows(file_name):
        periods.append(
            CodePeriod(
                scheme=row["scheme"],
                code=row["code"],
                iso3=row["iso3"],
                from_year=_year(file_name, line, "from", row["from"]),
                to_year=_year(file_name, line, "to", row["to"]),
                label=row["label"],
                note=row["source"],
            )
        )
    return periods


def _name_periods(
    countries: dict[str, Country],
    coco: list[dict[str, str]],
    state_list_periods: list[CodePeriod],
) -> list[CodePeriod]:
    periods: list[CodePeriod] = []
    seen: set[tuple[str, str]] = set()

    def add(name: str, iso3: str, first: int | None = None, last: int | None = None) -> None:
        periods.append(CodePeriod("name", name, iso3, first, last, label=name))
        seen.add((name, iso3))

    listed: set[str] = set()
    for line, row in read_data_rows("names.csv"):
        add(
            row["name"],
            row["iso3"],
            _year("names.csv", line, "from", row["from"]),
            _year("names.csv", line, "to", row["to"]),
        )
        listed.add(row["name"].casefold())

    # Official and ISO names of every entry, unless names.csv already gives that name a meaning
    # (for instance "Serbia" before 2003 means Yugoslavia in V-Dem's usage).
    import pycountry

    for country in countries.values():
        candidates = [country.name, country.official_name, country.iso3]
        record = pycountry.countries.get(alpha_3=country.iso3)
        if record is not None:
            candidates += [
                record.name,
                getattr(record, "official_name", None),
                getattr(record, "common_name", None),
            ]
        for name in candidates:
            if name and name.casefold() not in listed and (name, country.iso3) not in seen:
                add(name, country.iso3)
    # The names of the Gleditsch-Ward and COW state lists, for the years of each code
    # (EPR, for instance, writes "German Federal Republic" for Germany after 1990 as GW does).
    for p in state_list_periods:
        if p.iso3 != OUT_OF_SCOPE and p.label and p.label.casefold() not in listed:
            add(p.label, p.iso3, p.from_year, p.to_year)
    for row in coco:
        iso3 = row["ISO3"]
        if iso3 in countries:
            for name in (row["name_short"], row["name_official"]):
                if name and name.casefold() not in listed and (name, iso3) not in seen:
                    add(name, iso3)
    return periods


def _load_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for _, row in read_data_rows("m49_regions.csv"):
        regions[row["code"]] = Region(row["code"], row["name"], row["level"], row["parent"] or None)
    return regions


def _m49_chain(leaf: str | None, regions: dict[str, Region]) -> dict[str, str | None]:
    """``m49_region``, ``m49_subregion`` and ``m49_intermediate`` codes above ``leaf``."""
    chain: dict[str, str | None] = {}
    code = leaf
    while code is not None:
        region = regions[code]
        chain[region.level] = region.code
        code = region.parent
    return chain


def _base_countries(coco: list[dict[str, str]], regions: dict[str, Region]) -> dict[str, Country]:
    import pycountry

    by_name = {r.name: code for code, r in regions.items()}
    coco_by_iso3 = {row["ISO3"]: row for row in coco}
    countries: dict[str, Country] = {}
    for record in pycountry.countries:
        iso3 = record.alpha_3
        row = coco_by_iso3.get(iso3, {})
        chain = _m49_chain(by_name.get(row.get("UNregion", "")), regions)
        countries[iso3] = Country(
            iso3=iso3,
            name=row.get("name_short") or getattr(record, "common_name", None) or record.name,
            official_name=getattr(record, "official_name", None) or record.name,
            iso2=record.alpha_2,
            iso_numeric=int(record.numeric),
            status="state" if row.get("UNmember") else "territory",
            m49_region=chain.get("region"),
            m49_subregion=chain.get("subregion"),
            m49_intermediate=chain.get("intermediate"),
        )
    return countries


def _apply_entities(countries: dict[str, Country], regions: dict[str, Region]) -> None:
    file_name = "entities.csv"
    for line, row in read_data_rows(file_name):
        iso3 = row["iso3"]
        status = row["status"]
        if status and status not in STATUSES:
            raise RegistryDataError(
                f"{file_name}, line {line}, field 'status': {status!r} is not one of "
                f"{', '.join(sorted(STATUSES))}"
            )
        if row["m49"] and row["m49"] not in regions:
            raise RegistryDataError(
                f"{file_name}, line {line}, field 'm49': unknown M49 code {row['m49']!r}"
            )
        base = countries.get(iso3) or Country(iso3=iso3, name=row["name"])
        changes: dict[str, object] = {
            "name": row["name"] or base.name,
            "official_name": row["official_name"] or base.official_name,
            "note": row["note"] or base.note,
        }
        if status:
            changes["status"] = status
            changes["historical"] = status == "historical"
        for field in ("valid_from", "valid_to"):
            if row[field]:
                changes[field] = _year(file_name, line, field, row[field])
        if row["part_of"]:
            changes["part_of"] = row["part_of"]
        if row["iso_numeric"]:
            changes["iso_numeric"] = _int(file_name, line, "iso_numeric", row["iso_numeric"])
        if row["m49"]:
            chain = _m49_chain(row["m49"], regions)
            changes["m49_region"] = chain.get("region")
            changes["m49_subregion"] = chain.get("subregion")
            changes["m49_intermediate"] = chain.get("intermediate")
        countries[iso3] = replace(base, **changes)  # type: ignore[arg-type]


def _current_code(periods: list[CodePeriod]) -> str | None:
    """The code a country holds today, or held last."""
    if not periods:
        return None
    return max(periods, key=lambda p: (p.to_year is None, p.to_year or 0, p.from_year or 0)).code


def _with_codes(countries: dict[str, Country], periods: list[CodePeriod]) -> dict[str, Country]:
    by_country: dict[tuple[str, str], list[CodePeriod]] = {}
    for p in periods:
        by_country.setdefault((p.iso3, p.scheme), []).append(p)
    out: dict[str, Country] = {}
    for iso3, country in countries.items():

        def code(scheme: str, iso3: str = iso3) -> str | None:
            return _current_code(by_country.get((iso3, scheme), []))

        gw, cow, ucdp, vdem = code("gw"), code("cow"), code("ucdp"), code("vdem")
        starts = [
            p.from_year
            for s in ("gw", "cow")
            for p in by_country.get((iso3, s), [])
            if p.from_year is not None and (p.to_year is None or p.to_year >= 1946)
        ]
        out[iso3] = replace(
            country,
            gw=int(gw) if gw else None,
            gw_letters=code("gw_letters"),
            cow=int(cow) if cow else None,
            ucdp_id=int(ucdp) if ucdp else None,
            vdem_id=int(vdem) if vdem else None,
            pitf=code("pitf"),
            valid_from=country.valid_from
            if country.valid_from is not None or not starts
            else min(starts),
        )
    return out


def _ucdp_periods(periods: list[CodePeriod]) -> list[CodePeriod]:
    """UCDP country ids are GW numbers; rows of codes.csv replace GW's for the same number."""
    own = {p.code for p in periods if p.scheme == "ucdp"}
    return [
        replace(p, scheme="ucdp", note=p.note or "UCDP country ids are Gleditsch-Ward numbers")
        for p in periods
        if p.scheme == "gw" and p.code not in own
    ]


def _load_neighbours() -> dict[str, list[str]]:
    try:
        text = _data_text("neighbours.json")
    except FileNotFoundError:
        return {}
    data = json.loads(text)
    borders: dict[str, list[str]] = data["neighbours"]
    return borders


def build_registry() -> Registry:
    """Build a fresh registry from the packaged data (use :func:`get_registry` for the cache)."""
    coco = _coco_rows()
    regions = _load_regions()
    countries = _base_countries(coco, regions)
    _apply_entities(countries, regions)
    periods = _periods_from_state_list("gw_states.csv", "gw")
    periods += _periods_from_state_list("cow_states.csv", "cow")
    periods += _other_periods()
    periods += [
        CodePeriod("iso_numeric", str(c.iso_numeric), c.iso3, None, None, label=c.name)
        for c in countries.values()
        if c.iso_numeric is not None and c.status != "historical"
    ]
    periods += _ucdp_periods(periods)
    for p in periods:
        if p.iso3 != OUT_OF_SCOPE and p.iso3 not in countries:
            raise RegistryDataError(
                f"{p.scheme} code {p.code!r} points at {p.iso3!r}, which is not a registry key"
            )
    countries = _with_codes(countries, periods)
    organisations = load_organisations(set(countries))
    member_of: dict[str, list[str]] = {}
    for org in organisations:
        for iso3 in org.members():
            member_of.setdefault(iso3, []).append(org.code)
    countries = {
        k: replace(c, organisations=tuple(sorted(member_of.get(k, ()))))
        for k, c in countries.items()
    }
    state_lists = [p for p in periods if p.scheme in ("gw", "cow")]
    periods += _name_periods(countries, coco, state_lists)
    _check_overlaps(periods)
    return Registry(
        countries.values(),
        periods,
        regions.values(),
        organisations,
        _load_neighbours(),
    )


def _check_overlaps(periods: list[CodePeriod]) -> None:
    """A code (not a name) must never mean two countries in the same year."""
    from atrocity_watch.countries._registry import _code_key

    grouped: dict[tuple[str, str], list[CodePeriod]] = {}
    for p in periods:
        if p.scheme != "name":
            grouped.setdefault((p.scheme, _code_key(p.scheme, p.code)), []).append(p)
    for (scheme, code), group in grouped.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.iso3 == b.iso3:
                    continue
                lo = max(a.from_year or 0, b.from_year or 0)
                hi = min(a.to_year or 9999, b.to_year or 9999)
                if lo <= hi:
                    raise RegistryDataError(
                        f"{scheme} code {code} means both {a.iso3} ({a.years}) and "
                        f"{b.iso3} ({b.years}); the spans must not overlap"
                    )


@cache
def get_registry() -> Registry:
    """The registry, built once per process from the packaged data (about 0.1-0.3 s)."""
    return build_registry()
