"""Copies of real files, corrupted in tmp: the error names the file, line and column."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from atrocity_watch.sources import FetchError, SourceFormatError, fetch, read_file

pytestmark = pytest.mark.shared_data


def _rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.reader(stream))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    return path


def _start_line(path: Path, record: int, encoding: str = "utf-8") -> int:
    """The physical line where record ``record`` (0 = header) starts, by Python's csv module."""
    with path.open(encoding=encoding, newline="") as stream:
        reader = csv.reader(stream)
        previous_end = 0
        for index, _row in enumerate(reader):
            if index == record:
                return previous_end + 1
            previous_end = reader.line_num
    raise AssertionError(record)


def _error(path: Path, source: str) -> SourceFormatError:
    with pytest.raises(SourceFormatError) as caught:
        read_file(path, source)
    return caught.value


def test_negative_deaths_in_one_sided_violence(shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data / "ucdp/OneSided_v25_1.csv")
    column = rows[0].index("best_fatality_estimate")
    rows[700][column] = "-40"
    path = _write(tmp_path / "OneSided_v25_1.csv", rows)
    error = _error(path, "ucdp_onesided")
    # some actor names in their own language span lines, so record 700 is not on line 701
    assert _start_line(path, 700) == 707
    assert (error.line, error.column) == (707, "best_fatality_estimate")
    assert error.reason == "'-40' is below the smallest value allowed, 0"


def test_the_line_is_the_same_through_a_warehouse_import(shared_data: Path, tmp_path: Path) -> None:
    """Inside the warehouse's transaction DuckDB numbers new rows from a large offset; the
    line reported must still be the file's (it once read 36028797018960707)."""
    from atrocity_watch.warehouse import Warehouse

    rows = _rows(shared_data / "ucdp/OneSided_v25_1.csv")
    rows[700][rows[0].index("best_fatality_estimate")] = "-40"
    path = _write(tmp_path / "OneSided_v25_1.csv", rows)
    with pytest.raises(SourceFormatError) as caught:
        Warehouse(tmp_path / "home").import_path(path)
    assert (caught.value.line, caught.value.column) == (707, "best_fatality_estimate")
    rows = _rows(shared_data / "ucdp/OneSided_v25_1.csv")
    rows[700][rows[0].index("year")] = "twenty"  # rejected while parsing, not by a check
    path = _write(tmp_path / "OneSided_v25_1.csv", rows)
    with pytest.raises(SourceFormatError) as caught:
        Warehouse(tmp_path / "home").import_path(path)
    assert (caught.value.line, caught.value.column) == (707, "year")


def test_duplicate_acled_event_id(shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data / "acled/acled_Sudan_2021-10-25_2023-02-10_export31.csv")
    column = rows[0].index("event_id_cnty")
    rows[3000][column] = rows[10][column]
    path = _write(tmp_path / "sudan.csv", rows)
    error = _error(path, "acled_events")
    assert (error.line, error.column) == (_start_line(path, 3000), "event_id_cnty")
    assert f"already on line {_start_line(path, 10)}" in error.reason
    assert f"(event_id_cnty='{rows[10][column]}')" in error.reason


def test_a_bad_date_in_the_older_acled_export(shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data / "acled/acled_Sudan_2021-10-25_2023-02-10_export31.csv")
    rows[5][rows[0].index("event_date")] = "31 February 2023"
    error = _error(_write(tmp_path / "sudan.csv", rows), "acled_events")
    assert error.column == "event_date"
    assert error.reason == "'31 February 2023' is not a date (expected %Y-%m-%d or %d %B %Y)"


def test_an_unknown_country_code_in_the_ewp_dataset(shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data / "ewp/sra2025/prepared2024predictors-2025-09-03.csv")
    column = rows[0].index("ccode")
    for row in rows[1:]:
        if row[0] == "Nigeria":
            row[column] = "4750"
    error = _error(_write(tmp_path / "prepared.csv", rows), "ewp_prepared")
    assert error.column == "ccode"
    assert error.reason.startswith(
        "1 country the country registry does not know (Correlates of War codes): '4750' in "
        "1960–2024 (first on line "
    )


def test_text_in_a_numeric_ewp_predictor(shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data / "ewp/sra2024/prepared2023predictors-2024-10-10.csv")
    rows[42][rows[0].index("gdppcgrowth")] = "n/a"
    error = _error(_write(tmp_path / "prepared.csv", rows), "ewp_prepared")
    assert (error.line, error.column, error.reason) == (43, "gdppcgrowth", "'n/a' is not a number")


def test_a_year_outside_the_pts_range(shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data / "pts/PTS-2024.csv", encoding="latin-1")
    rows[9][rows[0].index("Year")] = "1875"
    error = _error(_write(tmp_path / "PTS.csv", rows), "pts")
    assert (error.line, error.column) == (10, "year")
    assert error.reason == "'1875' is below the smallest value allowed, 1976"


def test_a_workbook_without_the_sheet(shared_data: Path, tmp_path: Path) -> None:
    workbook = shared_data / "ewp/sra2025/EWP mass killing events master list_2025.xlsx"
    data = workbook.read_bytes()
    copy = tmp_path / "list.xlsx"
    copy.write_bytes(data)
    with zipfile.ZipFile(copy) as archive:
        assert "xl/workbook.xml" in archive.namelist()
    error = _error(copy, "ucdp_ged")
    assert error.reason == "is an Excel workbook; this source is read from CSV files"


def test_sources_without_a_public_download_say_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATROCITY_WATCH_OFFLINE", "false")
    with pytest.raises(FetchError, match="has no public download address; fetch it from a mirror"):
        fetch("acled_events", tmp_path)
