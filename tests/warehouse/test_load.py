"""Atomic loads: first load, the same file again, a new version, added files, duplicates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from atrocity_watch.sources import SourceFormatError
from atrocity_watch.warehouse import (
    Action,
    InvalidTableError,
    UnknownTableError,
    Warehouse,
    WarehouseError,
)

from .helpers import ArrowFile, ged_event, snapshot, write_ged


def test_first_import_loads_rows_provenance_and_raw_copy(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    path = ged_file(n=4)
    report = warehouse.import_path(path)
    (load,) = report.loads
    assert load.action is Action.LOADED
    assert load.rows == 4
    (prov,) = warehouse.status()
    assert (prov.source, prov.file_name, prov.rows, prov.version) == (
        "ucdp_ged",
        "GEDEvent_v24_1.csv",
        4,
        "24.1",
    )
    assert "UCDP" in prov.citation and prov.licence
    raw = warehouse.home / str(prov.raw_path)
    assert raw.read_bytes() == path.read_bytes()
    sums = (warehouse.raw_dir / "ucdp_ged" / "SHA256SUMS").read_text()
    assert f"{prov.sha256}  {prov.sha256[:12]}/GEDEvent_v24_1.csv" in sums
    table = warehouse.read_table("src_ucdp_ged")
    assert sorted(table.column("id").to_pylist()) == [1, 2, 3, 4]
    assert set(table.column("iso3").to_pylist()) == {"MMR"}


def test_same_file_twice_changes_nothing(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    path = ged_file()
    warehouse.import_path(path)
    before = snapshot(warehouse)
    (again,) = warehouse.import_path(path).loads
    assert again.action is Action.UNCHANGED and not again.changed
    assert "already imported" in again.message
    assert snapshot(warehouse) == before


def test_same_content_under_another_name_is_also_a_no_op(
    warehouse: Warehouse, ged_file: Callable[..., Path], tmp_path: Path
) -> None:
    path = ged_file()
    warehouse.import_path(path)
    before = snapshot(warehouse)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    (again,) = warehouse.import_path(copy, source="ucdp_ged").loads
    assert again.action is Action.UNCHANGED
    assert snapshot(warehouse) == before


def test_new_version_replaces_the_old_in_one_step(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    warehouse.import_path(ged_file("GEDEvent_v23_1.csv", n=3))
    (load,) = warehouse.import_path(ged_file("GEDEvent_v24_1.csv", n=5, first=100)).loads
    assert load.action is Action.REPLACED
    assert [p.file_name for p in load.previous] == ["GEDEvent_v23_1.csv"]
    assert [p.file_name for p in warehouse.status()] == ["GEDEvent_v24_1.csv"]
    ids = warehouse.read_table("src_ucdp_ged").column("id").to_pylist()
    assert sorted(ids) == [100, 101, 102, 103, 104]
    actions = [(h["action"], h["file_name"]) for h in warehouse.history()]
    assert actions == [("loaded", "GEDEvent_v23_1.csv"), ("replaced", "GEDEvent_v24_1.csv")]
    # the archive keeps both versions
    assert len(list((warehouse.raw_dir / "ucdp_ged").glob("*/*.csv"))) == 2


def test_add_mode_keeps_other_files_and_replaces_a_file_of_the_same_name(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    mmr = write_ged(tmp_path / "a" / "GED_MMR.csv", [ged_event(1, "2020-01-05")])
    car = write_ged(tmp_path / "a" / "GED_CAF.csv", [ged_event(2, "2020-02-05", gw=482)])
    warehouse.import_path(mmr)
    (added,) = warehouse.import_path(car, mode="add").loads
    assert added.action is Action.ADDED
    assert {p.file_name for p in warehouse.status()} == {"GED_MMR.csv", "GED_CAF.csv"}
    # a corrected Myanmar file under the same name replaces only that file's rows
    write_ged(mmr, [ged_event(1, "2020-01-05", best=9), ged_event(3, "2020-03-05")])
    warehouse.import_path(mmr, mode="add")
    rows = {r["id"]: r for r in warehouse.read_table("src_ucdp_ged").to_pylist()}
    assert sorted(rows) == [1, 2, 3]
    assert rows[1]["best"] == 9
    assert rows[2]["iso3"] == "CAF"  # codespell:ignore


def test_folder_loads_each_source_as_one_version_and_keeps_records_once(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    folder = tmp_path / "mirror"
    write_ged(folder / "GEDEvent_v23_1_sample.csv", [ged_event(1, "2020-01-05", best=1)])
    write_ged(
        folder / "GEDEvent_v24_1_MMR.csv",
        [ged_event(1, "2020-01-05", best=2), ged_event(2, "2020-02-05")],
    )
    (folder / "notes.txt").write_text("not data\n")
    (folder / "SOURCES.md").write_text("# where these came from\n")
    report = warehouse.import_path(folder)
    (load,) = report.loads
    assert load.duplicates_dropped == 1
    assert "kept once" in load.message
    rows = {r["id"]: r["best"] for r in warehouse.read_table("src_ucdp_ged").to_pylist()}
    assert rows == {1: 2, 2: 5}  # the newer version's record wins
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert skipped == {
        "notes.txt": "not recognised as a file of any known source",
        "SOURCES.md": "documentation, not data",
    }


def test_bad_file_leaves_the_previous_version_intact(
    warehouse: Warehouse, ged_file: Callable[..., Path], tmp_path: Path
) -> None:
    warehouse.import_path(ged_file())
    before = snapshot(warehouse)
    bad = write_ged(tmp_path / "bad" / "GEDEvent_v25_1.csv", [ged_event(7, "2021-01-01")])
    text = bad.read_text().replace(",5,5,5\n", ",-5,5,5\n")
    bad.write_text(text)
    with pytest.raises(SourceFormatError) as caught:
        warehouse.import_path(bad)
    assert "GEDEvent_v25_1.csv" in str(caught.value)
    assert snapshot(warehouse) == before
    # nothing of the rejected file was archived
    assert not list((warehouse.raw_dir / "ucdp_ged").glob("*/GEDEvent_v25_1.csv"))


def test_folder_with_a_bad_file_rejects_that_source_only(
    warehouse: Warehouse, ged_file: Callable[..., Path], tmp_path: Path
) -> None:
    warehouse.import_path(ged_file())
    before = snapshot(warehouse)
    folder = tmp_path / "mirror"
    write_ged(folder / "GEDEvent_v25_1.csv", [ged_event(8, "2021-01-01")])
    truncated = write_ged(folder / "GEDEvent_v25_1_more.csv", [ged_event(9, "2021-02-01")])
    truncated.write_text(truncated.read_text()[:-40])
    report = warehouse.import_path(folder)
    assert not report.ok and not report.loads
    (failure,) = report.failed
    assert failure.source == "ucdp_ged"
    assert "GEDEvent_v25_1_more.csv" in failure.error
    assert snapshot(warehouse) == before


def test_unrecognised_single_file_is_an_error(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("item,amount\npaper,12\n")
    with pytest.raises(Exception, match=r"budget\.csv") as caught:
        warehouse.import_path(path)
    assert "ucdp_ged" in str(caught.value)  # the message lists what each source needs
    assert warehouse.status() == []


def test_sample_files_are_kept_but_cover_nothing(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    (load,) = warehouse.import_path(ged_file(), sample=True).loads
    assert "sample" in " ".join(load.notes)
    assert warehouse.coverage("ucdp_ged") == []
    assert warehouse.status()[0].coverage.value == "sample"
    assert warehouse.read_table("src_ucdp_ged").num_rows == 3


def test_load_of_arrow_tables_and_its_checks(warehouse: Warehouse) -> None:
    table = pa.table({"id": [1, 2], "year": [2020, 2021], "iso3": ["MMR", "MMR"]})
    good = ArrowFile("ucdp_ged", table, "events.parquet")
    assert warehouse.load(good).action is Action.LOADED
    before = snapshot(warehouse)
    lying = ArrowFile("ucdp_ged", table, "other.parquet", rows=5)
    with pytest.raises(WarehouseError, match="reported 5 rows"):
        warehouse.load(lying)
    reserved = ArrowFile("ucdp_ged", table.append_column("_source_file", pa.array(["x", "y"])), "r")
    with pytest.raises(InvalidTableError, match="reserved"):
        warehouse.load(reserved)
    mixed = [good, ArrowFile("ucdp_onesided", table, "osv.csv")]
    with pytest.raises(WarehouseError, match="one source"):
        warehouse.load(mixed)
    clash = pa.table({"id": ["not a number"], "year": [[1, 2]]})
    with pytest.raises(InvalidTableError, match="cannot be stored together"):
        warehouse.load(ArrowFile("ucdp_ged", clash, "clash.parquet"), mode="add")
    assert snapshot(warehouse) == before


def test_unknown_source_and_table_errors(warehouse: Warehouse) -> None:
    with pytest.raises(Exception, match="no_such_source"):
        warehouse.load(ArrowFile("no_such_source", pa.table({"a": [1]}), "a.csv"))
    with pytest.raises(UnknownTableError, match="data import"):
        warehouse.read_table("src_ucdp_ged")
    assert warehouse.status() == [] and warehouse.tables() == []


def test_drop_source_removes_rows_and_provenance(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    warehouse.import_path(ged_file())
    assert warehouse.drop_source("ucdp_ged") is True
    assert warehouse.status() == [] and not warehouse.has_table("src_ucdp_ged")
    assert warehouse.drop_source("ucdp_ged") is False
    assert warehouse.history()[-1]["action"] == "removed"


def test_a_file_named_sample_is_imported_as_a_sample_unless_told_otherwise(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    (load,) = warehouse.import_path(ged_file("GEDEvent_v23_1_sample1000.csv")).loads
    assert "because its name says so" in " ".join(load.notes)
    assert warehouse.coverage("ucdp_ged") == []
    second = ged_file("GEDEvent_v24_1_sample.csv", first=100)
    (load,) = warehouse.import_path(second, sample=False).loads
    assert [s.iso3 for s in warehouse.coverage("ucdp_ged")] == ["MMR"]


def test_editions_of_a_dataset_are_kept_side_by_side(warehouse: Warehouse) -> None:
    older = pa.table({"ccode": [775, 625], "year": [2023, 2023], "mk_onset": [0, 1]})
    newer = pa.table({"ccode": [775, 625], "year": [2023, 2023], "mk_onset": [1, 1]})
    (load,) = [
        warehouse.load(
            [
                ArrowFile("ewp_prepared", older, "prepared2023.csv", version="2023"),
                ArrowFile("ewp_prepared", newer, "prepared2024.csv", version="2024"),
            ]
        )
    ]
    assert load.duplicates_dropped == 0 and load.rows == 4
    assert "editions kept side by side" in " ".join(load.notes)
    files = warehouse.read_table("src_ewp_prepared").column("_source_file").to_pylist()
    assert sorted(set(files)) == ["prepared2023.csv", "prepared2024.csv"]


def test_replace_tables_writes_all_or_nothing(warehouse: Warehouse) -> None:
    warehouse.replace_tables(
        {"forecasts": pa.table({"iso3": ["MMR"]}), "forecast_drivers": pa.table({"x": [1]})}
    )
    before = {t.name: t.written_at for t in warehouse.tables()}
    bad = pa.table({"a": [1], "A": [2]})  # duplicate column names (case-insensitive)
    with pytest.raises(InvalidTableError, match="duplicate columns"):
        warehouse.replace_tables(
            {"forecasts": pa.table({"iso3": ["SDN"]}), "forecast_drivers": bad}
        )
    assert warehouse.read_table("forecasts").column("iso3").to_pylist() == ["MMR"]
    assert {t.name: t.written_at for t in warehouse.tables()} == before
    with pytest.raises(InvalidTableError, match="src_"):
        warehouse.replace_table("src_ucdp_ged", pa.table({"a": [1]}))
    with pytest.raises(InvalidTableError, match="lower-case"):
        warehouse.replace_table("Bad Name", pa.table({"a": [1]}))


def test_a_reader_in_a_process_that_writes_shares_its_connection(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    warehouse.import_path(ged_file())
    other = Warehouse(warehouse.home, wait=1)
    with warehouse.connection(write=True):
        # DuckDB gives one configuration per file and process: the reader joins the writer
        assert other.read_table("src_ucdp_ged").num_rows == 3
    with other.connection(), pytest.raises(WarehouseError, match="holds it open for reading"):
        warehouse.replace_table("panel_country_year", pa.table({"a": [1]}))


def test_reading_an_absent_warehouse_says_what_to_do(warehouse: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="data import"), warehouse.connection():
        pass
    assert not warehouse.path.exists()


def test_a_file_imported_before_under_its_name_is_known_by_its_checksum_alone(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    """A refresh that brings the same download again answers at once, without parsing it."""
    path = ged_file(n=4)
    steps: list[str] = []
    warehouse.import_path(path, progress=lambda text, done, total: steps.append(text))
    assert any("reading" in step for step in steps)
    before = snapshot(warehouse)
    steps.clear()
    (again,) = warehouse.import_path(
        path, progress=lambda text, done, total: steps.append(text)
    ).loads
    assert again.action is Action.UNCHANGED and again.rows == 4
    assert [p.file_name for p in again.files] == [path.name]
    assert not any("reading" in step for step in steps), steps
    assert any("checksum" in step for step in steps), steps
    assert snapshot(warehouse) == before


def test_a_changed_file_under_the_same_name_is_read_and_replaces_the_old(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    path = ged_file(n=3)
    warehouse.import_path(path)
    first_sha = warehouse.status()[0].sha256
    ged_file(n=5, first=200)  # the publisher's corrected file, same name
    (load,) = warehouse.import_path(path).loads
    assert load.action is Action.REPLACED
    assert warehouse.status()[0].sha256 != first_sha
    ids = warehouse.read_table("src_ucdp_ged").column("id").to_pylist()
    assert sorted(ids) == [200, 201, 202, 203, 204]


def test_a_changed_file_that_fails_keeps_the_version_held_under_its_name(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    path = ged_file(n=3)
    warehouse.import_path(path)
    before = snapshot(warehouse)
    path.write_text(path.read_text(encoding="utf-8") + "not,a,ged,row\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=path.name):
        warehouse.import_path(path)
    assert snapshot(warehouse) == before


def test_rows_are_counted_where_they_are_not_copied_into_python(
    warehouse: Warehouse, ged_file: Callable[..., Path]
) -> None:
    """Loading never builds ``SourceTable.table`` (a PyArrow copy of every row: 19 GB peak
    for 10^7 GED events before this was fixed): rows read into the warehouse's connection are
    counted with SQL, rows held elsewhere are streamed in batches."""
    from atrocity_watch.sources import read_file

    in_place = ged_file("GEDEvent_v23_1.csv", n=3)
    with warehouse.connection(write=True) as con:
        result = read_file(in_place, "ucdp_ged", connection=con, table="incoming_rows")
        assert warehouse.load(result).action is Action.LOADED
    assert "table" not in vars(result)  # the cached property was never built
    elsewhere = read_file(ged_file("GEDEvent_v24_1.csv", n=4, first=10), "ucdp_ged")
    assert warehouse.load(elsewhere).action is Action.REPLACED
    assert "table" not in vars(elsewhere)
    assert sorted(warehouse.read_table("src_ucdp_ged").column("id").to_pylist()) == [
        10,
        11,
        12,
        13,
    ]
    assert [p.rows for p in warehouse.status()] == [4]
