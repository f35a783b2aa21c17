"""The declarative description of a source: columns, key, countries, layouts, licence, downloads.

One :class:`SourceSpec` per dataset is the single place where a source is described. The reader
validates files against it, ``docs/sources.md`` is generated from it, recognition uses its
columns, and ``fetch`` uses its downloads and mirror patterns. Every class here is a frozen value
object that checks itself when it is built, so a mistake in a declaration fails at import time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pyarrow as pa

ColumnKind = Literal["integer", "number", "text", "date", "boolean"]
KINDS: tuple[ColumnKind, ...] = ("integer", "number", "text", "date", "boolean")
# Words used in messages, so users read "a whole number" rather than "BIGINT".
KIND_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "integer": "a whole number",
        "number": "a number",
        "text": "text",
        "date": "a date",
        "boolean": "true or false",
    }
)
SQL_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "integer": "BIGINT",
        "number": "DOUBLE",
        "text": "VARCHAR",
        "date": "DATE",
        "boolean": "BOOLEAN",
    }
)
THIS_YEAR = "this year"
"""Use as ``Column.maximum`` for years: the check uses the current calendar year."""

ExtraColumns = Literal["ignore", "keep_text", "keep_number"]
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def current_year() -> int:
    """The calendar year now (UTC); the upper bound of :data:`THIS_YEAR`."""
    return datetime.now(UTC).year


@dataclass(frozen=True)
class Column:
    """One column of a source as the publisher names it.

    ``required`` columns must be in the header (by ``name`` or one of ``aliases``); optional ones
    that a file lacks are filled with NULL so that every file of a source gives the same table.
    ``nullable=False`` makes an empty value an error. ``minimum``/``maximum`` bound numbers and
    years (``THIS_YEAR`` for "not in the future"); ``allowed`` lists the only values accepted.
    """

    name: str
    kind: ColumnKind
    description: str
    required: bool = False
    nullable: bool = True
    minimum: float | None = None
    maximum: float | str | None = None
    allowed: tuple[str | int, ...] = ()
    aliases: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"Column name {self.name!r} must be letters, digits, '_' or '.'")
        if self.kind not in KINDS:
            raise ValueError(f"The 'kind' of column {self.name!r} must be one of {KINDS}.")
        if not self.description:
            raise ValueError(f"Column {self.name!r} needs a description.")
        numeric_maximum = isinstance(self.maximum, int | float)
        if self.maximum is not None and not numeric_maximum and self.maximum != THIS_YEAR:
            raise ValueError(f"The 'maximum' of {self.name!r} must be a number or THIS_YEAR.")
        limits = self.minimum is not None or self.maximum is not None
        if limits and self.kind not in ("integer", "number"):
            raise ValueError(f"Column {self.name!r}: only numbers can have a minimum/maximum.")
        if self.kind == "date" and not self.date_formats:
            raise ValueError(f"Date column {self.name!r} needs at least one date format.")
        bounds = (self.minimum, self.maximum)
        if all(isinstance(b, int | float) for b in bounds) and bounds[0] > bounds[1]:  # type: ignore[operator]
            raise ValueError(f"Column {self.name!r}: minimum is above maximum.")

    @property
    def sql_type(self) -> str:
        """The DuckDB type of the column in the validated table."""
        return SQL_TYPES[self.kind]

    def upper_bound(self) -> float | None:
        """The maximum as a number (``THIS_YEAR`` resolved to the current year)."""
        if self.maximum == THIS_YEAR:
            return float(current_year())
        return None if self.maximum is None else float(self.maximum)

    def range_text(self) -> str:
        """The allowed range in words, for docs and messages."""
        top = self.maximum if self.maximum != THIS_YEAR else "the current year"
        if self.minimum is not None and self.maximum is not None:
            return f"{_num(self.minimum)} to {_num(top)}"
        if self.minimum is not None:
            return f"at least {_num(self.minimum)}"
        if self.maximum is not None:
            return f"at most {_num(top)}"
        if self.allowed:
            return "one of " + ", ".join(str(v) for v in self.allowed)
        return ""


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Layout:
    """A variant of a source's files, told apart by the columns in its header.

    ``signature`` lists columns that only this layout has; ``renames`` maps a publisher's header
    name in this layout to the column name the source declares.
    """

    name: str
    description: str
    signature: tuple[str, ...] = ()
    renames: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "renames", MappingProxyType(dict(self.renames)))


@dataclass(frozen=True)
class CountryRule:
    """How a source's country field becomes the ISO 3166-1 alpha-3 key of the registry.

    ``scheme`` is the registry's scheme (``gw``, ``cow``, ``name``, ``iso3``, ``iso_numeric``,
    ``vdem``); ``year_column`` makes the lookup year-aware (Gleditsch-Ward 345 is Yugoslavia in
    1995 and Serbia's predecessor code until 2006). A ``separator`` means the field may list
    several countries: the first listed gives ``target`` and all of them, in order, give
    ``target + "_all"`` (comma-separated ISO3). ``out_of_scope`` values (and values matching
    ``out_of_scope_pattern``) are dropped and counted; ``unmapped`` values and
    ``unmapped_pattern`` matches are kept with a NULL key (e.g. SIPRI's non-State recipients);
    ``overrides`` translate a publisher's own codes to the scheme's before the lookup.
    ``fallback_column`` (looked up with ``fallback_scheme``) is used where ``column`` is empty,
    e.g. PTS entities without a COW code; an override value ``"iso3:XKX"`` names the registry
    key directly (for codes a publisher invented, such as ACLED's 0 for Kosovo).
    ``any_year`` accepts a code outside the years the registry gives it when, over all years,
    it denotes one country (a colony's territory in a colonial war, EWP's 255 for West Germany).
    A State that ended before 1946 is out of scope (dropped and counted). Anything else the
    registry does not know is an error that lists the values.
    """

    column: str
    scheme: str
    rule: str
    target: str = "iso3"
    year_column: str | None = None
    separator: str | None = None
    out_of_scope: Mapping[str, str] = field(default_factory=dict)
    out_of_scope_pattern: str | None = None
    out_of_scope_pattern_reason: str = "out of scope by the source's rule"
    unmapped: Mapping[str, str] = field(default_factory=dict)
    unmapped_pattern: str | None = None
    unmapped_pattern_reason: str = "kept without a country key by the source's rule"
    overrides: Mapping[str, str] = field(default_factory=dict)
    any_year: bool = False
    fallback_column: str | None = None
    fallback_scheme: str | None = None

    def __post_init__(self) -> None:
        schemes = ("gw", "cow", "name", "iso3", "iso_numeric", "vdem", "ucdp", "gw_letters")
        if self.scheme not in schemes:
            raise ValueError(f"The 'scheme' of a CountryRule must be one of {schemes}.")
        for name in ("out_of_scope", "unmapped", "overrides"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        for pattern in (self.out_of_scope_pattern, self.unmapped_pattern):
            if pattern is not None:
                re.compile(pattern)


@dataclass(frozen=True)
class ScopeRule:
    """Rows a source's documented rule leaves out: dropped and counted, never an error.

    ``sql`` is a DuckDB condition over the declared columns, true for a row out of scope.
    """

    sql: str
    reason: str


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


@dataclass(frozen=True)
class RowRule:
    """A rule between the columns of one row that every row must meet (a file that breaks it
    is an error, not a row to drop): e.g. attempts = successful + failed coups.

    ``sql`` is a DuckDB condition, true for a good row, that names declared columns as
    ``{name}`` (they are replaced by the typed values); a row where it is NULL (an empty
    value) passes, since emptiness is the columns' own ``nullable`` rule. ``column`` is the
    column an error names; ``reason`` says in words what must hold. A rule is not checked for
    a file that lacks one of its (optional) columns.
    """

    column: str
    sql: str
    reason: str

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"The row rule {self.sql!r} names no column as {{name}}.")
        if not self.reason:
            raise ValueError(f"The row rule {self.sql!r} needs a reason.")

    @property
    def columns(self) -> tuple[str, ...]:
        """The declared columns the rule reads, in order of first use."""
        return tuple(dict.fromkeys(_PLACEHOLDER.findall(self.sql)))

    def condition(self, values: Mapping[str, str]) -> str:
        """The SQL condition with each ``{name}`` replaced by ``values[name]``."""
        return _PLACEHOLDER.sub(lambda m: f"({values[m.group(1)]})", self.sql)


@dataclass(frozen=True)
class Derived:
    """A column the loader adds, computed by a DuckDB SQL expression over declared columns."""

    name: str
    kind: ColumnKind
    sql: str
    description: str


@dataclass(frozen=True)
class Download:
    """One file a publisher serves, and where it sits in a local mirror.

    ``kind="http"`` downloads ``url``; ``kind="worldbank_api"`` asks the World Bank API (through
    ``wbgapi``) for the indicator codes in ``indicators`` and writes them in the long layout.
    """

    url: str
    file_name: str
    description: str
    kind: Literal["http", "worldbank_api"] = "http"
    indicators: tuple[str, ...] = ()

    def mirror_path(self) -> PurePosixPath:
        """Where the file sits in a mirror laid out as on the publisher's site."""
        without_scheme = re.sub(r"^[a-z]+://", "", self.url)
        return PurePosixPath(without_scheme)


RawReader = Callable[["SourceSpec", "OpenedCsv"], "pa.Table"]
"""A custom reader: turns a file with a preamble or a wide layout into text plus ``_line``."""


@dataclass(frozen=True)
class SourceSpec:
    """Everything the system knows about one external dataset."""

    name: str
    title: str
    publisher: str
    licence: str
    citation: str
    url: str
    description: str
    unit: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    countries: tuple[CountryRule, ...] = ()
    layouts: tuple[Layout, ...] = ()
    encoding: str = "utf-8"
    null_values: tuple[str, ...] = ("",)
    extra_columns: ExtraColumns = "ignore"
    derived: tuple[Derived, ...] = ()
    scope: tuple[ScopeRule, ...] = ()
    row_rules: tuple[RowRule, ...] = ()
    raw_rows_shareable: bool = True
    version_column: str | None = None
    version_sql: str | None = None
    version_from_name: Callable[[str], str | None] | None = None
    version_pattern: str | None = None
    default_version: str = "unknown"
    downloads: tuple[Download, ...] = ()
    mirror_patterns: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    reader: RawReader | None = None
    sniff: Callable[[Sequence[Sequence[str]]], bool] | None = None
    sheet: str | None = None

    def __post_init__(self) -> None:
        if not re.match(r"^[a-z][a-z0-9_]*$", self.name):
            raise ValueError(f"Source name {self.name!r} must be lower-case words joined by '_'.")
        names = [c.name for c in self.columns]
        seen: set[str] = set()
        for column in self.columns:
            for label in (column.name, *column.aliases):
                folded = label.lower()
                if folded in seen:
                    raise ValueError(f"{self.name}: column name {label!r} is declared twice.")
                seen.add(folded)
        for key in self.key:
            if key not in names:
                raise ValueError(f"{self.name}: key column {key!r} is not declared.")
        for rule in self.countries:
            for col in (rule.column, rule.year_column, rule.fallback_column):
                if col is not None and col not in names:
                    raise ValueError(f"{self.name}: country column {col!r} is not declared.")
        for row_rule in self.row_rules:
            for col in (row_rule.column, *row_rule.columns):
                if col not in names:
                    raise ValueError(f"{self.name}: row rule column {col!r} is not declared.")
        if self.version_column is not None and self.version_column not in names:
            raise ValueError(f"{self.name}: version column {self.version_column!r} is unknown.")
        if self.version_pattern is not None:
            re.compile(self.version_pattern)
        for layout in self.layouts:
            for target in layout.renames.values():
                if target not in names:
                    raise ValueError(f"{self.name}: layout {layout.name} renames to {target!r}.")
        for item in (self.title, self.publisher, self.licence, self.citation, self.url):
            if not item:
                raise ValueError(f"{self.name}: title, publisher, licence, citation, url needed.")

    def column(self, name: str) -> Column:
        """The declared column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        """Columns every file of the source must have."""
        return tuple(c for c in self.columns if c.required)

    @property
    def output_columns(self) -> tuple[str, ...]:
        """Column names of the validated table, in order (declared, derived, country keys).

        Extra columns a file brings are appended after these when the source keeps them.
        """
        out = [c.name for c in self.columns]
        out += [d.name for d in self.derived]
        for rule in self.countries:
            out.append(rule.target)
            if rule.separator is not None:
                out.append(rule.target + "_all")
        return tuple(out)


@dataclass(frozen=True)
class OpenedCsv:
    """A text file ready to be parsed: a plain path DuckDB can read, and how to decode it."""

    display_name: str
    path: str
    compression: Literal["none", "gzip"]
    encoding: str
