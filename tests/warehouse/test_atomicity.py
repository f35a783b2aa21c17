"""A load killed with SIGKILL, a second process holding the file, a derived table rewritten.

These tests start real processes: one writes a large synthetic source (or panel) into the
warehouse and is killed with ``kill -9`` while the load runs. Afterwards the warehouse must
open, hold the previous version intact and queryable, and show unchanged provenance.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from atrocity_watch.warehouse import Action, Warehouse, WarehouseBusyError

from .helpers import ged_event, snapshot, write_ged

ROOT = Path(__file__).resolve().parents[2]

# A child process that loads ``rows`` synthetic GED-like events (or a panel) and reports its
# progress on stdout, so the parent can kill it while the load is under way.
CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    import pyarrow as pa
    from atrocity_watch.warehouse import Warehouse
    from tests.warehouse.helpers import ArrowFile

    what, rows = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(1)
    table = pa.table({
        "id": np.arange(rows, dtype=np.int64),
        "year": rng.integers(1989, 2024, rows),
        "best": rng.integers(0, 50, rows),
        "latitude": rng.uniform(-40, 40, rows),
        "longitude": rng.uniform(-20, 120, rows),
        "side_a": pa.DictionaryArray.from_arrays(
            pa.array(rng.integers(0, 3, rows)), ["Government of Myanmar (Burma)", "KIA", "RSF"]
        ).cast(pa.string()),
        "iso3": pa.array(np.where(rng.random(rows) < 0.5, "MMR", "SDN")),
    })

    def progress(text, done, total):
        print("PROGRESS", text, flush=True)

    wh = Warehouse(wait=30)
    print("READY", flush=True)
    if what == "source":
        wh.load(ArrowFile("ucdp_ged", table, "GEDEvent_big.csv", version="99.1"), progress=progress)
    else:
        print("PROGRESS writing", flush=True)
        wh.replace_table("panel_country_month", table)
    print("COMMITTED", flush=True)
    """
)

# A child that imports a GED CSV file through the whole import path (read, check, store,
# archive, commit) and reports each step, so the parent can kill it while it commits.
IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from atrocity_watch.warehouse import Warehouse

    def progress(text, done, total):
        print("PROGRESS", text, flush=True)

    Warehouse(wait=30).import_path(Path(sys.argv[1]), "ucdp_ged", progress=progress)
    print("COMMITTED", flush=True)
    """
)

HOLDER = textwrap.dedent(
    """
    import sys, time
    from atrocity_watch.warehouse import Warehouse
    wh = Warehouse(wait=30)
    with wh.connection(write=True):
        print("HOLDING", flush=True)
        time.sleep(float(sys.argv[1]))
    """
)


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(proc: subprocess.Popen[str], marker: str, timeout: float = 120) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"child ended before {marker!r}: {proc.stderr.read()}")  # type: ignore[union-attr]
        seen.append(line.strip())
        if line.startswith(marker):
            return seen
    raise AssertionError(f"no {marker!r} within {timeout} s; saw {seen}")


@pytest.fixture
def previous_version(warehouse: Warehouse, ged_file: Callable[..., Path]) -> Warehouse:
    """A warehouse holding a small GED version and a small panel, as before a big update."""
    warehouse.import_path(ged_file("GEDEvent_v24_1.csv", n=6))
    warehouse.replace_table("panel_country_month", pa.table({"iso3": ["MMR"], "value": [1]}))
    return warehouse


@pytest.mark.slow
@pytest.mark.parametrize("what", ["source", "derived"])
def test_kill_9_mid_load_leaves_previous_version(previous_version: Warehouse, what: str) -> None:
    wh = previous_version
    before = snapshot(wh)
    panel_before = wh.read_table("panel_country_month")
    size_before = wh.path.stat().st_size
    proc = _start(CHILD, what, "5000000")
    try:
        seen = _wait_for(proc, "PROGRESS")
        # DuckDB writes the blocks of a large uncommitted table into the file as it goes:
        # wait until it has written some, so the kill lands in the middle of the write.
        deadline = time.monotonic() + 60
        while wh.path.stat().st_size < size_before + 2_000_000:
            assert time.monotonic() < deadline, "the child never started writing"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert "COMMITTED" not in "\n".join(seen) + out, "the child finished before it was killed"
    # The lock died with the process: a writer gets in at once, and the old version is there.
    fresh = Warehouse(wait=1)
    assert snapshot(fresh) == before
    assert fresh.read_table("src_ucdp_ged").num_rows == 6
    assert fresh.read_table("panel_country_month").equals(panel_before)
    with fresh.connection() as con:
        leftovers = [t for (t,) in con.execute("SHOW TABLES").fetchall() if "building" in t]
    assert leftovers == []
    # and the warehouse still takes new data
    fresh.replace_table("panel_country_month", pa.table({"iso3": ["SDN"], "value": [2]}))
    assert fresh.read_table("panel_country_month").column("iso3").to_pylist() == ["SDN"]


@pytest.mark.slow
def test_kill_9_while_an_import_commits_leaves_previous_version(
    previous_version: Warehouse, tmp_path: Path
) -> None:
    """The commit of an import writes its rows into the file (a checkpoint, not the log):
    killed while it does, the warehouse still holds the previous version, and the file
    imports cleanly afterwards."""
    wh = previous_version
    before = snapshot(wh)
    days = [f"2021-{month:02d}-{day:02d}" for month in range(1, 13) for day in range(1, 29)]
    events = (ged_event(1000 + i, days[i % len(days)], best=i % 40) for i in range(150_000))
    big = write_ged(tmp_path / "big" / "GEDEvent_v25_1.csv", events)
    proc = _start(IMPORTER, str(big))
    try:
        # the last step before the commit; the rows still have to be written to the file
        seen = _wait_for(proc, "PROGRESS ucdp_ged: done")
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert "COMMITTED" not in "\n".join(seen) + out, "the child finished before it was killed"
    fresh = Warehouse(wait=1)
    assert snapshot(fresh) == before
    assert fresh.read_table("src_ucdp_ged").num_rows == 6
    (load,) = fresh.import_path(big).loads
    assert load.action is Action.REPLACED and load.rows == 150_000
    assert fresh.read_table("src_ucdp_ged").num_rows == 150_000


@pytest.mark.slow
def test_load_that_is_not_killed_commits(previous_version: Warehouse) -> None:
    """The same child, left alone, does replace the version (so the kill test is meaningful)."""
    proc = _start(CHILD, "source", "200000")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "COMMITTED" in out
    wh = Warehouse(wait=1)
    assert wh.read_table("src_ucdp_ged").num_rows == 200000
    assert [p.file_name for p in wh.status()] == ["GEDEvent_big.csv"]


@pytest.mark.slow
def test_second_writer_waits_then_fails_clearly_and_changes_nothing(
    previous_version: Warehouse, ged_file: Callable[..., Path]
) -> None:
    wh = previous_version
    before = snapshot(wh)
    holder = _start(HOLDER, "20")
    try:
        _wait_for(holder, "HOLDING")
        busy = Warehouse(wait=1)
        with pytest.raises(WarehouseBusyError) as caught:
            busy.import_path(ged_file("GEDEvent_v25_1.csv", n=2, first=50))
        assert f"process id {holder.pid}" in str(caught.value)
        assert "ATROCITY_WATCH_WAREHOUSE_WAIT" in str(caught.value)
        # derived tables stay readable from their snapshot while the file is locked, and so
        # do provenance, coverage and the table catalogue (pages never wait for an import)
        assert busy.read_table("panel_country_month").num_rows == 1
        assert [p.as_dict() for p in busy.status()] == before["status"]
        assert busy.coverage() == before["coverage"]
        assert {t.name: t.rows for t in busy.tables()} == before["tables"]
        # a holder killed with -9 leaves no stale lock behind
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
    after = Warehouse(wait=1)
    assert snapshot(after) == before
    assert after.import_path(ged_file("GEDEvent_v25_1.csv", n=2, first=50)).loads[0].changed


def test_writer_waits_for_a_short_holder(
    previous_version: Warehouse, ged_file: Callable[..., Path]
) -> None:
    holder = _start(HOLDER, "1.5")
    try:
        _wait_for(holder, "HOLDING")
        patient = Warehouse(wait=60)
        (load,) = patient.import_path(ged_file("GEDEvent_v25_1.csv", n=2, first=50)).loads
        assert load.changed
    finally:
        holder.communicate(timeout=60)


def test_exception_inside_a_load_rolls_everything_back(previous_version: Warehouse) -> None:
    wh = previous_version
    before = snapshot(wh)

    def interrupt(text: str, done: int, total: int) -> None:
        if "provenance" in text:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C half-way

    from .helpers import ArrowFile

    big = ArrowFile("ucdp_ged", pa.table({"id": [1, 2], "iso3": ["MMR", "SDN"]}), "new.csv")
    with pytest.raises(KeyboardInterrupt):
        wh.load(big, progress=interrupt)
    assert snapshot(wh) == before


def test_snapshot_left_stale_by_a_crash_is_republished(previous_version: Warehouse) -> None:
    wh = previous_version
    wh.replace_table("panel_country_month", pa.table({"iso3": ["SDN"], "value": [5]}))
    # simulate a process that died between the commit and the snapshot's rename
    snap = wh.snapshot_path("panel_country_month")
    assert snap is not None
    snap.unlink()
    with wh.connection(write=True) as con:
        con.execute("UPDATE _tables SET snapshot_written_at = NULL")
    assert wh.read_table("panel_country_month").column("value").to_pylist() == [5]
    with wh.connection(write=True):
        pass  # any writer republishes stale snapshots first
    assert wh.snapshot_path("panel_country_month") is not None
    assert wh.read_table("panel_country_month").column("value").to_pylist() == [5]
