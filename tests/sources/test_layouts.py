"""Sources whose files need their own reader (World Bank, SIPRI) and the Latin-1 PTS file,
with files built in code; and the World Bank API through a local server."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from atrocity_watch.sources import FetchError, SourceFormatError, fetch, read_file, recognise
from atrocity_watch.sources.datasets.worldbank import INDICATORS


def _write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    return path


def _wb_download(path: Path, values: dict[str, list[str]]) -> Path:
    """The layout of data.worldbank.org's CSV (API_..._DS2_en_csv_v2_....csv)."""
    years = [str(y) for y in range(2019, 2023)]
    rows = [
        ["Data Source", "World Development Indicators", ""],
        [],
        ["Last Updated Date", "2024-06-28", ""],
        [],
        ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *years, ""],
    ]
    for code, numbers in values.items():
        name = {"NGA": "Nigeria", "WLD": "World", "SDN": "Sudan", "CHI": "Channel Islands"}
        rows.append([name[code], code, "Population, total", "SP.POP.TOTL", *numbers, ""])
    return _write_rows(path, rows)


def test_world_bank_download_layout(tmp_path: Path) -> None:
    path = _wb_download(
        tmp_path / "API_SP.POP.TOTL_DS2_en_csv_v2_5871596.csv",
        {
            "NGA": ["203304492", "208327405", "213401323", "218541212"],
            "WLD": ["7764951032", "7840952880", "7909295151", "7975105156"],
            "SDN": ["43232093", "44440486", "", "46874204"],
            "CHI": ["170499", "171113", "171774", "172261"],
        },
    )
    assert recognise(path) == "worldbank"
    result = read_file(path)
    assert result.version == "5871596"
    assert result.rows == 4 + 3  # Nigeria 4 years, Sudan 3 (one empty cell)
    assert result.dropped == {
        "a World Bank aggregate (region, income group or lending group), not a country": 4,
        "the Channel Islands (Jersey and Guernsey together), not one country": 4,
    }
    rows = result.table.to_pylist()
    nigeria_2022 = next(r for r in rows if r["iso3"] == "NGA" and r["year"] == 2022)
    assert nigeria_2022["value"] == 218541212
    assert nigeria_2022["indicator_code"] == "SP.POP.TOTL"


def test_world_bank_databank_layout_with_notes_at_the_end(tmp_path: Path) -> None:
    rows = [
        [
            "Country Name",
            "Country Code",
            "Series Name",
            "Series Code",
            "2021 [YR2021]",
            "2022 [YR2022]",
        ],
        [
            "Nigeria",
            "NGA",
            "Mortality rate, infant (per 1,000 live births)",
            "SP.DYN.IMRT.IN",
            "71.2",
            "..",
        ],
        [
            "Mali",
            "MLI",
            "Mortality rate, infant (per 1,000 live births)",
            "SP.DYN.IMRT.IN",
            "59.7",
            "58.1",
        ],
        [],
        ["Data from database: World Development Indicators"],
        ["Last Updated: 06/28/2024"],
    ]
    result = read_file(_write_rows(tmp_path / "databank.csv", rows), "worldbank")
    assert result.rows == 3
    assert sorted((r["iso3"], r["year"]) for r in result.table.to_pylist()) == [
        ("MLI", 2021),
        ("MLI", 2022),
        ("NGA", 2021),
    ]


def test_world_bank_bad_value_names_its_line(tmp_path: Path) -> None:
    path = _wb_download(
        tmp_path / "API_x.csv", {"NGA": ["1", "2", "3", "4"], "SDN": ["5", "six", "7", "8"]}
    )
    with pytest.raises(SourceFormatError) as caught:
        read_file(path, "worldbank")
    assert (caught.value.line, caught.value.column) == (7, "value")
    assert caught.value.reason == "'six' is not a number"


def test_world_bank_unknown_country_code_is_listed(tmp_path: Path) -> None:
    rows = [["economy", "economy_name", "series", "series_name", "year", "value"]]
    rows += [["XYZ", "Atlantis", "SP.POP.TOTL", "Population, total", "2020", "5"]]
    with pytest.raises(SourceFormatError, match=r"'XYZ' \(first on line 2"):
        read_file(_write_rows(tmp_path / "long.csv", rows), "worldbank")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def world_bank_api(tmp_path: Path) -> Iterator[str]:
    """A local server answering like the World Bank API v2 (one page per indicator)."""
    root = tmp_path / "api"
    for code in INDICATORS:
        data = [
            {
                "indicator": {"id": code, "value": INDICATORS[code]},
                "country": {"id": iso2, "value": name},
                "countryiso3code": iso3,
                "date": str(year),
                "value": None if (iso3 == "MLI" and year == 2021) else 1000.5 + year,
                "unit": "",
                "obs_status": "",
                "decimal": 1,
            }
            for iso2, iso3, name in (
                ("NG", "NGA", "Nigeria"),
                ("ML", "MLI", "Mali"),
                ("1W", "WLD", "World"),
                ("XD", "", "High income"),
            )
            for year in (2020, 2021)
        ]
        header = {"page": 1, "pages": 1, "per_page": 20000, "total": len(data)}
        target = root / "v2" / "en" / "country" / "all" / "indicator" / code
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps([header, data]), encoding="utf-8")
    handler = partial(_QuietHandler, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v2"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_from_the_world_bank_api(
    tmp_path: Path, world_bank_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATROCITY_WATCH_OFFLINE", "false")
    files = fetch("worldbank", tmp_path / "raw", urls={"worldbank_indicators.csv": world_bank_api})
    assert len(files) == 1 and files[0].name.startswith("worldbank_indicators_")
    result = read_file(files[0])
    assert result.source == "worldbank"
    assert result.version == files[0].stem.removeprefix("worldbank_indicators_")
    # 5 indicators x (Nigeria 2 years + Mali 1 year); aggregates dropped
    assert result.rows == 15
    assert result.total_dropped == 5 * 4
    values = {
        (r["iso3"], r["indicator_code"], r["year"]): r["value"] for r in result.table.to_pylist()
    }
    assert values[("NGA", "SP.POP.TOTL", 2021)] == 3021.5


def test_a_world_bank_api_that_cannot_be_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATROCITY_WATCH_OFFLINE", "false")
    with pytest.raises(FetchError, match=r"World Bank API at http://127\.0\.0\.1:9/v2 could not"):
        fetch(
            "worldbank",
            tmp_path / "raw",
            urls={"worldbank_indicators.csv": "http://127.0.0.1:9/v2"},
        )
    assert list((tmp_path / "raw").iterdir()) == []  # no partial file left behind


def _sipri_table(path: Path, rows: list[list[str]]) -> Path:
    lines = [["TIV of arms exports from Russia, 2020-2022"]]
    lines += [["Figures are SIPRI Trend Indicator Values (TIVs) expressed in millions."]]
    lines += [[], ["Source: SIPRI Arms Transfers Database"], []]
    lines += [["", "2020", "2021", "2022", "Total"], *rows, [], ["Total", "1", "2", "3", "6"]]
    return _write_rows(path, lines)


def test_sipri_table_becomes_long_with_non_state_parties_kept(tmp_path: Path) -> None:
    path = _sipri_table(
        tmp_path / "TIV-Export-RUS-2020-2022.csv",
        [["Myanmar", "10", "", "0", "10"], ["Hezbollah (Lebanon)*", "", "2", "", "2"]],
    )
    assert recognise(path) == "sipri_tiv"
    result = read_file(path)
    rows = sorted(result.table.to_pylist(), key=lambda r: (r["recipient"], r["year"]))
    assert [(r["recipient"], r["year"], r["tiv"], r["iso3"], r["supplier_iso3"]) for r in rows] == [
        ("Hezbollah (Lebanon)*", 2021, 2.0, None, "RUS"),
        ("Myanmar", 2020, 10.0, "MMR", "RUS"),
        ("Myanmar", 2022, 0.0, "MMR", "RUS"),
    ]
    assert sum(result.kept_without_country.values()) == 1


def test_sipri_table_with_a_negative_value(tmp_path: Path) -> None:
    path = _sipri_table(tmp_path / "t.csv", [["Myanmar", "10", "-4", "", "6"]])
    with pytest.raises(SourceFormatError) as caught:
        read_file(path, "sipri_tiv")
    assert (caught.value.line, caught.value.column) == (7, "tiv")
    assert caught.value.reason == "'-4' is below the smallest value allowed, 0"


PTS_HEADER = [
    "Country",
    "Country_OLD",
    "Year",
    "COW_Code_A",
    "COW_Code_N",
    "WordBank_Code_A",
    "UN_Code_N",
    "Region",
    "PTS_A",
    "PTS_H",
    "PTS_S",
    "NA_Status_A",
    "NA_Status_H",
    "NA_Status_S",
]


def _pts(path: Path, encoding: str) -> Path:
    rows = [
        PTS_HEADER,
        [
            "Côte d'Ivoire",
            "Côte d'Ivoire",
            "2020",
            "CDI",
            "437",
            "CIV",
            "384",
            "ssa",
            "3",
            "NA",
            "3",
            "0",
            "88",
            "0",
        ],
        ["Mali", "Mali", "2020", "MLI", "432", "MLI", "466", "ssa", "4", "4", "4", "0", "0", "0"],
    ]
    return _write_rows(path, rows, encoding)


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8"])
def test_pts_in_latin_1_or_resaved_as_utf_8(tmp_path: Path, encoding: str) -> None:
    table = read_file(_pts(tmp_path / "PTS-2024.csv", encoding), "pts").table
    assert table.column("country").to_pylist() == ["Côte d'Ivoire", "Mali"]
    assert table.column("iso3").to_pylist() == ["CIV", "MLI"]
    assert table.column("pts_h").to_pylist() == [None, 4]
