"""Every country name and code in the real datasets resolves, or is a listed, explained exception.

The test reads the files under ../shared/data directly (csv module, as published), asks the
registry for each distinct value together with the year it appears in, and prints the
resolution rate per source and overall (``pytest -s`` shows it). A value that neither resolves
nor sits in EXCEPTIONS fails the test with the file, column, value and year.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from atrocity_watch.countries import (
    CountryOutOfScopeError,
    Registry,
    UnknownCountryError,
    get_registry,
)

pytestmark = pytest.mark.shared_data


@dataclass(frozen=True)
class Column:
    """One column of one file that holds country names or codes."""

    source: str
    path: str
    column: str
    scheme: str
    year: str | None = None  # column with the year the value is from
    encoding: str = "utf-8-sig"
    split: str | None = None  # separator of lists such as "625, 626"
    fixed_year: int | None = None  # the data year of a file without a year column


VDEM = "vdem/vdemlite_v14_atrocity_subset_1970_2023.csv"
EWP_2019 = "ewp/sra2020/prepared2019predictors-2020-08-10.csv"
EWP_2018 = "ewp/sra2019/prepared2018predictors_9_19_19__dat.csv"
EWP_2016 = "ewp/sra2016/EWP_final_data_31Oct2016__dat.retro.isr.csv"
EWP_EXANTE = "ewp/sra2013-2015/ewp.exante.forecast.history.2015.csv"
EWP_2023_FINAL = "ewp/sra2023/final_forecasts_data_9Nov_hackregion.csv"
EWP_MK_EVENTS = "ewp/sra2025/EWP mass killing events master list_2025__mk_events.csv"
EWP_MK_ONGOING = "ewp_inputs_2025/EWP_mk_ongoing_sheet_2025.csv"

UCDP_GED = [
    "ucdp/ged_subset/GEDEvent_v23_1_sample1000_uncertainUCDP.csv",
    "ucdp/ged_subset/GEDEvent_v23_1_CAF482.csv",
    "ucdp/ged_subset/GEDEvent_v24_1_MMR775_netify.csv",
    "ucdp/ged_subset/GEDSyria_652.1601.1911_2016-2017.csv",
    "ucdp/ged_subset/GEDSyria_652.1601.1911_2018-2019.csv",
]
ACLED_EVENTS = [
    "acled/acledR_sample_2022Q1.csv",
    "acled/acledR_sample_2022Q2.csv",
    "acled/acledR_sample_Argentina_2022-06.csv",
    "acled/acled_Sudan_2021-10-25_2023-02-10_export31.csv",
    "acled/acled_Sudan_2023-04-11_2023-04-14_newformat.csv",
]
ACLED_AGGREGATES = [
    "acled/aggregates_2025-10-24/number_of_demonstration_events_by_country-year_as-of-24Oct2025_0.csv",
    "acled/aggregates_2025-10-24/number_of_events_targeting_civilians_by_country-year_as-of-24Oct2025_0.csv",
    "acled/aggregates_2025-10-24/number_of_political_violence_events_by_country-month-year_as-of-24Oct2025_0.csv",
    "acled/aggregates_2025-10-24/number_of_reported_civilian_fatalities_by_country-year_as-of-24Oct2025_0.csv",
    "acled/aggregates_2025-10-24/number_of_reported_fatalities_by_country-year_as-of-24Oct2025_0.csv",
]  # fmt: skip
EWP_FORECASTS = [  # (file, base year of the forecast list)
    ("ewp/sra2017-2018/sortedrisk_2016based_1and2yr_15Oct2018.csv", 2016),
    ("ewp/sra2017-2018/sortedrisk_2017based_1and2yr_15Oct2018.csv", 2017),
    ("ewp/sra2019/base2018-run-2019-09-19.csv", 2018),
    ("ewp/sra2020/base2019-run-2020-08-18.csv", 2019),
    ("ewp/sra2021/base2020-run-2021-08-18.csv", 2020),
    ("ewp/sra2022/base2021-run-2022-09-30.csv", 2021),
]

COLUMNS: list[Column] = [
    # UCDP: country ids are Gleditsch-Ward numbers with UCDP's own continuity (345, 678, 327).
    Column("UCDP", "ucdp/organizedviolencecy_v25_1.csv", "country_id_cy", "ucdp", "year_cy"),
    Column("UCDP", "ucdp/organizedviolencecy_v25_1.csv", "country_cy", "name", "year_cy"),
    *[Column("UCDP", p, "country_id", "ucdp", "year") for p in UCDP_GED],
    *[Column("UCDP", p, "country", "name", "year") for p in UCDP_GED],
    Column("UCDP", "ucdp/ucdp-prio-acd-221.csv", "gwno_loc", "ucdp", "year", split=","),
    Column("UCDP", "ucdp/ucdp-prio-acd-221.csv", "location", "name", "year", split=","),
    Column("UCDP", "ucdp/ucdp-nonstate-221.csv", "gwno_location", "ucdp", "year", split=","),
    Column("UCDP", "ucdp/ucdp-nonstate-221.csv", "location", "name", "year", split=","),
    Column("UCDP", "ucdp/OneSided_v25_1.csv", "gwno_location", "ucdp", "year", split=","),
    Column("UCDP", "ucdp/OneSided_v25_1.csv", "location", "name", "year", split=","),
    Column("UCDP", "ucdp/BattleDeaths_v25_1.csv", "gwno_loc", "ucdp", "year", split=","),
    Column("UCDP", "ucdp/BattleDeaths_v25_1.csv", "location_inc", "name", "year", split=","),
    Column("UCDP", "ucdp/acd_countryyear_gw_demspaces.csv", "gwcode", "gw", "year"),
    # ACLED: names and ISO numeric codes; reference tables and public aggregates.
    *[Column("ACLED", p, "country", "name", "year") for p in ACLED_EVENTS],
    *[Column("ACLED", p, "iso", "iso_numeric", "year") for p in ACLED_EVENTS],
    Column("ACLED", ACLED_EVENTS[3], "iso3", "iso3", "year"),
    Column("ACLED", "acled/acled_countries.csv", "country", "name"),
    Column("ACLED", "acled/acled_conflict_index_fullyear2024_allcolumns-2.csv", "Country", "name",
           fixed_year=2024),
    *[Column("ACLED", p, "COUNTRY", "name", "YEAR") for p in ACLED_AGGREGATES],
    # V-Dem v14 (country_id is year-aware: Serbia 198 is Yugoslavia before 2003).
    Column("V-Dem", VDEM, "country_id", "vdem", "year"),
    Column("V-Dem", VDEM, "country_name", "name", "year"),
    Column("V-Dem", VDEM, "country_text_id", "iso3", "year"),
    # EPR: Gleditsch-Ward codes and state names (group periods: checked at both ends).
    Column("EPR", "epr/EPR-2021.csv", "gwid", "gw", "from"),
    Column("EPR", "epr/EPR-2021.csv", "gwid", "gw", "to"),
    Column("EPR", "epr/EPR-2021.csv", "statename", "name", "from"),
    Column("EPR", "epr/epr_countryyear_growup_aggregates.csv", "countries_gwid", "gw", "year"),
    Column("EPR", "epr/epr_countryyear_growup_aggregates.csv", "countryname", "name", "year"),
    Column("EPR", "epr/epr_countryyear_gw_demspaces.csv", "gwcode", "gw", "year"),
    # PTS (Latin-1): names, old names, COW letters and numbers, World Bank codes, UN numeric.
    Column("PTS", "pts/PTS-2024.csv", "Country", "name", "Year", "latin-1"),
    Column("PTS", "pts/PTS-2024.csv", "Country_OLD", "name", "Year", "latin-1"),
    Column("PTS", "pts/PTS-2024.csv", "COW_Code_N", "cow", "Year", "latin-1"),
    Column("PTS", "pts/PTS-2024.csv", "COW_Code_A", "cow_letters", "Year", "latin-1"),
    Column("PTS", "pts/PTS-2024.csv", "WordBank_Code_A", "iso3", "Year", "latin-1"),
    Column("PTS", "pts/PTS-2024.csv", "UN_Code_N", "iso_numeric", "Year", "latin-1"),
    # World Bank and the other structural series.
    Column("World Bank", "worldbank/wdi_ewp_2025.csv", "country", "name", "year"),
    Column("World Bank", "worldbank/wdi_ewp_2025.csv", "iso3c", "iso3", "year"),
    Column("World Bank", "worldbank/wdi_ewp_2025.csv", "ccode", "cow", "year"),
    Column("World Bank", "worldbank/un_imr_clean_ewp_2025.csv", "iso3c", "iso3", "year"),
    Column("World Bank", "worldbank/un_imr_clean_ewp_2025.csv", "ccode", "cow", "year"),
    Column("World Bank", "worldbank/gdp_gw_1950_2021_demspaces.csv", "gwcode", "gw", "year"),
    Column("World Bank", "worldbank/population_gw_demspaces.csv", "gwcode", "gw", "year"),
    Column("World Bank", "worldbank/wdi_infmort_gw_demspaces.csv", "gwcode", "gw", "year"),
    # Early Warning Project: modelling data, forecasts, FOOS backtests, mass-killing lists.
    Column("EWP", "ewp/ewp_published_forecasts_long.csv", "country", "name", "base_year"),
    Column("EWP", "ewp/ewp_published_forecasts_long.csv", "ccode", "cow", "base_year"),
    Column("EWP", "ewp/ewp_published_forecasts_long.csv", "sftgcode", "pitf", "base_year"),
    Column("EWP", "ewp/sra2025/prepared2024predictors-2025-09-03.csv", "ewp_name", "name", "year"),
    Column("EWP", "ewp/sra2025/prepared2024predictors-2025-09-03.csv", "ccode", "cow", "year"),
    Column("EWP", "ewp/sra2024/prepared2023predictors-2024-10-10.csv", "ewp_name", "name", "year"),
    Column("EWP", "ewp/sra2024/prepared2023predictors-2024-10-10.csv", "ccode", "cow", "year"),
    Column("EWP", "ewp/sra2025/basedata2025_4august2025.csv", "country", "name", "year"),
    Column("EWP", "ewp/sra2025/basedata2025_4august2025.csv", "ewp_name", "name", "year"),
    Column("EWP", "ewp/sra2025/basedata2025_4august2025.csv", "ccode", "cow", "year"),
    Column("EWP", EWP_2019, "country_name", "name", "year"),
    Column("EWP", EWP_2019, "sftgcode", "pitf", "year"),
    Column("EWP", EWP_2019, "COWcode", "cow", "year"),
    Column("EWP", EWP_2018, "country_name", "name", "year"),
    Column("EWP", EWP_2018, "sftgcode", "pitf", "year"),
    Column("EWP", EWP_2018, "COWcode", "cow", "year"),
    Column("EWP", EWP_2016, "country", "name", "year"),
    Column("EWP", EWP_2016, "sftgcode", "pitf", "year"),
    Column("EWP", EWP_EXANTE, "country", "name", "forecast.year"),
    Column("EWP", EWP_EXANTE, "sftgcode", "pitf", "forecast.year"),
    Column("EWP", "ewp/sra2013-2015/ewp.forecasts.2015.csv", "country", "name", "year"),
    Column("EWP", "ewp/sra2013-2015/mkl.csv", "sftgcode", "pitf", "year"),
    *[Column("EWP", p, "country", "name", fixed_year=y) for p, y in EWP_FORECASTS],
    *[Column("EWP", p, "SFTGcode", "pitf", fixed_year=y) for p, y in EWP_FORECASTS],
    *[Column("EWP", p, "COW", "cow", fixed_year=y) for p, y in EWP_FORECASTS],
    Column("EWP", "ewp/sra2020/mkl_data.csv", "country_name", "name", "year"),
    Column("EWP", "ewp/sra2020/mkl_data.csv", "sftgcode", "pitf", "year"),
    Column("EWP", "ewp/sra2021/mkl_data.csv", "country_name", "name", "year"),
    Column("EWP", "ewp/sra2021/mkl_data.csv", "sftgcode", "pitf", "year"),
    Column("EWP", "ewp/sra2022/mkl_data.csv", "country_name", "name", "year"),
    Column("EWP", "ewp/sra2022/mkl_data.csv", "sftgcode", "pitf", "year"),
    Column("EWP", "ewp/sra2023/mkl_data.csv", "country", "name", "year"),
    Column("EWP", "ewp/sra2023/mkl_data.csv", "ccode", "cow", "year"),
    Column("EWP", EWP_2023_FINAL, "country", "name", "year"),
    Column("EWP", "ewp/sra2023/forecasts_3models_9Nov_hackregion.csv", "country", "name",
           fixed_year=2022),
    Column("EWP", "ewp/sra2023/FOOSforecasts_9Nov_hackregion.csv", "country", "name", "year"),
    Column("EWP", "ewp/sra2023/FOOSforecasts_9Nov_hackregion.csv", "ccode", "cow", "year"),
    Column("EWP", "ewp/sra2024/FOOSforecasts_11Oct2024.csv", "ewp_name", "name", "year"),
    Column("EWP", "ewp/sra2024/FOOSforecasts_11Oct2024.csv", "ccode", "cow", "year"),
    Column("EWP", "ewp/sra2025/FOOSforecasts_3Sep2025.csv", "ewp_name", "name", "year"),
    Column("EWP", "ewp/sra2025/FOOSforecasts_3Sep2025.csv", "ccode", "cow", "year"),
    Column("EWP", "ewp/sra2024/final_forecasts_data_11Oct2024.csv", "ewp_name", "name", "year"),
    Column("EWP", "ewp/sra2025/final_forecasts_data_3Sep2025.csv", "ewp_name", "name", "year"),
    Column("EWP", EWP_MK_EVENTS, "country", "name", "startyear"),
    Column("EWP", EWP_MK_EVENTS, "mk_location_cow", "cow", "startyear"),
    Column("EWP", EWP_MK_EVENTS, "mk_repsonsible_state_cow", "cow", "startyear"),
    Column("EWP", EWP_MK_ONGOING, "Country", "name", "Start Year"),
    Column("EWP", EWP_MK_ONGOING, "COW Country Code", "cow", "Start Year"),
    Column("EWP", "ewp_inputs_2025/EWP_mk_ended_sheet_2025.csv", "Country", "name", "Start Year "),
    Column("EWP", "ewp_inputs_2025/iccpr-data.csv", "country", "name", "year"),
    Column("EWP", "ewp_inputs_2025/iccpr-data.csv", "ccode", "cow", "year"),
    Column("EWP", "ewp_inputs_2025/all-coups.csv", "country", "name", "year"),
    Column("EWP", "ewp_inputs_2025/all-coups.csv", "ccode", "cow", "year"),
    Column("EWP", "ewp_inputs_2025/battledeaths_countryyear_ucdp.csv", "country", "name", "year"),
    Column("EWP", "ewp_inputs_2025/hief_ethnic_fractionalization.csv", "Country", "name", "Year"),
]  # fmt: skip


@dataclass(frozen=True)
class Exception_:
    """Values of one source that are not countries, or that are deliberately not mapped."""

    source: str
    values: tuple[str, ...]
    reason: str
    years: tuple[int, int] | None = None  # only in these years (inclusive)
    scheme: str | None = None  # only for this code scheme

    def covers(self, source: str, scheme: str, value: str, year: int | None) -> bool:
        if source != self.source or value not in self.values:
            return False
        if self.scheme is not None and scheme != self.scheme:
            return False
        if self.years is None:
            return True
        return year is not None and self.years[0] <= year <= self.years[1]


WORLD_BANK_AGGREGATE_CODES = (
    "AFE",  # codespell:ignore
    "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS",
    "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "LAC", "LCN", "LDC", "LMY", "LTE", "MEA", "MIC",
    "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA", "SSF", "SST", "TEA", "TEC",
    "TLA", "TMN", "TSA", "TSS", "WLD",
)  # fmt: skip
WORLD_BANK_AGGREGATE_NAMES = (
    "Africa Eastern and Southern", "Africa Western and Central", "Arab World",
    "Caribbean small states", "Central Europe and the Baltics", "Early-demographic dividend",
    "East Asia & Pacific", "East Asia & Pacific (IDA & IBRD countries)",
    "East Asia & Pacific (excluding high income)", "Euro area", "Europe & Central Asia",
    "Europe & Central Asia (IDA & IBRD countries)", "Europe & Central Asia (excluding high income)",
    "European Union", "Fragile and conflict affected situations",
    "Heavily indebted poor countries (HIPC)", "High income", "IBRD only", "IDA & IBRD total",
    "IDA blend", "IDA only", "IDA total", "Late-demographic dividend", "Latin America & Caribbean",
    "Latin America & Caribbean (excluding high income)",
    "Latin America & the Caribbean (IDA & IBRD countries)",
    "Least developed countries: UN classification", "Low & middle income", "Low income",
    "Lower middle income", "Middle East, North Africa, Afghanistan & Pakistan",
    "Middle East, North Africa, Afghanistan & Pakistan (IDA & IBRD)",
    "Middle East, North Africa, Afghanistan & Pakistan (excluding high income)", "Middle income",
    "North America", "Not classified", "OECD members", "Other small states",
    "Pacific island small states", "Post-demographic dividend", "Pre-demographic dividend",
    "Small states", "South Asia", "South Asia (IDA & IBRD)", "Sub-Saharan Africa",
    "Sub-Saharan Africa (IDA & IBRD countries)", "Sub-Saharan Africa (excluding high income)",
    "Upper middle income", "World",
)  # fmt: skip

#: Values that are not countries, or that the registry deliberately does not map, with why.
EXCEPTIONS: tuple[Exception_, ...] = (
    Exception_("World Bank", WORLD_BANK_AGGREGATE_CODES + WORLD_BANK_AGGREGATE_NAMES,
               "World Bank regional, income and lending aggregates, not countries"),
    Exception_("World Bank", ("CHI", "Channel Islands"),
               "World Bank economy grouping Jersey (JEY) and Guernsey (GGY), which ISO lists "
               "separately; not a State"),
    Exception_("World Bank", ("327",),
               "EWP's UN infant-mortality file gives the Holy See COW code 327, which COW uses "
               "for the Papal States (1816-1860); COW has no code for the Holy See (use iso3c)",
               scheme="cow"),
    Exception_("ACLED", ("Akrotiri and Dhekelia",),
               "UK Sovereign Base Areas on Cyprus; no ISO 3166 code, not a State"),
    Exception_("ACLED", ("0",),
               "ACLED's iso 0: Kosovo and events without a country code (Kosovo has no ISO "
               "numeric code; its name resolves to XKX)", scheme="iso_numeric"),
    Exception_("PTS", ("Crimea", "Russia-Occupied Areas (Ukraine)"),
               "parts of Ukraine under Russian occupation that PTS scores separately; part of "
               "Ukraine (UKR) under international law, not States"),
    Exception_("PTS", ("Israel in Occupied Territories", "Israel and Occupied Territories"),
               "PTS scores Israel's conduct in the occupied Palestinian territory separately; "
               "neither a State nor a single country's territory"),
    Exception_("PTS", ("European Union",), "an organisation, not a country"),
    Exception_("PTS", ("YUG",),
               "PTS's World Bank code column keeps YUG for Serbia and Montenegro until 2006; "
               "the row's COW code (345) and name resolve it", (2003, 2006), "iso3"),
    Exception_("V-Dem", ("VDR",),
               "V-Dem's country_text_id for the Republic of (South) Vietnam; ISO 3166-3 uses VDR "
               "for North Vietnam, so the code is ambiguous: resolve V-Dem by country_id (35)"),
    Exception_("EWP", ("Yugoslavia",),
               "EWP keeps the name Yugoslavia for Serbia after 2006; resolve EWP rows by ccode "
               "(COW 345)", (2006, 2030)),
    Exception_("EWP", ("340", "340.0"),
               "EWP's master list codes the 1998 Kosovo episode 340, Serbia's Gleditsch-Ward "
               "number, in a COW column; in 1998 the State was Yugoslavia (COW 345)", (1998, 1998),
               "cow"),
    Exception_("EWP", ("Chechnya",),
               "EWP names the place of the 1994-1996 episode; a republic of Russia (RUS)"),
    Exception_("EWP", ("Korea",),
               "EWP names the place of the 1948 Jeju episode 'Korea' (South Korea); ambiguous as "
               "a name, the file's COW code (732) resolves it", (1948, 1948)),
)  # fmt: skip

#: PTS lists every country in every year 1976-2023; a row of a State outside its years carries
#: no score and names no country (Czechoslovakia in 2010). Such rows are counted, not failed.
PTS_SCORES = ("PTS_A", "PTS_H", "PTS_S")

MISSING = {"", "NA", "N/A", "NaN", "nan", "."}


def _rows(root: Path, column: Column) -> Iterator[dict[str, str]]:
    path = root / column.path
    with path.open(encoding=column.encoding, newline="") as handle:
        text = handle.read()
    yield from csv.DictReader(io.StringIO(text))


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    if not text or text in MISSING:
        return None
    return int(float(text))


@dataclass
class Tally:
    """What one source's files hold and how much of it resolved."""

    values: set[str]
    resolved: set[str]
    excepted: set[str]

    @property
    def rate(self) -> float:
        return len(self.resolved) / len(self.values) if self.values else 1.0


@dataclass
class Audit:
    """The outcome of reading every listed column."""

    tallies: dict[str, Tally]
    failures: list[str]
    used: set[Exception_]
    out_of_scope: set[str]
    unscored_pts_rows: int


def _exception(source: str, scheme: str, value: str, year: int | None) -> Exception_ | None:
    return next((e for e in EXCEPTIONS if e.covers(source, scheme, value, year)), None)


def _audit(root: Path, registry: Registry) -> Audit:
    tallies: dict[str, Tally] = defaultdict(lambda: Tally(set(), set(), set()))
    audit = Audit({}, [], set(), set(), 0)
    for column in COLUMNS:
        # (value, year) -> True when some row with it carries data (PTS: any score)
        pairs: dict[tuple[str, int | None], bool] = {}
        for row in _rows(root, column):
            if column.column not in row:
                raise AssertionError(f"{column.path}: no column {column.column!r}")
            raw = row[column.column] or ""
            values = raw.split(column.split) if column.split else [raw]
            year = _year(row.get(column.year)) if column.year else column.fixed_year
            scored = column.source != "PTS" or any(row[k] not in MISSING for k in PTS_SCORES)
            for value in values:
                if value.strip() not in MISSING:
                    key = (value.strip(), year)
                    pairs[key] = pairs.get(key, False) or scored
        tally = tallies[column.source]
        for (value, year), scored in sorted(pairs.items(), key=lambda p: (p[0][0], p[0][1] or 0)):
            label = f"{column.scheme}:{value}"
            tally.values.add(label)
            listed = _exception(column.source, column.scheme, value, year)
            if listed is not None:
                audit.used.add(listed)
                tally.excepted.add(label)
                continue
            try:
                registry.resolve(value, column.scheme, year)
            except CountryOutOfScopeError:
                audit.out_of_scope.add(f"{column.scheme} {value}")
                tally.excepted.add(label)
                continue
            except UnknownCountryError as error:
                if not scored:
                    audit.unscored_pts_rows += 1
                    continue
                audit.failures.append(
                    f"{column.path} [{column.column}] {value!r} year {year}: {error}"
                )
                continue
            tally.resolved.add(label)
    for tally in tallies.values():
        tally.resolved -= tally.excepted  # resolved in some years, listed in others
    audit.tallies = dict(tallies)
    return audit


def test_every_country_in_the_real_data_resolves(shared_data: Path) -> None:
    audit = _audit(shared_data, get_registry())
    tallies = audit.tallies
    total = sum(len(t.values) for t in tallies.values())
    resolved = sum(len(t.resolved) for t in tallies.values())
    excepted = sum(len(t.excepted) for t in tallies.values())
    print("\nCountry names and codes in ../shared/data (distinct values per source and scheme):")
    print(f"{'source':<12}{'values':>8}{'resolved':>10}{'listed':>8}{'failed':>8}{'rate':>9}")
    for source, t in sorted(tallies.items()):
        failed = len(t.values) - len(t.resolved) - len(t.excepted)
        print(
            f"{source:<12}{len(t.values):>8}{len(t.resolved):>10}{len(t.excepted):>8}"
            f"{failed:>8}{t.rate:>9.1%}"
        )
    print(
        f"{'all':<12}{total:>8}{resolved:>10}{excepted:>8}{total - resolved - excepted:>8}"
        f"{resolved / total:>9.1%}"
    )
    print("Not resolved on purpose ('listed'):")
    for exception in EXCEPTIONS:
        years = f" ({exception.years[0]}-{exception.years[1]})" if exception.years else ""
        shown = ", ".join(exception.values[:4]) + (" ..." if len(exception.values) > 4 else "")
        print(f"  {exception.source}: {shown}{years}: {exception.reason}")
    print(
        f"  States that ended before 1946 (out of scope, '-' in the state lists): "
        f"{', '.join(sorted(audit.out_of_scope))}"
    )
    print(
        f"  PTS rows of a State outside its years with no score (PTS is a balanced panel): "
        f"{audit.unscored_pts_rows} distinct name/code-years"
    )
    unused = [e.values[:3] for e in EXCEPTIONS if e not in audit.used]
    assert not unused, f"exceptions that no file needs any more (remove them): {unused}"
    assert not audit.failures, f"{len(audit.failures)} values do not resolve:\n" + "\n".join(
        audit.failures[:200]
    )
