"""Loading organisation memberships from ``data/organisations.yaml``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from importlib import resources
from typing import Any

import yaml

from atrocity_watch.countries._model import Membership, Organisation, RegistryDataError

FILE_NAME = "organisations.yaml"
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date(value: Any, where: str) -> date | None:
    """A date from YAML: a date, a bare year (1 January) or "YYYY-MM" (first of the month)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    match = _PARTIAL.match(str(value))
    try:
        if match is None:
            raise ValueError(value)
        return date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        raise RegistryDataError(
            f"{where}: {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
        ) from None


def _spells(raw: Any, org: str, status: str, where: str, known: set[str]) -> Iterable[Membership]:
    if raw is None:
        return
    if not isinstance(raw, list):
        raise RegistryDataError(f"{where}: '{status}' must be a list of [ISO3, from, to, note]")
    for position, entry in enumerate(raw, start=1):
        here = f"{where}, {status} entry {position}"
        if not isinstance(entry, list) or not 2 <= len(entry) <= 4:
            raise RegistryDataError(f"{here}: must be [ISO3, from] or [ISO3, from, to, note]")
        iso3 = str(entry[0])
        if iso3 not in known:
            raise RegistryDataError(f"{here}: {iso3!r} is not a registry key")
        joined = _date(entry[1], here)
        left = _date(entry[2], here) if len(entry) > 2 else None
        if joined and left and left < joined:
            raise RegistryDataError(f"{here}: leaves ({left}) before it joins ({joined})")
        note = str(entry[3]) if len(entry) > 3 and entry[3] else ""
        yield Membership(org, iso3, joined, left, status=status, note=note)


def parse_organisations(
    data: Any, known: set[str], file_name: str = FILE_NAME
) -> list[Organisation]:
    """Validate the parsed YAML and build the organisations."""
    if not isinstance(data, list):
        raise RegistryDataError(f"{file_name}: must hold a list of organisations")
    organisations: list[Organisation] = []
    codes: set[str] = set()
    for position, entry in enumerate(data, start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        where = f"{file_name}: organisation {code!r} (entry {position})"
        if not isinstance(entry, dict) or not isinstance(code, str):
            raise RegistryDataError(f"{where}: must be a mapping with a text 'code'")
        if code in codes:
            raise RegistryDataError(f"{where}: the code {code} is listed twice")
        codes.add(code)
        for key in ("name", "source", "as_of"):
            if not entry.get(key):
                raise RegistryDataError(f"{where}: '{key}' is required")
        as_of = _date(entry["as_of"], where)
        history_from = _date(entry.get("history_from"), where)
        assert as_of is not None  # checked just above
        spells = list(_spells(entry.get("members"), code, "member", where, known))
        spells += list(_spells(entry.get("suspended"), code, "suspended", where, known))
        organisations.append(
            Organisation(
                code=code,
                name=str(entry["name"]),
                as_of=as_of,
                source=" ".join(str(entry["source"]).split()),
                memberships=tuple(spells),
                note=" ".join(str(entry.get("note", "")).split()),
                history_from=history_from,
            )
        )
    return organisations


def load_organisations(known: set[str]) -> list[Organisation]:
    """The packaged organisations, checked against the registry keys in ``known``."""
    text = resources.files("atrocity_watch.countries.data").joinpath(FILE_NAME).read_text("utf-8")
    # libyaml's C loader parses the file about ten times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return parse_organisations(yaml.load(text, Loader=loader), known)  # noqa: S506 (safe loader)
