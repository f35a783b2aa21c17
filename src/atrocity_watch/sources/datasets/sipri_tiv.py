"""SIPRI Arms Transfers Database: trend-indicator values (TIV) of major arms deliveries.

SIPRI's export tables (``TIV-Export-<code>-1950-2021.csv``) hold one supplier each: a title
line naming it, notes, a header of years, one row per recipient and a total row. Import tables
(``TIV of arms imports to …``) are the mirror image. Both become a long table of supplier,
recipient, year and TIV; so does the long layout of processed copies (``supplier, recipient,
year, value``). A TIV is a volume in millions, not a price; SIPRI writes 0 for deliveries
under 0.5 million and leaves years without deliveries empty (those are left out).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence

import pyarrow as pa

from atrocity_watch.sources._errors import SourceFormatError
from atrocity_watch.sources._files import open_text
from atrocity_watch.sources._spec import THIS_YEAR, Column, CountryRule, OpenedCsv, SourceSpec

_TITLE = re.compile(r"^TIV of arms (exports from|imports to) (.+?), (\d{4})-(\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
NOT_A_STATE = (
    "SIPRI marks non-State actors with * and international organisations with **; unknown "
    "suppliers or recipients have no country either"
)
_UNKNOWN_PARTY = r"\*$|^Unknown (recipient|supplier)\(s\)$"
SELF_DECLARED = "a self-declared State SIPRI lists as a party, not a State in the registry"
# SIPRI's names the registry does not carry: a short form, and one of Libya's rival
# governments (SIPRI also lists "Libya HoR", which the registry knows as Libya).
_NAMES = {"Saint Vincent": "iso3:VCT", "Libya GNC": "iso3:LBY"}


def sniff(records: Sequence[Sequence[str]]) -> bool:
    """True for a SIPRI TIV table or a long supplier/recipient/year/value file."""
    if not records:
        return False
    first = records[0]
    if first and _TITLE.match(first[0].strip()):
        return True
    folded = {c.strip().lower() for c in first}
    return {"supplier", "recipient", "year"} <= folded and bool({"value", "tiv"} & folded)


def read(spec: SourceSpec, opened: OpenedCsv) -> pa.Table:
    """Turn a SIPRI table (or the long layout) into supplier, recipient, year, tiv, _line."""
    out: dict[str, list[str | None]] = {k: [] for k in ("supplier", "recipient", "year", "tiv")}
    lines: list[str] = []
    with open_text(opened) as text:
        reader = csv.reader(text)
        rows: list[tuple[int, list[str]]] = []
        line = 1
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    if not rows:
        raise SourceFormatError(opened.display_name, reason="the file has no lines of text")
    title = _TITLE.match(rows[0][1][0].strip()) if rows[0][1] else None
    if title is None:
        _read_long(rows, out, lines)
    else:
        _read_table(opened, title, rows, out, lines)
    columns = {k: pa.array(v, type=pa.string()) for k, v in out.items()}
    columns["_line"] = pa.array(lines, type=pa.string())
    return pa.table(columns)


def _read_table(
    opened: OpenedCsv,
    title: re.Match[str],
    rows: list[tuple[int, list[str]]],
    out: dict[str, list[str | None]],
    lines: list[str],
) -> None:
    exports = title.group(1) == "exports from"
    party = title.group(2).strip()
    header: list[str] | None = None
    for line, row in rows[1:]:
        cells = [c.strip() for c in row]
        if header is None:
            if len(cells) > 2 and all(_YEAR.match(c) for c in cells[1:3]):
                header = cells
            continue
        if not any(cells):
            continue
        if cells[0] == "Total":
            break
        if len(cells) < len(header):
            raise SourceFormatError(
                opened.display_name,
                line=line,
                reason=f"the line has {len(cells)} values where the header has {len(header)}: "
                "the record is incomplete",
            )
        other = cells[0]
        for index, year in enumerate(header):
            if not _YEAR.match(year) or not cells[index]:
                continue
            supplier, recipient = (party, other) if exports else (other, party)
            for key, value in (
                ("supplier", supplier),
                ("recipient", recipient),
                ("year", year),
                ("tiv", cells[index]),
            ):
                out[key].append(value)
            lines.append(str(line))
    if header is None:
        raise SourceFormatError(
            opened.display_name, reason="no header line of years (',1950,1951,...') found"
        )


def _read_long(
    rows: list[tuple[int, list[str]]], out: dict[str, list[str | None]], lines: list[str]
) -> None:
    header = [c.strip().lower() for c in rows[0][1]]
    value_column = "tiv" if "tiv" in header else "value"
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        item = dict(zip(header, row, strict=False))
        out["supplier"].append(item.get("supplier"))
        out["recipient"].append(item.get("recipient"))
        out["year"].append(item.get("year"))
        out["tiv"].append(item.get(value_column) or None)
        lines.append(str(line))


def _party_rule(column: str, target: str) -> CountryRule:
    return CountryRule(
        column=column,
        scheme="name",
        year_column="year",
        target=target,
        unmapped_pattern=_UNKNOWN_PARTY,
        unmapped_pattern_reason=NOT_A_STATE,
        unmapped=dict.fromkeys(("Katanga", "Biafra", "Northern Cyprus"), SELF_DECLARED),
        overrides=_NAMES,
        rule=(
            f"{column} is a country name looked up for the year. " + NOT_A_STATE + ", and "
            "self-declared States (Katanga, Biafra, Northern Cyprus) are not States in the "
            f"registry: such rows are kept with an empty {target}. 'Saint Vincent' is St "
            "Vincent and the Grenadines; 'Libya GNC', one of Libya's rival governments, is "
            "Libya."
        ),
    )


SPEC = SourceSpec(
    name="sipri_tiv",
    title="SIPRI Arms Transfers Database (TIV tables)",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    licence="Free to use with attribution: 'Source: SIPRI Arms Transfers Database'",
    citation="SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, "
    "https://www.sipri.org/databases/armstransfers",
    url="https://armstrade.sipri.org/",
    description=(
        "Volumes of major conventional arms delivered from each supplier to each recipient per "
        "year (SIPRI trend-indicator values, millions), 1950 onwards."
    ),
    unit="supplier-recipient-year",
    columns=(
        Column(
            "supplier",
            "text",
            "Supplier (SIPRI's name; * non-State, ** organisation).",
            required=True,
            nullable=False,
        ),
        Column(
            "recipient",
            "text",
            "Recipient (SIPRI's name; * non-State, ** organisation).",
            required=True,
            nullable=False,
        ),
        Column(
            "year",
            "integer",
            "Year of delivery.",
            required=True,
            nullable=False,
            minimum=1950,
            maximum=THIS_YEAR,
        ),
        Column(
            "tiv",
            "number",
            "Trend-indicator value in millions (0 = less than 0.5 million).",
            required=True,
            nullable=False,
            minimum=0,
        ),
    ),
    key=("supplier", "recipient", "year"),
    countries=(_party_rule("recipient", "iso3"), _party_rule("supplier", "supplier_iso3")),
    reader=read,
    sniff=sniff,
    version_pattern=r"TIV-(?:Export|Import)-\w+-(\d{4}-\d{4})|sipri-(exports)-processed",
    mirror_patterns=(
        "sipri/tiv_export_tables_raw_*/TIV-Export-*.csv",
        "sipri/TIV-Export-*.csv",
        "sipri/TIV-Import-*.csv",
    ),
    rules=(
        "iso3 is the recipient's country; supplier_iso3 the supplier's.",
        NOT_A_STATE + ": kept, with an empty country key.",
        "Years without deliveries (empty cells) are left out; SIPRI's Total row and column "
        "are not read.",
    ),
)
