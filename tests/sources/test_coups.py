"""The Powell & Thyne coups source: the real file, its country codes, its checks, and fetch.

The real file is A. Beger's country-year version (``../shared/data/coups``). An independent
check of the country mapping is the Early Warning Project's own coup indicator, coded with
Correlates of War numbers: both must name the same country-years with a coup attempt.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from atrocity_watch.cli import app
from atrocity_watch.countries import get_registry
from atrocity_watch.sources import (
    FetchError,
    RowRule,
    SourceFormatError,
    SourceSpec,
    fetch,
    get_source,
    mirror_files,
    read_file,
    recognise,
)
from atrocity_watch.warehouse import Warehouse
from warehouse.helpers import snapshot  # tests/ is on sys.path under pytest

from .test_fetch import online, server  # noqa: F401 - fixtures reused

FILE = "coups/ptcoups_gw_demspaces.csv"


@pytest.fixture(scope="module")
def real_rows(shared_data: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = read_file(shared_data / FILE).table.to_pylist()
    return rows


# ---------------------------------------------------------------------------------------------
# The real file


@pytest.mark.shared_data
def test_the_real_file_reads_completely(shared_data: Path, real_rows: list[dict]) -> None:
    """SOURCES.md: 11793 x 20, Gleditsch-Ward country-years 1950-2022."""
    path = shared_data / FILE
    assert recognise(path) == "coups"
    result = read_file(path)
    assert (result.rows, result.version, result.total_dropped) == (11793, "2022", 0)
    assert result.ignored_columns == ()
    assert len(get_source("coups").columns) == 20
    assert all(r["iso3"] is not None for r in real_rows)
    assert (min(r["year"] for r in real_rows), max(r["year"] for r in real_rows)) == (1950, 2022)
    # every value kept: the totals of the file as published
    totals = [
        sum(r[c] for r in real_rows) for c in ("pt_attempt_num", "pt_coup_num", "pt_failed_num")
    ]
    assert totals == [488, 243, 245]
    # one row per country and year after the mapping too
    assert len({(r["iso3"], r["year"]) for r in real_rows}) == len(real_rows)


@pytest.mark.shared_data
def test_historical_states_get_their_own_keys(real_rows: list[dict]) -> None:
    by_code: dict[int, dict[int, str]] = defaultdict(dict)
    for r in real_rows:
        by_code[r["gwcode"]][r["year"]] = r["iso3"]
    assert (by_code[365][1991], by_code[365][1992]) == ("SUN", "RUS")
    assert (by_code[345][1991], by_code[345][2005]) == ("YUG", "SCG")
    assert (by_code[340][2006], by_code[347][2008]) == ("SRB", "XKX")
    assert (by_code[260][1960], by_code[265][1960]) == ("DEU", "DDR")
    assert (by_code[678][1960], by_code[678][1995], by_code[680][1980]) == ("YEM", "YEM", "YMD")
    assert (by_code[817][1960], by_code[816][1960], by_code[315][1968]) == ("XRV", "VNM", "CSK")
    assert by_code[711] == {1950: "XTB"}


@pytest.mark.shared_data
def test_the_same_coup_years_as_the_early_warning_projects_cow_coded_list(
    shared_data: Path, real_rows: list[dict]
) -> None:
    """EWP's all-coups.csv (COW codes, any attempt) names exactly the same country-years."""
    registry = get_registry()
    ewp: set[tuple[str, int]] = set()
    with (shared_data / "ewp_inputs_2025/all-coups.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            if row["cou.any"] == "1" and 1950 <= year <= 2022:
                ewp.add((registry.resolve(row["ccode"], "cow", year=year).iso3, year))
    ours = {(r["iso3"], r["year"]) for r in real_rows if r["pt_attempt_num"] > 0}
    assert len(ours) == 421
    assert ours == ewp
    assert {("MMR", 2021), ("TUR", 2016), ("SUN", 1991), ("BFA", 2022)} <= ours


@pytest.mark.shared_data
def test_rolling_counts_and_years_since_are_what_the_docs_say(real_rows: list[dict]) -> None:
    series: dict[int, list[dict]] = defaultdict(list)
    for r in sorted(real_rows, key=lambda r: (r["gwcode"], r["year"])):
        series[r["gwcode"]].append(r)
    for rows in series.values():
        since = 0
        for i, r in enumerate(rows):
            window = rows[max(0, i - 4) : i + 1]
            assert r["pt_attempt_num5yrs"] == sum(w["pt_attempt_num"] for w in window), r
            since = 0 if r["pt_attempt_num"] else since + 1
            assert r["years_since_last_pt_attempt"] == since, r


@pytest.mark.shared_data
def test_the_published_attempt_total_quirk_is_documented(real_rows: list[dict]) -> None:
    """docs/sources.md says pt_attempt_total repeats pt_coup_total; if a new file fixes it,
    this fails so that the docs are corrected."""
    assert all(r["pt_attempt_total"] == r["pt_coup_total"] for r in real_rows)
    broken = sum(
        r["pt_attempt_total"] != r["pt_coup_total"] + r["pt_failed_total"] for r in real_rows
    )
    assert broken == 3923
    assert "3,923 of 11,793 rows" in " ".join(get_source("coups").rules)


# ---------------------------------------------------------------------------------------------
# Bad input: one clear error, and the warehouse exactly as before


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    return path


def _set(column: str, value: str, record: int = 100) -> Callable[[list[list[str]]], None]:
    def change(rows: list[list[str]]) -> None:
        rows[record][rows[0].index(column)] = value

    return change


def _duplicate(rows: list[list[str]]) -> None:
    rows[201] = list(rows[200])


def _unknown_code(rows: list[list[str]]) -> None:
    for row in rows[1:]:
        if row[0] == "475":
            row[0] = "4750"


def _rename(rows: list[list[str]]) -> None:
    rows[0][rows[0].index("pt_coup_num")] = "pt_coups"


def _cut(rows: list[list[str]]) -> None:
    rows[-1] = rows[-1][:5]


# (what, change, line, column, reason or its start)
BAD = [
    (
        "attempts are not successful + failed",
        _set("pt_attempt_num", "2"),
        101,
        "pt_attempt_num",
        "the row breaks the rule that coup attempts in the year are successful plus failed "
        "coups in the year (pt_attempt_num = pt_coup_num + pt_failed_num) (pt_attempt_num=2, "
        "pt_coup_num=0, pt_failed_num=0)",
    ),
    (
        "a five-year count that does not add up",
        _set("pt_attempt_num5yrs", "7"),
        101,
        "pt_attempt_num5yrs",
        "the row breaks the rule that coup attempts over five years are successful plus failed",
    ),
    (
        "a flag that contradicts the count",
        _set("pt_coup", "1"),
        101,
        "pt_coup",
        "the row breaks the rule that pt_coup is 1 exactly when pt_coup_num is above 0 "
        "(pt_coup=1, pt_coup_num=0)",
    ),
    (
        "years since the last attempt that contradict the year's attempts",
        _set("years_since_last_pt_attempt", "0"),
        101,
        "years_since_last_pt_attempt",
        "the row breaks the rule that years_since_last_pt_attempt is 0 exactly in a year with "
        "an attempt",
    ),
    (
        "a negative count",
        _set("pt_failed_num", "-1"),
        101,
        "pt_failed_num",
        "'-1' is below the smallest value allowed, 0",
    ),
    ("a year before the list", _set("year", "1949"), 101, "year", "'1949' is below the smallest"),
    ("a year in the future", _set("year", "2999"), 101, "year", "'2999' is above the largest"),
    ("text in a count", _set("pt_coup_num", "one"), 101, "pt_coup_num", "'one' is not a whole"),
    ("a fraction in a count", _set("pt_coup_num", "0.5"), 101, "pt_coup_num", "'0.5' is not a"),
    ("an empty required count", _set("pt_coup_num", ""), 101, "pt_coup_num", "the value is empty"),
    (
        "the same country-year twice",
        _duplicate,
        202,
        "gwcode",
        "duplicate key (gwcode='40', year='1953'): the same key is already on line 201",
    ),
    (
        "a code the registry does not know",
        _unknown_code,
        None,
        "gwcode",
        "1 country the country registry does not know (Gleditsch-Ward codes): '4750' in 1960–2022",
    ),
    (
        "a code used after its State ended",
        _set("gwcode", "711", record=5),
        6,
        "gwcode",
        "1 country the country registry does not know (Gleditsch-Ward codes): '711' in 1954",
    ),
    (
        "a renamed required column",
        _rename,
        1,
        "pt_coup_num",
        "required column 'pt_coup_num' missing for Powell & Thyne coups",
    ),
    (
        "a file cut off mid-row",
        _cut,
        11794,
        None,
        "the line has fewer values than the header: the record is incomplete",
    ),
]


@pytest.fixture(scope="module")
def loaded(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A warehouse holding the real file, to show that a bad file changes nothing."""
    wh = Warehouse(tmp_path_factory.mktemp("coups") / "home", wait=10)
    wh.import_path(shared_data / FILE)
    return wh


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("what", "change", "line", "column", "reason"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_input_is_one_clear_error_and_changes_nothing(
    loaded: Warehouse,
    shared_data: Path,
    tmp_path: Path,
    what: str,
    change: Callable[[list[list[str]]], None],
    line: int | None,
    column: str | None,
    reason: str,
) -> None:
    rows = _rows(shared_data / FILE)
    change(rows)
    bad = _write(tmp_path / "ptcoups_gw_demspaces.csv", rows)
    before = snapshot(loaded)
    with pytest.raises(SourceFormatError) as caught:
        loaded.import_path(bad, source="coups")
    error = caught.value
    assert error.file.endswith("ptcoups_gw_demspaces.csv"), what
    if line is not None:
        assert error.line == line, str(error)
    assert error.column == column, str(error)
    assert error.reason.startswith(reason), str(error)
    assert snapshot(loaded) == before
    assert loaded.read_table("src_coups").num_rows == 11793


@pytest.mark.shared_data
def test_the_command_line_says_it_in_one_line(shared_data: Path, tmp_path: Path) -> None:
    rows = _rows(shared_data / FILE)
    _set("pt_attempt_num", "3")(rows)
    bad = _write(tmp_path / "ptcoups_gw_demspaces.csv", rows)
    result = CliRunner().invoke(app, ["data", "import", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "ptcoups_gw_demspaces.csv, line 101, column 'pt_attempt_num'" in lines[0]
    assert "pt_attempt_num=3, pt_coup_num=0, pt_failed_num=0" in lines[0]


def test_a_rule_over_an_optional_column_the_file_lacks_is_not_checked(tmp_path: Path) -> None:
    header = ["gwcode", "year", "pt_attempt_num", "pt_coup_num", "pt_failed_num"]
    path = tmp_path / "coups.csv"
    _write(path, [header, ["775", "2021", "1", "1", "0"], ["775", "2022", "0", "0", "0"]])
    result = read_file(path)
    assert (result.source, result.rows) == ("coups", 2)
    row = result.table.to_pylist()[0]
    assert (row["iso3"], row["pt_coup_num"], row["pt_attempt_num5yrs"]) == ("MMR", 1, None)


def test_row_rules_check_themselves() -> None:
    with pytest.raises(ValueError, match="names no column"):
        RowRule("x", "1 = 1", "always")
    base = get_source("coups")
    with pytest.raises(ValueError, match="row rule column 'nope' is not declared"):
        SourceSpec(**{**base.__dict__, "row_rules": (RowRule("year", "{nope} > 0", "r"),)})
    assert RowRule("a", "{a} = {b} + {a}", "r").columns == ("a", "b")


# ---------------------------------------------------------------------------------------------
# Fetch


@pytest.mark.shared_data
def test_fetch_from_the_shared_data_as_a_mirror(shared_data: Path, tmp_path: Path) -> None:
    spec = get_source("coups")
    assert mirror_files(spec, shared_data) == [(shared_data / FILE).resolve()]
    files = fetch("coups", tmp_path / "raw", mirror=shared_data)
    assert [f.name for f in files] == ["ptcoups_gw_demspaces.csv"]
    assert read_file(files[0]).rows == 11793


@pytest.mark.shared_data
def test_fetch_from_a_mirror_laid_out_as_the_publishers_site(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (download,) = get_source("coups").downloads
    copy = tmp_path / "mirror" / download.mirror_path()
    copy.parent.mkdir(parents=True)
    shutil.copy(shared_data / FILE, copy)
    assert str(download.mirror_path()).startswith("raw.githubusercontent.com/andybega/")
    monkeypatch.setenv("ATROCITY_WATCH_MIRROR", str(tmp_path / "mirror"))
    (fetched,) = fetch("coups", tmp_path / "raw")
    assert fetched.name == "ptcoups.csv" and read_file(fetched).source == "coups"


@pytest.mark.shared_data
def test_fetch_downloads_from_the_publishers_address(
    shared_data: Path,
    tmp_path: Path,
    server: tuple[str, Path],  # noqa: F811
    online: None,  # noqa: F811
) -> None:
    base, root = server
    shutil.copy(shared_data / FILE, root / "ptcoups.csv")
    (root / "page.html").write_text("<html><body>moved</body></html>")
    (download,) = get_source("coups").downloads
    assert download.url.startswith("https://raw.githubusercontent.com/andybega/ds-external-data/")
    files = fetch("coups", tmp_path / "raw", urls={download.file_name: f"{base}/ptcoups.csv"})
    assert [f.name for f in files] == ["ptcoups_gw_demspaces.csv"]
    assert read_file(files[0]).rows == 11793
    with pytest.raises(FetchError, match="answered with a web page"):
        fetch("coups", tmp_path / "other", urls={download.file_name: f"{base}/page.html"})


def test_offline_without_a_mirror_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="ATROCITY_WATCH_OFFLINE is true and no mirror is set"):
        fetch("coups", tmp_path)
