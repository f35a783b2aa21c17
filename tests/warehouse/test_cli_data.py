"""`atrocity-watch data import|fetch|status` as a user and a script see them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from atrocity_watch.cli import app
from atrocity_watch.warehouse import Warehouse

from .helpers import ged_event, snapshot, write_ged

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["data", *args])
    return result.exit_code, result.stdout, result.stderr


def test_import_json_then_status_json(ged_file: Callable[..., Path]) -> None:
    code, out, err = _run("import", str(ged_file(n=4)), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] is True
    (load,) = report["loads"]
    assert (load["source"], load["action"], load["rows"], load["changed"]) == (
        "ucdp_ged",
        "loaded",
        4,
        True,
    )
    code, out, _ = _run("status", "--json")
    assert code == 0
    status = json.loads(out)
    (source,) = status["sources"]
    assert source["source"] == "ucdp_ged" and source["rows"] == 4
    assert "CC BY" in source["licence"] and "Sundberg" in source["citation"]
    (file,) = source["files"]
    assert file["file_name"] == "GEDEvent_v24_1.csv" and file["version"] == "24.1"
    assert len(file["sha256"]) == 64 and file["imported_at"].endswith("+00:00")
    assert file["covered_countries"] == 1 and file["covered_period"] == "2020-01 to 2020-04"


def test_import_twice_reports_no_change(ged_file: Callable[..., Path]) -> None:
    path = str(ged_file())
    assert _run("import", path)[0] == 0
    code, out, _ = _run("import", path)
    assert code == 0
    assert "already imported" in out and "nothing changed" in out


def test_status_table_for_people(ged_file: Callable[..., Path]) -> None:
    code, out, _ = _run("status")
    assert code == 0 and "holds no source data yet" in out
    _run("import", str(ged_file()))
    code, out, _ = _run("status")
    assert code == 0
    for text in ("ucdp_ged", "24.1", "Licences and citations", "cite:", "CC BY 4.0"):
        assert text in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["does-not-exist.csv"], "does-not-exist.csv does not exist"),
        (["{bad}"], "line 2"),
        (["{unknown}"], "match no known source"),
        (["{good}", "--source", "no_such"], "Unknown source 'no_such'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    ged_file: Callable[..., Path], tmp_path: Path, args: list[str], message: str
) -> None:
    _run("import", str(ged_file("GEDEvent_v23_1.csv")))
    wh = Warehouse()
    before = snapshot(wh)
    bad = write_ged(tmp_path / "GEDEvent_v25_1.csv", [ged_event(9, "2021-01-01")])
    bad.write_text(bad.read_text().replace("2021-01-01,2021-01-01", "yesterday,2021-01-01"))
    unknown = tmp_path / "budget.csv"
    unknown.write_text("item,amount\npaper,12\n")
    paths = {"{bad}": str(bad), "{unknown}": str(unknown), "{good}": str(bad)}
    code, _, err = _run("import", *[paths.get(a, a) for a in args])
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert message in lines[0]
    assert snapshot(wh) == before


def test_folder_with_a_failing_source_exits_2_after_loading_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    write_ged(folder / "GEDEvent_v24_1.csv", [ged_event(1, "2020-01-01")])
    bad = write_ged(folder / "GEDEvent_v24_1_part2.csv", [ged_event(2, "2020-02-01")])
    bad.write_text(bad.read_text().replace(",Clear,", ",Clear,extra,"))
    (folder / "readme.txt").write_text("hello")
    code, out, err = _run("import", str(folder), "--json")
    assert code == 2
    report = json.loads(out)
    assert report["ok"] is False and report["failed"][0]["source"] == "ucdp_ged"
    assert [s["path"].endswith("readme.txt") for s in report["skipped"]] == [True]
    assert err.strip().startswith("Error: 1 source(s) could not be imported (ucdp_ged)")
    assert Warehouse().status() == []


def test_fetch_offline_without_mirror_says_so_and_changes_nothing() -> None:
    code, out, err = _run("fetch", "ucdp_ged", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["loads"] == [] and report["failed"] == []
    (skipped,) = report["skipped"]
    assert skipped["path"] == "ucdp_ged" and "ATROCITY_WATCH_MIRROR" in skipped["reason"]
    assert Warehouse().status() == []


def test_fetch_from_a_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from atrocity_watch.sources import get_source

    mirror = tmp_path / "mirror"
    pattern = get_source("ucdp_ged").mirror_patterns[0]
    folder = mirror / pattern.split("*")[0].rstrip("/").rsplit("/", 1)[0]
    name = "GEDEvent_v24_1.csv"
    write_ged(folder / name, [ged_event(1, "2020-01-01"), ged_event(2, "2020-02-01")])
    monkeypatch.setenv("ATROCITY_WATCH_MIRROR", str(mirror))
    code, out, err = _run("fetch", "ucdp_ged", "--json")
    assert code == 0, (out, err)
    (load,) = json.loads(out)["loads"]
    assert load["rows"] == 2 and load["action"] == "loaded"
    (prov,) = Warehouse().status()
    assert prov.raw_path is not None and prov.raw_path.startswith("raw/ucdp_ged/")
    # the download folder is cleaned up; only the archived copy remains
    assert not list((Warehouse().raw_dir / "ucdp_ged").glob(".incoming-*"))


def test_fetch_unknown_source_is_an_error() -> None:
    code, _, err = _run("fetch", "no_such")
    assert code == 2 and "Unknown source 'no_such'" in err


def test_sources_lists_every_source() -> None:
    from atrocity_watch.sources import SOURCES

    code, out, _ = _run("sources", "--json")
    assert code == 0
    assert [s["name"] for s in json.loads(out)] == [s.name for s in SOURCES]


def test_help_speaks_to_people() -> None:
    for command in ("import", "fetch", "status"):
        result = runner.invoke(app, ["data", command, "--help"])
        assert result.exit_code == 0
        assert "--json" in result.stdout
