"""Loading and validating the Framework data file."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from atrocity_watch.framework._model import (
    Framework,
    FrameworkError,
    Indicator,
    RiskFactor,
    Scope,
    Source,
)

# The Framework's own structure: risk factors 1-8 are common to all atrocity crimes, 9-10 concern
# genocide, 11-12 crimes against humanity and 13-14 war crimes.
EXPECTED_SCOPES: dict[int, Scope] = {
    **dict.fromkeys(range(1, 9), Scope.COMMON),
    9: Scope.GENOCIDE,
    10: Scope.GENOCIDE,
    11: Scope.CRIMES_AGAINST_HUMANITY,
    12: Scope.CRIMES_AGAINST_HUMANITY,
    13: Scope.WAR_CRIMES,
    14: Scope.WAR_CRIMES,
}

_INDICATOR_NUMBER = re.compile(r"^(\d+)\.(\d+)$")


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{where}: '{key}' must be a non-empty text.")
    return value.strip()


def _parse_indicators(raw: Any, rf_number: int, where: str) -> tuple[Indicator, ...]:
    if not isinstance(raw, list):
        raise FrameworkError(f"{where}: 'indicators' must be a list.")
    indicators: list[Indicator] = []
    for position, entry in enumerate(raw, start=1):
        label = entry.get("number") if isinstance(entry, dict) else None
        here = f"{where}, indicator {label!r} (entry {position})"
        if not isinstance(entry, dict):
            raise FrameworkError(f"{here}: must be a mapping with number, label and description.")
        number = entry.get("number")
        match = _INDICATOR_NUMBER.match(str(number)) if isinstance(number, str) else None
        if match is None or not isinstance(number, str):
            raise FrameworkError(f"{here}: 'number' must be text like \"{rf_number}.1\".")
        if int(match.group(1)) != rf_number:
            raise FrameworkError(
                f"{here}: indicator {number} is listed under risk factor {rf_number}, "
                f"but its number says risk factor {match.group(1)}."
            )
        if int(match.group(2)) != position:
            expected = f"{rf_number}.{position}"
            raise FrameworkError(
                f"{here}: numbering must be unique and contiguous; expected {expected} here, "
                f"found {number}."
            )
        indicators.append(
            Indicator(
                number=number,
                label=_text(entry, "label", here),
                description=_text(entry, "description", here),
            )
        )
    return tuple(indicators)


def _parse_risk_factor(entry: Any, position: int, file_name: str) -> RiskFactor:
    number = entry.get("number") if isinstance(entry, dict) else None
    where = f"{file_name}: risk factor {number!r} (entry {position})"
    if not isinstance(entry, dict):
        raise FrameworkError(f"{where}: must be a mapping.")
    if not isinstance(number, int) or isinstance(number, bool):
        raise FrameworkError(f"{where}: 'number' must be a whole number.")
    if number != position:
        raise FrameworkError(
            f"{where}: risk factors must be numbered 1, 2, 3 ... without gaps or repeats; "
            f"expected {position} here, found {number}."
        )
    try:
        scope = Scope(str(entry.get("scope")))
    except ValueError:
        allowed = ", ".join(s.value for s in Scope)
        raise FrameworkError(
            f"{where}: 'scope' must be one of {allowed}. Got {entry.get('scope')!r} instead."
        ) from None
    expected_scope = EXPECTED_SCOPES.get(number)
    if expected_scope is not None and scope is not expected_scope:
        raise FrameworkError(
            f"{where}: in the Framework, risk factor {number} has scope "
            f"{expected_scope.value}, not {scope.value}."
        )
    complete = entry.get("complete")
    if not isinstance(complete, bool):
        raise FrameworkError(f"{where}: 'complete' must be true or false.")
    indicators = _parse_indicators(entry.get("indicators", []), number, where)
    if complete and not indicators:
        raise FrameworkError(f"{where}: marked complete but lists no indicators.")
    return RiskFactor(
        number=number,
        name=_text(entry, "name", where),
        scope=scope,
        description=_text(entry, "description", where),
        complete=complete,
        status=_text(entry, "status", where),
        indicators=indicators,
    )


def parse_framework(data: Any, file_name: str = "framework.yaml") -> Framework:
    """Validate the parsed content of a Framework data file and build the model."""
    if not isinstance(data, dict):
        raise FrameworkError(f"{file_name}: must hold a mapping with 'source' and 'risk_factors'.")
    raw_source = data.get("source")
    if not isinstance(raw_source, dict):
        raise FrameworkError(f"{file_name}: 'source' must be a mapping.")
    where = f"{file_name}: source"
    total = raw_source.get("official_indicator_total")
    year = raw_source.get("year")
    if not isinstance(total, int) or not isinstance(year, int):
        raise FrameworkError(f"{where}: 'year' and 'official_indicator_total' must be numbers.")
    source = Source(
        title=_text(raw_source, "title", where),
        publisher=_text(raw_source, "publisher", where),
        year=year,
        document=_text(raw_source, "document", where),
        url=_text(raw_source, "url", where),
        citation=_text(raw_source, "citation", where),
        official_indicator_total=total,
    )
    raw_factors = data.get("risk_factors")
    if not isinstance(raw_factors, list) or not raw_factors:
        raise FrameworkError(f"{file_name}: 'risk_factors' must be a non-empty list.")
    factors = tuple(
        _parse_risk_factor(entry, position, file_name)
        for position, entry in enumerate(raw_factors, start=1)
    )
    if len(factors) != len(EXPECTED_SCOPES):
        raise FrameworkError(
            f"{file_name}: the Framework has {len(EXPECTED_SCOPES)} risk factors; "
            f"this file lists {len(factors)}."
        )
    return Framework(source=source, risk_factors=factors)


def load_framework(path: Path | None = None) -> Framework:
    """Read and validate a Framework data file (the packaged one by default)."""
    if path is None:
        text = (
            resources.files("atrocity_watch.framework")
            .joinpath("framework.yaml")
            .read_text(encoding="utf-8")
        )
        name = "framework.yaml"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise FrameworkError(f"{path}: cannot be read ({exc.strerror}).") from None
        name = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise FrameworkError(
            f"{name}{at}: not valid YAML ({getattr(exc, 'problem', exc)})."
        ) from None
    return parse_framework(data, name)


@cache
def get_framework() -> Framework:
    """The packaged Framework, loaded once per process."""
    return load_framework()
