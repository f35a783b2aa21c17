"""World Bank indicators (World Development Indicators), one row per country, indicator, year.

Four layouts are read into the same long table: the CSV the World Bank's data site serves
(``API_<indicator>_DS2_en_csv_v2_*.csv``, with four lines before the header and one column per
year), a DataBank export (``1960 [YR1960]`` columns, ``..`` for missing, notes at the end), the
long layout written by ``fetch`` from the World Bank API (through ``wbgapi``), and the layout of
R's ``WDI`` package (``country, iso2c, iso3c, year`` and one column per indicator). Regional,
income and lending aggregates are dropped and counted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence

import pyarrow as pa

from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._files import open_text
from atrocity_watch.sources._spec import (
    THIS_YEAR,
    Column,
    CountryRule,
    Download,
    OpenedCsv,
    SourceSpec,
)

INDICATORS = {
    "SP.POP.TOTL": "Population, total",
    "SP.DYN.IMRT.IN": "Mortality rate, infant (per 1,000 live births)",
    "NY.GDP.PCAP.KD": "GDP per capita (constant 2015 US$)",
    "NY.GDP.PCAP.KD.ZG": "GDP per capita growth (annual %)",
    "NE.TRD.GNFS.ZS": "Trade (% of GDP)",
}
"""The indicators ``fetch`` asks the World Bank API for (those the panels and models use)."""

# Aggregates of the World Bank API (its region, income-level and lending-type lists): not
# countries, so their rows are left out.
_REGIONS = "AFE AFR AFW ARB CEA CEB CLA CME CSA CSS EAP EAR EAS ECA ECS"  # codespell:ignore
_REGIONS += " EMU EUU FCS HPC LAC LCN"
_REGIONS += " LDC LTE MDE MEA MNA NAC NAF NRS OED OSS PRE PSS PST RRS SAS SSA SSF SST SXZ TEA"
_REGIONS += " TEC TLA TMN TSA TSS WLD XZN"
_INCOME_LEVELS = "HIC INX LIC LMC LMY MIC UMC"
_LENDING_TYPES = "IBD IBT IDA IDB IDX LNX"
AGGREGATES = tuple(f"{_REGIONS} {_INCOME_LEVELS} {_LENDING_TYPES}".split())
_AGGREGATE_NAMES = (
    "High income",
    "Low income",
    "Lower middle income",
    "Upper middle income",
    "Low & middle income",
    "Middle income",
    "Not classified",
    "World",
)
AGGREGATE_REASON = "a World Bank aggregate (region, income group or lending group), not a country"
CHANNEL_ISLANDS = "the Channel Islands (Jersey and Guernsey together), not one country"

_YEAR = re.compile(r"^(\d{4})(?: \[YR\d{4}\])?$")
_ID_COLUMNS = {
    "country",
    "iso2c",
    "iso3c",
    "year",
    "ccode",
    "cowcode",
    "status",
    "lastupdated",
    "region",
    "capital",
    "longitude",
    "latitude",
    "income",
    "lending",
}
_OUT = ("country_name", "country_code", "indicator_code", "indicator_name", "year", "value")

Add = Callable[..., None]
"""Appends one long row: ``add(line, name, code, indicator, indicator_name, year, value)``."""


def _records(opened: OpenedCsv) -> Iterator[tuple[int, list[str]]]:
    """Every record with the physical line it starts on."""
    with open_text(opened) as text:
        reader = csv.reader(text)
        line = 1
        for row in reader:
            yield line, row
            line = reader.line_num + 1


def _layout(records: Sequence[Sequence[str]]) -> str | None:
    for row in records:
        folded = [c.strip().lower() for c in row]
        if "country code" in folded and "indicator code" in folded:
            return "download"
        if "country code" in folded and "series code" in folded:
            return "databank"
        if {"economy", "series", "year", "value"} <= set(folded):
            return "long"
        if "iso3c" in folded and "year" in folded and len(folded) > 2:
            return "wdi_package"
    return None


def sniff(records: Sequence[Sequence[str]]) -> bool:
    """True when the first records look like one of the World Bank layouts."""
    return _layout(records[:8]) is not None


def read(spec: SourceSpec, opened: OpenedCsv) -> pa.Table:
    """Turn any of the four layouts into the long text table (plus ``_line``)."""
    records = _records(opened)
    head: list[tuple[int, list[str]]] = []
    for item in records:
        head.append(item)
        if len(head) >= 8:
            break
    layout = _layout([r for _, r in head])
    if layout is None:
        raise SourceFormatError(
            opened.display_name, reason="not a World Bank indicator file in a known layout"
        )
    rows = _chain(head, records)
    columns: dict[str, list[str | None]] = {name: [] for name in (*_OUT, "_line")}

    def add(line: int, *values: str | None) -> None:
        for name, value in zip((*_OUT, "_line"), (*values, str(line)), strict=True):
            columns[name].append(value)

    if layout in ("download", "databank"):
        _read_wide(opened, rows, layout, add)
    elif layout == "long":
        _read_long(rows, add)
    else:
        _read_wdi_package(rows, add)
    return pa.table({name: pa.array(values, type=pa.string()) for name, values in columns.items()})


def _chain(
    head: list[tuple[int, list[str]]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from head
    yield from rest


def _blank(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "..") else value


def _read_wide(
    opened: OpenedCsv, rows: Iterator[tuple[int, list[str]]], layout: str, add: Add
) -> None:
    header: list[str] | None = None
    for line, row in rows:
        folded = [c.strip().lower() for c in row]
        if header is None:
            if "country code" in folded:
                header = [c.strip() for c in row]
                code_col = folded.index("country code")
                name_col = folded.index("country name")
                key = "indicator" if layout == "download" else "series"
                ind_col = folded.index(f"{key} code")
                ind_name_col = folded.index(f"{key} name")
                years = [(i, _YEAR.match(h)) for i, h in enumerate(header)]
                year_cols = [(i, m.group(1)) for i, m in years if m]
            continue
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            if layout == "databank" and (code_col >= len(row) or not row[code_col].strip()):
                continue  # DataBank's notes after the table ("Data from database: ...")
            raise SourceFormatError(
                opened.display_name,
                line=line,
                reason=f"the line has {len(row)} values where the header has {len(header)}: "
                "the record is incomplete",
            )
        if layout == "databank" and not row[code_col].strip():
            continue
        for index, year in year_cols:
            value = _blank(row[index])
            if value is None:
                continue
            add(
                line,
                _blank(row[name_col]),
                _blank(row[code_col]),
                _blank(row[ind_col]),
                _blank(row[ind_name_col]),
                year,
                value,
            )
    if header is None:
        raise SourceFormatError(opened.display_name, reason="no 'Country Code' header line found")


def _read_long(rows: Iterator[tuple[int, list[str]]], add: Add) -> None:
    header: list[str] | None = None
    for line, row in rows:
        if header is None:
            header = [c.strip().lower() for c in row]
            continue
        if not any(c.strip() for c in row):
            continue
        item = dict(zip(header, row, strict=False))
        year = item.get("year", "").strip()
        add(
            line,
            _blank(item.get("economy_name", "")),
            _blank(item.get("economy", "")),
            _blank(item.get("series", "")),
            _blank(item.get("series_name", "")),
            year[2:] if year.upper().startswith("YR") else year,
            _blank(item.get("value", "")),
        )


# Column names of files in R's WDI layout that are not World Development Indicators codes, with
# whose figure each is. The Early Warning Project (EWP) keeps the UN IGME infant mortality series
# in this layout (``un_imr_clean.csv``); the name says so, so a reader of the stored rows does
# not take a UN estimate for a World Bank one (EWP 2025 repository, ``2.Make-new-base-data``,
# and ../shared/data/worldbank/SOURCES.md).
KNOWN_COLUMNS = {
    "un_imr": (
        "Infant mortality rate per 1,000 live births: UN Inter-agency Group for Child Mortality "
        "Estimation (UN IGME) via the Early Warning Project, not a World Bank series; free with "
        "citation"
    ),
    "wdi.trade.new": "Trade (% of GDP), WDI NE.TRD.GNFS.ZS as prepared by EWP",
    "wdi.gdppc.new": "GDP per capita, WDI as prepared by EWP",
    "wdi.gdppcgrow.new": "GDP per capita growth (annual %), WDI as prepared by EWP",
    "wdi.popsize.new": "Population, total, WDI SP.POP.TOTL as prepared by EWP",
    "wdi.imrate.new": (
        "Infant mortality per 1,000 live births, WDI SP.DYN.IMRT.IN as prepared by EWP"
    ),
    "wdi.imports.new": "Imports (% of GDP), WDI as prepared by EWP",
    "wdi.exports.new": "Exports (% of GDP), WDI as prepared by EWP",
}


def _read_wdi_package(rows: Iterator[tuple[int, list[str]]], add: Add) -> None:
    header: list[str] | None = None
    indicators: list[tuple[int, str]] = []
    for line, row in rows:
        if header is None:
            header = [c.strip() for c in row]
            folded = [h.lower() for h in header]
            code_col = folded.index("iso3c")
            year_col = folded.index("year")
            name_col = folded.index("country") if "country" in folded else None
            indicators = [(i, h) for i, h in enumerate(header) if h.lower() not in _ID_COLUMNS]
            continue
        if not any(c.strip() for c in row):
            continue
        name = row[name_col] if name_col is not None and name_col < len(row) else None
        code = row[code_col] if code_col < len(row) else ""
        for index, indicator in indicators:
            value = _blank(row[index]) if index < len(row) else None
            if value is None or value.upper() == "NA":
                continue
            add(
                line,
                name,
                _blank(code),
                indicator,
                KNOWN_COLUMNS.get(indicator.lower()),
                row[year_col],
                value,
            )


SPEC = SourceSpec(
    name="worldbank",
    title="World Bank World Development Indicators",
    publisher="The World Bank",
    licence="CC BY 4.0 (World Bank Open Data terms)",
    citation="World Bank, World Development Indicators, https://data.worldbank.org",
    url="https://data.worldbank.org/",
    description=(
        "Population, infant mortality, GDP per capita and its growth, trade and any other "
        "World Development Indicator, per country and year from 1960."
    ),
    unit="country-indicator-year",
    columns=(
        Column("country_name", "text", "Country name as the World Bank writes it.", required=True),
        Column(
            "country_code",
            "text",
            "World Bank country code (ISO 3166-1 alpha-3 for countries; XKX Kosovo).",
            required=True,
        ),
        Column(
            "indicator_code",
            "text",
            "Indicator code (e.g. SP.POP.TOTL); for R's WDI layout, the file's column name.",
            required=True,
            nullable=False,
        ),
        Column("indicator_name", "text", "Indicator name, where the file gives it."),
        Column(
            "year",
            "integer",
            "Calendar year.",
            required=True,
            nullable=False,
            minimum=1900,
            maximum=THIS_YEAR,
        ),
        Column(
            "value", "number", "The indicator's value (empty cells are left out).", required=True
        ),
    ),
    # The name is part of the key: aggregates in R's WDI layout can lack a code.
    key=("country_code", "country_name", "indicator_code", "year"),
    countries=(
        CountryRule(
            column="country_code",
            scheme="iso3",
            fallback_column="country_name",
            fallback_scheme="name",
            out_of_scope=dict.fromkeys(AGGREGATES, AGGREGATE_REASON)
            | dict.fromkeys(_AGGREGATE_NAMES, AGGREGATE_REASON)
            | {"CHI": CHANNEL_ISLANDS},
            rule=(
                "country_code is looked up as an ISO3 code (the country name where the code is "
                "missing). World Bank aggregates (regions, income and lending groups: "
                + ", ".join(AGGREGATES[:6])
                + ", …) and the Channel Islands (CHI) are dropped and counted."
            ),
        ),
    ),
    reader=read,
    sniff=sniff,
    version_pattern=r"ewp_(\d{4})|_csv_v\d+_(\d+)|indicators_(\d{4}-\d{2}-\d{2})",
    downloads=(
        Download(
            "https://api.worldbank.org/v2",
            "worldbank_indicators.csv",
            "The World Bank API (through wbgapi): " + ", ".join(INDICATORS) + ".",
            kind="worldbank_api",
            indicators=tuple(INDICATORS),
        ),
    ),
    mirror_patterns=(
        "worldbank/API_*.csv",
        "worldbank/API_*.zip",
        "worldbank/worldbank_indicators.csv",
        "worldbank/wdi_*.csv",
    ),
    rules=(
        "The table is long: one row per country, indicator and year; empty cells are left "
        "out rather than stored as missing rows.",
    ),
)
